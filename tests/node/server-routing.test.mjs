// atlas-export-jobs/server speaks both API versions: which requests it forwards, and how, is the
// package's own decision (the core's route), so a v1.0 request reaches Atlas as v1.0, with v1.0's
// Accept, and comes back with v1.0's media type; the query's parameters are read by the core's
// rules, percent-escapes refused. Whatever status Atlas sends, the page gets an answer: one the
// Fetch API cannot carry (outside 200 to 599, or a body on 204) becomes a 502 in Atlas's shape.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";

import { createAtlasProxy, toNodeHandler } from "atlas-export-jobs/server";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";

import { raw } from "./raw-http.mjs";

const PREFIX = "/atlas";
const path = (version, query = "") => `${PREFIX}/api/atlas/${version}/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports${query}`;

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

/**
 * An upstream on 127.0.0.1 that answers every request with `status` (any number, as written on
 * the status line) and `body`, over a raw socket, since node:http writes no status past 999 or
 * under 100. `requests` counts what reached it.
 */
async function startOddUpstream() {
  const upstream = { status: 600, body: "{}", requests: 0 };
  const server = createTcpServer((socket) => {
    socket.on("error", () => {});
    socket.once("data", () => {
      upstream.requests += 1;
      const body = Buffer.from(upstream.body);
      socket.end(`HTTP/1.1 ${upstream.status} Odd\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  upstream.url = `http://127.0.0.1:${server.address().port}`;
  upstream.close = () => new Promise((resolve) => server.close(resolve));
  return upstream;
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

  describe("an upstream status the Fetch API cannot pass on", () => {
    let odd;
    let oddProxy;
    let oddServer;

    before(async () => {
      odd = await startOddUpstream();
      oddProxy = createAtlasProxy({ baseUrl: odd.url, auth: { type: "bearer", token: MOCK_TOKEN }, prefix: PREFIX });
      oddServer = await serve(oddProxy);
    });
    after(async () => {
      await oddServer.close();
      await oddProxy.close();
      await odd.close();
    });

    const oddBody = (status) => JSON.stringify({ detail: "odd", error: status, errorCode: "ODD", parameters: [], reason: "Odd" });

    for (const status of [600, 700, 999]) {
      it(`${status}: 502 in Atlas's error shape, through the fetch handler and through toNodeHandler`, async () => {
        odd.status = status;
        odd.body = oddBody(status);
        const before = odd.requests;
        const response = await oddProxy(new Request(`http://console.test${path("v2")}`));
        assert.equal(response.status, 502);
        assert.equal(response.headers.get("content-type"), "application/json");
        assertAtlasError(502, await response.text(), "UPSTREAM_INVALID");
        const viaNode = await raw(oddServer.url, { path: path("v1.0") });
        assert.equal(viaNode.status, 502, viaNode.body);
        assertAtlasError(502, viaNode.body, "UPSTREAM_INVALID");
        assert.equal(odd.requests - before, 2, "each request reached the upstream once");
      });
    }

    it("an enveloped error naming 204, which no answer with a body may carry: 502", async () => {
      odd.status = 200;
      odd.body = JSON.stringify({ status: 204, detail: "odd", error: 204, errorCode: "ODD", parameters: [], reason: "No Content" });
      const response = await oddProxy(new Request(`http://console.test${path("v2", "?envelope=true")}`));
      assert.equal(response.status, 502);
      assertAtlasError(502, await response.text(), "UPSTREAM_INVALID");
      const viaNode = await raw(oddServer.url, { path: path("v2", "?envelope=true") });
      assert.equal(viaNode.status, 502, viaNode.body);
    });

    it("199 from a custom fetch: 502 through both", async () => {
      let reached = 0;
      const fetch = async () => {
        reached += 1;
        return Object.defineProperty(new Response(oddBody(199), { status: 200, headers: { "Content-Type": "application/json" } }), "status", { value: 199 });
      };
      const informal = createAtlasProxy({ baseUrl: "https://cloud.mongodb.com", auth: { type: "bearer", token: MOCK_TOKEN }, fetch });
      const informalServer = await serve(informal);
      try {
        const response = await informal(new Request(`http://console.test/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`));
        assert.equal(response.status, 502);
        assertAtlasError(502, await response.text(), "UPSTREAM_INVALID");
        const viaNode = await raw(informalServer.url, { path: `/api/atlas/v1.0/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports` });
        assert.equal(viaNode.status, 502, viaNode.body);
        assertAtlasError(502, viaNode.body, "UPSTREAM_INVALID");
        assert.equal(reached, 2);
      } finally {
        await informalServer.close();
        await informal.close();
      }
    });
  });
});
