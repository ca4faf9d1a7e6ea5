/** Small readers shared by paginators. */
import { BtError } from '../../errors.js';
import { getPath } from '../json-path.js';

export function readNumber(body: unknown, path: string | undefined): number | undefined {
  if (!path) return undefined;
  const value = getPath(body, path);
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** dlt's has_more: booleans and bool-like strings; anything else is an error. Missing → undefined. */
export function readHasMore(body: unknown, path: string | undefined, paginator: string): boolean | undefined {
  if (!path) return undefined;
  const value = getPath(body, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false|1|0|yes|no)$/i.test(value)) return /^(true|1|yes)$/i.test(value);
  throw new BtError('PAGINATOR_INVALID_RESPONSE', `${paginator}: has_more_path "${path}" is not a boolean.`, {
    hint: 'Point has_more_path at a boolean field of the response, or remove it.',
  });
}
