// Browser and bundler entry: the wasm module is fetched and instantiated on the first call, so
// importing the package costs nothing until it is used.
import init, {
  listExportJobs as listWithWasm,
  listAllExportJobs as listAllWithWasm,
  iterateExportJobs as iterateWithWasm,
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

export function iterateExportJobs(params, options) {
  // Once the module is loaded, arguments are checked now; before, at the loop's first step.
  if (loaded) return iterateWithWasm(params, options);
  const iterable = async () => {
    await loadWasm();
    return iterateWithWasm(params, options);
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

export { AtlasError, isAtlasError, responseInfo };
