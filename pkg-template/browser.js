// Browser and bundler entry (bundled into index.js). The lean WebAssembly module (bearer tokens,
// token brokers, a proxy without auth) is fetched and instantiated on the first call, so importing
// the package costs nothing until it is used; the full module, which adds service accounts and API
// keys, is loaded only for a client configured with one and `auth.allowInBrowser: true`.
import * as lean from "./atlas_export_jobs_lean.js";
import { AtlasError, isAtlasError, responseInfo } from "./atlas_export_jobs_lean.js";
import { makeApi } from "./api.js";
import { copy } from "./snapshot.js";

const PACKAGE = "atlas-export-jobs";
const EXCLUDE_HINT = `if a dev server serves a pre-bundled copy of the package, exclude it from pre-bundling (Vite: optimizeDeps: { exclude: ["${PACKAGE}"] })`;

const loading = {};
const instantiated = {};

/**
 * Where a build's .wasm is. Worked out at the first call, not on import, so that importing never
 * throws where import.meta.url is no URL; the literal `new URL("./…", import.meta.url)` is what
 * bundlers look for to emit the file as an asset.
 */
function wasmUrl(key) {
  const url = key === "full"
    ? new URL("./atlas_export_jobs_bg.wasm", import.meta.url)
    : new URL("./atlas_export_jobs_lean_bg.wasm", import.meta.url);
  // `vite dev` on Vite 6 and 7 serves a pre-bundled copy of the package from node_modules/.vite/deps/,
  // without the .wasm files: fetch them from the package itself, where Vite 8 points them.
  url.pathname = url.pathname.replace(/\/node_modules\/\.vite\/deps(?:_[^/]*)?\/(?=[^/]*$)/, `/node_modules/${PACKAGE}/`);
  return url;
}

const isWasm = (bytes) => bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;

/** The .wasm at `url`: the response itself when it can be compiled as it streams, else its checked bytes. */
async function fetchWasm(url) {
  const response = await fetch(url);
  const type = response.headers.get("Content-Type") ?? "";
  if (response.ok && /^application\/wasm\s*(;|$)/i.test(type)) return response;
  const bytes = response.ok ? new Uint8Array(await response.arrayBuffer()) : undefined;
  if (bytes && isWasm(bytes)) return bytes;
  // An HTML page or a 404 where the file should be: say what was there and how to fix the usual cause.
  const answer = `${response.status}${type ? ` (${type.split(";")[0]})` : ""}`;
  throw new AtlasError("load", `the ${PACKAGE} WebAssembly module could not be loaded from ${url}: the server answered ${answer}, not the .wasm file; ${EXCLUDE_HINT}`, {});
}

function load(full) {
  const key = full ? "full" : "lean";
  loading[key] ??= (async () => {
    let url;
    try {
      const glue = key === "full" ? await import("./atlas_export_jobs.js") : lean;
      url = wasmUrl(key);
      await glue.default({ module_or_path: await fetchWasm(url) });
      return (instantiated[key] = glue);
    } catch (cause) {
      if (isAtlasError(cause)) throw cause;
      const how = url ? `loaded from ${url}` : "found: import.meta.url is no URL here";
      throw new AtlasError("load", `the ${PACKAGE} WebAssembly module could not be ${how}`, { cause });
    }
  })().catch((error) => {
    loading[key] = undefined; // a later call may try again
    throw error;
  });
  return loading[key];
}

export const { AtlasClient, listExportJobs, listAllExportJobs, iterateExportJobs, checkListExportJobs, ready: readyFn } = makeApi(
  load,
  (full) => instantiated[full ? "full" : "lean"],
  copy,
);
export { readyFn as ready, AtlasError, isAtlasError, responseInfo };
