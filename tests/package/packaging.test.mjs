// package.json is fit for publishing, and the tarball holds only what users need.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";

import { consumerDir, REPO, run } from "./support.mjs";

const pkgDir = join(REPO, "pkg");

describe("the npm package", () => {
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

  it("has the fields a published package needs", () => {
    for (const field of ["name", "version", "description", "keywords", "license", "repository", "exports", "files", "sideEffects", "engines"]) {
      assert.ok(manifest[field] !== undefined, `${field} is set`);
    }
    const conditions = Object.keys(manifest.exports["."]);
    assert.equal(conditions[0], "types", "types comes first in the exports map");
    assert.equal(conditions.at(-1), "default");
  });

  it("exports each .wasm file by its name, for runtimes that import the module (Cloudflare Workers)", () => {
    for (const file of ["atlas_export_jobs_lean_bg.wasm", "atlas_export_jobs_bg.wasm"]) {
      assert.equal(manifest.exports[`./${file}`], `./${file}`);
      assert.ok(manifest.files.includes(file), `${file} is packed`);
    }
  });

  it("declares the atlas-export-jobs command, a Node script", () => {
    assert.deepEqual(manifest.bin, { "atlas-export-jobs": "./cli.mjs" });
    assert.match(readFileSync(join(pkgDir, "cli.mjs"), "utf8"), /^#!\/usr\/bin\/env node\n/);
  });

  it("depends on smol-toml alone, at an exact version, which installing the tarball brings", () => {
    // The command reads Atlas CLI profiles with it; an exact version keeps installs reproducible.
    assert.deepEqual(Object.keys(manifest.dependencies), ["smol-toml"]);
    assert.match(manifest.dependencies["smol-toml"], /^\d+\.\d+\.\d+$/);
    const installed = JSON.parse(readFileSync(join(consumerDir(), "node_modules", "smol-toml", "package.json"), "utf8"));
    assert.equal(installed.version, manifest.dependencies["smol-toml"]);
  });

  it("packs only what users need", async () => {
    const [report] = JSON.parse(await run("npm", ["pack", "--dry-run", "--json", pkgDir], { cwd: REPO }));
    const files = report.files.map((f) => f.path).sort();
    const chunks = files.filter((f) => f.startsWith("chunks/"));
    // Each build's glue, loaded at the first call, and the code the entry shares with them (the
    // error class, response info and the argument reader); the glues share nothing else, so a
    // page loads one glue chunk.
    assert.deepEqual(chunks, ["chunks/full.js", "chunks/lean.js", "chunks/shared.js"]);
    // Each entry is one bundle (index.js and its chunks; node.mjs and node.cjs, each with the
    // module inside), so neither the glue nor its snippets ship on their own.
    assert.deepEqual(files.filter((f) => !f.startsWith("chunks/")), [
      "README.md",
      "atlas_export_jobs_bg.wasm",
      "atlas_export_jobs_lean_bg.wasm",
      "cli.mjs",
      "cli/args.mjs",
      "cli/credentials.mjs",
      "cli/csv.mjs",
      "cli/duration.mjs",
      "cli/errors.mjs",
      "cli/flags.mjs",
      "cli/help.mjs",
      "cli/list.mjs",
      "cli/main.mjs",
      "cli/output.mjs",
      "cli/plaintext.mjs",
      "cli/profile.mjs",
      "cli/progress.mjs",
      "cli/settings.mjs",
      "cli/states.mjs",
      "cli/suggest.mjs",
      "cli/table.mjs",
      "cli/text.mjs",
      "cli/token.mjs",
      "cli/watch.mjs",
      "docs/cli.md",
      // The protocol's facts, written from the core, which the proxy and the command read.
      "facts.js",
      "index.d.ts",
      "index.js",
      "node.cjs",
      "node.mjs",
      "package.json",
      "server.d.ts",
      "server.mjs",
      "server.web.mjs",
      "testing.cjs",
      "testing.d.ts",
      "testing.mjs",
      "testing/api-errors.mjs",
      "testing/auth-digest.mjs",
      "testing/auth-service-account.mjs",
      "testing/auth.mjs",
      "testing/bombs-node.mjs",
      "testing/bombs.mjs",
      "testing/cli.mjs",
      "testing/clock.mjs",
      "testing/dataset.mjs",
      "testing/faults.mjs",
      "testing/fetch.mjs",
      "testing/hash.mjs",
      "testing/index.mjs",
      "testing/job.mjs",
      "testing/misbehaving.mjs",
      "testing/mock-atlas.mjs",
      "testing/moved-jobs.mjs",
      "testing/page.mjs",
      "testing/query.mjs",
      "testing/rate-limit.mjs",
      "testing/recording-server.mjs",
      "testing/redirects.mjs",
      "testing/reflect.mjs",
      "testing/running-exports.mjs",
      "testing/server.mjs",
      "testing/status-codes.mjs",
      "types.d.ts",
    ]);
  });
});
