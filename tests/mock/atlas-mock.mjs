// A mock of the Atlas Administration API's "Return All Cloud Backup Snapshot Export Jobs" endpoint
// (v2 and v1.0) on 127.0.0.1, for tests and for the demo page. It checks requests in the order
// Atlas does (faults, auth, Accept, project and cluster, query), pages the deterministic dataset,
// issues service-account tokens, challenges Digest clients, runs started export jobs through their
// states (and, given a pace, its own running jobs on its clock), and records what it was asked,
// never the credentials.
//
//   import { startMockAtlas } from "./atlas-mock.mjs";   or   node tests/mock/atlas-mock.mjs --port 8081
import { realpathSync } from "node:fs";
import { createServer } from "node:http";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import * as errors from "./api-errors.mjs";
import { Authenticator, authorizationOf } from "./auth.mjs";
import { DigestAuth, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY } from "./auth-digest.mjs";
import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, REVOKE_PATH, ServiceAccounts, TOKEN_PATH } from "./auth-service-account.mjs";
import { Clock } from "./clock.mjs";
import { buildDataset, buildJobs, clusterSpecs, jobsFor, MAX_JOBS_PER_CLUSTER, MOCK_GROUP_ID, MOCK_TOKEN } from "./dataset.mjs";
import { answerWithFault, FaultQueue } from "./faults.mjs";
import { misbehavingPage } from "./misbehaving.mjs";
import { pageBody } from "./page.mjs";
import { parseListQuery, queryObject } from "./query.mjs";
import { RateLimiter } from "./rate-limit.mjs";
import { checkRun, ClockedExports, RunningExports } from "./running-exports.mjs";

export { MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY } from "./auth-digest.mjs";
export { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET } from "./auth-service-account.mjs";

export const V2_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";
const V1_MEDIA_TYPE = "application/json";
const HOST = "127.0.0.1";
const HANG_LIMIT_MS = 30_000;
const MAX_CONTROL_BODY_BYTES = 1 << 20;
const MAX_FORM_BODY_BYTES = 64 << 10;

const EXPORTS_ROUTE = /^\/api\/atlas\/(v2|v1\.0)\/groups\/([^/]+)\/clusters\/([^/]+)\/backup\/exports$/;
const GROUP_ID_PATTERN = /^[a-f0-9]{24}$/;
const SCHEME_STATS = { Bearer: "bearer", Basic: "basic", Digest: "digest" };

// The browser test page and the demo are cross-origin to the mock, and read these headers.
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "RateLimit-Limit, RateLimit-Remaining, Retry-After, Content-Type, WWW-Authenticate",
};
const API_PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "GET, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Accept, Content-Type",
  "Access-Control-Max-Age": "600",
};
const CONTROL_PREFLIGHT_HEADERS = { ...API_PREFLIGHT_HEADERS, "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS" };
const OAUTH_PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type",
  "Access-Control-Max-Age": "600",
};

/**
 * Starts the mock on 127.0.0.1.
 * @param {object} [options]
 * @param {number} [options.port=0] 0 picks a free port
 * @param {string} [options.token=MOCK_TOKEN] the fixed Bearer token it accepts
 * @param {string} [options.publicBaseUrl] the host its links name (default: its own url)
 * @param {number} [options.maxSeconds] closes itself after this many seconds
 * @param {number} [options.latencyMs=0] delays every API and token-endpoint answer (see setLatency)
 * @param {number} [options.tokenDelayMs=0] delays each answer of the token endpoint by this many ms
 *   more (at most 30,000), once its request has arrived and been counted
 * @param {number} [options.challengeDelayMs=0] delays each 401 of the API, the answer that carries
 *   a Digest challenge, by this many ms more (at most 30,000); digestChallenges counts it once sent
 * @param {object} [options.clusters] more clusters for MOCK_GROUP_ID: `{ Size500: 500 }` or
 *   `{ Wide: { jobs: 20, shards: 3 } }`, built like the default ones
 * @param {{clientId: string, clientSecret: string}} [options.serviceAccount] default MOCK_CLIENT_ID, MOCK_CLIENT_SECRET
 * @param {number} [options.tokenLifetimeSeconds=3600] the `expires_in` of issued tokens
 * @param {number} [options.tokenRateLimit=10] token requests a minute per caller and client id
 * @param {{publicKey: string, privateKey: string}} [options.apiKey] default MOCK_PUBLIC_KEY, MOCK_PRIVATE_KEY
 * @param {number} [options.nonceLifetimeSeconds=300] how long a Digest nonce stays fresh
 * @param {() => number} [options.now=Date.now] the clock tokens, nonces, the token rate limit and
 *   jobStepMs read (ms)
 * @param {number} [options.jobStepMs] moves every Queued and InProgress job of the dataset one step
 *   on (Queued, InProgress with exportedCollections rising, then Successful, Failed or Cancelled)
 *   every jobStepMs of that clock, so a watch of any cluster ends; by default they stay as built
 * @returns {Promise<{url: string, requests: object[], injectFault(fault: object): void, reset(): void, close(): Promise<void>,
 *   setLatency(ms: number): void, addJobs(clusterName: string, count: number): {totalCount: number, ids: string[]},
 *   startExports(clusterName: string, run: {outcomes: string[], queuedFor?: number, runningFor?: number}): {ids: string[]},
 *   advanceClock(seconds: number): void, expireNonces(): void, revokeAll(): void, stats(): object}>}
 */
export async function startMockAtlas(options = {}) {
  const settings = checkOptions(options);
  const mock = new MockAtlas(settings);
  const url = await mock.listen(settings.port);
  mock.publish(settings.publicBaseUrl ?? url);
  if (settings.maxSeconds !== undefined) setTimeout(() => mock.close(), settings.maxSeconds * 1000).unref();
  return {
    url,
    /** Every API and token-endpoint request, oldest first; `at` is its arrival in performance.now() ms. */
    requests: mock.requests,
    injectFault: (fault) => mock.faults.inject(fault),
    /**
     * Clears faults, the log, rate limits and stats, drops added and started jobs, starts the
     * dataset's running jobs over (see jobStepMs) and restores latencyMs; tokens, nonces and the
     * clock stay.
     */
    reset: () => mock.reset(),
    close: () => mock.close(),
    /** Delays every later answer by `ms`. */
    setLatency: (ms) => mock.setLatency(ms),
    /** Adds `count` new jobs to `clusterName`, after its others as Atlas lists them: `{totalCount, ids}`. */
    addJobs: (clusterName, count) => mock.addJobs(clusterName, count),
    /**
     * Adds one job to `clusterName` per outcome ("Successful", "Failed", "Cancelled"), Queued. Each
     * page of that cluster the mock answers shows them as they are, then moves them one step: Queued
     * for `queuedFor` pages (default 1), InProgress for `runningFor` (default 2), then the outcome.
     * Returns `{ids}`.
     */
    startExports: (clusterName, run) => mock.startExports(clusterName, run),
    /** Moves the clock of tokens, nonces, the token rate limit and jobStepMs `seconds` forward. */
    advanceClock: (seconds) => mock.clock.advance(seconds),
    /** Makes every Digest nonce issued so far stale. */
    expireNonces: () => mock.digest.expireAll(),
    /** Revokes every service-account token issued so far. */
    revokeAll: () => mock.serviceAccounts.revokeAll(),
    /** Requests per auth scheme and to the token endpoints since the start or the last reset. */
    stats: () => mock.stats(),
  };
}

// What stats() counts: POSTs to the token and revoke endpoints and the tokens issued; API requests
// (preflights aside) by the scheme of their Authorization header, `none` when absent or unknown;
// 401 answers, each with a fresh Digest nonce, and those of them with stale=true. A delayed answer
// (tokenDelayMs, challengeDelayMs) is counted once sent: one whose client left first never is.
const ZERO_STATS = Object.freeze({
  tokenRequests: 0,
  tokensIssued: 0,
  revokeRequests: 0,
  bearer: 0,
  digest: 0,
  basic: 0,
  none: 0,
  digestChallenges: 0,
  staleChallenges: 0,
});

class MockAtlas {
  requests = [];
  faults = new FaultQueue();
  clock;
  serviceAccounts;
  digest;
  #auth;
  #rateLimiter = new RateLimiter();
  #running = new RunningExports();
  #clocked;
  #stats = { ...ZERO_STATS };
  #initialLatencyMs;
  #latencyMs;
  #tokenDelayMs;
  #challengeDelayMs;
  // Ends each delayed answer still waiting, so none outlives the server.
  #delays = new Set();
  #server = createServer((request, response) => this.#handle(request, response));
  #publicBaseUrl;
  #clusters;
  #clusterSpecs;
  #pristineDataset;
  #dataset;
  #closing;

  constructor(settings) {
    const { tokenLifetimeSeconds, tokenRateLimit, nonceLifetimeSeconds } = settings;
    this.clock = new Clock(settings.now);
    this.serviceAccounts = new ServiceAccounts({ ...settings.serviceAccount, tokenLifetimeSeconds, tokenRateLimit, clock: this.clock });
    this.digest = new DigestAuth({ ...settings.apiKey, nonceLifetimeSeconds, clock: this.clock });
    this.#auth = new Authenticator({ token: settings.token, serviceAccounts: this.serviceAccounts, digest: this.digest });
    this.#clocked = new ClockedExports({ stepMs: settings.jobStepMs, clock: this.clock });
    this.#initialLatencyMs = this.#latencyMs = settings.latencyMs;
    this.#tokenDelayMs = settings.tokenDelayMs;
    this.#challengeDelayMs = settings.challengeDelayMs;
    this.#clusters = settings.clusters;
    this.#clusterSpecs = settings.clusterSpecs;
  }

  listen(port) {
    return new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, HOST, () => {
        this.#server.off("error", reject);
        resolve(`http://${HOST}:${this.#server.address().port}`);
      });
    });
  }

  /** Builds the dataset with links that name `publicBaseUrl`. */
  publish(publicBaseUrl) {
    this.#publicBaseUrl = publicBaseUrl.replace(/\/+$/, "");
    this.#pristineDataset = buildDataset({ publicBaseUrl: this.#publicBaseUrl, clusters: this.#clusters });
    this.#dataset = new Map(this.#pristineDataset);
  }

  setLatency(ms) {
    if (!(Number.isFinite(ms) && ms >= 0)) throw new TypeError("latency is a number of ms >= 0");
    this.#latencyMs = ms;
  }

  addJobs(clusterName, count) {
    const jobs = this.#dataset.get(clusterName);
    if (!jobs) throw new TypeError(`no cluster named ${clusterName}`);
    if (!(Number.isInteger(count) && count > 0 && jobs.length + count <= MAX_JOBS_PER_CLUSTER)) {
      throw new TypeError(`count is a positive integer and a cluster holds at most ${MAX_JOBS_PER_CLUSTER} jobs`);
    }
    const { shards } = this.#clusterSpecs[clusterName];
    const added = buildJobs({ publicBaseUrl: this.#publicBaseUrl, clusterName, shards, from: jobs.length, count });
    // The dataset lists jobs oldest first, so the new ones go last; a new array, because the old
    // one is also the pristine dataset that reset() brings back.
    this.#dataset.set(clusterName, jobs.concat(added));
    this.#clocked.added(clusterName, jobs.length);
    return { totalCount: jobs.length + count, ids: added.map((job) => job.id) };
  }

  startExports(clusterName, options) {
    const run = checkRun(options);
    const { ids } = this.addJobs(clusterName, run.outcomes.length);
    const jobs = this.#dataset.get(clusterName);
    this.#dataset.set(clusterName, this.#running.start(clusterName, jobs, jobs.length - ids.length, run));
    return { ids };
  }

  stats() {
    return { ...this.#stats };
  }

  reset() {
    this.faults.clear();
    this.requests.length = 0;
    this.#rateLimiter.clear();
    this.serviceAccounts.clearRateLimits();
    this.#stats = { ...ZERO_STATS };
    this.#dataset = new Map(this.#pristineDataset);
    this.#running.clear();
    this.#clocked.restart();
    this.#latencyMs = this.#initialLatencyMs;
  }

  close() {
    this.#closing ??= new Promise((resolve) => {
      this.#server.close(() => resolve());
      // Ends keep-alive connections and hanging responses alike.
      this.#server.closeAllConnections();
      for (const end of this.#delays) end();
    });
    return this.#closing;
  }

  /**
   * Waits `ms` before an answer: true once they have passed with the connection still open; false
   * as soon as it closes (the client gave up, or close() ended it), and then nothing is answered.
   */
  #delay(ms, response) {
    if (ms <= 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const end = (passed) => {
        clearTimeout(timer);
        response.off("close", gone);
        this.#delays.delete(gone);
        resolve(passed && !response.destroyed && !response.writableEnded);
      };
      const gone = () => end(false);
      const timer = setTimeout(() => end(true), ms).unref();
      response.once("close", gone);
      this.#delays.add(gone);
    });
  }

  async #handle(request, response) {
    // Taken first, so tests can measure the delays between a client's requests.
    const at = performance.now();
    try {
      const url = new URL(request.url, "http://mock.invalid");
      if (url.pathname.startsWith("/__mock/")) await this.#control(request, response, url);
      else if (url.pathname === TOKEN_PATH || url.pathname === REVOKE_PATH) await this.#oauth(request, response, url, at);
      else await this.#api(request, response, url, at);
    } catch (error) {
      console.error("atlas-mock: internal error:", error);
      if (!response.headersSent) {
        const body = errors.apiError(500, "UNEXPECTED_ERROR", "Unexpected error in the mock.");
        response.writeHead(500, { ...CORS_HEADERS, "Content-Type": "application/json" }).end(JSON.stringify(body));
      } else {
        response.destroy();
      }
    }
  }

  // ---- the API -------------------------------------------------------------------------------

  async #api(request, response, url, at) {
    const route = EXPORTS_ROUTE.exec(url.pathname);
    const [, version, groupId, clusterName] = route?.map(decodePathSegment) ?? [];
    // A look that uses nothing up, for the log of requests a fault answers.
    const auth = this.#auth.check(request, { consume: false });
    const entry = this.#logEntry(request, url, auth, at);

    const successType = version === "v1.0" ? V1_MEDIA_TYPE : V2_MEDIA_TYPE;
    const write = writer(response, entry);
    const send = (status, text, contentType, headers = {}) =>
      write(status, text, contentType, { ...this.#rateLimiter.take(groupId ?? ""), ...headers });
    const sendError = (body, headers) => send(body.error, JSON.stringify(body), "application/json", headers);

    if (request.method === "OPTIONS") return write(204, "", undefined, API_PREFLIGHT_HEADERS);
    this.#stats[SCHEME_STATS[auth.scheme] ?? "none"] += 1;
    if (this.#latencyMs > 0) await sleep(this.#latencyMs);
    if (!route || request.method !== "GET") return sendError(errors.resourceNotFound(url.pathname));

    const fault = this.faults.take(clusterName);
    if (fault) {
      return answerWithFault(fault, {
        send,
        sendAsProxy: (status, text, contentType) => write(status, text, contentType, {}),
        destroy: () => request.socket.destroy(),
        hang: () => hang(response),
        pageText: () => JSON.stringify(this.#faultPage(groupId, clusterName, url)),
        successType,
        open: opener(response, entry),
        request,
      });
    }

    const verdict = this.#auth.check(request, { consume: true });
    entry.authorized = verdict.authorized;
    if (!verdict.authorized) {
      if (verdict.status === 400) return sendError(errors.digestUriMismatch(verdict.detail));
      if (!(await this.#delay(this.#challengeDelayMs, response))) return;
      this.#stats.digestChallenges += 1;
      if (verdict.stale) this.#stats.staleChallenges += 1;
      return sendError(errors.unauthorized(verdict.detail), this.#auth.challenge(verdict));
    }
    if (version === "v2" && !acceptsMediaType(request.headers.accept, V2_MEDIA_TYPE)) {
      return sendError(errors.notAcceptable(V2_MEDIA_TYPE));
    }
    if (!GROUP_ID_PATTERN.test(groupId)) return sendError(errors.invalidGroupId(groupId));
    if (groupId !== MOCK_GROUP_ID) return sendError(errors.groupNotFound(groupId));
    const stored = jobsFor(groupId, clusterName, this.#dataset);
    if (!stored) return sendError(errors.clusterNotFound(clusterName, groupId));
    const jobs = this.#shown(clusterName, stored);

    const query = parseListQuery(url.searchParams);
    if (!query.ok) return sendError(errors.validationError(query.violations));
    const where = { publicBaseUrl: this.#publicBaseUrl, path: url.pathname, search: url.search };
    const pageFault = this.faults.take(clusterName, "page");
    const body = pageFault ? misbehavingPage(pageFault.kind, jobs, query.value, where) : pageBody(jobs, query.value, where);
    send(200, JSON.stringify(body, null, query.value.pretty ? 2 : undefined), successType);
    // Started jobs move on once a page has shown them as they were.
    this.#dataset.set(clusterName, this.#running.advance(clusterName, stored));
  }

  /** The jobs of `clusterName` as they are now: `stored` with the dataset's running jobs moved on the clock. */
  #shown(clusterName, stored) {
    return this.#clocked.view(clusterName, stored, this.#running.runningIndexes(clusterName));
  }

  /** The page a faulty request would have had: its own when valid, else an empty one. */
  #faultPage(groupId, clusterName, url) {
    const query = parseListQuery(url.searchParams);
    const options = query.ok ? query.value : parseListQuery(new URLSearchParams()).value;
    const stored = jobsFor(groupId, clusterName, this.#dataset);
    const jobs = stored ? this.#shown(clusterName, stored) : [];
    return pageBody(jobs, options, { publicBaseUrl: this.#publicBaseUrl, path: url.pathname, search: url.search });
  }

  // ---- the service-account token endpoints ---------------------------------------------------

  async #oauth(request, response, url, at) {
    const entry = this.#logEntry(request, url, { scheme: authorizationOf(request.headers.authorization).scheme, authorized: false }, at);
    const write = writer(response, entry);
    if (request.method === "OPTIONS") return write(204, "", undefined, OAUTH_PREFLIGHT_HEADERS);
    if (this.#latencyMs > 0) await sleep(this.#latencyMs);
    if (request.method !== "POST") {
      return write(404, JSON.stringify(errors.resourceNotFound(url.pathname)), "application/json", {});
    }
    const isToken = url.pathname === TOKEN_PATH;
    this.#stats[isToken ? "tokenRequests" : "revokeRequests"] += 1;
    const fault = this.faults.takeForEndpoint(url.pathname);
    if (fault) {
      const send = (status, text, contentType, headers = {}) => write(status, text, contentType, headers);
      return answerWithFault(fault, {
        send,
        sendAsProxy: send,
        destroy: () => request.socket.destroy(),
        hang: () => hang(response),
        pageText: () => "",
        successType: "application/json",
        open: opener(response, entry),
        request,
      });
    }
    let body;
    try {
      body = await readBody(request, MAX_FORM_BODY_BYTES);
    } catch {
      const tooLarge = { error: "invalid_request", error_description: "The body is too large." };
      return write(400, JSON.stringify(tooLarge), "application/json", {});
    }
    const form = {
      authorization: request.headers.authorization,
      contentType: request.headers["content-type"],
      body,
      ip: request.socket.remoteAddress,
    };
    if (isToken && !(await this.#delay(this.#tokenDelayMs, response))) return;
    const answer = isToken ? this.serviceAccounts.token(form) : this.serviceAccounts.revoke(form);
    entry.authorized = answer.clientAuthenticated;
    if (isToken && answer.status === 200) this.#stats.tokensIssued += 1;
    if (answer.body === undefined) return write(answer.status, "", undefined, answer.headers);
    write(answer.status, JSON.stringify(answer.body), "application/json", answer.headers);
  }

  /** Logs a request: what it asked for and how it authenticated, never the credentials. */
  #logEntry(request, url, auth, at) {
    const entry = {
      method: request.method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      accept: request.headers.accept ?? null,
      authScheme: auth.scheme,
      authorized: auth.authorized,
      origin: request.headers.origin ?? null,
      status: null,
      at,
    };
    this.requests.push(entry);
    return entry;
  }

  // ---- control routes, for tests in other processes (not logged) ------------------------------

  async #control(request, response, url) {
    const reply = (status, body) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      const head = { ...CORS_HEADERS, ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
      response.writeHead(status, head).end(text);
    };
    // Runs `action` on the JSON body: 204 when it returns nothing, 200 with what it returns, 400 when it throws.
    const withJson = async (what, action) => {
      let result;
      try {
        const text = await readBody(request, MAX_CONTROL_BODY_BYTES);
        result = action(text === "" ? {} : JSON.parse(text));
      } catch (error) {
        return reply(400, { error: `${what}: ${error.message}` });
      }
      return result === undefined ? reply(204) : reply(200, result);
    };
    const route = `${request.method} ${url.pathname}`;
    if (request.method === "OPTIONS") {
      response.writeHead(204, { ...CORS_HEADERS, ...CONTROL_PREFLIGHT_HEADERS }).end();
      return;
    }
    switch (route) {
      case "GET /__mock/requests":
        return reply(200, this.requests);
      case "DELETE /__mock/requests":
        this.requests.length = 0;
        return reply(204);
      case "POST /__mock/faults":
        return withJson("not a fault", (fault) => this.faults.inject(fault));
      case "DELETE /__mock/faults":
        this.faults.clear();
        return reply(204);
      case "GET /__mock/dataset": {
        const cluster = url.searchParams.get("cluster");
        const jobs = jobsFor(MOCK_GROUP_ID, cluster, this.#dataset);
        return jobs ? reply(200, this.#shown(cluster, jobs)) : reply(404, { error: `no cluster named ${cluster}` });
      }
      case "POST /__mock/jobs":
        return withJson("no jobs added", ({ cluster, count }) => this.addJobs(cluster, count));
      case "POST /__mock/exports":
        return withJson("no exports started", ({ cluster, ...run }) => this.startExports(cluster, run));
      case "POST /__mock/latency":
        return withJson("latency unchanged", ({ ms }) => this.setLatency(ms));
      case "POST /__mock/clock":
        return withJson("clock unchanged", ({ seconds }) => this.clock.advance(seconds));
      case "POST /__mock/expire-nonces":
        this.digest.expireAll();
        return reply(204);
      case "POST /__mock/revoke-all":
        this.serviceAccounts.revokeAll();
        return reply(204);
      case "GET /__mock/stats":
        return reply(200, this.stats());
      default:
        return reply(404, { error: `no control route ${route}` });
    }
  }
}

/** Keeps `response` open without an answer, for at most HANG_LIMIT_MS (close() ends it sooner). */
function hang(response) {
  const timer = setTimeout(() => response.socket?.destroy(), HANG_LIMIT_MS).unref();
  response.once("close", () => clearTimeout(timer));
}

/** Whether an Accept header lists `mediaType` (parameters such as charset aside). */
function acceptsMediaType(accept, mediaType) {
  return (accept ?? "")
    .split(",")
    .some((range) => range.split(";")[0].trim().toLowerCase() === mediaType);
}

function decodePathSegment(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The request's body as text, rejected past `maxBytes` (the rest is read and dropped). */
function readBody(request, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > maxBytes) reject(new Error("body too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Writes one answer (once) with the CORS headers and records its status in `entry`. */
function writer(response, entry) {
  return (status, text, contentType, headers) => {
    if (response.destroyed || response.writableEnded) return;
    entry.status = status;
    const head = { ...CORS_HEADERS, ...headers };
    if (contentType !== undefined) head["Content-Type"] = contentType;
    if (status !== 204 && status !== 304) head["Content-Length"] = Buffer.byteLength(text);
    response.writeHead(status, head).end(text);
  };
}

/** Writes the head of a streamed answer with the CORS headers, records its status in `entry`, and returns `response`. */
function opener(response, entry) {
  return (status, headers) => {
    entry.status = status;
    return response.writeHead(status, { ...CORS_HEADERS, ...headers });
  };
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The options with their defaults, or a TypeError naming the first one it cannot honour. */
function checkOptions(options) {
  const {
    port = 0,
    token = MOCK_TOKEN,
    publicBaseUrl,
    maxSeconds,
    latencyMs = 0,
    tokenDelayMs = 0,
    challengeDelayMs = 0,
    clusters = {},
    serviceAccount = { clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET },
    tokenLifetimeSeconds = 3600,
    tokenRateLimit = 10,
    apiKey = { publicKey: MOCK_PUBLIC_KEY, privateKey: MOCK_PRIVATE_KEY },
    nonceLifetimeSeconds = 300,
    now = Date.now,
    jobStepMs,
  } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError("port is an integer from 0 to 65535");
  if (typeof token !== "string" || token === "") throw new TypeError("token is a non-empty string");
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new TypeError("publicBaseUrl is an absolute http(s) URL");
  }
  if (maxSeconds !== undefined && !(Number.isFinite(maxSeconds) && maxSeconds > 0)) {
    throw new TypeError("maxSeconds is a positive number");
  }
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new TypeError("latencyMs is a number >= 0");
  for (const [name, ms] of [["tokenDelayMs", tokenDelayMs], ["challengeDelayMs", challengeDelayMs]]) {
    if (!(Number.isFinite(ms) && ms >= 0 && ms <= HANG_LIMIT_MS)) throw new TypeError(`${name} is a number of ms from 0 to ${HANG_LIMIT_MS}`);
  }
  const specs = clusterSpecs(clusters);
  const nonEmpty = (value) => typeof value === "string" && value !== "";
  // Basic credentials end the client id at the first colon.
  if (!(nonEmpty(serviceAccount?.clientId) && !serviceAccount.clientId.includes(":") && nonEmpty(serviceAccount.clientSecret))) {
    throw new TypeError("serviceAccount is {clientId, clientSecret}, non-empty strings, the id without a colon");
  }
  if (!(nonEmpty(apiKey?.publicKey) && nonEmpty(apiKey.privateKey))) {
    throw new TypeError("apiKey is {publicKey, privateKey}, non-empty strings");
  }
  if (!(Number.isInteger(tokenLifetimeSeconds) && tokenLifetimeSeconds > 0)) {
    throw new TypeError("tokenLifetimeSeconds is a positive integer");
  }
  if (!(Number.isInteger(tokenRateLimit) && tokenRateLimit > 0)) throw new TypeError("tokenRateLimit is a positive integer");
  if (!(Number.isFinite(nonceLifetimeSeconds) && nonceLifetimeSeconds > 0)) {
    throw new TypeError("nonceLifetimeSeconds is a positive number");
  }
  if (typeof now !== "function") throw new TypeError("now is a function returning milliseconds since the epoch");
  if (jobStepMs !== undefined && !(Number.isFinite(jobStepMs) && jobStepMs > 0)) throw new TypeError("jobStepMs is a positive number of ms");
  return {
    port, token, publicBaseUrl, maxSeconds, latencyMs, tokenDelayMs, challengeDelayMs, clusters, clusterSpecs: specs,
    serviceAccount: { clientId: serviceAccount.clientId, clientSecret: serviceAccount.clientSecret },
    apiKey: { publicKey: apiKey.publicKey, privateKey: apiKey.privateKey },
    tokenLifetimeSeconds, tokenRateLimit, nonceLifetimeSeconds, now, jobStepMs,
  };
}

// ---- CLI ---------------------------------------------------------------------------------------

const USAGE =
  "usage: node tests/mock/atlas-mock.mjs [--port N] [--token T] [--public-base-url U] [--max-seconds S] [--latency-ms M]" +
  ` [--clusters '{"Size500":500}'] [--job-step-ms M]`;

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        token: { type: "string" },
        "public-base-url": { type: "string" },
        "max-seconds": { type: "string" },
        "latency-ms": { type: "string" },
        clusters: { type: "string" },
        "job-step-ms": { type: "string" },
      },
    }));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  const number = (text) => (text === undefined ? undefined : Number(text));
  const token = values.token ?? MOCK_TOKEN;
  let mock;
  try {
    mock = await startMockAtlas({
      port: number(values.port) ?? 0,
      token,
      publicBaseUrl: values["public-base-url"],
      maxSeconds: number(values["max-seconds"]),
      latencyMs: number(values["latency-ms"]) ?? 0,
      clusters: values.clusters === undefined ? {} : JSON.parse(values.clusters),
      jobStepMs: number(values["job-step-ms"]),
    });
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    process.exit(2);
  }
  // The one line callers parse; the token is the mock's own, fine to print.
  process.stdout.write(`${JSON.stringify({ url: mock.url, groupId: MOCK_GROUP_ID, token })}\n`);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.on(signal, () => mock.close().then(() => process.exit(0)));
  }
}

function runDirectly() {
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false; // no script path, as in the REPL or `node -e`
  }
}

if (runDirectly()) await main();
