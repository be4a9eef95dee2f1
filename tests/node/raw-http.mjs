// A request exactly as written, method, path and headers untouched by a URL parser or fetch
// (which would normalise a hostile path), for the proxy tests; at most 10 s.
import { request as httpRequest } from "node:http";

/** Sends one request to `base`'s host and port; resolves with its status, headers and body text. */
export function raw(base, { method = "GET", path, headers = {} }) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, method, path, headers }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}
