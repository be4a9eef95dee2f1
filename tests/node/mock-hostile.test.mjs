// The mock's hostile faults, checked with plain fetch: bodies too large to read (gzip bombs and
// plain streams), redirects to another origin, proxies that echo the request, the same faults on
// the service-account endpoints, and the recording server that stands for the other origin.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";
import { MEMBER_BYTES } from "../../pkg-template/testing/bombs.mjs";
import { startRecordingServer } from "../../pkg-template/testing/recording-server.mjs";

const PATH = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`;
const HEADERS = { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: V2_MEDIA_TYPE };

/** Reads a response's body to the end: its size in bytes and every distinct byte value seen. */
async function drain(response) {
  let size = 0;
  const values = new Set();
  for await (const chunk of response.body) {
    size += chunk.length;
    values.add(chunk[0]).add(chunk[chunk.length - 1]);
  }
  return { size, values: [...values] };
}

/** A bomb fault whose `ended` promise resolves with what the mock reports when it stops writing. */
function bomb(options) {
  let report;
  const ended = new Promise((resolve) => (report = resolve));
  return { fault: { bomb: { ...options, onEnd: report } }, ended };
}

describe("mock hostile faults", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 120 });
  });
  afterEach(() => mock.reset());
  after(() => mock.close());

  describe("bomb", () => {
    it("gzip: many members that fetch inflates to exactly the bytes asked, about 1 KB on the wire per MiB", async () => {
      const bytes = 5 * MEMBER_BYTES + 123;
      const { fault, ended } = bomb({ bytes });
      mock.injectFault({ cluster: "Cluster0", fault });
      const response = await fetch(mock.url + PATH, { headers: HEADERS });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-encoding"), "gzip");
      const wireLength = Number(response.headers.get("content-length"));
      assert.ok(wireLength > 0 && wireLength < 10_000, `${wireLength} bytes on the wire`);
      assert.deepEqual(await drain(response), { size: bytes, values: [0xff] });
      assert.deepEqual(await ended, { wireBytes: wireLength, complete: true });
      assert.equal(mock.requests.at(-1).status, 200);
    });

    it("identity: the plain body in chunks, with a Content-Length or without one", async () => {
      for (const contentLength of [true, false]) {
        const bytes = 3 * 65536 + 7;
        const { fault, ended } = bomb({ bytes, encoding: "identity", contentLength, status: 503 });
        mock.injectFault({ cluster: "Cluster0", fault });
        const response = await fetch(mock.url + PATH, { headers: HEADERS });
        assert.equal(response.status, 503);
        assert.equal(response.headers.get("content-encoding"), null);
        assert.equal(response.headers.get("content-length"), contentLength ? String(bytes) : null);
        assert.deepEqual(await drain(response), { size: bytes, values: [0xff] });
        assert.deepEqual(await ended, { wireBytes: bytes, complete: true });
      }
    });

    it("stops writing once the client cancels the body", async () => {
      const bytes = 100_000_000;
      const { fault, ended } = bomb({ bytes, encoding: "identity", contentLength: false });
      mock.injectFault({ cluster: "Cluster0", fault });
      const response = await fetch(mock.url + PATH, { headers: HEADERS });
      const reader = response.body.getReader();
      await reader.read();
      await reader.cancel();
      const { wireBytes, complete } = await ended;
      assert.equal(complete, false);
      assert.ok(wireBytes < bytes, `${wireBytes} of ${bytes} bytes written`);
    });

    it("rejects a bomb it cannot send", () => {
      for (const bad of [{}, { bytes: 0 }, { bytes: 1.5 }, { bytes: 5e9 }, { bytes: 10, encoding: "br" }, { bytes: 10, contentLength: "yes" }, { bytes: 10, status: 99 }, { bytes: 10, onEnd: 1 }]) {
        assert.throws(() => mock.injectFault({ cluster: "Cluster0", fault: { bomb: bad } }), TypeError, JSON.stringify(bad));
      }
    });
  });

  describe("redirect", () => {
    it("answers the status with a Location, before auth, once", async () => {
      for (const status of [301, 302, 303, 307, 308]) {
        mock.injectFault({ cluster: "Cluster0", fault: { redirect: { status, location: "http://127.0.0.1:9/x?y=1" } } });
        const response = await fetch(mock.url + PATH, { redirect: "manual" });
        assert.equal(response.status, status);
        assert.equal(response.headers.get("location"), "http://127.0.0.1:9/x?y=1");
        assert.match(await response.text(), /^<html>.*Moved/);
      }
      assert.equal((await fetch(mock.url + PATH, { headers: HEADERS })).status, 200);
    });

    it("rejects a status that is not a redirect, or no location", () => {
      for (const bad of [{ status: 200, location: "/" }, { status: 304, location: "/" }, { status: 307 }, { status: 307, location: "" }]) {
        assert.throws(() => mock.injectFault({ cluster: "Cluster0", fault: { redirect: bad } }), TypeError, JSON.stringify(bad));
      }
    });
  });

  describe("reflect", () => {
    it("html: echoes the request line, the headers and the body, escaped as a page must", async () => {
      const echoes = [];
      mock.injectFault({ cluster: "Cluster0", fault: { reflect: { onEcho: (echo) => echoes.push(echo) } } });
      const response = await fetch(`${mock.url}${PATH}?itemsPerPage=1`, { headers: { ...HEADERS, "X-Quote": '"<&>"' } });
      assert.equal(response.status, 502);
      assert.equal(response.headers.get("content-type"), "text/html");
      const text = await response.text();
      assert.ok(text.includes(`Authorization: Bearer ${MOCK_TOKEN}\nGET ${PATH}?itemsPerPage=1 HTTP/1.1\n`), text);
      assert.ok(text.includes("&quot;&lt;&amp;&gt;&quot;"), text);
      assert.match(text, /<title>502 Bad Gateway<\/title>/);
      assert.equal(echoes.length, 1);
      assert.ok(echoes[0].startsWith(`Authorization: Bearer ${MOCK_TOKEN}\nGET `) && echoes[0].includes('"<&>"'), "onEcho: the echo unescaped");
    });

    it("text, atlas and oauth: verbatim, in an Atlas error's detail, in an OAuth error's description", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: { reflect: { format: "text", status: 504 } } });
      let response = await fetch(mock.url + PATH, { headers: HEADERS });
      assert.deepEqual([response.status, response.headers.get("content-type")], [504, "text/plain"]);
      assert.ok((await response.text()).startsWith(`Authorization: Bearer ${MOCK_TOKEN}\n`));
      mock.injectFault({ cluster: "Cluster0", fault: { reflect: { format: "atlas" } } });
      response = await fetch(mock.url + PATH, { headers: HEADERS });
      const atlas = await response.json();
      assert.deepEqual([atlas.error, atlas.errorCode, atlas.reason], [502, "BAD_GATEWAY", "Bad Gateway"]);
      assert.ok(atlas.detail.startsWith(`Authorization: Bearer ${MOCK_TOKEN}\nGET ${PATH} HTTP/1.1\n`));
      mock.injectFault({ cluster: "Cluster0", fault: { reflect: { format: "oauth" } } });
      response = await fetch(mock.url + PATH, { headers: HEADERS });
      const oauth = await response.json();
      assert.equal(oauth.error, "server_error");
      assert.ok(oauth.error_description.startsWith(`Authorization: Bearer ${MOCK_TOKEN}\n`));
    });

    it("rejects a reflection it cannot send", () => {
      for (const bad of [{ status: 302 }, { format: "xml" }, { at: -1 }, { at: 1.5 }, { onEcho: 1 }]) {
        assert.throws(() => mock.injectFault({ cluster: "Cluster0", fault: { reflect: bad } }), TypeError, JSON.stringify(bad));
      }
    });

    it("at: puts the Authorization header's value at that byte of the body", async () => {
      for (const format of ["html", "text", "atlas"]) {
        for (const at of [200, 16_370]) {
          mock.injectFault({ cluster: "Cluster0", fault: { reflect: { format, at } } });
          const bytes = Buffer.from(await (await fetch(mock.url + PATH, { headers: HEADERS })).arrayBuffer());
          assert.equal(bytes.subarray(at, at + 7 + MOCK_TOKEN.length).toString(), `Bearer ${MOCK_TOKEN}`, `${format} at ${at}`);
        }
      }
    });
  });

  describe("service-account endpoints", () => {
    it("a fault for the token or revoke endpoint answers there, counted, and nowhere else", async () => {
      mock.injectFault({ endpoint: "token", fault: { redirect: { status: 307, location: "http://127.0.0.1:9/" } } });
      mock.injectFault({ endpoint: "revoke", fault: { reflect: { format: "oauth" } } });
      assert.equal((await fetch(mock.url + PATH, { headers: HEADERS })).status, 200, "the API is untouched");
      const revoke = await fetch(`${mock.url}/api/oauth/revoke`, { method: "POST", body: "token=abc", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
      assert.equal(revoke.status, 502);
      assert.ok((await revoke.json()).error_description.endsWith("\n\ntoken=abc"), "the form body is echoed too");
      const token = await fetch(`${mock.url}/api/oauth/token`, { method: "POST", redirect: "manual" });
      assert.deepEqual([token.status, token.headers.get("location")], [307, "http://127.0.0.1:9/"]);
      assert.equal((await fetch(`${mock.url}/api/oauth/token`, { method: "POST" })).status, 401, "used up");
      assert.deepEqual(mock.stats().tokenRequests, 2);
      assert.deepEqual(mock.stats().revokeRequests, 1);
    });

    it("a fault for any cluster never answers the endpoints", async () => {
      mock.injectFault({ fault: "empty502", times: Infinity });
      assert.equal((await fetch(`${mock.url}/api/oauth/token`, { method: "POST" })).status, 401);
    });

    it("rejects an unknown endpoint, both a cluster and an endpoint, and a misbehaving page", () => {
      assert.throws(() => mock.injectFault({ endpoint: "authorize", fault: "empty502" }), TypeError);
      assert.throws(() => mock.injectFault({ endpoint: "token", cluster: "Cluster0", fault: "empty502" }), TypeError);
      assert.throws(() => mock.injectFault({ endpoint: "token", fault: "samePage" }), TypeError);
    });
  });

  describe("recording server", () => {
    let other;
    before(async () => {
      other = await startRecordingServer({ maxSeconds: 60 });
    });
    after(() => other.close());

    it("records every request, body included, and answers as Atlas would", async () => {
      assert.match(other.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${other.url}/api/atlas/v2/x?y=1`, { headers: { Authorization: "Bearer t" } }).then((r) => r.json());
      assert.deepEqual(page, { links: [], results: [], totalCount: 0 });
      const token = await fetch(`${other.url}/api/oauth/token`, { method: "POST", body: "grant_type=client_credentials" }).then((r) => r.json());
      assert.equal(token.token_type, "Bearer");
      assert.deepEqual(other.requests.map((r) => [r.method, r.url, r.body]), [
        ["GET", "/api/atlas/v2/x?y=1", ""],
        ["POST", "/api/oauth/token", "grant_type=client_credentials"],
      ]);
      assert.equal(other.requests[0].headers.authorization, "Bearer t");
    });
  });
});
