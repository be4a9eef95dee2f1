// Vite with no configuration, on each major version users have: `vite dev` (6 and 7 pre-bundle the
// package into node_modules/.vite/deps/, away from its .wasm files), and `vite build` served by
// `vite preview`. Each version is installed with the packed tarball into its own scratch project;
// the page lists jobs from the mock in headless Chromium, with the lean and the full module.
import assert from "node:assert/strict";
import { cpSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { consumerDir, freePort, installProject, packInstalled, pageResult, run, scratchDir, startServer } from "./support.mjs";

// Exact versions: the newest 6.x and 7.x, and the 8.x the workspace pins.
const VERSIONS = ["6.4.6", "7.3.8", "8.3.8"];
const FIX = 'optimizeDeps: { exclude: ["atlas-export-jobs"] }';

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
    const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
    // What listForCheck asks for (page 2 of 5), and the service account's page of 3.
    expected = { ids: jobs.slice(5, 10).map((job) => job.id), totalCount: jobs.length, validationField: "groupId", serviceAccount: 3 };
  });

  after(async () => {
    await browser?.close();
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  const query = () => new URLSearchParams({
    baseUrl: mock.url,
    groupId: MOCK_GROUP_ID,
    token: MOCK_TOKEN,
    clientId: MOCK_CLIENT_ID,
    clientSecret: MOCK_CLIENT_SECRET,
  });

  /** A project with the app of tests/package/consumer (vite-app/ and the check.js it imports) and Vite `version`. */
  async function project(version) {
    const dir = join(scratch, `vite-${version}`);
    await installProject(dir, [tarball, `vite@${version}`]);
    cpSync(join(consumerDir(), "vite-app"), join(dir, "vite-app"), { recursive: true });
    cpSync(join(consumerDir(), "check.js"), join(dir, "check.js"));
    return dir;
  }

  /** Serves `dir` with `vite <args>` on a free port and returns the page's result. */
  async function served(dir, args, path) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const server = await startServer(join(dir, "node_modules", ".bin", "vite"), [...args, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], { cwd: dir, url });
    try {
      return await pageResult(browser, `${url}${path}?${query()}`);
    } finally {
      await server.close();
    }
  }

  for (const version of VERSIONS) {
    describe(`Vite ${version}`, () => {
      let dir;
      before(async () => {
        dir = await project(version);
      });

      it("vite dev: the page lists jobs", async () => {
        mock.reset();
        // --force: pre-bundle afresh, as on a first run.
        assert.deepEqual(await served(dir, ["--force"], "/vite-app/index.html"), expected);
        assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
      });

      it("vite build, then vite preview: the page lists jobs", async () => {
        await run(join(dir, "node_modules", ".bin", "vite"), ["build", "vite-app", "--base", "./", "--logLevel", "warn", "--outDir", "dist", "--emptyOutDir"], { cwd: dir });
        assert.deepEqual(await served(dir, ["preview", "vite-app"], "/"), expected);
      });
    });
  }

  it(`where the package cannot find its .wasm (a cache folder of the app's own), the load error names ${FIX}, and that line fixes it`, async () => {
    const dir = join(scratch, `vite-${VERSIONS[0]}`);
    writeFileSync(join(dir, "cache.config.mjs"), 'export default { cacheDir: "node_modules/.cache/vite" };\n');
    writeFileSync(join(dir, "fixed.config.mjs"), `export default { cacheDir: "node_modules/.cache/vite", ${FIX} };\n`);
    const failed = await served(dir, ["--force", "--config", "cache.config.mjs"], "/vite-app/index.html");
    assert.equal(failed.kind, "load", failed.error);
    assert.ok(failed.error.includes(FIX), failed.error);
    assert.deepEqual(await served(dir, ["--force", "--config", "fixed.config.mjs"], "/vite-app/index.html"), expected);
  });
});
