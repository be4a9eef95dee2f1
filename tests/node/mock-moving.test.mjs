// Export jobs a test moves on command: setJobState puts a job in a state, where pages and the
// clock leave it; removeJob lists it no more; both over HTTP too, and both undone by reset().
// Run: node --test tests/node/mock-moving.test.mjs
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { after, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { MOCK_GROUP_ID, MOCK_TOKEN, mockFetch, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";
import { buildDataset, jobInState } from "../../pkg-template/testing/dataset.mjs";

const V2 = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters`;
const HEADERS = { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: V2_MEDIA_TYPE };

async function page(mock, cluster, query = "") {
  const response = await (mock.fetch ?? fetch)(`${mock.url}${V2}/${cluster}/backup/exports${query}`, { headers: HEADERS });
  assert.equal(response.status, 200);
  return response.json();
}

function control(mock, path, body) {
  return (mock.fetch ?? fetch)(mock.url + path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
}

/** Every job of `cluster` read through pages of `itemsPerPage`, and each page's totalCount. */
async function everyPage(mock, cluster, itemsPerPage) {
  const jobs = [];
  const totals = [];
  for (let pageNum = 1; pageNum < 100; pageNum += 1) {
    const body = await page(mock, cluster, `?itemsPerPage=${itemsPerPage}&pageNum=${pageNum}`);
    jobs.push(...body.results);
    totals.push(body.totalCount);
    if (!body.links.some((link) => link.rel === "next")) break;
  }
  return { jobs, totals };
}

const byId = (jobs, id) => jobs.find((job) => job.id === id);
const stateOf = (jobs, id) => byId(jobs, id)?.state;
const ids = (jobs) => jobs.map((job) => job.id);

describe("a job put in a state on command", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { Runs0: 0, Runs3: 3 } });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("shows that state from the next page on, with the collections given", async () => {
    const [job] = mock.jobs("Runs3");
    assert.equal(job.state, "Queued");
    const moved = mock.setJobState("Runs3", job.id, "InProgress", { exportedCollections: 3 });
    assert.equal(moved.state, "InProgress");
    assert.deepEqual(moved.exportStatus, { exportedCollections: 3, totalCollections: job.exportStatus.totalCollections });
    const { results } = await page(mock, "Runs3");
    assert.deepEqual(byId(results, job.id), moved);
    assert.deepEqual(mock.jobs("Runs3")[0], moved);
  });

  it("carries the fields of its state as jobInState makes them: finishedAt once terminal, a stateReason when Failed", async () => {
    const [job] = mock.jobs("Runs3");
    for (const state of ["Failed", "Cancelled", "Successful", "Queued"]) {
      const moved = mock.setJobState("Runs3", job.id, state);
      assert.deepEqual(moved, jobInState(job, state, 0), state);
      assert.deepEqual(byId((await page(mock, "Runs3")).results, job.id), moved, state);
    }
    const failed = mock.setJobState("Runs3", job.id, "Failed", { exportedCollections: 2 });
    assert.match(failed.stateReason.errorCode, /^EXPORT_FAILED_/);
    assert.ok(failed.finishedAt > failed.createdAt);
    assert.equal(failed.exportStatus.exportedCollections, 2);
  });

  it("may be a state Atlas has not named yet, shown with no finishedAt or stateReason", async () => {
    const [job] = mock.jobs("Runs3");
    const paused = mock.setJobState("Runs3", job.id, "Paused", { exportedCollections: 1 });
    const shown = byId((await page(mock, "Runs3")).results, job.id);
    assert.deepEqual(shown, paused);
    assert.equal(shown.state, "Paused");
    assert.equal(shown.exportStatus.exportedCollections, 1);
    assert.ok(!("finishedAt" in shown) && !("stateReason" in shown));
  });

  it("is a copy: changing what setJobState returned changes nothing in the mock", async () => {
    const [job] = mock.jobs("Runs3");
    const moved = mock.setJobState("Runs3", job.id, "InProgress");
    moved.state = "Tampered";
    assert.equal(stateOf((await page(mock, "Runs3")).results, job.id), "InProgress");
  });

  it("is no longer moved by pages once started, while the jobs started with it run on", async () => {
    const { ids: [held, running] } = mock.startExports("Runs0", { outcomes: ["Successful", "Failed"], queuedFor: 1, runningFor: 2 });
    assert.deepEqual([held, running].map((id) => stateOf(mock.jobs("Runs0"), id)), ["Queued", "Queued"]);
    await page(mock, "Runs0");
    const moved = mock.setJobState("Runs0", held, "InProgress", { exportedCollections: 3 });
    const seen = [];
    for (let i = 0; i < 5; i += 1) seen.push((await page(mock, "Runs0")).results);
    for (const results of seen) assert.deepEqual(byId(results, held), moved, "the moved job stays as it was put");
    assert.deepEqual(seen.map((results) => stateOf(results, running)), ["InProgress", "InProgress", "Failed", "Failed", "Failed"]);
  });

  it("can be moved again, and stays where it was put last", async () => {
    const { ids: [id] } = mock.startExports("Runs0", { outcomes: ["Successful"] });
    mock.setJobState("Runs0", id, "InProgress", { exportedCollections: 1 });
    await page(mock, "Runs0");
    const failed = mock.setJobState("Runs0", id, "Failed");
    for (let i = 0; i < 3; i += 1) assert.deepEqual(byId((await page(mock, "Runs0")).results, id), failed);
  });

  it("leaves the other jobs of its cluster as they were", async () => {
    const before = mock.jobs("Runs3");
    mock.setJobState("Runs3", before[1].id, "Cancelled");
    const { results } = await page(mock, "Runs3");
    assert.deepEqual([results[0], results[2]], [before[0], before[2]]);
  });
});

describe("a job removed on command", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { Runs0: 0, Runs3: 3 } });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("is listed no more, the totalCount drops and the rest pages as before", async () => {
    const before = mock.jobs("Cluster0");
    const gone = [before[0].id, before[17].id, before[41].id];
    for (const [n, id] of gone.entries()) assert.deepEqual(mock.removeJob("Cluster0", id), { totalCount: before.length - n - 1 });
    const rest = before.filter((job) => !gone.includes(job.id));
    const { jobs, totals } = await everyPage(mock, "Cluster0", 5);
    assert.equal(totals.length, 8, "39 jobs on pages of 5");
    assert.ok(totals.every((total) => total === 39));
    assert.deepEqual(jobs, rest, "the same jobs, in the same order, each once");
    assert.deepEqual(mock.jobs("Cluster0"), rest);
    const dataset = await fetch(`${mock.url}/__mock/dataset?cluster=Cluster0`).then((response) => response.json());
    assert.deepEqual(dataset, rest);
  });

  it("cannot be moved or removed again", () => {
    const [job] = mock.jobs("Runs3");
    mock.removeJob("Runs3", job.id);
    assert.throws(() => mock.removeJob("Runs3", job.id), { name: "TypeError", message: `no job ${job.id} listed in cluster Runs3` });
    assert.throws(() => mock.setJobState("Runs3", job.id, "Failed"), { name: "TypeError", message: `no job ${job.id} listed in cluster Runs3` });
  });

  it("leaves the jobs added after it new ids of their own", async () => {
    const [first] = mock.jobs("Runs3");
    mock.removeJob("Runs3", first.id);
    const { totalCount, ids: added } = mock.addJobs("Runs3", 2);
    assert.equal(totalCount, 4);
    const { results } = await page(mock, "Runs3");
    assert.equal(new Set(ids(results)).size, 4, "no id listed twice");
    assert.deepEqual(ids(results).slice(2), added);
  });

  it("before a started job leaves that job moving as it would have", async () => {
    // The started job's path, page by page, with a job before it removed after `removeAfter` pages.
    const path = async (removeAfter) => {
      mock.reset();
      const { ids: [id] } = mock.startExports("Runs3", { outcomes: ["Failed"], queuedFor: 1, runningFor: 2 });
      const seen = [];
      for (let i = 0; i < 5; i += 1) {
        if (i === removeAfter) mock.removeJob("Runs3", mock.jobs("Runs3")[1].id);
        const { results, totalCount } = await page(mock, "Runs3");
        assert.equal(totalCount, i >= removeAfter ? 3 : 4);
        assert.equal(results.at(-1).id, id, "still last");
        seen.push(results.at(-1));
      }
      return seen;
    };
    const untouched = await path(Infinity);
    assert.deepEqual(untouched.map((job) => job.state), ["Queued", "InProgress", "InProgress", "Failed", "Failed"]);
    assert.deepEqual(await path(0), untouched, "removed before the first page");
    assert.deepEqual(await path(2), untouched, "removed while it runs");
  });

  it("stops a started job's run when it is the one removed, and the others run on", async () => {
    const { ids: [removed, kept] } = mock.startExports("Runs0", { outcomes: ["Successful", "Cancelled"], queuedFor: 0, runningFor: 1 });
    mock.removeJob("Runs0", removed);
    assert.deepEqual(ids((await page(mock, "Runs0")).results), [kept]);
    const { results } = await page(mock, "Runs0");
    assert.deepEqual(ids(results), [kept]);
    assert.equal(results[0].state, "Cancelled");
  });
});

describe("jobs moved on command in a mock given a pace", () => {
  const STEP_MS = 1000;
  let mock;
  let now;
  before(async () => {
    now = Date.UTC(2026, 5, 1);
    // A clock that moves only when the test moves it.
    mock = await startMockAtlas({ maxSeconds: 60, jobStepMs: STEP_MS, now: () => now });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  const pristine = () => buildDataset({ publicBaseUrl: mock.url }).get("Cluster0");

  it("stay where they were put however the clock moves, while the others run to their end", async () => {
    // Job 0 is built Queued and job 1 InProgress: both would move on the first step.
    const [queued, inProgress] = pristine();
    assert.deepEqual([queued.state, inProgress.state], ["Queued", "InProgress"]);
    const held = [
      mock.setJobState("Cluster0", queued.id, "InProgress", { exportedCollections: 1 }),
      mock.setJobState("Cluster0", inProgress.id, "Queued"),
    ];
    mock.advanceClock(10 * (STEP_MS / 1000));
    const { results } = await page(mock, "Cluster0", "?itemsPerPage=500");
    assert.deepEqual(results.slice(0, 2), held);
    assert.deepEqual(results.slice(2).filter((job) => job.state === "Queued" || job.state === "InProgress"), [], "the rest have ended");
  });

  it("when removed, leave the others on their own runs", async () => {
    const after = async (removed) => {
      mock.reset();
      for (const id of removed) mock.removeJob("Cluster0", id);
      const seen = [];
      for (let step = 0; step < 4; step += 1) {
        mock.advanceClock(STEP_MS / 1000);
        seen.push((await page(mock, "Cluster0", "?itemsPerPage=500")).results);
      }
      return seen;
    };
    const removed = [pristine()[0].id, pristine()[6].id];
    const untouched = await after([]);
    const without = await after(removed);
    assert.deepEqual(without, untouched.map((jobs) => jobs.filter((job) => !removed.includes(job.id))));
  });

  it("run on the clock again after reset()", async () => {
    const [queued] = pristine();
    mock.setJobState("Cluster0", queued.id, "Queued");
    mock.removeJob("Cluster0", pristine()[1].id);
    mock.reset();
    assert.deepEqual(mock.jobs("Cluster0"), pristine());
    mock.advanceClock(10 * (STEP_MS / 1000));
    assert.notEqual(stateOf(mock.jobs("Cluster0"), queued.id), "Queued");
  });
});

describe("moving a job on command refuses", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { Runs3: 3, Given: [{ id: "bare", state: "Queued" }] } });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  // [what, arguments of setJobState, the message's pattern]
  const cases = () => {
    const [job] = mock.jobs("Runs3");
    const total = job.exportStatus.totalCollections;
    return [
      ["an unknown cluster", ["Nope", job.id, "Failed"], /^no cluster named Nope$/],
      ["an unknown job", ["Runs3", "0123456789abcdef01234567", "Failed"], /^no job 0123456789abcdef01234567 listed in cluster Runs3$/],
      ["a job id that is no string", ["Runs3", 7, "Failed"], /^jobId is a non-empty string/],
      ["an empty state", ["Runs3", job.id, ""], /^state is a non-empty string of letters.*not ""$/],
      ["a state with a space", ["Runs3", job.id, "In Progress"], /^state is a non-empty string of letters.*not "In Progress"$/],
      ["a state with a digit", ["Runs3", job.id, "Queued1"], /^state is a non-empty string of letters/],
      ["a state that is no string", ["Runs3", job.id, 3], /^state is a non-empty string of letters.*not 3$/],
      ["no state", ["Runs3", job.id, undefined], /^state is a non-empty string of letters.*not undefined$/],
      ["negative collections", ["Runs3", job.id, "InProgress", { exportedCollections: -1 }], new RegExp(`^exportedCollections is an integer from 0 to ${total} .*not -1$`)],
      ["more collections than the job has", ["Runs3", job.id, "InProgress", { exportedCollections: total + 1 }], /^exportedCollections is an integer/],
      ["a fraction of a collection", ["Runs3", job.id, "InProgress", { exportedCollections: 1.5 }], /^exportedCollections is an integer/],
      ["collections as a string", ["Runs3", job.id, "InProgress", { exportedCollections: "3" }], /^exportedCollections is an integer.*not "3"$/],
      ["collections as null", ["Runs3", job.id, "InProgress", { exportedCollections: null }], /^exportedCollections is an integer.*not null$/],
      ["options that are no object", ["Runs3", job.id, "InProgress", 3], /^options is an object/],
      ["a job with nothing to derive its state's fields from", ["Given", "bare", "Failed"], /^job bare has no createdAt or exportStatus.totalCollections/],
    ];
  };

  it("what it cannot honour, with a TypeError naming the problem, and changes nothing", async () => {
    const before = mock.jobs("Runs3");
    for (const [what, args, message] of cases()) {
      assert.throws(() => mock.setJobState(...args), (error) => error instanceof TypeError && message.test(error.message), what);
    }
    for (const [what, args, message] of [
      ["an unknown cluster", ["Nope", before[0].id], /^no cluster named Nope$/],
      ["an unknown job", ["Runs3", "nope"], /^no job nope listed in cluster Runs3$/],
      ["no job id", ["Runs3"], /^jobId is a non-empty string/],
    ]) {
      assert.throws(() => mock.removeJob(...args), (error) => error instanceof TypeError && message.test(error.message), what);
    }
    assert.deepEqual((await page(mock, "Runs3")).results, before);
  });

  it("the same over HTTP, with 400 and the reason", async () => {
    const before = mock.jobs("Runs3");
    for (const [what, [cluster, id, state, options], message] of cases().filter(([what]) => what !== "options that are no object")) {
      const response = await control(mock, "/__mock/job-state", { cluster, id, state, ...options });
      assert.equal(response.status, 400, what);
      const { error } = await response.json();
      assert.ok(error.startsWith("job state unchanged: ") && message.test(error.slice("job state unchanged: ".length)), `${what}: ${error}`);
    }
    for (const [what, body] of [["an unknown job", { cluster: "Runs3", id: "nope" }], ["no body", ""], ["a body that is no JSON", "{"], ["null", "null"]]) {
      const response = await control(mock, "/__mock/remove-job", body);
      assert.equal(response.status, 400, what);
      assert.match((await response.json()).error, /^no job removed: /, what);
    }
    for (const body of ["{", "null", "[]"]) {
      assert.equal((await control(mock, "/__mock/job-state", body)).status, 400, body);
    }
    assert.deepEqual((await page(mock, "Runs3")).results, before);
  });
});

describe("moving jobs over HTTP", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { Runs3: 3 } });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("POST /__mock/job-state puts a job in a state and answers with it", async () => {
    const [job] = mock.jobs("Runs3");
    const response = await control(mock, "/__mock/job-state", { cluster: "Runs3", id: job.id, state: "InProgress", exportedCollections: 2 });
    assert.equal(response.status, 200);
    const moved = await response.json();
    assert.equal(moved.exportStatus.exportedCollections, 2);
    assert.deepEqual(byId((await page(mock, "Runs3")).results, job.id), moved);
    const derived = await control(mock, "/__mock/job-state", { cluster: "Runs3", id: job.id, state: "Successful" }).then((r) => r.json());
    assert.equal(derived.exportStatus.exportedCollections, job.exportStatus.totalCollections);
  });

  it("POST /__mock/remove-job lists a job no more and answers with the totalCount", async () => {
    const [job] = mock.jobs("Runs3");
    const response = await control(mock, "/__mock/remove-job", { cluster: "Runs3", id: job.id });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { totalCount: 2 });
    const body = await page(mock, "Runs3");
    assert.equal(body.totalCount, 2);
    assert.equal(byId(body.results, job.id), undefined);
  });

  it("are undone by reset(), which brings back the jobs as built", async () => {
    const before = mock.jobs("Runs3");
    await control(mock, "/__mock/job-state", { cluster: "Runs3", id: before[0].id, state: "Failed" });
    await control(mock, "/__mock/remove-job", { cluster: "Runs3", id: before[1].id });
    assert.notDeepEqual(mock.jobs("Runs3"), before);
    mock.reset();
    assert.deepEqual((await page(mock, "Runs3")).results, before);
  });
});

describe("moving jobs in memory (mockFetch)", () => {
  it("works through the controls and the control routes alike", async () => {
    const mock = mockFetch({ clusters: { Runs3: 3 } });
    try {
      const [first, second] = mock.jobs("Runs3");
      mock.setJobState("Runs3", first.id, "Cancelled");
      assert.deepEqual(mock.removeJob("Runs3", second.id), { totalCount: 2 });
      const response = await control(mock, "/__mock/job-state", { cluster: "Runs3", id: first.id, state: "InProgress", exportedCollections: 1 });
      assert.equal(response.status, 200);
      const { results, totalCount } = await page(mock, "Runs3");
      assert.equal(totalCount, 2);
      assert.deepEqual(results.map((job) => [job.id, job.state]), [[first.id, "InProgress"], [mock.jobs("Runs3")[1].id, "Successful"]]);
      assert.equal((await control(mock, "/__mock/remove-job", { cluster: "Runs3", id: second.id })).status, 400);
    } finally {
      await mock.close();
    }
  });
});

describe("the standalone mock (cli.mjs)", () => {
  const script = fileURLToPath(new URL("../../pkg-template/testing/cli.mjs", import.meta.url));

  it("serves the routes that move jobs", async () => {
    const child = spawn(process.execPath, [script, "--max-seconds", "20", "--clusters", '{"Runs3":3}'], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const [line] = await once(createInterface({ input: child.stdout }), "line");
      const { url } = JSON.parse(line);
      const mock = { url };
      const [first, second] = (await page(mock, "Runs3")).results;
      assert.equal((await control(mock, "/__mock/job-state", { cluster: "Runs3", id: first.id, state: "Failed" })).status, 200);
      assert.equal((await control(mock, "/__mock/remove-job", { cluster: "Runs3", id: second.id })).status, 200);
      const { results } = await page(mock, "Runs3");
      assert.deepEqual(results.map((job) => job.state), ["Failed", "Successful"]);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
});
