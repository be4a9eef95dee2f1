// Redirects are never followed (issue 14): a 301, 302, 303, 307 or 308 to another origin, from the
// API, the token endpoint or the revocation endpoint, ends the call (or close()) with an AtlasError
// that names only the other origin, and that origin (a server on 127.0.0.1 recording every
// request) receives nothing: no request, no credential, never `token=...`.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { AtlasClient, iterateExportJobs, listExportJobs } from "atlas-export-jobs";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { startRecordingServer } from "../../pkg-template/testing/recording-server.mjs";
import { atlasErrorOf, collectEscapes } from "../support/rejections.mjs";

const STATUSES = [301, 302, 303, 307, 308];
const SCHEMES = {
  bearer: { accessToken: MOCK_TOKEN },
  broker: { auth: { type: "bearer", getToken: async () => MOCK_TOKEN } },
  serviceAccount: { auth: { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET } },
  digest: { auth: { type: "digest", publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY } },
};

const escaped = collectEscapes();

describe("redirects", () => {
  let mock;
  let other;
  // Where each redirect points: the other origin, with a path, a query and a fragment it must not name.
  const elsewhere = () => `${other.url}/api/atlas/v2/steal?token=${MOCK_TOKEN}#frag`;
  const params = (extra = {}) => ({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 2, ...extra });
  const client = (scheme, extra = {}) => new AtlasClient({ baseUrl: mock.url, ...SCHEMES[scheme], ...extra });
  const apiGets = () => mock.requests.filter((r) => r.method === "GET");

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
    other = await startRecordingServer({ maxSeconds: 300 });
  });
  afterEach(async () => {
    assert.deepEqual(other.requests, [], "the other origin received nothing");
    mock.reset();
    assert.equal((await listExportJobs(params(), { baseUrl: mock.url, accessToken: MOCK_TOKEN })).results.length, 2, "the next call works");
    mock.reset();
  });
  after(async () => {
    await Promise.all([mock.close(), other.close()]);
    assert.deepEqual(escaped, []);
  });

  it("from the API, every 3xx of every auth scheme ends the call as kind api with the status and the other origin only", async () => {
    for (const scheme of Object.keys(SCHEMES)) {
      const atlas = client(scheme);
      for (const status of STATUSES) {
        mock.injectFault({ cluster: "Cluster0", fault: { redirect: { status, location: elsewhere() } } });
        const error = await atlasErrorOf(atlas.listExportJobs(params()));
        assert.equal(error.kind, "api", `${scheme} ${status}`);
        assert.equal(error.status, status);
        assert.equal(error.location, other.url, "the origin, never a path, query or fragment");
        for (const text of [error.message, JSON.stringify(error)]) {
          assert.ok(!text.includes("/steal") && !text.includes("token=") && !text.includes("frag"), text);
        }
      }
    }
  });

  it("is never retried, even with retries on", async () => {
    for (const status of STATUSES) {
      mock.reset();
      mock.injectFault({ cluster: "Cluster0", fault: { redirect: { status, location: elsewhere() } }, times: Infinity });
      await atlasErrorOf(listExportJobs(params(), { baseUrl: mock.url, accessToken: MOCK_TOKEN, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } }));
      assert.equal(apiGets().length, 1, `${status}: one request`);
    }
  });

  it("names the origin only, whatever the Location holds: user info, another scheme, a relative path", async () => {
    const port = new URL(other.url).port;
    for (const [location, origin] of [
      [`http://alice:${MOCK_TOKEN}@127.0.0.1:${port}/x`, other.url],
      [`HTTP://127.0.0.1:${port}?token=${MOCK_TOKEN}`, other.url],
      [`/elsewhere?token=${MOCK_TOKEN}`, mock.url],
    ]) {
      mock.injectFault({ cluster: "Cluster0", fault: { redirect: { status: 302, location } } });
      const error = await atlasErrorOf(listExportJobs(params(), { baseUrl: mock.url, accessToken: MOCK_TOKEN }));
      assert.deepEqual([error.kind, error.location], ["api", origin], location);
      assert.ok(!JSON.stringify(error).includes(MOCK_TOKEN), location);
    }
  });

  it("through a custom fetch, which gets a Request that says not to follow", async () => {
    const fetched = [];
    const fetchFn = (request) => {
      fetched.push(request.redirect);
      return fetch(request);
    };
    for (const status of STATUSES) {
      mock.injectFault({ cluster: "Cluster0", fault: { redirect: { status, location: elsewhere() } } });
      const error = await atlasErrorOf(listExportJobs(params(), { baseUrl: mock.url, accessToken: MOCK_TOKEN, fetch: fetchFn }));
      assert.deepEqual([error.kind, error.status, error.location], ["api", status, other.url]);
    }
    assert.deepEqual(fetched, STATUSES.map(() => "manual"));
  });

  it("on a later page of a listing, it ends the listing", async () => {
    const seen = [];
    // One page at a time, so the second is asked for only once the first's jobs are taken.
    const listing = iterateExportJobs(params(), { baseUrl: mock.url, accessToken: MOCK_TOKEN, concurrency: 1 });
    const error = await atlasErrorOf(
      (async () => {
        for await (const job of listing) {
          seen.push(job.id);
          // Once the first page is in, the next request meets a redirect.
          if (seen.length === 1) mock.injectFault({ cluster: "Cluster0", fault: { redirect: { status: 307, location: elsewhere() } } });
        }
      })(),
    );
    assert.deepEqual([error.kind, error.status, error.location], ["api", 307, other.url]);
    assert.equal(seen.length, 2, "the first page's jobs, then the redirect");
  });

  it("from the token endpoint, every 3xx ends the call as kind auth before any API request", async () => {
    for (const status of STATUSES) {
      mock.reset();
      mock.injectFault({ endpoint: "token", fault: { redirect: { status, location: elsewhere() } } });
      const error = await atlasErrorOf(client("serviceAccount").listExportJobs(params()));
      assert.deepEqual([error.kind, error.status, error.location], ["auth", status, other.url], String(status));
      assert.equal(mock.stats().tokenRequests, 1, "not retried");
      assert.equal(apiGets().length, 0);
      assert.ok(!JSON.stringify(error).includes("/steal"));
    }
  });

  it("from the revocation endpoint, every 3xx makes close() reject as kind auth, and no token goes elsewhere", async () => {
    for (const status of STATUSES) {
      const atlas = client("serviceAccount");
      await atlas.listExportJobs(params());
      mock.injectFault({ endpoint: "revoke", fault: { redirect: { status, location: elsewhere() } } });
      const error = await atlasErrorOf(atlas.close());
      assert.deepEqual([error.kind, error.status, error.location], ["auth", status, other.url], String(status));
      assert.ok(!other.requests.some((r) => r.body.includes("token=")), "never token=... to the other origin");
    }
    assert.equal(mock.stats().revokeRequests, STATUSES.length, "one revocation each, not retried");
  });
});
