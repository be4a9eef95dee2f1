// The mock Atlas in memory: a fetch that hands each request to the transport-free mock
// (mock-atlas.mjs) and turns its answer into a Response. No server, no network and nothing of
// Node, so it runs in browsers, jsdom, Vitest and Storybook; its only timers are the mock's own
// (latency, delays and hangs that a test asks for).
import { apiError } from "./api-errors.mjs";
import { bombStream } from "./bombs.mjs";
import { fromUtf8, utf8 } from "./hash.mjs";
import { checkOptions, controlsOf, CORS_HEADERS, MockAtlas } from "./mock-atlas.mjs";

/** Where the in-memory mock answers unless told otherwise: Atlas's own address, the client's default baseUrl. */
export const DEFAULT_BASE_URL = "https://cloud.mongodb.com";
// The address the mock's log and rate limit see for an in-memory caller.
const CALLER_IP = "127.0.0.1";
// The codes Node's fetch gives the cause of a refused connection, and of one the server dropped.
const REFUSED = "ECONNREFUSED";
const DROPPED = "UND_ERR_SOCKET";
// Statuses whose Response must have no body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The mock in memory: `{fetch, url, groupId, accessToken, serviceAccount, apiKey, requests,
 * close(), ...levers}` (controlsOf in mock-atlas.mjs lists the levers). `fetch` answers requests
 * under `options.baseUrl` (default https://cloud.mongodb.com; it may carry a path prefix, as a
 * proxy's does) as the mock does over HTTP; any other URL fails as an unreachable host would.
 * @param {object} [options] checkOptions' options (mock-atlas.mjs), and `baseUrl`
 */
export function mockFetch(options = {}) {
  if (options === null || typeof options !== "object") throw new TypeError("options is an object");
  const base = checkBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const settings = checkOptions(options);
  const mock = new MockAtlas(settings);
  mock.publish(settings.publicBaseUrl ?? base.url);
  // Aborted by close(), so that the bodies still streaming end as a closed connection's would.
  const closed = new AbortController();

  async function fetch(input, init) {
    // Whatever fetch refuses (a bad URL, a GET with a body), this refuses the same way.
    const request = new Request(input, init);
    const { signal } = request;
    if (signal.aborted) throw signal.reason;
    if (closed.signal.aborted) throw networkError("the mock Atlas was closed", REFUSED);
    const url = new URL(request.url);
    const { pathname } = url;
    if (url.origin !== base.origin || !(base.prefix === "" || pathname === base.prefix || pathname.startsWith(`${base.prefix}/`))) {
      throw networkError(`mockFetch answers only under ${base.url}, not ${url.origin}${pathname}`, REFUSED);
    }
    let body;
    const bytes = () => (body ??= request.arrayBuffer().then((buffer) => new Uint8Array(buffer)));
    const headers = {};
    for (const [name, value] of request.headers) headers[name] = value;
    const answer = await untilAborted(
      mock.handle({
        method: request.method,
        target: pathname + url.search,
        url: (pathname.slice(base.prefix.length) || "/") + url.search,
        headers,
        rawHeaders: [...request.headers].flat(),
        httpVersion: "1.1",
        ip: CALLER_IP,
        signal,
        gone: () => signal.aborted || closed.signal.aborted,
        readBody: async (maxBytes) => {
          const all = await bytes();
          if (all.length > maxBytes) throw new Error("body too large");
          return fromUtf8(all);
        },
        readSome: async (maxBytes) => fromUtf8((await bytes()).subarray(0, maxBytes)),
      }),
      signal,
    );
    if (answer === undefined) throw networkError("the mock Atlas was closed before it answered", DROPPED);
    if (answer.drop) throw networkError("the mock Atlas dropped the connection", DROPPED);
    if (answer.hang) {
      await untilAborted(answer.hang, signal);
      throw networkError("the mock Atlas dropped the connection it held", DROPPED);
    }
    if (answer.bomb) {
      const { status, headers: bombHeaders, stream } = bombStream(answer.bomb, AbortSignal.any([signal, closed.signal]));
      return new Response(stream, { status, headers: { ...answer.headers, ...bombHeaders } });
    }
    return toResponse(answer);
  }

  return {
    fetch,
    url: base.url,
    ...controlsOf(mock),
    /** Ends pending answers and streamed bodies; later requests fail as a closed server's would. */
    close() {
      if (!closed.signal.aborted) {
        closed.abort(networkError("the mock Atlas was closed", DROPPED));
        mock.close();
      }
      return Promise.resolve();
    },
  };
}

/** `baseUrl` checked: `{url, origin, prefix}`, the prefix without a trailing slash ("" for none). */
function checkBaseUrl(baseUrl) {
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (typeof baseUrl !== "string" || !url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new TypeError("baseUrl is an absolute http(s) URL with no query, fragment or credentials");
  }
  const prefix = url.pathname.replace(/\/+$/, "");
  return { url: url.origin + prefix, origin: url.origin, prefix };
}

/** The Response for an answer; headers fetch would refuse make a 500, as node:http's do. */
function toResponse({ status, headers, body, sized }) {
  const bytes = NULL_BODY_STATUSES.has(status) ? null : utf8(body);
  try {
    const head = new Headers();
    for (const [name, value] of Object.entries(headers)) {
      for (const one of Array.isArray(value) ? value : [value]) head.append(name, String(one));
    }
    if (sized && bytes !== null) head.set("Content-Length", String(bytes.length));
    return new Response(bytes && bodyStream(bytes), { status, headers: head });
  } catch (error) {
    console.error("atlas-mock: internal error:", error);
    const text = JSON.stringify(apiError(500, "UNEXPECTED_ERROR", "Unexpected error in the mock."));
    return new Response(bodyStream(utf8(text)), { status: 500, headers: { ...CORS_HEADERS, "Content-Type": "application/json" } });
  }
}

/**
 * A body that yields `bytes` as one chunk of the global Uint8Array. Under jsdom (Vitest, Jest) the
 * global Uint8Array is the window's, not the one TextEncoder and Response bodies make, and code
 * that checks `instanceof Uint8Array` there expects its own.
 */
function bodyStream(bytes) {
  const chunk = new Uint8Array(bytes.length);
  chunk.set(bytes);
  return new ReadableStream({
    start(controller) {
      if (chunk.length > 0) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/**
 * What fetch rejects with when no answer arrives: a TypeError whose cause carries the `code` Node's
 * fetch would give (a refused connection, one the server dropped), so that a client reports
 * either mock's failure the same way.
 */
function networkError(reason, code) {
  return new TypeError("fetch failed", { cause: Object.assign(new Error(reason), { code }) });
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts, as fetch does. */
function untilAborted(promise, signal) {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
