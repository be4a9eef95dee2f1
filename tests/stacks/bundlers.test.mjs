// webpack 5, Rspack and Parcel 2, each run as its command runs with no configuration file, on the
// project in tests/stacks/bundlers/ (one install of the three). Its entry is the page code of
// tests/package/consumer (vite-app/main.js and the check.js it imports), which lists jobs from the
// mock with the lean module and with a service account, which loads the full module. Each build is
// served by a static server and opened in headless Chromium.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { REPO, packInstalled, pageResult, run, scratchDir } from "../package/support.mjs";

const STACK = join(REPO, "tests", "stacks", "bundlers");
const PAGE_CODE = join(REPO, "tests", "package", "consumer");

describe("webpack, Rspack and Parcel with no configuration", () => {
  let scratch;
  let dir;
  let mock;
  let browser;
  let expected;

  before(async () => {
    scratch = scratchDir("bundlers");
    dir = join(scratch, "project");
    cpSync(STACK, dir, { recursive: true });
    // src/index.js is webpack's and Rspack's default entry; the page's index.html names it for Parcel.
    mkdirSync(join(dir, "src"));
    cpSync(join(PAGE_CODE, "vite-app", "main.js"), join(dir, "src", "index.js"));
    cpSync(join(PAGE_CODE, "check.js"), join(dir, "check.js"));
    const tarball = await packInstalled(scratch);
    await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
    await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir });
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

  const bin = (name) => join(dir, "node_modules", ".bin", name);
  const dist = () => join(dir, "dist");

  /** Builds with `command` into a fresh dist/ (all three write there), so no earlier build's file is served. */
  async function build(command, args) {
    rmSync(dist(), { recursive: true, force: true });
    await run(bin(command), args, { cwd: dir });
  }

  /** Serves `mounts` and returns what the page at / sets, with the mock's address in its query. */
  async function listed(mounts) {
    mock.reset();
    const site = await startStaticServer({ mounts });
    try {
      const query = new URLSearchParams({ baseUrl: mock.url, groupId: MOCK_GROUP_ID, token: MOCK_TOKEN, clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET });
      return await pageResult(browser, `${site.url}/?${query}`);
    } finally {
      await site.close();
    }
  }

  // webpack and Rspack emit scripts only: the page that loads dist/main.js is public/index.html.
  it("webpack --mode production: the built page lists jobs", async () => {
    await build("webpack", ["--mode", "production"]);
    assert.deepEqual(await listed([["/", dist()], ["/", join(dir, "public")]]), expected);
    assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
  });

  it("rspack build: the built page lists jobs", async () => {
    await build("rspack", ["build"]);
    assert.deepEqual(await listed([["/", dist()], ["/", join(dir, "public")]]), expected);
    assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
  });

  it("parcel build index.html: the built page lists jobs", async () => {
    await build("parcel", ["build", "index.html"]);
    assert.deepEqual(await listed([["/", dist()]]), expected);
    assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
  });
});
