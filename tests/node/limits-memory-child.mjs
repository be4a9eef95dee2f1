// One memory measurement in a fresh process, started by limits-body.test.mjs: the calls of the
// installed package against bodies the mock streams, and what each costs.
//
//   node --expose-gc tests/node/limits-memory-child.mjs '{"url", "maxBodyBytes", "warm": [...], "clusters": [...]}'
//
// The mock runs in the parent, so its buffers are not counted here. Each cluster named has a
// fault queued in the parent; `warm` ones are called first, unmeasured, so that code every large
// body needs once (zlib, the streaming read loop, its JIT) is not counted against the first one.
// Prints one line of JSON: per cluster, the error, memory before and after (after forced garbage
// collections and a pause) and the highest RSS seen while the call ran, and whether the next call
// worked; then whatever escaped as an uncaught exception or unhandled rejection.
import { AtlasClient, isAtlasError, listExportJobs } from "atlas-export-jobs";

import { watchWasmMemory } from "../support/wasm-memory.mjs";

// Before anything instantiates the module (the first call, or a client being made).
const wasmMemory = watchWasmMemory();
const { url, maxBodyBytes, warm, clusters, groupId, token } = JSON.parse(process.argv[2]);
const escaped = [];
// Said on stderr too: a throw of this script's own (before its report) would otherwise leave no trace.
process.on("uncaughtException", (error) => {
  escaped.push(`uncaught: ${error?.name}: ${error?.message}`);
  process.stderr.write(`uncaught: ${error?.stack ?? error}\n`);
});
process.on("unhandledRejection", (reason) => escaped.push(`unhandled: ${reason?.name}: ${reason?.message}`));
if (typeof globalThis.gc !== "function") throw new Error("run with --expose-gc");

// Without maxBodyBytes: the free function and the default cap. With it: a client that sets it.
const call =
  maxBodyBytes === undefined
    ? (clusterName) => listExportJobs({ groupId, clusterName, itemsPerPage: 3 }, { baseUrl: url, accessToken: token })
    : ((client) => (clusterName) => client.listExportJobs({ groupId, clusterName, itemsPerPage: 3 }))(
        new AtlasClient({ baseUrl: url, accessToken: token, maxBodyBytes }),
      );


/** Memory once the garbage is collected and released: a pause lets the engine give back what it freed. */
async function snapshot(memory) {
  for (let i = 0; i < 3; i++) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers, wasm: memory.buffer.byteLength };
}

async function outcome(promise) {
  try {
    const page = await promise;
    return { resolved: true, jobs: page.results.length };
  } catch (error) {
    return {
      atlasError: isAtlasError(error),
      runtimeError: error instanceof WebAssembly.RuntimeError,
      kind: error?.kind,
      status: error?.status,
      maxBodyBytes: error?.maxBodyBytes,
    };
  }
}

// Warm-up: the connection pool, the wasm instance and the ordinary path.
for (let i = 0; i < 20; i++) await call("Cluster0");
const memory = wasmMemory();
for (const cluster of warm) await outcome(call(cluster));

const results = [];
for (const cluster of clusters) {
  const before = await snapshot(memory);
  let peakRss = before.rss;
  // Sampled between the body's chunks, as the read loop yields; a lower bound of the true peak.
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 1);
  const error = await outcome(call(cluster));
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  const after = await snapshot(memory);
  const next = await outcome(call("Cluster0"));
  results.push({ cluster, error, before, after, peakRss, next });
}
// Let any late rejection of a cancelled stream surface before reporting.
await new Promise((resolve) => setTimeout(resolve, 50));
process.stdout.write(`${JSON.stringify({ results, escaped })}\n`);
