import { describe, expect, it } from 'vitest';
import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { registerSecretValue } from '../../src/config/secret.js';
import { createProgressReporter, formatProgressEvent } from '../../src/mcp/runs/progress-reporter.js';
import type { ToolExtra } from '../../src/mcp/tools/define-tool.js';

function fakeExtra(progressToken: string | undefined, sent: ServerNotification[]): ToolExtra {
  return {
    _meta: progressToken === undefined ? undefined : { progressToken },
    sendNotification: async (notification: ServerNotification) => {
      sent.push(notification);
    },
  } as unknown as ToolExtra;
}

describe('createProgressReporter', () => {
  it('sends nothing when the client asked for no progress', () => {
    const sent: ServerNotification[] = [];
    const reporter = createProgressReporter(fakeExtra(undefined, sent));
    reporter.report({ type: 'step', step: 'extract', status: 'started' });
    expect(sent).toEqual([]);
  });

  it('coalesces page events, sends every other event at once after the pending page, flushes on close', () => {
    const sent: ServerNotification[] = [];
    // An interval no test outlasts: the coalescing is observed without waiting for a timer.
    const reporter = createProgressReporter(fakeExtra('tok', sent), 60_000);
    reporter.report({ type: 'step', step: 'extract', status: 'started' });
    for (let page = 1; page <= 5; page++) reporter.report({ type: 'page', resource: 'a', page, rows: 1, resource_rows: page });
    reporter.report({ type: 'table', table: 'a', rows: 5 });
    reporter.report({ type: 'page', resource: 'b', page: 1, rows: 2, resource_rows: 2 });
    reporter.report({ type: 'page', resource: 'b', page: 2, rows: 2, resource_rows: 4 });
    reporter.close();
    reporter.report({ type: 'done', status: 'completed' });
    const params = sent.map((n) => n.params as { progressToken: string; progress: number; message: string });
    expect(params.map((p) => p.message)).toEqual([
      'extract started',
      'a: page 1 (1 rows, 1 so far)',
      'a: page 5 (1 rows, 5 so far)',
      'table a loaded: 5 rows',
      'b: page 2 (2 rows, 4 so far)',
    ]);
    expect(params.map((p) => p.progress)).toEqual([1, 2, 3, 4, 5]);
  });

  it('never drops step, table or done events, however fast they come', () => {
    const sent: ServerNotification[] = [];
    const reporter = createProgressReporter(fakeExtra('tok', sent), 60_000);
    reporter.report({ type: 'step', step: 'extract', status: 'started' });
    reporter.report({ type: 'step', step: 'extract', status: 'completed' });
    reporter.report({ type: 'table', table: 'a', rows: 1 });
    reporter.report({ type: 'table', table: 'b', rows: 2 });
    reporter.report({ type: 'done', status: 'completed' });
    reporter.close();
    expect(sent.map((n) => (n.params as { message: string }).message)).toEqual([
      'extract started',
      'extract completed',
      'table a loaded: 1 rows',
      'table b loaded: 2 rows',
      'run completed',
    ]);
  });

  it('neutralises and redacts messages', () => {
    registerSecretValue('PROGRESS-SENTINEL-33');
    const sent: ServerNotification[] = [];
    const reporter = createProgressReporter(fakeExtra('tok', sent));
    reporter.report({ type: 'warning', message: 'odd \u202E value PROGRESS-SENTINEL-33' });
    expect((sent[0]?.params as { message: string }).message).toBe('warning: odd \\u202E value **********');
    reporter.close();
  });
});

describe('formatProgressEvent', () => {
  it('names the table and rows of a loaded table', () => {
    expect(formatProgressEvent({ type: 'table', table: 'managed_accounts', rows: 42 })).toBe('table managed_accounts loaded: 42 rows');
  });
});
