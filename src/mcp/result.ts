/**
 * The two shapes every tool returns. Success: the whole answer in `structuredContent` (Claude Code shows only that)
 * with a compact JSON mirror in `content`. Failure: `isError` with one text that says what failed and what to change.
 * Both pass through sanitize + redaction, the last line of defence against leaking a secret or hostile text.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { BtError } from '../errors.js';
import { redactOutputText } from './security/boundary-secrets.js';
import { neutralizeText, sanitizeDeep } from './security/sanitize.js';

export function ok(structured: Record<string, unknown>): CallToolResult {
  const safe = sanitizeDeep(structured);
  return { structuredContent: safe, content: [{ type: 'text', text: JSON.stringify(safe) }] };
}

/** `CODE: message (step: …, endpoint: …, status: …) Hint: …` */
export function describeToolError(error: BtError): string {
  const context: string[] = [];
  const { step, endpoint, status, run_id: runId } = error.details;
  if (typeof step === 'string') context.push(`step: ${step}`);
  if (typeof endpoint === 'string') context.push(`endpoint: ${endpoint}`);
  if (typeof status === 'number') context.push(`status: ${status}`);
  if (typeof runId === 'string') context.push(`run_id: ${runId}`);
  const where = context.length > 0 ? ` (${context.join(', ')})` : '';
  const hint = error.hint ? ` Hint: ${error.hint}` : '';
  return `${error.code}: ${error.message}${where}${hint}`;
}

export function errorResult(error: BtError): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: redactOutputText(neutralizeText(describeToolError(error))) }] };
}
