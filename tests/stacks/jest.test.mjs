// Jest 30 as `npm init` and `npm install jest` leave it: no configuration, CommonJS test files,
// its default babel-jest transform and node environment. tests/stacks/jest/list.test.js requires
// the package and its testing kit, lists jobs from the mock and checks an AtlasError.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";

import { scratchDir } from "../package/support.mjs";
import { installStack } from "./support.mjs";


/** Runs a command to completion (at most two minutes): its exit code and all it printed. */
function outcome(command, args, cwd) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code ?? error.signal) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe("Jest 30 with its default CommonJS setup", () => {
  let scratch;
  let project;

  before(async () => {
    scratch = scratchDir("jest");
    project = await installStack("jest", { scratch });
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("npx jest: require() loads the package and the testing kit, and every test passes", async () => {
    const { code, output } = await outcome("npx", ["jest"], project);
    assert.equal(code, 0, output);
    assert.match(output, /Tests:\s+3 passed, 3 total/, output);
  });
});
