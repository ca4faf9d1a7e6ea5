/**
 * `restApiSource(config)`: the TypeScript counterpart of dlt's `rest_api_source`. Resources stream page by page;
 * children run per parent record with bounded concurrency; incremental cursors come from and go to state;
 * sensitive fields never leave; the auth session is closed exactly once when iteration ends, after every request
 * in flight has settled.
 */
import { BtError } from '../errors.js';
import type { HttpClientOptions } from '../http/client.js';
import type { HttpClientLike } from '../http/types.js';
import type { Logger } from '../log.js';
import { parseRestApiConfig } from './config/parse.js';
import { resolveResources, toResourceInfo } from './config/resolve.js';
import type { RestApiConfig } from './config/types.js';
import { RestExtractRun, type SourceDefinition } from './extract-run.js';
import type { ExtractOptions, ExtractRun, ResourceInfo, Source } from './types.js';

export interface RestApiSourceOptions {
  /** Source (schema) name; default "rest_api". */
  name?: string;
  /** A shared HTTP client (not closed by the source). Without it each extract creates and closes its own. */
  http?: HttpClientLike;
  /** Options for the HTTP client the source creates (ignored with `http`). */
  httpOptions?: HttpClientOptions;
  logger?: Logger;
  /** Parallel requests: offset-page prefetch depth and child fan-out (default 4). */
  concurrency?: number;
  /** Clock (ms) read when an extract run starts: the upper end sent in incremental `end_param`s. Default Date.now. */
  now?: () => number;
}

export function unknownResourceError(names: string[], valid: string[]): BtError {
  return new BtError('UNKNOWN_RESOURCE', `Unknown resource${names.length > 1 ? 's' : ''}: ${names.join(', ')}. Valid names: ${valid.join(', ')}.`, {
    hint: `Use one of: ${valid.join(', ')}.`,
    details: { step: 'config', unknown: names, valid },
  });
}

class RestApiSource implements Source {
  readonly #def: SourceDefinition;
  readonly #selected: ReadonlySet<string>;

  constructor(def: SourceDefinition, selected: ReadonlySet<string>) {
    this.#def = def;
    this.#selected = selected;
  }

  get name(): string {
    return this.#def.name;
  }

  get resources(): ResourceInfo[] {
    return this.#def.resources.map((r) => ({ ...toResourceInfo(r), selected: this.#selected.has(r.name) }));
  }

  withResources(names: string[]): Source {
    const valid = this.#def.resources.map((r) => r.name);
    const unknown = names.filter((n) => !valid.includes(n));
    if (unknown.length > 0) throw unknownResourceError(unknown, valid);
    return new RestApiSource(this.#def, new Set(names));
  }

  extract(options: ExtractOptions): ExtractRun {
    return new RestExtractRun(this.#def, this.#selected, options);
  }
}

export function restApiSource(config: RestApiConfig | unknown, options: RestApiSourceOptions = {}): Source {
  const parsed = parseRestApiConfig(config);
  const resources = resolveResources(parsed);
  const selected = new Set(resources.filter((r) => r.selected).map((r) => r.name));
  return new RestApiSource({ name: options.name ?? 'rest_api', config: parsed, resources, options }, selected);
}
