// A page with no bundler: plain ES modules from a static server, with an import map that maps
// "atlas-export-jobs" to the installed package's index.js (tests/stacks/no-bundler/). Its module is
// the page code of tests/package/consumer (vite-app/main.js and the check.js it imports), which lists
// jobs from the mock with the lean module and with a service account, which loads the full module.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import { startMockAtlas } from "atlas-export-jobs/testing";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { pageResult, scratchDir } from "../package/support.mjs";
import { installStack, pageExpected, pageQuery } from "./support.mjs";

describe("a page with no bundler: an import map names the installed package", () => {
  let scratch;
  let site;
  let mock;
  let browser;

  before(async () => {
    scratch = scratchDir("no-bundler");
    const dir = await installStack("no-bundler", { scratch, page: "src/main.js" });
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
    assert.deepEqual(await pageResult(browser, `${site.url}/?${pageQuery(mock)}`), pageExpected());
    assert.equal(mock.stats().tokenRequests, 1, "the service account's token was requested once");
  });
});
