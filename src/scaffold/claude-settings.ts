/**
 * `.claude/settings.json` permission rules that stop Claude Code from reading the secrets file. Ignore files are
 * advisory; `permissions.deny` is enforced by Claude Code itself. We only add missing rules, never remove any.
 */
import { BtError } from '../errors.js';
import { lineEndingOf, withLineEnding } from './line-endings.js';
import type { MergeChange } from './merge-change.js';

export const CLAUDE_DENY_RULES: readonly string[] = ['Read(./.dlt/secrets.toml)', 'Read(./**/*.secrets.toml)'];

export function mergeClaudeDenyRules(existing: string | undefined, file: string): MergeChange {
  let document: Record<string, unknown> = {};
  try {
    if (existing !== undefined && existing.trim() !== '') document = JSON.parse(existing) as Record<string, unknown>;
  } catch (error) {
    throw unparseable(file, error);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw unparseable(file, undefined);
  const permissions = document['permissions'] ?? {};
  if (typeof permissions !== 'object' || permissions === null || Array.isArray(permissions)) throw unparseable(file, undefined);
  const deny = (permissions as Record<string, unknown>)['deny'] ?? [];
  if (!Array.isArray(deny)) throw unparseable(file, undefined);
  const missing = CLAUDE_DENY_RULES.filter((rule) => !deny.includes(rule));
  if (missing.length === 0) return { kind: 'unchanged' };
  const merged = { ...document, permissions: { ...permissions, deny: [...deny, ...missing] } };
  return { kind: existing === undefined ? 'added' : 'replaced', text: withLineEnding(`${JSON.stringify(merged, null, 2)}\n`, lineEndingOf(existing)) };
}

function unparseable(file: string, cause: unknown): BtError {
  return new BtError('INIT_CONFIG_UNPARSEABLE', `${file} is not a valid Claude Code settings file; it was left unchanged.`, {
    hint: `Fix the JSON of ${file} ("permissions.deny" must be a list) and run init again.`,
    details: { step: 'init', file },
    cause,
  });
}
