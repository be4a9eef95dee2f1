// webpack 5, Rspack and Parcel 2, each run as its command runs with no configuration file, on the
// project in tests/stacks/bundlers/ (one install of the three). Its entry is the page code of
// tests/package/consumer (vite-app/main.js and the check.js it imports), which lists jobs from the
// mock with the lean module and with a service account, which loads the full module. Each build is
// served by a static server and opened in headless Chromium.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { startMockAtlas } from "atlas-export-jobs/testing";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { pageResult, run, scratchDir } from "../package/support.mjs";
import { installStack, pageExpected, pageQuery } from "./support.mjs";

describe("webpack, Rspack and Parcel with no configuration", () => {
  let scratch;
  let dir;
  let mock;
  let browser;
  let expected;

  before(async () => {
    scratch = scratchDir("bundlers");
    // src/index.js is webpack's and Rspack's default entry; the page's index.html names it for Parcel.
    dir = await installStack("bundlers", { scratch, page: "src/index.js" });
    mock = await startMockAtlas({ maxSeconds: 900 });
    browser = await launchChromium();
    expected = pageExpected();
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
      return await pageResult(browser, `${site.url}/?${pageQuery(mock)}`);
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
