// atlas-export-jobs/testing as a web console team uses it: a component test under Vitest with
// jsdom whose component lists jobs through mockFetch, and TypeScript code that uses the kit,
// compiled under the oldest TypeScript the package supports and the latest. One scratch project
// holds the packed tarball, Vite, Vitest, jsdom and TypeScript 5.0.
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { BIN, installProject, packInstalled, run, scratchDir } from "../package/support.mjs";

// Exact versions: Vitest 4 runs on Node 20 with Vite 8 (8.3.8, the workspace's pin), and jsdom 27
// is the last that states Node 20.19 among its engines.
const PACKAGES = ["vite@8.3.8", "vitest@4.1.12", "jsdom@27.4.0", "typescript-5.0@npm:typescript@5.0.4"];

// A component as a console would write it: it lists a cluster's jobs with the package's client
// into a table, or says what went wrong.
const COMPONENT = `import { AtlasClient } from "atlas-export-jobs";

export async function renderJobs(root, { fetch, auth, baseUrl, groupId, clusterName }) {
  const client = new AtlasClient({ fetch, auth, ...(baseUrl ? { baseUrl } : {}), retry: false });
  try {
    const jobs = await client.listAllExportJobs({ groupId, clusterName, itemsPerPage: 10 });
    const table = document.createElement("table");
    for (const job of jobs) {
      const row = table.insertRow();
      row.dataset.id = job.id;
      row.insertCell().textContent = job.state;
      row.insertCell().textContent = job.stateReason?.errorCode ?? "";
    }
    root.replaceChildren(table);
  } catch (error) {
    const alert = document.createElement("p");
    alert.setAttribute("role", "alert");
    alert.textContent = error.kind === "api" ? \`Atlas answered \${error.status}\` : error.kind;
    root.replaceChildren(alert);
  } finally {
    await client.close();
  }
}
`;

const COMPONENT_TEST = `// @vitest-environment jsdom
import { exportJob, mockFetch } from "atlas-export-jobs/testing";
import { beforeEach, expect, it } from "vitest";

import { renderJobs } from "./jobs-table.js";

let root;
beforeEach(() => {
  root = document.createElement("div");
  document.body.replaceChildren(root);
});
const rows = () => [...root.querySelectorAll("tr")];

it("runs in jsdom", () => {
  expect(navigator.userAgent).toMatch(/jsdom/);
});

it("lists every job of the mock's cluster, page by page", async () => {
  const mock = mockFetch();
  await renderJobs(root, { fetch: mock.fetch, auth: { type: "bearer", token: mock.accessToken }, groupId: mock.groupId, clusterName: "Cluster0" });
  expect(rows().map((row) => row.dataset.id)).toEqual(mock.jobs("Cluster0").map((job) => job.id));
  expect(mock.requests.map((request) => request.query.pageNum ?? "1")).toEqual(["1", "2", "3", "4", "5"]);
});

it("lists jobs made with exportJob, behind a proxy that holds the credentials", async () => {
  const jobs = [exportJob(), exportJob({ state: "Failed" }), exportJob({ state: "Queued" })];
  const mock = mockFetch({ baseUrl: "https://console.test/atlas", requireAuth: false, clusters: { Mine: jobs } });
  await renderJobs(root, { fetch: mock.fetch, auth: { type: "none" }, baseUrl: mock.url, groupId: mock.groupId, clusterName: "Mine" });
  expect(rows().map((row) => [row.dataset.id, row.cells[0].textContent])).toEqual(jobs.map((job) => [job.id, job.state]));
  expect(rows()[1].cells[1].textContent).toBe(jobs[1].stateReason.errorCode);
});

it("shows Atlas's error, and a dropped connection", async () => {
  const mock = mockFetch();
  const props = { fetch: mock.fetch, auth: { type: "bearer", token: mock.accessToken }, groupId: mock.groupId };
  await renderJobs(root, { ...props, clusterName: "Nope0" });
  expect(root.querySelector("[role=alert]").textContent).toBe("Atlas answered 404");
  mock.injectFault({ fault: "reset" });
  await renderJobs(root, { ...props, clusterName: "Cluster0" });
  expect(root.querySelector("[role=alert]").textContent).toBe("network");
});

it("reads the bodies of Node's own Response, whose bytes are not jsdom's Uint8Array", async () => {
  // jsdom replaces the global Uint8Array; a custom fetch that builds Node's Response hands over
  // Node's bytes, as one that wraps the platform fetch does.
  const jobs = [exportJob(), exportJob({ state: "InProgress" })];
  const fetch = async () => new Response(JSON.stringify({ links: [], results: jobs, totalCount: jobs.length }), { status: 200, headers: { "Content-Type": "application/json" } });
  await renderJobs(root, { fetch, auth: { type: "none" }, groupId: "32b6e34b3d91647abb20e7b8", clusterName: "Cluster0" });
  expect(rows().map((row) => row.dataset.id)).toEqual(jobs.map((job) => job.id));
});

it("shows jobs that progress as the mock runs them", async () => {
  const mock = mockFetch();
  mock.startExports("Empty0", { outcomes: ["Successful"], queuedFor: 1, runningFor: 1 });
  const props = { fetch: mock.fetch, auth: { type: "bearer", token: mock.accessToken }, groupId: mock.groupId, clusterName: "Empty0" };
  const states = [];
  for (let render = 0; render < 3; render += 1) {
    await renderJobs(root, props);
    states.push(rows()[0].cells[0].textContent);
  }
  expect(states).toEqual(["Queued", "InProgress", "Successful"]);
});
`;

// TypeScript that uses the kit; each @ts-expect-error must be needed, or tsc fails.
const TYPED_USAGE = `import { AtlasClient, type ExportJob } from "atlas-export-jobs";
import { exportJob, MOCK_GROUP_ID, mockFetch, startMockAtlas, type MockAtlas, type MockFault, type MockFetch } from "atlas-export-jobs/testing";

const mock: MockFetch = mockFetch({ clusters: { Mine: [exportJob({ state: "Failed" })], Size3: 3, Wide: { jobs: 2, shards: 2 } }, requireAuth: false });
const client = new AtlasClient({ fetch: mock.fetch, auth: { type: "bearer", token: mock.accessToken } });
const job: ExportJob = exportJob({ state: "Queued", customData: undefined });
const fault: MockFault = { status: 503, headers: { "Retry-After": "2" } };
mock.injectFault({ fault, cluster: "Cluster0", times: 2 });
mock.injectFault({ fault: "hang", endpoint: "token" });
mock.injectFault({ fault: { bomb: { bytes: 1024, onEnd: ({ wireBytes, complete }) => void [wireBytes, complete] } } });
const added: number = mock.addJobs("Mine", [job]).totalCount;
const started: string[] = mock.startExports("Cluster0", { outcomes: ["Successful", "Cancelled"] }).ids;
const jobs: ExportJob[] | undefined = mock.jobs("Cluster0");
const seen: (string | null)[] = mock.requests.map((request) => request.authScheme);

export async function main(): Promise<number> {
  const server: MockAtlas = await startMockAtlas({ port: 0, maxSeconds: 10, latencyMs: 5 });
  const url: string = server.url;
  await server.close();
  const page = await client.listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" });
  return page.results.length + url.length + added + started.length + (jobs?.length ?? 0) + seen.length;
}

// @ts-expect-error: a fault the mock does not know
mock.injectFault({ fault: "explode" });
// @ts-expect-error: mockFetch serves no port
mockFetch({ port: 1 });
// @ts-expect-error: the outcomes are the states a job ends in
mock.startExports("Cluster0", { outcomes: ["Queued"] });
// @ts-expect-error: overrides are ExportJob fields
exportJob({ state: 5 });
`;

describe("atlas-export-jobs/testing in a console's own tests", () => {
  let scratch;
  let project;

  before(async () => {
    scratch = scratchDir("testing-consumer");
    project = join(scratch, "project");
    const tarball = await packInstalled(scratch);
    await installProject(project, [tarball, ...PACKAGES]);
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("Vitest with jsdom runs a component test that lists jobs through mockFetch", async () => {
    mkdirSync(join(project, "src"), { recursive: true });
    writeFileSync(join(project, "src", "jobs-table.js"), COMPONENT);
    writeFileSync(join(project, "src", "jobs-table.test.js"), COMPONENT_TEST);
    const report = join(project, "vitest-report.json");
    await run(join(project, "node_modules", ".bin", "vitest"), ["run", "--reporter=json", `--outputFile=${report}`], { cwd: project });
    const { numTotalTests, numPassedTests, numFailedTests, testResults } = JSON.parse(readFileSync(report, "utf8"));
    const failures = testResults.flatMap((file) => file.assertionResults.filter((test) => test.status !== "passed").map((test) => `${test.title}: ${test.failureMessages.join("\n")}`));
    assert.deepEqual(failures, []);
    assert.deepEqual([numTotalTests, numPassedTests, numFailedTests], [6, 6, 0]);
  });

  for (const [version, tsc] of [["5.0.4", () => [process.execPath, [join(project, "node_modules", "typescript-5.0", "bin", "tsc")]]], ["the workspace's", () => [`${BIN}/tsc`, []]]]) {
    for (const [resolution, module, moduleResolution] of [["NodeNext", "NodeNext", "NodeNext"], ["Bundler", "ESNext", "Bundler"]]) {
      it(`TypeScript ${version}, ${resolution}: code that uses the kit compiles strictly, and each @ts-expect-error is needed`, async () => {
        const [command, prefix] = tsc();
        /** Runs tsc --strict on `source` as `name`, with no skipLibCheck: resolves, or rejects with its report. */
        const compile = (name, source) => {
          writeFileSync(join(project, name), source);
          const config = `tsconfig.${name}.json`;
          const compilerOptions = { strict: true, noEmit: true, skipLibCheck: false, target: "ES2022", lib: ["ES2022", "DOM"], types: [], module, moduleResolution };
          writeFileSync(join(project, config), JSON.stringify({ compilerOptions, files: [name] }));
          return run(command, [...prefix, "-p", config], { cwd: project });
        };
        await compile("testing-usage.ts", TYPED_USAGE);
        // Without the directives, exactly the lines after them fail.
        const lines = TYPED_USAGE.split("\n");
        const expected = lines.flatMap((line, index) => (line.startsWith("// @ts-expect-error") ? [index + 2] : []));
        const stripped = lines.map((line) => (line.startsWith("// @ts-expect-error") ? "" : line)).join("\n");
        const failure = await compile("testing-usage-stripped.ts", stripped).then(() => undefined, (error) => error);
        assert.ok(failure, "tsc fails without the directives");
        const failing = [...failure.message.matchAll(/testing-usage-stripped\.ts\((\d+),\d+\)/g)].map((match) => Number(match[1]));
        assert.deepEqual([...new Set(failing)], expected);
      });
    }
  }
});
