// watchExportJobs and waitForExportJob through the packed package, against the mock Atlas's moving
// jobs: started exports move one step each time a page of their cluster is answered (Queued, then
// InProgress with more collections exported, then their outcome), and `setJobState`/`removeJob`
// move or drop a job on command. Each test follows a cluster of its own, with short intervals.
// Run: node --test tests/node/watch.test.mjs
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";

import { AtlasClient, isAtlasError, waitForExportJob, watchExportJobs } from "atlas-export-jobs";
import { startMockAtlas } from "atlas-export-jobs/testing";

const FAST = { runningMs: 20, idleMs: 40 };
const BOUND = { timeout: 20_000 };
const CLUSTERS = ["Rounds", "Missing", "Moved", "Kinds", "AllDone", "Cancels", "Named", "Abort", "Limited", "Waits", "Fails", "Never", "Breaks", "Client", "Hung"];

let mock;
let options;
const params = (clusterName) => ({ groupId: mock.groupId, clusterName });
/** The API requests for `cluster` so far. */
const requestsOf = (cluster) => mock.requests.filter((r) => r.path.includes(`/clusters/${cluster}/`));

before(async () => {
  mock = await startMockAtlas({ clusters: Object.fromEntries(CLUSTERS.map((name) => [name, 0])) });
  options = { baseUrl: mock.url, accessToken: mock.accessToken, interval: FAST };
});
after(() => mock.close());

/** Every event of a watch, as `[type, id, state, previous state]`. */
async function eventsOf(iterable, limit = 100) {
  const seen = [];
  for await (const event of iterable) {
    seen.push([event.type, event.job.id, event.job.state, event.previous?.state]);
    if (seen.length >= limit) break;
  }
  return seen;
}

/** What a watch made by `make` is refused with: thrown at once (the module is loaded) or at its first step. */
async function refusal(make) {
  try {
    await eventsOf(make());
  } catch (error) {
    return error;
  }
  return assert.fail("accepted");
}

describe("watchExportJobs", () => {
  it("yields added, changed, finished and removed, each with the job, the job before and the round's responseInfo", BOUND, async () => {
    const cluster = "Kinds";
    const { ids: [stays, goes] } = mock.startExports(cluster, { outcomes: ["Successful", "Failed"], runningFor: 2 });
    const events = [];
    let dropped = false;
    for await (const event of watchExportJobs(params(cluster), { ...options, until: "never" })) {
      events.push(event);
      // Once a job has finished, `goes` is dropped from the cluster: the next round reports it removed.
      if (event.type === "finished" && !dropped) {
        mock.removeJob(cluster, goes);
        dropped = true;
      }
      if (event.type === "removed") break;
    }
    const types = events.map((event) => `${event.type} ${event.job.id === stays ? "stays" : "goes"} ${event.job.state}`);
    assert.deepEqual(types.slice(0, 2), ["added stays Queued", "added goes Queued"]);
    assert.ok(types.includes("changed stays InProgress"), types.join("\n"));
    assert.ok(types.includes("finished stays Successful"), types.join("\n"));
    assert.equal(types.at(-1).startsWith("removed goes"), true, types.join("\n"));
    for (const event of events) {
      assert.equal(typeof event.responseInfo.attempts, "number");
      assert.equal(event.responseInfo.status, 200);
      if (event.type === "changed" || event.type === "finished") {
        assert.equal(event.previous.id, event.job.id);
        assert.notDeepEqual([event.previous.state, event.previous.exportStatus], [event.job.state, event.job.exportStatus]);
      } else {
        assert.equal("previous" in event, false);
      }
    }
    const moved = events.filter((e) => e.type === "changed" && e.job.id === stays && e.previous.state === "InProgress");
    assert.ok(moved.length >= 1, "exportStatus moving while InProgress is a change of its own");
    assert.ok(moved.every((e) => e.job.exportStatus.exportedCollections > e.previous.exportStatus.exportedCollections));
  });

  it("reports jobs moved on command: a state, then exportStatus alone, then a state Atlas may add later", BOUND, async () => {
    const cluster = "Moved";
    const { ids: [id] } = mock.addJobs(cluster, 1);
    mock.setJobState(cluster, id, "Queued");
    const seen = [];
    const steps = [
      () => mock.setJobState(cluster, id, "InProgress", { exportedCollections: 1 }),
      () => mock.setJobState(cluster, id, "InProgress", { exportedCollections: 2 }),
      () => mock.setJobState(cluster, id, "Paused"),
      () => mock.setJobState(cluster, id, "Successful"),
    ];
    for await (const event of watchExportJobs(params(cluster), options)) {
      seen.push([event.type, event.job.state, event.job.exportStatus.exportedCollections]);
      steps.shift()?.();
    }
    assert.deepEqual(seen.map(([type, state]) => `${type} ${state}`), [
      "added Queued",
      "changed InProgress",
      "changed InProgress",
      "changed Paused",
      "finished Successful",
    ]);
    assert.deepEqual(seen.slice(1, 3).map(([, , exported]) => exported), [1, 2]);
  });

  it("ends by itself once every job has finished, and sends nothing after", BOUND, async () => {
    const cluster = "AllDone";
    mock.startExports(cluster, { outcomes: ["Successful", "Failed", "Cancelled"], runningFor: 1 });
    const events = await eventsOf(watchExportJobs(params(cluster), options));
    assert.deepEqual(
      events.filter(([type]) => type === "finished").map(([, , state]) => state).sort(),
      ["Cancelled", "Failed", "Successful"],
    );
    const count = requestsOf(cluster).length;
    await sleep(200);
    assert.equal(requestsOf(cluster).length, count, "no request after the end");
    // Queued (added), InProgress, then the outcome: three rounds of one page each.
    assert.equal(count, 3);
  });

  it("reports a Cancelled job as finished, with its state", BOUND, async () => {
    const cluster = "Cancels";
    const { ids: [id] } = mock.startExports(cluster, { outcomes: ["Cancelled"] });
    const events = await eventsOf(watchExportJobs(params(cluster), options));
    assert.deepEqual(events.at(-1), ["finished", id, "Cancelled", "InProgress"]);
  });

  it("follows only the jobIds named, and ends when they have finished although others run", BOUND, async () => {
    const cluster = "Named";
    const { ids: [other] } = mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 50 });
    const { ids: [named] } = mock.startExports(cluster, { outcomes: ["Failed"], runningFor: 1 });
    const events = await eventsOf(watchExportJobs(params(cluster), { ...options, jobIds: [named] }));
    assert.ok(events.length >= 2);
    assert.ok(events.every(([, id]) => id === named), JSON.stringify(events));
    assert.deepEqual(events.at(-1).slice(0, 3), ["finished", named, "Failed"]);
    assert.ok(mock.jobs(cluster).find((job) => job.id === other).state !== "Successful", "the other job still runs");
  });

  it("stops at once when its signal aborts mid-wait: a kind aborted error with the signal's reason, and no request after", BOUND, async () => {
    const cluster = "Abort";
    mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 1000 });
    const controller = new AbortController();
    const reason = new Error("user left");
    let thrown;
    let rounds = 0;
    try {
      for await (const event of watchExportJobs(params(cluster), { ...options, signal: controller.signal, interval: { runningMs: 60_000 } })) {
        rounds += 1;
        assert.equal(event.type, "added");
        // The watch now waits a minute for its next round: abort in the middle of that wait.
        setTimeout(() => controller.abort(reason), 50);
      }
    } catch (error) {
      thrown = error;
    }
    assert.equal(rounds, 1);
    assert.ok(isAtlasError(thrown), String(thrown));
    assert.equal(thrown.kind, "aborted");
    assert.equal(thrown.cause, reason);
    const count = requestsOf(cluster).length;
    await sleep(300);
    assert.equal(requestsOf(cluster).length, count);
    assert.equal(count, 1);
  });

  it("honours a 429's Retry-After before listing again", BOUND, async () => {
    const cluster = "Limited";
    const { ids: [id] } = mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 1 });
    // The round's own retry is off, so the watch's backoff is what waits; Retry-After: 1 is 1000 ms.
    mock.injectFault({ cluster, fault: { status: 429, headers: { "Retry-After": "1" } } });
    const events = await eventsOf(watchExportJobs(params(cluster), { ...options, retry: false }));
    assert.deepEqual(events.at(-1).slice(0, 3), ["finished", id, "Successful"]);
    const [limited, next] = requestsOf(cluster);
    assert.equal(limited.status, 429);
    assert.ok(next.at - limited.at >= 990, `listed again after ${next.at - limited.at} ms`);
  });

  it("ends a watch with the error of a round that will not pass (401), with nothing sent after", BOUND, async () => {
    const cluster = "Fails";
    mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 1000 });
    const watch = watchExportJobs(params(cluster), { ...options, accessToken: "not-the-token" });
    await assert.rejects(eventsOf(watch), (error) => isAtlasError(error) && error.kind === "api" && error.status === 401);
    const count = requestsOf(cluster).length;
    await sleep(100);
    assert.equal(requestsOf(cluster).length, count);
  });

  it("with until: never, goes on past every job finishing until the loop ends, then sends nothing", BOUND, async () => {
    const cluster = "Never";
    mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 0 });
    let finishedAt;
    let quiet = 0;
    for await (const event of watchExportJobs(params(cluster), { ...options, until: "never" })) {
      if (event.type === "finished") {
        // Nothing runs: the next rounds come every idleMs and report nothing, until a job is added.
        finishedAt = requestsOf(cluster).length;
        setTimeout(() => mock.addJobs(cluster, 1), 200);
      }
      if (event.type === "added" && finishedAt !== undefined) {
        quiet = requestsOf(cluster).length - finishedAt - 1;
        break;
      }
    }
    assert.ok(quiet >= 2, `${quiet} quiet rounds`);
    const count = requestsOf(cluster).length;
    await sleep(150);
    assert.equal(requestsOf(cluster).length, count, "break stops the rounds");
  });

  it("starts again from a first round of added at each loop over the same iterable", BOUND, async () => {
    const cluster = "Breaks";
    mock.addJobs(cluster, 2);
    const watch = watchExportJobs(params(cluster), { ...options, until: "never" });
    const first = await eventsOf(watch, 2);
    const second = await eventsOf(watch, 2);
    assert.deepEqual(first.map(([type]) => type), ["added", "added"]);
    assert.deepEqual(second, first);
  });

  it("AtlasClient.watchExportJobs uses the client's credentials and defaults", BOUND, async () => {
    const cluster = "Client";
    const { ids: [id] } = mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 1 });
    const client = new AtlasClient({ baseUrl: mock.url, accessToken: mock.accessToken });
    const events = await eventsOf(client.watchExportJobs(params(cluster), { interval: FAST }));
    assert.deepEqual(events.at(-1).slice(0, 3), ["finished", id, "Successful"]);
    const job = await client.waitForExportJob(params(cluster), id, { interval: FAST });
    assert.equal(job.state, "Successful");
  });

  it("a break while a round hangs aborts it", BOUND, async () => {
    const cluster = "Hung";
    mock.addJobs(cluster, 1);
    const controller = new AbortController();
    const watch = watchExportJobs(params(cluster), { ...options, until: "never", signal: controller.signal });
    let events = 0;
    const done = (async () => {
      try {
        for await (const _ of watch) {
          events += 1;
          mock.injectFault({ cluster, fault: "hang" });
        }
      } catch (error) {
        return error;
      }
    })();
    await sleep(300);
    controller.abort();
    const error = await done;
    assert.equal(events, 1);
    assert.equal(error.kind, "aborted");
  });

  it("tells onRound of each round, changed or not, failed or not, with when the next is due", BOUND, async () => {
    const cluster = "Rounds";
    const { ids: [id] } = mock.addJobs(cluster, 1);
    mock.setJobState(cluster, id, "InProgress", { exportedCollections: 1 });
    const rounds = [];
    const onRound = (round) => {
      rounds.push(round);
      if (rounds.length === 1) mock.injectFault({ cluster, fault: { status: 503, headers: { "Retry-After": "0" } } });
      if (rounds.length === 3) mock.setJobState(cluster, id, "Successful");
      throw new Error("ignored");
    };
    const events = await eventsOf(watchExportJobs(params(cluster), { ...options, retry: false, onRound }));
    assert.deepEqual(events.map(([type, , state]) => `${type} ${state}`), ["added InProgress", "finished Successful"]);
    assert.deepEqual(
      rounds.map((r) => [r.round, r.changes, r.error?.status, r.responseInfo?.status]),
      [[1, 1, undefined, 200], [2, 0, 503, 503], [3, 0, undefined, 200], [4, 1, undefined, 200]],
    );
    assert.equal(rounds[0].nextInMs, FAST.runningMs);
    assert.ok(rounds[1].nextInMs >= FAST.runningMs, "a failed round waits its backoff");
    assert.equal(rounds[3].nextInMs, undefined, "the watch has ended");
  });

  it("ends with kind notFound when a named job is not listed within appearTimeoutMs", BOUND, async () => {
    const cluster = "Missing";
    const { ids: [there] } = mock.addJobs(cluster, 1);
    const missing = "bbbbbbbbbbbbbbbbbbbbbbbb";
    const error = await eventsOf(watchExportJobs(params(cluster), { ...options, jobIds: [there, missing], appearTimeoutMs: 150 })).catch(
      (e) => e,
    );
    assert.equal(error.kind, "notFound");
    assert.equal(error.exportJobId, missing);
  });

  it("refuses bad options before sending anything, naming the field", async () => {
    const before = mock.requests.length;
    const cases = [
      [{ jobIds: "32b6e34b3d91647abb20e7b8" }, "jobIds"],
      [{ jobIds: [] }, "jobIds"],
      [{ jobIds: ["32b6e34b3d91647abb20e7b8", "nope"] }, "jobIds[1]"],
      [{ until: "done" }, "until"],
      [{ interval: { runningMs: 0 } }, "interval.runningMs"],
      [{ interval: { everyMs: 5 } }, "interval.everyMs"],
      [{ onProgress: () => {} }, "onProgress"],
      [{ onRound: "yes" }, "onRound"],
      [{ appearTimeoutMs: -1 }, "appearTimeoutMs"],
      [{ jobIds: new Proxy([], { get() { throw new Error("trap"); } }) }, "jobIds"],
    ];
    for (const [bad, field] of cases) {
      const error = await refusal(() => watchExportJobs(params("Kinds"), { ...options, ...bad }));
      assert.ok(isAtlasError(error), String(error));
      assert.equal(error.kind, "validation", error.message);
      assert.equal(error.field, field, error.message);
    }
    const long = Array.from({ length: 1_000_001 }, () => "32b6e34b3d91647abb20e7b8");
    const error = await refusal(() => watchExportJobs(params("Kinds"), { ...options, jobIds: long }));
    assert.match(error.message, /jobIds must hold from 1 to 1000 items, got 1000001/);
    assert.equal(mock.requests.length, before);
  });
});

describe("waitForExportJob", () => {
  it("resolves with the job once it has succeeded, telling onProgress each move", BOUND, async () => {
    const cluster = "Waits";
    const { ids: [id] } = mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 2 });
    const progress = [];
    const job = await waitForExportJob(params(cluster), id, { ...options, onProgress: (j) => progress.push(j.state) });
    assert.equal(job.id, id);
    assert.equal(job.state, "Successful");
    assert.deepEqual(progress, ["Queued", "InProgress", "InProgress", "Successful"]);
  });

  it("resolves with a Failed job too, with its stateReason, and onProgress throwing changes nothing", BOUND, async () => {
    const cluster = "Waits";
    const { ids: [id] } = mock.startExports(cluster, { outcomes: ["Failed"], runningFor: 1 });
    const job = await waitForExportJob(params(cluster), id, {
      ...options,
      onProgress() {
        throw new Error("a broken callback");
      },
    });
    assert.equal(job.state, "Failed");
    assert.equal(typeof job.stateReason?.message, "string");
  });

  it("rejects with kind notFound when the job never appears within appearTimeoutMs", BOUND, async () => {
    const missing = "aaaaaaaaaaaaaaaaaaaaaaaa";
    const before = requestsOf("Waits").length;
    const error = await waitForExportJob(params("Waits"), missing, { ...options, appearTimeoutMs: 150 }).catch((e) => e);
    assert.ok(isAtlasError(error), String(error));
    assert.equal(error.kind, "notFound");
    assert.equal(error.exportJobId, missing);
    assert.match(error.message, /was not listed within appearTimeoutMs \(150 ms, \d+ rounds\)/);
    assert.ok(requestsOf("Waits").length - before >= 2);
  });

  it("rejects with kind notFound when the job goes away before it finishes", BOUND, async () => {
    const cluster = "Waits";
    const { ids: [id] } = mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 1000 });
    const waiting = waitForExportJob(params(cluster), id, {
      ...options,
      onProgress(job) {
        if (job.state === "InProgress") mock.removeJob(cluster, id);
      },
    });
    const error = await waiting.catch((e) => e);
    assert.equal(error.kind, "notFound");
    assert.equal(error.state, "InProgress");
    assert.match(error.message, /is no longer listed; it was last "InProgress"/);
  });

  it("rejects with kind timeout past timeoutMs, saying where the job was", BOUND, async () => {
    const cluster = "Waits";
    const { ids: [id] } = mock.startExports(cluster, { outcomes: ["Successful"], runningFor: 1000 });
    const started = performance.now();
    const error = await waitForExportJob(params(cluster), id, { ...options, timeoutMs: 200 }).catch((e) => e);
    assert.equal(error.kind, "timeout");
    assert.equal(error.exportJobId, id);
    assert.equal(error.state, "InProgress");
    assert.ok(performance.now() - started < 5_000);
  });

  it("refuses a malformed id before sending anything", async () => {
    const before = mock.requests.length;
    for (const bad of [undefined, 42, "job-1", "32B6E34B3D91647ABB20E7B8"]) {
      const error = await waitForExportJob(params("Waits"), bad, options).catch((e) => e);
      assert.equal(error.kind, "validation", String(bad));
      assert.equal(error.field, "exportJobId");
    }
    assert.equal(mock.requests.length, before);
  });
});
