// createAtlasProxy mounted as users of Express 5, Fastify 5 and Hono 4 (on @hono/node-server, with
// its default settings, which replace the global Response) mount it: tests/stacks/servers holds one
// server of each, run with `node --env-file`. A page's client lists jobs of the mock through each;
// onError gets the AtlasError behind a 5xx with no secret in it; a server started with a setting
// unset still starts, and answers 500 naming the setting.
import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, beforeEach, describe, it } from "node:test";

import { AtlasClient } from "atlas-export-jobs";
import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { freePort, scratchDir, startServer } from "../package/support.mjs";
import { atlasErrorOf } from "../support/rejections.mjs";
import { installStack } from "./support.mjs";

const SERVERS = ["express", "fastify", "hono"];
const MOUNT = "/api/atlas";

describe("createAtlasProxy under Express 5, Fastify 5 and Hono 4", () => {
  let scratch;
  let project;
  let mock;
  let closedUrl;

  before(async () => {
    // The servers take their settings from their env file alone: a variable of the environment
    // would win over it (a developer's own ATLAS_CLIENT_SECRET, say).
    for (const name of ["ATLAS_BASE_URL", "ATLAS_CLIENT_ID", "ATLAS_CLIENT_SECRET", "PORT"]) delete process.env[name];
    scratch = scratchDir("servers");
    project = await installStack("servers", { scratch });
    mock = await startMockAtlas({ maxSeconds: 600 });
    // Nothing listens there: connecting is refused.
    closedUrl = `http://127.0.0.1:${await freePort()}`;
  });

  after(async () => {
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  beforeEach(() => mock?.reset());

  /**
   * Starts `server` with `node --env-file` and these settings (one left undefined is left out of
   * the file, as an unset variable is) and resolves with its address and output.
   */
  async function start(server, settings) {
    const port = await freePort();
    const envFile = join(project, `${server}-${port}.env`);
    const lines = Object.entries({ ...settings, PORT: port }).filter(([, value]) => value !== undefined);
    writeFileSync(envFile, lines.map(([name, value]) => `${name}=${value}\n`).join(""));
    const base = `http://127.0.0.1:${port}`;
    const started = await startServer(process.execPath, [`--env-file=${envFile}`, `${server}.mjs`], { cwd: project, url: `${base}/` });
    return { base, ...started };
  }

  /** The server's output once it holds `text` (it is written as the proxy answers), within 5 s. */
  async function outputWith(server, text) {
    for (let attempt = 0; attempt < 50 && !server.output().includes(text); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return server.output();
  }

  const serviceAccount = () => ({ ATLAS_BASE_URL: mock.url, ATLAS_CLIENT_ID: MOCK_CLIENT_ID, ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET });
  const endpoint = (base) => `${base}${MOUNT}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/Cluster0/backup/exports`;

  for (const name of SERVERS) {
    describe(name, () => {
      let server;
      let page;

      before(async () => {
        server = await start(name, serviceAccount());
        // What a page on the server's origin would make: no credentials, the proxy's mount point.
        page = new AtlasClient({ baseUrl: `${server.base}${MOUNT}`, auth: { type: "none" }, retry: false });
      });

      after(async () => {
        await server?.close();
      });

      it("lists a page of the mock's jobs with the server's service account", async () => {
        const listed = await page.listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 5, pageNum: 2 });
        const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
        assert.deepEqual(listed.results.map((job) => job.id), jobs.slice(5, 10).map((job) => job.id));
        assert.equal(listed.totalCount, jobs.length);
        const upstream = mock.requests.filter((request) => request.path.endsWith("/backup/exports"));
        assert.deepEqual(upstream.map((request) => [request.authScheme, request.authorized]), [["Bearer", true]]);
      });

      it("hands onError the AtlasError behind a 502 whose page echoes the token, with no secret in it", async () => {
        let echo = "";
        mock.injectFault({ fault: { reflect: { status: 502, onEcho: (text) => { echo = text; } } } });
        const error = await atlasErrorOf(page.listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" }));
        assert.equal(error.kind, "api");
        assert.equal(error.status, 502);
        const token = /Bearer ([^\s"'<&]+)/.exec(echo)?.[1];
        assert.ok(token, `the upstream page echoed the proxy's token: ${echo.slice(0, 200)}`);
        const output = await outputWith(server, "AtlasError");
        assert.match(output, /Atlas proxy: GET \/api\/atlas\/api\/atlas\/v2\/groups\/\w+\/clusters\/Cluster0\/backup\/exports/);
        assert.match(output, /AtlasError/);
        assert.match(output, /kind: 'api'/);
        assert.ok(!output.includes(token), `the token is in the log:\n${output}`);
        assert.ok(!output.includes(MOCK_CLIENT_SECRET), `the secret is in the log:\n${output}`);
      });

      it("hands onError the AtlasError behind an unreachable upstream, with no secret in it", async () => {
        const unreachable = await start(name, { ...serviceAccount(), ATLAS_BASE_URL: closedUrl });
        try {
          const client = new AtlasClient({ baseUrl: `${unreachable.base}${MOUNT}`, auth: { type: "none" }, retry: false });
          const error = await atlasErrorOf(client.listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" }));
          assert.equal(error.kind, "api");
          assert.equal(error.status, 502);
          const output = await outputWith(unreachable, "AtlasError");
          assert.match(output, /AtlasError/);
          // The service account's token request is what could not connect.
          assert.match(output, /kind: '(network|auth)'/);
          assert.ok(!output.includes(MOCK_CLIENT_SECRET), `the secret is in the log:\n${output}`);
        } finally {
          await unreachable.close();
        }
      });

      it("starts with ATLAS_CLIENT_SECRET unset, and answers 500 naming auth.clientSecret, never a value", async () => {
        const misconfigured = await start(name, { ...serviceAccount(), ATLAS_CLIENT_SECRET: undefined });
        try {
          const response = await fetch(endpoint(misconfigured.base));
          const text = await response.text();
          assert.equal(response.status, 500, text);
          assert.match(response.headers.get("content-type") ?? "", /json/);
          const body = JSON.parse(text);
          assert.equal(body.error, 500);
          assert.match(text, /auth\.clientSecret/);
          for (const value of [MOCK_CLIENT_ID, mock.url]) assert.ok(!text.includes(value), `${value} is in the answer: ${text}`);
          assert.equal(mock.requests.length, 0, "nothing went upstream");
          const output = await outputWith(misconfigured, "AtlasError");
          assert.match(output, /AtlasError/);
          assert.match(output, /auth\.clientSecret/);
          assert.ok(!output.includes(MOCK_CLIENT_ID), `the client id is in the log:\n${output}`);
        } finally {
          await misconfigured.close();
        }
      });
    });
  }
});
