import { describe, expect, it } from 'vitest';
import { BtError } from '../../src/errors.js';
import { errorResult, ok } from '../../src/mcp/result.js';

describe('ok', () => {
  it('puts the whole answer in structuredContent and mirrors it as JSON text', () => {
    const result = ok({ rows: [{ name: 'a\u202Eb' }], truncated: false });
    expect(result.structuredContent).toEqual({ rows: [{ name: 'a\\u202Eb' }], truncated: false });
    expect(result.content).toEqual([{ type: 'text', text: JSON.stringify(result.structuredContent) }]);
    expect(result.isError).toBeUndefined();
  });
});

describe('errorResult', () => {
  it('says code, what failed, where, and what to change', () => {
    const error = new BtError('BT_HTTP_403', 'BeyondTrust refused the request.', {
      hint: 'Grant the API user read access to Managed Accounts.',
      details: { step: 'extract', endpoint: 'GET ManagedAccounts', status: 403, run_id: 'run_1' },
    });
    const result = errorResult(error);
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text:
          'BT_HTTP_403: BeyondTrust refused the request. (step: extract, endpoint: GET ManagedAccounts, status: 403, run_id: run_1) ' +
          'Hint: Grant the API user read access to Managed Accounts.',
      },
    ]);
  });

  it('neutralises control characters coming from foreign messages', () => {
    const result = errorResult(new BtError('SQL_ERROR', 'Table "x\u202Ey" does not exist'));
    expect(result.content[0]).toEqual({ type: 'text', text: 'SQL_ERROR: Table "x\\u202Ey" does not exist' });
  });
});
