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

  it('rate-limits, keeps the latest message, and stops after close', async () => {
    const sent: ServerNotification[] = [];
    const reporter = createProgressReporter(fakeExtra('tok', sent), 30);
    for (let page = 1; page <= 5; page++) reporter.report({ type: 'page', resource: 'a', page, rows: 1, resource_rows: page });
    expect(sent).toHaveLength(1);
    await new Promise((resolveLater) => setTimeout(resolveLater, 60));
    expect(sent).toHaveLength(2);
    const params = sent.map((n) => n.params as { progressToken: string; progress: number; message: string });
    expect(params.map((p) => p.progress)).toEqual([1, 2]);
    expect(params[1]?.message).toBe('a: page 5 (1 rows, 5 so far)');
    reporter.close();
    reporter.report({ type: 'done', status: 'completed' });
    await new Promise((resolveLater) => setTimeout(resolveLater, 40));
    expect(sent).toHaveLength(2);
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
