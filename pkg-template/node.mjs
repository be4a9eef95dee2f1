// Node entry (ESM). The WebAssembly module, with every auth scheme, comes in as base64 in a
// JavaScript module, so that a bundler (esbuild --platform=node, for serverless functions) carries
// it along with no file to copy; it is decoded and instantiated synchronously at the first call,
// so importing the package costs little.
import * as module from "./atlas_export_jobs.js";
import { AtlasError, isAtlasError, responseInfo } from "./atlas_export_jobs.js";
import wasmBase64 from "./atlas_export_jobs_wasm.js";
import { makeApi } from "./api.js";
import { copy } from "./snapshot.js";

let instantiated = false;

function loaded() {
  if (!instantiated) {
    try {
      module.initSync({ module: Buffer.from(wasmBase64, "base64") });
    } catch (cause) {
      throw new AtlasError("load", "the atlas-export-jobs WebAssembly module could not be instantiated from atlas_export_jobs_wasm.js", { cause });
    }
    instantiated = true;
  }
  return module;
}

export const { AtlasClient, listExportJobs, listAllExportJobs, iterateExportJobs, checkListExportJobs, ready } = makeApi(
  async () => loaded(),
  loaded,
  copy,
);
export { AtlasError, isAtlasError, responseInfo };
