// The mock Atlas itself, checked with plain fetch: its dataset, its answers to good and bad
// requests, its faults, its request log and its CLI. Run: node --test tests/node/mock.test.mjs
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

import { MOCK_CLUSTERS, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";
import { buildDataset, jobsFor, STATES } from "../../pkg-template/testing/dataset.mjs";

const V2 = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters`;
const V1 = `/api/atlas/v1.0/groups/${MOCK_GROUP_ID}/clusters`;
const HEX24 = /^[a-f0-9]{24}$/;
const JOB_KEYS = [
  "components", "createdAt", "customData", "exportBucketId", "exportStatus", "finishedAt",
  "id", "links", "prefix", "snapshotId", "state", "stateReason",
];
const TERMINAL = new Set(["Successful", "Failed", "Cancelled"]);
const EXPOSED = "RateLimit-Limit, RateLimit-Remaining, Retry-After, Content-Type, WWW-Authenticate";

/** GET `path` from `mock` as a well-behaved v2 (or v1.0) client would, unless told otherwise. */
function get(mock, path, { token = MOCK_TOKEN, accept, headers = {}, method = "GET", signal } = {}) {
  const all = { ...headers };
  if (token !== null) all.Authorization = `Bearer ${token}`;
  const defaultAccept = path.startsWith("/api/atlas/v1.0/") ? "application/json" : V2_MEDIA_TYPE;
  if (accept !== null) all.Accept = accept ?? defaultAccept;
  return fetch(mock.url + path, { method, headers: all, signal });
}

async function getJson(mock, path, options) {
  const response = await get(mock, path, options);
  return { response, body: await response.json() };
}

async function expectApiError(response, status, errorCode) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get("content-type"), "application/json");
  const body = await response.json();
  assert.equal(body.error, status);
  assert.equal(body.errorCode, errorCode);
  assert.equal(typeof body.detail, "string");
  assert.equal(typeof body.reason, "string");
  assert.ok(Array.isArray(body.parameters));
  return body;
}

function control(mock, method, path, body) {
  return fetch(mock.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe("dataset", () => {
  const dataset = buildDataset();
  const allJobs = [...dataset.values()].flat();

  it("holds the four clusters of the mock project with their sizes", () => {
    assert.deepEqual([...dataset.keys()], ["Cluster0", "Sharded0", "Empty0", "Big0"]);
    assert.deepEqual([...dataset].map(([name, jobs]) => [name, jobs.length]), [
      ["Cluster0", 42],
      ["Sharded0", 7],
      ["Empty0", 0],
      ["Big0", 1234],
    ]);
    assert.deepEqual(Object.fromEntries(Object.entries(MOCK_CLUSTERS).map(([n, c]) => [n, c.jobs])), {
      Cluster0: 42, Sharded0: 7, Empty0: 0, Big0: 1234,
    });
  });

  it("is the same on every build", () => {
    assert.deepEqual(buildDataset(), dataset);
    assert.equal(jobsFor(MOCK_GROUP_ID, "Cluster0")[5].id, dataset.get("Cluster0")[5].id);
    assert.equal(jobsFor("0123456789abcdef01234567", "Cluster0"), undefined);
    assert.equal(jobsFor(MOCK_GROUP_ID, "Nope"), undefined);
  });

  it("gives every id, bucket, snapshot and shard export a distinct 24-hex id", () => {
    const ids = allJobs.flatMap((job) => [
      job.id, job.exportBucketId, job.snapshotId, ...(job.components ?? []).map((c) => c.exportId),
    ]);
    assert.ok(ids.every((id) => HEX24.test(id)));
    assert.equal(new Set(ids).size, ids.length);
  });

  it("writes the keys of each job in the spec fixture's order", () => {
    for (const job of allJobs) {
      const keys = Object.keys(job);
      assert.deepEqual(keys, JOB_KEYS.filter((key) => keys.includes(key)));
      assert.deepEqual(Object.keys(job.exportStatus), ["exportedCollections", "totalCollections"]);
    }
  });

  it("cycles through all five states in every cluster of five jobs or more", () => {
    for (const [name, jobs] of dataset) {
      if (jobs.length < 5) continue;
      assert.deepEqual(new Set(jobs.map((j) => j.state)), new Set(STATES), name);
    }
    assert.deepEqual(new Set(dataset.get("Cluster0").slice(0, 5).map((j) => j.state)), new Set(STATES));
  });

  it("keeps the optional fields to the jobs that would have them", () => {
    for (const job of allJobs) {
      const { exportedCollections: done, totalCollections: total } = job.exportStatus;
      assert.equal("finishedAt" in job, TERMINAL.has(job.state), job.id);
      assert.equal("stateReason" in job, job.state === "Failed", job.id);
      if (job.state === "Queued") assert.equal(done, 0);
      if (job.state === "InProgress") assert.ok(done < total);
      if (job.state === "Successful") assert.equal(done, total);
      if (job.stateReason) {
        assert.deepEqual(Object.keys(job.stateReason), ["errorCode", "message"]);
        assert.match(job.stateReason.errorCode, /^EXPORT_FAILED_[A-Z_]+$/);
      }
      if (job.finishedAt) assert.ok(job.finishedAt > job.createdAt);
    }
    const withCustomData = allJobs.filter((job) => "customData" in job);
    assert.ok(withCustomData.length > 0 && withCustomData.length < allJobs.length);
    assert.ok(withCustomData.every((job) => job.customData.every((d) => Object.keys(d).join() === "key,value")));
    assert.ok(dataset.get("Cluster0")[0].customData);
    assert.ok(!("customData" in dataset.get("Cluster0")[1]));
  });

  it("dates each job in ISO 8601 UTC, one after the other", () => {
    const jobs = dataset.get("Cluster0");
    assert.equal(jobs[0].createdAt, "2026-01-01T00:00:00Z");
    for (const job of allJobs) assert.match(job.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    for (let i = 1; i < jobs.length; i++) assert.ok(jobs[i].createdAt > jobs[i - 1].createdAt);
  });

  it("gives sharded jobs one component per shard and replica-set jobs none", () => {
    for (const job of dataset.get("Sharded0")) {
      assert.deepEqual(job.components.map((c) => c.replicaSetName), ["Sharded0-shard-0", "Sharded0-shard-1", "Sharded0-shard-2"]);
      assert.deepEqual(Object.keys(job.components[0]), ["exportId", "replicaSetName"]);
    }
    assert.ok(dataset.get("Cluster0").every((job) => !("components" in job)));
  });

  it("writes prefixes without a leading slash and self links under the given host", () => {
    const [job] = buildDataset({ publicBaseUrl: "https://cloud.mongodb.com/" }).get("Cluster0");
    assert.equal(job.prefix, "exported_snapshots/demo-org/demo-project/Cluster0/2026-01-01T0000/1767225600");
    assert.deepEqual(job.links, [
      { href: `https://cloud.mongodb.com${V2}/Cluster0/backup/exports/${job.id}`, rel: "self" },
    ]);
  });
});

describe("mock Atlas server", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 120 });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("listens on 127.0.0.1 only", () => {
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  describe("a page", () => {
    it("holds the dataset's jobs for that page, as the dataset route shows them", async () => {
      const { response, body } = await getJson(mock, `${V2}/Cluster0/backup/exports?itemsPerPage=10&pageNum=2`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), V2_MEDIA_TYPE);
      const dataset = await control(mock, "GET", "/__mock/dataset?cluster=Cluster0").then((r) => r.json());
      assert.equal(dataset.length, 42);
      assert.deepEqual(Object.keys(body), ["links", "results", "totalCount"]);
      assert.deepEqual(body.results, dataset.slice(10, 20));
      assert.equal(body.totalCount, 42);
      assert.equal(body.results[0].links[0].href, `${mock.url}${V2}/Cluster0/backup/exports/${body.results[0].id}`);
    });

    it("uses 100 items per page by default and up to 500 on request", async () => {
      let { body } = await getJson(mock, `${V2}/Big0/backup/exports`);
      assert.equal(body.results.length, 100);
      assert.equal(body.totalCount, 1234);
      ({ body } = await getJson(mock, `${V2}/Big0/backup/exports?itemsPerPage=500&pageNum=3`));
      assert.equal(body.results.length, 234);
      assert.equal(body.results[0].id, jobsFor(MOCK_GROUP_ID, "Big0")[1000].id);
    });

    it("answers an empty cluster and a page past the end with no results", async () => {
      let { response, body } = await getJson(mock, `${V2}/Empty0/backup/exports`);
      assert.equal(response.status, 200);
      assert.deepEqual(body.results, []);
      assert.equal(body.totalCount, 0);
      assert.deepEqual(body.links.map((l) => l.rel), ["self"]);
      ({ response, body } = await getJson(mock, `${V2}/Sharded0/backup/exports?pageNum=9`));
      assert.equal(response.status, 200);
      assert.deepEqual(body.results, []);
      assert.deepEqual(body.links.map((l) => l.rel), ["self", "previous"]);
    });

    it("links self always, next while items follow, previous after the first page", async () => {
      const path = `${V2}/Sharded0/backup/exports`;
      const rels = async (query) => (await getJson(mock, `${path}?${query}`)).body.links.map((l) => l.rel);
      assert.deepEqual(await rels("itemsPerPage=3&pageNum=1"), ["self", "next"]);
      assert.deepEqual(await rels("itemsPerPage=3&pageNum=2"), ["self", "next", "previous"]);
      assert.deepEqual(await rels("itemsPerPage=3&pageNum=3"), ["self", "previous"]);
      assert.deepEqual(await rels("itemsPerPage=7"), ["self"]);
    });

    it("repeats the request's path and query in its links, with pageNum adjusted", async () => {
      const path = `${V2}/Sharded0/backup/exports`;
      const { body } = await getJson(mock, `${path}?itemsPerPage=2&pageNum=2&includeCount=false`);
      const href = Object.fromEntries(body.links.map((l) => [l.rel, l.href]));
      assert.equal(href.self, `${mock.url}${path}?itemsPerPage=2&pageNum=2&includeCount=false`);
      assert.equal(href.next, `${mock.url}${path}?itemsPerPage=2&pageNum=3&includeCount=false`);
      assert.equal(href.previous, `${mock.url}${path}?itemsPerPage=2&pageNum=1&includeCount=false`);
      const first = await getJson(mock, `${V1}/Cluster0/backup/exports?itemsPerPage=5`);
      assert.equal(first.body.links[1].href, `${mock.url}${V1}/Cluster0/backup/exports?itemsPerPage=5&pageNum=2`);
    });

    it("counts the jobs unless includeCount=false", async () => {
      const path = `${V2}/Cluster0/backup/exports?itemsPerPage=1`;
      assert.equal((await getJson(mock, path)).body.totalCount, 42);
      assert.equal((await getJson(mock, `${path}&includeCount=true`)).body.totalCount, 42);
      const { body } = await getJson(mock, `${path}&includeCount=false`);
      assert.ok(!("totalCount" in body));
      assert.deepEqual(Object.keys(body), ["links", "results"]);
    });

    it("puts the status first with envelope=true and indents with pretty=true", async () => {
      const path = `${V2}/Cluster0/backup/exports?itemsPerPage=2`;
      const compact = await get(mock, path).then((r) => r.text());
      assert.ok(!compact.includes("\n"));
      const enveloped = await getJson(mock, `${path}&envelope=true`);
      assert.deepEqual(Object.keys(enveloped.body), ["status", "links", "results", "totalCount"]);
      assert.equal(enveloped.body.status, 200);
      assert.ok(!("status" in (await getJson(mock, `${path}&envelope=false`)).body));
      const pretty = await get(mock, `${path}&pretty=true`).then((r) => r.text());
      assert.ok(pretty.startsWith('{\n  "links": [\n    {\n      "href": '));
      assert.deepEqual(JSON.parse(pretty).results, JSON.parse(compact).results);
    });

    it("ignores query parameters it does not know", async () => {
      const { response, body } = await getJson(mock, `${V2}/Cluster0/backup/exports?itemPerPage=3&foo=bar`);
      assert.equal(response.status, 200);
      assert.equal(body.results.length, 42);
    });

    it("serves v1.0 as application/json, whatever JSON Accept the client sends", async () => {
      for (const accept of ["application/json", "*/*", null]) {
        const response = await get(mock, `${V1}/Cluster0/backup/exports?itemsPerPage=3`, { accept });
        assert.equal(response.status, 200, String(accept));
        assert.equal(response.headers.get("content-type"), "application/json");
        assert.equal((await response.json()).results.length, 3);
      }
    });

    it("serves v2 to an Accept that lists its version among others", async () => {
      for (const accept of [`application/json, ${V2_MEDIA_TYPE}`, `${V2_MEDIA_TYPE}; charset=utf-8`]) {
        assert.equal((await get(mock, `${V2}/Cluster0/backup/exports`, { accept })).status, 200, accept);
      }
    });
  });

  describe("errors", () => {
    it("answers 406 on v2 without the versioned Accept", async () => {
      for (const accept of [null, "application/json", "*/*", "application/vnd.atlas.2099-01-01+json"]) {
        const response = await get(mock, `${V2}/Cluster0/backup/exports`, { accept });
        const body = await expectApiError(response, 406, "INVALID_VERSION_DATE");
        assert.equal(body.reason, "Not Acceptable");
        assert.match(body.detail, /application\/vnd\.atlas\.2023-01-01\+json/);
      }
    });

    it("answers 401 without a Bearer token, with a wrong one, or with another scheme", async () => {
      const cases = [
        [{ token: null }, null],
        [{ token: "wrong-token" }, "Bearer"],
        [{ token: "" }, "Bearer"],
        [{ token: null, headers: { Authorization: `Basic ${btoa(`user:${MOCK_TOKEN}`)}` } }, "Basic"],
        [{ token: null, headers: { Authorization: 'Digest username="a", realm="MMS Public API"' } }, "Digest"],
        [{ token: null, headers: { Authorization: MOCK_TOKEN } }, null],
      ];
      for (const [options, scheme] of cases) {
        mock.reset();
        const response = await get(mock, `${V2}/Cluster0/backup/exports`, options);
        const body = await expectApiError(response, 401, "USER_UNAUTHORIZED");
        assert.deepEqual(Object.keys(body), ["detail", "error", "errorCode", "parameters", "reason"]);
        assert.equal(body.reason, "Unauthorized");
        assert.deepEqual(body.parameters, []);
        assert.match(body.detail, /not authenticated/);
        assert.match(response.headers.get("www-authenticate"), /^Bearer /);
        assert.deepEqual([mock.requests[0].authScheme, mock.requests[0].authorized], [scheme, false]);
      }
    });

    it("answers 404 for a malformed project id, an unknown project or an unknown cluster", async () => {
      let body = await expectApiError(
        await get(mock, `/api/atlas/v2/groups/${MOCK_GROUP_ID.toUpperCase()}/clusters/Cluster0/backup/exports`),
        404,
        "INVALID_GROUP_ID",
      );
      assert.deepEqual(body.parameters, [MOCK_GROUP_ID.toUpperCase()]);
      const other = "0123456789abcdef01234567";
      body = await expectApiError(await get(mock, `/api/atlas/v2/groups/${other}/clusters/Cluster0/backup/exports`), 404, "GROUP_NOT_FOUND");
      assert.equal(body.detail, `No group with ID ${other} exists.`);
      assert.deepEqual(body.parameters, [other]);
      assert.equal(body.reason, "Not Found");
      body = await expectApiError(await get(mock, `${V1}/Nope/backup/exports`), 404, "CLUSTER_NOT_FOUND");
      assert.equal(body.detail, `No cluster named Nope exists in group ${MOCK_GROUP_ID}.`);
      assert.deepEqual(body.parameters, ["Nope", MOCK_GROUP_ID]);
    });

    it("answers 404 RESOURCE_NOT_FOUND for any other path or method", async () => {
      for (const [path, method] of [
        ["/", "GET"],
        [`${V2}/Cluster0/backup/exports/`, "GET"],
        [`${V2}/Cluster0/backup/snapshots`, "GET"],
        [`/api/atlas/v1/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`, "GET"],
        [`${V2}/Cluster0/backup/exports`, "POST"],
        [`${V2}/Cluster0/backup/exports`, "DELETE"],
      ]) {
        await expectApiError(await get(mock, path, { method }), 404, "RESOURCE_NOT_FOUND");
      }
    });

    it("answers 400 VALIDATION_ERROR naming each bad query parameter", async () => {
      const cases = [
        ["itemsPerPage=501", "itemsPerPage", "must be less than or equal to 500"],
        ["itemsPerPage=0", "itemsPerPage", "must be greater than or equal to 1"],
        ["itemsPerPage=1.5", "itemsPerPage", "must be an integer"],
        ["itemsPerPage=ten", "itemsPerPage", "must be an integer"],
        ["itemsPerPage=", "itemsPerPage", "must be an integer"],
        ["pageNum=0", "pageNum", "must be greater than or equal to 1"],
        ["pageNum=-1", "pageNum", "must be greater than or equal to 1"],
        ["pageNum=1e3", "pageNum", "must be an integer"],
        ["includeCount=yes", "includeCount", "must be true or false"],
        ["envelope=1", "envelope", "must be true or false"],
        ["pretty=TRUE", "pretty", "must be true or false"],
      ];
      for (const [query, field, description] of cases) {
        const response = await get(mock, `${V2}/Cluster0/backup/exports?${query}`);
        const body = await expectApiError(response, 400, "VALIDATION_ERROR");
        assert.equal(body.reason, "Bad Request");
        assert.deepEqual(body.badRequestDetail, { fields: [{ field, description }] }, query);
        assert.deepEqual(body.parameters, [field, query.split("=")[1]]);
        assert.ok(body.detail.includes(`${field} ${description}`));
      }
      const both = await get(mock, `${V2}/Cluster0/backup/exports?itemsPerPage=1000&pageNum=x`).then((r) => r.json());
      assert.deepEqual(both.badRequestDetail.fields.map((f) => f.field), ["itemsPerPage", "pageNum"]);
    });

    it("checks auth, then Accept, then the project and cluster, then the query", async () => {
      const badEverything = "/api/atlas/v2/groups/XYZ/clusters/Nope/backup/exports?itemsPerPage=0";
      await expectApiError(await get(mock, badEverything, { token: "wrong", accept: "*/*" }), 401, "USER_UNAUTHORIZED");
      await expectApiError(await get(mock, badEverything, { accept: "*/*" }), 406, "INVALID_VERSION_DATE");
      await expectApiError(await get(mock, badEverything), 404, "INVALID_GROUP_ID");
      await expectApiError(await get(mock, `${V2}/Nope/backup/exports?itemsPerPage=0`), 404, "CLUSTER_NOT_FOUND");
      await expectApiError(await get(mock, `${V2}/Cluster0/backup/exports?itemsPerPage=0`), 400, "VALIDATION_ERROR");
    });
  });

  describe("headers", () => {
    it("reports the project's rate limit on answers and errors, counting down", async () => {
      const remaining = [];
      for (const path of [`${V2}/Cluster0/backup/exports`, `${V2}/Nope/backup/exports`, `${V1}/Empty0/backup/exports`]) {
        const response = await get(mock, path);
        assert.equal(response.headers.get("ratelimit-limit"), "1200");
        remaining.push(Number(response.headers.get("ratelimit-remaining")));
      }
      assert.deepEqual(remaining, [1199, 1198, 1197]);
      const unauthorized = await get(mock, `${V2}/Cluster0/backup/exports`, { token: null });
      assert.equal(unauthorized.headers.get("ratelimit-remaining"), "1196");
      const otherProject = await get(mock, "/api/atlas/v2/groups/0123456789abcdef01234567/clusters/C/backup/exports");
      assert.equal(otherProject.headers.get("ratelimit-remaining"), "1199", "a bucket per project");
    });

    it("answers CORS preflights and lets browsers read every answer", async () => {
      const preflight = await fetch(`${mock.url}${V2}/Cluster0/backup/exports`, {
        method: "OPTIONS",
        headers: { Origin: "http://localhost:8080", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
      assert.equal(preflight.headers.get("access-control-allow-methods"), "GET, OPTIONS");
      assert.equal(preflight.headers.get("access-control-allow-headers"), "Authorization, Accept, Content-Type");
      assert.equal(preflight.headers.get("access-control-max-age"), "600");
      mock.injectFault({ cluster: "Cluster0", fault: "html502" });
      for (const response of [
        await get(mock, `${V2}/Cluster0/backup/exports`, { headers: { Origin: "http://localhost:8080" } }),
        await get(mock, `${V2}/Cluster0/backup/exports`),
        await get(mock, `${V2}/Nope/backup/exports`),
        await get(mock, "/elsewhere"),
        await control(mock, "GET", "/__mock/requests"),
      ]) {
        assert.equal(response.headers.get("access-control-allow-origin"), "*");
        assert.equal(response.headers.get("access-control-expose-headers"), EXPOSED);
      }
      assert.deepEqual(mock.requests.map((r) => [r.method, r.status, r.origin]), [
        ["OPTIONS", 204, "http://localhost:8080"],
        ["GET", 502, "http://localhost:8080"],
        ["GET", 200, null],
        ["GET", 404, null],
        ["GET", 404, null],
      ]);
    });
  });

  describe("faults", () => {
    const path = `${V2}/Cluster0/backup/exports`;

    it("html502: answers a proxy's HTML page", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "html502" });
      const response = await get(mock, path);
      assert.equal(response.status, 502);
      assert.equal(response.headers.get("content-type"), "text/html");
      assert.equal(
        await response.text(),
        "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
      );
      assert.equal((await get(mock, path)).status, 200, "used up after one request");
    });

    it("empty502: answers 502 with no body", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "empty502" });
      const response = await get(mock, path);
      assert.equal(response.status, 502);
      assert.equal(await response.text(), "");
    });

    it("{status}: answers a matching ApiError, with Retry-After on 429 and 503", async () => {
      for (const [status, errorCode] of [[403, "ACCESS_FORBIDDEN"], [500, "UNEXPECTED_ERROR"], [429, "RATE_LIMITED"], [503, "SERVICE_UNAVAILABLE"]]) {
        mock.injectFault({ cluster: "Cluster0", fault: { status } });
        const response = await get(mock, path);
        const body = await expectApiError(response, status, errorCode);
        assert.equal(body.detail.length > 0, true);
        assert.equal(response.headers.get("retry-after"), status === 429 || status === 503 ? "1" : null);
        assert.equal(response.headers.get("ratelimit-limit"), "1200");
      }
    });

    it("{status, body, headers}: answers exactly that", async () => {
      const body = {
        detail: "Rate limit exceeded. Please retry after 55 seconds.",
        error: 429,
        errorCode: "RATE_LIMITED_TOKEN_BUCKET",
        parameters: ["api/atlas/v2/orgs", 55, 10, 5, 60],
        reason: "Too Many Requests",
      };
      mock.injectFault({ cluster: "Cluster0", fault: { status: 429, body, headers: { "Retry-After": "55", "X-Extra": "yes" } } });
      const response = await get(mock, path);
      assert.equal(response.status, 429);
      assert.deepEqual(await response.json(), body);
      assert.equal(response.headers.get("retry-after"), "55");
      assert.equal(response.headers.get("x-extra"), "yes");
    });

    it("reset: drops the connection without an answer", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "reset" });
      await assert.rejects(get(mock, path), TypeError);
      assert.equal(mock.requests.at(-1).status, null);
      assert.equal((await get(mock, path)).status, 200);
    });

    it("hang: never answers, until the client gives up", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "hang" });
      await assert.rejects(get(mock, path, { signal: AbortSignal.timeout(200) }), { name: "TimeoutError" });
      assert.equal(mock.requests.at(-1).status, null);
      assert.equal((await get(mock, path)).status, 200);
    });

    it("truncated: sends the first half of a valid page", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "truncated" });
      const response = await get(mock, `${path}?itemsPerPage=4`);
      assert.equal(response.status, 200);
      const text = await response.text();
      const whole = await get(mock, `${path}?itemsPerPage=4`).then((r) => r.text());
      assert.equal(text, whole.slice(0, Math.floor(whole.length / 2)));
      assert.throws(() => JSON.parse(text), SyntaxError);
    });

    it("empty200: answers 200 with no body", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "empty200" });
      const response = await get(mock, path);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), "");
    });

    it("{primitive}: answers 200 with that JSON value", async () => {
      for (const value of [null, 42, "x", true, [1, 2]]) {
        mock.injectFault({ cluster: "Cluster0", fault: { primitive: value } });
        const response = await get(mock, path);
        assert.equal(response.status, 200);
        assert.equal(await response.text(), JSON.stringify(value));
      }
    });

    it("{raw}: answers exactly that body, type and status", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: { raw: '{"results":[{"exportBucketId":"a","state":7}]}' } });
      let response = await get(mock, path);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/json");
      assert.equal(await response.text(), '{"results":[{"exportBucketId":"a","state":7}]}');
      mock.injectFault({ cluster: "Cluster0", fault: { raw: "upstream timed out", contentType: "text/plain", status: 504 } });
      response = await get(mock, path);
      assert.deepEqual([response.status, response.headers.get("content-type"), await response.text()], [504, "text/plain", "upstream timed out"]);
    });

    it("applies before auth, to its cluster only, as many times as asked, in order", async () => {
      mock.injectFault({ cluster: "Sharded0", fault: { status: 500 }, times: 2 });
      mock.injectFault({ cluster: "Sharded0", fault: { status: 403 } });
      assert.equal((await get(mock, path)).status, 200, "another cluster is untouched");
      assert.equal((await get(mock, `${V2}/Sharded0/backup/exports`, { token: null })).status, 500);
      assert.equal((await get(mock, `${V1}/Sharded0/backup/exports`)).status, 500);
      assert.equal((await get(mock, `${V2}/Sharded0/backup/exports`)).status, 403);
      assert.equal((await get(mock, `${V2}/Sharded0/backup/exports`)).status, 200);
    });

    it("applies to any cluster when none is named, even unknown ones, and always with times: Infinity", async () => {
      mock.injectFault({ fault: "empty502", times: Infinity });
      for (const cluster of ["Cluster0", "Big0", "HtmlGateway"]) {
        assert.equal((await get(mock, `${V2}/${cluster}/backup/exports`)).status, 502);
      }
      mock.reset();
      assert.equal((await get(mock, path)).status, 200, "reset() clears faults");
    });

    it("rejects a fault it does not know", () => {
      for (const fault of ["explode", 42, null, { status: 99 }, { status: "500" }, { raw: 1 }, {}]) {
        assert.throws(() => mock.injectFault({ cluster: "Cluster0", fault }), TypeError, JSON.stringify(fault));
      }
      assert.throws(() => mock.injectFault({ fault: "hang", times: 0 }), TypeError);
    });
  });

  describe("control routes", () => {
    it("show and clear the log, unlogged themselves", async () => {
      const before = performance.now();
      await get(mock, `${V2}/Cluster0/backup/exports?itemsPerPage=1`);
      const log = await control(mock, "GET", "/__mock/requests").then((r) => r.json());
      const { at } = log[0];
      assert.ok(at >= before && at <= performance.now(), "at: the arrival in performance.now() ms");
      assert.deepEqual(log, [
        {
          method: "GET",
          path: `${V2}/Cluster0/backup/exports`,
          query: { itemsPerPage: "1" },
          accept: V2_MEDIA_TYPE,
          authScheme: "Bearer",
          authorized: true,
          origin: null,
          status: 200,
          at,
        },
      ]);
      assert.deepEqual(mock.requests, log);
      assert.equal((await control(mock, "DELETE", "/__mock/requests")).status, 204);
      assert.deepEqual(mock.requests, []);
    });

    it("inject and clear faults over HTTP, -1 meaning always", async () => {
      const path = `${V2}/Cluster0/backup/exports`;
      assert.equal((await control(mock, "POST", "/__mock/faults", { cluster: "Cluster0", fault: "html502", times: -1 })).status, 204);
      assert.equal((await get(mock, path)).status, 502);
      assert.equal((await get(mock, path)).status, 502);
      assert.equal((await control(mock, "DELETE", "/__mock/faults")).status, 204);
      assert.equal((await get(mock, path)).status, 200);
      const bad = await control(mock, "POST", "/__mock/faults", { fault: "explode" });
      assert.equal(bad.status, 400);
      assert.match((await bad.json()).error, /unknown fault/);
      assert.equal((await fetch(`${mock.url}/__mock/faults`, { method: "POST", body: "{" })).status, 400);
    });

    it("serve a cluster's whole job list", async () => {
      const jobs = await control(mock, "GET", "/__mock/dataset?cluster=Big0").then((r) => r.json());
      assert.equal(jobs.length, 1234);
      assert.equal((await control(mock, "GET", "/__mock/dataset?cluster=Nope")).status, 404);
      assert.equal((await control(mock, "GET", "/__mock/nothing")).status, 404);
    });

    it("answer preflights for their own methods", async () => {
      const preflight = await fetch(`${mock.url}/__mock/faults`, {
        method: "OPTIONS",
        headers: { Origin: "http://localhost:8080", "Access-Control-Request-Method": "DELETE" },
      });
      assert.equal(preflight.status, 204);
      assert.match(preflight.headers.get("access-control-allow-methods"), /DELETE/);
      assert.deepEqual(mock.requests, []);
    });
  });

  it("never records or echoes the token", async () => {
    const path = `${V2}/Cluster0/backup/exports`;
    const texts = [];
    for (const options of [{}, { token: "wrong" }, { token: null, headers: { Authorization: `Basic ${MOCK_TOKEN}` } }]) {
      const response = await get(mock, path, options);
      texts.push(await response.text(), JSON.stringify([...response.headers]));
    }
    mock.injectFault({ cluster: "Cluster0", fault: { status: 500 } });
    texts.push(await get(mock, path).then((r) => r.text()));
    texts.push(JSON.stringify(mock.requests), await control(mock, "GET", "/__mock/requests").then((r) => r.text()));
    assert.equal(mock.requests.length, 4);
    for (const text of texts) assert.ok(!text.includes(MOCK_TOKEN), text);
    for (const entry of mock.requests) {
      assert.deepEqual(Object.keys(entry), ["method", "path", "query", "accept", "authScheme", "authorized", "origin", "status", "at"]);
    }
  });
});

describe("mock Atlas options", () => {
  let mock;
  afterEach(() => mock?.close());

  it("names another host in its links with publicBaseUrl", async () => {
    mock = await startMockAtlas({ publicBaseUrl: "https://cloud.mongodb.com/" });
    const { body } = await getJson(mock, `${V2}/Sharded0/backup/exports?itemsPerPage=2`);
    assert.equal(body.links[0].href, `https://cloud.mongodb.com${V2}/Sharded0/backup/exports?itemsPerPage=2`);
    assert.equal(body.links[1].href, `https://cloud.mongodb.com${V2}/Sharded0/backup/exports?itemsPerPage=2&pageNum=2`);
    assert.ok(body.results[0].links[0].href.startsWith(`https://cloud.mongodb.com${V2}/Sharded0/backup/exports/`));
  });

  it("accepts only its own token when given one", async () => {
    mock = await startMockAtlas({ token: "another-token" });
    assert.equal((await get(mock, `${V2}/Cluster0/backup/exports`)).status, 401);
    assert.equal((await get(mock, `${V2}/Cluster0/backup/exports`, { token: "another-token" })).status, 200);
  });

  it("delays each API answer by latencyMs", async () => {
    mock = await startMockAtlas({ latencyMs: 100 });
    const started = performance.now();
    assert.equal((await get(mock, `${V2}/Cluster0/backup/exports`)).status, 200);
    assert.ok(performance.now() - started >= 95);
  });

  it("ends hanging answers when closed", async () => {
    mock = await startMockAtlas();
    mock.injectFault({ fault: "hang" });
    const pending = get(mock, `${V2}/Cluster0/backup/exports`);
    while (mock.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await mock.close();
    await assert.rejects(pending, TypeError);
  });

  it("closes itself after maxSeconds", async () => {
    mock = await startMockAtlas({ maxSeconds: 0.1 });
    const reachable = () => fetch(`${mock.url}/__mock/requests`).then((response) => response.arrayBuffer().then(() => true), () => false);
    // Bounded: it closes after 100 ms, far sooner than 250 checks 20 ms apart.
    for (let check = 0; check < 250 && (await reachable()); check += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    await assert.rejects(fetch(`${mock.url}/__mock/requests`), TypeError);
  });

  it("rejects options it cannot honour", async () => {
    for (const options of [{ port: -1 }, { port: 1.5 }, { token: "" }, { publicBaseUrl: "cloud.mongodb.com" }, { maxSeconds: 0 }, { latencyMs: -5 }]) {
      await assert.rejects(startMockAtlas(options), TypeError, JSON.stringify(options));
    }
    mock = undefined;
  });
});

describe("mock Atlas CLI", () => {
  const script = fileURLToPath(new URL("../../pkg-template/testing/cli.mjs", import.meta.url));

  /** Starts the CLI and resolves with the process and the one line it prints. */
  async function startCli(args) {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout });
    const [line] = await once(lines, "line");
    return { child, line, lines };
  }

  it("prints one line of JSON, serves, and exits cleanly on SIGTERM", async () => {
    const { child, line, lines } = await startCli(["--max-seconds", "30", "--latency-ms", "0"]);
    const extra = [];
    lines.on("line", (l) => extra.push(l));
    const info = JSON.parse(line);
    assert.deepEqual(Object.keys(info), ["url", "groupId", "token"]);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual([info.groupId, info.token], [MOCK_GROUP_ID, MOCK_TOKEN]);
    const response = await fetch(`${info.url}${V2}/Cluster0/backup/exports?itemsPerPage=1`, {
      headers: { Authorization: `Bearer ${info.token}`, Accept: V2_MEDIA_TYPE },
    });
    assert.equal(response.status, 200);
    child.kill("SIGTERM");
    const [code, signal] = await once(child, "exit");
    assert.deepEqual([code, signal], [0, null]);
    assert.deepEqual(extra, []);
  });

  it("exits by itself after --max-seconds", async () => {
    const { child, line } = await startCli(["--max-seconds", "0.2", "--token", "cli-token", "--public-base-url", "https://cloud.mongodb.com"]);
    assert.equal(JSON.parse(line).token, "cli-token");
    const [code] = await once(child, "exit");
    assert.equal(code, 0);
  });

  it("moves its running jobs every --job-step-ms, and refuses a pace that is not positive", async () => {
    const { child, line } = await startCli(["--max-seconds", "30", "--job-step-ms", "5"]);
    try {
      const { url, token } = JSON.parse(line);
      const running = async () => {
        const response = await fetch(`${url}${V2}/Sharded0/backup/exports`, { headers: { Authorization: `Bearer ${token}`, Accept: V2_MEDIA_TYPE } });
        return (await response.json()).results.filter((job) => job.state === "Queued" || job.state === "InProgress").length;
      };
      let left = await running();
      // Bounded: 6 steps of 5 ms take far fewer than 1,000 polls 10 ms apart.
      for (let poll = 0; poll < 1000 && left > 0; poll += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        left = await running();
      }
      assert.equal(left, 0);
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
    const refused = spawn(process.execPath, [script, "--job-step-ms", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    const [code] = await once(refused, "exit");
    assert.equal(code, 2);
  });

  it("refuses arguments it does not know", async () => {
    const child = spawn(process.execPath, [script, "--colour"], { stdio: ["ignore", "pipe", "pipe"] });
    const [code] = await once(child, "exit");
    assert.equal(code, 2);
  });
});
