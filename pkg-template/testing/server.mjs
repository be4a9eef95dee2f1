// The mock Atlas over node:http on 127.0.0.1: each request handed to the transport-free mock
// (mock-atlas.mjs) and its answer written back, bombs streamed as the client drains them.
import { createServer } from "node:http";

import { apiError } from "./api-errors.mjs";
import { streamBomb } from "./bombs-node.mjs";
import { checkOptions, controlsOf, CORS_HEADERS, MockAtlas } from "./mock-atlas.mjs";

const HOST = "127.0.0.1";

/**
 * Starts the mock on 127.0.0.1 and resolves to `{url, groupId, accessToken, serviceAccount,
 * apiKey, requests, close(), ...levers}` (controlsOf in mock-atlas.mjs lists the levers).
 * @param {object} [options] checkOptions' options (mock-atlas.mjs), and:
 * @param {number} [options.port=0] 0 picks a free port
 * @param {number} [options.maxSeconds] closes itself after this many seconds
 */
export async function startMockAtlas(options = {}) {
  if (options === null || typeof options !== "object") throw new TypeError("options is an object");
  const { port = 0, maxSeconds } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError("port is an integer from 0 to 65535");
  if (maxSeconds !== undefined && !(Number.isFinite(maxSeconds) && maxSeconds > 0)) {
    throw new TypeError("maxSeconds is a positive number");
  }
  const settings = checkOptions(options);
  const mock = new MockAtlas(settings);
  const server = createServer((request, response) => serve(mock, request, response));
  const url = await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, HOST, () => {
      server.off("error", reject);
      resolve(`http://${HOST}:${server.address().port}`);
    });
  });
  mock.publish(settings.publicBaseUrl ?? url);
  let closing;
  const close = () => {
    closing ??= new Promise((resolve) => {
      server.close(() => resolve());
      // Ends keep-alive connections and hanging responses alike.
      server.closeAllConnections();
      mock.close();
    });
    return closing;
  };
  if (maxSeconds !== undefined) setTimeout(close, maxSeconds * 1000).unref();
  return { url, ...controlsOf(mock), close };
}

async function serve(mock, request, response) {
  // Aborts once the client has gone, so that the mock stops waiting to answer it.
  const left = new AbortController();
  response.once("close", () => {
    if (!response.writableEnded) left.abort();
  });
  try {
    const answer = await mock.handle({
      method: request.method,
      target: request.url,
      url: request.url,
      headers: request.headers,
      rawHeaders: request.rawHeaders,
      httpVersion: request.httpVersion,
      ip: request.socket.remoteAddress,
      signal: left.signal,
      gone: () => response.destroyed || response.writableEnded,
      readBody: (maxBytes) => readBody(request, maxBytes),
      readSome: (maxBytes) => readSome(request, maxBytes),
    });
    if (answer === undefined) return;
    if (answer.drop) return void request.socket.destroy();
    if (answer.hang) {
      await answer.hang;
      return void response.socket?.destroy();
    }
    if (answer.bomb) return streamBomb(answer.bomb, (status, headers) => response.writeHead(status, { ...answer.headers, ...headers }));
    if (response.destroyed || response.writableEnded) return;
    const head = { ...answer.headers };
    if (answer.sized && answer.status !== 204 && answer.status !== 304) head["Content-Length"] = Buffer.byteLength(answer.body);
    response.writeHead(answer.status, head).end(answer.body);
  } catch (error) {
    // A fault's own headers may be ones node:http refuses to write.
    console.error("atlas-mock: internal error:", error);
    if (!response.headersSent) {
      const body = apiError(500, "UNEXPECTED_ERROR", "Unexpected error in the mock.");
      response.writeHead(500, { ...CORS_HEADERS, "Content-Type": "application/json" }).end(JSON.stringify(body));
    } else {
      response.destroy();
    }
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

/** Up to `maxBytes` of the request's body as text; the rest is read and dropped. */
function readSome(request, maxBytes) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
      size += chunk.length;
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}
