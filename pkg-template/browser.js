// Browser and bundler entry (bundled into index.js). The lean WebAssembly module (bearer tokens,
// token brokers, a proxy without auth) is fetched and instantiated on the first call, so importing
// the package costs nothing until it is used; the full module, which adds service accounts and API
// keys, is loaded only for a client configured with one and `auth.allowInBrowser: true`.
import * as lean from "./atlas_export_jobs_lean.js";
import { AtlasError, isAtlasError, responseInfo } from "./atlas_export_jobs_lean.js";
import { makeApi } from "./api.js";
import { copy } from "./snapshot.js";

const URLS = {
  lean: new URL("./atlas_export_jobs_lean_bg.wasm", import.meta.url),
  full: new URL("./atlas_export_jobs_bg.wasm", import.meta.url),
};
const loading = {};
const ready = {};

function load(full) {
  const key = full ? "full" : "lean";
  loading[key] ??= (async () => {
    const module = full ? await import("./atlas_export_jobs.js") : lean;
    await module.default({ module_or_path: URLS[key] });
    return (ready[key] = module);
  })().catch((cause) => {
    loading[key] = undefined; // a later call may try again
    throw new AtlasError("load", `the atlas-export-jobs WebAssembly module could not be loaded from ${URLS[key]}`, { cause });
  });
  return loading[key];
}

export const { AtlasClient, listExportJobs, listAllExportJobs, iterateExportJobs, checkListExportJobs, ready: readyFn } = makeApi(
  load,
  (full) => ready[full ? "full" : "lean"],
  copy,
);
export { readyFn as ready, AtlasError, isAtlasError, responseInfo };
