// The mock Atlas's running exports: started jobs that move from Queued through InProgress to an
// outcome, one step per answered page of their cluster. Run: node --test tests/node/mock-exports.test.mjs
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";

import { startMockAtlas, V2_MEDIA_TYPE } from "../mock/atlas-mock.mjs";
import { MOCK_GROUP_ID, MOCK_TOKEN } from "../mock/dataset.mjs";
import { checkRun, stepOf } from "../mock/running-exports.mjs";

const V2 = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters`;
const JOB_KEYS = [
  "components", "createdAt", "customData", "exportBucketId", "exportStatus", "finishedAt",
  "id", "links", "prefix", "snapshotId", "state", "stateReason",
];
const HEADERS = { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: V2_MEDIA_TYPE };

async function page(mock, cluster, { query = "", headers = HEADERS } = {}) {
  const response = await fetch(`${mock.url}${V2}/${cluster}/backup/exports${query}`, { headers });
  return { status: response.status, body: await response.json() };
}

function control(mock, method, path, body) {
  return fetch(mock.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

const datasetOf = (mock, cluster) => control(mock, "GET", `/__mock/dataset?cluster=${cluster}`).then((r) => r.json());
const byId = (jobs, ids) => ids.map((id) => jobs.find((job) => job.id === id));
const states = (jobs) => jobs.map((job) => job?.state);

describe("running exports", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { Runs0: 0, Runs3: 3 } });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("start Queued, move one step per answered page, and end in the outcome asked for", async () => {
    const { ids } = mock.startExports("Runs0", { outcomes: ["Successful", "Failed", "Cancelled"], queuedFor: 1, runningFor: 2 });
    assert.equal(ids.length, 3);
    assert.deepEqual(states(byId(await datasetOf(mock, "Runs0"), ids)), ["Queued", "Queued", "Queued"]);

    const seen = [];
    for (let i = 0; i < 6; i += 1) seen.push(byId((await page(mock, "Runs0")).body.results, ids));
    assert.deepEqual(seen.map(states), [
      ["Queued", "Queued", "Queued"],
      ["InProgress", "InProgress", "InProgress"],
      ["InProgress", "InProgress", "InProgress"],
      ["Successful", "Failed", "Cancelled"],
      ["Successful", "Failed", "Cancelled"],
      ["Successful", "Failed", "Cancelled"],
    ]);
    const done = seen.map((jobs) => jobs.map((job) => job.exportStatus.exportedCollections));
    const total = seen[0].map((job) => job.exportStatus.totalCollections);
    assert.deepEqual(done[0], [0, 0, 0]);
    for (let j = 0; j < 3; j += 1) {
      assert.ok(done[0][j] < done[1][j] && done[1][j] < done[2][j] && done[2][j] < total[j], `job ${j} progresses`);
    }
    assert.equal(done[3][0], total[0], "a successful export exported every collection");
  });

  it("carry finishedAt once terminal and a stateReason when Failed, as the dataset's jobs do", async () => {
    const { ids } = mock.startExports("Runs0", { outcomes: ["Successful", "Failed", "Cancelled"], queuedFor: 0, runningFor: 1 });
    const running = byId((await page(mock, "Runs0")).body.results, ids);
    assert.deepEqual(states(running), ["InProgress", "InProgress", "InProgress"]);
    assert.ok(running.every((job) => !("finishedAt" in job) && !("stateReason" in job)));
    const [successful, failed, cancelled] = byId((await page(mock, "Runs0")).body.results, ids);
    for (const job of [successful, failed, cancelled]) assert.ok(job.finishedAt > job.createdAt);
    assert.match(failed.stateReason.errorCode, /^EXPORT_FAILED_/);
    assert.equal(typeof failed.stateReason.message, "string");
    assert.ok(!("stateReason" in successful) && !("stateReason" in cancelled));
    const keys = Object.keys(failed);
    assert.deepEqual(keys, JOB_KEYS.filter((key) => keys.includes(key)), "keys in the spec fixture's order");
    assert.ok(keys.includes("finishedAt") && keys.includes("stateReason"));
  });

  it("go after the cluster's other jobs, which stay as they were", async () => {
    const before = await datasetOf(mock, "Runs3");
    const { ids } = mock.startExports("Runs3", { outcomes: ["Successful"] });
    const { body } = await page(mock, "Runs3");
    assert.equal(body.totalCount, 4);
    assert.deepEqual(body.results.slice(0, 3), before);
    assert.equal(body.results[3].id, ids[0]);
  });

  it("move only on answered pages of their own cluster", async () => {
    const { ids } = mock.startExports("Runs0", { outcomes: ["Successful"], queuedFor: 1, runningFor: 1 });
    assert.equal((await page(mock, "Runs0", { headers: { Accept: V2_MEDIA_TYPE } })).status, 401);
    assert.equal((await page(mock, "Runs0", { query: "?itemsPerPage=0" })).status, 400);
    mock.injectFault({ cluster: "Runs0", fault: { status: 503 } });
    assert.equal((await page(mock, "Runs0")).status, 503);
    assert.equal((await page(mock, "Runs3")).status, 200);
    await datasetOf(mock, "Runs0");
    assert.deepEqual(states(byId((await page(mock, "Runs0")).body.results, ids)), ["Queued"]);
    assert.deepEqual(states(byId((await page(mock, "Runs0")).body.results, ids)), ["InProgress"]);
    assert.deepEqual(states(byId((await page(mock, "Runs0")).body.results, ids)), ["Successful"]);
  });

  it("count every answered page, whichever page it is", async () => {
    mock.addJobs("Runs0", 2);
    const { ids } = mock.startExports("Runs0", { outcomes: ["Failed"], queuedFor: 1, runningFor: 1 });
    const first = await page(mock, "Runs0", { query: "?itemsPerPage=1&pageNum=1" });
    assert.equal(first.body.results.length, 1);
    const last = await page(mock, "Runs0", { query: "?itemsPerPage=1&pageNum=3" });
    assert.deepEqual(states(byId(last.body.results, ids)), ["InProgress"]);
  });

  it("run in batches, each from its own start", async () => {
    const first = mock.startExports("Runs0", { outcomes: ["Successful"], queuedFor: 0, runningFor: 1 });
    await page(mock, "Runs0");
    const second = mock.startExports("Runs0", { outcomes: ["Cancelled"], queuedFor: 0, runningFor: 1 });
    const { body } = await page(mock, "Runs0");
    assert.deepEqual(states(byId(body.results, [...first.ids, ...second.ids])), ["Successful", "InProgress"]);
  });

  it("are started over HTTP too, and gone after reset()", async () => {
    const response = await control(mock, "POST", "/__mock/exports", { cluster: "Runs0", outcomes: ["Failed", "Successful"], runningFor: 0 });
    assert.equal(response.status, 200);
    const { ids } = await response.json();
    assert.deepEqual(states(byId((await page(mock, "Runs0")).body.results, ids)), ["Queued", "Queued"]);
    assert.deepEqual(states(byId((await page(mock, "Runs0")).body.results, ids)), ["Failed", "Successful"]);
    mock.reset();
    assert.deepEqual(await datasetOf(mock, "Runs0"), []);
    assert.deepEqual((await page(mock, "Runs0")).body.results, []);
  });

  it("are refused for an unknown cluster or outcome, or step counts that are not integers", async () => {
    for (const [cluster, run] of [
      ["Nope", { outcomes: ["Successful"] }],
      ["Runs0", { outcomes: [] }],
      ["Runs0", { outcomes: ["Queued"] }],
      ["Runs0", { outcomes: "Successful" }],
      ["Runs0", { outcomes: ["Failed"], queuedFor: -1 }],
      ["Runs0", { outcomes: ["Failed"], runningFor: 1.5 }],
    ]) {
      assert.throws(() => mock.startExports(cluster, run), TypeError, JSON.stringify([cluster, run]));
      const response = await control(mock, "POST", "/__mock/exports", { cluster, ...run });
      assert.equal(response.status, 400);
      assert.match((await response.json()).error, /^no exports started: /);
    }
    assert.deepEqual(await datasetOf(mock, "Runs0"), []);
  });
});

describe("running export steps", () => {
  it("are Queued, then InProgress with rising collections, then the outcome", () => {
    const run = { outcome: "Cancelled", ...checkRun({ outcomes: ["Cancelled"], queuedFor: 2, runningFor: 3 }) };
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((step) => stepOf(run, step, 20)), [
      { state: "Queued" },
      { state: "Queued" },
      { state: "InProgress", exported: 5 },
      { state: "InProgress", exported: 10 },
      { state: "InProgress", exported: 15 },
      { state: "Cancelled" },
      { state: "Cancelled" },
    ]);
  });

  it("default to one page Queued and two InProgress", () => {
    assert.deepEqual(checkRun({ outcomes: ["Successful"] }), { outcomes: ["Successful"], queuedFor: 1, runningFor: 2 });
  });
});
