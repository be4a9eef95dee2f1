// A console page in headless Chromium, served by a backend that mounts atlas-export-jobs/server on
// its own origin: the page lists jobs through the proxy with no credential of its own, and the
// service account the proxy holds never reaches the page.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, it } from "node:test";

import { createAtlasProxy, toNodeHandler } from "atlas-export-jobs/server";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { consumerDir } from "../package/support.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>console</title><link rel="icon" href="data:,"></head>
<body><script type="module">
  import { AtlasClient } from "/node_modules/atlas-export-jobs/index.js";
  const client = new AtlasClient({ baseUrl: new URL("/atlas", location.href).href, auth: { type: "none" } });
  client.listAllExportJobs({ groupId: ${JSON.stringify(MOCK_GROUP_ID)}, clusterName: "Cluster0", itemsPerPage: 10 }).then(
    (jobs) => { window.result = { ids: jobs.map((job) => job.id) }; },
    (error) => { window.result = { error: String(error) }; },
  );
</script></body></html>`;

describe("a console page behind atlas-export-jobs/server", () => {
  let mock;
  let proxy;
  let files;
  let site;
  let base;
  let browser;

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 600 });
    proxy = createAtlasProxy({
      baseUrl: mock.url,
      auth: { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET },
      prefix: "/atlas",
    });
    files = await startStaticServer({ mounts: [["/node_modules/", `${consumerDir()}/node_modules`]] });
    const toProxy = toNodeHandler(proxy);
    // One origin: the page, the package's files (fetched from the static server) and the proxy.
    site = createServer(async (req, res) => {
      if (req.url.startsWith("/atlas/")) return toProxy(req, res);
      if (req.url === "/") {
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
        return res.end(PAGE);
      }
      const upstream = await fetch(`${files.url}${req.url}`);
      res.writeHead(upstream.status, { "Content-Type": upstream.headers.get("content-type") ?? "application/octet-stream" });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${site.address().port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => {
      site?.closeAllConnections();
      site ? site.close(resolve) : resolve();
    });
    await files?.close();
    await proxy?.close();
    await mock?.close();
  });

  it("lists every job through the proxy, sending no Authorization and holding no secret", async () => {
    const page = await browser.newPage();
    const sent = [];
    const problems = [];
    page.on("request", (request) => sent.push({ url: request.url(), headers: request.headers() }));
    page.on("pageerror", (error) => problems.push(String(error)));
    try {
      await page.goto(`${base}/`);
      await page.waitForFunction(() => window.result !== undefined, undefined, { timeout: 20_000 });
      const result = await page.evaluate(() => window.result);
      assert.deepEqual(result, { ids: jobsFor(MOCK_GROUP_ID, "Cluster0").map((job) => job.id) });
      const calls = sent.filter((request) => request.url.includes("/atlas/api/atlas/"));
      assert.ok(calls.length >= 1);
      for (const request of sent) assert.equal(request.headers.authorization, undefined, request.url);
      // Nothing the page holds or was sent names the service account's secret or id.
      const html = await page.content();
      const state = await page.evaluate(() => JSON.stringify(Object.keys(window)));
      for (const text of [html, state, JSON.stringify(sent)]) {
        assert.ok(!text.includes(MOCK_CLIENT_SECRET) && !text.includes(MOCK_CLIENT_ID));
      }
      assert.deepEqual(problems, []);
      // The proxy did the authenticating.
      assert.ok(mock.requests.some((r) => r.path === "/api/oauth/token"));
    } finally {
      await page.close();
    }
  });
});
