// A listing that ends takes everything it started with it. With `concurrency` pages fetched ahead,
// a `break`, `return` or `throw` in the loop, a `listAllExportJobs` that rejects, or a `.pages()`
// iterator dropped unfinished and garbage-collected aborts every request and wait the listing
// started, the pages fetched ahead and their retries included: after it, no request reaches the
// server. The server on 127.0.0.1 serves 500 pages of 2 jobs; every page after the second answers
// 503 `Retry-After: 1`, so a page left running would be asked again a second later, and it holds
// page 2 back until the first request of each page fetched ahead has arrived, so that the loop
// ends with all of them started. Each test lists a cluster of its own, so that a request left
// running by another test is not counted. Run: node --test tests/node/cancel.test.mjs
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { createServer } from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import v8 from "node:v8";
import vm from "node:vm";

import { isAtlasError, iterateExportJobs, listAllExportJobs } from "atlas-export-jobs";

const GROUP = "32b6e34b3d91647abb20e7b8";
const PER_PAGE = 2;
const TOTAL = 1_000;
// How long to watch for requests after the listing ended: the retries would come after 1 s.
const WATCH_MS = 1_500;
const BOUND = { timeout: 20_000 };

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");

const escaped = [];
process.on("unhandledRejection", (reason) => escaped.push(reason));

const jobId = (n) => n.toString(16).padStart(24, "0");

describe("a listing that ends aborts what it started", () => {
  let server;
  let baseUrl;
  /** Every request of this test's cluster, in order: its page and when it arrived (performance.now()). */
  let requests;
  /** The cluster this test lists, and how many tests have run. */
  let cluster;
  let tests = 0;
  /** How page 2 is answered, once the pages fetched ahead have arrived. */
  let secondPage;
  /** How many pages the listing fetches at once. */
  let ahead;
  /** Page 2's answer, waiting for the first request of each page after it. */
  let held;

  const pageBody = (page) =>
    JSON.stringify({
      links: [],
      results: [0, 1].map((i) => ({ exportBucketId: GROUP, id: jobId(page * 10 + i), state: "Queued" })),
      totalCount: TOTAL,
    });

  /** Answers page 2 once pages 3 .. `ahead` + 1 have each been asked for (or after 5 s). */
  function releaseWhenAllAsked() {
    if (!held) return;
    const asked = new Set(requests.map((r) => r.page));
    const all = Array.from({ length: ahead - 1 }, (_, i) => i + 3).every((page) => asked.has(page));
    if (all || performance.now() - held.since > 5_000) {
      const { response } = held;
      held = undefined;
      if (secondPage === 400) {
        response.writeHead(400, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: 400, errorCode: "INVALID_PARAMETER", reason: "Bad Request" }));
      } else {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(pageBody(2));
      }
    }
  }

  before(async () => {
    server = createServer((request, response) => {
      const url = new URL(request.url, "http://x");
      const page = Number(url.searchParams.get("pageNum") ?? "1");
      if (url.pathname.includes(`/clusters/${cluster}/`)) requests.push({ page, at: performance.now() });
      request.resume();
      if (page === 1) {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(pageBody(1));
      } else if (page === 2) {
        held = { response, since: performance.now() };
      } else {
        response.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
        response.end(JSON.stringify({ error: 503, errorCode: "SERVICE_UNAVAILABLE", reason: "Service Unavailable" }));
      }
      releaseWhenAllAsked();
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
  });
  beforeEach(() => {
    requests = [];
    tests += 1;
    cluster = `Cluster${tests}`;
    secondPage = 200;
    held = undefined;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    assert.deepEqual(escaped, []);
  });

  const params = () => ({ groupId: GROUP, clusterName: cluster, itemsPerPage: PER_PAGE });
  const options = (concurrency, extra = {}) => ({
    baseUrl,
    accessToken: "tok-3f9a8b7c6d5e4f3a2b1c",
    concurrency,
    retry: { maxAttempts: 10 },
    ...extra,
  });

  /** After the listing ended at `endedAt`: every page was started, and nothing arrives for a while. */
  async function expectNothingAfter(endedAt) {
    const started = new Set(requests.filter((r) => r.at <= endedAt).map((r) => r.page));
    for (let page = 1; page <= ahead + 1; page++) assert.ok(started.has(page), `page ${page} was asked for before the end`);
    await sleep(WATCH_MS);
    const late = requests.filter((r) => r.at > endedAt).map((r) => r.page);
    assert.deepEqual(late, [], `requests after the listing ended, by page`);
  }

  for (const concurrency of [4, 16]) {
    describe(`concurrency ${concurrency}`, () => {
      beforeEach(() => {
        ahead = concurrency;
      });

      it("break after the first page's jobs", BOUND, async () => {
        const ids = [];
        for await (const job of iterateExportJobs(params(), options(concurrency))) {
          ids.push(job.id);
          if (ids.length > PER_PAGE) break;
        }
        const endedAt = performance.now();
        assert.deepEqual(ids, [jobId(10), jobId(11), jobId(20)]);
        await expectNothingAfter(endedAt);
      });

      it("return from the function that loops", BOUND, async () => {
        async function third() {
          let seen = 0;
          for await (const job of iterateExportJobs(params(), options(concurrency))) {
            if (++seen > PER_PAGE) return job;
          }
          return undefined;
        }
        const job = await third();
        const endedAt = performance.now();
        assert.equal(job.id, jobId(20));
        await expectNothingAfter(endedAt);
      });

      it("throw inside the loop", BOUND, async () => {
        const stop = new Error("the consumer failed");
        let seen = 0;
        await assert.rejects(async () => {
          for await (const page of iterateExportJobs(params(), options(concurrency)).pages()) {
            if (++seen === 2) throw stop;
            assert.equal(page.results.length, PER_PAGE);
          }
        }, (error) => error === stop);
        await expectNothingAfter(performance.now());
      });

      it("listAllExportJobs rejecting with pages fetched ahead in flight", BOUND, async () => {
        secondPage = 400;
        const error = await listAllExportJobs(params(), options(concurrency)).then(
          () => assert.fail("the listing should have failed"),
          (error) => error,
        );
        const endedAt = performance.now();
        // The page's own failure, not the abort of the pages fetched ahead.
        assert.ok(isAtlasError(error), String(error));
        assert.deepEqual([error.kind, error.status], ["api", 400]);
        await expectNothingAfter(endedAt);
      });

      it("a .pages() iterator dropped unfinished and garbage-collected", BOUND, async () => {
        let collected = false;
        const registry = new FinalizationRegistry(() => {
          collected = true;
        });
        // In a function of its own, so that nothing on this frame keeps the iterator.
        await (async () => {
          const pages = iterateExportJobs(params(), options(concurrency)).pages()[Symbol.asyncIterator]();
          registry.register(pages, "pages");
          assert.equal((await pages.next()).value.results[0].id, jobId(10));
          assert.equal((await pages.next()).value.results[0].id, jobId(20));
        })();
        for (let round = 0; round < 50 && !collected; round++) {
          gc();
          await sleep(10);
        }
        assert.ok(collected, "the dropped iterator was collected");
        // The package's own finalizers run after the same collection.
        gc();
        await sleep(20);
        await expectNothingAfter(performance.now());
      });
    });
  }

  it("leaves no listener on the caller's signal once the loop has ended", BOUND, async () => {
    ahead = 4;
    const controller = new AbortController();
    let seen = 0;
    for await (const _ of iterateExportJobs(params(), options(4, { signal: controller.signal }))) {
      if (++seen > PER_PAGE) break;
    }
    assert.equal(getEventListeners(controller.signal, "abort").length, 0);
    await expectNothingAfter(performance.now());
  });

  it("still ends with the caller's abort, and its reason, while pages are fetched ahead", BOUND, async () => {
    ahead = 4;
    const controller = new AbortController();
    const reason = new Error("the caller gave up");
    let seen = 0;
    const error = await (async () => {
      for await (const _ of iterateExportJobs(params(), options(4, { signal: controller.signal }))) {
        if (++seen > PER_PAGE) controller.abort(reason);
      }
    })().then(
      () => assert.fail("the listing should have been aborted"),
      (error) => error,
    );
    const endedAt = performance.now();
    assert.ok(isAtlasError(error), String(error));
    assert.equal(error.kind, "aborted");
    assert.equal(error.cause, reason);
    assert.equal(getEventListeners(controller.signal, "abort").length, 0);
    await expectNothingAfter(endedAt);
  });
});
