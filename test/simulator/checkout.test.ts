import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { asRows, call, signIn } from './helpers.js';

let now = Date.UTC(2026, 0, 1);
let sim: RunningSimulator;
let cookie: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 8, clock: () => now });
  cookie = await signIn(sim);
});
afterAll(() => sim.stop());

/** An account of system `systemId` (slot 1..10) with no open request in the history. */
async function freeAccount(systemId: number, slot: number): Promise<{ SystemID: number; AccountID: number }> {
  const open = asRows((await call(sim, 'Requests', { cookie })).body).filter((r) => r['Status'] === 'Active' || r['Status'] === 'Pending');
  for (let system = systemId; ; system++) {
    const accountId = (system - 1) * 10 + slot;
    if (!open.some((r) => r['AccountID'] === accountId)) return { SystemID: system, AccountID: accountId };
  }
}

describe('POST Requests → GET Credentials → PUT Checkin', () => {
  it('creates a request (201, bare integer), releases the password (bare string), checks in (204)', async () => {
    const account = await freeAccount(3, 1);
    const created = await call(sim, 'Requests', { cookie, method: 'POST', body: { ...account, DurationMinutes: 60, Reason: 'test' } });
    expect(created.status).toBe(201);
    expect(created.text).toMatch(/^\d+$/);
    const requestId = created.body as number;
    expect(requestId).toBeGreaterThan(sim.counts.requests);

    const credential = await call(sim, `Credentials/${requestId}`, { cookie });
    expect(credential.status).toBe(200);
    expect(credential.text.startsWith('"')).toBe(true);
    expect(typeof credential.body).toBe('string');
    expect((credential.body as string).length).toBeGreaterThanOrEqual(12);

    const listed = asRows((await call(sim, 'Requests?status=active', { cookie })).body).find((r) => r['RequestID'] === requestId);
    expect(listed).toMatchObject({ SystemID: account.SystemID, AccountID: account.AccountID, Status: 'Active', Reason: 'test' });

    const checkin = await call(sim, `Requests/${requestId}/Checkin`, { cookie, method: 'PUT', body: {} });
    expect(checkin.status).toBe(204);
    expect(checkin.text).toBe('');
    expect((await call(sim, `Credentials/${requestId}`, { cookie })).status).toBe(404);
    expect((await call(sim, `Requests/${requestId}/checkin`, { cookie, method: 'PUT', body: {} })).status).toBe(404);
  });

  it('answers 409 for a conflicting request unless ConflictOption is reuse or renew', async () => {
    const account = await freeAccount(5, 2);
    const first = await call(sim, 'Requests', { cookie, method: 'POST', body: { ...account, DurationMinutes: 30 } });
    expect(first.status).toBe(201);
    const conflict = await call(sim, 'Requests', { cookie, method: 'POST', body: { ...account, DurationMinutes: 30 } });
    expect(conflict.status).toBe(409);
    const reuse = await call(sim, 'Requests', { cookie, method: 'POST', body: { ...account, DurationMinutes: 30, ConflictOption: 'reuse' } });
    expect(reuse.status).toBe(200);
    expect(reuse.body).toBe(first.body);
    const renew = await call(sim, 'Requests', { cookie, method: 'POST', body: { ...account, DurationMinutes: 90, ConflictOption: 'renew' } });
    expect(renew.body).toBe(first.body);
  });

  it('answers 403 4034 while a request waits for approval (accounts with AccountID % 10 == 0)', async () => {
    const account = await freeAccount(6, 10);
    const created = await call(sim, 'Requests', { cookie, method: 'POST', body: account });
    expect(created.status).toBe(201);
    const credential = await call(sim, `Credentials/${String(created.body)}`, { cookie });
    expect(credential.status).toBe(403);
    expect(credential.text).toBe('4034');
  });

  it('answers 404 for unknown and expired requests', async () => {
    expect((await call(sim, 'Credentials/999999', { cookie })).status).toBe(404);
    const account = await freeAccount(8, 3);
    const created = await call(sim, 'Requests', { cookie, method: 'POST', body: { ...account, DurationMinutes: 1 } });
    now += 61_000;
    expect((await call(sim, `Credentials/${String(created.body)}`, { cookie })).status).toBe(404);
    expect(asRows((await call(sim, 'Requests', { cookie })).body).find((r) => r['RequestID'] === created.body)?.['Status']).toBe('Expired');
  });

  it('validates the body and the approver queue', async () => {
    expect((await call(sim, 'Requests', { cookie, method: 'POST', body: { SystemID: 1 } })).status).toBe(400);
    expect((await call(sim, 'Requests', { cookie, method: 'POST', body: { SystemID: 2, AccountID: 1 } })).status).toBe(404);
    expect((await call(sim, 'Requests', { cookie, method: 'POST', body: { SystemID: 1, AccountID: 1, DurationMinutes: 0 } })).status).toBe(400);
    expect((await call(sim, 'Requests', { cookie, method: 'POST', body: { SystemID: 1, AccountID: 1, ConflictOption: 'x' } })).status).toBe(400);
    const approver = await call(sim, 'Requests?queue=app', { cookie });
    expect(approver.status).toBe(403);
    expect(approver.text).toBe('4033');
  });
});
