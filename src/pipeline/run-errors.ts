/** Run failures as BtErrors that name the step, and their trace form. */
import { BtError, isAbortError, toBtError } from '../errors.js';
import type { RunErrorInfo, StepName } from './types.js';

export function cancelledError(step: StepName): BtError {
  return new BtError('CANCELLED', 'The pipeline run was cancelled; nothing of it was committed.', {
    hint: 'Run it again when ready; it continues from the last committed state.',
    details: { step },
  });
}

/** Wraps `error` as a BtError whose details.step is set (keeps the code and step of an existing BtError). */
export function stepError(error: unknown, step: StepName, signal?: AbortSignal): BtError {
  if (signal?.aborted && (isAbortError(error) || !(error instanceof BtError))) return cancelledError(step);
  const wrapped = toBtError(error, step === 'load' ? 'LOAD_FAILED' : step === 'normalize' ? 'NORMALIZE_FAILED' : 'EXTRACT_FAILED', { step });
  if (wrapped.details.step === undefined) wrapped.details.step = step;
  return wrapped;
}

export function errorInfo(error: BtError): RunErrorInfo {
  const { step, endpoint, status } = error.details;
  return {
    code: error.code,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(step === undefined ? {} : { step }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(status === undefined ? {} : { status }),
  };
}
