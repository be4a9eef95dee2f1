// A page with no bundler: plain ES modules from a static server, with an import map that maps
// "atlas-export-jobs" to the installed package's index.js (tests/stacks/no-bundler/). Its module is
// the page code of tests/package/consumer (vite-app/main.js and the check.js it imports), which lists
// jobs from the mock with the lean module and with a service account, which loads the full module.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { REPO, packInstalled, pageResult, run, scratchDir } from "../package/support.mjs";

const STACK = join(REPO, "tests", "stacks", "no-bundler");
const PAGE_CODE = join(REPO, "tests", "package", "consumer");

describe("a page with no bundler: an import map names the installed package", () => {
  let scratch;
  let site;
  let mock;
  let browser;

  before(async () => {
    scratch = scratchDir("no-bundler");
    const dir = join(scratch, "project");
    cpSync(STACK, dir, { recursive: true });
    mkdirSync(join(dir, "src"));
    cpSync(join(PAGE_CODE, "vite-app", "main.js"), join(dir, "src", "main.js"));
    cpSync(join(PAGE_CODE, "check.js"), join(dir, "check.js"));
    const tarball = await packInstalled(scratch);
    await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir });
    await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: dir });
    site = await startStaticServer({ mounts: [["/", dir]] });
    mock = await startMockAtlas({ maxSeconds: 600 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await mock?.close();
    await site?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("the page lists jobs, with the lean module and with a service account's full module", async () => {
    const query = new URLSearchParams({ baseUrl: mock.url, groupId: MOCK_GROUP_ID, token: MOCK_TOKEN, clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET });
    const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
    // What listForCheck asks for (page 2 of 5), and the service account's page of 3.
    const expected = { ids: jobs.slice(5, 10).map((job) => job.id), totalCount: jobs.length, validationField: "groupId", serviceAccount: 3 };
    assert.deepEqual(await pageResult(browser, `${site.url}/?${query}`), expected);
    assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
  });
});
