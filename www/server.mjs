// The demo: the page and the built package on 127.0.0.1, with the mock Atlas beside them, or, given
// an Atlas base URL, with a same-origin proxy to it (createAtlasProxy from the package's server
// entry) that holds the credentials, so the page holds none. Used by serve.mjs (the main-job
// command) and the end-to-end tests.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "../pkg-template/testing.mjs";
import { atlasSettings } from "./atlas-env.mjs";
import { startSite } from "./site.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The demo mock's pace: its Queued and InProgress jobs move one step every few seconds, so live mode and `watch` see them finish. */
export const DEMO_JOB_STEP_MS = 3_000;
/** Where the proxy is mounted on the page's own origin. */
export const PROXY_PREFIX = "/atlas";

export { AtlasSettingsError, atlasSettings } from "./atlas-env.mjs";

/**
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string} [options.atlasBaseUrl] an Atlas (or any Atlas-compatible server) to reach through
 *   the demo's proxy instead of the mock
 * @param {Record<string, string | undefined>} [options.env=process.env] where the proxy's
 *   credentials and the project are read from, in the Atlas CLI's variable names
 * @param {object} [options.mock] options for the mock (startMockAtlas); by default 150 ms of
 *   latency and a job step every DEMO_JOB_STEP_MS
 * @param {boolean} [options.freshJobsOnLoad=false] starts the mock's running jobs over (mock.reset())
 *   whenever the page is loaded, so a page opened long after the start still has jobs to watch
 */
export async function startDemo({ port = 0, atlasBaseUrl, env = process.env, mock: mockOptions = {}, freshJobsOnLoad = false } = {}) {
  if (!existsSync(join(ROOT, "pkg", "index.js"))) {
    throw new Error("pkg/ is missing: run scripts/build.sh (scripts/demo.sh does) first");
  }
  // Read (and refused, when incomplete) before anything starts.
  const atlas = atlasBaseUrl === undefined ? undefined : atlasSettings(env);
  const mock = atlas ? undefined : await startMockAtlas({ latencyMs: 150, jobStepMs: DEMO_JOB_STEP_MS, ...mockOptions });
  let proxy;
  let proxyHandler;
  if (atlas) {
    // The built package's own server entry, as a console's backend would import it.
    const { createAtlasProxy, toNodeHandler } = await import(pathToFileURL(join(ROOT, "pkg", "server.mjs")).href);
    proxy = createAtlasProxy({ baseUrl: atlasBaseUrl, auth: atlas.auth, prefix: PROXY_PREFIX });
    proxyHandler = toNodeHandler(proxy);
  }
  const config = mock
    ? { mode: "mock", baseUrl: mock.url, groupId: MOCK_GROUP_ID, clusterName: "Cluster0", accessToken: MOCK_TOKEN, clusters: ["Cluster0", "Sharded0", "Empty0", "Big0"] }
    : { mode: "proxy", proxyPath: PROXY_PREFIX, upstream: atlasBaseUrl, credentials: atlas.label, groupId: atlas.projectId ?? "", clusterName: "" };
  let site;
  try {
    site = await startSite({ port, root: ROOT, config, proxy: proxyHandler, proxyPrefix: PROXY_PREFIX, onPageLoad: mock && freshJobsOnLoad ? () => mock.reset() : undefined });
  } catch (error) {
    await proxy?.close().catch(() => {});
    await mock?.close();
    throw error;
  }
  return {
    url: `${site.url}/`,
    mock,
    config,
    /** What the proxy's credentials are and where they came from (names, never values). */
    credentials: atlas && { label: atlas.label, variables: atlas.variables },
    async close() {
      await site.close();
      // Revokes a service account's token; a refusal is no reason to keep running.
      await proxy?.close().catch(() => {});
      await mock?.close();
    },
  };
}
