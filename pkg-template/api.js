// The package's functions and AtlasClient, on top of the WebAssembly module's `start`, `check`
// and `Client`. Each call is a walk through a listing (of one page, for `listExportJobs`): the
// module says which page to fetch next and what each one means; this only fetches them in the
// order it says and takes them in page order. Both entries (browser.js, node.mjs) build the API
// here, each loading the module its own way.

import { isPageRelative, POLL_END as END, SECRET_AUTH_TYPES, WALK_MODES, WATCH_EVENTS, WATCH_STEPS } from "./facts.js";
import { responseInfo } from "./snippets.js";

// What a walk serves, and what its `poll()` answers at the end (otherwise a page to fetch, or
// minus the page to wait for), as the core names them.
const { page: PAGE, iterate: ITERATE, all: ALL } = WALK_MODES;

/**
 * The pages of a walk, in order, fetched as far ahead as the walk says. Frees it at the end, however
 * the loop ends (`break`, `return`, a throw, a rejection): that aborts every request and wait it
 * started, the pages fetched ahead included. An iterator dropped unfinished does the same when it
 * is garbage-collected, through the walk's finalizer.
 */
async function* pages(walk) {
  const fetching = new Map();
  try {
    for (;;) {
      const step = walk.poll();
      if (step === END) return;
      if (step > 0) {
        fetching.set(step, walk.fetch(step));
        continue;
      }
      const call = await fetching.get(-step);
      fetching.delete(-step);
      yield walk.take(call);
    }
  } finally {
    walk.free();
  }
}

async function firstPage(walk) {
  for await (const page of pages(walk)) return page;
  return undefined;
}

async function allJobs(walk) {
  const jobs = [];
  for await (const page of pages(walk)) {
    for (const job of page.results) jobs.push(job);
  }
  return jobs;
}

// What a watch's `poll()` answers besides a wait in ms: list now, await the round, the end.
const { list: LIST, await: AWAIT, end: WATCH_END } = WATCH_STEPS;

/** One round of a watch: every page's jobs and the last page's responseInfo, or what it threw. Never rejects. */
async function listRound(walk) {
  const jobs = [];
  let last;
  try {
    for await (const page of pages(walk)) {
      for (const job of page.results) jobs.push(job);
      last = page;
    }
    return { jobs, info: responseInfo(last) };
  } catch (error) {
    return { error };
  }
}

/**
 * The events of a watch, as its module object says: when to list, how long to wait, what each
 * round changed. `onRound` is told of each round after its events, with when the next is due.
 * Frees the watch at the end, however the loop ends: that aborts the round that is out and the
 * wait, so no request follows a `break`, a `return` or an abort.
 */
async function* events(watcher, onRound) {
  let round;
  let last = [];
  let rounds = 0;
  let report;
  try {
    for (;;) {
      const step = watcher.poll();
      if (report) {
        report.nextInMs = step > 0 ? step : step === LIST ? 0 : undefined;
        try {
          onRound(report);
        } catch {
          // What the caller's callback throws is its own affair; the watch goes on.
        }
        report = undefined;
      }
      if (step === WATCH_END) return;
      if (step === LIST) {
        const out = { outcome: undefined };
        out.done = listRound(watcher.round()).then((outcome) => (out.outcome = outcome));
        round = out;
        continue;
      }
      if (step === AWAIT) await round.done;
      else await watcher.wait(step, round?.done);
      const outcome = round?.outcome;
      if (outcome === undefined) continue;
      round = undefined;
      const changes = watcher.settle(outcome.jobs, outcome.error);
      const { jobs = last, info = responseInfo(outcome.error), error } = outcome;
      rounds += 1;
      if (onRound) report = { round: rounds, changes: changes.length / 3, responseInfo: info, ...(error && { error }) };
      for (let at = 0; at < changes.length; at += 3) {
        const [type, index, previous] = [WATCH_EVENTS[changes[at]], changes[at + 1], changes[at + 2]];
        const event = { type, job: index < 0 ? last[previous] : jobs[index] };
        if (index >= 0 && previous >= 0) event.previous = last[previous];
        event.responseInfo = info;
        yield event;
      }
      last = jobs;
    }
  } finally {
    watcher.free();
  }
}

/** The job a wait ends with: the last one listed, once the watch has ended. */
async function finished(watcher) {
  let job;
  for await (const event of events(watcher)) job = event.job;
  return job;
}

/** A watch's events; every loop starts the watch again, with a first round of `added`. */
function watchable(template, onRound) {
  return {
    async *[Symbol.asyncIterator]() {
      yield* events(await template(), typeof onRound === "function" ? onRound : undefined);
    },
  };
}

/** The jobs of a listing (and its `pages()`); every loop walks it from its first page again. */
function iterable(template) {
  const loop = () => ({
    async *[Symbol.asyncIterator]() {
      yield* pages((await template()).restart());
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
      // Checked now when the client is on the full module; each loop starts its own watch.
      const full = loaded(true);
      if (full && this.#client instanceof full.Client) this.#client.watch(p, o, undefined).free();
      return watchable(async () => (await this.#watching()).watch(p, o, undefined), o?.onRound);
    }

    async waitForExportJob(params, exportJobId, callOptions) {
      const [p, o, job] = [copy(params), copy(callOptions), copy({ exportJobId })];
      return finished((await this.#watching()).watch(p, o, job));
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
      const module = loaded(true);
      const [p, o] = [copy(params), onPage(copy(options))];
      // Checked now when the module is there; each loop starts its own watch.
      if (module) module.watch(p, o, undefined).free();
      return watchable(async () => (await load(true)).watch(p, o, undefined), o?.onRound);
    },
    async waitForExportJob(params, exportJobId, options) {
      const [p, o, job] = [copy(params), onPage(copy(options)), copy({ exportJobId })];
      return finished((await load(true)).watch(p, o, job));
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
