// The end-to-end stories of listExportJobs, run once through `import` and once through `require`
// of the built package (list.test.mjs, list.test.cjs), each against its own mock Atlas.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";

export function defineListTests(api, loadedAs) {
  const { listExportJobs, AtlasError, isAtlasError } = api;

  describe(`listExportJobs (${loadedAs})`, () => {
    let mock;
    let options;
    const params = (extra = {}) => ({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", ...extra });

    before(async () => {
      mock = await startMockAtlas({ maxSeconds: 300 });
      options = (extra = {}) => ({ baseUrl: mock.url, accessToken: MOCK_TOKEN, ...extra });
    });
    after(() => mock.close());

    /** Calls with `args`, expects an AtlasError of `kind`, and checks what every error must hold. */
    async function expectError(kind, callParams, callOptions) {
      const error = await listExportJobs(callParams, callOptions).then(
        (page) => assert.fail(`expected a ${kind} error, got a page of ${page.results.length}`),
        (e) => e,
      );
      assert.ok(error instanceof Error, "instanceof Error");
      assert.ok(error instanceof AtlasError, "instanceof AtlasError");
      assert.ok(isAtlasError(error));
      assert.equal(error.name, "AtlasError");
      assert.equal(error.kind, kind, error.message);
      assert.ok(error.message.length > 0);
      assertNoToken(error);
      return error;
    }

    function assertNoToken(error) {
      const seen = [error.message, error.stack, JSON.stringify(error), String(error.cause), ...Object.values(error).map(String)];
      for (const text of seen) assert.ok(!String(text).includes(MOCK_TOKEN), `token leaked in: ${text}`);
    }

    async function assertNextCallSucceeds() {
      const page = await listExportJobs(params({ itemsPerPage: 1 }), options());
      assert.equal(page.results.length, 1);
    }

    it("decodes a page field for field as the mock sent it", async () => {
      const query = "?itemsPerPage=7&pageNum=2";
      const raw = await fetch(`${mock.url}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Sharded0/backup/exports${query}`, {
        headers: { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: "application/vnd.atlas.2023-01-01+json" },
      }).then((r) => r.json());
      const page = await listExportJobs(params({ clusterName: "Sharded0", itemsPerPage: 3, pageNum: 2 }), options());
      const sent = await fetch(`${mock.url}/__mock/dataset?cluster=Sharded0`).then((r) => r.json());
      assert.deepEqual(page.results, sent.slice(3, 6));
      assert.equal(page.totalCount, sent.length);
      assert.deepEqual(page.links.map((l) => l.rel).sort(), ["next", "previous", "self"]);
      assert.ok(page.results.every((job) => job.components.length === 3));
      // The whole body, not only the results: every field survives the trip through Rust.
      assert.deepEqual(Object.keys(raw).sort(), Object.keys(page).sort());
    });

    it("returns the mock's body unchanged, whatever the page", async () => {
      for (const cluster of ["Cluster0", "Empty0", "Big0"]) {
        const path = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/${cluster}/backup/exports?itemsPerPage=500&pageNum=1`;
        const raw = await fetch(mock.url + path, {
          headers: { Authorization: `Bearer ${MOCK_TOKEN}`, Accept: "application/vnd.atlas.2023-01-01+json" },
        }).then((r) => r.json());
        const page = await listExportJobs(params({ clusterName: cluster, itemsPerPage: 500, pageNum: 1 }), options());
        assert.deepEqual(page, raw, cluster);
      }
    });

    it("keeps absent fields absent: running jobs have no finishedAt, only failed ones a stateReason", async () => {
      const { results } = await listExportJobs(params({ itemsPerPage: 10 }), options());
      const states = new Set(results.map((job) => job.state));
      assert.deepEqual([...states].sort(), ["Cancelled", "Failed", "InProgress", "Queued", "Successful"]);
      for (const job of results) {
        assert.equal("finishedAt" in job, ["Successful", "Failed", "Cancelled"].includes(job.state), job.state);
        assert.equal("stateReason" in job, job.state === "Failed", job.state);
        assert.equal(typeof job.exportStatus.totalCollections, "number");
      }
    });

    it("leaves totalCount absent when includeCount is false", async () => {
      const page = await listExportJobs(params({ includeCount: false }), options());
      assert.ok(!("totalCount" in page));
      const counted = await listExportJobs(params({ includeCount: true }), options());
      assert.equal(counted.totalCount, 42);
    });

    it("sends only the query parameters that were set", async () => {
      mock.reset();
      await listExportJobs(params(), options());
      await listExportJobs(params({ pageNum: 3, itemsPerPage: 5, pretty: true, envelope: false }), options());
      assert.deepEqual(mock.requests[0].query, {});
      assert.deepEqual(mock.requests[1].query, { envelope: "false", pretty: "true", itemsPerPage: "5", pageNum: "3" });
    });

    it("speaks v2 by default and v1.0 on request", async () => {
      mock.reset();
      const v2 = await listExportJobs(params({ itemsPerPage: 2 }), options());
      const v1 = await listExportJobs(params({ itemsPerPage: 2 }), options({ apiVersion: "v1.0" }));
      assert.deepEqual(v1.results, v2.results);
      const [first, second] = mock.requests;
      assert.match(first.path, /^\/api\/atlas\/v2\/groups\//);
      assert.equal(first.accept, "application/vnd.atlas.2023-01-01+json");
      assert.match(second.path, /^\/api\/atlas\/v1\.0\/groups\//);
      assert.equal(second.accept, "application/json");
      assert.ok(mock.requests.every((r) => r.authScheme === "Bearer" && r.authorized));
    });

    it("decodes an enveloped page and a pretty-printed one", async () => {
      const page = await listExportJobs(params({ envelope: true, pretty: true, itemsPerPage: 3 }), options());
      assert.equal(page.results.length, 3);
      assert.ok(!("status" in page), "the envelope's status is not part of the page");
    });

    it("reads the body's bytes as Response.text() would: UTF-8 without a byte order mark; invalid bytes are a decode error", async () => {
      const body = (bytes) => async () => new Response(bytes, { status: 200, headers: { "Content-Type": "application/json" } });
      const utf8 = (text) => new TextEncoder().encode(text);
      const page = (bucket) => `{"results":[{"exportBucketId":${bucket}}],"totalCount":1}`;
      const cases = [
        ["a byte order mark", Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8(page('"plain"')))],
        ["non-ASCII text", utf8(page('"Zürich-東京-🙂"'))],
        ["an escaped surrogate pair", utf8(page('"\\ud83d\\ude42"'))],
      ];
      for (const [what, bytes] of cases) {
        const expected = await new Response(bytes).text().then(JSON.parse);
        const client = new api.AtlasClient({ baseUrl: mock.url, accessToken: MOCK_TOKEN, fetch: body(bytes) });
        const received = await client.listExportJobs(params());
        assert.deepEqual(JSON.parse(JSON.stringify(received)), expected, what);
      }
      // JSON is UTF-8 (RFC 8259 §8.1); reading an invalid byte as U+FFFD would also triple its size.
      const invalid = Uint8Array.of(...utf8('{"results":[{"exportBucketId":"a'), 0xff, ...utf8('b"}],"totalCount":1}'));
      const client = new api.AtlasClient({ baseUrl: mock.url, accessToken: MOCK_TOKEN, fetch: body(invalid) });
      await assert.rejects(client.listExportJobs(params()), (error) => {
        assert.equal(error.kind, "decode");
        assert.equal(error.path, "$");
        assert.match(error.message, /not UTF-8/);
        return true;
      });
    });

    it("reports 401 without a token or with a wrong one", async () => {
      for (const callOptions of [options({ accessToken: undefined }), options({ accessToken: "wrong-token" })]) {
        const error = await expectError("api", params(), callOptions);
        assert.equal(error.status, 401);
        assert.equal(error.errorCode, "USER_UNAUTHORIZED");
        assert.equal(error.reason, "Unauthorized");
        assert.equal(typeof error.detail, "string");
        await assertNextCallSucceeds();
      }
    });

    it("reports 404 for an unknown project or cluster", async () => {
      let error = await expectError("api", params({ groupId: "0123456789abcdef01234567" }), options());
      assert.equal(error.status, 404);
      assert.equal(error.errorCode, "GROUP_NOT_FOUND");
      assert.deepEqual(error.parameters, ["0123456789abcdef01234567"]);
      error = await expectError("api", params({ clusterName: "Nope" }), options());
      assert.equal(error.errorCode, "CLUSTER_NOT_FOUND");
      assert.match(error.message, /404 CLUSTER_NOT_FOUND/);
      await assertNextCallSucceeds();
    });

    it("reports 406 and a 400 with its badRequestDetail", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: { status: 406 } });
      let error = await expectError("api", params(), options());
      assert.equal(error.status, 406);
      assert.equal(typeof error.errorCode, "string");
      const badRequest = {
        error: 400,
        errorCode: "VALIDATION_ERROR",
        reason: "Bad Request",
        detail: "Invalid query parameter.",
        parameters: ["itemsPerPage", 501],
        badRequestDetail: { fields: [{ field: "itemsPerPage", description: "must be less than or equal to 500" }] },
      };
      mock.injectFault({ cluster: "Cluster0", fault: { status: 400, body: badRequest } });
      error = await expectError("api", params(), options());
      assert.equal(error.status, 400);
      assert.deepEqual(error.badRequestDetail, badRequest.badRequestDetail);
      assert.deepEqual(error.parameters, badRequest.parameters);
      assert.equal(error.detail, badRequest.detail);
      await assertNextCallSucceeds();
    });

    it("keeps a proxy's HTML 502 page as the error body", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "html502" });
      const error = await expectError("api", params(), options({ retry: false }));
      assert.equal(error.status, 502);
      assert.equal(error.errorCode, undefined);
      assert.match(error.body, /<title>502 Bad Gateway<\/title>/);
      assert.match(error.message, /502/);
      await assertNextCallSucceeds();
    });

    it("reports bodies that are not a page as decode errors with the JSON path", async () => {
      for (const [fault, path] of [
        // A body cut short fails where the text ends, somewhere inside the results.
        ["truncated", /^\$\.results\[\d+\]/],
        ["empty200", /^\$$/],
        [{ primitive: 42 }, /^\$$/],
        [{ primitive: null }, /^\$$/],
        [{ primitive: "x" }, /^\$$/],
        [{ raw: '{"results":[{"exportBucketId":"a","state":7}]}' }, /^\$\.results\[0\]\.state$/],
      ]) {
        mock.injectFault({ cluster: "Cluster0", fault });
        const error = await expectError("decode", params(), options());
        assert.match(error.path, path, JSON.stringify(fault));
        assert.equal(error.status, 200);
        await assertNextCallSucceeds();
      }
    });

    it("reports a refused connection as a network error with the original cause", async () => {
      const closedPort = await freePort();
      const error = await expectError("network", params(), options({ baseUrl: `http://127.0.0.1:${closedPort}`, retry: false }));
      assert.ok(error.cause instanceof TypeError, "fetch's own rejection");
      assert.equal(error.cause.cause?.code, "ECONNREFUSED");
      assert.match(error.message, /ECONNREFUSED/);
      await assertNextCallSucceeds();
    });

    it("reports a reset connection as a network error", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "reset" });
      const error = await expectError("network", params(), options({ retry: false }));
      assert.ok(error.cause !== undefined);
      await assertNextCallSucceeds();
    });

    it("times out a server that never answers", async () => {
      mock.injectFault({ cluster: "Cluster0", fault: "hang" });
      const started = Date.now();
      const error = await expectError("timeout", params(), options({ timeoutMs: 200, retry: false }));
      assert.equal(error.cause?.name, "TimeoutError");
      assert.ok(Date.now() - started < 10_000, "it did not wait for the server");
      await assertNextCallSucceeds();
    });

    it("stops when the caller aborts during the request, with the caller's reason as cause", async () => {
      for (const reason of ["user left the page", new Error("shutdown"), 42]) {
        mock.injectFault({ cluster: "Cluster0", fault: "hang" });
        const controller = new AbortController();
        setTimeout(() => controller.abort(reason), 50);
        const error = await expectError("aborted", params(), options({ signal: controller.signal }));
        assert.equal(error.cause, reason);
        await assertNextCallSucceeds();
      }
      const controller = new AbortController();
      mock.injectFault({ cluster: "Cluster0", fault: "hang" });
      setTimeout(() => controller.abort(), 50);
      const error = await expectError("aborted", params(), options({ signal: controller.signal }));
      assert.equal(error.cause.name, "AbortError");
    });

    it("sends nothing when the signal is already aborted", async () => {
      mock.reset();
      const error = await expectError("aborted", params(), options({ signal: AbortSignal.abort("too late") }));
      assert.equal(error.cause, "too late");
      assert.equal(mock.requests.length, 0);
      await assertNextCallSucceeds();
    });

    it("rejects each bad input with a validation error naming the field, sending nothing", async () => {
      const good = params();
      const bad = [
        [undefined, undefined, "params"],
        [null, undefined, "params"],
        ["Cluster0", undefined, "params"],
        [[good], undefined, "params"],
        [{ clusterName: "Cluster0" }, undefined, "groupId"],
        [{ ...good, groupId: "ABC" }, undefined, "groupId"],
        [{ ...good, groupId: MOCK_GROUP_ID.toUpperCase() }, undefined, "groupId"],
        [{ ...good, groupId: 12345 }, undefined, "groupId"],
        [{ ...good, groupId: null }, undefined, "groupId"],
        [{ groupId: MOCK_GROUP_ID }, undefined, "clusterName"],
        [{ ...good, clusterName: "-Cluster0" }, undefined, "clusterName"],
        [{ ...good, clusterName: "Cluster 0" }, undefined, "clusterName"],
        [{ ...good, clusterName: "../../orgs" }, undefined, "clusterName"],
        [{ ...good, clusterName: 0 }, undefined, "clusterName"],
        [{ ...good, itemsPerPage: "10" }, undefined, "itemsPerPage"],
        [{ ...good, itemsPerPage: 1.5 }, undefined, "itemsPerPage"],
        [{ ...good, itemsPerPage: NaN }, undefined, "itemsPerPage"],
        [{ ...good, itemsPerPage: null }, undefined, "itemsPerPage"],
        [{ ...good, itemsPerPage: 0 }, undefined, "itemsPerPage"],
        [{ ...good, itemsPerPage: 501 }, undefined, "itemsPerPage"],
        [{ ...good, itemsPerPage: 10n }, undefined, "itemsPerPage"],
        [{ ...good, pageNum: 0 }, undefined, "pageNum"],
        [{ ...good, pageNum: Infinity }, undefined, "pageNum"],
        [{ ...good, pageNum: "2" }, undefined, "pageNum"],
        [{ ...good, includeCount: "false" }, undefined, "includeCount"],
        [{ ...good, envelope: 1 }, undefined, "envelope"],
        [{ ...good, pretty: null }, undefined, "pretty"],
        [{ ...good, itemPerPage: 10 }, undefined, "itemPerPage"],
        [good, null, "options"],
        [good, "https://cloud.mongodb.com", "options"],
        [good, { baseUrl: "cloud.mongodb.com" }, "baseUrl"],
        [good, { baseUrl: "http://example.com" }, "baseUrl"],
        [good, { baseUrl: `http://user:${MOCK_TOKEN}@127.0.0.1` }, "baseUrl"],
        [good, { baseUrl: "ftp://127.0.0.1" }, "baseUrl"],
        [good, { accessToken: `${MOCK_TOKEN}\n` }, "accessToken"],
        [good, { accessToken: "" }, "accessToken"],
        [good, { apiVersion: "v3" }, "apiVersion"],
        [good, { timeoutMs: -1 }, "timeoutMs"],
        [good, { timeoutMs: "500" }, "timeoutMs"],
        [good, { signal: {} }, "signal"],
        [good, { allowInsecureHttp: "yes" }, "allowInsecureHttp"],
        [good, { timeout: 500 }, "timeout"],
      ];
      assert.ok(bad.length >= 25);
      mock.reset();
      for (const [callParams, callOptions, field] of bad) {
        const merged = callOptions === undefined || callOptions === null || typeof callOptions !== "object"
          ? callOptions
          : { baseUrl: mock.url, accessToken: MOCK_TOKEN, ...callOptions };
        const error = await expectError("validation", callParams, merged);
        assert.equal(error.field, field, `${error.message}`);
        assert.equal(mock.requests.length, 0, `a request was sent for ${field}`);
      }
      await assertNextCallSucceeds();
    });

    it("names the problem in a validation message", async () => {
      const error = await expectError("validation", params({ itemPerPage: 10 }), options());
      assert.match(error.message, /did you mean itemsPerPage\?/);
      const wrongType = await expectError("validation", params({ itemsPerPage: "10" }), options());
      assert.equal(wrongType.message, 'itemsPerPage must be an integer, got the string "10"');
    });

    it("recognises its errors across copies of the package by brand", async () => {
      const error = await expectError("validation", null, undefined);
      assert.ok(isAtlasError(error));
      // What an AtlasError from another copy of the package looks like to this one.
      const fromAnotherCopy = Object.defineProperty(new Error("x"), Symbol.for("atlas-export-jobs.AtlasError"), { value: true });
      assert.ok(!(fromAnotherCopy instanceof AtlasError));
      assert.ok(isAtlasError(fromAnotherCopy));
      assert.ok(!isAtlasError(new Error("x")));
      assert.ok(!isAtlasError(null));
      assert.ok(!isAtlasError({ name: "AtlasError", kind: "api" }));
    });
  });
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
