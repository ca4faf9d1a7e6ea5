/** Row keys: random `_dlt_id`s for root rows, deterministic ones for nested rows. */
import { hash, randomFillSync } from 'node:crypto';

const ID_BYTES = 10;
const POOL_IDS = 4096;

/** A generator of random 14-character base64url ids; draws randomness in blocks (one syscall per 4096 ids). */
export function createRandomIdGenerator(): () => string {
  const pool = Buffer.allocUnsafe(ID_BYTES * POOL_IDS);
  let offset = pool.length;
  return () => {
    if (offset >= pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const id = pool.toString('base64url', offset, offset + ID_BYTES);
    offset += ID_BYTES;
    return id;
  };
}

/**
 * `_dlt_id` of a nested row: a hash of the parent row's `_dlt_id`, the nested table name and the list index
 * (as dlt does), so re-normalizing the same parent gives the same child keys. 14 base64url characters (84 bits).
 */
export function nestedRowId(parentId: string, table: string, listIndex: number): string {
  return hash('sha1', `${parentId}_${table}_${listIndex}`, 'base64url').slice(0, 14);
}
