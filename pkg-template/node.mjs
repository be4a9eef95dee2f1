// Node entry (ESM): the wasm module is read from disk and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import {
  initSync,
  listExportJobs,
  listAllExportJobs,
  iterateExportJobs,
  AtlasClient,
  AtlasError,
  isAtlasError,
  responseInfo,
} from "./atlas_export_jobs.js";

initSync({ module: readFileSync(new URL("./atlas_export_jobs_bg.wasm", import.meta.url)) });

export { listExportJobs, listAllExportJobs, iterateExportJobs, AtlasClient, AtlasError, isAtlasError, responseInfo };
