// Responses are read through their public API (status, headers.get, body), so a Response from a
// subclass, a polyfill or a runtime whose accessors are its own works, and so does a process whose
// global Response was replaced (as @hono/node-server does). A relative baseUrl with no page to
// resolve it against (server rendering, Node) makes a client that refuses each call, not its making.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";

import { AtlasClient, listExportJobs } from "atlas-export-jobs";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { atlasErrorOf, collectEscapes } from "../support/rejections.mjs";

const escaped = collectEscapes();

describe("platform objects read through their public API", () => {
  let mock;
  const params = { groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 3 };
  const expectedIds = () => jobsFor(MOCK_GROUP_ID, "Cluster0").slice(0, 3).map((job) => job.id);
  const list = (fetch) => listExportJobs(params, { baseUrl: mock.url, accessToken: MOCK_TOKEN, retry: false, fetch });

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
  });
  beforeEach(() => mock.reset());
  after(async () => {
    await mock.close();
    assert.deepEqual(escaped, []);
  });

  it("a Response subclass", async () => {
    class TracedResponse extends Response {}
    const page = await list(async (request) => {
      const real = await fetch(request);
      return new TracedResponse(real.body, { status: real.status, headers: real.headers });
    });
    assert.deepEqual(page.results.map((job) => job.id), expectedIds());
  });

  it("a polyfill's plain object with status, headers.get and a body stream", async () => {
    const page = await list(async (request) => {
      const real = await fetch(request);
      const headers = new Map([...real.headers].map(([name, value]) => [name, value]));
      return {
        type: "default",
        status: real.status,
        headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
        body: real.body,
        arrayBuffer: () => real.arrayBuffer(),
      };
    });
    assert.deepEqual(page.results.map((job) => job.id), expectedIds());
  });

  it("a replaced global Response whose getters throw on the platform's responses", async () => {
    const Platform = globalThis.Response;
    // What @hono/node-server's own Response does when handed undici's: its getters expect its own fields.
    globalThis.Response = class Replaced extends Platform {
      get status() {
        throw new TypeError("this[getResponseCache] is not a function");
      }
    };
    try {
      const page = await listExportJobs(params, { baseUrl: mock.url, accessToken: MOCK_TOKEN });
      assert.deepEqual(page.results.map((job) => job.id), expectedIds());
    } finally {
      globalThis.Response = Platform;
    }
  });

  it("a response whose status or headers cannot be read is a network error, not an exception", async () => {
    // A Proxy whose traps throw fails as the fetch call's own promise settles (its `then` is read).
    const trap = await atlasErrorOf(list(async () => new Proxy({}, { get: () => { throw new Error("boom"); } })));
    assert.equal(trap.kind, "network", trap.message);
    for (const response of [
      { status: "200", headers: new Headers() },
      { status: 200, headers: null },
      { status: 1000, headers: new Headers() },
      { get status() { throw new Error("boom"); }, headers: new Headers() },
    ]) {
      const error = await atlasErrorOf(list(async () => response));
      assert.equal(error.kind, "network", error.message);
      assert.match(error.message, /something other than a Response/);
    }
    assert.equal((await list(undefined)).results.length, 3, "the next call works");
  });
});

describe("a relative baseUrl where there is no page", () => {
  it("makes a client, whose calls reject with a validation error on baseUrl before any request", async () => {
    let requested = false;
    const client = new AtlasClient({ baseUrl: "/api/atlas", auth: { type: "none" }, fetch: async () => { requested = true; } });
    const error = await atlasErrorOf(client.listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" }));
    assert.equal(error.kind, "validation");
    assert.equal(error.field, "baseUrl");
    assert.match(error.message, /relative, and there is no page here to resolve it against/);
    const free = await atlasErrorOf(listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" }, { baseUrl: "./atlas", accessToken: MOCK_TOKEN }));
    assert.equal(free.field, "baseUrl");
    assert.equal(requested, false);
  });

  it("is still refused when it breaks another rule", () => {
    assert.throws(() => new AtlasClient({ baseUrl: "/api/atlas", auth: { type: "none" }, timeoutMs: 0 }), (error) => error.field === "timeoutMs");
  });
});
