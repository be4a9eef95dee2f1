// Load run (not a test): the package under many calls at once against the mock Atlas on
// 127.0.0.1, run by `bash scripts/load.sh`, which builds the package first.
//
//   (a) 10,000 calls with 50 in flight;
//   (b) an abort storm: 2,000 calls, each aborted at a random moment (before it is sent, while it
//       waits for the answer, or after it has ended), then 1,000 normal calls that must succeed;
//   (c) 100 service-account clients with 10 calls in flight each, then every client closed.
//
// Per run it prints the calls, the failures by kind, the token requests the mock saw, the wasm
// memory, RSS and JS heap before and after, and the elapsed time. The mock runs in a child process
// (this file again, with --serve-mock), so its memory is not counted here. Every run is bounded by
// its count and by RUN_LIMIT_MS. Exits 1 if a run that must not fail had a failure.
//
//   node --expose-gc bench/load.mjs [--seed N]
import { fork } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { watchWasmMemory } from "../tests/support/wasm-memory.mjs";

const GROUP_ID = "6542a1b2c3d4e5f60718293a";
const TOKEN = "mock-atlas-token-7c1e0d5f";
const RUN_LIMIT_MS = 60_000;
const MOCK_LIMIT_SECONDS = 600;
// A small page keeps the run about the client's machinery, not JSON volume; bench/run.mjs measures that.
const ITEMS_PER_PAGE = 10;
// Long enough that a random abort often lands while the request is on the wire.
const STORM_LATENCY_MS = 4;

const { values: flags } = parseArgs({ options: { "serve-mock": { type: "boolean" }, seed: { type: "string" } } });
if (flags["serve-mock"]) await serveMock();
else await main();

// ---- the mock, in its own process ----------------------------------------------------------------

/**
 * Runs the mock and answers the parent's messages: `stats`, `latency`. Its token rate limit is
 * raised so that 100 clients may each get a token within a minute; it stops with its parent.
 */
async function serveMock() {
  const { startMockAtlas, MOCK_CLIENT_ID, MOCK_CLIENT_SECRET } = await import("atlas-export-jobs/testing");
  const mock = await startMockAtlas({ tokenRateLimit: 1_000, maxSeconds: MOCK_LIMIT_SECONDS });
  process.on("message", async ({ id, op, ms }) => {
    if (op === "latency") mock.setLatency(ms);
    process.send({ id, stats: mock.stats() });
  });
  process.on("disconnect", () => mock.close().then(() => process.exit(0)));
  process.send({ url: mock.url, clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET });
}

function startMock() {
  const child = fork(fileURLToPath(import.meta.url), ["--serve-mock"], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let next = 0;
  const ask = (message) => {
    const id = ++next;
    child.send({ ...message, id });
    return new Promise((resolve) => {
      const onMessage = (reply) => {
        if (reply.id !== id) return;
        child.off("message", onMessage);
        resolve(reply.stats);
      };
      child.on("message", onMessage);
    });
  };
  return once(child, "message", { signal: AbortSignal.timeout(30_000) }).then(([hello]) => ({
    ...hello,
    stats: () => ask({ op: "stats" }),
    setLatency: (ms) => ask({ op: "latency", ms }),
    stop: () => child.disconnect(),
  }));
}

// ---- measuring -----------------------------------------------------------------------------------

function memoryNow(wasmBytes) {
  // Collected first when the run allows it (load.sh passes --expose-gc), so garbage is not counted.
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, wasm: wasmBytes() };
}

/** A small seeded generator (mulberry32), so a storm can be run again exactly. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `count` calls of `call(i)` with `inFlight` at once, stopping early at RUN_LIMIT_MS. Returns
 * the calls made, those that resolved, and the failures by kind.
 */
async function pool(count, inFlight, call, isAtlasError) {
  const until = performance.now() + RUN_LIMIT_MS;
  const failures = {};
  let issued = 0;
  let succeeded = 0;
  const worker = async () => {
    while (issued < count && performance.now() < until) {
      const i = issued++;
      try {
        await call(i);
        succeeded++;
      } catch (error) {
        const kind = isAtlasError(error) ? error.kind : `not an AtlasError (${error?.name})`;
        failures[kind] = (failures[kind] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { calls: issued, succeeded, failures, timedOut: issued < count };
}

// ---- the runs ------------------------------------------------------------------------------------

async function main() {
  const seed = flags.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(flags.seed);
  const escaped = [];
  process.on("unhandledRejection", (reason) => escaped.push(`unhandled rejection: ${reason?.name ?? typeof reason}`));
  process.on("uncaughtException", (error) => escaped.push(`uncaught exception: ${error?.name ?? typeof error}`));

  const { AtlasClient, isAtlasError, listExportJobs } = await import("atlas-export-jobs");
  // Before the first call, which instantiates the module.
  const wasmMemory = watchWasmMemory();
  const { version } = createRequire(import.meta.url)("atlas-export-jobs/package.json");
  const mock = await startMock();
  const params = { groupId: GROUP_ID, clusterName: "Big0", itemsPerPage: ITEMS_PER_PAGE };
  const bearer = { baseUrl: mock.url, accessToken: TOKEN };
  const checkedCall = async (promise) => {
    const page = await promise;
    if (page.results.length !== ITEMS_PER_PAGE) throw new Error(`a page of ${page.results.length} jobs`);
  };

  // Warm-up, so the first run does not pay for loading the module and opening connections.
  for (let i = 0; i < 50; i++) await checkedCall(listExportJobs(params, bearer));
  const wasmBytes = () => wasmMemory().buffer.byteLength;

  console.log(`load: atlas-export-jobs ${version}, Node ${process.version}, ${cpus().length} CPUs, mock at ${mock.url}, seed ${seed}`);
  console.log("wasm memory is the package's own instance, found as it was made; memory is taken after forced GC.");
  if (typeof globalThis.gc !== "function") console.log("(no --expose-gc: memory figures include uncollected garbage)");
  const results = [];

  /** Runs `body` and prints and keeps its figures; `mustNotFail` decides whether a failure fails the whole load run. */
  async function run(name, mustNotFail, body) {
    const statsBefore = await mock.stats();
    const before = memoryNow(wasmBytes);
    const started = performance.now();
    const outcome = await body();
    const elapsedMs = performance.now() - started;
    const after = memoryNow(wasmBytes);
    const statsAfter = await mock.stats();
    const tokenRequests = statsAfter.tokenRequests - statsBefore.tokenRequests;
    const revokeRequests = statsAfter.revokeRequests - statsBefore.revokeRequests;
    const problems = mustNotFail(outcome, { tokenRequests, revokeRequests });
    results.push({ name, problems });
    const kinds = Object.entries(outcome.failures);
    console.log(`\n== ${name}`);
    console.log(`  calls ${outcome.calls}, succeeded ${outcome.succeeded}, failures by kind: ${kinds.length ? kinds.map(([k, n]) => `${k} ${n}`).join(", ") : "none"}`);
    for (const line of outcome.notes ?? []) console.log(`  ${line}`);
    console.log(`  token requests seen by the mock: ${tokenRequests} (revocations: ${revokeRequests})`);
    console.log(`  wasm memory: ${bytes(before.wasm)} -> ${bytes(after.wasm)}`);
    console.log(`  process RSS: ${mb(before.rss)} -> ${mb(after.rss)}; JS heap used: ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}`);
    console.log(`  elapsed: ${(elapsedMs / 1000).toFixed(1)} s`);
    console.log(`  ${problems.length ? `FAILED: ${problems.join("; ")}` : "ok"}`);
  }

  const noFailures = (outcome) => [
    ...(outcome.calls !== outcome.succeeded ? [`${outcome.calls - outcome.succeeded} calls failed`] : []),
    ...(outcome.timedOut ? [`stopped at the ${RUN_LIMIT_MS / 1000} s limit`] : []),
  ];

  await run("(a) 10,000 calls, 50 in flight", noFailures, () => pool(10_000, 50, () => checkedCall(listExportJobs(params, bearer)), isAtlasError));

  const next = random(seed);
  await run("(b) abort storm: 2,000 calls aborted at random moments", (outcome) => {
    const others = Object.entries(outcome.failures).filter(([kind]) => kind !== "aborted");
    return [...others.map(([kind, n]) => `${n} failed as ${kind}, not aborted`), ...(outcome.timedOut ? ["stopped at the time limit"] : [])];
  }, async () => {
    await mock.setLatency(STORM_LATENCY_MS);
    const when = { before: 0, during: 0, after: 0 };
    try {
      const outcome = await pool(2_000, 50, async () => {
        const controller = new AbortController();
        // A tenth are aborted before the call starts; the rest anywhere within twice the latency.
        const moment = next() < 0.1 ? -1 : next() * STORM_LATENCY_MS * 2;
        if (moment < 0) controller.abort(new Error("storm"));
        const timer = moment < 0 ? undefined : setTimeout(() => controller.abort(new Error("storm")), moment);
        try {
          await checkedCall(listExportJobs(params, { ...bearer, signal: controller.signal }));
        } finally {
          // Aborted by the time the call settled: before or during it; not yet: it ended first.
          when[moment < 0 ? "before" : controller.signal.aborted ? "during" : "after"]++;
          clearTimeout(timer);
        }
      }, isAtlasError);
      outcome.notes = [`aborted before the call ${when.before}; aborted in flight ${when.during}; ended before its abort ${when.after}`];
      return outcome;
    } finally {
      await mock.setLatency(0);
    }
  });

  await run("(b) then 1,000 normal calls, 50 in flight", noFailures, () => pool(1_000, 50, () => checkedCall(listExportJobs(params, bearer)), isAtlasError));

  const CLIENTS = 100;
  await run(`(c) ${CLIENTS} service-account clients, 10 calls in flight each`, (outcome, { tokenRequests }) => [
    ...noFailures(outcome),
    ...(tokenRequests !== CLIENTS ? [`${tokenRequests} token requests, not one per client (${CLIENTS})`] : []),
    ...(outcome.closeFailures ? [`${outcome.closeFailures} close() calls failed`] : []),
  ], async () => {
    const auth = { type: "serviceAccount", clientId: mock.clientId, clientSecret: mock.clientSecret };
    const clients = Array.from({ length: CLIENTS }, () => new AtlasClient({ baseUrl: mock.url, auth }));
    const outcomes = await Promise.all(clients.map((client) => pool(10, 10, () => checkedCall(client.listExportJobs(params)), isAtlasError)));
    const closed = await Promise.allSettled(clients.map((client) => client.close()));
    const failures = {};
    for (const outcome of outcomes) for (const [kind, n] of Object.entries(outcome.failures)) failures[kind] = (failures[kind] ?? 0) + n;
    return {
      calls: outcomes.reduce((sum, o) => sum + o.calls, 0),
      succeeded: outcomes.reduce((sum, o) => sum + o.succeeded, 0),
      failures,
      timedOut: outcomes.some((o) => o.timedOut),
      closeFailures: closed.filter((c) => c.status === "rejected").length,
      notes: [`clients closed: ${closed.length - closed.filter((c) => c.status === "rejected").length} of ${CLIENTS}`],
    };
  });

  mock.stop();
  const failed = results.filter((r) => r.problems.length > 0);
  if (escaped.length) console.log(`\nescaped the calls: ${escaped.join(", ")}`);
  console.log(`\n${failed.length || escaped.length ? `FAILED: ${[...failed.map((r) => r.name), ...(escaped.length ? ["escaped errors"] : [])].join("; ")}` : "all runs ok"}`);
  process.exitCode = failed.length || escaped.length ? 1 : 0;
}

function mb(value) {
  return `${(value / 1e6).toFixed(1)} MB`;
}

function bytes(value) {
  return `${value.toLocaleString("en-US")} bytes`;
}
