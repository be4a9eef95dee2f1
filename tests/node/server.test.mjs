// atlas-export-jobs/server: the proxy a web console's backend mounts, under node:http through
// toNodeHandler, against the mock with a service account. It forwards only the endpoint, with
// the server's credentials; everything else is refused with no request to Atlas.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";

import { AtlasClient, isAtlasError, listExportJobs, responseInfo } from "atlas-export-jobs";
import { createAtlasProxy, toNodeHandler } from "atlas-export-jobs/server";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";

import { raw } from "./raw-http.mjs";

const OTHER_GROUP = "0123456789abcdef01234567";
const CONSOLE = "http://console.test";
const PREFIX = "/atlas";

describe("atlas-export-jobs/server", () => {
  let mock;
  let proxy;
  let server;
  let base;
  const endpoint = (cluster = "Cluster0", group = MOCK_GROUP_ID) => `${PREFIX}/api/atlas/v2/groups/${group}/clusters/${cluster}/backup/exports`;
  const upstream = () => mock.requests.filter((r) => r.path !== "/__mock/requests");

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 600 });
    proxy = createAtlasProxy({
      baseUrl: mock.url,
      auth: { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET },
      prefix: PREFIX,
      allow: { groupIds: [MOCK_GROUP_ID], clusterNames: ["Cluster0", "Sharded0", "Empty0", "Nope"] },
      cors: { origins: [CONSOLE] },
    });
    server = createServer(toNodeHandler(proxy));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  beforeEach(() => mock.reset());

  after(async () => {
    await new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    });
    await mock.close();
  });

  it("lists through the proxy with the server's service account, one token for many calls", async () => {
    const options = { baseUrl: `${base}${PREFIX}`, retry: false };
    const page = await listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 5, pageNum: 2 }, options);
    const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
    assert.deepEqual(page.results.map((job) => job.id), jobs.slice(5, 10).map((job) => job.id));
    assert.equal(page.totalCount, jobs.length);
    // A client with no credentials of its own, as a page behind the proxy has.
    const client = new AtlasClient({ baseUrl: `${base}${PREFIX}`, auth: { type: "none" } });
    const all = await client.listAllExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 10 });
    assert.equal(all.length, jobs.length);
    const api = upstream().filter((r) => r.path.endsWith("/backup/exports"));
    assert.ok(api.length >= 2 && api.every((r) => r.authScheme === "Bearer" && r.authorized), "upstream calls carry the service account's token");
    assert.equal(upstream().filter((r) => r.path === "/api/oauth/token").length <= 1, true, "one token, reused");
  });

  it("passes Atlas's errors and rate-limit headers back as Atlas sent them", async () => {
    const client = new AtlasClient({ baseUrl: `${base}${PREFIX}`, auth: { type: "none" }, retry: false });
    await assert.rejects(client.listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Nope" }), (error) => {
      assert.ok(isAtlasError(error));
      assert.equal(error.kind, "api");
      assert.equal(error.status, 404);
      assert.equal(error.errorCode, "CLUSTER_NOT_FOUND");
      return true;
    });
    mock.injectFault({ cluster: "Sharded0", fault: { status: 429, headers: { "Retry-After": "7", "RateLimit-Remaining": "0", "RateLimit-Limit": "1200" } } });
    const limited = await raw(base, { path: endpoint("Sharded0") });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers["retry-after"], "7");
    assert.equal(limited.headers["ratelimit-remaining"], "0");
    assert.equal(JSON.parse(limited.body).errorCode, "RATE_LIMITED");
    // toNodeHandler holds the whole body, so it sends it with its length, not chunked.
    assert.equal(limited.headers["content-length"], String(Buffer.byteLength(limited.body)));
    assert.equal(limited.headers["transfer-encoding"], undefined);
    const page = await client.listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Empty0" });
    assert.equal(responseInfo(page).rateLimitLimit, 1200);
  });

  it("refuses a bad parameter with the package's own rule, as a 400 naming the field, and sends nothing", async () => {
    for (const [query, field] of [["itemsPerPage=1000", "itemsPerPage"], ["pageNum=0", "pageNum"], ["includeCount=yes", "includeCount"], ["baseUrl=https://evil.test", "baseUrl"], ["pageNum=1&pageNum=2", "pageNum"]]) {
      const answer = await raw(base, { path: `${endpoint()}?${query}` });
      assert.equal(answer.status, 400, query);
      const body = JSON.parse(answer.body);
      assert.equal(body.error, 400);
      assert.equal(body.errorCode, "VALIDATION_ERROR");
      assert.equal(body.badRequestDetail.fields[0].field, field, query);
    }
    const badGroup = await raw(base, { path: endpoint("Cluster0", "ABC") });
    assert.equal(badGroup.status, 400);
    assert.equal(JSON.parse(badGroup.body).badRequestDetail.fields[0].field, "groupId");
    assert.deepEqual(upstream(), []);
  });

  it("refuses a project or cluster outside its allow list with 403, sending nothing", async () => {
    for (const path of [endpoint("Cluster0", OTHER_GROUP), endpoint("Big0")]) {
      const answer = await raw(base, { path });
      assert.equal(answer.status, 403, path);
      assert.equal(JSON.parse(answer.body).errorCode, "NOT_ALLOWED");
    }
    assert.deepEqual(upstream(), []);
  });

  it("refuses every other path and method, path traversal included, with a 4xx and no upstream request", async () => {
    const attempts = [
      { path: `${endpoint()}/../../../../oauth/token` },
      { path: `${PREFIX}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports/..%2f..%2foauth` },
      { path: `${PREFIX}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/%2e%2e/backup/exports` },
      { path: `${PREFIX}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0%2Fbackup/backup/exports` },
      { path: `${PREFIX}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters//backup/exports` },
      { path: `${PREFIX}//api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports` },
      { path: `${PREFIX}/api/oauth/token` },
      { path: `${PREFIX}/api/oauth/revoke` },
      { path: `${PREFIX}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/snapshots` },
      { path: `${PREFIX}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters` },
      { path: `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports` },
      { path: `${PREFIX}/api/atlas/v1.5/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports` },
      { path: `${PREFIX}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports/` },
      ...["POST", "PUT", "PATCH", "DELETE", "HEAD", "TRACE"].map((method) => ({ method, path: endpoint() })),
    ];
    for (const attempt of attempts) {
      const answer = await raw(base, attempt);
      assert.ok(answer.status >= 400 && answer.status < 500, `${attempt.method ?? "GET"} ${attempt.path}: ${answer.status}`);
    }
    assert.deepEqual(upstream(), []);
  });

  it("drops the caller's own Authorization and cookies, sending only the server's credentials", async () => {
    const answer = await raw(base, { path: `${endpoint()}?itemsPerPage=1`, headers: { authorization: "Bearer stolen-or-forged", cookie: "session=abc" } });
    assert.equal(answer.status, 200);
    const api = upstream().filter((r) => r.path.endsWith("/backup/exports"));
    assert.equal(api.length, 1);
    assert.equal(api[0].authScheme, "Bearer");
    assert.equal(api[0].authorized, true, "the upstream request carried the service account's token, not the caller's");
    assert.ok(!answer.body.includes(MOCK_CLIENT_SECRET));
  });

  it("answers CORS only for the origins it lists", async () => {
    const preflight = await raw(base, { method: "OPTIONS", path: endpoint(), headers: { origin: CONSOLE, "access-control-request-method": "GET", "access-control-request-headers": "accept" } });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers["access-control-allow-origin"], CONSOLE);
    assert.match(preflight.headers["access-control-allow-methods"], /GET/);
    const allowed = await raw(base, { path: `${endpoint()}?itemsPerPage=1`, headers: { origin: CONSOLE } });
    assert.equal(allowed.headers["access-control-allow-origin"], CONSOLE);
    assert.match(allowed.headers["access-control-expose-headers"], /RateLimit-Remaining/);
    const foreign = await raw(base, { path: `${endpoint()}?itemsPerPage=1`, headers: { origin: "https://evil.test" } });
    assert.equal(foreign.headers["access-control-allow-origin"], undefined);
  });

  it("never throws when made; a request to a misconfigured proxy gets a 500 naming the option, and onError the error", async () => {
    const auth = { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET };
    const request = () => new Request(`http://console.test${endpoint()}`);
    for (const [options, field] of [
      [{ auth, prefix: "atlas" }, "prefix"],
      [{ auth, prefix: "/atlas/" }, "prefix"],
      [{ auth, prefix: "/a/../b" }, "prefix"],
      [{ auth, allow: { groupIds: "x" } }, "allow.groupIds"],
      [{ auth, cors: { origins: [""] } }, "cors.origins"],
      [{ auth, upstream: "x" }, "upstream"],
      [{}, "auth"],
      [{ auth: { type: "bearer" } }, "auth.token"],
      // An unset environment variable, as a route module made at build time reads it.
      [{ auth: { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: undefined } }, "auth.clientSecret"],
      [{ auth, baseUrl: "https://user:pw@cloud.mongodb.com" }, "baseUrl"],
      [{ auth, onError: "log" }, "onError"],
    ]) {
      const reported = [];
      const misconfigured = createAtlasProxy({ onError: (error, req) => reported.push([error, req]), ...options });
      const asked = request();
      const response = await misconfigured(asked);
      assert.equal(response.status, 500, field);
      const text = await response.text();
      const body = JSON.parse(text);
      assert.equal(body.errorCode, "PROXY_MISCONFIGURED", field);
      assert.deepEqual(body.parameters, [field]);
      assert.match(body.detail, new RegExp(field.replace(".", "\\.")));
      for (const secret of [MOCK_CLIENT_SECRET, "user:pw", "pw@"]) assert.ok(!text.includes(secret), `${field}: ${secret}`);
      if (field === "onError") continue;
      assert.equal(reported.length, 1, field);
      const [error, req] = reported[0];
      assert.ok(isAtlasError(error) && error.kind === "validation" && error.field === field, field);
      assert.equal(req, asked);
      await misconfigured.close();
    }
    assert.equal(upstream().length, 0, "no request reached Atlas");
  });

  it("tells onError of every upstream failure behind a 5xx, and ignores what onError throws", async () => {
    const reported = [];
    const closed = await new Promise((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address();
        probe.close(() => resolve(`http://127.0.0.1:${port}`));
      });
    });
    const unreachable = createAtlasProxy({
      baseUrl: closed,
      auth: { type: "bearer", token: "t0ken-not-shown" },
      prefix: PREFIX,
      onError: (error) => {
        reported.push(error);
        throw new Error("a logger that fails");
      },
    });
    const response = await unreachable(new Request(`http://console.test${endpoint()}`));
    assert.equal(response.status, 502);
    assert.equal((await response.json()).errorCode, "UPSTREAM_UNREACHABLE");
    assert.equal(reported.length, 1);
    assert.ok(isAtlasError(reported[0]) && reported[0].kind === "network");
    assert.ok(!JSON.stringify(reported[0]).includes("t0ken-not-shown"));
    const notFound = await unreachable(new Request("http://console.test/elsewhere"));
    assert.equal(notFound.status, 404);
    assert.equal(reported.length, 1, "a 4xx is no failure of the proxy's");
  });

  it("revokes the service account's token when closed", async () => {
    await raw(base, { path: `${endpoint()}?itemsPerPage=1` });
    await proxy.close();
    assert.ok(mock.requests.some((r) => r.path === "/api/oauth/revoke"));
  });
});
