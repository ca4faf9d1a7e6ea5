/** Text we add to a user's file follows that file's line endings, so a CRLF file does not end up with mixed ones. */

export type LineEnding = '\r\n' | '\n';

/** CRLF when the file's first line break is CRLF; LF otherwise (and for new or one-line files). */
export function lineEndingOf(text: string | undefined): LineEnding {
  const first = text?.indexOf('\n') ?? -1;
  return first > 0 && text?.[first - 1] === '\r' ? '\r\n' : '\n';
}

/** `text` (written with LF) with every line break as `eol`. */
export function withLineEnding(text: string, eol: LineEnding): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}
