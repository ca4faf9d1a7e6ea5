/**
 * Values scrubbed from everything that leaves the MCP server although the engine itself may show them.
 * The run-as user name is configured as a secret (working agreement) but is not scrubbed engine-wide because it
 * is also ordinary API data (a row of the users table). At this boundary it is masked wherever it appears:
 * results, error texts, progress messages and the server's logs.
 */
import { redactSecrets, REDACTED } from '../../config/secret.js';
import type { BeyondTrustSettings } from '../../config/types.js';
import type { Logger } from '../../log.js';

const MIN_SCRUB_LENGTH = 4;
const boundaryValues = new Set<string>();

export function registerBoundarySecret(value: string): void {
  if (value.length >= MIN_SCRUB_LENGTH) boundaryValues.add(value);
}

/** Registers the settings' secrets that the engine does not scrub itself (today: runas). */
export function registerBoundarySecretsOf(settings: BeyondTrustSettings): void {
  if (settings.runas) registerBoundarySecret(settings.runas.value.reveal());
}

/** redactSecrets plus the boundary values: the last pass over every text that leaves the server. */
export function redactOutputText(text: string): string {
  let result = redactSecrets(text);
  for (const value of boundaryValues) {
    if (result.includes(value)) result = result.split(value).join(REDACTED);
    const encoded = encodeURIComponent(value);
    if (encoded !== value && result.includes(encoded)) result = result.split(encoded).join(REDACTED);
  }
  return result;
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
