/**
 * The `state` column of `_dlt_pipeline_state`, encoded like dlt's `compress_state`: base64 of zlib-compressed JSON.
 * Decoding also accepts plain JSON text (rows written by hand or by older tools).
 */
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { BtError } from '../../errors.js';

export function encodeState(state: unknown): string {
  return deflateSync(Buffer.from(JSON.stringify(state), 'utf8'), { level: 9 }).toString('base64');
}

export function decodeState(text: string): unknown {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) return JSON.parse(trimmed);
    return JSON.parse(inflateSync(Buffer.from(trimmed, 'base64')).toString('utf8'));
  } catch (error) {
    throw new BtError('STATE_CORRUPT', 'The pipeline state stored in _dlt_pipeline_state cannot be decoded.', {
      hint: 'Drop the newest row of _dlt_pipeline_state for this pipeline, or delete the dataset to start over.',
      cause: error,
    });
  }
}

/** Content hash (base64 sha256) used as `version_hash`, computed without the volatile version counter. */
export function stateVersionHash(state: { _state_version?: unknown }): string {
  const { _state_version: _ignored, ...content } = state;
  return createHash('sha256').update(stableStringify(content)).digest('base64');
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
