// Every code block of the package README, run as written against the mock Atlas, so the examples
// cannot drift from the package. The README read is the one in the packed tarball. Each block runs
// the way its reader would run it: shell lines in bash, Node scripts with node (CommonJS when they
// `require`), TypeScript through tsc --strict, the Vitest example under Vitest with jsdom, the
// Worker with .wasm imports as WebAssembly.Module (as wrangler bundles them), the server as a
// process that is then called, and the page in headless Chromium behind the package's proxy.
// Every block must be run by exactly one of these; an unknown kind fails the test.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename, join } from "node:path";
import { after, before, describe, it } from "node:test";

import { createAtlasProxy, toNodeHandler } from "atlas-export-jobs/server";
import { startMockAtlas } from "atlas-export-jobs/testing";

import { launchChromium } from "../support/chromium.mjs";
import { startStaticServer } from "../support/static-server.mjs";
import { BIN, consumerDir, freePort, installProject, packInstalled, run, scratchDir } from "./support.mjs";

const README = join(consumerDir(), "node_modules", "atlas-export-jobs", "README.md");
// Exact versions: Vitest 4 with Vite 8 and jsdom 27 run on Node 20.19; @types/node for the
// TypeScript example's `process`.
const PACKAGES = ["vite@8.3.8", "vitest@4.1.12", "jsdom@27.4.0", "@types/node@20.19.43", "react@19.3.1", "react-dom@19.3.1"];

/** The fenced code blocks of `markdown`, with their language, in order. */
function codeBlocks(markdown) {
  return [...markdown.matchAll(/^```([a-z]*)\n([\s\S]*?)^```$/gm)].map(([, language, code], index) => ({ index, language, code }));
}

/** How a block runs, from its language and what it is. */
function kindOf({ language, code }) {
  if (language === "sh") return code.includes("npm install ") ? "install" : "shell";
  if (language === "html") return "page";
  if (language === "ts") return "typescript";
  if (language === "jsx") return "react";
  if (language !== "js") return `unknown language "${language}"`;
  if (code.includes('from "vitest"')) return "vitest";
  if (/export default \{[\s\S]*fetch\(request, env\)/.test(code)) return "worker";
  if (code.includes(".listen(")) return "server";
  if (/\brequire\(/.test(code)) return "commonjs";
  return "module";
}

/** Runs `command` to its end (at most `seconds`), killing what it started in the background too. */
function runToEnd(command, args, { cwd, env, seconds = 90 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(env), detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => { stdout += chunk; });
    child.stderr.on("data", (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => killGroup(child), seconds * 1000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      killGroup(child); // a background job of a shell block
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The environment of a block's process: this one's and `env`, as if run from a terminal. */
function childEnv(env) {
  // Without this, node:test in a block would report to this test runner instead of printing.
  const { NODE_TEST_CONTEXT, ...inherited } = process.env;
  return { ...inherited, ...env };
}

function killGroup(child) {
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // already gone
  }
}

/** A process that keeps running until `stop()`; resolves once its stdout matches `ready`. */
function startProcess(command, args, { cwd, env, ready }) {
  const child = spawn(command, args, { cwd, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${ready} within 30 s:\n${output}`)), 30_000);
    const look = (chunk) => {
      output += chunk;
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", (chunk) => { output += chunk; });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${ready}:\n${output}`));
    });
  });
  return {
    started,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      const timeout = new Promise((resolve) => setTimeout(() => resolve("still running"), 10_000).unref());
      const result = await Promise.race([exited, timeout]);
      if (result === "still running") child.kill("SIGKILL");
      return result;
    },
  };
}

// The Worker block in Node, as a Workers bundler would build it: the package's browser entry
// (the worker conditions, not "node") and each .wasm import as a compiled WebAssembly.Module.
const WORKER_HOOKS = `export async function resolve(specifier, context, nextResolve) {
  if (specifier === "atlas-export-jobs" || specifier.startsWith("atlas-export-jobs/")) {
    return nextResolve(specifier, { ...context, conditions: ["workerd", "worker", "browser", "import", "default"] });
  }
  return nextResolve(specifier, context);
}
export async function load(url, context, nextLoad) {
  if (!url.endsWith(".wasm")) return nextLoad(url, context);
  const source = 'import { readFileSync } from "node:fs";\\nexport default new WebAssembly.Module(readFileSync(new URL(' + JSON.stringify(url) + ")));";
  return { format: "module", source, shortCircuit: true };
}
`;
const WORKER_REGISTER = `import { register } from "node:module";
register("./worker-hooks.mjs", import.meta.url);
`;
const WORKER_RUN = (file) => `const worker = (await import("./${file}")).default;
const env = { ATLAS_BASE_URL: process.env.ATLAS_BASE_URL, ATLAS_GROUP_ID: process.env.ATLAS_GROUP_ID, ATLAS_ACCESS_TOKEN: process.env.ATLAS_ACCESS_TOKEN };
for (let round = 0; round < 2; round += 1) {
  const response = await worker.fetch(new Request("https://worker.example/"), env);
  const page = await response.json();
  if (response.status !== 200 || !Array.isArray(page.results) || page.results.length === 0) throw new Error(JSON.stringify(page));
  console.log(page.results.length);
}
`;

// Renders the README's React component (readme-N.jsx) in jsdom under Vitest, as a console's test
// would: against the package's proxy in front of the mock, with two exports started that move one
// step each round. It unmounts once mid-watch (the watch is aborted), then renders again and waits
// for every export to finish.
const REACT_CONFIG = `export default { oxc: { jsx: { runtime: "automatic" } } };
`;
const REACT_TEST = (component) => `// @vitest-environment jsdom
import { createRoot } from "react-dom/client";
import { expect, test } from "vitest";
import { ExportJobs } from "./${component}";

const { PROXY_URL, ATLAS_GROUP_ID, ATLAS_BASE_URL, STARTED } = process.env;
const started = STARTED.split(",");
const requests = () => fetch(\`\${ATLAS_BASE_URL}/__mock/requests\`).then((response) => response.json()).then((all) => all.length);
const status = () => document.querySelector("[role=status]")?.textContent;
const states = () => Object.fromEntries([...document.querySelectorAll("tbody tr")].map((row) => [row.cells[0].textContent, row.cells[1].textContent]));

test("keeps the table current as the exports run, and stops when unmounted", async () => {
  const props = { groupId: ATLAS_GROUP_ID, clusterName: "Sharded0", baseUrl: PROXY_URL, interval: { runningMs: 50 } };
  const first = createRoot(document.body.appendChild(document.createElement("div")));
  first.render(<ExportJobs {...props} />);
  await expect.poll(status, { timeout: 20_000 }).toBe("live");
  first.unmount();
  const after = await requests();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await requests()).toBe(after);

  const second = createRoot(document.body.appendChild(document.createElement("div")));
  second.render(<ExportJobs {...props} />);
  await expect.poll(status, { timeout: 30_000 }).toBe("every export has finished");
  expect(started.map((id) => states()[id])).toEqual(["Successful", "Failed"]);
  second.unmount();
});
`;

// Checks the README's mock block left a mock listing at the address it exported.
const CHECK_EXPORTED_MOCK = `import { listExportJobs } from "atlas-export-jobs";
const { ATLAS_BASE_URL: baseUrl, ATLAS_GROUP_ID: groupId, ATLAS_ACCESS_TOKEN: accessToken } = process.env;
for (let attempt = 0; ; attempt += 1) {
  try {
    const page = await listExportJobs({ groupId, clusterName: "Cluster0" }, { baseUrl, accessToken, retry: false });
    console.log("listed", page.results.length);
    break;
  } catch (error) {
    if (attempt === 50 || error.kind !== "network") throw error;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
`;

describe("the package README's code blocks, run as written", () => {
  let scratch;
  let project;
  let tarball;
  let mock;
  let env;
  const blocks = codeBlocks(readFileSync(README, "utf8"));
  const ran = new Set();

  before(async () => {
    scratch = scratchDir("readme");
    project = join(scratch, "project");
    tarball = await packInstalled(scratch);
    await installProject(project, [tarball, ...PACKAGES]);
    // Jobs move one step every 200 ms, so the watch example ends within seconds.
    mock = await startMockAtlas({ jobStepMs: 200, maxSeconds: 900 });
    env = {
      ATLAS_BASE_URL: mock.url,
      ATLAS_GROUP_ID: mock.groupId,
      ATLAS_ACCESS_TOKEN: mock.accessToken,
      ATLAS_CLIENT_ID: mock.serviceAccount.clientId,
      ATLAS_CLIENT_SECRET: mock.serviceAccount.clientSecret,
      ATLAS_PUBLIC_KEY: mock.apiKey.publicKey,
      ATLAS_PRIVATE_KEY: mock.apiKey.privateKey,
      MONGODB_ATLAS_OPS_MANAGER_URL: mock.url,
      MONGODB_ATLAS_ACCESS_TOKEN: mock.accessToken,
      // No profile of the machine's own user.
      HOME: scratch,
      XDG_CONFIG_HOME: join(scratch, "config"),
      NO_COLOR: "1",
    };
  });

  after(async () => {
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** Runs a Node file of the project and requires exit 0 with nothing on stderr unless allowed. */
  async function runNode(file, { args = [], stderr: allowed } = {}) {
    const result = await runToEnd(process.execPath, [...args, file], { cwd: project, env });
    const report = `${file} exited with ${result.code}:\n${result.stdout}\n${result.stderr}`;
    assert.equal(result.code, 0, report);
    if (allowed) assert.match(result.stderr, allowed, report);
    else assert.equal(result.stderr, "", report);
    return result;
  }

  const runners = {
    async install({ code }) {
      // In a folder holding the tarball under the name the README gives.
      const dir = join(scratch, "install");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "package.json"), '{ "name": "readme-install", "private": true }\n');
      const named = code.match(/npm install (\S+\.tgz)/)[1];
      assert.equal(basename(tarball), named, "the README names the tarball npm pack makes");
      copyFileSync(tarball, join(dir, named));
      const result = await runToEnd("bash", ["-c", code], { cwd: dir, env });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(existsSync(join(dir, "node_modules", "atlas-export-jobs", "package.json")));
    },

    async shell({ index, code }) {
      if (code.includes("testing/cli.mjs")) {
        // The block that starts the mock and exports its settings: then list with those settings.
        writeFileSync(join(project, "check-exported-mock.mjs"), CHECK_EXPORTED_MOCK);
        const result = await runToEnd("bash", ["-c", `set -e\n${code}\nnode check-exported-mock.mjs`], { cwd: project, env: { ...env, ATLAS_BASE_URL: "", ATLAS_GROUP_ID: "", ATLAS_ACCESS_TOKEN: "" } });
        assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
        assert.match(result.stdout, /^listed \d+$/m);
        return;
      }
      // One command a line; a line whose comment documents exit 1 may end with it.
      for (const line of code.split("\n").filter((text) => text.trim() !== "")) {
        const result = await runToEnd("bash", ["-c", line], { cwd: project, env });
        const allowed = /exit 1 if/.test(line) ? [0, 1] : [0];
        assert.ok(allowed.includes(result.code), `block ${index}: ${line}\nexited with ${result.code}\n${result.stdout}\n${result.stderr}`);
        assert.ok(result.stdout.length > 0 || existsSync(join(project, "exports.csv")), `block ${index}: ${line} printed nothing`);
      }
      const csv = readFileSync(join(project, "exports.csv"), "utf8").trim().split("\n");
      assert.equal(csv.length, 1 + 1234, "the CSV example wrote a header and every job of Big0");
    },

    async module({ index, code }) {
      const file = `readme-${index}.mjs`;
      writeFileSync(join(project, file), code);
      if (code.includes('from "node:test"')) {
        const { stdout } = await runNode(file);
        assert.match(stdout, /^# pass [1-9]/m);
        assert.match(stdout, /^# fail 0$/m);
        return;
      }
      // The retry example's onRetry prints only when a retry happens: give it one.
      if (code.includes("onRetry")) mock.injectFault({ fault: { status: 503, headers: { "Retry-After": "0" } }, times: 1 });
      const { stdout } = await runNode(file);
      assert.ok(stdout.length > 0 || !code.includes("console.log"), `${file} printed nothing`);
      if (code.includes("onRetry")) assert.match(stdout, /^Atlas answered 503; retrying in 0 s$/m);
      // The checkListExportJobs example prints the error it found.
      if (code.includes("checkListExportJobs")) assert.match(stdout, /^itemsPerPage itemsPerPage must be /);
    },

    async commonjs({ index, code }) {
      const file = `readme-${index}.cjs`;
      writeFileSync(join(project, file), code);
      const { stdout } = await runNode(file);
      assert.match(stdout, /Successful/);
    },

    async typescript({ index, code }) {
      const file = `readme-${index}.mts`;
      writeFileSync(join(project, file), code);
      await run(`${BIN}/tsc`, ["--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--types", "node", "--outDir", "ts-out", file], { cwd: project });
      // The example's own path: the cluster does not exist, and the error says so.
      await runNode(join("ts-out", `readme-${index}.mjs`), { stderr: /^CLUSTER_NOT_FOUND /m });
    },

    async vitest({ index, code }) {
      const file = `readme-${index}.test.js`;
      writeFileSync(join(project, file), code);
      const report = join(project, `vitest-${index}.json`);
      await run(join(project, "node_modules", ".bin", "vitest"), ["run", file, "--reporter=json", `--outputFile=${report}`], { cwd: project });
      const { numTotalTests, numPassedTests } = JSON.parse(readFileSync(report, "utf8"));
      assert.ok(numTotalTests > 0);
      assert.equal(numPassedTests, numTotalTests);
    },

    async worker({ index, code }) {
      const file = `readme-${index}.worker.mjs`;
      writeFileSync(join(project, file), code);
      writeFileSync(join(project, "worker-hooks.mjs"), WORKER_HOOKS);
      writeFileSync(join(project, "worker-register.mjs"), WORKER_REGISTER);
      writeFileSync(join(project, "worker-run.mjs"), WORKER_RUN(file));
      const { stdout } = await runNode("worker-run.mjs", { args: ["--import", "./worker-register.mjs"] });
      assert.match(stdout, /^\d+\n\d+\n$/);
    },

    async server({ index, code }) {
      const file = `readme-${index}.mjs`;
      writeFileSync(join(project, file), code);
      const port = await freePort();
      const server = startProcess(process.execPath, [file], { cwd: project, env: { ...env, PORT: String(port) }, ready: /listening on/ });
      try {
        await server.started;
        const base = `http://127.0.0.1:${port}/atlas/api/atlas/v2/groups/${mock.groupId}`;
        const listed = await fetch(`${base}/clusters/Cluster0/backup/exports?itemsPerPage=5`);
        assert.equal(listed.status, 200);
        assert.equal((await listed.json()).results.length, 5);
        const other = await fetch(`http://127.0.0.1:${port}/atlas/api/atlas/v2/groups/0123456789abcdef01234567/clusters/Cluster0/backup/exports`);
        assert.equal(other.status, 403, "a project outside allow");
        const token = await fetch(`http://127.0.0.1:${port}/atlas/api/oauth/token`, { method: "POST" });
        assert.ok(token.status >= 400 && token.status < 500, "the token endpoint is refused");
      } finally {
        const ended = await server.stop();
        assert.deepEqual(ended, { code: 0, signal: null }, `the server ends on SIGTERM:\n${server.output()}`);
      }
    },

    async react({ index, code }) {
      const component = `readme-${index}.jsx`;
      writeFileSync(join(project, component), code);
      writeFileSync(join(project, `readme-${index}.test.jsx`), REACT_TEST(component));
      writeFileSync(join(project, "vitest.react.config.mjs"), REACT_CONFIG);
      const { ids } = mock.startExports("Sharded0", { outcomes: ["Successful", "Failed"], runningFor: 3 });
      const proxy = createAtlasProxy({ baseUrl: mock.url, auth: { type: "bearer", token: mock.accessToken }, prefix: "/atlas" });
      const site = createServer(toNodeHandler(proxy));
      await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
      const report = join(project, `vitest-${index}.json`);
      try {
        await run(
          join(project, "node_modules", ".bin", "vitest"),
          ["run", `readme-${index}.test.jsx`, "--config", "vitest.react.config.mjs", "--reporter=json", `--outputFile=${report}`],
          { cwd: project, env: { ...env, PROXY_URL: `http://127.0.0.1:${site.address().port}/atlas`, STARTED: ids.join(",") } },
        );
      } finally {
        await new Promise((resolve) => {
          site.closeAllConnections();
          site.close(resolve);
        });
        await proxy.close();
      }
      const { numTotalTests, numPassedTests } = JSON.parse(readFileSync(report, "utf8"));
      assert.equal(numTotalTests, 1);
      assert.equal(numPassedTests, 1);
    },

    async page({ index, code }) {
      const file = `readme-${index}.html`;
      writeFileSync(join(project, file), code);
      // The console's backend: the project's files, and the proxy at /atlas with a service account.
      const files = await startStaticServer({ mounts: [["/", project]] });
      const proxy = createAtlasProxy({ baseUrl: mock.url, auth: { type: "serviceAccount", ...mock.serviceAccount }, prefix: "/atlas" });
      const toProxy = toNodeHandler(proxy);
      const site = createServer(async (request, response) => {
        if (request.url.startsWith("/atlas/")) return toProxy(request, response);
        const upstream = await fetch(`${files.url}${request.url}`);
        response.writeHead(upstream.status, { "Content-Type": upstream.headers.get("content-type") ?? "application/octet-stream" });
        response.end(Buffer.from(await upstream.arrayBuffer()));
      });
      await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const problems = [];
        page.on("pageerror", (error) => problems.push(String(error)));
        // A page with no icon asks for /favicon.ico; any other failed load is a problem.
        page.on("console", (message) => message.type() === "error" && !message.text().startsWith("Failed to load resource") && problems.push(message.text()));
        page.on("response", (response) => response.status() >= 400 && !response.url().endsWith("/favicon.ico") && problems.push(`${response.status()} ${response.url()}`));
        page.on("requestfailed", (request) => problems.push(`failed: ${request.url()}`));
        await page.goto(`http://127.0.0.1:${site.address().port}/${file}`);
        await page.waitForFunction(() => document.querySelectorAll("#jobs li").length > 0, undefined, { timeout: 20_000 });
        const shown = await page.$$eval("#jobs li", (items) => items.map((item) => item.textContent));
        const expected = mock.jobs("Cluster0").slice(0, 100).map((job) => `${job.id} ${job.state}`);
        assert.deepEqual(shown, expected.slice(0, shown.length));
        assert.ok(shown.length > 0);
        assert.deepEqual(problems, []);
      } finally {
        await browser.close();
        await new Promise((resolve) => {
          site.closeAllConnections();
          site.close(resolve);
        });
        await proxy.close();
        await files.close();
      }
    },
  };

  it("has code blocks, each of a kind this test runs", () => {
    assert.ok(blocks.length >= 15, `${blocks.length} blocks`);
    assert.deepEqual(blocks.map(kindOf).filter((kind) => !Object.hasOwn(runners, kind)), []);
  });

  for (const block of blocks) {
    const kind = kindOf(block);
    const firstLine = block.code.split("\n").find((line) => line.trim() !== "") ?? "";
    it(`block ${block.index} (${kind}): ${firstLine.slice(0, 70)}`, async () => {
      await runners[kind](block);
      ran.add(block.index);
    });
  }

  it("ran every block", () => {
    assert.deepEqual([...ran].sort((a, b) => a - b), blocks.map((block) => block.index));
  });
});
