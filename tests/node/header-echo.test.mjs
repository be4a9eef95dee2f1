// What the package keeps or passes on from a response header is the header's meaning, written out
// again, never its text: a server or gateway that echoes the credential it was sent into
// `Retry-After` (and the rate-limit headers) gets it into none of `responseInfo(error)`, the
// error's inspection or JSON, the proxy's answer to the page, or the command's output, for a
// bearer token, a service account's token and a Digest response alike. Valid values come through
// as the package writes them: seconds as digits, a date as an IMF-fixdate; anything else is dropped.
// A redirect's Location is shown as its origin alone, parsed and written again.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, afterEach, before, describe, it } from "node:test";
import { inspect } from "node:util";

import { AtlasClient, responseInfo } from "atlas-export-jobs";
import { createAtlasProxy } from "atlas-export-jobs/server";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { collectEscapes, rejectionOf } from "../support/rejections.mjs";

const params = { groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 2 };
const BASIC = Buffer.from(`${MOCK_CLIENT_ID}:${MOCK_CLIENT_SECRET}`).toString("base64");
// What every client here holds, whatever it sent.
const HELD = [MOCK_TOKEN, MOCK_CLIENT_SECRET, BASIC, MOCK_PRIVATE_KEY];
const SCHEMES = {
  bearer: { auth: { type: "bearer", token: MOCK_TOKEN }, env: { ATLAS_ACCESS_TOKEN: MOCK_TOKEN } },
  serviceAccount: {
    auth: { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET },
    env: { ATLAS_CLIENT_ID: MOCK_CLIENT_ID, ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET },
  },
  digest: {
    auth: { type: "digest", publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY },
    env: { ATLAS_PUBLIC_KEY: MOCK_PUBLIC_KEY, ATLAS_PRIVATE_KEY: MOCK_PRIVATE_KEY },
  },
};
/** The forms of a sent Authorization value that a server may echo: the credential alone, and the whole value. */
const FORMS = {
  credential: (authorization) => (authorization.startsWith("Digest ") ? /response="([^"]+)"/.exec(authorization)[1] : authorization.replace(/^Bearer /, "")),
  header: (authorization) => authorization,
};
const RATE_LIMITED = JSON.stringify({ detail: "Too many requests.", error: 429, errorCode: "RATE_LIMITED", parameters: [], reason: "Too Many Requests" });
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"]);

const escaped = collectEscapes();

/**
 * A gateway in front of the mock on 127.0.0.1: it passes every request on, except an API request
 * that carries credentials, which it answers 429 with `form(authorization)` in `Retry-After`,
 * `RateLimit-Limit` and `RateLimit-Remaining`. `echoed` holds each value it echoed.
 */
async function startEchoGateway(upstream) {
  const gateway = { form: FORMS.credential, echoed: [] };
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const authorization = req.headers.authorization;
    if (req.url.includes("/backup/exports") && authorization !== undefined) {
      const value = gateway.form(authorization);
      gateway.echoed.push(value);
      res.writeHead(429, { "Content-Type": "application/json", "Retry-After": value, "RateLimit-Limit": value, "RateLimit-Remaining": value });
      res.end(RATE_LIMITED);
      return;
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers, body, redirect: "manual" });
    const text = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, Object.fromEntries([...answer.headers].filter(([name]) => !HOP_BY_HOP.has(name))));
    res.end(text);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  gateway.url = `http://127.0.0.1:${server.address().port}`;
  gateway.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    });
  return gateway;
}

/** Every text an error shows, its response info and hidden properties included. */
function everythingShown(error) {
  return [
    JSON.stringify(responseInfo(error)),
    inspect(responseInfo(error), { showHidden: true, depth: null }),
    inspect(error, { showHidden: true, depth: null }),
    JSON.stringify(error),
    error.message,
    String(error.stack),
  ].join("\n");
}

function assertNone(text, secrets, what) {
  for (const secret of secrets) assert.ok(!text.includes(secret), `${what}: shows a credential (${secret.length} characters)`);
}

describe("header values are facts, not text", () => {
  let mock;
  let gateway;

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
    gateway = await startEchoGateway(mock.url);
  });
  afterEach(() => {
    mock.reset();
    gateway.echoed.length = 0;
  });
  after(async () => {
    await gateway.close();
    await mock.close();
    assert.deepEqual(escaped, []);
  });

  describe("a gateway echoing the credential into Retry-After and the rate-limit headers", () => {
    for (const scheme of Object.keys(SCHEMES)) {
      for (const form of Object.keys(FORMS)) {
        it(`${scheme}, ${form}: not in responseInfo, the error's inspection or its JSON`, async () => {
          gateway.form = FORMS[form];
          const client = new AtlasClient({ baseUrl: gateway.url, auth: SCHEMES[scheme].auth, retry: false });
          const error = await rejectionOf(client.listExportJobs(params));
          assert.deepEqual([error.kind, error.status, error.errorCode], ["api", 429, "RATE_LIMITED"]);
          assert.equal(gateway.echoed.length, 1, "the gateway echoed the credential once");
          const info = responseInfo(error);
          assert.deepEqual([info.status, info.retryAfter, info.rateLimitLimit, info.rateLimitRemaining], [429, undefined, undefined, undefined]);
          assertNone(everythingShown(error), [...HELD, ...gateway.echoed], `${scheme} ${form}`);
          await client.close();
        });

        it(`${scheme}, ${form}: not in the proxy's answer to the page`, async () => {
          gateway.form = FORMS[form];
          const proxy = createAtlasProxy({ baseUrl: gateway.url, auth: SCHEMES[scheme].auth });
          try {
            const response = await proxy(new Request(`http://console.test/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`));
            assert.equal(response.status, 429);
            assert.equal(gateway.echoed.length, 1);
            const headers = [...response.headers].map(([name, value]) => `${name}: ${value}`).join("\n");
            assert.equal(response.headers.get("retry-after"), null);
            assertNone(`${headers}\n${await response.text()}`, [...HELD, ...gateway.echoed], `proxy ${scheme} ${form}`);
          } finally {
            await proxy.close();
          }
        });
      }

      it(`${scheme}: not in the command's output`, { skip: process.env.ATLAS_CONSUMER_DIR === undefined && "needs the installed package (scripts/test.sh)" }, async () => {
        const { runCli } = await import("./cli-support.mjs");
        gateway.form = FORMS.credential;
        const args = ["list", "Cluster0", "--projectId", MOCK_GROUP_ID, "--base-url", gateway.url, "--retries", "0", "--verbose", "-o", "json"];
        const { code, stdout, stderr } = await runCli(args, { env: SCHEMES[scheme].env });
        assert.equal(code, 3, stderr);
        assert.match(stderr, /429 RATE_LIMITED/);
        assert.equal(gateway.echoed.length, 1);
        assertNone(`${stdout}\n${stderr}`, [...HELD, ...gateway.echoed], `command ${scheme}`);
      });
    }
  });

  it("a Location is shown as its origin only, with no credential in it whatever its case", async () => {
    const token = "Mixed-Case-Token-9QxZ7wLmN4";
    const cased = await startMockAtlas({ token, maxSeconds: 60 });
    try {
      for (const [location, origin] of [
        [`https://${token}.example/x`, "https://[redacted].example"],
        [`https://${token.toUpperCase()}.example/x`, "https://[redacted].example"],
        // A relative reference, whatever URL its query holds, points at the request's own origin.
        [`/cb?t=${token}&u=https://x.example/`, cased.url],
        ["https://Other.Example:0443/x?y=1", "https://other.example:443"],
        ["https://bad_host.example/", "https://bad_host.example"],
        ["https://bad~host.example/", undefined],
      ]) {
        cased.injectFault({ cluster: "Cluster0", fault: { redirect: { status: 302, location } } });
        const error = await rejectionOf(new AtlasClient({ baseUrl: cased.url, auth: { type: "bearer", token }, retry: false }).listExportJobs(params));
        assert.deepEqual([error.kind, error.status, error.location], ["api", 302, origin], location);
        assertNone(everythingShown(error).toLowerCase(), [token.toLowerCase()], location);
      }
    } finally {
      await cased.close();
    }
  });

  describe("valid values come through re-written, garbage is dropped", () => {
    const cases = [
      ["120", "120"],
      [" 0120 ", "120"],
      ["Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"],
      // The date's meaning, not its text: the weekday is the date's own.
      ["Mon, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT"],
      ["Thu, 29 Feb 2024 23:59:59 GMT", "Thu, 29 Feb 2024 23:59:59 GMT"],
      ["soon", undefined],
      ["-5", undefined],
      ["1.5", undefined],
      ["Sunday, 06-Nov-94 08:49:37 GMT", undefined],
      ["Sun, 06 Nov 1994 08:49:37 UTC", undefined],
    ];

    it("in responseInfo(error).retryAfter", async () => {
      const client = new AtlasClient({ baseUrl: mock.url, auth: SCHEMES.bearer.auth, retry: false });
      for (const [sent, kept] of cases) {
        mock.injectFault({ cluster: "Cluster0", fault: { status: 429, headers: { "Retry-After": sent, "RateLimit-Limit": "1200", "RateLimit-Remaining": "x0" } } });
        const error = await rejectionOf(client.listExportJobs(params));
        assert.equal(error.status, 429, sent);
        const info = responseInfo(error);
        assert.equal(info.retryAfter, kept, JSON.stringify(sent));
        assert.deepEqual([info.rateLimitLimit, info.rateLimitRemaining], [1200, undefined], sent);
      }
    });

    it("in the proxy's Retry-After header", async () => {
      const proxy = createAtlasProxy({ baseUrl: mock.url, auth: SCHEMES.bearer.auth });
      try {
        for (const [sent, kept] of cases) {
          mock.injectFault({ cluster: "Cluster0", fault: { status: 429, headers: { "Retry-After": sent } } });
          const response = await proxy(new Request(`http://console.test/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`));
          assert.equal(response.status, 429, sent);
          assert.equal(response.headers.get("retry-after"), kept ?? null, JSON.stringify(sent));
          await response.arrayBuffer();
        }
      } finally {
        await proxy.close();
      }
    });
  });
});
