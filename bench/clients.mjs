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

/** The package's linear memory, found as `ready()` instantiates the module (call this first). */
async function packageMemoryReader() {
  const { watchWasmMemory } = await import("../tests/support/wasm-memory.mjs");
  const memory = watchWasmMemory();
  await (await import("atlas-export-jobs")).ready();
  return () => memory().buffer.byteLength;
}
