// Node entry (ESM): the wasm module is read from disk and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import {
  initSync,
  listExportJobs,
  listAllExportJobs,
  iterateExportJobs,
  checkListExportJobs,
  AtlasClient,
  AtlasError,
  isAtlasError,
  responseInfo,
} from "./atlas_export_jobs.js";

initSync({ module: readFileSync(new URL("./atlas_export_jobs_bg.wasm", import.meta.url)) });

/** The module is loaded on import in Node; this is here so code can call it in any runtime. */
export async function ready() {}

export { listExportJobs, listAllExportJobs, iterateExportJobs, checkListExportJobs, AtlasClient, AtlasError, isAtlasError, responseInfo };
