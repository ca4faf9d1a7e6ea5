/**
 * One extraction of a REST source: walks the selected resources (and the parents they need) depth-first, page by
 * page; children run per parent record with bounded concurrency. Signs out (auth.close) exactly once at the end,
 * after every request in flight has settled — whether the run finished, failed or the consumer stopped early.
 *
 * Dev limit: at most `devLimit` pages per resource, counted over all its parents (one PageBudget per resource). A
 * resource cut short by it — or whose parent was — keeps its previous incremental state: a partial read says nothing
 * about what the next run may skip (UserAudits come newest first).
 */
import { BtError, isAbortError, toBtError } from '../errors.js';
import { createHttpClient } from '../http/client.js';
import { silentLogger, type Logger } from '../log.js';
import { createAuth } from './auth/index.js';
import type { ResolvedResource } from './config/resolve.js';
import type { RestApiConfig } from './config/types.js';
import { buildEndpointRequest, endpointPageOptions, includeFromParent } from './endpoint-request.js';
import { IncrementalTracker } from './incremental.js';
import { mergeBounded } from './merge-bounded.js';
import { PageBudget } from './page-budget.js';
import { paginate } from './paginate.js';
import { AutoPaginator } from './paginators/index.js';
import type { RestApiSourceOptions } from './rest-api-source.js';
import { RestClient } from './rest-client.js';
import { RunKeyDedupe } from './run-dedupe.js';
import { removeSensitiveFields } from './sensitive.js';
import type { ExtractEvent, ExtractOptions, ExtractRun, ExtractedPage, SourceState } from './types.js';

export interface SourceDefinition {
  name: string;
  config: RestApiConfig;
  resources: ResolvedResource[];
  options: RestApiSourceOptions;
}

interface Progress {
  pages: number;
  items: number;
  tracker?: IncrementalTracker;
  /** The dev limit of this resource, shared by all its request sequences. */
  budget?: PageBudget;
  /** Append resources with a primary key: keys emitted in this run. */
  dedupe?: RunKeyDedupe;
  warned: Set<string>;
}

export class RestExtractRun implements ExtractRun {
  readonly #def: SourceDefinition;
  readonly #selected: ReadonlySet<string>;
  readonly #options: ExtractOptions;
  readonly #controller = new AbortController();
  readonly #logger: Logger;
  readonly #concurrency: number;
  readonly #byName: Map<string, ResolvedResource>;
  readonly #needed: Set<string>;
  readonly #progress = new Map<string, Progress>();
  #state: SourceState;
  #started = false;
  /** Set when iteration starts: the upper end of incremental windows (`end_param`). */
  #startedAtMs: number | undefined;
  /** The first failure of a child request sequence; its siblings then fail as CANCELLED, which must not mask it. */
  #failure: unknown;

  constructor(def: SourceDefinition, selected: ReadonlySet<string>, options: ExtractOptions) {
    this.#def = def;
    this.#selected = selected;
    this.#options = options;
    this.#logger = def.options.logger ?? silentLogger;
    this.#concurrency = Math.max(1, def.options.concurrency ?? 4);
    this.#byName = new Map(def.resources.map((r) => [r.name, r]));
    this.#state = { ...options.state };
    this.#needed = new Set();
    for (const name of selected) {
      for (let r = this.#byName.get(name); r && !this.#needed.has(r.name); r = r.parent ? this.#byName.get(r.parent) : undefined) {
        this.#needed.add(r.name);
      }
    }
  }

  get state(): SourceState {
    return this.#state;
  }

  [Symbol.asyncIterator](): AsyncIterator<ExtractedPage> {
    if (this.#started) {
      throw new BtError('EXTRACT_ALREADY_STARTED', `Source "${this.#def.name}": this extract run was already iterated.`, {
        hint: 'Call source.extract(options) again for a new run.',
      });
    }
    this.#started = true;
    const generator = this.#run();
    const controller = this.#controller;
    return {
      next: () => generator.next(),
      // Stopping early aborts requests in flight first, so cleanup (and sign-out) does not wait for them.
      return: async (value?: unknown) => {
        controller.abort(new BtError('CANCELLED', 'The consumer stopped the extraction early.'));
        return generator.return(value as undefined);
      },
      throw: async (error?: unknown) => {
        controller.abort(new BtError('CANCELLED', 'The extraction was stopped by an error in the consumer.'));
        return generator.throw(error);
      },
    };
  }

  #emit(event: ExtractEvent): void {
    try {
      this.#options.onEvent?.(event);
    } catch (error) {
      this.#logger.warn('onEvent handler failed', { code: toBtError(error).code });
    }
  }

  #warnOnce(resource: string, key: string, message: string): void {
    const progress = this.#progressOf(this.#byName.get(resource) as ResolvedResource);
    if (progress.warned.has(key)) return;
    progress.warned.add(key);
    this.#logger.warn(message, { resource });
    this.#emit({ type: 'warning', resource, message });
  }

  #progressOf(resource: ResolvedResource): Progress {
    let progress = this.#progress.get(resource.name);
    if (!progress) {
      progress = { pages: 0, items: 0, warned: new Set() };
      if (resource.incremental) {
        progress.tracker = new IncrementalTracker(resource.incremental, this.#options.state[resource.name], resource.primary_key, {
          ...(this.#startedAtMs !== undefined ? { runStartedAtMs: this.#startedAtMs } : {}),
        });
      }
      if (this.#options.devLimit !== undefined) progress.budget = new PageBudget(this.#options.devLimit);
      if (resource.write_disposition === 'append' && resource.primary_key.length > 0) progress.dedupe = new RunKeyDedupe(resource.primary_key);
      this.#progress.set(resource.name, progress);
    }
    return progress;
  }

  /** Whether the dev limit left data of this resource unread — its own pages, or its parent's. */
  #cutShort(name: string): boolean {
    for (let r = this.#byName.get(name); r; r = r.parent === undefined ? undefined : this.#byName.get(r.parent)) {
      if (this.#progress.get(r.name)?.budget?.hit) return true;
    }
    return false;
  }

  #children(resource: ResolvedResource): ResolvedResource[] {
    return this.#def.resources.filter((r) => r.parent === resource.name && this.#needed.has(r.name));
  }

  async *#run(): AsyncGenerator<ExtractedPage> {
    this.#startedAtMs = (this.#def.options.now ?? Date.now)();
    const userSignal = this.#options.signal;
    const onUserAbort = (): void => this.#controller.abort(userSignal?.reason);
    if (userSignal?.aborted) onUserAbort();
    userSignal?.addEventListener('abort', onUserAbort, { once: true });
    const ownsHttp = !this.#def.options.http;
    const http =
      this.#def.options.http ??
      createHttpClient({
        ...this.#def.options.httpOptions,
        logger: this.#def.options.httpOptions?.logger ?? this.#logger,
        onRetry: (retry) => {
          this.#def.options.httpOptions?.onRetry?.(retry);
          this.#emit({ type: 'retry', retry });
        },
      });
    let client: RestClient | undefined;
    try {
      client = new RestClient({
        baseUrl: this.#def.config.client.base_url,
        http,
        ...(this.#def.config.client.headers ? { headers: this.#def.config.client.headers } : {}),
        onReauth: (endpoint) => this.#emit({ type: 'reauth', endpoint }),
        ...withAuth(createAuth(this.#def.config.client.auth)),
      });
      for (const root of this.#def.resources) {
        if (root.parent !== undefined || !this.#needed.has(root.name)) continue;
        yield* this.#resourcePages(client, root, undefined);
        this.#finish(root);
      }
      const next: SourceState = { ...this.#options.state };
      for (const [name, progress] of this.#progress) {
        if (!progress.tracker) continue;
        if (this.#cutShort(name)) {
          this.#logger.info('dev limit reached: incremental state kept as it was', { resource: name });
          continue;
        }
        next[name] = { ...next[name], incremental: progress.tracker.state() };
      }
      this.#state = next;
    } catch (error) {
      if (userSignal?.aborted && (isAbortError(error) || (error instanceof BtError && error.code === 'CANCELLED'))) {
        throw new BtError('CANCELLED', `Extraction of source "${this.#def.name}" was cancelled.`, { details: { step: 'extract' }, cause: error });
      }
      throw toBtError(this.#failure ?? error, 'EXTRACT_FAILED', { step: 'extract' });
    } finally {
      userSignal?.removeEventListener('abort', onUserAbort);
      if (!this.#controller.signal.aborted) this.#controller.abort();
      if (client) {
        await client.settled();
        try {
          await client.auth?.close?.(http);
        } catch (error) {
          this.#logger.warn('Closing the API session failed', { code: toBtError(error).code });
        }
      }
      if (ownsHttp) await http.close().catch(() => undefined);
    }
  }

  #abortOnFailure(error: unknown): void {
    this.#failure ??= error;
    this.#controller.abort(this.#failure);
  }

  #finish(resource: ResolvedResource): void {
    for (const child of this.#children(resource)) this.#finish(child);
    const progress = this.#progressOf(resource);
    if (progress.tracker && progress.tracker.missingCursor > 0) {
      this.#warnOnce(resource.name, 'missing-cursor', `${progress.tracker.missingCursor} record(s) of "${resource.name}" had no "${progress.tracker.spec.cursor_path}" value; they were kept.`);
    }
    if (progress.dedupe && progress.dedupe.dropped > 0) {
      this.#warnOnce(
        resource.name,
        'duplicates',
        `${progress.dedupe.dropped} record(s) of "${resource.name}" repeated a ${resource.primary_key.join(', ')} already loaded in this run (the API's pages shifted while it was read); the repeats were dropped.`,
      );
    }
    if (progress.dedupe?.saturated) {
      this.#warnOnce(resource.name, 'duplicates-cap', `Resource "${resource.name}": too many keys to remember; later repeats within this run may not be dropped.`);
    }
    if (this.#selected.has(resource.name)) {
      this.#emit({ type: 'resource_done', resource: resource.name, pages: progress.pages, items: progress.items });
    }
  }

  async *#resourcePages(client: RestClient, resource: ResolvedResource, parent: Record<string, unknown> | undefined): AsyncGenerator<ExtractedPage> {
    const progress = this.#progressOf(resource);
    const signal = this.#controller.signal;
    const budget = progress.budget;
    if (resource.generate) {
      const batches = resource.generate({
        client,
        signal,
        emit: (event) => this.#emit(event),
        ...(parent ? { parent } : {}),
      })[Symbol.asyncIterator]();
      try {
        for (;;) {
          // A batch is reserved before it is asked for; the generator's end gives the reservation back.
          if (budget && !budget.take()) return;
          const batch = await batches.next();
          if (batch.done) {
            budget?.giveBack();
            return;
          }
          yield* this.#emitRecords(client, resource, batch.value, resource.name, parent);
        }
      } finally {
        await batches.return?.();
      }
    }
    const endpoint = resource.endpoint;
    if (!endpoint) return;
    const built = buildEndpointRequest({ ...resource, endpoint }, parent, progress.tracker);
    const paginator = built.paginator;
    const pages = paginate({
      client,
      ...endpointPageOptions({ ...resource, endpoint }, built),
      ...(budget ? { budget } : {}),
      primaryKey: resource.primary_key,
      // Children already run in parallel across parents; prefetch only top-level sequences.
      prefetch: parent ? 1 : this.#concurrency,
      signal,
    });
    for await (const page of pages) {
      if (page.warning) this.#warnOnce(resource.name, 'selector', `Resource "${resource.name}": ${page.warning}.`);
      yield* this.#emitRecords(client, resource, page.records, page.endpoint, parent);
    }
    if (paginator instanceof AutoPaginator && paginator.fallbackUsed) {
      this.#warnOnce(resource.name, 'auto-paginator', `Resource "${resource.name}": no paginator configured and none detected; only the first page was read. Configure endpoint.paginator.`);
    }
  }

  async *#emitRecords(
    client: RestClient,
    resource: ResolvedResource,
    records: Record<string, unknown>[],
    endpoint: string,
    parent: Record<string, unknown> | undefined,
  ): AsyncGenerator<ExtractedPage> {
    const progress = this.#progressOf(resource);
    includeFromParent(resource, records, parent);
    const fresh = progress.tracker ? progress.tracker.filter(records) : records;
    const kept = progress.dedupe ? progress.dedupe.filter(fresh) : fresh;
    removeSensitiveFields(kept, resource.sensitive_fields);
    const children = this.#children(resource);
    // Children read the parent records after the consumer had the page: give them their own shallow copies.
    const parentItems = children.length > 0 ? kept.map((record) => ({ ...record })) : [];
    if (this.#selected.has(resource.name) && kept.length > 0) {
      progress.pages += 1;
      progress.items += kept.length;
      this.#emit({ type: 'page', resource: resource.name, page: progress.pages, items: kept.length, endpoint });
      this.#logger.debug('page', { resource: resource.name, page: progress.pages, items: kept.length, endpoint });
      yield { resource: resource.name, table_name: resource.table_name, items: kept, page: progress.pages };
    }
    for (const child of children) {
      const budget = this.#progressOf(child).budget;
      const streams = (function* (run: RestExtractRun): Generator<AsyncIterable<ExtractedPage>> {
        for (const item of parentItems) {
          // The child's pages are used up: leave the remaining parents out (and remember the child was cut short).
          if (budget?.exhausted) {
            budget.markHit();
            return;
          }
          yield run.#resourcePages(client, child, item);
        }
      })(this);
      // A failing child aborts its siblings' requests at once; mergeBounded then waits for them to settle.
      yield* mergeBounded(streams, this.#concurrency, { onError: (error) => this.#abortOnFailure(error) });
    }
  }
}

function withAuth(auth: ReturnType<typeof createAuth>): { auth?: NonNullable<ReturnType<typeof createAuth>> } {
  return auth ? { auth } : {};
}
