// The loading matrix: the packed tarball, installed into a scratch project, listing jobs from the
// mock in each way users load it. Every path checks the listed jobs, not only that the import worked.
// Bundlers have their own files: tests/stacks/ (Vite, webpack, Rspack, Parcel, Next.js) and bundled-node.test.mjs (esbuild).
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { BIN, consumerDir, run } from "./support.mjs";

describe("the packed package, loaded every way users load it", () => {
  const consumer = consumerDir();
  let mock;
  let site;
  let browser;
  let expected;

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 600 });
    site = await startStaticServer({ mounts: [["/", consumer]] });
    browser = await launchChromium();
    const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
    // What listForCheck asks for: page 2 of 5.
    expected = { ids: jobs.slice(5, 10).map((job) => job.id), totalCount: jobs.length, validationField: "groupId" };
  });

  after(async () => {
    await browser?.close();
    await site?.close();
    await mock?.close();
  });

  const env = () => ({ ATLAS_BASE_URL: mock.url, ATLAS_GROUP_ID: MOCK_GROUP_ID, ATLAS_TOKEN: MOCK_TOKEN });

  async function inBrowser(path) {
    const page = await browser.newPage();
    const problems = [];
    page.on("pageerror", (error) => problems.push(String(error)));
    try {
      const query = new URLSearchParams({ baseUrl: mock.url, groupId: MOCK_GROUP_ID, token: MOCK_TOKEN });
      await page.goto(`${site.url}${path}?${query}`);
      await page.waitForFunction(() => window.checkResult !== undefined, undefined, { timeout: 20_000 });
      return await page.evaluate(() => window.checkResult);
    } finally {
      await page.close();
      assert.deepEqual(problems, []);
    }
  }

  it("Node ESM: import", async () => {
    const out = await run(process.execPath, ["list-jobs.mjs"], { cwd: consumer, env: env() });
    assert.deepEqual(JSON.parse(out), expected);
  });

  it("Node CJS: require", async () => {
    const out = await run(process.execPath, ["list-jobs.cjs"], { cwd: consumer, env: env() });
    assert.deepEqual(JSON.parse(out), expected);
  });

  it("an edge runtime without files: the browser entry in Node, its module handed to ready()", async () => {
    mock.reset();
    const out = await run(process.execPath, ["handed-in.mjs"], { cwd: consumer, env: { ...env(), ATLAS_CLIENT_ID: MOCK_CLIENT_ID, ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET } });
    assert.deepEqual(JSON.parse(out), { unhanded: "load", notWasm: "load", notOurs: "load", lean: expected, serviceAccount: 3 });
    assert.equal(mock.stats().tokenRequests, 1);
  });

  it("TypeScript: tsc, then Node", async () => {
    await run(`${BIN}/tsc`, ["-p", "tsconfig.json"], { cwd: consumer });
    const out = await run(process.execPath, [join("build", "list-jobs.js")], { cwd: consumer, env: env() });
    assert.deepEqual(JSON.parse(out), expected);
  });

  it("a plain page with <script type=module>, no bundler, in Chromium", async () => {
    assert.deepEqual(await inBrowser("/plain.html"), expected);
  });

  it("a module Web Worker, in Chromium", async () => {
    assert.deepEqual(await inBrowser("/worker.html"), expected);
  });

  it("auth in a page: bearer and a token broker work, secrets are refused before any request", async () => {
    mock.reset();
    const result = await inBrowser("/auth.html");
    assert.deepEqual(result, { bearer: 3, broker: 3, digest: "auth", serviceAccount: "auth" });
    const sent = mock.requests.filter((r) => r.method === "GET").length;
    assert.equal(sent, 2, "only the bearer and broker calls reached the mock");
    assert.equal(mock.stats().tokenRequests, 0);
  });
});
