// iterateExportJobs and listAllExportJobs against the mock: every job once, in order, with the
// fewest requests; laziness; guards; misbehaving servers; a dataset that changes while listed.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { isAtlasError, iterateExportJobs, listAllExportJobs } from "atlas-export-jobs";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";

const SIZES = { Size0: 0, Size1: 1, Size499: 499, Size500: 500, Size501: 501, Size10000: 10_000 };

describe("paging", () => {
  let mock;
  let expectedIds;
  const options = (extra = {}) => ({ baseUrl: mock.url, accessToken: MOCK_TOKEN, retry: false, ...extra });
  const gets = () => mock.requests.filter((r) => r.method === "GET");

  before(async () => {
    mock = await startMockAtlas({ clusters: SIZES, maxSeconds: 600 });
    // The server's order, from the mock's own data.
    expectedIds = async (cluster) => (await fetch(`${mock.url}/__mock/dataset?cluster=${cluster}`).then((r) => r.json())).map((j) => j.id);
  });
  afterEach(() => mock.reset());
  after(() => mock.close());

  for (const [cluster, size] of Object.entries(SIZES)) {
    for (const itemsPerPage of [1, 100, 500]) {
      if (size / itemsPerPage > 600) continue; // 10,000 requests one job at a time would only test patience
      for (const includeCount of [true, false]) {
        it(`${size} jobs, ${itemsPerPage} a page, includeCount ${includeCount}: each once, in order, fewest requests`, async () => {
          const ids = [];
          for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: cluster, itemsPerPage, includeCount }, options())) {
            ids.push(job.id);
          }
          assert.deepEqual(ids, await expectedIds(cluster));
          assert.equal(gets().length, Math.max(1, Math.ceil(size / itemsPerPage)));
          // Pages fetched ahead may arrive in any order; each is asked once.
          const pages = gets().map((r) => Number(r.query.pageNum)).sort((a, b) => a - b);
          assert.deepEqual(pages, pages.map((_, i) => i + 1), "every page asked once");
        });
      }
    }
  }

  it("sends exactly one request when the loop breaks after the first job", async () => {
    for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size10000", itemsPerPage: 500 }, options())) {
      assert.ok(job.id);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(gets().length, 1);
  });

  it("sends nothing more after a throw in the loop", async () => {
    await assert.rejects(async () => {
      for await (const _ of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 100 }, options())) {
        throw new Error("consumer failed");
      }
    }, /consumer failed/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(gets().length, 1);
  });

  it("is lazy: creating the iterable sends nothing, and each loop starts afresh", async () => {
    const iterable = iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 500 }, options());
    assert.equal(gets().length, 0);
    let first = 0;
    for await (const _ of iterable) first++;
    let second = 0;
    for await (const _ of iterable) second++;
    assert.equal(first, 501);
    assert.equal(second, 501);
  });

  it("gives pages with .pages()", async () => {
    const sizes = [];
    for await (const page of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 200 }, options()).pages()) {
      sizes.push(page.results.length);
      assert.equal(page.totalCount, 501);
    }
    assert.deepEqual(sizes, [200, 200, 101]);
  });

  it("throws a validation error at once, sending nothing", () => {
    assert.throws(() => iterateExportJobs({ groupId: "nope", clusterName: "Size1" }, options()), (e) => isAtlasError(e) && e.kind === "validation" && e.field === "groupId");
    assert.throws(() => iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size1" }, options({ maxPages: 0 })), (e) => e.field === "maxPages");
    assert.throws(() => iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size1" }, options({ concurrency: 1.5 })), (e) => e.field === "concurrency");
    assert.equal(gets().length, 0);
  });

  it("never sends credentials to the host named in the links", async () => {
    const elsewhere = await startMockAtlas({ publicBaseUrl: "http://127.0.0.1:9", clusters: { Linked: 30 } });
    try {
      const ids = [];
      for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Linked", itemsPerPage: 10 }, options({ baseUrl: elsewhere.url }))) ids.push(job.id);
      assert.equal(ids.length, 30);
      assert.equal(elsewhere.requests.length, 3, "every page came from the configured base URL");
    } finally {
      await elsewhere.close();
    }
  });

  it("ends maxPages and maxItems with a paging error", async () => {
    const walk = async (extra) => {
      const seen = [];
      try {
        for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 100 }, options(extra))) seen.push(job.id);
        return { seen };
      } catch (error) {
        return { seen, error };
      }
    };
    let { seen, error } = await walk({ maxPages: 2 });
    assert.equal(error.kind, "paging");
    assert.equal(error.reason, "maxPages");
    assert.equal(seen.length, 200);
    assert.equal(gets().length, 2, "the guard stops before the third request");
    mock.reset();
    ({ seen, error } = await walk({ maxItems: 250 }));
    assert.equal(error.reason, "maxItems");
    assert.equal(error.itemsYielded, 200);
    ({ error } = await walk({ maxItems: 501, maxPages: 6 }));
    assert.equal(error, undefined, "a listing within the guards is no error");
  });

  for (const [fault, reason] of [
    ["samePage", "samePage"],
    ["endlessNext", undefined],
    ["inflatedTotal", undefined],
  ]) {
    it(`ends honestly when the server sends ${fault}`, async () => {
      mock.injectFault({ cluster: "Size501", fault, times: Infinity });
      let error;
      const ids = [];
      try {
        for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 100 }, options())) ids.push(job.id);
      } catch (e) {
        error = e;
      }
      assert.ok(gets().length <= 10, `${gets().length} requests: it did not run away`);
      assert.equal(new Set(ids).size, ids.length, "no job twice");
      if (fault === "inflatedTotal") {
        assert.equal(error, undefined);
        assert.equal(ids.length, 501);
      } else {
        assert.equal(error?.kind, "paging", String(error));
        if (reason) assert.equal(error.reason, reason);
      }
    });
  }

  it("keeps going past a short page that links to a next one", async () => {
    mock.injectFault({ cluster: "Size501", fault: "shortPage", times: 1 });
    const ids = [];
    for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 100 }, options())) ids.push(job.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.length >= 500);
  });

  it("yields no job twice when jobs appear while listing", async () => {
    const ids = [];
    let added = false;
    for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 100 }, options({ concurrency: 1 }))) {
      ids.push(job.id);
      if (ids.length === 150 && !added) {
        mock.addJobs("Size501", 7);
        added = true;
      }
    }
    // Defined behaviour: no job twice, and every job that existed when the listing began, once.
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(added);
    const original = (await expectedIds("Size501")).filter((id) => !ids.includes(id));
    assert.ok(original.length <= 7, `only the ${original.length} jobs added during the walk may be missing`);
  });

  it("fetches ahead when the count is known, still in order, with no extra requests", async () => {
    const ids = [];
    for await (const job of iterateExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size10000", itemsPerPage: 500 }, options({ concurrency: 4 }))) ids.push(job.id);
    assert.deepEqual(ids, await expectedIds("Size10000"));
    assert.equal(gets().length, 20);
  });

  it("listAllExportJobs returns every job and reports progress", async () => {
    const progress = [];
    const jobs = await listAllExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size501", itemsPerPage: 200 }, options({ onProgress: (p) => progress.push(p) }));
    assert.deepEqual(jobs.map((j) => j.id), await expectedIds("Size501"));
    assert.deepEqual(progress, [
      { pagesDone: 1, itemsSoFar: 200, total: 501 },
      { pagesDone: 2, itemsSoFar: 400, total: 501 },
      { pagesDone: 3, itemsSoFar: 501, total: 501 },
    ]);
    const uncounted = [];
    await listAllExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Size1", includeCount: false }, options({ onProgress: (p) => uncounted.push(p) }));
    assert.deepEqual(uncounted, [{ pagesDone: 1, itemsSoFar: 1 }]);
  });

  it("listAllExportJobs rejects with the API's error", async () => {
    await assert.rejects(listAllExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Nope" }, options()), (e) => e.kind === "api" && e.status === 404);
  });
});
