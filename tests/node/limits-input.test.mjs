// Inputs at and past their limits, through the package (issue 14): host names of 253 and 254
// characters and labels of 63 and 64, refused with no request sent; a Retry-After dated in the
// year 99999999999999 and other absurd delays, which must end the call without a trap; and page
// numbers at the top of the range JavaScript can name, against servers that keep linking further.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { AtlasClient, checkListExportJobs, isAtlasError, listAllExportJobs, listExportJobs } from "atlas-export-jobs";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { MISBEHAVING_PAGES } from "../../pkg-template/testing/misbehaving.mjs";

const params = (extra = {}) => ({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 2, ...extra });

const escaped = [];
process.on("unhandledRejection", (reason) => escaped.push(reason));
process.on("uncaughtException", (error) => escaped.push(error));

/** A host name of exactly `length` characters in valid labels (50 or 51 characters): only its length is at stake. */
function hostOf(length) {
  const host = `${"a".repeat(50)}.`.repeat(Math.ceil(length / 51)).slice(0, length);
  return host.endsWith(".") ? `${host.slice(0, -1)}a` : host;
}

/** How a call ended: `{page}` or `{error}`, asserting that a rejection is an AtlasError, never a trap. */
async function settle(promise) {
  try {
    return { page: await promise };
  } catch (error) {
    assert.ok(!(error instanceof WebAssembly.RuntimeError), `the wasm instance trapped: ${error}`);
    assert.ok(isAtlasError(error), `not an AtlasError: ${error}`);
    return { error };
  }
}

describe("host name limits", () => {
  let requests = 0;
  // A fetch that would answer anything: the count is what matters.
  const fetchFn = async () => {
    requests++;
    return new Response("{}");
  };
  const options = (host) => ({ baseUrl: `https://${host}`, accessToken: MOCK_TOKEN, fetch: fetchFn });
  afterEach(() => assert.equal(requests, 0, "no request was sent"));

  it("builds the host names it means to", () => {
    assert.equal(hostOf(253).length, 253);
    assert.equal(hostOf(254).length, 254);
    for (const length of [252, 253, 254, 1_000_000]) {
      assert.equal(hostOf(length).length, length);
      assert.ok(hostOf(length).split(".").every((label) => label.length >= 1 && label.length <= 63));
    }
  });

  it("refuses a 254-character host name as a validation error on baseUrl, sending nothing", async () => {
    const host = hostOf(254);
    const check = checkListExportJobs(params(), options(host));
    assert.deepEqual([check?.kind, check?.field], ["validation", "baseUrl"]);
    const call = await settle(listExportJobs(params(), options(host)));
    assert.deepEqual([call.error?.kind, call.error?.field], ["validation", "baseUrl"]);
    assert.throws(() => new AtlasClient(options(host)), (e) => isAtlasError(e) && e.kind === "validation" && e.field === "baseUrl");
  });

  it("accepts a 253-character host name", () => {
    assert.equal(checkListExportJobs(params(), options(hostOf(253))), undefined);
    assert.doesNotThrow(() => new AtlasClient(options(hostOf(253))));
    assert.equal(checkListExportJobs(params(), options(`${hostOf(252)}.`)), undefined, "with a trailing dot, 253 in all");
  });

  it("refuses a 64-character label and accepts a 63-character one", async () => {
    const long = `${"c".repeat(64)}.example`;
    const check = checkListExportJobs(params(), options(long));
    assert.deepEqual([check?.kind, check?.field], ["validation", "baseUrl"]);
    assert.equal((await settle(listExportJobs(params(), options(long)))).error?.field, "baseUrl");
    assert.equal(checkListExportJobs(params(), options(`${"c".repeat(63)}.example`)), undefined);
  });

  it("refuses a host name of 1,000,000 characters without handing it on", async () => {
    const huge = hostOf(1_000_000);
    const call = await settle(listExportJobs(params(), options(huge)));
    assert.deepEqual([call.error?.kind, call.error?.field], ["validation", "baseUrl"]);
    assert.ok(call.error.message.length < 500, "the message does not quote it whole");
  });
});

describe("overflowing numbers from the server", () => {
  let mock;
  const options = (extra = {}) => ({ baseUrl: mock.url, accessToken: MOCK_TOKEN, ...extra });
  const apiGets = () => mock.requests.filter((r) => r.method === "GET");
  // Retries as fast as the machine allows, within a small deadline: a wait that honoured an
  // absurd Retry-After would outlast it.
  const retry = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, retryAfterUnitMs: 1 };

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
  });
  afterEach(async () => {
    mock.reset();
    assert.equal((await listExportJobs(params(), options())).results.length, 2, "the next call works");
    mock.reset();
  });
  after(async () => {
    await mock.close();
    assert.deepEqual(escaped, []);
  });

  for (const retryAfter of [
    "Sun, 06 Nov 99999999999999 08:49:37 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "18446744073709551616",
    "99999999999999999999999999999999999999",
    "Sun, 99 Nov 2026 99:99:99 GMT",
    "-1",
    "1e309",
  ]) {
    it(`429 with Retry-After: ${retryAfter} ends the call, after at most maxAttempts requests`, async () => {
      // Once: the call may retry and succeed, or stop at once with the 429.
      mock.injectFault({ cluster: "Cluster0", fault: { status: 429, headers: { "Retry-After": retryAfter } } });
      const once = await settle(listExportJobs(params(), options({ deadlineMs: 2000, retry })));
      if (once.error) assert.deepEqual([once.error.kind, once.error.status], ["api", 429]);
      else assert.equal(once.page.results.length, 2);
      mock.reset();
      // Always: the call ends with the 429, or the deadline, after at most maxAttempts requests.
      mock.injectFault({ cluster: "Cluster0", fault: { status: 429, headers: { "Retry-After": retryAfter } }, times: Infinity });
      const always = await settle(listExportJobs(params(), options({ deadlineMs: 500, retry })));
      assert.ok(always.error, "no page behind a 429 that never ends");
      assert.ok(["api", "timeout"].includes(always.error.kind), always.error.kind);
      assert.ok(apiGets().length >= 1 && apiGets().length <= retry.maxAttempts, `${apiGets().length} requests`);
    });
  }

  it("a Retry-After past any deadline stops at once instead of waiting", async () => {
    for (const retryAfter of ["Fri, 31 Dec 9999 23:59:59 GMT", "18446744073709551616"]) {
      mock.reset();
      mock.injectFault({ cluster: "Cluster0", fault: { status: 503, headers: { "Retry-After": retryAfter } }, times: Infinity });
      const { error } = await settle(listExportJobs(params(), options({ retry: { maxAttempts: 4 } })));
      assert.deepEqual([error?.kind, error?.status], ["api", 503], retryAfter);
      assert.equal(apiGets().length, 1, `${retryAfter}: no second request`);
    }
  });

  it("a listing from the largest page number JavaScript can name ends, against every misbehaving page", async () => {
    for (const fault of MISBEHAVING_PAGES) {
      for (const includeCount of [true, false]) {
        mock.reset();
        mock.injectFault({ cluster: "Cluster0", fault, times: Infinity });
        const result = await settle(
          listAllExportJobs(params({ pageNum: Number.MAX_SAFE_INTEGER, includeCount }), options({ maxPages: 5, retry: false })),
        );
        if (result.error) assert.ok(["paging", "api"].includes(result.error.kind), `${fault}: ${result.error.kind}`);
        const pages = apiGets().map((r) => BigInt(r.query.pageNum));
        assert.ok(pages.length >= 1 && pages.length <= 5, `${fault}: ${pages.length} requests`);
        assert.equal(pages[0], BigInt(Number.MAX_SAFE_INTEGER));
        // Each request asks for the page after the one before: nothing wrapped around.
        pages.forEach((page, i) => assert.equal(page, pages[0] + BigInt(i), `${fault}: request ${i}`));
      }
    }
  });
});
