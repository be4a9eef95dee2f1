// Bundles the browser entry (scripts/build.sh runs it in pkg/): a small index.js, and one chunk for
// each build's glue with every snippet it needs, loaded at the first call. The only code the
// chunks share with each other is what they share with the entry (the error class, response info,
// the argument reader and a listing's page loop), in chunks/shared.js. So a page that uses one build loads one glue
// chunk: a bundler that finds code shared by the two glues would split it into a chunk of its own,
// a file and a request more on every page.
import { resolve } from "node:path";

import { build } from "esbuild";

// snippets.js, which the entries import, and the snippets it re-exports, which the glue imports.
const SHARED = /\/(?:snippets\.js|src\/js\/(?:atlas-error|response-info|snapshot|pages)\.js)$/;
const GLUES = { "./atlas_export_jobs_lean.js": "./chunks/lean.js", "./atlas_export_jobs.js": "./chunks/full.js" };

/** Resolves the shared snippets, and from the entry each glue, to the file built for it. */
function external(sharedPath, glues = {}) {
  return {
    name: "atlas-export-jobs-chunks",
    setup(bundle) {
      bundle.onResolve({ filter: /.*/ }, ({ path, resolveDir, kind }) => {
        if (kind === "dynamic-import" && glues[path]) return { path: glues[path], external: true };
        if (kind !== "entry-point" && SHARED.test(resolve(resolveDir, path))) return { path: sharedPath, external: true };
        return undefined;
      });
    },
  };
}

const common = { bundle: true, format: "esm", minify: true, logLevel: "warning", legalComments: "none" };
// snippets.js (written by scripts/build.sh) re-exports the shared snippets whole.
await build({ ...common, entryPoints: ["snippets.js"], outfile: "chunks/shared.js" });
await build({ ...common, entryPoints: ["browser.js"], outfile: "index.js", plugins: [external("./chunks/shared.js", GLUES)] });
for (const [glue, out] of Object.entries(GLUES)) {
  await build({ ...common, entryPoints: [glue], outfile: out, plugins: [external("./shared.js")] });
}
