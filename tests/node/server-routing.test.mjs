// atlas-export-jobs/server speaks both API versions: which requests it forwards, and how, is the
// package's own decision (the core's route), so a v1.0 request reaches Atlas as v1.0, with v1.0's
// Accept, and comes back with v1.0's media type; the query's parameters are read by the core's
// rules, percent-escapes refused.
import assert from "node:assert/strict";
import { createServer, request as httpRequest } from "node:http";
import { after, before, beforeEach, describe, it } from "node:test";

import { createAtlasProxy, toNodeHandler } from "atlas-export-jobs/server";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";

const PREFIX = "/atlas";
const path = (version, query = "") => `${PREFIX}/api/atlas/${version}/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports${query}`;

/** A request with its path sent exactly as written (no normalisation by a URL parser). */
function raw(base, { method = "GET", path: target, headers = {} }) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path: target, headers }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

/** Serves `handler` through toNodeHandler on 127.0.0.1: `{url, close()}`. */
async function serve(handler) {
  const server = createServer(toNodeHandler(handler));
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

function assertAtlasError(status, text, errorCode) {
  const body = JSON.parse(text);
  assert.deepEqual(Object.keys(body).sort(), ["detail", "error", "errorCode", "parameters", "reason"]);
  assert.equal(body.error, status);
  assert.equal(body.errorCode, errorCode);
  return body;
}

describe("atlas-export-jobs/server and the API versions", () => {
  let mock;
  let proxy;
  let server;
  const upstream = () => mock.requests.filter((r) => r.path !== "/__mock/requests");

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
    proxy = createAtlasProxy({ baseUrl: mock.url, auth: { type: "bearer", token: MOCK_TOKEN }, prefix: PREFIX });
    server = await serve(proxy);
  });
  beforeEach(() => mock.reset());
  after(async () => {
    await server.close();
    await proxy.close();
    await mock.close();
  });

  it("forwards a v1.0 request to Atlas as v1.0, with v1.0's Accept, and answers with v1.0's media type", async () => {
    const answer = await raw(server.url, { path: path("v1.0", "?itemsPerPage=2&pageNum=2&includeCount=false") });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers["content-type"], "application/json");
    const page = JSON.parse(answer.body);
    assert.equal(page.results.length, 2);
    assert.equal(page.totalCount, undefined);
    const sent = upstream();
    assert.equal(sent.length, 1);
    assert.equal(sent[0].path, `/api/atlas/v1.0/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`);
    assert.equal(sent[0].accept, "application/json");
    assert.deepEqual(sent[0].query, { includeCount: "false", itemsPerPage: "2", pageNum: "2" });
  });

  it("forwards a v2 request as v2, with v2's Accept and media type", async () => {
    const answer = await raw(server.url, { path: path("v2", "?itemsPerPage=1&envelope=false&pretty=true") });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers["content-type"], V2_MEDIA_TYPE);
    assert.equal(JSON.parse(answer.body).results.length, 1);
    const [sent] = upstream();
    assert.equal(sent.path, `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`);
    assert.equal(sent.accept, V2_MEDIA_TYPE);
    assert.deepEqual(sent.query, { envelope: "false", pretty: "true", itemsPerPage: "1" });
  });

  it("refuses a query parameter that breaks a rule, naming it, percent-escapes included, and sends nothing", async () => {
    for (const [query, field] of [
      ["?itemsPerPage=%35", "itemsPerPage"],
      ["?item%73PerPage=5", "item%73PerPage"],
      ["?pretty=tru%65", "pretty"],
      ["?pageNum=+1", "pageNum"],
      ["?includeCount", "includeCount"],
      ["?itemsPerPage=", "itemsPerPage"],
      ["?itemsPerPage=501", "itemsPerPage"],
      ["?pageNum=1.5", "pageNum"],
      ["?envelope=1", "envelope"],
      ["?groupId=0123456789abcdef01234567", "groupId"],
      ["?clusterName=Other0", "clusterName"],
      ["?itemsPerPage=1&itemsPerPage=1", "itemsPerPage"],
      ["?itemPerPage=1", "itemPerPage"],
    ]) {
      for (const version of ["v2", "v1.0"]) {
        const answer = await raw(server.url, { path: path(version, query) });
        assert.equal(answer.status, 400, `${version} ${query}: ${answer.body}`);
        const body = JSON.parse(answer.body);
        assert.equal(body.errorCode, "VALIDATION_ERROR", query);
        assert.equal(body.badRequestDetail.fields[0].field, field, query);
      }
    }
    const suggested = JSON.parse((await raw(server.url, { path: path("v2", "?itemPerPage=1") })).body);
    assert.match(suggested.detail, /did you mean itemsPerPage\?/);
    assert.deepEqual(upstream(), []);
  });

  it("answers an empty query, and empty pairs in one, as if they were not there", async () => {
    for (const query of ["?", "?&", "?itemsPerPage=1&&pageNum=1&"]) {
      const answer = await raw(server.url, { path: path("v1.0", query) });
      assert.equal(answer.status, 200, `${query}: ${answer.body}`);
    }
  });

  it("refuses every path that is not the endpoint of either version with 404, and sends nothing", async () => {
    for (const target of [
      `${PREFIX}/api/atlas/v1/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`,
      `${PREFIX}/api/atlas/V2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`,
      `${PREFIX}/api/atlas/v1.0/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports/`,
      `${PREFIX}/api/atlas/v1.0/groups/${MOCK_GROUP_ID}/clusters/Clus%74er0/backup/exports`,
      `${PREFIX}/api/atlas/v1%2E0/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`,
      `${PREFIX}/api/atlas/v1.0/groups//clusters/Cluster0/backup/exports`,
      `${PREFIX}/api/atlas/v1.0/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports/x`,
      `${PREFIX}/api/atlas/v1.0/groups/${MOCK_GROUP_ID}/backup/exports`,
    ]) {
      const answer = await raw(server.url, { path: target });
      assert.equal(answer.status, 404, target);
      assertAtlasError(404, answer.body, "NOT_FOUND");
    }
    assert.deepEqual(upstream(), []);
  });
});
