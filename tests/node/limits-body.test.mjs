// Bounded bodies (issue 14): gzip bombs of 300 MB and 1.2 GB and a plain 100 MB body, with and
// without a Content-Length, are refused as kind "tooLarge" under the default cap and a small
// one; the process grows by less than four times the cap, the wasm memory not at all to speak
// of, and the next call works. Then the cap at its exact edge, on calls, clients, the token and
// revoke endpoints and error statuses, and bodies that are not UTF-8.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, afterEach, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { AtlasClient, listExportJobs } from "atlas-export-jobs";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { MEMBER_BYTES } from "../../pkg-template/testing/bombs.mjs";
import { atlasErrorOf, collectEscapes } from "../support/rejections.mjs";

const MiB = 1024 * 1024;
const DEFAULT_CAP = 8 * MiB;
const CHILD = fileURLToPath(new URL("./limits-memory-child.mjs", import.meta.url));
const serviceAccount = { type: "serviceAccount", clientId: MOCK_CLIENT_ID, clientSecret: MOCK_CLIENT_SECRET };

// The bodies the issue names, each on a cluster of its own so one child process can call them in turn.
const BOMBS = {
  Gzip300: { bytes: 300_000_000, encoding: "gzip", contentLength: true },
  Gzip1200: { bytes: 1_200_000_000, encoding: "gzip", contentLength: false },
  Plain100Length: { bytes: 100_000_000, encoding: "identity", contentLength: true },
  Plain100Chunked: { bytes: 100_000_000, encoding: "identity", contentLength: false },
};
const WARM = {
  WarmGzip: { bytes: 16 * MiB, encoding: "gzip", contentLength: false },
  WarmPlain: { bytes: 16 * MiB, encoding: "identity", contentLength: false },
};

const escaped = collectEscapes();

describe("bounded bodies", () => {
  let mock;
  const params = (extra = {}) => ({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 3, ...extra });
  const options = (extra = {}) => ({ baseUrl: mock.url, accessToken: MOCK_TOKEN, ...extra });
  const apiGets = () => mock.requests.filter((r) => r.method === "GET");

  before(async () => {
    mock = await startMockAtlas({ maxSeconds: 300 });
  });
  afterEach(async () => {
    mock.reset();
    assert.equal((await listExportJobs(params(), options())).results.length, 3, "the next call works");
    mock.reset();
  });
  after(async () => {
    await mock.close();
    assert.deepEqual(escaped, []);
  });

  /** Queues every bomb, runs the child with `maxBodyBytes`, and returns its report and what the mock wrote. */
  async function measure(maxBodyBytes) {
    const wrote = {};
    for (const [cluster, bomb] of Object.entries({ ...WARM, ...BOMBS })) {
      mock.injectFault({ cluster, fault: { bomb: { ...bomb, onEnd: (report) => (wrote[cluster] = report) } } });
    }
    const input = { url: mock.url, maxBodyBytes, warm: Object.keys(WARM), clusters: Object.keys(BOMBS), groupId: MOCK_GROUP_ID, token: MOCK_TOKEN };
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ["--expose-gc", CHILD, JSON.stringify(input)], { timeout: 120_000 });
    assert.ok(stdout.trim() !== "", `the measuring process made no report:\n${stderr}`);
    return { report: JSON.parse(stdout.trim().split("\n").at(-1)), wrote };
  }

  function checkReport({ report, wrote }, cap, t) {
    assert.deepEqual(report.escaped, [], "nothing escaped the calls");
    assert.deepEqual(report.results.map((r) => r.cluster), Object.keys(BOMBS));
    for (const { cluster, error, before, after, peakRss, next } of report.results) {
      const growth = after.rss - before.rss;
      const peak = peakRss - before.rss;
      t.diagnostic(
        `${cluster}, cap ${cap / MiB} MiB: RSS ${mb(before.rss)} -> ${mb(after.rss)} MB (growth ${mb(growth)}, sampled peak +${mb(peak)}), ` +
          `heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB, wasm memory ${before.wasm} -> ${after.wasm} bytes`,
      );
      assert.deepEqual(error, { atlasError: true, runtimeError: false, kind: "tooLarge", status: 200, maxBodyBytes: cap }, cluster);
      assert.ok(growth < 4 * cap, `${cluster}: RSS grew by ${growth} bytes, not under 4 x ${cap}`);
      assert.ok(peak < 4 * cap, `${cluster}: RSS peaked ${peak} bytes above where it was, not under 4 x ${cap}`);
      // A refused body never reaches the wasm memory, which never shrinks once grown.
      assert.ok(after.wasm - before.wasm <= MiB, `${cluster}: wasm memory grew from ${before.wasm} to ${after.wasm}`);
      assert.deepEqual(next, { resolved: true, jobs: 3 }, `${cluster}: the next call works`);
    }
    // Refused bodies do not pile up: all four together stay under the same bound.
    const first = report.results[0].before.rss;
    const last = report.results.at(-1).after.rss;
    assert.ok(last - first < 4 * cap, `RSS grew by ${last - first} bytes over all four bodies, not under 4 x ${cap}`);
    // The stream is cancelled, not read to its end: the mock could not write the whole plain body.
    for (const cluster of ["Plain100Length", "Plain100Chunked"]) {
      assert.equal(wrote[cluster].complete, false, `${cluster} was sent whole`);
      assert.ok(wrote[cluster].wireBytes < BOMBS[cluster].bytes);
    }
  }

  it("refuses gzip bombs of 300 MB and 1.2 GB and a plain 100 MB body under the default 8 MiB cap, growing RSS by less than 4 x 8 MiB", async (t) => {
    checkReport(await measure(undefined), DEFAULT_CAP, t);
  });

  it("refuses the same bodies under a client's 1 MiB cap, growing RSS by less than 4 MiB", async (t) => {
    checkReport(await measure(MiB), MiB, t);
  });

  it("takes maxBodyBytes from a call, from a client, and a call's own over its client's", async () => {
    mock.injectFault({ cluster: "Cluster0", fault: { bomb: { bytes: 2 * MiB, encoding: "identity" } }, times: 4 });
    const small = await atlasErrorOf(listExportJobs(params(), options({ maxBodyBytes: MiB })));
    assert.deepEqual([small.kind, small.status, small.maxBodyBytes], ["tooLarge", 200, MiB]);
    const client = new AtlasClient(options({ maxBodyBytes: MiB }));
    assert.equal((await atlasErrorOf(client.listExportJobs(params()))).maxBodyBytes, MiB);
    // Read whole under a larger cap: 2 MiB of 0xFF is then a body that is not UTF-8.
    assert.equal((await atlasErrorOf(client.listExportJobs(params(), { maxBodyBytes: 4 * MiB }))).kind, "decode");
    assert.equal((await atlasErrorOf(listExportJobs(params(), options()))).kind, "decode", "2 MiB is under the default cap");
  });

  it("reads a body of exactly maxBodyBytes and refuses one byte more, with a Content-Length and streamed", async () => {
    const page = JSON.stringify(await listExportJobs(params(), options()));
    const size = 4096;
    const body = page + " ".repeat(size - Buffer.byteLength(page));
    // A custom fetch hands over a stream of unknown length, in two chunks.
    const streamed = async (request) => {
      const answer = await fetch(request);
      const bytes = new Uint8Array(await answer.arrayBuffer());
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.slice(0, 1000));
          controller.enqueue(bytes.slice(1000));
          controller.close();
        },
      });
      return new Response(stream, { status: answer.status, headers: { "Content-Type": answer.headers.get("content-type") } });
    };
    for (const fetchOption of [{}, { fetch: streamed }]) {
      mock.injectFault({ cluster: "Cluster0", fault: { raw: body, contentType: "application/vnd.atlas.2023-01-01+json" }, times: 2 });
      assert.equal((await listExportJobs(params(), options({ maxBodyBytes: size, ...fetchOption }))).results.length, 3);
      const refused = await atlasErrorOf(listExportJobs(params(), options({ maxBodyBytes: size - 1, ...fetchOption })));
      assert.deepEqual([refused.kind, refused.maxBodyBytes], ["tooLarge", size - 1]);
    }
  });

  it("refuses a large body on an error status too, with that status", async () => {
    mock.injectFault({ cluster: "Cluster0", fault: { bomb: { bytes: 100_000_000, encoding: "gzip", status: 502 } }, times: Infinity });
    const error = await atlasErrorOf(listExportJobs(params(), options({ retry: { baseDelayMs: 1, maxDelayMs: 5 } })));
    assert.deepEqual([error.kind, error.status, error.maxBodyBytes], ["tooLarge", 502, DEFAULT_CAP]);
  });

  it("refuses a bomb from the token endpoint before any API request", async () => {
    mock.injectFault({ endpoint: "token", fault: { bomb: { bytes: 300_000_000 } } });
    const error = await atlasErrorOf(new AtlasClient({ baseUrl: mock.url, auth: serviceAccount }).listExportJobs(params()));
    assert.deepEqual([error.kind, error.status], ["tooLarge", 200]);
    assert.equal(apiGets().length, 0);
  });

  it("close() rejects when the revocation endpoint fails with a bomb", async () => {
    const client = new AtlasClient({ baseUrl: mock.url, auth: serviceAccount });
    await client.listExportJobs(params());
    mock.injectFault({ endpoint: "revoke", fault: { bomb: { bytes: 100_000_000, encoding: "identity", status: 503 } } });
    await atlasErrorOf(client.close());
  });

  it("reads a 2xx body that is not UTF-8 as a decode error, plain or gzipped", async () => {
    for (const encoding of ["identity", "gzip"]) {
      mock.injectFault({ cluster: "Cluster0", fault: { bomb: { bytes: MEMBER_BYTES / 4, encoding } } });
      const error = await atlasErrorOf(listExportJobs(params(), options()));
      assert.deepEqual([error.kind, error.status], ["decode", 200], encoding);
    }
  });
});

function mb(bytes) {
  return (bytes / 1e6).toFixed(1);
}
