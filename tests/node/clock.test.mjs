// A wall clock stepped an hour back or forward while a call runs changes nothing: waits and the
// deadline follow the monotonic clock (`performance.now()`), and `Date` only dates a server's HTTP
// date. Each test steps `Date` (both `Date.now` and `new Date()`) while the package waits out a
// `Retry-After: 1` or a slow answer from a server on 127.0.0.1, and puts it back afterwards.
// Run: node --test tests/node/clock.test.mjs
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";

import { isAtlasError, listExportJobs, responseInfo } from "atlas-export-jobs";

const GROUP = "32b6e34b3d91647abb20e7b8";
const HOUR = 3_600_000;
// Bounds each test: a call that waits the hour fails it instead of hanging the run.
const BOUND = { timeout: 20_000 };

const RealDate = globalThis.Date;
const realNow = RealDate.now;

/** Sets the wall clock `ms` later (earlier when negative) than it is, for `Date.now` and `new Date()`. */
function stepWallClock(ms) {
  const now = () => realNow.call(RealDate) + ms;
  class SteppedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(now());
      else super(...args);
    }
    static now() {
      return now();
    }
  }
  globalThis.Date = SteppedDate;
}

function restoreWallClock() {
  globalThis.Date = RealDate;
  RealDate.now = realNow;
}

const page = JSON.stringify({
  links: [],
  results: [{ exportBucketId: GROUP, id: "0123456789abcdef01234567", state: "Queued" }],
  totalCount: 1,
});

describe("a wall clock step while a call runs", () => {
  let server;
  let baseUrl;
  /** How the server answers each request, by its number from 1. */
  let answer;
  let requests;

  before(async () => {
    server = createServer((request, response) => {
      requests += 1;
      request.resume();
      answer(requests, response);
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
  });
  beforeEach(() => {
    requests = 0;
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  const send = (response, status, headers = {}) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(status === 200 ? page : JSON.stringify({ error: status, errorCode: "SERVICE_UNAVAILABLE", reason: "Service Unavailable" }));
  };

  /** A call with a deadline of a few seconds; the test's own signal ends one that waits longer. */
  async function call(onRetry) {
    try {
      const result = await listExportJobs(
        { groupId: GROUP, clusterName: "Cluster0" },
        { baseUrl, accessToken: "tok-3f9a8b7c6d5e4f3a2b1c", deadlineMs: 3_000, retry: { onRetry }, signal: AbortSignal.timeout(6_000) },
      );
      return { page: result };
    } catch (error) {
      assert.ok(isAtlasError(error), `not an AtlasError: ${error}`);
      return { error };
    }
  }

  for (const [name, step] of [["back", -HOUR], ["forward", HOUR]]) {
    it(`waits a Retry-After of 1 s, not an hour more or less, when the wall clock steps an hour ${name} during the wait`, BOUND, async () => {
      answer = (n, response) => (n === 1 ? send(response, 503, { "retry-after": "1" }) : send(response, 200));
      const retries = [];
      let outcome;
      try {
        outcome = await call((event) => {
          retries.push(event);
          stepWallClock(step);
        });
      } finally {
        restoreWallClock();
      }
      assert.equal(outcome.error, undefined, `the call failed: ${outcome.error?.kind}: ${outcome.error?.message}`);
      assert.equal(responseInfo(outcome.page).attempts, 2);
      assert.equal(requests, 2);
      assert.deepEqual(retries.map((r) => [r.attempt, r.delayMs, r.status]), [[1, 1_000, 503]]);
    });

    it(`keeps its deadline when the wall clock steps an hour ${name} during a slow request`, BOUND, async () => {
      // The first answer comes after 300 ms, the clock stepped meanwhile: a 503 to retry in 1 s.
      answer = (n, response) => {
        if (n !== 1) return send(response, 200);
        setTimeout(() => {
          stepWallClock(step);
          send(response, 503, { "retry-after": "1" });
        }, 300);
      };
      const retries = [];
      let outcome;
      try {
        outcome = await call((event) => retries.push(event));
      } finally {
        restoreWallClock();
      }
      assert.equal(outcome.error, undefined, `the call failed: ${outcome.error?.kind}: ${outcome.error?.message}`);
      assert.equal(responseInfo(outcome.page).attempts, 2);
      assert.equal(requests, 2);
      assert.deepEqual(retries.map((r) => [r.attempt, r.delayMs]), [[1, 1_000]]);
    });
  }

  it("waits a Retry-After of 1 s, not an hour, where performance.now() throws and the wall clock steps an hour back", BOUND, async () => {
    // No monotonic clock to be had: the wall clock's forward steps stand in for it, and a step
    // back is no step at all (the wait may take a second more, never the hour). A step forward
    // is taken as time that passed: there is no better clock then.
    const step = -HOUR;
    answer = (n, response) => (n === 1 ? send(response, 503, { "retry-after": "1" }) : send(response, 200));
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, "performance");
    const retries = [];
    let outcome;
    try {
      Object.defineProperty(globalThis, "performance", {
        configurable: true,
        value: { now: () => { throw new Error("no monotonic clock here"); } },
      });
      outcome = await call((event) => {
        retries.push(event);
        stepWallClock(step);
      });
    } finally {
      restoreWallClock();
      Object.defineProperty(globalThis, "performance", descriptor);
    }
    assert.equal(outcome.error, undefined, `the call failed: ${outcome.error?.kind}: ${outcome.error?.message}`);
    assert.equal(responseInfo(outcome.page).attempts, 2);
    assert.equal(requests, 2);
    assert.deepEqual(retries.map((r) => [r.attempt, r.delayMs]), [[1, 1_000]]);
  });
});
