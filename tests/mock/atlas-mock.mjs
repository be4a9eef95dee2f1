// A mock of the Atlas Administration API's "Return All Cloud Backup Snapshot Export Jobs" endpoint
// (v2 and v1.0) on 127.0.0.1, for tests and for the demo page. It checks requests in the order
// Atlas does (faults, auth, Accept, project and cluster, query), pages the deterministic dataset,
// and records what it was asked, never the credentials.
//
//   import { startMockAtlas } from "./atlas-mock.mjs";   or   node tests/mock/atlas-mock.mjs --port 8081
import { createHash, timingSafeEqual } from "node:crypto";
import { realpathSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import * as errors from "./api-errors.mjs";
import { buildDataset, jobsFor, MOCK_GROUP_ID, MOCK_TOKEN } from "./dataset.mjs";
import { answerWithFault, FaultQueue } from "./faults.mjs";
import { pageBody } from "./page.mjs";
import { parseListQuery, queryObject } from "./query.mjs";
import { RateLimiter } from "./rate-limit.mjs";

export const V2_MEDIA_TYPE = "application/vnd.atlas.2023-01-01+json";
const V1_MEDIA_TYPE = "application/json";
const HOST = "127.0.0.1";
const HANG_LIMIT_MS = 30_000;
const MAX_CONTROL_BODY_BYTES = 1 << 20;

const EXPORTS_ROUTE = /^\/api\/atlas\/(v2|v1\.0)\/groups\/([^/]+)\/clusters\/([^/]+)\/backup\/exports$/;
const GROUP_ID_PATTERN = /^[a-f0-9]{24}$/;
const AUTH_SCHEMES = { bearer: "Bearer", basic: "Basic", digest: "Digest" };

// The browser test page and the demo are cross-origin to the mock, and read these headers.
const CORS_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "RateLimit-Limit, RateLimit-Remaining, Retry-After, Content-Type",
};
const API_PREFLIGHT_HEADERS = {
  "Access-Control-Allow-Methods": "GET, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Accept, Content-Type",
  "Access-Control-Max-Age": "600",
};
const CONTROL_PREFLIGHT_HEADERS = { ...API_PREFLIGHT_HEADERS, "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS" };

/**
 * Starts the mock on 127.0.0.1.
 * @param {object} [options]
 * @param {number} [options.port=0] 0 picks a free port
 * @param {string} [options.token=MOCK_TOKEN] the Bearer token it accepts
 * @param {string} [options.publicBaseUrl] the host its links name (default: its own url)
 * @param {number} [options.maxSeconds] closes itself after this many seconds
 * @param {number} [options.latencyMs=0] delays every API response
 * @returns {Promise<{url: string, requests: object[], injectFault(fault: object): void, reset(): void, close(): Promise<void>}>}
 */
export async function startMockAtlas({ port = 0, token = MOCK_TOKEN, publicBaseUrl, maxSeconds, latencyMs = 0 } = {}) {
  checkOptions({ port, token, publicBaseUrl, maxSeconds, latencyMs });
  const mock = new MockAtlas({ token, latencyMs });
  const url = await mock.listen(port);
  mock.publish(publicBaseUrl ?? url);
  if (maxSeconds !== undefined) setTimeout(() => mock.close(), maxSeconds * 1000).unref();
  return {
    url,
    requests: mock.requests,
    injectFault: (fault) => mock.faults.inject(fault),
    reset: () => mock.reset(),
    close: () => mock.close(),
  };
}

class MockAtlas {
  requests = [];
  faults = new FaultQueue();
  #rateLimiter = new RateLimiter();
  #tokenDigest;
  #latencyMs;
  #server = createServer((request, response) => this.#handle(request, response));
  #publicBaseUrl;
  #dataset;
  #closing;

  constructor({ token, latencyMs }) {
    this.#tokenDigest = sha256(token);
    this.#latencyMs = latencyMs;
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
    this.#dataset = buildDataset({ publicBaseUrl: this.#publicBaseUrl });
  }

  reset() {
    this.faults.clear();
    this.requests.length = 0;
    this.#rateLimiter.clear();
  }

  close() {
    this.#closing ??= new Promise((resolve) => {
      this.#server.close(() => resolve());
      // Ends keep-alive connections and hanging responses alike.
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  async #handle(request, response) {
    try {
      const url = new URL(request.url, "http://mock.invalid");
      if (url.pathname.startsWith("/__mock/")) await this.#control(request, response, url);
      else await this.#api(request, response, url);
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

  async #api(request, response, url) {
    const route = EXPORTS_ROUTE.exec(url.pathname);
    const [, version, groupId, clusterName] = route?.map(decodePathSegment) ?? [];
    const auth = this.#authOf(request.headers.authorization);
    const entry = {
      method: request.method,
      path: url.pathname,
      query: queryObject(url.searchParams),
      accept: request.headers.accept ?? null,
      authScheme: auth.scheme,
      authorized: auth.authorized,
      origin: request.headers.origin ?? null,
      status: null,
    };
    this.requests.push(entry);

    const successType = version === "v1.0" ? V1_MEDIA_TYPE : V2_MEDIA_TYPE;
    const write = (status, text, contentType, headers) => {
      if (response.destroyed || response.writableEnded) return;
      entry.status = status;
      const head = { ...CORS_HEADERS, ...headers };
      if (contentType !== undefined) head["Content-Type"] = contentType;
      if (status !== 204 && status !== 304) head["Content-Length"] = Buffer.byteLength(text);
      response.writeHead(status, head).end(text);
    };
    const send = (status, text, contentType, headers = {}) =>
      write(status, text, contentType, { ...this.#rateLimiter.take(groupId ?? ""), ...headers });
    const sendError = (body, headers) => send(body.error, JSON.stringify(body), "application/json", headers);

    if (request.method === "OPTIONS") return write(204, "", undefined, API_PREFLIGHT_HEADERS);
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
      });
    }

    if (!auth.authorized) return sendError(errors.unauthorized(), { "WWW-Authenticate": 'Bearer realm="atlas-mock"' });
    if (version === "v2" && !acceptsMediaType(request.headers.accept, V2_MEDIA_TYPE)) {
      return sendError(errors.notAcceptable(V2_MEDIA_TYPE));
    }
    if (!GROUP_ID_PATTERN.test(groupId)) return sendError(errors.invalidGroupId(groupId));
    if (groupId !== MOCK_GROUP_ID) return sendError(errors.groupNotFound(groupId));
    const jobs = jobsFor(groupId, clusterName, this.#dataset);
    if (!jobs) return sendError(errors.clusterNotFound(clusterName, groupId));

    const query = parseListQuery(url.searchParams);
    if (!query.ok) return sendError(errors.validationError(query.violations));
    const body = pageBody(jobs, query.value, { publicBaseUrl: this.#publicBaseUrl, path: url.pathname, search: url.search });
    send(200, JSON.stringify(body, null, query.value.pretty ? 2 : undefined), successType);
  }

  /** The page a faulty request would have had: its own when valid, else an empty one. */
  #faultPage(groupId, clusterName, url) {
    const query = parseListQuery(url.searchParams);
    const options = query.ok ? query.value : parseListQuery(new URLSearchParams()).value;
    const jobs = jobsFor(groupId, clusterName, this.#dataset) ?? [];
    return pageBody(jobs, options, { publicBaseUrl: this.#publicBaseUrl, path: url.pathname, search: url.search });
  }

  /** The scheme of an Authorization header and whether it carries the mock's token; never the value. */
  #authOf(header) {
    const match = /^(\S+)(?:\s+(.*))?$/.exec(header ?? "");
    if (!match) return { scheme: null, authorized: false };
    const scheme = AUTH_SCHEMES[match[1].toLowerCase()] ?? null;
    const authorized = scheme === "Bearer" && timingSafeEqual(sha256(match[2]?.trim() ?? ""), this.#tokenDigest);
    return { scheme, authorized };
  }

  // ---- control routes, for tests in other processes (not logged) ------------------------------

  async #control(request, response, url) {
    const reply = (status, body) => {
      const text = body === undefined ? "" : JSON.stringify(body);
      const head = { ...CORS_HEADERS, ...(body === undefined ? {} : { "Content-Type": "application/json" }) };
      response.writeHead(status, head).end(text);
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
      case "POST /__mock/faults": {
        let fault;
        try {
          fault = JSON.parse(await readBody(request));
          this.faults.inject(fault);
        } catch (error) {
          return reply(400, { error: `not a fault: ${error.message}` });
        }
        return reply(204);
      }
      case "DELETE /__mock/faults":
        this.faults.clear();
        return reply(204);
      case "GET /__mock/dataset": {
        const cluster = url.searchParams.get("cluster");
        const jobs = jobsFor(MOCK_GROUP_ID, cluster, this.#dataset);
        return jobs ? reply(200, jobs) : reply(404, { error: `no cluster named ${cluster}` });
      }
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

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_CONTROL_BODY_BYTES) reject(new Error("body too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function sha256(text) {
  return createHash("sha256").update(text).digest();
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function checkOptions({ port, token, publicBaseUrl, maxSeconds, latencyMs }) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError("port is an integer from 0 to 65535");
  if (typeof token !== "string" || token === "") throw new TypeError("token is a non-empty string");
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/.test(publicBaseUrl)) {
    throw new TypeError("publicBaseUrl is an absolute http(s) URL");
  }
  if (maxSeconds !== undefined && !(Number.isFinite(maxSeconds) && maxSeconds > 0)) {
    throw new TypeError("maxSeconds is a positive number");
  }
  if (!(Number.isFinite(latencyMs) && latencyMs >= 0)) throw new TypeError("latencyMs is a number >= 0");
}

// ---- CLI ---------------------------------------------------------------------------------------

const USAGE =
  "usage: node tests/mock/atlas-mock.mjs [--port N] [--token T] [--public-base-url U] [--max-seconds S] [--latency-ms M]";

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
