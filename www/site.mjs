// The demo's web server on 127.0.0.1: the page (www/), the built package (pkg/), the page's
// settings (/demo-config.json) and, when there is one, the Atlas proxy under its prefix.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".json": "application/json",
};
// The page's own files; the server's modules (.mjs) stay private.
const PAGE_TYPES = new Set([".html", ".js", ".css", ".svg"]);

/**
 * @param {object} options
 * @param {number} options.port 0 picks a free one
 * @param {string} options.root the repository
 * @param {object} options.config what /demo-config.json answers
 * @param {Function} [options.proxy] a Node handler for `${proxyPrefix}/...`
 * @param {string} [options.proxyPrefix]
 * @param {() => void} [options.onPageLoad] called when the page itself (/) is requested
 * @returns {Promise<{url: string, close(): Promise<void>}>}
 */
export function startSite({ port, root, config, proxy, proxyPrefix, onPageLoad }) {
  const www = join(root, "www");
  const pkg = join(root, "pkg");
  let hosts = new Set();
  // With a proxy, the page may call only its own origin; against the mock, any base URL typed in.
  const connect = proxy ? "'self'" : "'self' http: https:";
  const policy = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    `connect-src ${connect}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
  const common = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };

  const server = createServer((request, response) => {
    // Only names of this machine: a page elsewhere that rebinds its own name to 127.0.0.1 must not
    // reach the proxy's credentials.
    if (!hosts.has(String(request.headers.host ?? "").toLowerCase())) {
      response.writeHead(421, { "Content-Type": "text/plain" }).end("misdirected request");
      return;
    }
    let path;
    try {
      path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
    } catch {
      response.writeHead(400, { "Content-Type": "text/plain" }).end("bad request");
      return;
    }
    if (proxy && (path === proxyPrefix || path.startsWith(`${proxyPrefix}/`))) {
      proxy(request, response);
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { ...common, Allow: "GET, HEAD", "Content-Type": "text/plain" }).end("method not allowed");
      return;
    }
    if (path === "/demo-config.json") {
      response.writeHead(200, { ...common, "Content-Type": TYPES[".json"] }).end(JSON.stringify(config));
      return;
    }
    if (path === "/" && request.method === "GET") onPageLoad?.();
    const file = path.startsWith("/pkg/") ? inside(pkg, path.slice(5)) : inside(www, path === "/" ? "index.html" : path.slice(1), PAGE_TYPES);
    if (!file) {
      response.writeHead(404, { ...common, "Content-Type": "text/plain" }).end("not found");
      return;
    }
    const headers = { ...common, "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" };
    if (file.endsWith(".html")) headers["Content-Security-Policy"] = policy;
    response.writeHead(200, headers);
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const { port: bound } = server.address();
      hosts = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`]);
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The file at `rest` under `dir`, never outside it, of an allowed type; or undefined. */
function inside(dir, rest, types) {
  const candidate = normalize(join(dir, rest));
  if (!candidate.startsWith(dir + sep)) return undefined;
  if (types && !types.has(extname(candidate))) return undefined;
  try {
    return statSync(candidate).isFile() ? candidate : undefined;
  } catch {
    return undefined;
  }
}
