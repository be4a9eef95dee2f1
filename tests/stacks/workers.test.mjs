// Cloudflare Workers: `wrangler dev` (local mode: workerd on 127.0.0.1, no login) runs two Workers
// of tests/stacks/workers/ with the packed package: the README's Worker example exactly as the
// README prints it, and a Worker that serves createAtlasProxy with an onError that records what it
// is told. Wrangler 4 needs Node 22.12 or later, so the project installs Node 24 from npm and
// wrangler runs on it, as `npx wrangler` there would.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { listExportJobs } from "atlas-export-jobs";
import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { freePort, scratchDir } from "../package/support.mjs";
import { installStack } from "./support.mjs";

const EXPORTS = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`;

/** The README's Worker example: the code block that starts with its comment. */
function readmeWorker(readme) {
  const block = readme.match(/```js\n(\/\/ A Cloudflare Worker[\s\S]*?)```/);
  assert.ok(block, "the README has the Cloudflare Worker example");
  return block[1];
}

/**
 * Runs `wrangler dev` in `dir` with `vars` on a free port and resolves once it is ready (within
 * 90 s), with its URL, its output so far and a `close()` that ends it and its workerd processes.
 */
async function wranglerDev(dir, vars, bin) {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const child = spawn(join(bin, "wrangler"), args, {
    cwd: dir,
    // Its own process group, so that close() ends workerd with it.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      // Nothing leaves this machine: no usage metrics, no update check (the banner's), no
      // download of the request.cf data.
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_HIDE_BANNER: "true",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
  });
  let output = "";
  child.stdout.on("data", (chunk) => { output += chunk; });
  child.stderr.on("data", (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
    }
    await exited;
  };
  for (let attempt = 0; attempt < 450 && child.exitCode === null; attempt++) {
    if (output.includes(`Ready on ${url}`)) return { url, close, output: () => output };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await close();
  throw new Error(`wrangler dev in ${dir} did not get ready on ${url}:\n${output}`);
}

describe("Cloudflare Workers under wrangler dev", () => {
  let scratch;
  let dir;
  let bin;
  let mock;
  const servers = new Set();

  before(async () => {
    scratch = scratchDir("workers");
    dir = await installStack("workers", { scratch });
    bin = join(dir, "node_modules", ".bin");
    const readme = readFileSync(join(dir, "node_modules", "atlas-export-jobs", "README.md"), "utf8");
    mkdirSync(join(dir, "readme-worker", "src"), { recursive: true });
    writeFileSync(join(dir, "readme-worker", "src", "index.js"), readmeWorker(readme));
    mock = await startMockAtlas({ maxSeconds: 600 });
  });

  after(async () => {
    for (const server of servers) await server.close();
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Runs `fn` with wrangler dev serving `worker` with `vars`; its output goes into a failure. */
  async function withWorker(worker, vars, fn) {
    const server = await wranglerDev(join(dir, worker), vars, bin);
    servers.add(server);
    try {
      await fn(server);
    } catch (error) {
      error.message += `\nwrangler dev output:\n${server.output()}`;
      throw error;
    } finally {
      await server.close();
      servers.delete(server);
    }
  }

  it("the README's Worker example, as written, answers the page the mock lists", async () => {
    mock.reset();
    const vars = { ATLAS_GROUP_ID: MOCK_GROUP_ID, ATLAS_BASE_URL: mock.url, ATLAS_ACCESS_TOKEN: MOCK_TOKEN };
    await withWorker("readme-worker", vars, async ({ url }) => {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      const page = JSON.parse(text);
      const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
      assert.deepEqual(page.results.map((job) => job.id), jobs.map((job) => job.id));
      assert.equal(page.totalCount, jobs.length);
      // The whole page, as the package in Node decodes the same request.
      const inNode = await listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" }, { baseUrl: mock.url, accessToken: MOCK_TOKEN });
      assert.deepEqual(page, JSON.parse(JSON.stringify(inNode)));
    });
  });

  it("a Worker serving createAtlasProxy lists a page through it, and onError gets the AtlasError of each failing upstream", async () => {
    mock.reset();
    const vars = { ATLAS_GROUP_ID: MOCK_GROUP_ID, ATLAS_BASE_URL: mock.url, ATLAS_CLIENT_ID: MOCK_CLIENT_ID, ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET };
    await withWorker("proxy-worker", vars, async ({ url, output }) => {
      const list = () => fetch(`${url}/atlas${EXPORTS}?itemsPerPage=5&pageNum=2`, { signal: AbortSignal.timeout(30_000) });
      const errors = async () => (await fetch(`${url}/errors`, { signal: AbortSignal.timeout(30_000) })).json();

      const listed = await list();
      const page = await listed.json();
      assert.equal(listed.status, 200, JSON.stringify(page));
      const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
      assert.deepEqual(page.results.map((job) => job.id), jobs.slice(5, 10).map((job) => job.id));
      assert.equal(page.totalCount, jobs.length);
      assert.equal(mock.stats().tokenRequests, 1, "the proxy's service account got its token");
      assert.deepEqual(await errors(), []);

      // Atlas answers 500: the proxy passes it on. Atlas answers 200 with no page, or resets every
      // connection (workerd sends a GET again once after a reset): the proxy answers 502.
      mock.injectFault({ fault: { status: 500 } });
      const failed = await list();
      assert.equal(failed.status, 500);
      assert.equal((await failed.json()).errorCode, "UNEXPECTED_ERROR");
      mock.injectFault({ fault: "empty200" });
      const undecodable = await list();
      assert.equal(undecodable.status, 502);
      assert.equal((await undecodable.json()).error, 502);
      mock.injectFault({ fault: "reset", times: Infinity });
      const unreachable = await list();
      mock.reset();
      assert.equal(unreachable.status, 502);
      assert.equal((await unreachable.json()).errorCode, "UPSTREAM_UNREACHABLE");

      const path = `/atlas${EXPORTS}`;
      assert.deepEqual(await errors(), [
        { isAtlasError: true, name: "AtlasError", kind: "api", status: 500, path },
        { isAtlasError: true, name: "AtlasError", kind: "decode", status: 200, path },
        { isAtlasError: true, name: "AtlasError", kind: "network", path },
      ]);
      // What onError logged reached wrangler's output, with no secret in it.
      for (let attempt = 0; attempt < 50 && !output().includes("atlas proxy: network"); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const kind of ["api", "decode", "network"]) assert.ok(output().includes(`atlas proxy: ${kind} `), kind);
      assert.ok(!output().includes(MOCK_CLIENT_SECRET), "the client secret was logged");
    });
  });
});
