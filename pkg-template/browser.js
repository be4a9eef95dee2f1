// Browser and bundler entry (bundled into index.js). The lean WebAssembly module (bearer tokens,
// token brokers, a proxy without auth) is fetched and instantiated on the first call, so importing
// the package costs nothing until it is used; the full module, which adds service accounts and API
// keys, is loaded only for a client configured with one and `auth.allowInBrowser: true`.
import * as lean from "./atlas_export_jobs_lean.js";
import { AtlasError, isAtlasError, responseInfo } from "./atlas_export_jobs_lean.js";

const LEAN_URL = new URL("./atlas_export_jobs_lean_bg.wasm", import.meta.url);
const FULL_URL = new URL("./atlas_export_jobs_bg.wasm", import.meta.url);

const loading = {};
let leanReady = false;

function load(full) {
  const url = full ? FULL_URL : LEAN_URL;
  const key = full ? "full" : "lean";
  loading[key] ??= (async () => {
    const glue = full ? await import("./atlas_export_jobs.js") : lean;
    await glue.default({ module_or_path: url });
    if (!full) leanReady = true;
    return glue;
  })().catch((cause) => {
    loading[key] = undefined; // a later call may try again
    throw new AtlasError("load", `the atlas-export-jobs WebAssembly module could not be loaded from ${url}`, { cause });
  });
  return loading[key];
}

/** Whether a client's options name a scheme only the full module has (read without trusting them). */
function needsFull(options) {
  try {
    const auth = options?.auth;
    return (auth?.type === "serviceAccount" || auth?.type === "digest") && auth.allowInBrowser === true;
  } catch {
    return false;
  }
}

export async function listExportJobs(params, options) {
  return (await load(false)).listExportJobs(params, options);
}

export async function listAllExportJobs(params, options) {
  return (await load(false)).listAllExportJobs(params, options);
}

/** Needs the module: await `ready()` first in a page (`listExportJobs` and friends load it themselves). */
export function checkListExportJobs(params, options) {
  if (!leanReady) throw new Error("atlas-export-jobs: call `await ready()` before checkListExportJobs in a browser");
  return lean.checkListExportJobs(params, options);
}

/** Loads the WebAssembly module now rather than at the first call. */
export async function ready() {
  await load(false);
}

export function iterateExportJobs(params, options) {
  // Once the module is loaded, arguments are checked now; before, at the loop's first step.
  return leanReady ? lean.iterateExportJobs(params, options) : deferredIterable(async () => (await load(false)).iterateExportJobs(params, options));
}

/** An iterable that loads the module before making the real one. */
function deferredIterable(makeIterable) {
  return {
    pages: () => ({
      async *[Symbol.asyncIterator]() {
        yield* (await makeIterable()).pages();
      },
    }),
    async *[Symbol.asyncIterator]() {
      yield* await makeIterable();
    },
  };
}

/** The wasm client, made when its module has loaded (options are checked then). */
export class AtlasClient {
  #options;
  #full;
  #client;

  constructor(options) {
    this.#options = options;
    this.#full = needsFull(options);
    if (leanReady && !this.#full) this.#client = new lean.AtlasClient(options);
  }

  async #ready() {
    const glue = await load(this.#full);
    return (this.#client ??= new glue.AtlasClient(this.#options));
  }

  async listExportJobs(params, callOptions) {
    return (await this.#ready()).listExportJobs(params, callOptions);
  }

  iterateExportJobs(params, callOptions) {
    if (this.#client) return this.#client.iterateExportJobs(params, callOptions);
    return deferredIterable(async () => (await this.#ready()).iterateExportJobs(params, callOptions));
  }

  async listAllExportJobs(params, callOptions) {
    return (await this.#ready()).listAllExportJobs(params, callOptions);
  }

  async close() {
    if (this.#client) await this.#client.close();
  }
}

export { AtlasError, isAtlasError, responseInfo };
