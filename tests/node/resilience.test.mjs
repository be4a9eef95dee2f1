// Retries, timeouts, cancellation, rate-limit telemetry and envelopes, against injected faults.
// Delays are kept to tens of milliseconds: `retryAfterUnitMs: 10` makes "Retry-After: 3" 30 ms.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { isAtlasError, listExportJobs, responseInfo } from "atlas-export-jobs";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";

const CLUSTER = "Cluster0";
const FAST = { baseDelayMs: 5, maxDelayMs: 20, retryAfterUnitMs: 10 };

// Anything escaping a call, or a trapped wasm instance, fails the suite.
const escaped = [];
process.on("unhandledRejection", (reason) => escaped.push(reason));

describe("resilience", () => {
  let mock;
  const params = (extra = {}) => ({ groupId: MOCK_GROUP_ID, clusterName: CLUSTER, itemsPerPage: 3, ...extra });
  const options = (extra = {}) => ({ baseUrl: mock.url, accessToken: MOCK_TOKEN, ...extra, retry: extra.retry === false ? false : { ...FAST, ...extra.retry } });
  const apiRequests = () => mock.requests.filter((r) => r.method === "GET");

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
  });
  afterEach(async () => {
    mock.reset();
    // After every fault, the next call in the same process succeeds.
    const page = await listExportJobs(params(), options());
    assert.equal(page.results.length, 3);
    mock.reset();
  });
  after(async () => {
    await mock.close();
    assert.deepEqual(escaped, []);
  });

  /** Calls and records every onRetry event with the time it came. */
  async function call(callParams, callOptions) {
    const events = [];
    const started = performance.now();
    const retry = callOptions.retry === false ? false : {
      ...callOptions.retry,
      onRetry: (event) => {
        events.push({ ...event, at: performance.now() - started });
        callOptions.retry.onRetry?.(event);
      },
    };
    try {
      const page = await listExportJobs(callParams, { ...callOptions, retry });
      return { page, events, elapsed: performance.now() - started };
    } catch (error) {
      assert.ok(isAtlasError(error), `not an AtlasError: ${error}`);
      assert.ok(!(error instanceof WebAssembly.RuntimeError));
      return { error, events, elapsed: performance.now() - started };
    }
  }

  function expectRetriedOnce({ page, events, elapsed }, delayMs, status) {
    assert.ok(page, "the retry succeeded");
    assert.equal(apiRequests().length, 2);
    assert.equal(events.length, 1);
    assert.equal(events[0].attempt, 1);
    if (status !== undefined) assert.equal(events[0].status, status);
    if (delayMs !== undefined) {
      assert.equal(events[0].delayMs, delayMs);
      assert.ok(elapsed >= delayMs, `waited ${elapsed} ms, at least ${delayMs}`);
    }
    assert.equal(responseInfo(page).attempts, 2);
  }

  it("429 with Retry-After waits what it says, then succeeds", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: { status: 429, headers: { "Retry-After": "3" } } });
    const result = await call(params(), options());
    expectRetriedOnce(result, 30, 429);
    assert.equal(result.events[0].errorCode, "RATE_LIMITED");
    assert.equal(result.events[0].kind, "api");
  });

  it("429 with Retry-After as an HTTP date waits until then", async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 2000).toUTCString();
    mock.injectFault({ cluster: CLUSTER, fault: { status: 429, headers: { "Retry-After": at } } });
    const result = await call(params(), options());
    expectRetriedOnce(result, undefined, 429);
    assert.ok(result.events[0].delayMs >= 10 && result.events[0].delayMs <= 30, `${result.events[0].delayMs}`);
  });

  it("429 without headers uses the seconds named in the body", async () => {
    const body = {
      detail: "Rate limit exceeded for api/atlas/v2/groups. Please retry after 4 seconds. Request capacity: 1200. Refill rate: 500 per 60 seconds.",
      error: 429,
      errorCode: "RATE_LIMITED_TOKEN_BUCKET",
      parameters: ["api/atlas/v2/groups", 4, 1200, 500, 60],
      reason: "Too Many Requests",
    };
    mock.injectFault({ cluster: CLUSTER, fault: { raw: JSON.stringify(body), status: 429 } });
    expectRetriedOnce(await call(params(), options()), 40, 429);

    const parametersOnly = { ...body, detail: "Rate limit exceeded.", parameters: ["api/atlas/v2/groups", 2, 1200, 500, 60] };
    mock.reset();
    mock.injectFault({ cluster: CLUSTER, fault: { raw: JSON.stringify(parametersOnly), status: 429 } });
    expectRetriedOnce(await call(params(), options()), 20, 429);
  });

  it("429 with nothing to go by backs off with jitter", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: { raw: JSON.stringify({ error: 429, errorCode: "RATE_LIMITED" }), status: 429 } });
    const result = await call(params(), options());
    expectRetriedOnce(result, undefined, 429);
    assert.ok(result.events[0].delayMs <= FAST.baseDelayMs);
  });

  for (const [name, fault, kind] of [
    ["a proxy's HTML 502", "html502", "api"],
    ["an empty 502", "empty502", "api"],
    ["503", { status: 503, headers: { "Retry-After": "1" } }, "api"],
    ["504", { status: 504 }, "api"],
    ["a reset connection", "reset", "network"],
  ]) {
    it(`retries ${name}`, async () => {
      mock.injectFault({ cluster: CLUSTER, fault });
      const result = await call(params(), options());
      expectRetriedOnce(result);
      assert.equal(result.events[0].kind, kind);
    });
  }

  it("retries an attempt that hangs past timeoutMs", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: "hang" });
    const result = await call(params(), options({ timeoutMs: 100 }));
    expectRetriedOnce(result);
    assert.equal(result.events[0].kind, "timeout");
    assert.ok(result.elapsed >= 100);
  });

  it("never retries what must not be retried", async () => {
    const once = [
      [{ status: 400 }, "api", 400],
      [{ status: 401 }, "api", 401],
      [{ status: 403 }, "api", 403],
      [{ status: 404 }, "api", 404],
      [{ status: 406 }, "api", 406],
      [{ status: 410 }, "api", 410],
      [{ status: 500 }, "api", 500],
      ["truncated", "decode", 200],
      ["empty200", "decode", 200],
      [{ primitive: null }, "decode", 200],
      [{ primitive: 42 }, "decode", 200],
      [{ primitive: "x" }, "decode", 200],
    ];
    for (const [fault, kind, status] of once) {
      mock.reset();
      mock.injectFault({ cluster: CLUSTER, fault });
      const { error, events } = await call(params(), options());
      assert.equal(error?.kind, kind, JSON.stringify(fault));
      assert.equal(error.status, status);
      assert.equal(apiRequests().length, 1, `${JSON.stringify(fault)} was sent once`);
      assert.equal(events.length, 0);
      assert.equal(responseInfo(error).attempts, 1);
    }
    mock.reset();
    const { error } = await call({ ...params(), groupId: "nope" }, options());
    assert.equal(error.kind, "validation");
    assert.equal(apiRequests().length, 0);
  });

  it("stops after maxAttempts with the last error and its telemetry", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: { status: 503 }, times: Infinity });
    const { error, events } = await call(params(), options({ retry: { maxAttempts: 3 } }));
    assert.equal(error.kind, "api");
    assert.equal(error.status, 503);
    assert.equal(apiRequests().length, 3);
    assert.deepEqual(events.map((e) => e.attempt), [1, 2]);
    const info = responseInfo(error);
    assert.equal(info.attempts, 3);
    assert.equal(info.status, 503);
    assert.equal(info.retryAfter, "1");
  });

  it("sends one request with retry: false", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: { status: 429 } });
    const { error } = await call(params(), options({ retry: false }));
    assert.equal(error.status, 429);
    assert.equal(apiRequests().length, 1);
  });

  it("gives up at once when Retry-After outlasts the deadline", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: { status: 429, headers: { "Retry-After": "100" } } });
    const { error, events, elapsed } = await call(params(), options({ deadlineMs: 500 }));
    assert.equal(error.status, 429);
    assert.equal(events.length, 0);
    assert.equal(apiRequests().length, 1);
    assert.equal(responseInfo(error).retryAfter, "100");
    assert.ok(elapsed < 400, `returned after ${elapsed} ms instead of waiting`);
  });

  it("ends with kind timeout when the overall deadline passes", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: "hang", times: Infinity });
    const { error, elapsed } = await call(params(), options({ timeoutMs: 100, deadlineMs: 250 }));
    assert.equal(error.kind, "timeout");
    assert.match(error.message, /deadlineMs/);
    assert.ok(elapsed < 1000, `${elapsed} ms`);
    assert.ok(apiRequests().length >= 2);
  });

  for (const [name, reason] of [
    ["an Error", new Error("user left")],
    ["a DOMException", new DOMException("stop", "AbortError")],
    ["a string", "navigation"],
    ["undefined", undefined],
  ]) {
    it(`an abort with ${name} during a backoff wait settles at once and sends nothing more`, async () => {
      mock.injectFault({ cluster: CLUSTER, fault: { status: 429, headers: { "Retry-After": "100" } } }); // a 1 s wait
      const controller = new AbortController();
      let abortedAt;
      const retry = {
        onRetry: () => setTimeout(() => {
          abortedAt = performance.now();
          controller.abort(reason);
        }, 20),
      };
      const { error } = await call(params(), options({ signal: controller.signal, retry }));
      const settledAfter = performance.now() - abortedAt;
      assert.equal(error.kind, "aborted");
      assert.ok(settledAfter < 50, `settled ${settledAfter} ms after the abort`);
      if (reason === undefined) assert.equal(error.cause.name, "AbortError");
      else assert.equal(error.cause, reason);
      // No event marks a request that is never sent: this is the time one sent at the abort would take to show.
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(apiRequests().length, 1, "no request after the abort");
    });
  }

  it("ignores an onRetry that throws", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: { status: 503 } });
    const page = await listExportJobs(params(), options({ retry: { onRetry: () => { throw new Error("ui gone"); } } }));
    assert.equal(page.results.length, 3);
  });

  it("reads rate-limit telemetry without changing the page's shape", async () => {
    const page = await listExportJobs(params(), options());
    const info = responseInfo(page);
    assert.equal(info.attempts, 1);
    assert.equal(info.status, 200);
    assert.equal(info.rateLimitLimit, 1200);
    assert.equal(typeof info.rateLimitRemaining, "number");
    assert.deepEqual(Object.keys(page).sort(), ["links", "results", "totalCount"]);
    assert.deepEqual(JSON.parse(JSON.stringify(page)), { ...page });
    const { error } = await call(params({ clusterName: "Nope" }), options());
    assert.equal(responseInfo(error).status, 404);
    assert.equal(responseInfo(error).rateLimitLimit, 1200);
    assert.equal(responseInfo({}), undefined);
    assert.equal(responseInfo(null), undefined);
  });

  it("decodes an enveloped page to the same result", async () => {
    const plain = await listExportJobs(params(), options());
    const enveloped = await listExportJobs(params({ envelope: true }), options());
    // The links name the request's own query, envelope=true included; everything else is the same.
    assert.deepEqual({ ...enveloped, links: undefined }, { ...plain, links: undefined });
    assert.deepEqual(enveloped.links.map((l) => l.rel), plain.links.map((l) => l.rel));
  });

  it("turns an enveloped error into the same AtlasError, whatever the transport status", async () => {
    const apiError = { error: 404, errorCode: "CLUSTER_NOT_FOUND", reason: "Not Found", detail: "No cluster named Cluster0 exists.", parameters: ["Cluster0"] };
    for (const [raw, status] of [
      [{ status: 404, content: apiError }, 200],
      [{ status: 404, ...apiError }, 200],
      [apiError, 200],
      [{ status: 404, content: apiError }, 404],
    ]) {
      mock.reset();
      mock.injectFault({ cluster: CLUSTER, fault: { raw: JSON.stringify(raw), status } });
      const { error } = await call(params({ envelope: true }), options());
      assert.equal(error.kind, "api", JSON.stringify(raw));
      assert.equal(error.status, 404);
      assert.equal(error.errorCode, "CLUSTER_NOT_FOUND");
      assert.deepEqual(error.parameters, ["Cluster0"]);
    }
  });

  it("retries an enveloped 503 like a plain one", async () => {
    mock.injectFault({ cluster: CLUSTER, fault: { raw: JSON.stringify({ status: 503, content: { error: 503, errorCode: "SERVICE_UNAVAILABLE" } }), status: 200 } });
    expectRetriedOnce(await call(params({ envelope: true }), options()), undefined, 503);
  });
});
