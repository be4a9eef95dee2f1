// Serves the demo page and the built package on 127.0.0.1, with the mock Atlas beside it unless
// --atlas-base-url points the page at a real Atlas (or a proxy). Ctrl-C stops both.
import { createReadStream, existsSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { startMockAtlas } from "../tests/mock/atlas-mock.mjs";
import { MOCK_GROUP_ID, MOCK_TOKEN } from "../tests/mock/dataset.mjs";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8080" },
    "atlas-base-url": { type: "string" },
  },
});

const root = fileURLToPath(new URL("..", import.meta.url));
const mounts = [
  ["/pkg/", join(root, "pkg")],
  ["/", join(root, "www")],
];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

if (!existsSync(join(root, "pkg", "index.js"))) {
  console.error("pkg/ is missing: run scripts/build.sh (scripts/demo.sh does) first");
  process.exit(1);
}

const mock = args["atlas-base-url"] ? undefined : await startMockAtlas({ latencyMs: 150 });
const config = mock
  ? { baseUrl: mock.url, groupId: MOCK_GROUP_ID, clusterName: "Cluster0", accessToken: MOCK_TOKEN, mock: true }
  : { baseUrl: args["atlas-base-url"], groupId: "", clusterName: "", accessToken: "", mock: false };

const server = createServer((request, response) => {
  const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
  if (path === "/demo-config.json") {
    response.writeHead(200, { "Content-Type": types[".json"], "Cache-Control": "no-store" });
    response.end(JSON.stringify(config));
    return;
  }
  const file = resolveFile(path);
  if (!file) {
    response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    return;
  }
  response.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
  createReadStream(file).pipe(response);
});

function resolveFile(path) {
  for (const [prefix, dir] of mounts) {
    if (!path.startsWith(prefix)) continue;
    const candidate = normalize(join(dir, path.slice(prefix.length) || "index.html"));
    // Never serve anything outside the mounted folder.
    if (!candidate.startsWith(dir + sep) && candidate !== dir) return undefined;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

server.listen(Number(args.port), "127.0.0.1", () => {
  const { port } = server.address();
  console.log(`demo page: http://127.0.0.1:${port}/`);
  console.log(mock ? `mock Atlas: ${mock.url} (project ${MOCK_GROUP_ID})` : `Atlas base URL: ${config.baseUrl}`);
  console.log("Ctrl-C stops it.");
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    server.close();
    server.closeAllConnections();
    await mock?.close();
    process.exit(0);
  });
}
