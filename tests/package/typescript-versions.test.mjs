// The typings compile under every TypeScript the package states it supports: the minimum (5.0),
// the last 5.x and 7 (the native compiler), resolving the package as Node does (NodeNext) and as
// bundlers do (Bundler), with the strictest options projects set: strict,
// exactOptionalPropertyTypes, noUncheckedIndexedAccess and no skipLibCheck, so every public
// .d.ts (index, types, server, testing) is checked too. optional-undefined.ts passes `undefined`
// to every optional option and parameter. The versions come from tests/stacks/typescript's lock,
// side by side under npm aliases; the packed tarball is installed on top.
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { consumerDir, packInstalled, REPO, run, scratchDir } from "./support.mjs";

const STACK = join(REPO, "tests", "stacks", "typescript");
// { ts50: "5.0.4", ... } from the aliases `"ts50": "npm:typescript@5.0.4"`.
const VERSIONS = Object.fromEntries(
  Object.entries(JSON.parse(readFileSync(join(STACK, "package.json"), "utf8")).devDependencies).map(([alias, spec]) => [alias, spec.replace("npm:typescript@", "")]),
);
const RESOLUTIONS = {
  NodeNext: [],
  Bundler: ["--module", "ESNext", "--moduleResolution", "Bundler"],
};
const FILES = ["tsconfig.json", "tsconfig.strictest.json", "list-jobs.ts", "typed-usage.ts", "optional-undefined.ts", "check.js"];

describe("the typings under each supported TypeScript", () => {
  let scratch;
  let project;

  before(async () => {
    scratch = scratchDir("typescript");
    project = join(scratch, "typescript");
    cpSync(STACK, project, { recursive: true });
    const tarball = await packInstalled(scratch);
    await run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: project });
    await run("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: project });
    for (const file of FILES) cpSync(join(consumerDir(), file), join(project, file));
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("states 5.0 as the minimum in its README, with no peer dependency that would stop an install beside an older TypeScript", () => {
    const installed = join(project, "node_modules", "atlas-export-jobs");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    assert.equal(manifest.peerDependencies, undefined);
    assert.match(readFileSync(join(installed, "README.md"), "utf8"), /\| TypeScript \| 5\.0 or later/);
    assert.match(VERSIONS.ts50, /^5\.0\./);
  });

  for (const [alias, version] of Object.entries(VERSIONS)) {
    for (const [resolution, flags] of Object.entries(RESOLUTIONS)) {
      // skipLibCheck true only hides errors in .d.ts files, so passing without it covers it too.
      it(`TypeScript ${version}, ${resolution}: strict, exactOptionalPropertyTypes, noUncheckedIndexedAccess, skipLibCheck false: tsc --noEmit passes`, async () => {
        const tsc = join(project, "node_modules", alias, "bin", "tsc");
        assert.equal((await run(process.execPath, [tsc, "--version"], { cwd: project })).trim(), `Version ${version}`);
        await run(process.execPath, [tsc, "-p", "tsconfig.strictest.json", "--skipLibCheck", "false", ...flags], { cwd: project });
      });
    }
  }
});
