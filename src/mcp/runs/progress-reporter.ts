/**
 * Turns pipeline progress events into MCP `notifications/progress` for the call that waits on the run. Progress
 * strictly increases and nothing is sent after close(). Only page events are throttled: they are coalesced to at
 * most one per interval (the latest wins). Every other event (step, table, retry, warning, done) is sent at once, in
 * order, after any page still pending, so a fast run still shows its tables and its end. close() flushes the
 * pending page first, so it goes out before the tool result. Messages are neutralised and redacted like every
 * other output.
 */
import type { RunProgressEvent } from '../../pipeline/types.js';
import { redactOutputText } from '../security/boundary-secrets.js';
import { neutralizeText } from '../security/sanitize.js';
import type { ToolExtra } from '../tools/define-tool.js';

export interface ProgressReporter {
  report(event: RunProgressEvent): void;
  /** Sends the pending page message, if any, then stops. */
  close(): void;
}

const NO_PROGRESS: ProgressReporter = { report: () => undefined, close: () => undefined };

export const DEFAULT_PAGE_INTERVAL_MS = 100;

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

export function createProgressReporter(extra: ToolExtra, pageIntervalMs = DEFAULT_PAGE_INTERVAL_MS): ProgressReporter {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return NO_PROGRESS;
  let progress = 0;
  let lastPageSentAt = Number.NEGATIVE_INFINITY;
  let pendingPage: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  // The SDK hands the notification to the transport synchronously, so calls to send() reach the client in order.
  const send = (message: string): void => {
    progress += 1;
    const safeMessage = redactOutputText(neutralizeText(message)).slice(0, 500);
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message: safeMessage } })
      .catch(() => undefined); // the client may be gone; the run goes on
  };
  const sendPage = (message: string): void => {
    lastPageSentAt = Date.now();
    send(message);
  };
  const flushPendingPage = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pendingPage === undefined) return;
    const message = pendingPage;
    pendingPage = undefined;
    sendPage(message);
  };
  return {
    report(event) {
      if (closed) return;
      const message = formatProgressEvent(event);
      if (event.type !== 'page') {
        flushPendingPage();
        send(message);
        return;
      }
      const wait = lastPageSentAt + pageIntervalMs - Date.now();
      if (wait <= 0 && timer === undefined) {
        sendPage(message);
        return;
      }
      pendingPage = message;
      timer ??= setTimeout(() => {
        if (!closed) flushPendingPage();
      }, Math.max(wait, 0));
    },
    close() {
      if (closed) return;
      flushPendingPage();
      closed = true;
    },
  };
}
