// Node entry. The WebAssembly module, with every auth scheme, comes in as base64 in a JavaScript
// module, so that a bundler (esbuild --platform=node, for serverless functions) carries it along
// with no file to copy; it is decoded and instantiated synchronously at the first call.
// scripts/build.sh bundles this file, the glue, its snippets and the module into one node.mjs,
// and the same into one node.cjs for require(): one file to load instead of eleven halves the
// import's time.
import * as module from "./atlas_export_jobs.js";
import { AtlasError, isAtlasError, responseInfo } from "./atlas_export_jobs.js";
import wasmBase64 from "./atlas_export_jobs_wasm.js";
import { makeApi, moduleOption } from "./api.js";
import { copy } from "./snippets.js";

let instantiated = false;

/** The module's bytes: Buffer where there is one (Node, Bun, Deno's npm packages), atob elsewhere. */
function decode(base64) {
  if (typeof Buffer === "function") return Buffer.from(base64, "base64");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function instantiate(source, from) {
  try {
    module.initSync({ module: source ?? decode(wasmBase64) });
  } catch (cause) {
    throw new AtlasError("load", `the atlas-export-jobs WebAssembly module could not be instantiated from ${from}`, { cause });
  }
  instantiated = true;
}

function loaded() {
  if (!instantiated) instantiate(undefined, "the copy the package carries");
  return module;
}

const api = makeApi(async () => loaded(), loaded, copy);

/** Loads the module now; `module` (the full .wasm as a WebAssembly.Module or bytes) is used instead of the built-in copy. */
async function ready(options) {
  const given = moduleOption(options, AtlasError);
  if (given !== undefined && !instantiated) instantiate(given, "the module handed to ready()");
  return api.ready();
}

/**
 * Internal, for atlas-export-jobs/server (not part of the documented API): the module with the
 * proxy's route, which in Node is the one full module.
 */
async function proxyModule() {
  await ready();
  return loaded();
}

export const { AtlasClient, listExportJobs, listAllExportJobs, iterateExportJobs, watchExportJobs, waitForExportJob, checkListExportJobs } = api;
export { ready, AtlasError, isAtlasError, responseInfo, proxyModule };
