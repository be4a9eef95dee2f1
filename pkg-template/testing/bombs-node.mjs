// Streams a bomb (bombs.mjs) over node:http: gzip members or plain chunks, written as the client
// drains them, and stopped as soon as the client goes away.
import { gzipSync } from "node:zlib";

import { FILL, MEMBER_BYTES, PLAIN_CHUNK_BYTES } from "./bombs.mjs";

/** A client that stops reading without closing the connection is dropped after this long. */
const STALL_LIMIT_MS = 30_000;

let member;
let plainChunk;

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
