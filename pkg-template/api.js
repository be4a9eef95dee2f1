// The package's functions and AtlasClient, on top of the WebAssembly module's `start`, `watch`,
// `check` and `Client`. Each call is a walk through a listing (of one page, for `listExportJobs`),
// whose pages are fetched and taken in the order it says (js/pages.js), or a watch, which the full
// module runs. Both entries (browser.js, node.mjs) build the API here, each loading the module its own way.

import { isPageRelative, POLL_END as END, SECRET_AUTH_TYPES, WALK_MODES } from "./facts.js";
import { pages } from "./snippets.js";

// What a walk serves, as the core names it.
const { page: PAGE, iterate: ITERATE, all: ALL } = WALK_MODES;

async function firstPage(walk) {
  for await (const page of pages(walk, END)) return page;
  return undefined;
}

async function allJobs(walk) {
  const jobs = [];
  for await (const page of pages(walk, END)) {
    for (const job of page.results) jobs.push(job);
  }
  return jobs;
}

/**
 * A watch's events: each loop starts it again, with a first round of `added`. `first` is the
 * watch made when the call was (its arguments checked then), which the first loop follows.
 */
function watchable(first, start) {
  let made = first;
  return {
    async *[Symbol.asyncIterator]() {
      const events = made ?? (await start());
      made = undefined;
      yield* events;
    },
  };
}

/** The jobs of a listing (and its `pages()`); every loop walks it from its first page again. */
function iterable(template) {
  const loop = () => ({
    async *[Symbol.asyncIterator]() {
      yield* pages((await template()).restart(), END);
    },
  });
  return {
    pages: loop,
    async *[Symbol.asyncIterator]() {
      for await (const page of loop()) yield* page.results;
    },
  };
}

/** `options.module` of `ready(options)`, read once; an options object that cannot be read is refused. */
export function moduleOption(options, AtlasError) {
  try {
    return options?.module;
  } catch (cause) {
    throw new AtlasError("validation", "options.module could not be read: a getter or a Proxy trap threw (that error is the cause)", { field: "module", cause });
  }
}

/**
 * Options (read already, by `copy`) with a relative `baseUrl` resolved against the page or worker
 * that runs the code. Where there is none (server rendering, Node), it stays relative, and the
 * module refuses it at the call with a validation error that says why.
 */
function onPage(options) {
  const base = options?.baseUrl;
  if (!isPageRelative(base)) return options;
  try {
    const page = globalThis.location?.href;
    if (typeof page === "string") options.baseUrl = new URL(base, page).href;
  } catch {
    // No page to read, or one no URL resolves against: the module refuses the relative URL.
  }
  return options;
}

/** Whether a client's options (read already, by `copy`) name a scheme only the full module has. */
function needsFull(options) {
  const auth = options?.auth;
  return SECRET_AUTH_TYPES.includes(auth?.type) && auth.allowInBrowser === true;
}

/**
 * The API over a module that `load(full)` resolves to and `loaded(full)` returns once it has
 * loaded (`full`: with service accounts and API keys). `copy` reads a caller's argument once into
 * plain data (src/js/snapshot.js): an argument looked at here, or used after an await, is the
 * copy, so no getter or Proxy trap of the caller's runs twice or late.
 */
export function makeApi(load, loaded, copy) {
  /** A listing's walk once the module is there: made now when it already is, so arguments are checked at once. */
  function later(made) {
    let walk;
    return () => (walk ??= made());
  }

  class AtlasClient {
    #options;
    #full;
    #client;
    #watcher;

    constructor(options) {
      this.#options = onPage(copy(options));
      this.#full = needsFull(this.#options);
      const module = loaded(this.#full);
      if (module) this.#client = new module.Client(this.#options);
    }

    async #ready() {
      const module = await load(this.#full);
      return (this.#client ??= new module.Client(this.#options));
    }

    async listExportJobs(params, callOptions) {
      const [p, o] = [copy(params), copy(callOptions)];
      return firstPage((await this.#ready()).start(p, o, PAGE));
    }

    iterateExportJobs(params, callOptions) {
      if (this.#client) {
        const walk = this.#client.start(params, callOptions, ITERATE);
        return iterable(async () => walk);
      }
      const [p, o] = [copy(params), copy(callOptions)];
      return iterable(later(async () => (await this.#ready()).start(p, o, ITERATE)));
    }

    async listAllExportJobs(params, callOptions) {
      const [p, o] = [copy(params), copy(callOptions)];
      return allJobs((await this.#ready()).start(p, o, ALL));
    }

    /**
     * The client that runs watches: only the full module has them, so a client made on the lean
     * one gets a second, on the full one, with the same options.
     */
    async #watching() {
      const module = await load(true);
      const client = await this.#ready();
      return client instanceof module.Client ? client : (this.#watcher ??= new module.Client(this.#options));
    }

    watchExportJobs(params, callOptions) {
      const [p, o] = [copy(params), copy(callOptions)];
      // Checked now when the client is on the full module.
      const full = loaded(true);
      const first = full && this.#client instanceof full.Client ? this.#client.watch(p, o, undefined) : undefined;
      return watchable(first, async () => (await this.#watching()).watch(p, o, undefined));
    }

    async waitForExportJob(params, exportJobId, callOptions) {
      const [p, o, job] = [copy(params), copy(callOptions), copy({ exportJobId })];
      return (await this.#watching()).watch(p, o, job);
    }

    async close() {
      await Promise.all([this.#client?.close(), this.#watcher?.close()]);
    }
  }

  return {
    AtlasClient,
    async listExportJobs(params, options) {
      const [p, o] = [copy(params), onPage(copy(options))];
      return firstPage((await load(false)).start(p, o, PAGE));
    },
    async listAllExportJobs(params, options) {
      const [p, o] = [copy(params), onPage(copy(options))];
      return allJobs((await load(false)).start(p, o, ALL));
    },
    iterateExportJobs(params, options) {
      const module = loaded(false);
      const [p, o] = [copy(params), onPage(copy(options))];
      if (module) {
        const walk = module.start(p, o, ITERATE);
        return iterable(async () => walk);
      }
      return iterable(later(async () => (await load(false)).start(p, o, ITERATE)));
    },
    // Only the full module has watches: a page that lists alone never loads it.
    watchExportJobs(params, options) {
      const [p, o] = [copy(params), onPage(copy(options))];
      // Checked now when the module is there.
      return watchable(loaded(true)?.watch(p, o, undefined), async () => (await load(true)).watch(p, o, undefined));
    },
    async waitForExportJob(params, exportJobId, options) {
      const [p, o, job] = [copy(params), onPage(copy(options)), copy({ exportJobId })];
      return (await load(true)).watch(p, o, job);
    },
    checkListExportJobs(params, options) {
      const module = loaded(false);
      if (!module) throw new Error("atlas-export-jobs: call `await ready()` before checkListExportJobs in a browser");
      return module.check(copy(params), onPage(copy(options)));
    },
    async ready() {
      await load(false);
    },
  };
}
