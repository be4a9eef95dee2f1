// atlas-export-jobs/testing from the installed tarball: the mock Atlas on 127.0.0.1
// (startMockAtlas) and in memory (mockFetch) give the package's own client the same pages, errors
// and auth, call for call; exportJob() makes jobs in the spec's shape that the package decodes;
// the in-memory mock needs nothing of Node and runs in a browser; its bytes agree with Node's.
import assert from "node:assert/strict";
import { createHash, randomBytes as nodeRandomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { AtlasClient, isAtlasError, listExportJobs, responseInfo } from "atlas-export-jobs";
import {
  exportJob,
  MOCK_CLIENT_ID,
  MOCK_CLIENT_SECRET,
  MOCK_CLUSTERS,
  MOCK_GROUP_ID,
  MOCK_PRIVATE_KEY,
  MOCK_PUBLIC_KEY,
  MOCK_TOKEN,
  mockFetch,
  startMockAtlas,
} from "atlas-export-jobs/testing";

import * as hash from "../../pkg-template/testing/hash.mjs";
import { STATUS_CODES } from "../../pkg-template/testing/status-codes.mjs";
import { BIN, consumerDir, REPO, run, scratchDir } from "../package/support.mjs";
import { typeSurface } from "../package/type-surface.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";

const V2_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";
const OTHER_GROUP = "0123456789abcdef01234567";
const installed = () => join(consumerDir(), "node_modules", "atlas-export-jobs");
const exportsPath = (cluster, search = "") => `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/${cluster}/backup/exports${search}`;

/** A mock on 127.0.0.1 and one in memory that answers at the same address, so that links and messages match. */
async function twoMocks(options = {}) {
  const server = await startMockAtlas({ maxSeconds: 120, ...options });
  const memory = mockFetch({ ...options, baseUrl: server.url });
  return [
    { name: "startMockAtlas", mock: server, fetch: undefined },
    { name: "mockFetch", mock: memory, fetch: memory.fetch },
  ];
}

/** A page or the jobs a call came to, with what responseInfo says; or the error's own fields, its cause aside. */
async function outcome(promise) {
  try {
    const value = await promise;
    return { value, info: responseInfo(value) ?? null };
  } catch (error) {
    if (!isAtlasError(error)) throw error;
    const { cause, stack, ...fields } = Object.fromEntries(Object.entries(Object.getOwnPropertyDescriptors(error)).map(([k, d]) => [k, d.value]));
    return { error: { ...fields, kind: error.kind, message: error.message }, info: responseInfo(error) ?? null };
  }
}

/** The mock's log without arrival times, and its counts. */
function trace(mock) {
  return { requests: mock.requests.map(({ at, ...entry }) => entry), stats: mock.stats() };
}

const params = (clusterName = "Cluster0", extra = {}) => ({ groupId: MOCK_GROUP_ID, clusterName, ...extra });
const bearer = { type: "bearer", token: MOCK_TOKEN };
const ids = (jobs) => jobs.map((job) => job.id);

// Each call runs against a fresh pair of mocks: `mock` options for both, `run(client, mock)` the
// calls (client(auth?, options?) makes an AtlasClient for the mock), `expect` what the outcome
// must be on both, and `project` (optional) what of it the two must agree on.
const CALLS = [
  {
    name: "a page with a Bearer token",
    run: (client) => client().listExportJobs(params("Cluster0", { itemsPerPage: 5, pageNum: 2 })),
    expect: ({ value }, mock) => {
      assert.deepEqual(ids(value.results), ids(mock.jobs("Cluster0").slice(5, 10)));
      assert.equal(value.totalCount, MOCK_CLUSTERS.Cluster0.jobs);
    },
  },
  {
    name: "every page of a sharded cluster, in pages of 3",
    run: (client) => client().listAllExportJobs(params("Sharded0", { itemsPerPage: 3 })),
    expect: ({ value }, mock) => {
      assert.deepEqual(value, mock.jobs("Sharded0"));
      assert.ok(value.every((job) => job.components.length === 3));
    },
  },
  {
    name: "includeCount=false, envelope and pretty",
    run: (client) => client().listExportJobs(params("Cluster0", { includeCount: false, envelope: true, pretty: true, itemsPerPage: 2 })),
    expect: ({ value }) => {
      assert.equal(value.totalCount, undefined);
      assert.equal(value.results.length, 2);
    },
  },
  {
    name: "the v1.0 API",
    run: (client) => client(bearer, { apiVersion: "v1.0" }).listExportJobs(params("Cluster0", { itemsPerPage: 1 })),
    expect: ({ value }) => assert.equal(value.results.length, 1),
  },
  {
    name: "an empty cluster",
    run: (client) => client().listExportJobs(params("Empty0")),
    expect: ({ value }) => assert.deepEqual([value.results, value.totalCount], [[], 0]),
  },
  {
    name: "an unknown cluster: 404 CLUSTER_NOT_FOUND",
    run: (client) => client().listExportJobs(params("Nope0")),
    expect: ({ error }) => assert.deepEqual([error.kind, error.status, error.errorCode], ["api", 404, "CLUSTER_NOT_FOUND"]),
  },
  {
    name: "another project: 404 GROUP_NOT_FOUND",
    run: (client) => client().listExportJobs({ groupId: OTHER_GROUP, clusterName: "Cluster0" }),
    expect: ({ error }) => assert.deepEqual([error.kind, error.status, error.errorCode], ["api", 404, "GROUP_NOT_FOUND"]),
  },
  {
    name: "a wrong Bearer token: 401",
    run: (client) => client({ type: "bearer", token: "not-the-token" }).listExportJobs(params()),
    expect: ({ error }) => assert.deepEqual([error.kind, error.status, error.errorCode], ["api", 401, "USER_UNAUTHORIZED"]),
  },
  {
    name: "a service account: one token, revoked at close()",
    run: async (client) => {
      const c = client({ type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET });
      const pages = [await c.listExportJobs(params("Cluster0", { itemsPerPage: 3 })), await c.listExportJobs(params("Sharded0"))];
      await c.close();
      return pages;
    },
    expect: ({ value }, mock) => {
      assert.deepEqual(value.map((page) => page.results.length), [3, 7]);
      assert.deepEqual([mock.stats().tokenRequests, mock.stats().tokensIssued, mock.stats().revokeRequests], [1, 1, 1]);
    },
  },
  {
    name: "a service account with a wrong secret: kind auth",
    run: (client) => client({ type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: "wrong" }).listExportJobs(params()),
    expect: ({ error }, mock) => {
      assert.equal(error.kind, "auth");
      assert.equal(mock.stats().tokensIssued, 0);
    },
  },
  {
    name: "an API key by Digest, and a stale nonce",
    run: async (client, mock) => {
      const c = client({ type: "digest", publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY });
      const first = await c.listExportJobs(params("Cluster0", { itemsPerPage: 2 }));
      mock.expireNonces();
      return [first, await c.listExportJobs(params("Cluster0", { itemsPerPage: 2, pageNum: 2 }))];
    },
    expect: ({ value }, mock) => {
      assert.deepEqual(value.map((page) => ids(page.results)), [ids(mock.jobs("Cluster0").slice(0, 2)), ids(mock.jobs("Cluster0").slice(2, 4))]);
      assert.equal(mock.stats().staleChallenges, 1);
      assert.ok(mock.requests.some((r) => r.authScheme === "Digest" && r.authorized));
    },
  },
  {
    name: "an API key with a wrong private key: 401",
    run: (client) => client({ type: "digest", publicKey: MOCK_PUBLIC_KEY, privateKey: "wrong" }).listExportJobs(params()),
    expect: ({ error }) => assert.deepEqual([error.kind, error.status], ["api", 401]),
  },
  {
    name: "no credentials behind a proxy that adds them (requireAuth: false)",
    mock: { requireAuth: false },
    run: (client) => client({ type: "none" }).listExportJobs(params("Cluster0", { itemsPerPage: 4 })),
    expect: ({ value }, mock) => {
      assert.equal(value.results.length, 4);
      assert.deepEqual([mock.requests[0].authScheme, mock.requests[0].authorized], [null, true]);
    },
  },
  {
    name: "no credentials where the mock wants them: 401",
    run: (client) => client({ type: "none" }).listExportJobs(params()),
    expect: ({ error }) => assert.deepEqual([error.kind, error.status], ["api", 401]),
  },
  {
    name: "a 503 fault, not retried",
    run: (client, mock) => {
      mock.injectFault({ cluster: "Cluster0", fault: { status: 503 } });
      return client().listExportJobs(params());
    },
    expect: ({ error }) => assert.deepEqual([error.kind, error.status, error.errorCode], ["api", 503, "SERVICE_UNAVAILABLE"]),
  },
  {
    name: "a 429, retried after its Retry-After, then the page",
    run: (client, mock) => {
      mock.injectFault({ fault: { status: 429 } });
      return client(bearer, { retry: { baseDelayMs: 1, retryAfterUnitMs: 1 } }).listExportJobs(params("Cluster0", { itemsPerPage: 1 }));
    },
    expect: ({ value, info }) => {
      assert.equal(value.results.length, 1);
      assert.equal(info.attempts, 2);
    },
  },
  {
    name: "an nginx 502 page",
    run: (client, mock) => {
      mock.injectFault({ fault: "html502" });
      return client().listExportJobs(params());
    },
    expect: ({ error }) => assert.deepEqual([error.kind, error.status], ["api", 502]),
  },
  {
    name: "a truncated page: decode",
    run: (client, mock) => {
      mock.injectFault({ fault: "truncated" });
      return client().listExportJobs(params());
    },
    expect: ({ error }) => assert.equal(error.kind, "decode"),
  },
  {
    name: "a dropped connection: network",
    run: (client, mock) => {
      mock.injectFault({ fault: "reset" });
      return client().listExportJobs(params());
    },
    expect: ({ error }, mock) => {
      assert.equal(error.kind, "network");
      assert.equal(mock.requests[0].status, null);
    },
  },
  ...["identity", "gzip"].map((encoding) => ({
    name: `a ${encoding} body of 4 MiB past a 1 MiB limit: tooLarge`,
    run: (client, mock) => {
      mock.injectFault({ fault: { bomb: { bytes: 4 << 20, encoding } } });
      return client(bearer, { maxBodyBytes: 1 << 20 }).listExportJobs(params());
    },
    expect: ({ error }) => assert.equal(error.kind, "tooLarge"),
  })),
  {
    name: "a redirect, not followed",
    run: (client, mock) => {
      mock.injectFault({ fault: { redirect: { status: 302, location: "http://127.0.0.1:9/elsewhere" } } });
      return client().listExportJobs(params());
    },
    expect: ({ error }, mock) => {
      assert.equal(error.status, 302);
      assert.equal(mock.requests.length, 1);
    },
  },
  {
    name: "a server whose pages never end: paging",
    run: (client, mock) => {
      mock.injectFault({ fault: "endlessNext", times: -1 });
      return client().listAllExportJobs(params("Cluster0", { itemsPerPage: 2 }), { maxPages: 3, concurrency: 1 });
    },
    expect: ({ error }) => assert.equal(error.kind, "paging"),
  },
  {
    name: "a proxy that echoes the credentials into its error page",
    run: (client, mock) => {
      mock.injectFault({ fault: { reflect: { status: 502, format: "atlas" } } });
      return client().listExportJobs(params());
    },
    // What each transport adds to a request's headers differs, and so does the echo: compare the verdict.
    project: ({ error }) => ({ kind: error.kind, status: error.status }),
    expect: ({ error }) => {
      assert.deepEqual([error.kind, error.status], ["api", 502]);
      assert.doesNotMatch(JSON.stringify(error), new RegExp(MOCK_TOKEN));
    },
  },
  {
    name: "started exports, moved on by each page",
    run: async (client, mock) => {
      const { ids: started } = mock.startExports("Empty0", { outcomes: ["Successful", "Failed"], queuedFor: 1, runningFor: 1 });
      const c = client();
      const states = [];
      for (let page = 0; page < 3; page += 1) states.push((await c.listExportJobs(params("Empty0"))).results.map((job) => job.state));
      return { started: started.length, states };
    },
    expect: ({ value }) => {
      assert.deepEqual(value, { started: 2, states: [["Queued", "Queued"], ["InProgress", "InProgress"], ["Successful", "Failed"]] });
    },
  },
  {
    name: "running jobs moved on by the mock's clock",
    mock: { jobStepMs: 1000, now: () => Date.UTC(2026, 5, 1) },
    run: async (client, mock) => {
      const c = client();
      const before = (await c.listExportJobs(params("Sharded0"))).results.map((job) => job.state);
      mock.advanceClock(60);
      return { before, after: (await c.listExportJobs(params("Sharded0"))).results.map((job) => job.state) };
    },
    expect: ({ value }) => {
      assert.ok(value.before.includes("Queued") && value.before.includes("InProgress"));
      assert.ok(value.after.every((state) => ["Successful", "Failed", "Cancelled"].includes(state)), value.after.join());
    },
  },
  {
    name: "a service-account token expired on the mock's clock is renewed",
    mock: { tokenLifetimeSeconds: 600 },
    run: async (client, mock) => {
      const c = client({ type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET });
      const first = await c.listExportJobs(params("Empty0"));
      mock.advanceClock(3600);
      return [first, await c.listExportJobs(params("Empty0"))];
    },
    expect: ({ value }, mock) => {
      assert.equal(value.length, 2);
      assert.equal(mock.stats().tokensIssued, 2);
    },
  },
];

describe("atlas-export-jobs/testing: startMockAtlas and mockFetch give the client the same answers", () => {
  for (const call of CALLS) {
    it(call.name, async () => {
      const results = [];
      for (const { name, mock, fetch } of await twoMocks(call.mock)) {
        try {
          const client = (auth = bearer, options = {}) =>
            new AtlasClient({ baseUrl: mock.url, auth, retry: false, ...(fetch ? { fetch } : {}), ...options });
          const result = await outcome(call.run(client, mock));
          call.expect(result, mock);
          results.push({ name, result: call.project ? call.project(result) : result, trace: trace(mock) });
        } finally {
          await mock.close();
        }
      }
      const [server, memory] = results;
      assert.deepEqual(memory.result, server.result, "the same outcome");
      assert.deepEqual(memory.trace, server.trace, "the same requests logged and counted");
    });
  }

  // Requests the client would never send, compared as the mocks answer them: status, headers, body.
  const RAW = [
    ["a query Atlas refuses: 400 VALIDATION_ERROR", exportsPath("Cluster0", "?itemsPerPage=0&pageNum=x"), { headers: { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: V2_MEDIA_TYPE } }],
    ["the wrong Accept: 406", exportsPath("Cluster0"), { headers: { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: "application/json" } }],
    ["no credentials: 401 with Bearer and Digest challenges", exportsPath("Cluster0"), { headers: { Accept: V2_MEDIA_TYPE } }],
    ["a CORS preflight", exportsPath("Cluster0"), { method: "OPTIONS" }],
    ["another endpoint: 404", "/api/atlas/v2/groups", { headers: { Authorization: `Bearer ${MOCK_TOKEN}` } }],
    ["a token request with the wrong grant", "/api/oauth/token", {
      method: "POST",
      headers: { Authorization: `Basic ${btoa(`${MOCK_CLIENT_ID}:${MOCK_CLIENT_SECRET}`)}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=password",
    }],
    ["the control route for stats", "/__mock/stats", {}],
  ];
  for (const [name, path, init] of RAW) {
    it(`answers alike: ${name}`, async () => {
      const answers = [];
      for (const { mock, fetch } of await twoMocks()) {
        try {
          const response = await (fetch ?? globalThis.fetch)(mock.url + path, init);
          const headers = Object.fromEntries([...response.headers].filter(([key]) => !["date", "connection", "keep-alive", "transfer-encoding"].includes(key)));
          // Digest nonces are random: one per challenge.
          const text = (await response.text()).replace(/nonce="[^"]+"/g, 'nonce="…"');
          if (headers["www-authenticate"]) headers["www-authenticate"] = headers["www-authenticate"].replace(/nonce="[^"]+"/g, 'nonce="…"');
          answers.push({ status: response.status, headers, text });
        } finally {
          await mock.close();
        }
      }
      assert.deepEqual(answers[1], answers[0]);
      assert.ok(answers[0].status >= 200);
    });
  }
});

describe("mockFetch in memory", () => {
  it("answers only under its baseUrl, and serves under a proxy's path prefix", async () => {
    const mock = mockFetch({ baseUrl: "https://console.test/atlas/", requireAuth: false });
    assert.equal(mock.url, "https://console.test/atlas");
    const client = new AtlasClient({ baseUrl: "https://console.test/atlas", auth: { type: "none" }, fetch: mock.fetch, retry: false });
    const page = await client.listExportJobs(params("Cluster0", { itemsPerPage: 1 }));
    assert.match(page.links[0].href, /^https:\/\/console\.test\/atlas\/api\/atlas\/v2\/groups\//);
    assert.equal(mock.requests[0].path, exportsPath("Cluster0"));
    for (const url of ["https://console.test/other", "https://elsewhere.test/atlas/api/oauth/token", "http://console.test/atlas"]) {
      await assert.rejects(mock.fetch(url), TypeError, url);
    }
    assert.equal(mock.requests.length, 1);
    assert.throws(() => mockFetch({ baseUrl: "console.test" }), TypeError);
    assert.throws(() => mockFetch({ baseUrl: "https://console.test/?x=1" }), TypeError);
  });

  it("answers by default where the client looks by default, https://cloud.mongodb.com", async () => {
    const mock = mockFetch();
    const page = await listExportJobs(params("Cluster0", { itemsPerPage: 2 }), { accessToken: mock.accessToken, fetch: mock.fetch });
    assert.deepEqual(ids(page.results), ids(mock.jobs("Cluster0").slice(0, 2)));
    assert.equal(mock.groupId, MOCK_GROUP_ID);
  });

  it("checks Digest with MD5 and SHA-256 alike, in plain JavaScript", async () => {
    const mock = mockFetch();
    const path = exportsPath("Cluster0", "?itemsPerPage=1");
    for (const [algorithm, node] of [["MD5", "md5"], ["SHA-256", "sha256"]]) {
      const challenge = await mock.fetch(`${mock.url}${path}`, { headers: { Accept: V2_MEDIA_TYPE } });
      assert.equal(challenge.status, 401);
      const nonce = /nonce="([^"]+)"/.exec(challenge.headers.get("www-authenticate"))[1];
      const h = (text) => createHash(node).update(text).digest("hex");
      const cnonce = nodeRandomBytes(8).toString("hex");
      const ha1 = h(`${MOCK_PUBLIC_KEY}:MMS Public API:${MOCK_PRIVATE_KEY}`);
      const response = h(`${ha1}:${nonce}:00000001:${cnonce}:auth:${h(`GET:${path}`)}`);
      const authorization = `Digest username="${MOCK_PUBLIC_KEY}", realm="MMS Public API", nonce="${nonce}", uri="${path}", ` +
        `algorithm=${algorithm}, qop=auth, nc=00000001, cnonce="${cnonce}", response="${response}"`;
      const answer = await mock.fetch(`${mock.url}${path}`, { headers: { Accept: V2_MEDIA_TYPE, Authorization: authorization } });
      assert.equal(answer.status, 200, algorithm);
    }
  });

  it("rejects at once when the caller aborts, however long the mock would take, and logs no answer", async () => {
    const mock = mockFetch({ latencyMs: 25_000 });
    const controller = new AbortController();
    const pending = mock.fetch(`${mock.url}${exportsPath("Cluster0")}`, { signal: controller.signal });
    assert.equal(mock.requests.length, 1);
    controller.abort(new Error("the caller gave up"));
    await assert.rejects(pending, /the caller gave up/);
    mock.injectFault({ fault: "hang" });
    mock.setLatency(0);
    const hanging = new AbortController();
    const held = mock.fetch(`${mock.url}${exportsPath("Cluster0")}`, { signal: hanging.signal });
    hanging.abort();
    await assert.rejects(held, { name: "AbortError" });
    assert.deepEqual(mock.requests.map((r) => r.status), [null, null]);
    await mock.close();
  });

  it("ends what it holds at close(), and refuses later requests", async () => {
    const mock = mockFetch({ challengeDelayMs: 30_000, tokenDelayMs: 30_000 });
    const challenge = mock.fetch(`${mock.url}${exportsPath("Cluster0")}`);
    const token = mock.fetch(`${mock.url}/api/oauth/token`, {
      method: "POST",
      headers: { Authorization: `Basic ${btoa(`${MOCK_CLIENT_ID}:${MOCK_CLIENT_SECRET}`)}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    // The token request's body is read before its delay: wait until it is counted.
    for (let turn = 0; turn < 100 && mock.stats().tokenRequests === 0; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    await mock.close();
    await assert.rejects(challenge, TypeError);
    await assert.rejects(token, TypeError);
    await assert.rejects(mock.fetch(`${mock.url}${exportsPath("Cluster0")}`), TypeError);
    assert.deepEqual([mock.stats().digestChallenges, mock.stats().tokensIssued], [0, 0]);
  });

  it("streams a bomb only as far as it is read, and says so", async () => {
    const mock = mockFetch();
    let ended;
    mock.injectFault({ fault: { bomb: { bytes: 1 << 30, encoding: "gzip", onEnd: (end) => { ended = end; } } } });
    const response = await mock.fetch(`${mock.url}${exportsPath("Cluster0")}`);
    assert.equal(response.headers.get("content-encoding"), "gzip");
    const reader = response.body.getReader();
    let read = 0;
    for (let chunk = 0; chunk < 4; chunk += 1) read += (await reader.read()).value.length;
    await reader.cancel();
    assert.equal(ended.complete, false);
    assert.ok(ended.wireBytes >= read && ended.wireBytes < 1 << 30, String(ended.wireBytes));
  });

  it("refuses options it cannot honour", () => {
    for (const options of [{ token: "" }, { latencyMs: -1 }, { clusters: { Cluster0: 1 } }, { clusters: { Mine: [1] } }, { requireAuth: "no" }, null]) {
      assert.throws(() => mockFetch(options), TypeError, JSON.stringify(options));
    }
  });
});

/** The spec's DiskBackupExportJob, with every $ref resolved, checked the way the spec states it. */
function specCheck() {
  const spec = JSON.parse(readFileSync(join(REPO, "core", "tests", "fixtures", "atlas-list-export-jobs.openapi.json"), "utf8"));
  const resolve = (schema) => (schema.$ref ? resolve(spec.components.schemas[schema.$ref.split("/").at(-1)]) : schema);
  const check = (value, schema, path) => {
    schema = resolve(schema);
    const problems = [];
    switch (schema.type) {
      case "object":
        if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${path} is not an object`];
        for (const name of schema.required ?? []) if (!(name in value)) problems.push(`${path}.${name} is missing`);
        for (const [name, field] of Object.entries(value)) {
          if (!schema.properties?.[name]) problems.push(`${path}.${name} is not in the spec`);
          else problems.push(...check(field, schema.properties[name], `${path}.${name}`));
        }
        return problems;
      case "array":
        if (!Array.isArray(value)) return [`${path} is not an array`];
        return value.flatMap((item, i) => check(item, schema.items, `${path}[${i}]`));
      case "integer":
        return Number.isInteger(value) ? [] : [`${path} is not an integer`];
      case "string":
        if (typeof value !== "string") return [`${path} is not a string`];
        if (schema.enum && !schema.enum.includes(value)) problems.push(`${path} is not one of ${schema.enum}`);
        // The prefix's documented pattern is a template, not a pattern any real prefix matches.
        if (schema.pattern && !path.endsWith(".prefix") && !new RegExp(schema.pattern).test(value)) problems.push(`${path} does not match ${schema.pattern}`);
        if (schema.format === "date-time" && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(value)) problems.push(`${path} is not an ISO 8601 UTC time`);
        return problems;
      default:
        return [`${path}: no check for ${schema.type}`];
    }
  };
  return (job) => check(job, spec.components.schemas.DiskBackupExportJob, "job");
}

describe("exportJob", () => {
  const problemsOf = specCheck();

  it("makes a Successful job in the spec's shape, with new 24-hex ids at each call", () => {
    const jobs = [exportJob(), exportJob(), exportJob()];
    for (const job of jobs) assert.deepEqual(problemsOf(job), []);
    const [job] = jobs;
    // The same fields every time, in the order Atlas writes them.
    for (const each of jobs) {
      assert.deepEqual(Object.keys(each), ["createdAt", "exportBucketId", "exportStatus", "finishedAt", "id", "links", "prefix", "snapshotId", "state"]);
    }
    assert.equal(job.state, "Successful");
    assert.equal(job.exportStatus.exportedCollections, job.exportStatus.totalCollections);
    assert.ok(Date.parse(job.finishedAt) > Date.parse(job.createdAt));
    assert.equal(job.links[0].href, `https://cloud.mongodb.com/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports/${job.id}`);
    const all = jobs.flatMap((j) => [j.id, j.exportBucketId, j.snapshotId]);
    assert.equal(new Set(all).size, all.length, "no id repeats");
    assert.ok(all.every((id) => /^[a-f0-9]{24}$/.test(id)));
    // Never one of the mock's own jobs.
    const mock = mockFetch();
    const known = new Set(Object.keys(MOCK_CLUSTERS).flatMap((name) => ids(mock.jobs(name))));
    assert.ok(jobs.every((j) => !known.has(j.id)));
  });

  it("brings the fields a state goes with, unless they are overridden too", () => {
    const failed = exportJob({ state: "Failed" });
    assert.deepEqual(Object.keys(failed.stateReason).sort(), ["errorCode", "message"]);
    assert.ok(failed.finishedAt);
    assert.ok(failed.exportStatus.exportedCollections < failed.exportStatus.totalCollections);
    const queued = exportJob({ state: "Queued" });
    assert.deepEqual([queued.finishedAt, queued.stateReason, queued.exportStatus.exportedCollections], [undefined, undefined, 0]);
    const running = exportJob({ state: "InProgress", exportStatus: { exportedCollections: 1, totalCollections: 9 } });
    assert.deepEqual([running.finishedAt, running.exportStatus], [undefined, { exportedCollections: 1, totalCollections: 9 }]);
    const reason = { errorCode: "MINE", message: "mine" };
    assert.deepEqual(exportJob({ state: "Failed", stateReason: reason }).stateReason, reason);
    for (const job of [failed, queued, running, exportJob({ state: "Cancelled" })]) assert.deepEqual(problemsOf(job), []);
  });

  it("overrides any field, leaves out those set to undefined, and names an overridden id in its link", () => {
    const job = exportJob({ id: "0123456789abcdef01234567", customData: undefined, prefix: undefined, components: [{ exportId: "aaaaaaaaaaaaaaaaaaaaaaaa", replicaSetName: "rs0" }] });
    assert.equal(job.id, "0123456789abcdef01234567");
    assert.match(job.links[0].href, /\/backup\/exports\/0123456789abcdef01234567$/);
    assert.ok(!("customData" in job) && !("prefix" in job));
    assert.equal(job.components[0].replicaSetName, "rs0");
    assert.deepEqual(problemsOf(job), []);
    const minimal = exportJob(Object.fromEntries(Object.keys(exportJob()).filter((key) => key !== "exportBucketId").map((key) => [key, undefined])));
    assert.deepEqual(Object.keys(minimal), ["exportBucketId"]);
    for (const overrides of [null, [], "Failed"]) assert.throws(() => exportJob(overrides), TypeError);
  });

  it("makes jobs the package decodes as they are, listed from a cluster of them through mockFetch and the mock on 127.0.0.1", async () => {
    const jobs = [
      exportJob(),
      ...["Queued", "InProgress", "Failed", "Cancelled"].map((state) => exportJob({ state })),
      exportJob({ components: [{ exportId: "bbbbbbbbbbbbbbbbbbbbbbbb", replicaSetName: "Mine-shard-0" }] }),
      exportJob({ customData: [{ key: "requestedBy", value: "a test" }] }),
      exportJob({ state: "Exporting" }),
      { exportBucketId: exportJob().exportBucketId },
    ];
    const fake = mockFetch({ clusters: { Mine: jobs } });
    const server = await startMockAtlas({ clusters: { Mine: jobs }, maxSeconds: 60 });
    try {
      for (const [mock, fetch] of [[fake, fake.fetch], [server, undefined]]) {
        const client = new AtlasClient({ baseUrl: mock.url, auth: { type: "bearer", token: mock.accessToken }, ...(fetch ? { fetch } : {}) });
        assert.deepEqual(await client.listAllExportJobs(params("Mine", { itemsPerPage: 2 })), jobs);
        const page = await listExportJobs(params("Mine", { itemsPerPage: 4, pageNum: 2 }), { baseUrl: mock.url, accessToken: mock.accessToken, ...(fetch ? { fetch } : {}) });
        assert.deepEqual([page.results, page.totalCount], [jobs.slice(4, 8), jobs.length]);
      }
      // Jobs handed in later join the cluster after its others.
      const more = [exportJob(), exportJob({ state: "Queued" })];
      assert.deepEqual(fake.addJobs("Mine", more), { totalCount: jobs.length + 2, ids: ids(more) });
      assert.deepEqual(fake.jobs("Mine").slice(-2), more);
    } finally {
      await server.close();
    }
  });
});

describe("the entries of atlas-export-jobs/testing", () => {
  it("resolve to the Node entry in Node, and that has every name", async () => {
    assert.match(import.meta.resolve("atlas-export-jobs/testing"), /\/atlas-export-jobs\/testing\.mjs$/);
    const node = await import("atlas-export-jobs/testing");
    assert.deepEqual(Object.keys(node).sort(), [
      "MOCK_CLIENT_ID", "MOCK_CLIENT_SECRET", "MOCK_CLUSTERS", "MOCK_GROUP_ID", "MOCK_PRIVATE_KEY", "MOCK_PUBLIC_KEY", "MOCK_TOKEN",
      "exportJob", "mockFetch", "startMockAtlas",
    ]);
  });

  it("give other runtimes an entry with no Node built-in: esbuild bundles it for the browser, and its startMockAtlas says to use mockFetch", async () => {
    const manifest = JSON.parse(readFileSync(join(installed(), "package.json"), "utf8"));
    assert.deepEqual(manifest.exports["./testing"], { types: "./testing.d.ts", node: { import: "./testing.mjs", require: "./testing.cjs" }, default: "./testing/index.mjs" });
    const scratch = scratchDir("testing-esbuild");
    try {
      const entry = join(scratch, "entry.mjs");
      writeFileSync(entry, 'export * from "atlas-export-jobs/testing";\n');
      const meta = join(scratch, "meta.json");
      await run(`${BIN}/esbuild`, [entry, "--bundle", "--platform=browser", "--format=esm", `--outfile=${join(scratch, "out.mjs")}`, `--metafile=${meta}`, "--log-level=error"], {
        cwd: consumerDir(),
        env: { NODE_PATH: join(consumerDir(), "node_modules") },
      });
      const inputs = Object.keys(JSON.parse(readFileSync(meta, "utf8")).inputs);
      assert.ok(inputs.some((input) => input.endsWith("testing/mock-atlas.mjs")), inputs.join());
      assert.ok(!inputs.some((input) => input.startsWith("node:") || /server\.mjs$|bombs-node\.mjs$/.test(input)), inputs.join());
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    const browserEntry = await import(join(installed(), "testing", "index.mjs"));
    await assert.rejects(browserEntry.startMockAtlas(), /mockFetch/);
  });

  it("run in headless Chromium: a page lists jobs from mockFetch with the package's browser entry, and none reaches the network", async () => {
    const site = await startStaticServer({ mounts: [["/pkg/", installed()]], routes: {} });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const problems = [];
      page.on("pageerror", (error) => problems.push(String(error)));
      const outside = [];
      page.on("request", (request) => {
        if (!request.url().startsWith(site.url)) outside.push(request.url());
      });
      await page.goto(`${site.url}/pkg/package.json`);
      const result = await page.evaluate(async () => {
        const { AtlasClient } = await import("/pkg/index.js");
        const { exportJob, mockFetch } = await import("/pkg/testing/index.mjs");
        const mine = [exportJob(), exportJob({ state: "Failed" })];
        const mock = mockFetch({ clusters: { Mine: mine } });
        const client = new AtlasClient({ fetch: mock.fetch, auth: { type: "bearer", token: mock.accessToken } });
        const jobs = await client.listAllExportJobs({ groupId: mock.groupId, clusterName: "Cluster0", itemsPerPage: 10 });
        const given = await client.listAllExportJobs({ groupId: mock.groupId, clusterName: "Mine" });
        const refused = await client.listExportJobs({ groupId: mock.groupId, clusterName: "Nope0" }).catch((error) => error.kind + error.status);
        return { ids: jobs.map((job) => job.id), given: JSON.stringify(given) === JSON.stringify(mine), refused, requests: mock.requests.length };
      });
      assert.deepEqual(result, { ids: ids(mockFetch().jobs("Cluster0")), given: true, refused: "api404", requests: 7 });
      assert.deepEqual(problems, []);
      assert.deepEqual(outside, []);
    } finally {
      await browser.close();
      await site.close();
    }
  });
});

describe("the mock's own bytes in plain JavaScript", () => {
  it("hash, encode and decode as node:crypto and Buffer do", () => {
    for (let length = 0; length < 200; length += 1) {
      const bytes = nodeRandomBytes(length);
      assert.equal(hash.toHex(hash.sha256(bytes)), createHash("sha256").update(bytes).digest("hex"));
      assert.equal(hash.toHex(hash.md5(bytes)), createHash("md5").update(bytes).digest("hex"));
      assert.equal(hash.base64(bytes), bytes.toString("base64"));
      assert.equal(hash.base64url(bytes), bytes.toString("base64url"));
      const text = bytes.toString("base64");
      for (const variant of [text, text.replace(/=+$/, ""), `${text}=`, text.slice(0, -1)].filter((t) => /^[A-Za-z0-9+/]+=*$/.test(t))) {
        assert.deepEqual(Buffer.from(hash.fromBase64(variant)), Buffer.from(variant, "base64"), variant);
      }
    }
    assert.equal(hash.toHex(hash.sha256("héllo ✓")), createHash("sha256").update("héllo ✓").digest("hex"));
    assert.ok(hash.constantTimeEqual(hash.sha256("a"), hash.sha256("a")) && !hash.constantTimeEqual(hash.sha256("a"), hash.sha256("b")));
  });

  it("name each status as node:http does", async () => {
    const { STATUS_CODES: node } = await import("node:http");
    assert.deepEqual({ ...STATUS_CODES }, { ...node });
  });
});

describe("the types of atlas-export-jobs/testing", () => {
  it("have no any and a doc comment on every exported name and field", () => {
    const { names, problems } = typeSurface(consumerDir(), "atlas-export-jobs/testing", "testing-surface.ts");
    assert.ok(names.length >= 30, `${names.length} exported`);
    assert.deepEqual(problems, []);
  });
});
