/**
 * Turns pipeline progress events into MCP `notifications/progress` for the call that waits on the run:
 * progress strictly increases, at most one notification per interval (the latest message wins, flushed at the end
 * of the interval), nothing after close(). Messages are neutralised and redacted like every other output.
 */
import type { RunProgressEvent } from '../../pipeline/types.js';
import { redactOutputText } from '../security/boundary-secrets.js';
import { neutralizeText } from '../security/sanitize.js';
import type { ToolExtra } from '../tools/define-tool.js';

export interface ProgressReporter {
  report(event: RunProgressEvent): void;
  close(): void;
}

const NO_PROGRESS: ProgressReporter = { report: () => undefined, close: () => undefined };

export function formatProgressEvent(event: RunProgressEvent): string {
  switch (event.type) {
    case 'step':
      return `${event.step} ${event.status}`;
    case 'page':
      return `${event.resource}: page ${event.page} (${event.rows} rows, ${event.resource_rows} so far)`;
    case 'table':
      return `table ${event.table} loaded: ${event.rows} rows`;
    case 'retry':
      return `retrying ${event.endpoint} (attempt ${event.attempt}, ${event.reason}) in ${event.delay_ms} ms`;
    case 'warning':
      return `warning: ${event.message}`;
    case 'done':
      return `run ${event.status}`;
  }
}

export function createProgressReporter(extra: ToolExtra, minIntervalMs = 100): ProgressReporter {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return NO_PROGRESS;
  let progress = 0;
  let lastSentAt = 0;
  let pending: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const send = (message: string): void => {
    progress += 1;
    lastSentAt = Date.now();
    const safeMessage = redactOutputText(neutralizeText(message)).slice(0, 500);
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message: safeMessage } })
      .catch(() => undefined); // the client may be gone; the run goes on
  };
  const flush = (): void => {
    timer = undefined;
    if (closed || pending === undefined) return;
    const message = pending;
    pending = undefined;
    send(message);
  };
  return {
    report(event) {
      if (closed) return;
      const message = formatProgressEvent(event);
      const wait = lastSentAt + minIntervalMs - Date.now();
      if (wait <= 0 && timer === undefined) {
        send(message);
        return;
      }
      pending = message;
      timer ??= setTimeout(flush, Math.max(wait, 0));
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
