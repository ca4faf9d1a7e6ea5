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

/** `{incremental.<name>}` values the extractor fills in. */
export const INCREMENTAL_PLACEHOLDERS = ['last_value', 'start_value', 'initial_value'] as const;

type TemplateField = { path: PathKey[]; value: unknown };

/** The endpoint fields that may hold placeholders, with their paths. */
function templateFields(endpoint: unknown, base: PathKey[]): TemplateField[] {
  if (typeof endpoint === 'string') return [{ path: base, value: endpoint }];
  if (!endpoint || typeof endpoint !== 'object') return [];
  const e = endpoint as Record<string, unknown>;
  return (['path', 'params', 'json', 'headers'] as const).map((key) => ({ path: [...base, key], value: e[key] }));
}

function eachString(value: unknown, path: PathKey[], visit: (text: string, path: PathKey[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => eachString(item, [...path, i], visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) eachString(v, [...path, k], visit);
}

function hasIncremental(resource: unknown): boolean {
  if (!resource || typeof resource !== 'object') return false;
  const r = resource as { incremental?: unknown; endpoint?: unknown };
  return r.incremental !== undefined || (typeof r.endpoint === 'object' && r.endpoint !== null && (r.endpoint as { incremental?: unknown }).incremental !== undefined);
}

/**
 * What the schema cannot see: placeholder names ({incremental.<known>}, {resources.<known parent>.<field>}), one parent
 * per child, the `parent` of custom resources, include_from_parent without a parent, duplicate names — each problem
 * named by its exact path.
 */
function checkTemplates(config: RestApiConfig): string[] {
  const problems: string[] = [];
  const names = config.resources.map((resource) => (typeof resource === 'string' ? resource : resource.name));
  const known = new Set(names);
  const defaultsIncremental = hasIncremental(config.resource_defaults);
  const knownList = (): string => names.join(', ');

  /** Checks the placeholders of one endpoint; returns the parents it references (first occurrence path each). */
  const checkEndpoint = (endpoint: unknown, base: PathKey[], incremental: boolean): Map<string, string> => {
    const parents = new Map<string, string>();
    for (const field of templateFields(endpoint, base)) {
      eachString(field.value, field.path, (text, path) => {
        const where = formatPath(path);
        for (const placeholder of findPlaceholders(text)) {
          const shown = `"{${placeholder.expression}}"`;
          if (placeholder.context === 'incremental') {
            const name = placeholder.segments.join('.');
            if (!(INCREMENTAL_PLACEHOLDERS as readonly string[]).includes(name)) {
              problems.push(`${where}: unknown placeholder ${shown} (use ${INCREMENTAL_PLACEHOLDERS.map((n) => `{incremental.${n}}`).join(', ')})`);
            } else if (!incremental) {
              problems.push(`${where}: placeholder ${shown} needs an incremental config (endpoint.incremental with cursor_path and initial_value)`);
            }
          } else if (placeholder.context === 'resources') {
            const [parent] = placeholder.segments;
            if (placeholder.segments.length < 2 || parent === undefined) {
              problems.push(`${where}: placeholder ${shown} must name a parent resource and a field ({resources.<parent>.<field>})`);
            } else if (!known.has(parent)) {
              problems.push(`${where}: placeholder ${shown} names unknown parent resource "${parent}" (known resources: ${knownList()})`);
            } else if (!parents.has(parent)) {
              parents.set(parent, where);
            }
          } else {
            problems.push(`${where}: unknown placeholder ${shown} (use {resources.<parent>.<field>} or {incremental.last_value})`);
          }
        }
      });
    }
    return parents;
  };

  if (config.resource_defaults?.endpoint !== undefined) {
    checkEndpoint(config.resource_defaults.endpoint, ['resource_defaults', 'endpoint'], defaultsIncremental);
  }
  config.resources.forEach((resource, index) => {
    if (typeof resource === 'string') return;
    const base: PathKey[] = ['resources', index];
    const parents = checkEndpoint(resource.endpoint, [...base, 'endpoint'], defaultsIncremental || hasIncremental(resource));
    if (parents.size > 1) {
      const listed = [...parents].map(([name, where]) => `"${name}" (${where})`).join(', ');
      problems.push(`${formatPath([...base, 'endpoint'])}: resource "${resource.name}" depends on multiple parent resources ${listed}; a child resource may reference one parent only`);
    }
    if (resource.parent !== undefined && !known.has(resource.parent)) {
      problems.push(`${formatPath([...base, 'parent'])}: unknown parent resource "${resource.parent}" (known resources: ${knownList()})`);
    }
    if ((resource.include_from_parent?.length ?? 0) > 0 && parents.size === 0 && resource.parent === undefined) {
      problems.push(`${formatPath([...base, 'include_from_parent'])}: resource "${resource.name}" has no parent (reference it with {resources.<parent>.<field>} in endpoint.path or params)`);
    }
  });
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (seen.has(name)) problems.push(`${formatPath(['resources', index, 'name'])}: duplicate resource name "${name}"`);
    seen.add(name);
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
