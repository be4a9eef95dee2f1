// The two clients the benchmark compares, loaded the way a Node user loads each: the package by
// name (its Node entry, node_modules/atlas-export-jobs links to pkg/), the baseline from its file.

export const CLIENTS = ["package", "baseline"];

/** The client's module: `listExportJobs` and the rest of what it exports. */
export async function loadClient(which) {
  if (which === "package") return import("atlas-export-jobs");
  if (which === "baseline") return import("./baseline/atlas-export-jobs.mjs");
  throw new TypeError(`no client named ${which}`);
}

/** A function that reads the client's wasm linear memory in bytes (`undefined`: it has none). */
export async function wasmMemoryReader(which) {
  return which === "package" ? packageMemoryReader() : () => undefined;
}

/**
 * The Node entry instantiates the module at `ready()` or the first call and keeps its exports to
 * itself; the glue's `initSync` then hands back the instance it made, whose `memory` is the linear
 * memory.
 */
async function packageMemoryReader() {
  const { createRequire } = await import("node:module");
  const { pathToFileURL } = await import("node:url");
  await (await import("atlas-export-jobs")).ready();
  const entry = createRequire(import.meta.url).resolve("atlas-export-jobs/package.json");
  const glue = await import(pathToFileURL(entry.replace(/package\.json$/, "atlas_export_jobs.js")).href);
  const exports = glue.initSync();
  return () => exports.memory.buffer.byteLength;
}
