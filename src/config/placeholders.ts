/**
 * Values that scaffolded files ship with ("<configure me>", "your-api-key-here", …). They count as missing:
 * a run must not send them to the server as if they were credentials.
 */
const PLACEHOLDER_PATTERNS: readonly RegExp[] = [
  /^<[^<>]*>$/, // <configure me>, <your api key>
  /^\$\{[^}]*\}$/, // ${API_KEY} copied from an MCP config
  /^your[-_ ].*(here)?$/i, // your-api-key-here, your_client_secret
  /^(changeme|change[-_ ]me|todo|tbd|fixme|xxx+|placeholder|replace[-_ ]?me|configure[-_ ]?me)$/i,
  /^\*+$/, // ********** pasted back from a redacted output
];

export function isPlaceholder(value: string): boolean {
  const trimmed = value.trim();
  return PLACEHOLDER_PATTERNS.some((pattern) => pattern.test(trimmed));
}
