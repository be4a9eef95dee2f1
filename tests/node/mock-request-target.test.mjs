// The mock's answer to a request-target that is not a path on it, written on a raw socket as a
// client or a scanner may send it: `GET //`, a scheme-relative target naming a host, and an
// absolute-form target whose host does not parse each get a 400 in Atlas's error shape, not the
// 500 of a mock that failed; an absolute-form target with a good host is read as its path.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, it } from "node:test";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";

const PATH = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`;
const LIMIT_MS = 10_000;

/** Sends `head` as written on a fresh connection and resolves with the status and body of the answer. */
function rawExchange(url, head) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks = [];
    socket.setTimeout(LIMIT_MS, () => socket.destroy(new Error("no answer in time")));
    socket.on("connect", () => socket.write(head));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [statusLine = ""] = text.split("\r\n");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
      const body = text.slice(text.indexOf("\r\n\r\n") + 4);
      resolve({ status, headers: text.slice(0, text.indexOf("\r\n\r\n")), body });
    });
  });
}

const request = (target, headers = "") => `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}Connection: close\r\n\r\n`;

describe("the mock and request-targets that are no path on it", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60 });
  });
  after(() => mock.close());

  for (const target of ["//", "//x", `//evil.example${PATH}`, "http://[bad/x", "http://[::1/x", "http:///x", "http://:80/x"]) {
    it(`GET ${target}: 400 in Atlas's error shape`, async () => {
      const before = mock.requests.length;
      const answer = await rawExchange(mock.url, request(target));
      assert.equal(answer.status, 400, `${answer.headers}\n${answer.body}`);
      assert.match(answer.headers, /\r\ncontent-type: application\/json/i);
      const body = JSON.parse(answer.body);
      assert.deepEqual(Object.keys(body).sort(), ["detail", "error", "errorCode", "parameters", "reason"]);
      assert.equal(body.error, 400);
      assert.equal(body.reason, "Bad Request");
      assert.equal(body.errorCode, "INVALID_REQUEST_TARGET");
      assert.equal(mock.requests.length, before, "no API request was logged");
    });
  }

  it("reads an absolute-form target with a good host as its path", async () => {
    const headers = `Authorization: Bearer ${MOCK_TOKEN}\r\nAccept: ${V2_MEDIA_TYPE}\r\n`;
    const answer = await rawExchange(mock.url, request(`${mock.url}${PATH}?itemsPerPage=1`, headers));
    assert.equal(answer.status, 200, answer.body);
    assert.equal(JSON.parse(answer.body).results.length, 1);
    assert.equal(mock.requests.at(-1).path, PATH);
  });
});
