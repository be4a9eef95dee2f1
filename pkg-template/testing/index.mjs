// atlas-export-jobs/testing where there is no Node (browsers, Storybook, workers): the mock Atlas
// in memory (mockFetch) and exportJob. startMockAtlas needs node:http, so here it only says so;
// Node resolves the package's "./testing" to ../testing.mjs, which has it.
export { mockFetch } from "./fetch.mjs";
export { exportJob } from "./job.mjs";
export { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET } from "./auth-service-account.mjs";
export { MOCK_PRIVATE_KEY, MOCK_PUBLIC_KEY } from "./auth-digest.mjs";
export { MOCK_CLUSTERS, MOCK_GROUP_ID, MOCK_TOKEN } from "./dataset.mjs";

/** Rejects: a server on 127.0.0.1 needs Node. */
export async function startMockAtlas() {
  throw new Error("startMockAtlas needs Node (node:http); in a browser, jsdom or a worker use mockFetch(), the same mock in memory");
}
