// Injected faults: what a request meets instead of the API when a test asks for an error path.
// A fault is queued for one cluster (or for any request), consumed per matching request, and
// answered before authentication, as a proxy or a failing server would answer; the misbehaving
// pages (misbehaving.mjs) instead wait for a request that passed every check and replace its page.
// A fault for `endpoint: "token"` or `"revoke"` answers the service-account endpoint instead.
// Hostile answers live in their own files: bombs (bombs.mjs), redirects (redirects.mjs) and
// proxies that echo the request (reflect.mjs).
import { defaultErrorFor } from "./api-errors.mjs";
import { REVOKE_PATH, TOKEN_PATH } from "./auth-service-account.mjs";
import { normalizeBomb } from "./bombs.mjs";
import { MISBEHAVING_PAGES } from "./misbehaving.mjs";
import { normalizeRedirect, redirectAnswer } from "./redirects.mjs";
import { answerWithReflection, normalizeReflect } from "./reflect.mjs";

export const NGINX_502_PAGE =
  "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

const NAMED_FAULTS = new Set(["html502", "empty502", "reset", "hang", "truncated", "empty200", ...MISBEHAVING_PAGES]);
const PAGE_FAULTS = new Set(MISBEHAVING_PAGES);
const ENDPOINTS = { token: TOKEN_PATH, revoke: REVOKE_PATH };

// Headers a real server adds to these statuses; a fault's own headers override them.
const DEFAULT_HEADERS = {
  429: { "Retry-After": "1", "RateLimit-Remaining": "0" },
  503: { "Retry-After": "1" },
};

/** Checks a fault as injectFault receives it and returns it in one shape: `{kind, ...}`. */
export function normalizeFault(fault) {
  if (typeof fault === "string") {
    if (NAMED_FAULTS.has(fault)) return { kind: fault };
    throw new TypeError(`unknown fault "${fault}": use one of ${[...NAMED_FAULTS].join(", ")} or an object`);
  }
  if (fault === null || typeof fault !== "object" || Array.isArray(fault)) {
    throw new TypeError("a fault is a name or an object with status, primitive, raw, bomb, redirect or reflect");
  }
  if ("bomb" in fault) return normalizeBomb(fault.bomb);
  if ("redirect" in fault) return normalizeRedirect(fault.redirect);
  if ("reflect" in fault) return normalizeReflect(fault.reflect);
  // raw first: a raw fault may carry a status of its own.
  if ("raw" in fault) {
    if (typeof fault.raw !== "string") throw new TypeError("a raw fault's raw is a string");
    if (fault.contentType !== undefined && typeof fault.contentType !== "string") {
      throw new TypeError("a raw fault's contentType is a string");
    }
    return { kind: "raw", raw: fault.raw, contentType: fault.contentType, status: httpStatus(fault.status ?? 200) };
  }
  if ("status" in fault) {
    const status = httpStatus(fault.status);
    const headers = plainObject(fault.headers ?? {}, "headers");
    if (fault.body !== undefined && (fault.body === null || typeof fault.body !== "object")) {
      throw new TypeError("a status fault's body is a JSON object or array");
    }
    return { kind: "status", status, body: fault.body ?? defaultErrorFor(status), headers };
  }
  if ("primitive" in fault) return { kind: "primitive", value: fault.primitive };
  throw new TypeError("a fault object needs status, primitive, raw, bomb, redirect or reflect");
}

export class FaultQueue {
  #queue = [];

  /**
   * Queues `fault` for requests on `cluster` (any cluster when omitted), or for the service-account
   * `endpoint` ("token" or "revoke") instead, `times` times (Infinity or -1: always).
   */
  inject({ cluster, endpoint, fault, times = 1 } = {}) {
    if (cluster !== undefined && cluster !== null && typeof cluster !== "string") {
      throw new TypeError("cluster is a cluster name");
    }
    if (endpoint !== undefined && !Object.hasOwn(ENDPOINTS, endpoint)) throw new TypeError('endpoint is "token" or "revoke"');
    if (endpoint !== undefined && cluster != null) throw new TypeError("a fault is for a cluster or an endpoint, not both");
    const remaining = times === -1 ? Infinity : times;
    if (!(remaining === Infinity || (Number.isInteger(remaining) && remaining > 0))) {
      throw new TypeError("times is a positive integer, Infinity or -1");
    }
    const normalized = normalizeFault(fault);
    if (endpoint !== undefined && PAGE_FAULTS.has(normalized.kind)) throw new TypeError("a misbehaving page is for the API, not an endpoint");
    this.#queue.push({ cluster: cluster ?? undefined, path: ENDPOINTS[endpoint], fault: normalized, remaining });
  }

  /**
   * The first fault queued for `clusterName`, used up once, if it is answered at `stage`:
   * "request" (before auth) or "page" (a misbehaving page, in place of a valid one). Undefined
   * otherwise, so faults keep their order: a page fault first in line holds back the ones after it.
   */
  take(clusterName, stage = "request") {
    const index = this.#queue.findIndex((entry) => entry.path === undefined && (entry.cluster === undefined || entry.cluster === clusterName));
    if (index === -1) return undefined;
    if (PAGE_FAULTS.has(this.#queue[index].fault.kind) !== (stage === "page")) return undefined;
    return this.#useUp(index);
  }

  /** The first fault queued for the service-account endpoint at `path`, used up once, if any. */
  takeForEndpoint(path) {
    const index = this.#queue.findIndex((entry) => entry.path === path);
    return index === -1 ? undefined : this.#useUp(index);
  }

  #useUp(index) {
    const entry = this.#queue[index];
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.#queue.splice(index, 1);
    return entry.fault;
  }

  clear() {
    this.#queue.length = 0;
  }
}

/**
 * The answer to one request with `fault`, through the mock's primitives (each returns an answer):
 * `send(status, text, contentType, headers)` answers as the API (with its RateLimit-* headers),
 * `sendAsProxy(status, text, contentType)` as a proxy in front of it, `destroy()` drops the
 * connection, `hang()` keeps it open without an answer, `pageText()` is the valid page body,
 * `stream(bomb)` streams a bomb, and `request` is the request (a reflection echoes it).
 */
export function answerWithFault(fault, { send, sendAsProxy, destroy, hang, pageText, successType, stream, request }) {
  switch (fault.kind) {
    case "html502":
      return sendAsProxy(502, NGINX_502_PAGE, "text/html");
    case "empty502":
      return sendAsProxy(502, "", undefined);
    case "reset":
      return destroy();
    case "hang":
      return hang();
    case "truncated": {
      const text = pageText();
      return send(200, text.slice(0, Math.floor(text.length / 2)), successType);
    }
    case "empty200":
      return send(200, "", successType);
    case "primitive":
      // JSON.stringify(undefined) is undefined: that primitive is sent as an empty body.
      return send(200, JSON.stringify(fault.value) ?? "", successType);
    case "raw":
      return send(fault.status, fault.raw, fault.contentType ?? "application/json");
    case "status":
      return send(fault.status, JSON.stringify(fault.body), "application/json", {
        ...DEFAULT_HEADERS[fault.status],
        ...fault.headers,
      });
    case "bomb":
      return stream(fault);
    case "redirect": {
      const { status, text, contentType, headers } = redirectAnswer(fault);
      return send(status, text, contentType, headers);
    }
    case "reflect":
      return answerWithReflection(fault, request, sendAsProxy);
  }
}

function httpStatus(status) {
  if (Number.isInteger(status) && status >= 200 && status <= 599) return status;
  throw new TypeError(`status ${JSON.stringify(status)} is not an HTTP status from 200 to 599`);
}

function plainObject(value, name) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new TypeError(`${name} is an object`);
  return value;
}
