// The main job: serves the demo page against the embedded mock Atlas, or, with --atlas-base-url,
// against that Atlas through a same-origin proxy that holds the credentials from the Atlas CLI's
// variables. --check only checks the arguments and variables (scripts/demo.sh runs it before the
// build, so a missing variable is reported at once). Ctrl-C stops it.
import { parseArgs } from "node:util";

import { AtlasSettingsError, atlasSettings, PROXY_PREFIX, startDemo } from "./server.mjs";

const USAGE = "usage: bash scripts/demo.sh [--port N] [--atlas-base-url URL]";

let args;
try {
  ({ values: args } = parseArgs({
    options: {
      port: { type: "string", default: "8080" },
      "atlas-base-url": { type: "string" },
      check: { type: "boolean", default: false },
    },
  }));
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number from 0 to 65535\n${USAGE}`);
const atlasBaseUrl = args["atlas-base-url"];

try {
  if (atlasBaseUrl !== undefined) atlasSettings(process.env);
} catch (error) {
  if (error instanceof AtlasSettingsError) fail(error.message);
  throw error;
}
if (args.check) process.exit(0);

let demo;
try {
  // Each load of the page starts the mock's running jobs over, so live mode has something to follow.
  demo = await startDemo({ port, atlasBaseUrl, freshJobsOnLoad: true });
} catch (error) {
  // The proxy refuses a base URL it will not call (such as http: to another machine).
  if (error?.name === "AtlasError") fail(`--atlas-base-url: ${error.message}`);
  if (error?.code === "EADDRINUSE") fail(`port ${port} is in use: choose another with --port`);
  throw error;
}
console.log(`demo page: ${demo.url}`);
if (demo.mock) {
  console.log(`mock Atlas: ${demo.mock.url} (project ${demo.config.groupId})`);
} else {
  const { label, variables } = demo.credentials;
  console.log(`Atlas: ${demo.config.upstream}, through the proxy at ${demo.url.replace(/\/$/, "")}${PROXY_PREFIX}`);
  console.log(`credentials: the ${label} in ${variables.join(" and ")}, held by the proxy; the page gets none`);
  console.log(demo.config.groupId ? "project: from MONGODB_ATLAS_PROJECT_ID" : "project: MONGODB_ATLAS_PROJECT_ID is not set, so the page asks for it");
}
console.log("Ctrl-C stops it.");

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await demo.close();
    process.exit(0);
  });
}

function fail(message) {
  console.error(message);
  process.exit(2);
}
