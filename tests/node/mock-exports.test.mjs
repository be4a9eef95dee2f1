// The mock Atlas's running exports: started jobs that move from Queued through InProgress to an
// outcome, one step per answered page of their cluster, and with a pace (jobStepMs) the dataset's
// own running jobs, one step per jobStepMs of the mock's clock.
// Run: node --test tests/node/mock-exports.test.mjs
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";
import { buildDataset } from "../../pkg-template/testing/dataset.mjs";
import { checkRun, stepOf } from "../../pkg-template/testing/running-exports.mjs";

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

describe("the dataset's running jobs, given a pace", () => {
  const STEP_MS = 1000;
  let mock;
  let now;
  before(async () => {
    now = Date.UTC(2026, 5, 1);
    // A clock that moves only when the test moves it.
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { Runs0: 0, Runs3: 3 }, jobStepMs: STEP_MS, now: () => now });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  /** The jobs of `cluster` as built, their links naming `server`. */
  const pristine = (cluster, server = mock) => buildDataset({ publicBaseUrl: server.url }).get(cluster);
  const running = (jobs) => jobs.filter((job) => job.state === "Queued" || job.state === "InProgress");
  /** Every job of `cluster` at each of `steps` steps, read through pages of 500. */
  async function history(cluster, steps) {
    const seen = [];
    for (let step = 0; step <= steps; step += 1) {
      if (step > 0) mock.advanceClock(STEP_MS / 1000);
      const jobs = [];
      for (let pageNum = 1; ; pageNum += 1) {
        const { body } = await page(mock, cluster, { query: `?itemsPerPage=500&pageNum=${pageNum}` });
        jobs.push(...body.results);
        if (!body.links.some((link) => link.rel === "next")) break;
      }
      seen.push(jobs);
    }
    return seen;
  }

  it("stay as built until the first step", async () => {
    assert.deepEqual((await page(mock, "Cluster0", { query: "?itemsPerPage=500" })).body.results, pristine("Cluster0"));
    mock.advanceClock(STEP_MS / 1000 - 0.001);
    assert.deepEqual(await datasetOf(mock, "Cluster0"), pristine("Cluster0"));
  });

  it("go from Queued through InProgress, with collections rising, to Successful, Failed or Cancelled", async () => {
    for (const cluster of ["Cluster0", "Sharded0", "Big0"]) {
      mock.reset();
      const seen = await history(cluster, 6);
      assert.ok(running(seen[0]).length > 0, cluster);
      assert.deepEqual(running(seen.at(-1)), [], `${cluster}: every job is done after 6 steps`);
      const outcomes = new Set();
      for (const [index, job] of pristine(cluster).entries()) {
        const path = seen.map((jobs) => jobs[index]);
        assert.ok(path.every((step) => step.id === job.id), "the jobs keep their places");
        if (job.state !== "Queued" && job.state !== "InProgress") {
          assert.ok(path.every((step) => step === path[0] || JSON.stringify(step) === JSON.stringify(job)), "a finished job stays as it is");
          continue;
        }
        // The states never go back, and a job runs before it ends.
        const order = path.map((step) => ["Queued", "InProgress"].indexOf(step.state)).map((rank) => (rank === -1 ? 2 : rank));
        assert.deepEqual(order, [...order].sort(), `${job.id}: ${path.map((step) => step.state)}`);
        assert.ok(order.includes(1), `${job.id} is InProgress on the way`);
        const inProgress = path.filter((step) => step.state === "InProgress").map((step) => step.exportStatus.exportedCollections);
        assert.deepEqual(inProgress, [...inProgress].sort((a, b) => a - b), "collections only rise");
        const end = path.at(-1);
        outcomes.add(end.state);
        assert.ok(end.finishedAt > end.createdAt);
        assert.equal("stateReason" in end, end.state === "Failed");
        if (end.state === "Successful") assert.equal(end.exportStatus.exportedCollections, end.exportStatus.totalCollections);
        const keys = Object.keys(end);
        assert.deepEqual(keys, JOB_KEYS.filter((key) => keys.includes(key)), "keys in the spec fixture's order");
      }
      if (cluster !== "Sharded0") assert.deepEqual([...outcomes].sort(), ["Cancelled", "Failed", "Successful"], cluster);
    }
  });

  it("are the same in pages and in /__mock/dataset at the same time", async () => {
    mock.advanceClock(2);
    const { body } = await page(mock, "Cluster0", { query: "?itemsPerPage=500" });
    assert.deepEqual(body.results, await datasetOf(mock, "Cluster0"));
    assert.notDeepEqual(body.results, pristine("Cluster0"));
  });

  it("leave started jobs to move by pages, and start jobs added later from their addition", async () => {
    const { ids } = mock.startExports("Runs0", { outcomes: ["Successful"], queuedFor: 1, runningFor: 2 });
    mock.advanceClock(10);
    assert.deepEqual(states(byId(await datasetOf(mock, "Runs0"), ids)), ["Queued"], "ten steps on, no page answered yet");
    assert.deepEqual(states(byId((await page(mock, "Runs0")).body.results, ids)), ["Queued"]);
    assert.deepEqual(states(byId((await page(mock, "Runs0")).body.results, ids)), ["InProgress"]);

    // Jobs 5 and 6 of a cluster are built Queued and InProgress.
    const added = mock.addJobs("Runs3", 4).ids.slice(2);
    const before = byId(await datasetOf(mock, "Runs3"), added);
    assert.deepEqual(states(before), ["Queued", "InProgress"], "as built, though the clock is ten steps on");
    mock.advanceClock(STEP_MS / 1000);
    const after = byId(await datasetOf(mock, "Runs3"), added);
    assert.deepEqual(states(after), ["Queued", "InProgress"]);
    assert.ok(after[1].exportStatus.exportedCollections > before[1].exportStatus.exportedCollections, "one step on");
  });

  it("start over on reset()", async () => {
    mock.advanceClock(6);
    assert.deepEqual(running(await datasetOf(mock, "Cluster0")), []);
    mock.reset();
    assert.deepEqual(await datasetOf(mock, "Cluster0"), pristine("Cluster0"));
  });

  it("move on the real clock by default, so a client polling them sees them end", async () => {
    const paced = await startMockAtlas({ maxSeconds: 60, jobStepMs: 5 });
    try {
      let left = running(pristine("Sharded0", paced)).length;
      assert.ok(left > 0);
      // Bounded: 6 steps of 5 ms take far fewer than 1,000 polls 10 ms apart.
      for (let poll = 0; poll < 1000 && left > 0; poll += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        left = running((await page(paced, "Sharded0")).body.results).length;
      }
      assert.equal(left, 0);
    } finally {
      await paced.close();
    }
  });

  it("stay as built without a pace, however the clock moves", async () => {
    const still = await startMockAtlas({ maxSeconds: 60 });
    try {
      still.advanceClock(3600);
      assert.deepEqual((await page(still, "Cluster0", { query: "?itemsPerPage=500" })).body.results, pristine("Cluster0", still));
    } finally {
      await still.close();
    }
  });

  it("refuse a pace that is not a positive number of ms", async () => {
    for (const jobStepMs of [0, -1, Number.NaN, Infinity, "3000"]) {
      await assert.rejects(startMockAtlas({ jobStepMs }), TypeError, String(jobStepMs));
    }
  });
});
