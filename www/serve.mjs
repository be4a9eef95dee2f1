// Serves the demo page and the built package on 127.0.0.1, with the mock Atlas beside it unless
// --atlas-base-url points the page at a real Atlas (or a proxy). Ctrl-C stops both.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { startMockAtlas } from "../tests/mock/atlas-mock.mjs";
import { MOCK_GROUP_ID, MOCK_TOKEN } from "../tests/mock/dataset.mjs";
import { startStaticServer } from "../tests/support/static-server.mjs";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8080" },
    "atlas-base-url": { type: "string" },
  },
});

const root = fileURLToPath(new URL("..", import.meta.url));
if (!existsSync(join(root, "pkg", "index.js"))) {
  console.error("pkg/ is missing: run scripts/build.sh (scripts/demo.sh does) first");
  process.exit(1);
}

const mock = args["atlas-base-url"] ? undefined : await startMockAtlas({ latencyMs: 150 });
const config = mock
  ? { baseUrl: mock.url, groupId: MOCK_GROUP_ID, clusterName: "Cluster0", accessToken: MOCK_TOKEN, mock: true }
  : { baseUrl: args["atlas-base-url"], groupId: "", clusterName: "", accessToken: "", mock: false };

const site = await startStaticServer({
  port: Number(args.port),
  mounts: [
    ["/pkg/", join(root, "pkg")],
    ["/", join(root, "www")],
  ],
  routes: { "/demo-config.json": config },
});
console.log(`demo page: ${site.url}/`);
console.log(mock ? `mock Atlas: ${mock.url} (project ${MOCK_GROUP_ID})` : `Atlas base URL: ${config.baseUrl}`);
console.log("Ctrl-C stops it.");

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await site.close();
    await mock?.close();
    process.exit(0);
  });
}
