// Node entry (ESM). The WebAssembly module, with every auth scheme, is read from disk and
// instantiated synchronously at the first call, so importing the package costs little.
import { readFileSync } from "node:fs";

import * as module from "./atlas_export_jobs.js";
import { AtlasError, isAtlasError, responseInfo } from "./atlas_export_jobs.js";
import { makeApi } from "./api.js";
import { copy } from "./snapshot.js";

let instantiated = false;

function loaded() {
  if (!instantiated) {
    const url = new URL("./atlas_export_jobs_bg.wasm", import.meta.url);
    try {
      module.initSync({ module: readFileSync(url) });
    } catch (cause) {
      throw new AtlasError("load", `the atlas-export-jobs WebAssembly module could not be loaded from ${url}`, { cause });
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
