// Deno and Bun, each installed from npm (tests/stacks/runtimes/), run a script that imports the
// package by name from node_modules next to a package.json, as each runtime resolves it: it lists
// jobs from the mock with a bearer token and with a service account, checks that a bad parameter
// rejects with an AtlasError, and serves createAtlasProxy with the runtime's own HTTP server, which
// the test then lists through.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { scratchDir } from "../package/support.mjs";
import { installStack } from "./support.mjs";


const RUNTIMES = [
  { name: "Deno", command: "deno", args: ["run", "--allow-net", "--allow-read", "--allow-env", "deno.mjs"] },
  { name: "Bun", command: "bun", args: ["bun.mjs"] },
];

/**
 * Starts `command` and resolves with the JSON of its first line of output (within 60 s), and a
 * `close()` that ends it. Its output goes into the error when it fails.
 */
function startScript(command, args, { cwd, env }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const fail = async (why) => {
      clearTimeout(timer);
      await close();
      reject(new Error(`${command} ${args.join(" ")} ${why}:\n${output}`));
    };
    const timer = setTimeout(() => fail("printed no line within 60 s"), 60_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const end = output.indexOf("\n");
      if (end === -1) return;
      clearTimeout(timer);
      try {
        resolve({ result: JSON.parse(output.slice(0, end)), close, output: () => output });
      } catch {
        fail("printed no JSON line");
      }
    });
    child.stderr.on("data", (chunk) => { output += chunk; });
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal}) before printing a line`));
    child.once("error", (error) => fail(`could not start: ${error.message}`));
  });
}

describe("Deno and Bun, installed from npm", () => {
  let scratch;
  let mock;
  let expected;
  const running = new Set();

  before(async () => {
    scratch = scratchDir("runtimes");
    await installStack("runtimes", { scratch, dir: join(scratch, "project") });
    mock = await startMockAtlas({ maxSeconds: 600 });
    const cluster0 = jobsFor(MOCK_GROUP_ID, "Cluster0");
    expected = {
      // Page 2 of 5 with the bearer token; the service account's first page of 3 from Sharded0.
      bearer: { ids: cluster0.slice(5, 10).map((job) => job.id), totalCount: cluster0.length },
      serviceAccount: jobsFor(MOCK_GROUP_ID, "Sharded0").slice(0, 3).map((job) => job.id),
      validation: { isAtlasError: true, kind: "validation", field: "groupId" },
    };
  });

  after(async () => {
    for (const script of running) await script.close();
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const { name, command, args } of RUNTIMES) {
    it(`${name}: lists with a bearer token and a service account, a bad groupId is an AtlasError, and the proxy served by ${name} lists`, async () => {
      mock.reset();
      const dir = join(scratch, "project");
      const script = await startScript(join(dir, "node_modules", ".bin", command), args, {
        cwd: dir,
        env: {
          ATLAS_BASE_URL: mock.url,
          ATLAS_GROUP_ID: MOCK_GROUP_ID,
          ATLAS_ACCESS_TOKEN: MOCK_TOKEN,
          ATLAS_CLIENT_ID: MOCK_CLIENT_ID,
          ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET,
          // Nothing leaves this machine: no release check (Deno), no crash report (Bun).
          DENO_NO_UPDATE_CHECK: "1",
          DO_NOT_TRACK: "1",
        },
      });
      running.add(script);
      try {
        const { proxyUrl, ...listed } = script.result;
        assert.deepEqual(listed, expected, script.output());

        const response = await fetch(`${proxyUrl}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports?itemsPerPage=5&pageNum=2`, {
          signal: AbortSignal.timeout(20_000),
        });
        const page = await response.json();
        assert.equal(response.status, 200, JSON.stringify(page));
        assert.deepEqual(page.results.map((job) => job.id), expected.bearer.ids);
        assert.equal(page.totalCount, expected.bearer.totalCount);
        // One token for the script's client and one for the proxy's.
        assert.equal(mock.stats().tokenRequests, 2);
      } finally {
        await script.close();
        running.delete(script);
      }
    });
  }
});
