// atlas-export-jobs/testing in Node: the mock Atlas on 127.0.0.1 (startMockAtlas), the same mock in
// memory (mockFetch) and exportJob. See testing.d.ts.
export * from "./testing/index.mjs";
// Named here, so it takes the place of the browser entry's stub.
export { startMockAtlas } from "./testing/server.mjs";
