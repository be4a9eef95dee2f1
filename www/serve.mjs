// The main job: serves the demo page, against the embedded mock Atlas unless --atlas-base-url
// names a real one (or a proxy). Ctrl-C stops it.
import { parseArgs } from "node:util";

import { startDemo } from "./server.mjs";

const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: "8080" },
    "atlas-base-url": { type: "string" },
  },
});

const demo = await startDemo({ port: Number(args.port), atlasBaseUrl: args["atlas-base-url"] });
console.log(`demo page: ${demo.url}`);
console.log(demo.mock ? `mock Atlas: ${demo.mock.url} (project ${demo.config.groupId})` : `Atlas base URL: ${demo.config.baseUrl}`);
console.log("Ctrl-C stops it.");

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await demo.close();
    process.exit(0);
  });
}
