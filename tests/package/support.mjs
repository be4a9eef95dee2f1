// Shared by the packaging tests: where the scratch project with the installed tarball is, how to
// run a command there, and scratch projects, servers and pages for the bundler tests.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const REPO = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = `${REPO}node_modules/.bin`;

/** The scratch project into which scripts/test.sh installed the packed tarball. */
export function consumerDir() {
  const dir = process.env.ATLAS_CONSUMER_DIR;
  if (!dir) throw new Error("ATLAS_CONSUMER_DIR is not set: run the tests through scripts/test.sh");
  return dir;
}

const execFileAsync = promisify(execFile);

/** Runs a command to completion (at most two minutes) and returns its stdout. */
export async function run(command, args, { cwd, env } = {}) {
  try {
    const { stdout } = await execFileAsync(command, args, {
      cwd,
      env: { ...process.env, ...env },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    // tsc and others report on stdout: keep it in the failure.
    error.message += `\n${error.stdout ?? ""}${error.stderr ?? ""}`;
    throw error;
  }
}

/** A new folder under the system's temporary folder; the caller removes it. */
export function scratchDir(name) {
  return mkdtempSync(join(tmpdir(), `atlas-export-jobs-${name}-`));
}

/**
 * Packs the installed copy of the package (the tarball's files) into `dir` and returns the
 * tarball's path: installing from a folder would link it, and bundlers treat a linked package
 * differently from one in node_modules.
 */
export async function packInstalled(dir) {
  const installed = join(consumerDir(), "node_modules", "atlas-export-jobs");
  const name = (await run("npm", ["pack", "--silent", "--pack-destination", dir, installed], { cwd: dir })).trim();
  return join(dir, name);
}

/** A project folder `dir` with a package.json and `packages` (tarballs, name@version) installed. */
export async function installProject(dir, packages) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), '{ "name": "scratch-project", "private": true, "type": "module" }\n');
  await run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...packages], { cwd: dir });
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.once("error", reject);
  });
}

/**
 * Starts a server process (with `env` on top of this one's) and resolves once `url` answers
 * (within 60 s), with a `close()` that ends it. Its output goes into the error when it fails to start.
 */
export async function startServer(command, args, { cwd, url, env }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => { output += chunk; });
  child.stderr.on("data", (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) break;
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return { close, output: () => output };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  await close();
  throw new Error(`${command} ${args.join(" ")} did not start serving ${url}:\n${output}`);
}

/** Opens `url` in a new page and returns the `window.checkResult` it sets (within 30 s). */
export async function pageResult(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(String(error)));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.checkResult !== undefined, undefined, { timeout: 30_000 });
    return await page.evaluate(() => window.checkResult);
  } finally {
    await page.close();
    assert.deepEqual(problems, []);
  }
}
