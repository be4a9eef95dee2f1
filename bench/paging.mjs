// Benchmark (not a test): iterate 10,000 jobs at 500 a page from the mock with 50 ms of latency per
// response, one page at a time and with pages fetched ahead, and print the times and their ratio.
import { iterateExportJobs } from "atlas-export-jobs";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";

const RUNS = 5;
const mock = await startMockAtlas({ clusters: { Size10000: 10_000 }, latencyMs: 50, maxSeconds: 300 });

async function iterate(concurrency) {
  const started = performance.now();
  let count = 0;
  const params = { groupId: MOCK_GROUP_ID, clusterName: "Size10000", itemsPerPage: 500 };
  for await (const _ of iterateExportJobs(params, { baseUrl: mock.url, accessToken: MOCK_TOKEN, concurrency })) count++;
  if (count !== 10_000) throw new Error(`listed ${count} jobs, not 10,000`);
  return performance.now() - started;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = {};
for (const [name, concurrency] of [["sequential (concurrency 1)", 1], ["concurrent (concurrency 4, the default)", 4]]) {
  await iterate(concurrency); // warm-up
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await iterate(concurrency));
  results[name] = median(times);
}
await mock.close();

const [sequential, concurrent] = Object.values(results);
console.log(`10,000 jobs, 500 a page (20 requests), 50 ms latency a response; median of ${RUNS} runs`);
for (const [name, ms] of Object.entries(results)) console.log(`  ${name.padEnd(42)} ${ms.toFixed(0).padStart(6)} ms`);
console.log(`  ${"speed-up".padEnd(42)} ${(sequential / concurrent).toFixed(2).padStart(6)}x`);
