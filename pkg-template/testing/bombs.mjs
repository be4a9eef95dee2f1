// Bodies too large to read: a gzip bomb and a plain body of any size, streamed so the mock never
// holds more than one small piece of them. Over HTTP (bombs-node.mjs) the bomb is
// `Content-Encoding: gzip` made of gzip members, each 1 MiB of 0xFF compressed to about 1 KB; a
// decoder (Node's fetch included) inflates one member after another, so 1.2 GB costs about 1.2 MB
// on the wire. In memory (mockFetch) there is no wire: the body is what a decoding fetch hands
// over, the inflated bytes, read as the client pulls them (see bombStream).
//
//   fault: { bomb: { bytes, encoding: "gzip" | "identity", contentLength: true, status: 200, onEnd(sent) } }

/** What one gzip member inflates to. */
export const MEMBER_BYTES = 1 << 20;
/** What a plain body is written in (and, in memory, every bomb). */
export const PLAIN_CHUNK_BYTES = 64 << 10;
/** The largest body a bomb claims: past what any client should read, short of absurd. */
const MAX_BOMB_BYTES = 4 * 1024 ** 3;

// 0xFF is never valid UTF-8: the worst case for a decoder that replaces bad bytes.
export const FILL = 0xff;

/** `fault.bomb` checked, with its defaults: `{kind: "bomb", bytes, encoding, contentLength, status, onEnd}`. */
export function normalizeBomb(bomb) {
  if (bomb === null || typeof bomb !== "object") throw new TypeError("a bomb fault is { bomb: { bytes, ... } }");
  const { bytes, encoding = "gzip", contentLength = true, status = 200, onEnd } = bomb;
  if (!(Number.isSafeInteger(bytes) && bytes > 0 && bytes <= MAX_BOMB_BYTES)) {
    throw new TypeError(`a bomb's bytes is a positive integer up to ${MAX_BOMB_BYTES}`);
  }
  if (encoding !== "gzip" && encoding !== "identity") throw new TypeError('a bomb\'s encoding is "gzip" or "identity"');
  if (typeof contentLength !== "boolean") throw new TypeError("a bomb's contentLength is a boolean");
  if (!(Number.isInteger(status) && status >= 200 && status <= 599)) throw new TypeError("a bomb's status is an HTTP status");
  if (onEnd !== undefined && typeof onEnd !== "function") throw new TypeError("a bomb's onEnd is a function");
  return { kind: "bomb", bytes, encoding, contentLength, status, onEnd };
}

/**
 * The answer `bomb` gives in memory, as a decoding fetch would hand it over: a ReadableStream of
 * `bomb.bytes` bytes of 0xFF, made only as the reader pulls them, and the headers that stay
 * visible (a Content-Length only for "identity": a decoding fetch's length is the wire's).
 * Calls `bomb.onEnd({wireBytes, complete})` once, `wireBytes` being the bytes handed over;
 * `signal` aborting errors the stream as a fetch's own would.
 */
export function bombStream(bomb, signal) {
  const headers = { "Content-Type": "application/json" };
  if (bomb.encoding === "gzip") headers["Content-Encoding"] = "gzip";
  else if (bomb.contentLength) headers["Content-Length"] = String(bomb.bytes);
  let sent = 0;
  let ended = false;
  const end = (complete) => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener("abort", onAbort);
    bomb.onEnd?.({ wireBytes: sent, complete });
  };
  let controller;
  const onAbort = () => {
    controller?.error(signal.reason);
    end(false);
  };
  const stream = new ReadableStream({
    start(c) {
      controller = c;
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    },
    pull(c) {
      if (ended) return;
      const size = Math.min(PLAIN_CHUNK_BYTES, bomb.bytes - sent);
      sent += size;
      c.enqueue(new Uint8Array(size).fill(FILL));
      if (sent === bomb.bytes) {
        c.close();
        end(true);
      }
    },
    cancel() {
      end(false);
    },
  });
  return { status: bomb.status, headers, stream };
}
