/**
 * Characters that can hide or reorder text in front of a model or a person, and their visible escapes. Used by the
 * dataset layer (query results) and the MCP boundary (every tool result), so both neutralise exactly the same set.
 */

// C0/C1 controls except tab, newline and carriage return; zero-width and direction marks; bidi embeddings and
// overrides; word joiner and invisible operators; bidi isolates; BOM; Unicode tag characters (a surrogate pair,
// hence the `u` flag).
const UNSAFE_CHARACTERS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu;
/** The same set plus carriage return, which can overwrite a line on a terminal. */
const UNSAFE_CHARACTERS_AND_CR =
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|[\u{E0000}-\u{E007F}]/gu;

function escapeCharacter(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  const hex = codePoint.toString(16).toUpperCase();
  return codePoint > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, '0')}`;
}

/** Every unsafe character as a visible escape, e.g. U+202E → the six characters `\u202E`. */
export function escapeUnsafeText(text: string, options: { carriageReturn?: boolean } = {}): string {
  return text.replace(options.carriageReturn ? UNSAFE_CHARACTERS_AND_CR : UNSAFE_CHARACTERS, escapeCharacter);
}
