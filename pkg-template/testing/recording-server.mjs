// The other origin of a redirect fault (redirects.mjs): a second server on 127.0.0.1 that records
// every request it receives (headers and body included) and answers each as Atlas would, with an
// empty page, a token or a revocation, so a client that followed a redirect there would carry on
// as if nothing had happened. Tests assert that it received nothing.
import { createServer } from "node:http";

const MAX_RECORDED_BODY_BYTES = 64 << 10;
const MAX_RECORDED_REQUESTS = 10_000;

/**
 * Starts the other origin on 127.0.0.1. `requests` lists what it received, oldest first:
 * `{method, url, headers, body}`. It keeps at most 10,000 and closes itself after `maxSeconds`.
 * @returns {Promise<{url: string, requests: object[], close(): Promise<void>}>}
 */
export async function startRecordingServer({ maxSeconds = 300 } = {}) {
  const requests = [];
  const server = createServer((request, response) => {
    const chunks = [];
    let size = 0;
    request.on("data", (chunk) => {
      if (size < MAX_RECORDED_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_RECORDED_BODY_BYTES - size));
      size += chunk.length;
    });
    request.on("end", () => {
      if (requests.length < MAX_RECORDED_REQUESTS) {
        requests.push({ method: request.method, url: request.url, headers: { ...request.headers }, body: Buffer.concat(chunks).toString("utf8") });
      }
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(plausibleAnswer(request)));
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const timer = setTimeout(() => close(), maxSeconds * 1000).unref();
  let closing;
  const close = () => {
    clearTimeout(timer);
    closing ??= new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  };
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close };
}

/** What Atlas would answer: a token to a token request, an empty page to anything else. */
function plausibleAnswer(request) {
  if (request.method === "POST" && request.url.startsWith("/api/oauth/token")) {
    return { access_token: "token-from-elsewhere", token_type: "Bearer", expires_in: 3600 };
  }
  if (request.method === "POST") return {};
  return { links: [], results: [], totalCount: 0 };
}
