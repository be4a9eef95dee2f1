// Shared by the tests of the atlas-export-jobs command: the installed bin, the environment a run
// gets, running it, and reading what --verbose says.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { MOCK_TOKEN } from "atlas-export-jobs/testing";
import { consumerDir } from "../package/support.mjs";

export const PACKAGE_DIR = join(consumerDir(), "node_modules", "atlas-export-jobs");
export const BIN = join(consumerDir(), "node_modules", ".bin", "atlas-export-jobs");
const RUN_LIMIT_MS = 30_000;

// A home without an Atlas CLI config file, so the profile of whoever runs the tests stays out.
const EMPTY_HOME = mkdtempSync(join(tmpdir(), "atlas-export-jobs-home-"));
process.on("exit", () => rmSync(EMPTY_HOME, { recursive: true, force: true }));

/** Whether a variable of this process's could change what the command does. */
const isSetting = (name) => /^(MONGODB_)?ATLAS_/.test(name) || ["COLUMNS", "LINES", "NO_COLOR", "XDG_CONFIG_HOME", "APPDATA"].includes(name);

/**
 * The environment a run gets: this process's, without credentials, settings or terminal sizes,
 * with an empty home, plus `env`.
 */
export function environment(env = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !isSetting(name)));
  return { ...base, HOME: EMPTY_HOME, ...env };
}

/**
 * Runs the installed bin with `args`, its stdout and stderr piped; `onStderr(text, child)` sees
 * stderr as it comes. Resolves with the exit code and the output; killed after RUN_LIMIT_MS.
 */
export function runCli(args, { env = { ATLAS_ACCESS_TOKEN: MOCK_TOKEN }, onStderr } = {}) {
  return runProcess(BIN, args, { env: environment(env), onStderr });
}

export function runProcess(command, args, { env, onStderr }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      stderr += chunk;
      onStderr?.(stderr, child);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), RUN_LIMIT_MS);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `text` as lines, without the empty one after the last newline. */
export const linesOf = (text) => text.split("\n").filter((line, i, all) => !(line === "" && i === all.length - 1));

/** `--verbose`'s lines as `{ setting: source }`. */
export function sourcesOf(stderr) {
  const lines = linesOf(stderr);
  const start = lines.indexOf("atlas-export-jobs: where the settings came from:");
  assert.ok(start >= 0, stderr);
  const sources = {};
  for (const line of lines.slice(start + 1)) {
    const match = /^ {2}(project|cluster|base URL|output|credentials|profile) +(.*)$/.exec(line);
    if (!match) break;
    sources[match[1]] = match[2];
  }
  return sources;
}
