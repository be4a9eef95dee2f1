// The typings compile under every TypeScript the package states it supports: the minimum (5.0), 5.4
// and the latest (the workspace's), with and without skipLibCheck, resolving the package as Node
// does (NodeNext) and as bundlers do (Bundler). Each older version is installed with the packed
// tarball into a scratch project.
import assert from "node:assert/strict";
import { cpSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { BIN, consumerDir, installProject, packInstalled, REPO, run, scratchDir } from "./support.mjs";

const LATEST = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")).devDependencies.typescript;
// Exact versions: the stated minimum's last patch, 5.4's, and the workspace's pin.
const VERSIONS = ["5.0.4", "5.4.5", LATEST];
const RESOLUTIONS = {
  NodeNext: [],
  Bundler: ["--module", "ESNext", "--moduleResolution", "Bundler"],
};

describe("the typings under each supported TypeScript", () => {
  let scratch;
  let project;
  const tsc = {};

  before(async () => {
    scratch = scratchDir("typescript");
    project = join(scratch, "project");
    const tarball = await packInstalled(scratch);
    const older = VERSIONS.filter((v) => v !== LATEST);
    // Side by side under aliases, so one project holds every version.
    await installProject(project, [tarball, ...older.map((v) => `typescript-${v}@npm:typescript@${v}`)]);
    for (const v of older) tsc[v] = [process.execPath, [join(project, "node_modules", `typescript-${v}`, "bin", "tsc")]];
    tsc[LATEST] = [`${BIN}/tsc`, []];
    for (const file of ["tsconfig.json", "list-jobs.ts", "typed-usage.ts", "check.js"]) cpSync(join(consumerDir(), file), join(project, file));
  });

  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("states 5.0 as the minimum in its README, with no peer dependency that would stop an install beside an older TypeScript", () => {
    const installed = join(project, "node_modules", "atlas-export-jobs");
    const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
    assert.equal(manifest.peerDependencies, undefined);
    assert.match(readFileSync(join(installed, "README.md"), "utf8"), /\| TypeScript \| 5\.0 or later/);
  });

  for (const version of VERSIONS) {
    for (const [resolution, flags] of Object.entries(RESOLUTIONS)) {
      for (const skipLibCheck of [false, true]) {
        it(`TypeScript ${version}, ${resolution}, skipLibCheck ${skipLibCheck}: tsc --strict --noEmit passes`, async () => {
          const [command, prefix] = tsc[version];
          assert.equal((await run(command, [...prefix, "--version"], { cwd: project })).trim(), `Version ${version}`);
          await run(command, [...prefix, "-p", "tsconfig.json", "--strict", "--noEmit", "--skipLibCheck", String(skipLibCheck), ...flags], { cwd: project });
        });
      }
    }
  }
});
