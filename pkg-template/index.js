// Browser and bundler entry: the wasm module is fetched and instantiated on the first call, so
// importing the package costs nothing until it is used.
import init, { listExportJobs as listWithWasm, AtlasError, isAtlasError, responseInfo } from "./atlas_export_jobs.js";

let loading;

function loadWasm() {
  loading ??= init({ module_or_path: new URL("./atlas_export_jobs_bg.wasm", import.meta.url) }).catch((cause) => {
    loading = undefined; // a later call may try again
    throw new AtlasError("network", "the atlas-export-jobs WebAssembly module could not be loaded", { cause });
  });
  return loading;
}

export async function listExportJobs(params, options) {
  await loadWasm();
  return listWithWasm(params, options);
}

export { AtlasError, isAtlasError, responseInfo };
