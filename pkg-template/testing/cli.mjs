// The mock Atlas as a command, for tests in other processes and languages: it prints one line of
// JSON, {url, groupId, token}, and serves until SIGINT, SIGTERM or --max-seconds.
//
//   node testing/cli.mjs --port 8081 --job-step-ms 3000
import { parseArgs } from "node:util";

import { MOCK_GROUP_ID, MOCK_TOKEN } from "./dataset.mjs";
import { startMockAtlas } from "./server.mjs";

const USAGE =
  "usage: node testing/cli.mjs [--port N] [--token T] [--public-base-url U] [--max-seconds S] [--latency-ms M]" +
  ` [--clusters '{"Size500":500}'] [--job-step-ms M]`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string" },
      token: { type: "string" },
      "public-base-url": { type: "string" },
      "max-seconds": { type: "string" },
      "latency-ms": { type: "string" },
      clusters: { type: "string" },
      "job-step-ms": { type: "string" },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
const number = (text) => (text === undefined ? undefined : Number(text));
const token = values.token ?? MOCK_TOKEN;
let mock;
try {
  mock = await startMockAtlas({
    port: number(values.port) ?? 0,
    token,
    publicBaseUrl: values["public-base-url"],
    maxSeconds: number(values["max-seconds"]),
    latencyMs: number(values["latency-ms"]) ?? 0,
    clusters: values.clusters === undefined ? {} : JSON.parse(values.clusters),
    jobStepMs: number(values["job-step-ms"]),
  });
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
// The one line callers parse; the token is the mock's own, fine to print.
process.stdout.write(`${JSON.stringify({ url: mock.url, groupId: MOCK_GROUP_ID, token })}\n`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => mock.close().then(() => process.exit(0)));
}
