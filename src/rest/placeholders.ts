/**
 * `{resources.<parent>.<field>}` and `{incremental.<value>}` placeholders in paths, params, JSON bodies and
 * headers (dlt syntax). `{{` and `}}` are literal braces.
 */
import { BtError } from '../errors.js';
import { getPath } from './json-path.js';

export interface Placeholder {
  /** Text between the braces, e.g. "resources.workgroups.ID". */
  expression: string;
  /** First segment: "resources" or "incremental" (anything else is rejected by config validation). */
  context: string;
  /** Remaining segments, e.g. ["workgroups", "ID"]. */
  segments: string[];
}

const PLACEHOLDER = /\{\{|\}\}|\{([^{}]+)\}/g;

export function findPlaceholders(template: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const expression = match[1]?.trim();
    if (!expression) continue;
    const [context = '', ...segments] = expression.split('.');
    found.push({ expression, context, segments });
  }
  return found;
}

/** Parent resource names referenced by `{resources.<parent>.…}` placeholders. */
export function referencedParents(template: string): string[] {
  return findPlaceholders(template)
    .filter((p) => p.context === 'resources' && p.segments.length >= 2)
    .map((p) => p.segments[0] as string);
}

export interface PlaceholderContext {
  /** The parent record for `{resources.<parent>.<field>}`. */
  parent?: { resource: string; item: Record<string, unknown> };
  /** Values for `{incremental.last_value}`, `{incremental.start_value}`, `{incremental.initial_value}`. */
  incremental?: Record<string, unknown>;
  /** The resource being resolved (for error messages). */
  resource: string;
}

function lookup(placeholder: Placeholder, context: PlaceholderContext): unknown {
  if (placeholder.context === 'incremental') {
    const key = placeholder.segments.join('.');
    const value = context.incremental?.[key];
    if (value === undefined) {
      throw new BtError('PLACEHOLDER_UNRESOLVED', `Resource "${context.resource}": {${placeholder.expression}} has no value.`, {
        hint: 'Configure endpoint.incremental (cursor_path, initial_value) when using {incremental.*} placeholders.',
        details: { step: 'extract' },
      });
    }
    return value;
  }
  const [parentName, ...fieldPath] = placeholder.segments;
  const parent = context.parent;
  if (!parent || parent.resource !== parentName) {
    throw new BtError('PLACEHOLDER_UNRESOLVED', `Resource "${context.resource}": {${placeholder.expression}} names a resource that is not its parent.`, {
      hint: 'A child resource may depend on exactly one parent; use that parent in every placeholder.',
      details: { step: 'extract' },
    });
  }
  const field = fieldPath.join('.');
  const value = getPath(parent.item, field);
  if (value === undefined || value === null) {
    const available = Object.keys(parent.item).slice(0, 40).join(', ');
    throw new BtError(
      'PARENT_FIELD_MISSING',
      `Resource "${context.resource}": parent "${parent.resource}" record has no field "${field}". Available fields: ${available || '(none)'}.`,
      { hint: `Use one of the available fields of "${parent.resource}" in {resources.${parent.resource}.<field>}.`, details: { step: 'extract' } },
    );
  }
  return value;
}

function stringify(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Fills every placeholder in `template`. `encode` URL-encodes substituted values (for paths). */
export function renderTemplate(template: string, context: PlaceholderContext, encode = false): string {
  if (!template.includes('{') && !template.includes('}')) return template;
  return template.replace(PLACEHOLDER, (match, expression: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const trimmed = (expression ?? '').trim();
    const [ctx = '', ...segments] = trimmed.split('.');
    const text = stringify(lookup({ expression: trimmed, context: ctx, segments }, context));
    return encode ? encodeURIComponent(text) : text;
  });
}

/** Renders every string in a JSON value; a string that is exactly one placeholder keeps the raw value's type. */
export function renderJson(value: unknown, context: PlaceholderContext): unknown {
  if (typeof value === 'string') {
    const exact = /^\{([^{}]+)\}$/.exec(value);
    if (exact?.[1]) {
      const expression = exact[1].trim();
      const [ctx = '', ...segments] = expression.split('.');
      return lookup({ expression, context: ctx, segments }, context);
    }
    return renderTemplate(value, context);
  }
  if (Array.isArray(value)) return value.map((item) => renderJson(item, context));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, context)]));
  }
  return value;
}

export function hasPlaceholders(value: unknown): boolean {
  if (typeof value === 'string') return findPlaceholders(value).length > 0;
  if (Array.isArray(value)) return value.some(hasPlaceholders);
  if (value && typeof value === 'object') return Object.values(value).some(hasPlaceholders);
  return false;
}
