// Browser and bundler entry (bundled into index.js). Importing it costs a few kilobytes: the API,
// the error class and the argument reader. The lean WebAssembly module (bearer tokens, token
// brokers, a proxy without auth) and its glue are fetched side by side at the first call or
// `ready()`; the full module, which adds service accounts and API keys, is loaded only for a
// client configured with one and `auth.allowInBrowser: true`. Where there is no file to fetch
// (Cloudflare Workers and the like), `ready({ module })` hands it in.
import { AtlasError, copy, isAtlasError, responseInfo } from "./snippets.js";
import { makeApi, moduleOption } from "./api.js";

const PACKAGE = "atlas-export-jobs";
// The import module that each build's wasm-bindgen glue provides: it tells a handed-in module's build.
const GLUE = { "./atlas_export_jobs_lean_bg.js": "lean", "./atlas_export_jobs_bg.js": "full" };
const EXCLUDE_HINT = `if a dev server serves a pre-bundled copy of the package, exclude it from pre-bundling (Vite: optimizeDeps: { exclude: ["${PACKAGE}"] })`;

const loading = {};
const instantiated = {};
const given = {};

/**
 * Where a build's .wasm is. The literal `new URL("./….wasm", import.meta.url)`, here in the
 * package's top-level module beside the files, is the one form every bundler emits as an asset
 * (Vite, webpack, Rspack, Parcel, Next.js with webpack or Turbopack). Worked out at the first
 * call, not on import, so that importing never throws where import.meta.url is no URL. A bundler
 * may hand back its own URL-like object (Next.js's is read-only): only its text is used.
 */
function wasmUrl(key) {
  const url = String(key === "full"
    ? new URL("./atlas_export_jobs_bg.wasm", import.meta.url)
    : new URL("./atlas_export_jobs_lean_bg.wasm", import.meta.url));
  // `vite dev` on Vite 6 and 7 serves a pre-bundled copy of the package from node_modules/.vite/deps/,
  // without the .wasm files: fetch them from the package itself, where Vite 8 points them.
  return url.replace(/\/node_modules\/\.vite\/deps(?:_[^/?#]*)?\/(?=[^/?#]*(?:[?#]|$))/, `/node_modules/${PACKAGE}/`);
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

// The full module does everything the lean one does: once it is there or handed in, it serves every call.
const loaded = (full) => instantiated.full ?? (full ? undefined : instantiated.lean);

function load(full) {
  const key = full || instantiated.full || given.full ? "full" : "lean";
  loading[key] ??= (async () => {
    let url;
    try {
      if (!given[key]) url = wasmUrl(key);
      // The glue and the .wasm are fetched side by side, not one after the other.
      const [glue, source] = await Promise.all([
        key === "full" ? import("./atlas_export_jobs.js") : import("./atlas_export_jobs_lean.js"),
        given[key] ?? fetchWasm(url),
      ]);
      await glue.default({ module_or_path: source });
      return (instantiated[key] = glue);
    } catch (cause) {
      if (isAtlasError(cause)) throw cause;
      const how = given[key]
        ? "instantiated from the module handed to ready()"
        : url
          ? `loaded from ${url}`
          : "found: import.meta.url is no URL here, so hand the module to ready({ module })";
      throw new AtlasError("load", `the ${PACKAGE} WebAssembly module could not be ${how}`, { cause });
    }
  })().catch((error) => {
    loading[key] = undefined; // a later call may try again
    throw error;
  });
  return loading[key];
}

/** Takes a handed-in module (a WebAssembly.Module, or the .wasm file's bytes) as the build it is. */
async function handIn(module) {
  let compiled;
  try {
    compiled = module instanceof WebAssembly.Module ? module : await WebAssembly.compile(module);
  } catch (cause) {
    throw new AtlasError("load", `the module handed to ready() is not a WebAssembly module: pass the ${PACKAGE} .wasm file's WebAssembly.Module or bytes`, { cause });
  }
  const key = GLUE[WebAssembly.Module.imports(compiled)[0]?.module];
  if (!key) {
    throw new AtlasError("load", `the module handed to ready() is not one of ${PACKAGE}'s: pass atlas_export_jobs_lean_bg.wasm or atlas_export_jobs_bg.wasm`, {});
  }
  if (!instantiated[key]) given[key] = compiled;
  return key;
}

const api = makeApi(load, loaded, copy);

/**
 * Loads the module now. `module` hands it in instead of fetching it: the lean or the full .wasm as
 * a WebAssembly.Module (what a Workers bundle's `import wasm from "…/….wasm"` gives) or its bytes.
 */
async function readyFn(options) {
  const module = moduleOption(options, AtlasError);
  if (module === undefined) return api.ready();
  await load((await handIn(module)) === "full");
}

/**
 * Internal, for atlas-export-jobs/server (not part of the documented API): the full module, which
 * alone has the proxy's route (pages, which load the lean one, never need it), handed in or fetched.
 */
const proxyModule = () => load(true);

export const { AtlasClient, listExportJobs, listAllExportJobs, iterateExportJobs, watchExportJobs, waitForExportJob, checkListExportJobs } = api;
export { readyFn as ready, AtlasError, isAtlasError, responseInfo, proxyModule };
