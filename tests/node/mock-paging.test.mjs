// The mock Atlas's datasets for paging tests: sized clusters, jobs added between pages, the
// misbehaving-page faults, the latency setter and the request log's arrival times.
// Run: node --test tests/node/mock-paging.test.mjs
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";
import { buildDataset, MAX_JOBS_PER_CLUSTER } from "../../pkg-template/testing/dataset.mjs";
import { INFLATED_BY } from "../../pkg-template/testing/misbehaving.mjs";

const V2 = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters`;
const SIZES = { Size0: 0, Size1: 1, Size499: 499, Size500: 500, Size501: 501, Size10000: 10000 };
const HEADERS = { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: V2_MEDIA_TYPE };

const exportsPath = (cluster, query = "") => `${V2}/${cluster}/backup/exports${query && `?${query}`}`;

async function getJson(mock, path, headers = HEADERS) {
  const response = await fetch(mock.url + path, { headers });
  return { status: response.status, body: await response.json() };
}

function control(mock, method, path, body) {
  return fetch(mock.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

const datasetOf = (mock, cluster) => control(mock, "GET", `/__mock/dataset?cluster=${cluster}`).then((r) => r.json());
const rels = (body) => body.links.map((link) => link.rel);
const hrefOf = (body, rel) => body.links.find((link) => link.rel === rel)?.href;
const ids = (jobs) => jobs.map((job) => job.id);

/** Follows `next` from `path` (at most `maxPages` pages): every body, in order. */
async function walk(mock, path, maxPages = 100) {
  const pages = [];
  let url = mock.url + path;
  while (url && pages.length < maxPages) {
    const response = await fetch(url, { headers: HEADERS });
    assert.equal(response.status, 200, url);
    const body = await response.json();
    pages.push(body);
    url = hrefOf(body, "next");
  }
  return pages;
}

describe("sized clusters", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { ...SIZES, Wide2: { jobs: 4, shards: 2 } } });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("sit beside the default clusters with exactly the jobs asked for", async () => {
    for (const [cluster, size] of Object.entries(SIZES)) {
      assert.equal((await datasetOf(mock, cluster)).length, size, cluster);
    }
    assert.equal((await datasetOf(mock, "Cluster0")).length, 42);
    const wide = await datasetOf(mock, "Wide2");
    assert.deepEqual(wide[0].components.map((c) => c.replicaSetName), ["Wide2-shard-0", "Wide2-shard-1"]);
  });

  it("are built the same way every time, and by buildDataset", async () => {
    const built = buildDataset({ publicBaseUrl: mock.url, clusters: { Size501: 501 } });
    assert.deepEqual(await datasetOf(mock, "Size501"), built.get("Size501"));
    assert.deepEqual([...built.keys()], ["Cluster0", "Sharded0", "Empty0", "Big0", "Size501"]);
    const again = await startMockAtlas({ clusters: { Size501: 501 } });
    try {
      assert.deepEqual(ids(await datasetOf(again, "Size501")), ids(built.get("Size501")));
    } finally {
      await again.close();
    }
  });

  it("give every job an id of its own, across clusters", () => {
    const all = [...buildDataset({ clusters: SIZES }).values()].flat();
    assert.equal(new Set(ids(all)).size, all.length);
  });

  it("page by 500 with totalCount and links, the last page without next", async () => {
    for (const [cluster, size] of Object.entries(SIZES)) {
      const pages = await walk(mock, exportsPath(cluster, "itemsPerPage=500"));
      assert.equal(pages.length, Math.max(1, Math.ceil(size / 500)), cluster);
      assert.ok(pages.every((page) => page.totalCount === size), cluster);
      pages.forEach((page, index) => {
        const expected = ["self"];
        if (index < pages.length - 1) expected.push("next");
        if (index > 0) expected.push("previous");
        assert.deepEqual(rels(page), expected, `${cluster} page ${index + 1}`);
      });
      const listed = pages.flatMap((page) => page.results);
      assert.deepEqual(ids(listed), ids(await datasetOf(mock, cluster)), cluster);
    }
  });

  it("answer any page of 10,000 jobs, the first and the last alike", async () => {
    const dataset = await datasetOf(mock, "Size10000");
    let { body } = await getJson(mock, exportsPath("Size10000", "itemsPerPage=1&pageNum=10000"));
    assert.deepEqual(ids(body.results), [dataset[9999].id]);
    assert.deepEqual(rels(body), ["self", "previous"]);
    ({ body } = await getJson(mock, exportsPath("Size10000", "itemsPerPage=7&pageNum=1429")));
    assert.deepEqual(ids(body.results), ids(dataset.slice(9996)));
    ({ body } = await getJson(mock, exportsPath("Size10000")));
    assert.equal(body.results.length, 100);
    assert.equal(body.totalCount, 10000);
  });

  it("are refused when they clash, are misnamed or are too big", async () => {
    for (const clusters of [
      { Cluster0: 5 },
      { "bad name": 1 },
      { "-Dash": 1 },
      { X: -1 },
      { X: 1.5 },
      { X: "10" },
      { X: MAX_JOBS_PER_CLUSTER + 1 },
      { X: { jobs: 1, shards: 51 } },
      { X: null },
      [],
    ]) {
      await assert.rejects(startMockAtlas({ clusters }), TypeError, JSON.stringify(clusters));
    }
  });
});

describe("jobs added between pages", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, clusters: { Growing: 5, Wide: { jobs: 1, shards: 2 } } });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("come last, as the newest jobs, and the next page and totalCount show them", async () => {
    const before = await datasetOf(mock, "Growing");
    const first = (await getJson(mock, exportsPath("Growing", "itemsPerPage=3"))).body;
    assert.equal(first.totalCount, 5);
    const added = mock.addJobs("Growing", 2);
    assert.equal(added.totalCount, 7);
    assert.equal(added.ids.length, 2);
    assert.ok(added.ids.every((id) => !ids(before).includes(id)), "fresh ids");

    const second = (await getJson(mock, hrefOf(first, "next").slice(mock.url.length))).body;
    assert.equal(second.totalCount, 7);
    assert.deepEqual(ids(second.results), [before[3].id, before[4].id, added.ids[0]]);
    assert.deepEqual(rels(second), ["self", "next", "previous"]);
    const third = (await getJson(mock, hrefOf(second, "next").slice(mock.url.length))).body;
    assert.deepEqual(ids(third.results), [added.ids[1]]);
    assert.deepEqual(rels(third), ["self", "previous"]);

    const after = await datasetOf(mock, "Growing");
    assert.deepEqual(ids(after), [...ids(before), ...added.ids]);
    assert.ok(after[5].createdAt > before[4].createdAt && after[6].createdAt > after[5].createdAt);
  });

  it("are added over HTTP too, in the cluster's shape, to default clusters as well", async () => {
    const response = await control(mock, "POST", "/__mock/jobs", { cluster: "Wide", count: 3 });
    assert.equal(response.status, 200);
    const { totalCount, ids: added } = await response.json();
    assert.equal(totalCount, 4);
    const wide = await datasetOf(mock, "Wide");
    assert.deepEqual(ids(wide.slice(1)), added);
    assert.ok(wide.every((job) => job.components.length === 2));
    mock.addJobs("Cluster0", 1);
    assert.equal((await getJson(mock, exportsPath("Cluster0", "itemsPerPage=1"))).body.totalCount, 43);
  });

  it("are gone after reset()", async () => {
    mock.addJobs("Growing", 10);
    assert.equal((await datasetOf(mock, "Growing")).length, 15);
    mock.reset();
    assert.equal((await datasetOf(mock, "Growing")).length, 5);
    assert.equal((await getJson(mock, exportsPath("Growing"))).body.totalCount, 5);
  });

  it("are refused for an unknown cluster or a count that is not a positive integer", async () => {
    for (const [cluster, count] of [["Nope", 1], ["Growing", 0], ["Growing", -2], ["Growing", 1.5], ["Growing", "3"], ["Growing", MAX_JOBS_PER_CLUSTER]]) {
      assert.throws(() => mock.addJobs(cluster, count), TypeError, `${cluster} ${count}`);
      const response = await control(mock, "POST", "/__mock/jobs", { cluster, count });
      assert.equal(response.status, 400);
      assert.match((await response.json()).error, /^no jobs added: /);
    }
    assert.equal((await datasetOf(mock, "Growing")).length, 5);
  });
});

describe("misbehaving pages", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60 });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("samePage: answers page 1's body, links included, whatever pageNum is asked", async () => {
    const genuine = (await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10&pageNum=1"))).body;
    const genuineNoPageNum = (await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10"))).body;
    mock.injectFault({ cluster: "Cluster0", fault: "samePage", times: 4 });
    for (const pageNum of [1, 2, 5, 99]) {
      const { status, body } = await getJson(mock, exportsPath("Cluster0", `itemsPerPage=10&pageNum=${pageNum}`));
      assert.equal(status, 200);
      assert.deepEqual(body, genuine, `pageNum=${pageNum}`);
    }
    mock.injectFault({ cluster: "Cluster0", fault: "samePage" });
    assert.deepEqual((await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10"))).body, genuineNoPageNum);
    const afterwards = (await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10&pageNum=2"))).body;
    assert.notDeepEqual(ids(afterwards.results), ids(genuine.results), "used up");
  });

  it("endlessNext: a full page of page 1's ids and a next link, page after page", async () => {
    const first = (await getJson(mock, exportsPath("Big0", "itemsPerPage=5"))).body;
    mock.injectFault({ cluster: "Big0", fault: "endlessNext", times: Infinity });
    const pages = await walk(mock, exportsPath("Big0", "itemsPerPage=5"), 8);
    assert.equal(pages.length, 8);
    pages.forEach((page, index) => {
      assert.deepEqual(ids(page.results), ids(first.results));
      assert.equal(hrefOf(page, "next"), `${mock.url}${exportsPath("Big0", `itemsPerPage=5&pageNum=${index + 2}`)}`);
      assert.equal(page.totalCount, 1234);
    });
    // Past the real end, and on a cluster smaller than a page, the page is still full.
    mock.injectFault({ cluster: "Sharded0", fault: "endlessNext" });
    const sharded = (await getJson(mock, exportsPath("Sharded0", "itemsPerPage=10&pageNum=3"))).body;
    const sharded7 = await datasetOf(mock, "Sharded0");
    assert.deepEqual(ids(sharded.results), [...ids(sharded7), ...ids(sharded7.slice(0, 3))]);
    assert.deepEqual(rels(sharded), ["self", "next", "previous"]);
  });

  it("inflatedTotal: totalCount says INFLATED_BY more jobs than exist; links and results stay true", async () => {
    const genuine = (await getJson(mock, exportsPath("Cluster0", "itemsPerPage=20&pageNum=3"))).body;
    mock.injectFault({ cluster: "Cluster0", fault: "inflatedTotal", times: 2 });
    const { body } = await getJson(mock, exportsPath("Cluster0", "itemsPerPage=20&pageNum=3"));
    assert.equal(INFLATED_BY, 1000);
    assert.deepEqual(body, { ...genuine, totalCount: 42 + INFLATED_BY });
    assert.deepEqual(rels(body), ["self", "previous"]);
    const uncounted = (await getJson(mock, exportsPath("Cluster0", "includeCount=false"))).body;
    assert.ok(!("totalCount" in uncounted));
  });

  it("shortPage: one item fewer than itemsPerPage with a next link; the last page is left alone", async () => {
    const dataset = await datasetOf(mock, "Cluster0");
    mock.injectFault({ cluster: "Cluster0", fault: "shortPage", times: 2 });
    const { body } = await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10&pageNum=2"));
    assert.deepEqual(ids(body.results), ids(dataset.slice(10, 19)));
    assert.deepEqual(rels(body), ["self", "next", "previous"]);
    assert.equal(body.totalCount, 42);
    const next = (await getJson(mock, hrefOf(body, "next").slice(mock.url.length))).body;
    assert.deepEqual(ids(next.results), ids(dataset.slice(20, 29)), "the skipped job is never listed");
    const last = (await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10&pageNum=5"))).body;
    assert.deepEqual(ids(last.results), ids(dataset.slice(40)));
  });

  it("wait for a request that passes every check, and keep their place in line", async () => {
    mock.injectFault({ cluster: "Cluster0", fault: "samePage" });
    mock.injectFault({ cluster: "Cluster0", fault: { status: 500 } });
    assert.equal((await getJson(mock, exportsPath("Cluster0", "pageNum=2"), { Accept: V2_MEDIA_TYPE })).status, 401);
    assert.equal((await getJson(mock, exportsPath("Cluster0", "pageNum=0"))).status, 400);
    assert.equal((await getJson(mock, exportsPath("Sharded0"))).status, 200, "another cluster is untouched");
    const { status, body } = await getJson(mock, exportsPath("Cluster0", "itemsPerPage=5&pageNum=2"));
    assert.equal(status, 200);
    assert.deepEqual(rels(body), ["self", "next"], "page 1's links");
    assert.equal((await getJson(mock, exportsPath("Cluster0"))).status, 500);
    assert.equal((await getJson(mock, exportsPath("Cluster0"))).status, 200);
  });

  it("are injected over HTTP by name", async () => {
    const response = await control(mock, "POST", "/__mock/faults", { cluster: "Cluster0", fault: "shortPage" });
    assert.equal(response.status, 204);
    assert.equal((await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10"))).body.results.length, 9);
    assert.equal((await getJson(mock, exportsPath("Cluster0", "itemsPerPage=10"))).body.results.length, 10);
  });
});

describe("latency and arrival times", () => {
  let mock;
  afterEach(() => mock?.close());

  it("setLatency delays every later answer; reset() restores latencyMs", async () => {
    mock = await startMockAtlas({ latencyMs: 0 });
    const timed = async () => {
      const started = performance.now();
      assert.equal((await fetch(mock.url + exportsPath("Empty0"), { headers: HEADERS })).status, 200);
      return performance.now() - started;
    };
    mock.setLatency(80);
    assert.ok((await timed()) >= 75);
    mock.setLatency(0);
    assert.equal((await control(mock, "POST", "/__mock/latency", { ms: 80 })).status, 204);
    assert.ok((await timed()) >= 75);
    mock.reset();
    await timed(); // only checks that no latency error escapes; speed is not asserted
    assert.throws(() => mock.setLatency(-1), TypeError);
    assert.throws(() => mock.setLatency(Number.NaN), TypeError);
    for (const body of [{ ms: -1 }, { ms: "5" }, {}]) {
      assert.equal((await control(mock, "POST", "/__mock/latency", body)).status, 400, JSON.stringify(body));
    }
  });

  it("logs when each request arrived, in performance.now() milliseconds", async () => {
    mock = await startMockAtlas();
    const started = performance.now();
    await fetch(mock.url + exportsPath("Empty0"), { headers: HEADERS });
    await new Promise((resolve) => setTimeout(resolve, 40));
    await fetch(mock.url + exportsPath("Empty0"), { headers: HEADERS });
    const [first, second] = mock.requests;
    assert.ok(first.at >= started && second.at <= performance.now());
    assert.ok(second.at - first.at >= 35, "the pause between the requests shows");
  });
});

describe("mock Atlas CLI --clusters", () => {
  const script = fileURLToPath(new URL("../../pkg-template/testing/cli.mjs", import.meta.url));

  it("adds the sized clusters it is given", async () => {
    const child = spawn(process.execPath, [script, "--max-seconds", "20", "--clusters", '{"Size3":3}'], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      const [line] = await once(createInterface({ input: child.stdout }), "line");
      const { url } = JSON.parse(line);
      const jobs = await fetch(`${url}/__mock/dataset?cluster=Size3`).then((r) => r.json());
      assert.equal(jobs.length, 3);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });

  it("refuses clusters it cannot build", async () => {
    for (const value of ["{", '{"Cluster0":1}']) {
      const child = spawn(process.execPath, [script, "--clusters", value], { stdio: ["ignore", "pipe", "pipe"] });
      const [code] = await once(child, "exit");
      assert.equal(code, 2, value);
    }
  });
});
