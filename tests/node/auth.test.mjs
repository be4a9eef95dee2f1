// AtlasClient's authentication against the mock's real schemes: service-account tokens (one
// request however many calls wait, renewal on a 401 for an expired or revoked token), token
// brokers, HTTP Digest (one challenge per client, stale nonces, wrong keys), the caller's signal
// and deadline over a slow token endpoint or Digest challenge, and no secret in any error.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";

import { AtlasClient, isAtlasError, listExportJobs } from "atlas-export-jobs";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { atlasErrorOf } from "../support/rejections.mjs";

const params = { groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 2 };
const serviceAccount = { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET };
const apiKey = { type: "digest", publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY };

/** A fetch that records what was sent (to find digest responses) and can rewrite responses. */
function recordingFetch(rewrite = (response) => response) {
  const sent = [];
  const fetchFn = async (request) => {
    sent.push({ url: request.url, authorization: request.headers.get("Authorization") });
    return rewrite(await fetch(request));
  };
  return { fetchFn, sent };
}

describe("AtlasClient authentication", () => {
  let mock;
  const client = (auth, extra = {}) => new AtlasClient({ baseUrl: mock.url, auth, retry: false, ...extra });
  const apiGets = () => mock.requests.filter((r) => r.method === "GET" && r.path.includes("/backup/exports"));

  before(async () => {
    mock = await startMockAtlas({ tokenLifetimeSeconds: 60, maxSeconds: 300 });
  });
  after(() => mock.close());

  describe("service account", () => {
    it("50 concurrent calls on a fresh client cause exactly one token request", async () => {
      mock.reset();
      const atlas = client(serviceAccount);
      const pages = await Promise.all(Array.from({ length: 50 }, () => atlas.listExportJobs(params)));
      assert.equal(pages.length, 50);
      assert.ok(pages.every((page) => page.results.length === 2));
      assert.equal(mock.stats().tokenRequests, 1);
      assert.equal(apiGets().length, 50);
    });

    // The client renews a token a tenth of its life (at most a minute) before it expires on its own
    // clock (Date.now); that margin is tested with a fake clock in core/tests/service_account.rs. Here
    // the mock's clock moves instead, so the token the client still holds is one the server says
    // has expired: every call meets a 401, and the calls share one renewal.
    it("asks for exactly one more token when the server says the first has expired", async () => {
      mock.reset();
      const atlas = client(serviceAccount);
      await Promise.all(Array.from({ length: 5 }, () => atlas.listExportJobs(params)));
      assert.equal(mock.stats().tokenRequests, 1);
      mock.advanceClock(60);
      const pages = await Promise.all(Array.from({ length: 5 }, () => atlas.listExportJobs(params)));
      assert.ok(pages.every((page) => page.results.length === 2));
      assert.equal(mock.stats().tokenRequests, 2);
      assert.deepEqual(
        apiGets().slice(5).map((r) => r.status).sort(),
        [...Array(5).fill(200), ...Array(5).fill(401)],
        "each call was refused once, then answered",
      );
    });

    it("replaces a revoked token once and the call succeeds", async () => {
      mock.reset();
      const atlas = client(serviceAccount);
      await atlas.listExportJobs(params);
      mock.revokeAll();
      const page = await atlas.listExportJobs(params);
      assert.equal(page.results.length, 2);
      assert.equal(mock.stats().tokenRequests, 2);
      assert.equal(apiGets().length, 3, "the first call, the refused one, and its one retry");
    });

    it("reports bad credentials as kind auth with the server's errorCode, sending no API request", async () => {
      mock.reset();
      const error = await atlasErrorOf(client({ ...serviceAccount, clientSecret: "wrong-secret-value" }).listExportJobs(params));
      assert.equal(error.kind, "auth");
      assert.equal(error.status, 401);
      assert.equal(error.errorCode, "invalid_client");
      assert.equal(apiGets().length, 0);
    });

    it("reports the token endpoint's 429 as kind auth with its retry delay", async () => {
      const limited = await startMockAtlas({ tokenRateLimit: 1 });
      try {
        await new AtlasClient({ baseUrl: limited.url, auth: serviceAccount }).listExportJobs(params);
        const error = await atlasErrorOf(new AtlasClient({ baseUrl: limited.url, auth: serviceAccount }).listExportJobs(params));
        assert.equal(error.kind, "auth");
        assert.equal(error.status, 429);
        assert.equal(typeof error.retryAfterMs, "number");
      } finally {
        await limited.close();
      }
    });

    it("revokes its token on close()", async () => {
      mock.reset();
      const atlas = client(serviceAccount);
      await atlas.listExportJobs(params);
      await atlas.close();
      assert.equal(mock.stats().revokeRequests, 1);
    });

    it("shares its token with iterateExportJobs and listAllExportJobs", async () => {
      mock.reset();
      const atlas = client(serviceAccount);
      let count = 0;
      for await (const _ of atlas.iterateExportJobs({ ...params, itemsPerPage: 10 })) count++;
      const all = await atlas.listAllExportJobs({ ...params, itemsPerPage: 10 });
      assert.equal(count, 42);
      assert.equal(all.length, 42);
      assert.equal(mock.stats().tokenRequests, 1);
    });
  });

  describe("bearer", () => {
    it("sends a token, or what a token broker resolves to", async () => {
      assert.equal((await client({ type: "bearer", token: MOCK_TOKEN }).listExportJobs(params)).results.length, 2);
      let asked = 0;
      const broker = client({ type: "bearer", getToken: async () => (asked++, MOCK_TOKEN) });
      await broker.listExportJobs(params);
      await broker.listExportJobs(params);
      assert.equal(asked, 2);
      assert.equal((await new AtlasClient({ baseUrl: mock.url, accessToken: MOCK_TOKEN }).listExportJobs(params)).results.length, 2);
    });

    it("reports a failing broker as kind auth with its rejection as cause", async () => {
      const reason = new Error("broker down");
      const error = await atlasErrorOf(client({ type: "bearer", getToken: () => Promise.reject(reason) }).listExportJobs(params));
      assert.equal(error.kind, "auth");
      assert.equal(error.cause, reason);
      const empty = await atlasErrorOf(client({ type: "bearer", getToken: () => "" }).listExportJobs(params));
      assert.equal(empty.kind, "auth");
    });
  });

  describe("digest", () => {
    it("20 sequential calls cost 21 requests: one challenge, then the nonce is reused", async () => {
      mock.reset();
      const atlas = client(apiKey);
      for (let i = 0; i < 20; i++) assert.equal((await atlas.listExportJobs(params)).results.length, 2);
      assert.equal(apiGets().length, 21);
      assert.equal(mock.stats().digestChallenges, 1);
    });

    it("answers SHA-256, and MD5 when that is all the server offers", async () => {
      const sha = recordingFetch();
      await client(apiKey, { fetch: sha.fetchFn }).listExportJobs(params);
      assert.match(sha.sent.at(-1).authorization, /algorithm=SHA-256/);
      const md5Only = recordingFetch((response) => {
        const challenge = response.headers.get("WWW-Authenticate");
        if (!challenge) return response;
        const headers = new Headers(response.headers);
        headers.set("WWW-Authenticate", challenge.split(/,\s*(?=Digest )/).filter((c) => /algorithm="?MD5/.test(c)).join(", "));
        return new Response(response.body, { status: response.status, headers });
      });
      assert.equal((await client(apiKey, { fetch: md5Only.fetchFn }).listExportJobs(params)).results.length, 2);
      assert.match(md5Only.sent.at(-1).authorization, /algorithm=MD5/);
    });

    it("renews a stale nonce with one extra request and succeeds", async () => {
      mock.reset();
      const atlas = client(apiKey);
      await atlas.listExportJobs(params);
      mock.expireNonces();
      const before = apiGets().length;
      assert.equal((await atlas.listExportJobs(params)).results.length, 2);
      assert.equal(apiGets().length - before, 2);
    });

    it("gives a wrong private key kind api/401 without a retry loop", async () => {
      mock.reset();
      const error = await atlasErrorOf(client({ ...apiKey, privateKey: "wrong-private-key" }).listExportJobs(params));
      assert.equal(error.kind, "api");
      assert.equal(error.status, 401);
      assert.equal(apiGets().length, 2, "the challenge and one answer");
    });
  });

  describe("a token endpoint or Digest challenge that takes 3 s", () => {
    let slow;
    before(async () => {
      slow = await startMockAtlas({ tokenDelayMs: 3000, challengeDelayMs: 3000, maxSeconds: 300 });
    });
    after(() => slow.close());

    const schemes = [
      // The token request; the mock counts a token once it has sent it.
      { name: "a service account's token request", auth: serviceAccount, path: "/api/oauth/token", answered: () => slow.stats().tokensIssued },
      // The first, unauthenticated request; the mock counts a challenge once it has sent it.
      { name: "a Digest client's first request", auth: apiKey, path: "/backup/exports", answered: () => slow.stats().digestChallenges },
    ];
    const limits = [
      { name: "signal: AbortSignal.timeout(100)", callOptions: () => ({ signal: AbortSignal.timeout(100) }), kinds: ["aborted", "timeout"] },
      { name: "deadlineMs: 200", callOptions: () => ({ deadlineMs: 200 }), kinds: ["timeout"] },
    ];
    for (const scheme of schemes) {
      for (const limit of limits) {
        it(`${limit.name} ends ${scheme.name} before the server answers it`, { timeout: 10_000 }, async (t) => {
          slow.reset();
          const atlas = new AtlasClient({ baseUrl: slow.url, auth: scheme.auth });
          const started = performance.now();
          const error = await atlasErrorOf(atlas.listExportJobs(params, limit.callOptions()));
          const answeredBeforeRejection = scheme.answered();
          t.diagnostic(`rejected with kind ${error.kind} after ${Math.round(performance.now() - started)} ms; the server answers after 3000 ms`);
          assert.ok(limit.kinds.includes(error.kind), `kind ${error.kind}: ${error.message}`);
          assert.equal(answeredBeforeRejection, 0, "the call ended before the server answered");
          const sent = slow.requests.filter((r) => r.path.endsWith(scheme.path));
          assert.ok(sent.length >= 1, "the request was sent");
          assert.ok(sent.every((r) => r.status === null), "and never answered");
          if (scheme.auth === serviceAccount) {
            assert.deepEqual(slow.requests.filter((r) => r.method === "GET"), [], "no API request without a token");
          }
        });
      }
    }
  });

  it("checks its options when made, sending nothing", () => {
    for (const [options, field] of [
      [{ baseUrl: "x", auth: apiKey }, "baseUrl"],
      [{ auth: { type: "digest", publicKey: "p" } }, "auth.privateKey"],
      [{ auth: { type: "oauth" } }, "auth.type"],
      [{ auth: serviceAccount, accessToken: MOCK_TOKEN }, "auth"],
      [{}, "auth"],
      [{ auth: apiKey, fetch: "no" }, "fetch"],
    ]) {
      assert.throws(() => new AtlasClient(options), (e) => isAtlasError(e) && e.kind === "validation" && e.field === field, field);
    }
  });

  it("never shows a secret in any error of any scheme", async () => {
    const recorder = recordingFetch();
    const closed = "http://127.0.0.1:9";
    const secrets = [MOCK_TOKEN, MOCK_CLIENT_SECRET, MOCK_PRIVATE_KEY, "wrong-secret-value", "wrong-private-key", "broker-token-xyz"];
    const errors = [];
    const schemes = [
      { type: "bearer", token: MOCK_TOKEN },
      { type: "bearer", getToken: async () => "broker-token-xyz" },
      serviceAccount,
      { ...serviceAccount, clientSecret: "wrong-secret-value" },
      apiKey,
      { ...apiKey, privateKey: "wrong-private-key" },
    ];
    for (const auth of schemes) {
      const make = (extra) => new AtlasClient({ baseUrl: mock.url, auth, retry: false, fetch: recorder.fetchFn, ...extra });
      const attempts = [
        make().listExportJobs({ ...params, clusterName: "Nope" }), // api 404
        make().listExportJobs({ ...params, groupId: "bad" }), // validation
        make({ baseUrl: closed }).listExportJobs(params), // network
        make().listExportJobs(params, { signal: AbortSignal.abort("stop") }), // aborted
      ];
      mock.injectFault({ cluster: "Cluster0", fault: "hang" });
      attempts.push(make({ timeoutMs: 100 }).listExportJobs(params)); // timeout (or auth first)
      mock.injectFault({ cluster: "Sharded0", fault: "truncated" });
      attempts.push(make().listExportJobs({ ...params, clusterName: "Sharded0" })); // decode
      for (const outcome of await Promise.all(attempts.map((attempt) => attempt.then(() => undefined, (error) => error)))) {
        if (outcome) errors.push(outcome);
      }
      mock.reset();
    }
    const digestResponses = recorder.sent
      .map((s) => /response="([0-9a-f]+)"/.exec(s.authorization ?? "")?.[1])
      .filter(Boolean);
    assert.ok(digestResponses.length > 0);
    assert.ok(new Set(errors.map((e) => e.kind)).size >= 6, [...new Set(errors.map((e) => e.kind))].join());
    for (const error of errors) {
      const output = [error.message, error.stack, JSON.stringify(error), String(error.cause), String(error.cause?.stack), ...Object.values(error).map(String)].join("\n");
      for (const secret of [...secrets, ...digestResponses]) assert.ok(!output.includes(secret), `${error.kind} error shows a secret`);
    }
  });

  it("the free listExportJobs still works for one-off calls", async () => {
    assert.equal((await listExportJobs(params, { baseUrl: mock.url, accessToken: MOCK_TOKEN })).results.length, 2);
  });
});
