// Vite with no configuration, on each major version users have (tests/stacks/vite/6, 7 and 8:
// one project and lock file each): `vite` (the dev server; 6 and 7 pre-bundle the package into
// node_modules/.vite/deps/, away from its .wasm files), `vite build`, which must print no warning
// about the package, and `vite preview` of that build. The page is the page code of
// tests/package/consumer (vite-app/main.js and the check.js it imports): it lists jobs from the mock
// in headless Chromium with the lean module and with a service account, which loads the full module.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";

import { startMockAtlas } from "atlas-export-jobs/testing";
import { launchChromium } from "../support/chromium.mjs";
import { REPO, freePort, packInstalled, pageResult, scratchDir, startServer } from "../package/support.mjs";
import { installStack, pageExpected, pageQuery } from "./support.mjs";

// One project and lock file for each major version, and the one page they all serve.
const STACKS = ["vite/6", "vite/7", "vite/8"];
const INDEX_HTML = join(REPO, "tests", "stacks", "vite", "index.html");
const FIX = 'optimizeDeps: { exclude: ["atlas-export-jobs"] }';

/** Runs a command to completion (at most two minutes) and returns all it printed: Vite warns on stderr. */
async function printed(command, args, cwd) {
  const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 });
  return `${stdout}${stderr}`;
}

describe("Vite with no configuration", () => {
  let scratch;
  let tarball;
  let mock;
  let browser;
  let expected;

  before(async () => {
    scratch = scratchDir("vite");
    tarball = await packInstalled(scratch);
    mock = await startMockAtlas({ maxSeconds: 900 });
    browser = await launchChromium();
    expected = pageExpected();
  });

  after(async () => {
    await browser?.close();
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** The stack's project with its locked Vite, the page, the page code it names, and the tarball. */
  async function project(stack) {
    const dir = await installStack(stack, { scratch, dir: join(scratch, stack.replace("/", "-")), page: "src/main.js", tarball });
    cpSync(INDEX_HTML, join(dir, "index.html"));
    return dir;
  }

  /** Serves `dir` with `vite <args>` on a free port and returns the page's result. */
  async function served(dir, args) {
    mock.reset();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startServer(join(dir, "node_modules", ".bin", "vite"), [...args, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: dir, url });
    try {
      return await pageResult(browser, `${url}/?${pageQuery(mock)}`);
    } finally {
      await server.close();
    }
  }

  for (const stack of STACKS) {
    const version = JSON.parse(readFileSync(join(REPO, "tests", "stacks", stack, "package.json"), "utf8")).devDependencies.vite;

    describe(`Vite ${version}`, () => {
      let dir;
      before(async () => {
        dir = await project(stack);
      });

      it("vite: the dev server's page lists jobs", async () => {
        assert.deepEqual(await served(dir, []), expected);
        assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
      });

      it("vite build: no warning about the package or its .wasm files", async () => {
        const output = await printed(join(dir, "node_modules", ".bin", "vite"), ["build"], dir);
        // The lines that list what was written (dist/assets/….wasm) are the report, not warnings;
        // Vite colours them where CI is set.
        const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
        const warnings = plain.split("\n").filter((line) => !line.trim().startsWith("dist/") && /\.wasm|atlas[-_]export[-_]jobs/.test(line));
        assert.deepEqual(warnings, [], plain);
      });

      it("vite preview: the built page lists jobs", async () => {
        assert.deepEqual(await served(dir, ["preview"]), expected);
        assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
      });

      if (stack === STACKS[0]) {
        it(`where the package cannot find its .wasm (a cache folder of the app's own), the load error names ${FIX}, and that line fixes it`, async () => {
          writeFileSync(join(dir, "cache.config.mjs"), 'export default { cacheDir: "node_modules/.cache/vite" };\n');
          writeFileSync(join(dir, "fixed.config.mjs"), `export default { cacheDir: "node_modules/.cache/vite", ${FIX} };\n`);
          const failed = await served(dir, ["--force", "--config", "cache.config.mjs"]);
          assert.equal(failed.kind, "load", failed.error);
          assert.ok(failed.error.includes(FIX), failed.error);
          assert.deepEqual(await served(dir, ["--force", "--config", "fixed.config.mjs"]), expected);
        });
      }
    });
  }
});
