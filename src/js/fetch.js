// The only code that calls fetch. It sends one request, never follows a redirect, reads the body
// up to a size limit, and tells a network failure from the request's own timeout and from the
// caller's abort. It never throws or rejects: every outcome is a plain object the shell reads.
// A response is read through its public API (`status`, `headers.get`, `body`), each part once and
// inside `try`: runtimes define those accessors differently (workerd, undici, a replaced global
// `Response` as in @hono/node-server, another realm under jsdom), and a hostile object's throwing
// getter or Proxy trap becomes a structured failure instead of an exception.

/** The response headers the package reads, each read once. */
const HEADERS = ["content-length", "content-encoding", "retry-after", "ratelimit-limit", "ratelimit-remaining", "www-authenticate", "location"];

/** What a response says before its body: its status, type and the headers above, as plain values. */
function readHead(response) {
  const type = response.type;
  const status = type === "opaqueredirect" ? 0 : response.status;
  if (!Number.isInteger(status) || status < 0 || status > 999) throw new TypeError("the response has no HTTP status");
  const headers = response.headers;
  const head = { status, type };
  for (const name of HEADERS) {
    const value = headers.get(name);
    if (value !== null && value !== undefined) head[name] = String(value);
  }
  return head;
}

/** `promise`, or a rejection with the signal's reason as soon as it aborts. */
function unlessAborted(promise, signal) {
  // Whatever `promise` does after an abort is no longer anyone's business: never unhandled.
  promise.catch(() => {});
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

// Under jsdom (Vitest, Jest) the global Uint8Array is the window's while Node's fetch yields
// Node's own, so a chunk is told by its internal type through the intrinsic getters, which read
// either realm's arrays and run no code of the chunk's own, and is viewed as this realm's.
const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const intrinsic = (key) => Object.getOwnPropertyDescriptor(typedArray, key).get;
const [typeName, bufferOf, offsetOf, lengthOf] = [Symbol.toStringTag, "buffer", "byteOffset", "byteLength"].map(intrinsic);

function ownBytes(value) {
  if (value instanceof Uint8Array) return value;
  if (typeName.call(value) !== "Uint8Array") throw new TypeError("the response body yielded something other than bytes");
  return new Uint8Array(bufferOf.call(value), offsetOf.call(value), lengthOf.call(value));
}

/** The body's bytes, or `undefined` past `maxBytes` (the stream is then cancelled). */
async function readBody(response, maxBytes, signal, custom, head) {
  // All at once when the size is known and the bytes are the body as sent: a length Atlas
  // declares and no encoding that a small body could expand from. Only where every header is
  // visible: a cross-origin ("cors") response may hide a Content-Encoding.
  const length = head["content-length"];
  if (!custom && length !== undefined && head["content-encoding"] === undefined && /^\d{1,10}$/.test(length) &&
      Number(length) <= maxBytes && (head.type === "basic" || head.type === "default")) {
    const body = new Uint8Array(await response.arrayBuffer());
    return body.byteLength <= maxBytes ? body : undefined;
  }
  const stream = response.body;
  if (stream === null || stream === undefined) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    // The platform's fetch ends the stream when the signal aborts; a custom one may not.
    const { done, value } = await (custom ? unlessAborted(reader.read(), signal) : reader.read());
    if (done) break;
    const chunk = ownBytes(value);
    size += chunk.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/**
 * Sends one request. Resolves with `{status, retryAfter, rateLimitLimit, rateLimitRemaining,
 * wwwAuthenticate, location, body}`, or `{failure, cause, status}` where failure is "network",
 * "timeout", "aborted", "tooLarge", "notAResponse" or "refusedHeader".
 */
export async function send(method, url, accept, authorization, form, timeoutMs, maxBodyBytes, signal, customFetch) {
  let timeout;
  let headers;
  try {
    timeout = AbortSignal.timeout(timeoutMs);
    headers = new Headers({ accept });
    if (authorization !== undefined) headers.set("authorization", authorization);
    if (form !== undefined) headers.set("content-type", "application/x-www-form-urlencoded");
  } catch {
    // The platform's own message would quote the refused value, which may be a secret.
    return { failure: "refusedHeader" };
  }
  const failed = (failure, cause, status) => {
    if (signal?.aborted) return { failure: "aborted", cause: signal.reason };
    if (timeout.aborted) return { failure: "timeout", cause: timeout.reason };
    return { failure, cause, status };
  };
  let response;
  let combined = timeout;
  try {
    // Without a caller's signal the timeout's serves alone: in Node each combined signal costs
    // about as much as decoding a small page.
    if (signal) combined = AbortSignal.any([signal, timeout]);
    const init = { method, headers, body: form, signal: combined, redirect: "manual" };
    response = await (customFetch
      ? unlessAborted(Promise.resolve().then(() => customFetch(new Request(url, init))), combined)
      : fetch(url, init));
  } catch (cause) {
    return failed("network", cause);
  }
  let head;
  try {
    // A redirect that a browser hides ("opaqueredirect") has status 0.
    head = readHead(response);
  } catch (cause) {
    return failed("notAResponse", cause);
  }
  const { status } = head;
  let body;
  try {
    body = await readBody(response, maxBodyBytes, combined, customFetch !== undefined, head);
  } catch (cause) {
    return failed("network", cause, status);
  }
  if (body === undefined) return { failure: "tooLarge", status };
  return {
    status,
    retryAfter: head["retry-after"],
    rateLimitLimit: head["ratelimit-limit"],
    rateLimitRemaining: head["ratelimit-remaining"],
    wwwAuthenticate: head["www-authenticate"],
    location: head["location"],
    body,
  };
}

/** Copies `source`, a body `send` read, into `target`, a view of as many bytes of wasm memory. */
export function copyBody(source, target) {
  target.set(source);
}
