/** Case-insensitive route matching on path segments below the base path. */
import type { RouteDefinition } from './context.js';

interface CompiledRoute {
  definition: RouteDefinition;
  /** Lower-case literal segments; undefined marks a parameter. */
  segments: Array<string | undefined>;
  label: string;
}

export type RouteMatch =
  | { kind: 'found'; route: RouteDefinition; label: string; params: string[] }
  | { kind: 'method-not-allowed'; label: string }
  | { kind: 'not-found' };

export class Router {
  readonly #routes: CompiledRoute[];

  constructor(definitions: readonly RouteDefinition[]) {
    this.#routes = definitions.map((definition) => ({
      definition,
      segments: definition.template.split('/').map((s) => (s.startsWith('{') ? undefined : s.toLowerCase())),
      label: `${definition.method} ${definition.template}`,
    }));
  }

  match(method: string, segments: readonly string[]): RouteMatch {
    let pathLabel: string | undefined;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.definition.method === method) return { kind: 'found', route: route.definition, label: route.label, params };
      pathLabel ??= `${method} ${route.definition.template}`;
    }
    return pathLabel ? { kind: 'method-not-allowed', label: pathLabel } : { kind: 'not-found' };
  }
}

function matchSegments(template: ReadonlyArray<string | undefined>, segments: readonly string[]): string[] | undefined {
  if (template.length !== segments.length) return undefined;
  const params: string[] = [];
  for (let i = 0; i < template.length; i++) {
    const literal = template[i];
    const segment = segments[i] as string;
    if (literal === undefined) {
      if (segment === '') return undefined;
      params.push(segment);
    } else if (literal !== segment.toLowerCase()) {
      return undefined;
    }
  }
  return params;
}

const BASE_PATHS = ['/beyondtrust/api/public/v3', '/eeye.retinacs.server/api/public/v3'];

export const BASE_PATH = '/BeyondTrust/api/public/v3';

/** Path segments below the base path (URL-decoded), or undefined when the path is outside it. */
export function pathSegments(pathname: string): string[] | undefined {
  const lower = pathname.toLowerCase();
  const base = BASE_PATHS.find((b) => lower === b || lower.startsWith(`${b}/`));
  if (base === undefined) return undefined;
  const rest = pathname.slice(base.length).replace(/^\/+|\/+$/g, '');
  if (rest === '') return [];
  try {
    return rest.split('/').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}
