// A mock of the Atlas Administration API's "Return All Cloud Backup Snapshot Export Jobs" endpoint
// (v2 and v1.0), for tests and for the demo page. It checks requests in the order Atlas does
// (faults, auth, Accept, project and cluster, query), pages the deterministic dataset, issues
// service-account tokens, challenges Digest clients, runs started export jobs through their states
// (and, given a pace, its own running jobs on its clock), moves jobs where a test puts them, and
// records what it was asked, never the credentials.
//
// This is the mock without a transport: `MockAtlas.handle` takes one request as the mock sees it
// and resolves to its answer, and imports nothing of Node, so that it runs in a browser too. Two
// transports carry it: node:http on 127.0.0.1 (server.mjs, startMockAtlas) and an in-memory fetch
// (fetch.mjs, mockFetch).
import * as errors from "./api-errors.mjs";
import { Authenticator, authorizationOf } from "./auth.mjs";
import { DigestAuth, MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY } from "./auth-digest.mjs";
import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, REVOKE_PATH, ServiceAccounts, TOKEN_PATH } from "./auth-service-account.mjs";
import { Clock } from "./clock.mjs";
import { buildDataset, buildJobs, clusterSpecs, copyJobs, jobInState, jobsFor, MAX_JOBS_PER_CLUSTER, MOCK_GROUP_ID, MOCK_TOKEN } from "./dataset.mjs";
import { answerWithFault, FaultQueue } from "./faults.mjs";
import { misbehavingPage } from "./misbehaving.mjs";
import { checkExportedCollections, checkMovable, checkState, MovedJobs } from "./moved-jobs.mjs";
import { pageBody } from "./page.mjs";
import { parseListQuery, queryObject } from "./query.mjs";
import { RateLimiter } from "./rate-limit.mjs";
import { checkRun, ClockedExports, RunningExports } from "./running-exports.mjs";

export { MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY } from "./auth-digest.mjs";
export { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET } from "./auth-service-account.mjs";

export const V2_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";
export const V1_MEDIA_TYPE = "application/json";
/** The longest a "hang" fault holds a request before the connection is dropped. */
export const HANG_LIMIT_MS = 30_000;
const MAX_CONTROL_BODY_BYTES = 1 << 20;
const MAX_FORM_BODY_BYTES = 64 << 10;

export const EXPORTS_ROUTE = /^\/api\/atlas\/(v2|v1\.0)\/groups\/([^/]+)\/clusters\/([^/]+)\/backup\/exports$/;
export const GROUP_ID_PATTERN = /^[a-f0-9]{24}$/;
const SCHEME_STATS = { Bearer: "bearer", Basic: "basic", Digest: "digest" };

// The browser test page and the demo are cross-origin to the mock, and read these headers.
export const CORS_HEADERS = Object.freeze({
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "RateLimit-Limit, RateLimit-Remaining, Retry-After, Content-Type, WWW-Authenticate",
});
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

/**
 * The mock. A transport hands `handle` each request as an exchange:
 *   {method, target, url, headers, rawHeaders, httpVersion, ip, signal, gone(), readBody(max), readSome(max)}
 * `target` is the request-target as sent (path and query; Digest credentials name it), `url` the
 * same relative to the mock's root (they differ only under mockFetch's path prefix), `headers`
 * lower-case names to values, `rawHeaders` [name, value, ...] as sent, `ip` the caller's address,
 * `signal` aborts and `gone()` is true once the client has left, `readBody(max)` resolves to the
 * body as text (rejecting past `max` bytes) and `readSome(max)` to its first `max` bytes as text.
 * `handle` resolves to one answer:
 *   {status, headers, body, sized}: body text; `sized`: the transport adds Content-Length
 *   {status, headers, bomb}: a bomb fault (bombs.mjs) the transport streams
 *   {drop: true}: the connection is dropped with no answer
 *   {hang: promise}: no answer until the promise resolves (close(), the client leaving, or
 *     HANG_LIMIT_MS), then the connection is dropped
 *   undefined: the client left first (or close() came); nothing is answered
 */
export class MockAtlas {
  requests = [];
  faults = new FaultQueue();
  clock;
  serviceAccounts;
  digest;
  settings;
  #auth;
  #rateLimiter = new RateLimiter();
  #running = new RunningExports();
  #clocked;
  #moved = new MovedJobs();
  #stats = { ...ZERO_STATS };
  #initialLatencyMs;
  #latencyMs;
  #tokenDelayMs;
  #challengeDelayMs;
  #requireAuth;
  // Ends each wait still pending (delayed answers, hangs), so none outlives close().
  #waits = new Set();
  #publicBaseUrl;
  #clusters;
  #clusterSpecs;
  #pristineDataset;
  #dataset;
  #closed = false;

  constructor(settings) {
    const { tokenLifetimeSeconds, tokenRateLimit, nonceLifetimeSeconds } = settings;
    this.settings = settings;
    this.clock = new Clock(settings.now);
    this.serviceAccounts = new ServiceAccounts({ ...settings.serviceAccount, tokenLifetimeSeconds, tokenRateLimit, clock: this.clock });
    this.digest = new DigestAuth({ ...settings.apiKey, nonceLifetimeSeconds, clock: this.clock });
    this.#auth = new Authenticator({ token: settings.token, serviceAccounts: this.serviceAccounts, digest: this.digest });
    this.#clocked = new ClockedExports({ stepMs: settings.jobStepMs, clock: this.clock });
    this.#initialLatencyMs = this.#latencyMs = settings.latencyMs;
    this.#tokenDelayMs = settings.tokenDelayMs;
    this.#challengeDelayMs = settings.challengeDelayMs;
    this.#requireAuth = settings.requireAuth;
    this.#clusters = settings.clusters;
    this.#clusterSpecs = settings.clusterSpecs;
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

  /** Adds `count` built jobs to `clusterName`, or the jobs of an array (copied), after its others. */
  addJobs(clusterName, count) {
    const jobs = this.#storedJobs(clusterName);
    // Removed jobs keep their places (moved-jobs.mjs), so they count towards the most a cluster holds.
    let added;
    if (Array.isArray(count)) {
      if (count.length === 0 || jobs.length + count.length > MAX_JOBS_PER_CLUSTER) {
        throw new TypeError(`jobs is a non-empty array and a cluster holds at most ${MAX_JOBS_PER_CLUSTER} jobs`);
      }
      added = copyJobs(count);
    } else {
      if (!(Number.isInteger(count) && count > 0 && jobs.length + count <= MAX_JOBS_PER_CLUSTER)) {
        throw new TypeError(`count is a positive integer and a cluster holds at most ${MAX_JOBS_PER_CLUSTER} jobs`);
      }
      const { shards } = this.#clusterSpecs[clusterName];
      added = buildJobs({ publicBaseUrl: this.#publicBaseUrl, clusterName, shards, from: jobs.length, count });
    }
    // The dataset lists jobs oldest first, so the new ones go last; a new array, because the old
    // one is also the pristine dataset that reset() brings back.
    const stored = jobs.concat(added);
    this.#dataset.set(clusterName, stored);
    this.#clocked.added(clusterName, jobs.length);
    return { totalCount: this.#moved.listed(clusterName, stored).length, ids: added.map((job) => job.id) };
  }

  startExports(clusterName, options) {
    const run = checkRun(options);
    const { ids } = this.addJobs(clusterName, run.outcomes.length);
    const jobs = this.#dataset.get(clusterName);
    this.#dataset.set(clusterName, this.#running.start(clusterName, jobs, jobs.length - ids.length, run));
    return { ids };
  }

  /**
   * Puts job `jobId` of `clusterName` in `state` (with `exportedCollections`, when given) from the
   * next page on, where it stays: neither pages nor the clock move it any more. Returns the job as
   * a page will show it (a copy).
   */
  setJobState(clusterName, jobId, state, options = {}) {
    const stored = this.#storedJobs(clusterName);
    const index = this.#moved.indexOf(clusterName, stored, jobId);
    checkState(state);
    if (options === null || typeof options !== "object") throw new TypeError("options is an object: { exportedCollections }");
    const { exportedCollections } = options;
    checkMovable(stored[index]);
    checkExportedCollections(exportedCollections, stored[index].exportStatus.totalCollections);
    const moved = jobInState(stored[index], state, index, { exported: exportedCollections });
    // A new array, because the old one may be the pristine dataset that reset() brings back.
    const jobs = stored.slice();
    jobs[index] = moved;
    this.#dataset.set(clusterName, jobs);
    this.#running.drop(clusterName, index);
    this.#moved.hold(clusterName, index);
    return structuredClone(moved);
  }

  /** Lists job `jobId` of `clusterName` no more, from the next page on: `{totalCount}`, the jobs it lists now. */
  removeJob(clusterName, jobId) {
    const stored = this.#storedJobs(clusterName);
    const index = this.#moved.indexOf(clusterName, stored, jobId);
    this.#running.drop(clusterName, index);
    this.#moved.remove(clusterName, index);
    return { totalCount: this.#moved.listed(clusterName, stored).length };
  }

  /** The jobs of `clusterName` as a page would show them now (copies), or undefined when there is no such cluster. */
  jobs(clusterName) {
    const stored = jobsFor(MOCK_GROUP_ID, clusterName, this.#dataset);
    return stored && structuredClone(this.#shown(clusterName, stored));
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
    this.#moved.clear();
    this.#clocked.restart();
    this.#latencyMs = this.#initialLatencyMs;
  }

  /** Ends every pending wait: delayed answers are not sent, hangs end. */
  close() {
    this.#closed = true;
    for (const end of this.#waits) end();
  }

  /**
   * Waits `ms`: true once they have passed with the client still there; false as soon as it
   * leaves (or close() comes), and then nothing is answered.
   */
  #wait(ms, exchange) {
    const { signal } = exchange;
    if (this.#closed || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const end = (passed) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", gone);
        this.#waits.delete(gone);
        resolve(passed && !exchange.gone());
      };
      const gone = () => end(false);
      const timer = unref(setTimeout(() => end(true), ms));
      signal?.addEventListener("abort", gone, { once: true });
      this.#waits.add(gone);
    });
  }

  #delay(ms, exchange) {
    return ms <= 0 ? Promise.resolve(true) : this.#wait(ms, exchange);
  }

  /** Answers one request (see the class comment). */
  async handle(exchange) {
    // Taken first, so tests can measure the delays between a client's requests.
    const at = performance.now();
    try {
      const url = targetUrl(exchange.url);
      if (url === undefined) {
        const body = JSON.stringify(errors.invalidRequestTarget());
        return { status: 400, headers: { ...CORS_HEADERS, "Content-Type": "application/json" }, body, sized: true };
      }
      if (url.pathname.startsWith("/__mock/")) return await this.#control(exchange, url);
      if (url.pathname === TOKEN_PATH || url.pathname === REVOKE_PATH) return await this.#oauth(exchange, url, at);
      return await this.#api(exchange, url, at);
    } catch (error) {
      console.error("atlas-mock: internal error:", error);
      const body = errors.apiError(500, "UNEXPECTED_ERROR", "Unexpected error in the mock.");
      return { status: 500, headers: { ...CORS_HEADERS, "Content-Type": "application/json" }, body: JSON.stringify(body), sized: false };
    }
  }

  // ---- the API -------------------------------------------------------------------------------

  async #api(request, url, at) {
    const route = EXPORTS_ROUTE.exec(url.pathname);
    const [, version, groupId, clusterName] = route?.map(decodePathSegment) ?? [];
    // A look that uses nothing up, for the log of requests a fault answers.
    const auth = this.#auth.check(request, { consume: false });
    const entry = this.#logEntry(request, url, auth, at);

    const successType = version === "v1.0" ? V1_MEDIA_TYPE : V2_MEDIA_TYPE;
    const write = writer(request, entry);
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
        destroy: () => ({ drop: true }),
        hang: () => ({ hang: this.#wait(HANG_LIMIT_MS, request) }),
        pageText: () => JSON.stringify(this.#faultPage(groupId, clusterName, url)),
        successType,
        stream: streamer(request, entry),
        request,
      });
    }

    const verdict = this.#check(request);
    entry.authorized = verdict.authorized;
    if (!verdict.authorized) {
      if (verdict.status === 400) return sendError(errors.digestUriMismatch(verdict.detail));
      if (!(await this.#delay(this.#challengeDelayMs, request))) return undefined;
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
    const answer = send(200, JSON.stringify(body, null, query.value.pretty ? 2 : undefined), successType);
    // Started jobs move on once a page has shown them as they were.
    this.#dataset.set(clusterName, this.#running.advance(clusterName, stored));
    return answer;
  }

  /**
   * Whether the request may see the API: its credentials checked (using up a Digest nonce count),
   * or, with requireAuth false, no Authorization header at all, as behind a proxy that adds them.
   */
  #check(request) {
    if (!this.#requireAuth && request.headers.authorization === undefined) return { scheme: null, authorized: true };
    return this.#auth.check(request, { consume: true });
  }

  /** The jobs of `clusterName` as the dataset holds them (removed ones too), or a TypeError for no such cluster. */
  #storedJobs(clusterName) {
    const stored = this.#dataset.get(clusterName);
    if (!stored) throw new TypeError(`no cluster named ${clusterName}`);
    return stored;
  }

  /**
   * The jobs of `clusterName` as they are now: `stored` with the dataset's running jobs moved on
   * the clock (but for those that pages move or a test put in a state) and the removed ones left out.
   */
  #shown(clusterName, stored) {
    const leftAlone = new Set([...this.#running.runningIndexes(clusterName), ...this.#moved.heldIndexes(clusterName)]);
    return this.#moved.listed(clusterName, this.#clocked.view(clusterName, stored, leftAlone));
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

  async #oauth(request, url, at) {
    const entry = this.#logEntry(request, url, { scheme: authorizationOf(request.headers.authorization).scheme, authorized: false }, at);
    const write = writer(request, entry);
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
        destroy: () => ({ drop: true }),
        hang: () => ({ hang: this.#wait(HANG_LIMIT_MS, request) }),
        pageText: () => "",
        successType: "application/json",
        stream: streamer(request, entry),
        request,
      });
    }
    let body;
    try {
      body = await request.readBody(MAX_FORM_BODY_BYTES);
    } catch {
      const tooLarge = { error: "invalid_request", error_description: "The body is too large." };
      return write(400, JSON.stringify(tooLarge), "application/json", {});
    }
    const form = {
      authorization: request.headers.authorization,
      contentType: request.headers["content-type"],
      body,
      ip: request.ip,
    };
    if (isToken && !(await this.#delay(this.#tokenDelayMs, request))) return undefined;
    const answer = isToken ? this.serviceAccounts.token(form) : this.serviceAccounts.revoke(form);
    entry.authorized = answer.clientAuthenticated;
    if (isToken && answer.status === 200) this.#stats.tokensIssued += 1;
    if (answer.body === undefined) return write(answer.status, "", undefined, answer.headers);
    return write(answer.status, JSON.stringify(answer.body), "application/json", answer.headers);
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

  async #control(request, url) {
    const reply = (status, body) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      const headers = { ...CORS_HEADERS, ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
      return { status, headers, body: text, sized: false };
    };
    // Runs `action` on the JSON body: 204 when it returns nothing, 200 with what it returns, 400 when it throws.
    const withJson = async (what, action) => {
      let result;
      try {
        const text = await request.readBody(MAX_CONTROL_BODY_BYTES);
        result = action(text === "" ? {} : JSON.parse(text));
      } catch (error) {
        return reply(400, { error: `${what}: ${error.message}` });
      }
      return result === undefined ? reply(204) : reply(200, result);
    };
    const route = `${request.method} ${url.pathname}`;
    if (request.method === "OPTIONS") return { status: 204, headers: { ...CORS_HEADERS, ...CONTROL_PREFLIGHT_HEADERS }, body: "", sized: false };
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
      case "POST /__mock/job-state":
        return withJson("job state unchanged", ({ cluster, id, state, exportedCollections }) =>
          this.setJobState(cluster, id, state, { exportedCollections }));
      case "POST /__mock/remove-job":
        return withJson("no job removed", ({ cluster, id }) => this.removeJob(cluster, id));
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

/**
 * What both transports hand their caller besides the transport itself: the mock's project and
 * credentials, its request log, and the levers a test moves it with.
 */
export function controlsOf(mock) {
  const { token, serviceAccount, apiKey } = mock.settings;
  return {
    groupId: MOCK_GROUP_ID,
    accessToken: token,
    serviceAccount: { ...serviceAccount },
    apiKey: { ...apiKey },
    /** Every API and token-endpoint request, oldest first; `at` is its arrival in performance.now() ms. */
    requests: mock.requests,
    injectFault: (fault) => mock.faults.inject(fault),
    /**
     * Clears faults, the log, rate limits and stats, drops added and started jobs, brings back
     * jobs moved or removed on command, starts the dataset's running jobs over (see jobStepMs) and
     * restores latencyMs; tokens, nonces and the clock stay.
     */
    reset: () => mock.reset(),
    /** Delays every later answer by `ms`. */
    setLatency: (ms) => mock.setLatency(ms),
    /**
     * Adds `count` new jobs to `clusterName` (or the jobs of an array), after its others as Atlas
     * lists them: `{totalCount, ids}`.
     */
    addJobs: (clusterName, count) => mock.addJobs(clusterName, count),
    /**
     * Adds one job to `clusterName` per outcome ("Successful", "Failed", "Cancelled"), Queued. Each
     * page of that cluster the mock answers shows them as they are, then moves them one step: Queued
     * for `queuedFor` pages (default 1), InProgress for `runningFor` (default 2), then the outcome.
     * Returns `{ids}`.
     */
    startExports: (clusterName, run) => mock.startExports(clusterName, run),
    /**
     * Puts job `jobId` of `clusterName` in `state`, with `exportedCollections` when given, from
     * the next page on, where it stays: pages and the clock no longer move it. `state` may be one
     * Atlas has not named (any word of letters). Returns the job as a page will show it.
     */
    setJobState: (clusterName, jobId, state, options) => mock.setJobState(clusterName, jobId, state, options),
    /** Lists job `jobId` of `clusterName` no more, from the next page on: `{totalCount}`. */
    removeJob: (clusterName, jobId) => mock.removeJob(clusterName, jobId),
    /** The jobs of `clusterName` as a page would show them now, or undefined for no such cluster. */
    jobs: (clusterName) => mock.jobs(clusterName),
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

/**
 * The request-target as a URL on the mock: origin-form (a path, which `//` cannot start, since it
 * would name a host), or absolute-form with an http(s) scheme and a host that parses, read as its
 * path and query. Undefined for anything else, which is answered 400.
 */
function targetUrl(target) {
  const base = "http://mock.invalid";
  try {
    if (target.startsWith("/") && !target.startsWith("//")) return new URL(`${base}${target}`);
    // The authority must be there: "http:///x" names no host, whatever a URL parser makes of it.
    if (!/^https?:\/\/[^/?#]/i.test(target)) return undefined;
    const absolute = new URL(target);
    return absolute.hostname === "" ? undefined : new URL(`${base}${absolute.pathname}${absolute.search}`);
  } catch {
    return undefined;
  }
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

/** Makes one answer with the CORS headers and records its status in `entry`; nothing once the client has left. */
function writer(exchange, entry) {
  return (status, text, contentType, headers) => {
    if (exchange.gone()) return undefined;
    entry.status = status;
    const head = { ...CORS_HEADERS, ...headers };
    if (contentType !== undefined) head["Content-Type"] = contentType;
    return { status, headers: head, body: text, sized: true };
  };
}

/** Makes the answer that streams a bomb, with the CORS headers, and records its status in `entry`. */
function streamer(exchange, entry) {
  return (bomb) => {
    if (exchange.gone()) return undefined;
    entry.status = bomb.status;
    return { status: bomb.status, headers: { ...CORS_HEADERS }, bomb };
  };
}

/** A timer that does not keep Node running (browsers' timers are numbers, and never do). */
function unref(timer) {
  timer?.unref?.();
  return timer;
}

function sleep(ms) {
  return new Promise((resolve) => unref(setTimeout(resolve, ms)));
}

/**
 * The options both transports share, with their defaults, or a TypeError naming the first one it
 * cannot honour.
 */
export function checkOptions(options) {
  if (options === null || typeof options !== "object") throw new TypeError("options is an object");
  const {
    token = MOCK_TOKEN,
    publicBaseUrl,
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
    requireAuth = true,
  } = options;
  if (typeof token !== "string" || token === "") throw new TypeError("token is a non-empty string");
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new TypeError("publicBaseUrl is an absolute http(s) URL");
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
  if (typeof requireAuth !== "boolean") throw new TypeError("requireAuth is a boolean");
  return {
    token, publicBaseUrl, latencyMs, tokenDelayMs, challengeDelayMs, clusters, clusterSpecs: specs,
    serviceAccount: { clientId: serviceAccount.clientId, clientSecret: serviceAccount.clientSecret },
    apiKey: { publicKey: apiKey.publicKey, privateKey: apiKey.privateKey },
    tokenLifetimeSeconds, tokenRateLimit, nonceLifetimeSeconds, now, jobStepMs, requireAuth,
  };
}
