// One measurement in a fresh Node process, started by bench/run.mjs (not a test):
//   node bench/child.mjs cold-start   <client> <mockUrl>   import to the first completed call
//   node --expose-gc bench/child.mjs memory <client> <mockUrl> <calls>   memory around sequential calls
//   node bench/child.mjs throughput   <client> <mockUrl> <calls> <inFlight>
// It prints one line of JSON. Every loop is bounded by its count and by TIME_LIMIT_MS.
import { performance } from "node:perf_hooks";

const started = performance.now();
const [task, which, mockUrl, ...numbers] = process.argv.slice(2);
const TIME_LIMIT_MS = 300_000;
const GROUP_ID = "6542a1b2c3d4e5f60718293a";
const TOKEN = "mock-atlas-token-7c1e0d5f";
const params = (extra = {}) => ({ groupId: GROUP_ID, clusterName: "Size500", ...extra });
const options = { baseUrl: mockUrl, accessToken: TOKEN };

/** Calls `call` `count` times one after another, stopping early only at the time limit. */
async function sequential(count, call) {
  const until = performance.now() + TIME_LIMIT_MS;
  let done = 0;
  while (done < count && performance.now() < until) {
    await call();
    done++;
  }
  return done;
}

async function coldStart() {
  // Everything before this line is Node starting up; from here on it is the client's cost.
  const { loadClient } = await import("./clients.mjs");
  const { listExportJobs } = await loadClient(which);
  const imported = performance.now();
  const page = await listExportJobs(params({ itemsPerPage: 100 }), options);
  const called = performance.now();
  if (page.results.length !== 100) throw new Error(`got ${page.results.length} jobs, not 100`);
  return { importMs: imported - started, firstCallMs: called - imported, totalMs: called - started };
}

async function memory() {
  const [calls, itemsPerPage] = numbers.map(Number);
  const { loadClient, wasmMemoryReader } = await import("./clients.mjs");
  const { listExportJobs } = await loadClient(which);
  const wasmMemoryBytes = await wasmMemoryReader(which);
  if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");
  const call = async () => {
    const page = await listExportJobs(params({ itemsPerPage }), options);
    if (page.results.length !== itemsPerPage) throw new Error(`got ${page.results.length} jobs`);
  };
  const snapshot = () => {
    globalThis.gc();
    globalThis.gc();
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed, wasm: wasmMemoryBytes() };
  };
  await sequential(500, call); // warm-up: JIT, connection pool, allocator
  const before = snapshot();
  const done = await sequential(calls, call);
  const after = snapshot();
  return { calls: done, itemsPerPage, before, after };
}

async function throughput() {
  const [calls, inFlight, itemsPerPage] = numbers.map(Number);
  const { loadClient } = await import("./clients.mjs");
  const { listExportJobs } = await loadClient(which);
  await sequential(100, () => listExportJobs(params({ itemsPerPage }), options)); // warm-up
  let issued = 0;
  let succeeded = 0;
  let failed = 0;
  const until = performance.now() + TIME_LIMIT_MS;
  const worker = async () => {
    while (issued < calls && performance.now() < until) {
      issued++;
      try {
        const page = await listExportJobs(params({ itemsPerPage }), options);
        if (page.results.length === itemsPerPage) succeeded++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  const ms = performance.now() - begin;
  return { calls: issued, succeeded, failed, ms, callsPerSecond: (succeeded * 1000) / ms };
}

const tasks = { "cold-start": coldStart, memory, throughput };
if (!tasks[task]) throw new TypeError(`usage: node bench/child.mjs ${Object.keys(tasks).join("|")} <client> <mockUrl> [...]`);
process.stdout.write(`${JSON.stringify(await tasks[task]())}\n`);
