// No secret echoed in an error (issue 14). A failing proxy reflects the request it was sent, its
// Authorization header and form body included, into the error page, for every auth scheme (a
// bearer access token, a token broker, a service account, digest) and from the API, the token
// endpoint and the revocation endpoint; the mock hands the test what it echoed, so the test knows
// each credential as sent (an issued token, a Basic header, a digest response). No error field,
// message, stack or JSON form may hold any of them. Base URLs with a password, a query or a
// fragment are refused without quoting those.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";

import { AtlasClient, checkListExportJobs, isAtlasError, listExportJobs } from "atlas-export-jobs";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { collectEscapes, rejectionOf } from "../support/rejections.mjs";

const SCHEMES = {
  bearer: { accessToken: MOCK_TOKEN },
  broker: { auth: { type: "bearer", getToken: async () => MOCK_TOKEN } },
  serviceAccount: { auth: { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET } },
  digest: { auth: { type: "digest", publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY } },
};
const BASIC = Buffer.from(`${MOCK_CLIENT_ID}:${MOCK_CLIENT_SECRET}`).toString("base64");
// What every client here holds, whatever it sent.
const HELD = [MOCK_TOKEN, MOCK_CLIENT_SECRET, BASIC, MOCK_PRIVATE_KEY];
// How much of a body that is not an Atlas error an error keeps (`body`).
const CAPTURE_LIMIT = 16 * 1024;

const escaped = collectEscapes();

/** The credentials in a reflected request: a Bearer token, a Basic header and its secret, a digest response, a form's token. */
function credentialsIn(echo) {
  const found = [];
  const authorization = /^Authorization: (\S+) (.*)$/m.exec(echo);
  if (authorization) {
    const [, scheme, value] = authorization;
    found.push(`${scheme} ${value}`);
    if (scheme === "Bearer") found.push(value);
    if (scheme === "Basic") found.push(value, Buffer.from(value, "base64").toString().split(":").slice(1).join(":"));
    if (scheme === "Digest") found.push(/response="([^"]+)"/.exec(value)[1]);
  }
  const formToken = /(?:^|&)token=([^&\s]+)/m.exec(echo.split("\n\n").slice(1).join("\n\n"));
  if (formToken) found.push(decodeURIComponent(formToken[1]));
  return found;
}

/** Every text an error shows: message, stack, JSON, String, each field, and its cause. */
function everythingShown(error) {
  const fields = Object.entries(error).map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`);
  return [error.message, error.stack, JSON.stringify(error), String(error), ...fields, String(error.cause), String(error.cause?.stack)].join("\n");
}

function assertNoSecret(error, secrets, what) {
  assert.ok(isAtlasError(error), `${what}: not an AtlasError: ${error}`);
  const shown = everythingShown(error);
  for (const secret of secrets) {
    assert.ok(!shown.includes(secret), `${what}: the ${error.kind} error shows a credential (${secret.length} characters)`);
  }
}

describe("redaction", () => {
  let mock;
  const params = { groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 2 };
  /** A reflect fault that collects what it echoed into `echoes`. */
  const reflect = (echoes, extra = {}) => ({ reflect: { ...extra, onEcho: (echo) => echoes.push(echo) } });

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
  });
  afterEach(() => mock.reset());
  after(async () => {
    await mock.close();
    assert.deepEqual(escaped, []);
  });

  describe("a proxy reflecting the API request", () => {
    for (const scheme of Object.keys(SCHEMES)) {
      for (const format of ["html", "text", "atlas"]) {
        it(`${scheme}, ${format} page: no credential in the error`, async () => {
          const client = new AtlasClient({ baseUrl: mock.url, retry: false, ...SCHEMES[scheme] });
          // A first call gets the token, or the digest nonce, so the reflected request carries it.
          await client.listExportJobs(params);
          const echoes = [];
          mock.injectFault({ cluster: "Cluster0", fault: reflect(echoes, { format }) });
          const error = await rejectionOf(client.listExportJobs(params));
          assert.deepEqual([error.kind, error.status], ["api", 502]);
          const sent = credentialsIn(echoes[0]);
          assert.ok(sent.length >= 2, "the echo holds the Authorization header");
          assertNoSecret(error, [...HELD, ...sent], `${scheme} ${format}`);
          // What the proxy said is kept, only the credentials are replaced.
          assert.ok(everythingShown(error).includes("[redacted]"));
        });
      }
    }
  });

  describe("a credential straddling the end of the captured body", () => {
    for (const scheme of Object.keys(SCHEMES)) {
      it(`${scheme}: no part of it is kept`, async () => {
        const client = new AtlasClient({ baseUrl: mock.url, retry: false, ...SCHEMES[scheme] });
        await client.listExportJobs(params);
        // A first reflection shows where the secret part sits in the header's value.
        const probe = [];
        mock.injectFault({ cluster: "Cluster0", fault: reflect(probe, { format: "text" }) });
        await rejectionOf(client.listExportJobs(params));
        const value = /^Authorization: (.*)$/m.exec(probe[0])[1];
        const secret = credentialsIn(probe[0]).at(-1);
        // Half of the secret inside the captured body, half past its end.
        const at = CAPTURE_LIMIT - value.indexOf(secret) - Math.floor(secret.length / 2);
        const echoes = [];
        mock.injectFault({ cluster: "Cluster0", fault: reflect(echoes, { format: "text", at }) });
        const error = await rejectionOf(client.listExportJobs(params));
        assert.equal(error.kind, "api");
        const sent = credentialsIn(echoes[0]).at(-1);
        assert.equal(error.body.length <= CAPTURE_LIMIT, true);
        // Eight characters of a secret are already part of it.
        assert.ok(!error.body.includes(sent.slice(0, 8)), `the body ends with ${Math.floor(sent.length / 2)} characters of the ${scheme} credential`);
      });
    }
  });

  describe("a proxy reflecting the token request", () => {
    for (const format of ["html", "text", "oauth"]) {
      it(`${format} page: no client secret or Basic header in the auth error`, async () => {
        const echoes = [];
        mock.injectFault({ endpoint: "token", fault: reflect(echoes, { format }) });
        const error = await rejectionOf(new AtlasClient({ baseUrl: mock.url, ...SCHEMES.serviceAccount }).listExportJobs(params));
        assert.deepEqual([error.kind, error.status], ["auth", 502]);
        const sent = credentialsIn(echoes[0]);
        assert.ok(sent.includes(BASIC) && sent.includes(MOCK_CLIENT_SECRET), "the echo holds the Basic header");
        assertNoSecret(error, [...HELD, ...sent], `token ${format}`);
      });
    }
  });

  describe("a proxy reflecting the revocation", () => {
    for (const format of ["html", "text", "oauth"]) {
      it(`${format} page: close() rejects without the token or the Basic header`, async () => {
        const client = new AtlasClient({ baseUrl: mock.url, ...SCHEMES.serviceAccount });
        await client.listExportJobs(params);
        const echoes = [];
        mock.injectFault({ endpoint: "revoke", fault: reflect(echoes, { format }) });
        const error = await rejectionOf(client.close());
        assert.deepEqual([error.kind, error.status], ["auth", 502]);
        const sent = credentialsIn(echoes[0]);
        assert.equal(sent.length, 4, "the echo holds the Basic header and the form's token");
        assertNoSecret(error, [...HELD, ...sent], `revoke ${format}`);
      });
    }
  });

  it("a redirect whose Location echoes the token: not in the error", async () => {
    // A host name may hold any token that is a valid label, as the mock's is.
    mock.injectFault({ cluster: "Cluster0", fault: { redirect: { status: 302, location: `https://${MOCK_TOKEN}.example/` } } });
    const error = await rejectionOf(listExportJobs(params, { baseUrl: mock.url, ...SCHEMES.bearer }));
    assert.deepEqual([error.kind, error.status], ["api", 302]);
    assertNoSecret(error, HELD, "Location");
  });

  describe("base URLs holding a password, a query or a fragment", () => {
    const PASSWORD = "pw-Zq81xVv7";
    const SECRET = "SECRET-Kt42wQ";
    const refused = [
      `https:/alice:${PASSWORD}@host.example`,
      `alice:${PASSWORD}@host.example`,
      `https://host.example/?apikey=${SECRET}`,
      `https://host.example/#${SECRET}`,
      `https://alice:${PASSWORD}@host.example/`,
      `https:alice:${PASSWORD}@host.example`,
      `//alice:${PASSWORD}@host.example`,
      `ftp://alice:${PASSWORD}@host.example`,
      `https://alice:${PASSWORD}@@host.example`,
      `https:///alice:${PASSWORD}@host.example`,
      `http://alice:${PASSWORD}@127.0.0.1:1/`,
      `https://host.example?apikey=${SECRET}`,
      `https://host.example/a b?apikey=${SECRET}`,
      `https://host.example/path?a=1#${SECRET}`,
      `https://host.example\\@evil.example?${SECRET}`,
    ];

    it("are refused as validation errors on baseUrl that quote neither, with zero requests", async () => {
      let requests = 0;
      const fetchFn = async () => {
        requests++;
        return new Response("{}");
      };
      for (const baseUrl of refused) {
        const options = { baseUrl, accessToken: MOCK_TOKEN, fetch: fetchFn };
        const errors = [
          checkListExportJobs(params, options),
          await rejectionOf(listExportJobs(params, options)),
          await rejectionOf((async () => new AtlasClient(options))()),
          await rejectionOf((async () => new AtlasClient({ ...options, accessToken: undefined, ...SCHEMES.serviceAccount }))()),
        ];
        for (const error of errors) {
          assert.deepEqual([error?.kind, error?.field], ["validation", "baseUrl"], baseUrl);
          assertNoSecret(error, [PASSWORD, SECRET, "alice:", ...HELD], baseUrl);
        }
      }
      assert.equal(requests, 0);
    });
  });
});
