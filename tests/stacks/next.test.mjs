// Next.js 15 and 16 with the App Router, set up as create-next-app sets them up (tests/stacks/next/15
// and 16: one project, lock file and tsconfig.json each), serving the one app of tests/stacks/next/app:
// a client component lists Cluster0's jobs through a route handler built on createAtlasProxy, which
// reads the service account from the environment at run time. Each version runs `next dev`, and
// `next build` (with no Atlas variable set) then `next start`, with Turbopack and with webpack; the
// page is opened in headless Chromium.
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { MOCK_CLIENT_ID, MOCK_CLIENT_SECRET, MOCK_GROUP_ID, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { launchChromium } from "../support/chromium.mjs";
import { REPO, freePort, packInstalled, pageResult, run, scratchDir, startServer } from "../package/support.mjs";
import { installStack } from "./support.mjs";

// The flags that choose each bundler: Next 15 defaults to webpack, Next 16 to Turbopack.
const STACKS = [
  { stack: "next/15", bundlers: { Turbopack: ["--turbopack"], webpack: [] } },
  { stack: "next/16", bundlers: { Turbopack: [], webpack: ["--webpack"] } },
];
const APP = join(REPO, "tests", "stacks", "next", "app");

// The variables the route handler reads; a build must succeed without any of them.
const ATLAS_VARIABLES = ["MONGODB_ATLAS_BASE_URL", "MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET"];
const WITHOUT_ATLAS = Object.fromEntries(ATLAS_VARIABLES.map((name) => [name, undefined]));

// Next reports usage to its servers unless told not to; the commands started below inherit this.
process.env.NEXT_TELEMETRY_DISABLED = "1";

describe("Next.js App Router: a client component and a route handler", () => {
  let scratch;
  let tarball;
  let mock;
  let browser;
  let expected;
  // The servers (not the builds) get the service account, as a deployment's environment would.
  let deployed;

  before(async () => {
    scratch = scratchDir("next");
    tarball = await packInstalled(scratch);
    mock = await startMockAtlas({ maxSeconds: 1200 });
    browser = await launchChromium();
    deployed = {
      MONGODB_ATLAS_BASE_URL: mock.url,
      MONGODB_ATLAS_CLIENT_ID: MOCK_CLIENT_ID,
      MONGODB_ATLAS_CLIENT_SECRET: MOCK_CLIENT_SECRET,
    };
    // The page asks for Atlas's default page, which holds all of Cluster0's jobs.
    const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
    expected = { ids: jobs.map((job) => job.id), totalCount: jobs.length };
  });

  after(async () => {
    await browser?.close();
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const { stack, bundlers } of STACKS) {
    const version = JSON.parse(readFileSync(join(REPO, "tests", "stacks", stack, "package.json"), "utf8")).dependencies.next;

    describe(`Next.js ${version}`, () => {
      let dir;
      const next = () => join(dir, "node_modules", ".bin", "next");

      before(async () => {
        dir = await installStack(stack, { scratch, dir: join(scratch, stack.replace("/", "-")), tarball });
        cpSync(APP, join(dir, "app"), { recursive: true });
      });

      /** Serves the app with `next <args>` on a free port and checks what its page lists. */
      async function lists(args) {
        mock.reset();
        const port = await freePort();
        const url = `http://127.0.0.1:${port}/`;
        const server = await startServer(next(), [...args, "--hostname", "127.0.0.1", "--port", String(port)], { cwd: dir, url, env: deployed });
        try {
          const result = await pageResult(browser, `${url}?${new URLSearchParams({ groupId: MOCK_GROUP_ID })}`);
          assert.deepEqual(result, expected, server.output());
          assert.equal(mock.stats().tokenRequests, 1, "the route handler requested the service account's token once");
        } finally {
          await server.close();
        }
      }

      for (const [bundler, flags] of Object.entries(bundlers)) {
        const command = (name) => ["next", name, ...flags].join(" ");

        // Each run starts from no .next/, as a first run or a CI build does.
        it(`${command("dev")} (${bundler}): the page lists jobs`, async () => {
          rmSync(join(dir, ".next"), { recursive: true, force: true });
          await lists(["dev", ...flags]);
        });

        it(`${command("build")} (${bundler}) with no Atlas variable set, then next start: the page lists jobs`, async () => {
          rmSync(join(dir, ".next"), { recursive: true, force: true });
          await run(next(), ["build", ...flags], { cwd: dir, env: WITHOUT_ATLAS });
          await lists(["start"]);
        });
      }
    });
  }
});
