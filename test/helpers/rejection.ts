import { isBtError } from '../../src/errors.js';
import type { BtError } from '../../src/errors.js';

/** The BtError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection(promise: Promise<unknown>): Promise<BtError> {
  try {
    await promise;
  } catch (error) {
    if (isBtError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
