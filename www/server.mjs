// The demo: the page and the built package on 127.0.0.1, and the mock Atlas beside them unless the
// page is pointed at a real Atlas (or a proxy). Used by serve.mjs (the main-job command) and the
// end-to-end tests.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { startMockAtlas } from "../tests/mock/atlas-mock.mjs";
import { MOCK_GROUP_ID, MOCK_TOKEN } from "../tests/mock/dataset.mjs";
import { startStaticServer } from "../tests/support/static-server.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The demo mock's pace: its Queued and InProgress jobs move one step every few seconds, so live mode and `watch` see them finish. */
export const DEMO_JOB_STEP_MS = 3_000;

/**
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string} [options.atlasBaseUrl] a real Atlas or proxy instead of the mock
 * @param {object} [options.mock] options for the mock (startMockAtlas); by default 150 ms of
 *   latency and a job step every DEMO_JOB_STEP_MS
 */
export async function startDemo({ port = 0, atlasBaseUrl, mock: mockOptions = {} } = {}) {
  if (!existsSync(join(ROOT, "pkg", "index.js"))) {
    throw new Error("pkg/ is missing: run scripts/build.sh (scripts/demo.sh does) first");
  }
  const mock = atlasBaseUrl ? undefined : await startMockAtlas({ latencyMs: 150, jobStepMs: DEMO_JOB_STEP_MS, ...mockOptions });
  const config = mock
    ? { baseUrl: mock.url, groupId: MOCK_GROUP_ID, clusterName: "Cluster0", accessToken: MOCK_TOKEN, mock: true }
    : { baseUrl: atlasBaseUrl, groupId: "", clusterName: "", accessToken: "", mock: false };
  const site = await startStaticServer({
    port,
    mounts: [
      ["/pkg/", join(ROOT, "pkg")],
      ["/", join(ROOT, "www")],
    ],
    routes: { "/demo-config.json": config },
  });
  return {
    url: `${site.url}/`,
    mock,
    config,
    async close() {
      await site.close();
      await mock?.close();
    },
  };
}
