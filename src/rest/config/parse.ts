/**
 * `parseRestApiConfig`: validates a REST source config and reports the first problems by exact path, e.g.
 * `resources[2].endpoint.paginator.limit: expected a number`. String secrets in `auth` become `Secret`s.
 */
import type { z } from 'zod';
import { BtError } from '../../errors.js';
import { findPlaceholders } from '../placeholders.js';
import { restApiConfigSchema } from './schema.js';
import type { RestApiConfig } from './types.js';

type Issue = z.core.$ZodIssue;
type PathKey = PropertyKey;

export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      out += /^[A-Za-z_][\w]*$/.test(name) ? `${out ? '.' : ''}${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return out || '(root)';
}

function issueDepth(issue: Issue): number {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    return issue.path.length + Math.max(...issue.errors.map((branch) => Math.max(...branch.map(issueDepth))));
  }
  return issue.path.length;
}

/** Replaces union failures by the issues of the branch that got furthest (the one the author meant). */
function flattenIssues(issues: readonly Issue[], prefix: readonly PathKey[] = []): { path: PathKey[]; issue: Issue }[] {
  const out: { path: PathKey[]; issue: Issue }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      let best = issue.errors[0] ?? [];
      let bestDepth = -1;
      for (const branch of issue.errors) {
        const depth = Math.max(...branch.map(issueDepth));
        if (depth > bestDepth) {
          best = branch;
          bestDepth = depth;
        }
      }
      out.push(...flattenIssues(best, path));
    } else {
      out.push({ path, issue });
    }
  }
  return out;
}

function describeIssue(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type': {
      const article = /^[aeiou]/.test(issue.expected) ? 'an' : 'a';
      const received = /received (\w+)/.exec(issue.message)?.[1];
      return received === 'undefined'
        ? `required (expected ${article} ${issue.expected})`
        : `expected ${article} ${issue.expected}${received ? ` (received ${received})` : ''}`;
    }
    case 'unrecognized_keys':
      return `unexpected field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return issue.message.replace(/^Invalid input:?\s*/, '') || 'invalid value';
    default:
      return issue.message.replace(/^Invalid input:?\s*/, '') || 'invalid value';
  }
}

/** dlt masks auth values in validation errors as first char + ***** + last char. */
function maskAuthValues(text: string, input: unknown): string {
  const auth = (input as { client?: { auth?: unknown } } | undefined)?.client?.auth;
  if (!auth || typeof auth !== 'object') return text;
  let out = text;
  for (const value of Object.values(auth)) {
    if (typeof value !== 'string' || value.length < 2 || ['type', 'location'].includes(value)) continue;
    if (out.includes(value)) out = out.split(value).join(`${value[0]}*****${value[value.length - 1]}`);
  }
  return out;
}

function configError(problems: string[], input: unknown): BtError {
  const shown = problems.slice(0, 5);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
  return new BtError('CONFIG_INVALID', maskAuthValues(`Invalid REST source config: ${shown.join('; ')}${more}.`, input), {
    hint: 'Fix the fields named above. Query params belong in endpoint.params, paging in endpoint.paginator, and every resource needs a name.',
    details: { step: 'config', problems: shown.map((p) => maskAuthValues(p, input)) },
  });
}

function checkTemplates(config: RestApiConfig): string[] {
  const problems: string[] = [];
  const check = (value: unknown, path: PathKey[]): void => {
    if (typeof value === 'string') {
      for (const placeholder of findPlaceholders(value)) {
        if (placeholder.context !== 'resources' && placeholder.context !== 'incremental') {
          problems.push(`${formatPath(path)}: unknown placeholder "{${placeholder.expression}}" (use {resources.<parent>.<field>} or {incremental.last_value})`);
        } else if (placeholder.context === 'resources' && placeholder.segments.length < 2) {
          problems.push(`${formatPath(path)}: placeholder "{${placeholder.expression}}" must name a parent resource and a field`);
        }
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => check(item, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) check(v, [...path, k]);
  };
  config.resources.forEach((resource, index) => {
    if (typeof resource === 'string' || !resource.endpoint || typeof resource.endpoint === 'string') {
      if (typeof resource !== 'string' && typeof resource.endpoint === 'string') check(resource.endpoint, ['resources', index, 'endpoint']);
      return;
    }
    const { path, params, json, headers } = resource.endpoint;
    check(path, ['resources', index, 'endpoint', 'path']);
    check(params, ['resources', index, 'endpoint', 'params']);
    check(json, ['resources', index, 'endpoint', 'json']);
    check(headers, ['resources', index, 'endpoint', 'headers']);
  });
  const names = new Set<string>();
  config.resources.forEach((resource, index) => {
    const name = typeof resource === 'string' ? resource : resource.name;
    if (names.has(name)) problems.push(`${formatPath(['resources', index, 'name'])}: duplicate resource name "${name}"`);
    names.add(name);
  });
  return problems;
}

export function parseRestApiConfig(input: unknown): RestApiConfig {
  const result = restApiConfigSchema.safeParse(input);
  if (!result.success) {
    const problems = flattenIssues(result.error.issues).map(({ path, issue }) => `${formatPath(path)}: ${describeIssue(issue)}`);
    throw configError(problems, input);
  }
  const config = result.data as unknown as RestApiConfig;
  const problems = checkTemplates(config);
  if (problems.length > 0) throw configError(problems, input);
  return config;
}
