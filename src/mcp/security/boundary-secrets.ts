/**
 * The last redaction pass over everything that leaves the MCP server: results, error texts, progress messages and
 * the server's logs. It scrubs every value the config layer registered as a secret (api_key, password, client_id,
 * client_secret, and their URL-encoded forms).
 *
 * The run-as user name (runas) is deliberately not scrubbed: it is an identity, not a credential. check_credentials
 * {"live": true} reports it as user_name, it is ordinary API data (the user's row in users, audit records), and a
 * textual mask on it would be theatre — string functions on the column (upper(), reverse()) bypass any such mask
 * while the data the user asked about would come back altered. Its presence and origin are still reported as for
 * any setting; only real secrets are never shown.
 */
import { redactSecrets } from '../../config/secret.js';
import type { Logger } from '../../log.js';

/** The last pass over every text that leaves the server. */
export function redactOutputText(text: string): string {
  return redactSecrets(text);
}

/** A logger whose lines (message and fields) pass through redactOutputText before reaching `inner`. */
export function redactingLogger(inner: Logger): Logger {
  const wrap =
    (emit: Logger['info']): Logger['info'] =>
    (message, fields) => {
      const safeFields = fields === undefined ? undefined : (JSON.parse(redactOutputText(safeJson(fields))) as Record<string, unknown>);
      emit(redactOutputText(message), safeFields);
    };
  return { debug: wrap(inner.debug), info: wrap(inner.info), warn: wrap(inner.warn), error: wrap(inner.error) };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '{"fields":"[unserializable]"}';
  }
}
