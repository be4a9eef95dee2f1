// Bodies too large to read: a gzip bomb and a plain body of any size, streamed so the mock never
// holds more than one small piece of them. The bomb is `Content-Encoding: gzip` made of gzip
// members, each 1 MiB of 0xFF compressed to about 1 KB; a decoder (Node's fetch included) inflates
// one member after another, so 1.2 GB costs about 1.2 MB on the wire.
//
//   fault: { bomb: { bytes, encoding: "gzip" | "identity", contentLength: true, status: 200, onEnd(sent) } }
import { gzipSync } from "node:zlib";

/** What one gzip member inflates to, and what the plain body is written in. */
export const MEMBER_BYTES = 1 << 20;
const PLAIN_CHUNK_BYTES = 64 << 10;
/** The largest body a bomb claims: past what any client should read, short of absurd. */
const MAX_BOMB_BYTES = 4 * 1024 ** 3;
/** A client that stops reading without closing the connection is dropped after this long. */
const STALL_LIMIT_MS = 30_000;

// 0xFF is never valid UTF-8: the worst case for a decoder that replaces bad bytes.
const FILL = 0xff;
let member;
let plainChunk;

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

/** The pieces a bomb is written in: `{piece, count, wireBytes}`; the last gzip member may inflate to less. */
export function bombPieces({ bytes, encoding }) {
  if (encoding === "gzip") {
    member ??= gzipSync(Buffer.alloc(MEMBER_BYTES, FILL), { level: 9 });
    const count = Math.ceil(bytes / MEMBER_BYTES);
    const last = bytes - (count - 1) * MEMBER_BYTES;
    const lastPiece = last === MEMBER_BYTES ? member : gzipSync(Buffer.alloc(last, FILL), { level: 9 });
    return { piece: (i) => (i === count - 1 ? lastPiece : member), count, wireBytes: (count - 1) * member.length + lastPiece.length };
  }
  plainChunk ??= Buffer.alloc(PLAIN_CHUNK_BYTES, FILL);
  const count = Math.ceil(bytes / PLAIN_CHUNK_BYTES);
  const lastLength = bytes - (count - 1) * PLAIN_CHUNK_BYTES;
  return { piece: (i) => (i === count - 1 ? plainChunk.subarray(0, lastLength) : plainChunk), count, wireBytes: bytes };
}

/**
 * Streams `bomb` as an answer: `open(status, headers)` writes the head and returns the response.
 * Waits for the client to drain each piece, and stops as soon as the client goes away. Calls
 * `bomb.onEnd({wireBytes, complete})` once: how many bytes it wrote and whether that was all.
 */
export function streamBomb(bomb, open) {
  const { piece, count, wireBytes: total } = bombPieces(bomb);
  const head = { "Content-Type": "application/json" };
  if (bomb.encoding === "gzip") head["Content-Encoding"] = "gzip";
  if (bomb.contentLength) head["Content-Length"] = total;
  const response = open(bomb.status, head);
  let next = 0;
  let sent = 0;
  let ended = false;
  // A client that neither reads nor closes would otherwise hold the mock's connection forever.
  const stall = setTimeout(() => response.destroy(), STALL_LIMIT_MS).unref();
  const end = (complete) => {
    if (ended) return;
    ended = true;
    clearTimeout(stall);
    bomb.onEnd?.({ wireBytes: sent, complete });
  };
  response.once("close", () => end(next === count && response.writableFinished));
  const write = () => {
    stall.refresh();
    while (next < count && !response.destroyed) {
      const chunk = piece(next);
      next += 1;
      sent += chunk.length;
      if (!response.write(chunk)) return void response.once("drain", write);
    }
    if (!response.destroyed) response.end();
  };
  write();
}
