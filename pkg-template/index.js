// Browser and bundler entry: the wasm module is fetched and instantiated on the first call, so
// importing the package costs nothing until it is used.
import init, {
  listExportJobs as listWithWasm,
  listAllExportJobs as listAllWithWasm,
  iterateExportJobs as iterateWithWasm,
  checkListExportJobs as checkWithWasm,
  AtlasClient as WasmClient,
  AtlasError,
  isAtlasError,
  responseInfo,
} from "./atlas_export_jobs.js";

let loading;
let loaded = false;

function loadWasm() {
  loading ??= init({ module_or_path: new URL("./atlas_export_jobs_bg.wasm", import.meta.url) }).then(
    () => {
      loaded = true;
    },
    (cause) => {
      loading = undefined; // a later call may try again
      throw new AtlasError("network", "the atlas-export-jobs WebAssembly module could not be loaded", { cause });
    },
  );
  return loading;
}

export async function listExportJobs(params, options) {
  await loadWasm();
  return listWithWasm(params, options);
}

export async function listAllExportJobs(params, options) {
  await loadWasm();
  return listAllWithWasm(params, options);
}

/** Needs the module: await `ready()` first in a page (`listExportJobs` and friends load it themselves). */
export function checkListExportJobs(params, options) {
  if (!loaded) throw new Error("atlas-export-jobs: call `await ready()` before checkListExportJobs in a browser");
  return checkWithWasm(params, options);
}

/** Loads the WebAssembly module now rather than at the first call. */
export async function ready() {
  await loadWasm();
}

export function iterateExportJobs(params, options) {
  // Once the module is loaded, arguments are checked now; before, at the loop's first step.
  return loaded ? iterateWithWasm(params, options) : deferredIterable(() => iterateWithWasm(params, options));
}

/** An iterable that loads the module before making the real one. */
function deferredIterable(makeIterable) {
  const iterable = async () => {
    await loadWasm();
    return makeIterable();
  };
  return {
    pages: () => ({
      async *[Symbol.asyncIterator]() {
        yield* (await iterable()).pages();
      },
    }),
    async *[Symbol.asyncIterator]() {
      yield* await iterable();
    },
  };
}

/** The wasm client, made when the module has loaded (options are checked then). */
export class AtlasClient {
  #options;
  #client;

  constructor(options) {
    this.#options = options;
    if (loaded) this.#client = new WasmClient(options);
  }

  async #ready() {
    await loadWasm();
    return (this.#client ??= new WasmClient(this.#options));
  }

  async listExportJobs(params, callOptions) {
    return (await this.#ready()).listExportJobs(params, callOptions);
  }

  iterateExportJobs(params, callOptions) {
    if (this.#client) return this.#client.iterateExportJobs(params, callOptions);
    return deferredIterable(() => (this.#client ??= new WasmClient(this.#options)).iterateExportJobs(params, callOptions));
  }

  async listAllExportJobs(params, callOptions) {
    return (await this.#ready()).listAllExportJobs(params, callOptions);
  }

  async close() {
    if (this.#client) await this.#client.close();
  }
}

export { AtlasError, isAtlasError, responseInfo };
