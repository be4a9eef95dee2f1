// The mock Atlas's authentication: service-account tokens (issue, expiry, revocation, bad
// credentials, the token endpoint's rate limit), HTTP Digest with MD5 and SHA-256 (nonce counts,
// stale and unknown nonces, wrong keys), the per-scheme stats, and that no secret ever shows.
// Run: node --test tests/node/mock-auth.test.mjs
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { after, afterEach, before, beforeEach, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { V2_MEDIA_TYPE } from "../../pkg-template/testing/mock-atlas.mjs";

const PATH = `/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`;
const FORM = "application/x-www-form-urlencoded";

const basic = (id = MOCK_CLIENT_ID, secret = MOCK_CLIENT_SECRET) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`;

/** POSTs a form to the token (or revoke) endpoint as a service-account client would. */
function postForm(mock, path, body, { authorization = basic(), contentType = FORM } = {}) {
  const headers = {};
  if (authorization !== null) headers.Authorization = authorization;
  if (contentType !== null) headers["Content-Type"] = contentType;
  return fetch(mock.url + path, { method: "POST", headers, body });
}

const requestToken = (mock, options) => postForm(mock, "/api/oauth/token", "grant_type=client_credentials", options);
const revoke = (mock, token, options) => postForm(mock, "/api/oauth/revoke", new URLSearchParams({ token }).toString(), options);

async function issueToken(mock) {
  const response = await requestToken(mock);
  assert.equal(response.status, 200);
  return (await response.json()).access_token;
}

/** GETs the list with `authorization` (none when null). */
function api(mock, authorization, path = PATH) {
  const headers = { Accept: V2_MEDIA_TYPE };
  if (authorization !== null) headers.Authorization = authorization;
  return fetch(mock.url + path, { headers });
}

/** The Digest challenges of a 401 (fetch joins the WWW-Authenticate headers with ", "). */
function challengeOf(response) {
  const header = response.headers.get("www-authenticate") ?? "";
  const nonces = [...header.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]);
  return {
    header,
    nonce: nonces[0],
    nonces,
    algorithms: [...header.matchAll(/algorithm=([\w-]+)/g)].map((m) => m[1]),
    stale: [...header.matchAll(/stale=(\w+)/g)].map((m) => m[1]),
  };
}

async function freshNonce(mock) {
  const response = await api(mock, null);
  assert.equal(response.status, 401);
  return challengeOf(response).nonce;
}

const HASHES = { MD5: "md5", "SHA-256": "sha256" };
const hash = (algorithm, text) => createHash(HASHES[algorithm]).update(text).digest("hex");

/** The Authorization header RFC 7616 asks of a client, and the response hash it carries. */
function digestHeader({
  nonce,
  nc = 1,
  uri = PATH,
  method = "GET",
  algorithm = "MD5",
  username = MOCK_PUBLIC_KEY,
  password = MOCK_PRIVATE_KEY,
  realm = "MMS Public API",
  cnonce = randomBytes(8).toString("hex"),
}) {
  const ncText = nc.toString(16).padStart(8, "0");
  const ha1 = hash(algorithm, `${username}:${realm}:${password}`);
  const ha2 = hash(algorithm, `${method}:${uri}`);
  const response = hash(algorithm, `${ha1}:${nonce}:${ncText}:${cnonce}:auth:${ha2}`);
  const header =
    `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", ` +
    `algorithm=${algorithm}, qop=auth, nc=${ncText}, cnonce="${cnonce}"`;
  return { header, response };
}

async function expectUnauthorized(response, { stale = "false" } = {}) {
  assert.equal(response.status, 401);
  const body = await response.json();
  assert.equal(body.errorCode, "USER_UNAUTHORIZED");
  assert.equal(body.error, 401);
  const challenge = challengeOf(response);
  assert.deepEqual(challenge.stale, [stale, stale]);
  return { body, challenge };
}

describe("service accounts", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, tokenLifetimeSeconds: 120 });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("issue a random Bearer token for the client credentials grant, accepted by the API", async () => {
    const response = await requestToken(mock);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json");
    assert.equal(response.headers.get("cache-control"), "no-store");
    assert.equal(response.headers.get("pragma"), "no-cache");
    const body = await response.json();
    assert.deepEqual(Object.keys(body), ["access_token", "token_type", "expires_in"]);
    assert.deepEqual([body.token_type, body.expires_in], ["Bearer", 120]);
    assert.match(body.access_token, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(await issueToken(mock), body.access_token);

    assert.equal((await api(mock, `Bearer ${body.access_token}`)).status, 200);
    assert.equal((await api(mock, `Bearer ${MOCK_TOKEN}`)).status, 200, "the fixed token still works");
    assert.deepEqual(
      mock.requests.map((r) => [r.method, r.path, r.authScheme, r.authorized, r.status]),
      [
        ["POST", "/api/oauth/token", "Basic", true, 200],
        ["POST", "/api/oauth/token", "Basic", true, 200],
        ["GET", PATH, "Bearer", true, 200],
        ["GET", PATH, "Bearer", true, 200],
      ],
    );
  });

  it("expire after their lifetime, on the clock advanceClock moves", async () => {
    const token = await issueToken(mock);
    mock.advanceClock(119);
    assert.equal((await api(mock, `Bearer ${token}`)).status, 200);
    assert.equal((await control(mock, "POST", "/__mock/clock", { seconds: 1 })).status, 204);
    const expired = await api(mock, `Bearer ${token}`);
    const { body } = await expectUnauthorized(expired);
    assert.match(body.detail, /expired/);
    assert.match(expired.headers.get("www-authenticate"), /^Bearer realm="atlas-mock", error="invalid_token", Digest /);
    assert.equal((await api(mock, `Bearer ${await issueToken(mock)}`)).status, 200, "a new token works");
    assert.throws(() => mock.advanceClock(-1), TypeError);
  });

  it("are revoked one by one, or all at once, and then refused", async () => {
    const [first, second, third] = [await issueToken(mock), await issueToken(mock), await issueToken(mock)];
    const revoked = await revoke(mock, first);
    assert.equal(revoked.status, 200);
    assert.equal(await revoked.text(), "");
    await expectUnauthorized(await api(mock, `Bearer ${first}`));
    assert.equal((await api(mock, `Bearer ${second}`)).status, 200);
    assert.equal((await revoke(mock, "never-issued")).status, 200, "RFC 7009: unknown tokens too");

    assert.equal((await control(mock, "POST", "/__mock/revoke-all")).status, 204);
    await expectUnauthorized(await api(mock, `Bearer ${second}`));
    await expectUnauthorized(await api(mock, `Bearer ${third}`));
    const replacement = await issueToken(mock);
    assert.equal((await api(mock, `Bearer ${replacement}`)).status, 200, "a revoked token is replaced once");
    mock.revokeAll();
    assert.equal((await api(mock, `Bearer ${replacement}`)).status, 401);
    assert.equal((await api(mock, `Bearer ${MOCK_TOKEN}`)).status, 200, "the fixed token is not revocable");
  });

  it("refuse wrong or missing client credentials with invalid_client", async () => {
    for (const authorization of [
      basic(MOCK_CLIENT_ID, "wrong-secret"),
      basic("mdb_sa_id_000000000000000000000000", MOCK_CLIENT_SECRET),
      basic(MOCK_CLIENT_ID, ""),
      `Basic ${Buffer.from(MOCK_CLIENT_ID).toString("base64")}`,
      "Basic !!!",
      `Bearer ${MOCK_TOKEN}`,
      null,
    ]) {
      for (const send of [requestToken, (m, o) => revoke(m, "x", o)]) {
        const response = await send(mock, { authorization });
        assert.equal(response.status, 401, String(authorization));
        assert.equal(response.headers.get("www-authenticate"), 'Basic realm="atlas-mock"');
        const body = await response.json();
        assert.deepEqual(Object.keys(body), ["error", "error_description"]);
        assert.equal(body.error, "invalid_client");
      }
    }
    assert.ok(mock.requests.every((r) => r.authorized === false && r.status === 401));
  });

  it("refuse other grants, other bodies and other methods", async () => {
    const cases = [
      ["grant_type=password&username=a&password=b", FORM, 400, "unsupported_grant_type"],
      ["grant_type=refresh_token&refresh_token=x", FORM, 400, "unsupported_grant_type"],
      ["scope=openid", FORM, 400, "invalid_request"],
      ['{"grant_type":"client_credentials"}', "application/json", 400, "invalid_request"],
      ["grant_type=client_credentials", null, 400, "invalid_request"],
    ];
    for (const [body, contentType, status, error] of cases) {
      const response = await postForm(mock, "/api/oauth/token", body, { contentType });
      assert.equal(response.status, status, body);
      const answer = await response.json();
      assert.deepEqual(Object.keys(answer), ["error", "error_description"]);
      assert.equal(answer.error, error, body);
      assert.equal(typeof answer.error_description, "string");
    }
    assert.equal((await postForm(mock, "/api/oauth/token", "grant_type=client_credentials", { contentType: `${FORM}; charset=UTF-8` })).status, 200);
    const noToken = await postForm(mock, "/api/oauth/revoke", "token_type_hint=access_token");
    assert.equal((await noToken.json()).error, "invalid_request");
    assert.equal((await fetch(`${mock.url}/api/oauth/token`)).status, 404);
  });

  it("limit the token endpoint to 10 requests a minute per client, answering 429 with Retry-After", async () => {
    const remaining = [];
    for (let i = 0; i < 10; i++) {
      const response = await requestToken(mock);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("ratelimit-limit"), "10");
      remaining.push(Number(response.headers.get("ratelimit-remaining")));
    }
    assert.deepEqual(remaining, [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    const limited = await requestToken(mock);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get("retry-after"), "60");
    const body = await limited.json();
    assert.deepEqual([body.error, body.errorCode, body.reason], [429, "RATE_LIMITED", "Too Many Requests"]);
    assert.equal((await requestToken(mock, { authorization: basic("another-client", "x") })).status, 401, "another client has its own budget");
    mock.advanceClock(60);
    assert.equal((await requestToken(mock)).status, 200);
    mock.reset();
    for (let i = 0; i < 10; i++) assert.equal((await requestToken(mock)).status, 200, "reset() clears the window");
  });

  it("answer CORS preflights for POST with Authorization and Content-Type", async () => {
    for (const path of ["/api/oauth/token", "/api/oauth/revoke"]) {
      const preflight = await fetch(mock.url + path, {
        method: "OPTIONS",
        headers: { Origin: "http://localhost:8080", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type" },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get("access-control-allow-origin"), "*");
      assert.equal(preflight.headers.get("access-control-allow-methods"), "POST, OPTIONS");
      assert.equal(preflight.headers.get("access-control-allow-headers"), "Authorization, Content-Type");
    }
    assert.equal((await requestToken(mock)).headers.get("access-control-allow-origin"), "*");
    assert.deepEqual(mock.stats().tokenRequests, 1, "preflights are not token requests");
  });
});

describe("service-account options", () => {
  let mock;
  afterEach(() => mock?.close());

  it("take other credentials, a lower rate limit and a clock of the test's own", async () => {
    let now = Date.UTC(2026, 0, 1);
    mock = await startMockAtlas({
      serviceAccount: { clientId: "mdb_sa_id_custom", clientSecret: "custom-secret" },
      tokenRateLimit: 2,
      tokenLifetimeSeconds: 30,
      now: () => now,
    });
    assert.equal((await requestToken(mock)).status, 401, "the default account is not accepted");
    const authorization = basic("mdb_sa_id_custom", "custom-secret");
    const response = await requestToken(mock, { authorization });
    assert.equal(response.status, 200);
    const { access_token: token, expires_in: lifetime } = await response.json();
    assert.equal(lifetime, 30);
    assert.equal((await requestToken(mock, { authorization })).status, 200, "the default id's attempt counted for it alone");
    const limited = await requestToken(mock, { authorization });
    assert.equal(limited.status, 429);
    now += 20_000;
    assert.equal(limited.headers.get("retry-after"), "60");
    const later = await requestToken(mock, { authorization });
    assert.equal(later.status, 429);
    assert.equal(later.headers.get("retry-after"), "40", "the wait shrinks as the clock moves");
    assert.equal((await api(mock, `Bearer ${token}`)).status, 200);
    now += 10_000;
    assert.equal((await api(mock, `Bearer ${token}`)).status, 401, "expired on the test's clock");
    now += 30_000;
    assert.equal((await requestToken(mock, { authorization })).status, 200);
  });

  it("are refused when they cannot be honoured", async () => {
    for (const options of [
      { serviceAccount: { clientId: "a:b", clientSecret: "s" } },
      { serviceAccount: { clientId: "a" } },
      { serviceAccount: null },
      { apiKey: { publicKey: "", privateKey: "p" } },
      { tokenLifetimeSeconds: 0 },
      { tokenLifetimeSeconds: 1.5 },
      { tokenRateLimit: 0 },
      { nonceLifetimeSeconds: -1 },
      { now: 5 },
    ]) {
      await assert.rejects(startMockAtlas(options), TypeError, JSON.stringify(options));
    }
    mock = undefined;
  });
});

describe("delayed token answers and Digest challenges", () => {
  let mock;
  afterEach(() => mock?.close());

  /** Waits for `condition`, checking every 5 ms, at most 400 times. */
  async function until(condition) {
    for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(condition());
  }

  it("hold their answers, counting nothing until sent, and end when the mock closes", { timeout: 10_000 }, async () => {
    mock = await startMockAtlas({ tokenDelayMs: 30_000, challengeDelayMs: 30_000 });
    const token = requestToken(mock);
    const challenge = api(mock, null);
    await until(() => mock.stats().tokenRequests === 1 && mock.stats().none === 1);
    assert.equal(mock.stats().tokensIssued, 0);
    assert.equal(mock.stats().digestChallenges, 0);
    assert.deepEqual(mock.requests.map((r) => r.status), [null, null]);
    await mock.close();
    await assert.rejects(token, TypeError);
    await assert.rejects(challenge, TypeError);
    assert.equal(mock.stats().tokensIssued, 0);
    assert.equal(mock.stats().digestChallenges, 0);
  });

  it("answer once the delay has passed, and never answer a client that left", async () => {
    // A token delay long enough for the mock to hear the client leave first, even on a busy machine.
    mock = await startMockAtlas({ tokenDelayMs: 1000, challengeDelayMs: 20 });
    assert.equal((await requestToken(mock)).status, 200);
    assert.equal(challengeOf(await api(mock, null)).nonces.length, 2);
    assert.deepEqual([mock.stats().tokensIssued, mock.stats().digestChallenges], [1, 1]);

    const controller = new AbortController();
    const left = fetch(`${mock.url}/api/oauth/token`, {
      method: "POST",
      headers: { Authorization: basic(), "Content-Type": FORM },
      body: "grant_type=client_credentials",
      signal: controller.signal,
    });
    await until(() => mock.stats().tokenRequests === 2);
    controller.abort();
    await assert.rejects(left, { name: "AbortError" });
    // Asked after the one that left, with the same delay: once it is answered, that one's is over.
    assert.equal((await requestToken(mock)).status, 200);
    assert.equal(mock.stats().tokensIssued, 2, "the answer nobody waited for was not issued");
    assert.equal(mock.requests[2].status, null);
  });

  it("are refused past 30 s or below 0", async () => {
    for (const options of [{ tokenDelayMs: -1 }, { tokenDelayMs: 30_001 }, { challengeDelayMs: Number.NaN }, { challengeDelayMs: "5" }]) {
      await assert.rejects(startMockAtlas(options), TypeError, JSON.stringify(options));
    }
    mock = undefined;
  });
});

describe("HTTP Digest", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60, nonceLifetimeSeconds: 30 });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("challenges a request without credentials with MD5 and SHA-256, after the Bearer challenge", async () => {
    const response = await api(mock, null);
    const { challenge } = await expectUnauthorized(response);
    assert.deepEqual(challenge.algorithms, ["MD5", "SHA-256"]);
    assert.equal(challenge.nonces[0], challenge.nonces[1]);
    const nonce = challenge.nonce;
    assert.equal(
      challenge.header,
      `Bearer realm="atlas-mock", ` +
        `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=MD5, qop="auth", stale=false, ` +
        `Digest realm="MMS Public API", domain="", nonce="${nonce}", algorithm=SHA-256, qop="auth", stale=false`,
    );
    assert.notEqual((await freshNonce(mock)), nonce, "a new nonce every time");
  });

  it("sends each challenge as a WWW-Authenticate header of its own", async () => {
    const raw = await new Promise((resolve, reject) => {
      const request = httpRequest(mock.url + PATH, { headers: { Accept: V2_MEDIA_TYPE } }, (response) => {
        response.resume();
        resolve(response.rawHeaders);
      });
      request.setTimeout(5000, () => request.destroy(new Error("timed out")));
      request.on("error", reject).end();
    });
    const values = raw.filter((_, i) => i % 2 === 1 && raw[i - 1].toLowerCase() === "www-authenticate");
    assert.equal(values.length, 3);
    assert.match(values[0], /^Bearer /);
    assert.match(values[1], /^Digest .*algorithm=MD5,/);
    assert.match(values[2], /^Digest .*algorithm=SHA-256,/);
  });

  for (const algorithm of ["MD5", "SHA-256"]) {
    it(`accepts a correct ${algorithm} response, with increasing nonce counts`, async () => {
      const nonce = await freshNonce(mock);
      for (const nc of [1, 2, 7]) {
        const response = await api(mock, digestHeader({ nonce, nc, algorithm }).header);
        assert.equal(response.status, 200, `nc=${nc}`);
        assert.equal((await response.json()).totalCount, 42);
      }
      assert.deepEqual(mock.requests.slice(1).map((r) => [r.authScheme, r.authorized]), [
        ["Digest", true],
        ["Digest", true],
        ["Digest", true],
      ]);
    });
  }

  it("takes the query as part of the uri, and refuses a uri that is not the request's", async () => {
    const nonce = await freshNonce(mock);
    const path = `${PATH}?itemsPerPage=2&pageNum=3`;
    assert.equal((await api(mock, digestHeader({ nonce, uri: path }).header, path)).status, 200);
    const mismatch = await api(mock, digestHeader({ nonce, nc: 2, uri: PATH }).header, path);
    assert.equal(mismatch.status, 400);
    assert.equal((await mismatch.json()).errorCode, "VALIDATION_ERROR");
    assert.equal((await api(mock, digestHeader({ nonce, nc: 2, uri: path }).header, path)).status, 200, "nc 2 was not used up");
  });

  it("refuses a repeated or lower nonce count with a fresh challenge", async () => {
    const nonce = await freshNonce(mock);
    const first = digestHeader({ nonce, nc: 1 });
    assert.equal((await api(mock, first.header)).status, 200);
    assert.equal((await api(mock, digestHeader({ nonce, nc: 5 }).header)).status, 200);
    for (const header of [first.header, digestHeader({ nonce, nc: 5 }).header, digestHeader({ nonce, nc: 3 }).header]) {
      const { body, challenge } = await expectUnauthorized(await api(mock, header));
      assert.match(body.detail, /nonce count/);
      assert.notEqual(challenge.nonce, nonce);
    }
    assert.equal((await api(mock, digestHeader({ nonce, nc: 6 }).header)).status, 200, "the nonce itself is still good");
  });

  it("answers stale=true with a new nonce when the nonce has expired, on the clock or on demand", async () => {
    let nonce = await freshNonce(mock);
    assert.equal((await api(mock, digestHeader({ nonce }).header)).status, 200);
    mock.advanceClock(30);
    let { challenge } = await expectUnauthorized(await api(mock, digestHeader({ nonce, nc: 2 }).header), { stale: "true" });
    assert.notEqual(challenge.nonce, nonce);
    nonce = challenge.nonce;
    assert.equal((await api(mock, digestHeader({ nonce, algorithm: "SHA-256" }).header)).status, 200, "the new nonce works");

    mock.expireNonces();
    ({ challenge } = await expectUnauthorized(await api(mock, digestHeader({ nonce, nc: 2 }).header), { stale: "true" }));
    nonce = challenge.nonce;
    assert.equal((await control(mock, "POST", "/__mock/expire-nonces")).status, 204);
    await expectUnauthorized(await api(mock, digestHeader({ nonce }).header), { stale: "true" });
    // stale=true promises the key was right: a wrong one on a stale nonce is just wrong.
    await expectUnauthorized(await api(mock, digestHeader({ nonce, nc: 2, password: "wrong" }).header));
  });

  it("answers stale=false to a nonce it never issued", async () => {
    const { body } = await expectUnauthorized(await api(mock, digestHeader({ nonce: "bm90LWEtbm9uY2UtZnJvbS1tZQ==" }).header));
    assert.match(body.detail, /not issued/);
  });

  it("refuses a wrong private key, a wrong public key and a wrong realm with USER_UNAUTHORIZED", async () => {
    const nonce = await freshNonce(mock);
    for (const wrong of [{ password: "wrong" }, { username: "otherkey" }, { realm: "Other" }, { algorithm: "SHA-256", password: "x" }]) {
      const { body } = await expectUnauthorized(await api(mock, digestHeader({ nonce, ...wrong }).header));
      assert.deepEqual(Object.keys(body), ["detail", "error", "errorCode", "parameters", "reason"]);
      assert.match(body.detail, /not authenticated/);
    }
    assert.equal((await api(mock, digestHeader({ nonce }).header)).status, 200, "failures use up no nonce count");
  });

  it("refuses malformed credentials and what it does not offer", async () => {
    const nonce = await freshNonce(mock);
    const good = digestHeader({ nonce }).header;
    for (const header of [
      good.replace(/, cnonce="[^"]*"/, ""),
      good.replace("qop=auth", "qop=auth-int"),
      good.replace("algorithm=MD5", "algorithm=MD5-sess"),
      good.replace(/nc=\w+/, "nc=1"),
      good.replace('username="', 'username="x", username="'),
      'Digest username="unterminated',
      "Digest",
    ]) {
      await expectUnauthorized(await api(mock, header));
    }
    assert.equal((await api(mock, good)).status, 200);
  });

  it("accepts the API key it is given", async () => {
    const other = await startMockAtlas({ apiKey: { publicKey: "abcdefgh", privateKey: "d1b4c7e0-0000-4000-8000-123456789abc" } });
    try {
      const nonce = await freshNonce(other);
      await expectUnauthorized(await api(other, digestHeader({ nonce }).header));
      const own = digestHeader({ nonce, username: "abcdefgh", password: "d1b4c7e0-0000-4000-8000-123456789abc" });
      assert.equal((await api(other, own.header)).status, 200);
    } finally {
      await other.close();
    }
  });
});

describe("stats and secrets", () => {
  let mock;
  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 60 });
  });
  after(() => mock.close());
  beforeEach(() => mock.reset());

  it("counts requests per scheme and to the token endpoints", async () => {
    const token = await issueToken(mock);
    await requestToken(mock, { authorization: basic("x", "y") });
    await revoke(mock, token);
    await api(mock, `Bearer ${MOCK_TOKEN}`);
    await api(mock, `Bearer ${token}`);
    const nonce = await freshNonce(mock);
    await api(mock, digestHeader({ nonce }).header);
    mock.expireNonces();
    await api(mock, digestHeader({ nonce, nc: 2 }).header);
    await api(mock, basic());
    await api(mock, "Negotiate abc");
    const expected = {
      tokenRequests: 2,
      tokensIssued: 1,
      revokeRequests: 1,
      bearer: 2,
      digest: 2,
      basic: 1,
      none: 2,
      digestChallenges: 5,
      staleChallenges: 1,
    };
    assert.deepEqual(mock.stats(), expected);
    assert.deepEqual(await control(mock, "GET", "/__mock/stats").then((r) => r.json()), expected);
    mock.reset();
    assert.ok(Object.values(mock.stats()).every((count) => count === 0));
  });

  it("never shows a client secret, private key, token or digest response in the log or an answer", async () => {
    const texts = [];
    const keep = async (response, { skipBody = false } = {}) => {
      texts.push(JSON.stringify([...response.headers]));
      const body = await response.text();
      if (!skipBody) texts.push(body);
      return body;
    };
    // The token answer itself is the one place its token may appear.
    const token = JSON.parse(await keep(await requestToken(mock), { skipBody: true })).access_token;
    const secrets = [MOCK_CLIENT_SECRET, MOCK_PRIVATE_KEY, token, basic().slice(6)];
    await keep(await requestToken(mock, { authorization: basic(MOCK_CLIENT_ID, "leaked-guess-1") }));
    await keep(await revoke(mock, "some-token-value-xyz"));
    await keep(await api(mock, `Bearer ${token}`));
    await keep(await revoke(mock, token));
    await keep(await api(mock, `Bearer ${token}`));
    const nonce = await freshNonce(mock);
    for (const options of [{ nonce }, { nonce, nc: 1 }, { nonce, nc: 2, password: "wrong-private-key" }, { nonce, nc: 3, uri: "/x" }]) {
      const { header, response } = digestHeader(options);
      secrets.push(response);
      await keep(await api(mock, header));
    }
    mock.injectFault({ fault: { status: 500 } });
    await keep(await api(mock, digestHeader({ nonce, nc: 9 }).header));
    texts.push(JSON.stringify(mock.requests), await control(mock, "GET", "/__mock/requests").then((r) => r.text()));
    texts.push(JSON.stringify(mock.stats()));
    secrets.push("leaked-guess-1", "some-token-value-xyz", "wrong-private-key");
    for (const text of texts) {
      for (const secret of secrets) assert.ok(!text.includes(secret), `${secret} in ${text.slice(0, 200)}`);
    }
    for (const entry of mock.requests) {
      assert.deepEqual(Object.keys(entry), ["method", "path", "query", "accept", "authScheme", "authorized", "origin", "status", "at"]);
    }
  });
});

function control(mock, method, path, body) {
  return fetch(mock.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}
