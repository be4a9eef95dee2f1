// What a Node script prints when a call's AtlasError goes uncaught (a rejected top-level await in
// ESM, an async main() called without a catch in CommonJS): at most 4 KB, that it is an AtlasError,
// its message and its facts, in lines a terminal can show (none of the package's minified source).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { listExportJobs } from "atlas-export-jobs";
import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { installProject, packInstalled, scratchDir } from "../package/support.mjs";
import { atlasErrorOf } from "../support/rejections.mjs";

const MAX_OUTPUT_BYTES = 4096;
const MAX_LINE_CHARS = 400;

// The same call in each module system, with its settings from the environment.
const SCRIPTS = {
  "list.mjs": `import { listExportJobs } from "atlas-export-jobs";

const { ATLAS_BASE_URL, ATLAS_GROUP_ID, ATLAS_TOKEN } = process.env;
const page = await listExportJobs({ groupId: ATLAS_GROUP_ID, clusterName: "Cluster0" }, { baseUrl: ATLAS_BASE_URL, accessToken: ATLAS_TOKEN });
console.log(\`\${page.results.length} jobs\`);
`,
  "list.cjs": `const { listExportJobs } = require("atlas-export-jobs");

async function main() {
  const { ATLAS_BASE_URL, ATLAS_GROUP_ID, ATLAS_TOKEN } = process.env;
  const page = await listExportJobs({ groupId: ATLAS_GROUP_ID, clusterName: "Cluster0" }, { baseUrl: ATLAS_BASE_URL, accessToken: ATLAS_TOKEN });
  console.log(\`\${page.results.length} jobs\`);
}

main();
`,
};

/** Runs `node script` with `env` to its end (at most a minute): its exit code and all it printed. */
function runScript(cwd, script, env) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script], { cwd, env: { ...process.env, ...env }, timeout: 60_000, encoding: "buffer" }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, output: Buffer.concat([stdout, stderr]) });
    });
  });
}

describe("an uncaught AtlasError in a Node script", () => {
  let scratch;
  let mock;
  const cases = {};

  before(async () => {
    scratch = scratchDir("node-output");
    const tarball = await packInstalled(scratch);
    await installProject(join(scratch, "project"), [tarball]);
    for (const [name, source] of Object.entries(SCRIPTS)) writeFileSync(join(scratch, "project", name), source);
    mock = await startMockAtlas({ maxSeconds: 300 });
    // Each case's settings, and the error the same call rejects with here: what the output must say.
    const settings = {
      "a malformed project id": { ATLAS_BASE_URL: mock.url, ATLAS_GROUP_ID: "not-a-project-id", ATLAS_TOKEN: MOCK_TOKEN },
      "a token Atlas refuses (401)": { ATLAS_BASE_URL: mock.url, ATLAS_GROUP_ID: MOCK_GROUP_ID, ATLAS_TOKEN: "not-the-token" },
    };
    for (const [name, env] of Object.entries(settings)) {
      const error = await atlasErrorOf(listExportJobs({ groupId: env.ATLAS_GROUP_ID, clusterName: "Cluster0" }, { baseUrl: env.ATLAS_BASE_URL, accessToken: env.ATLAS_TOKEN }));
      cases[name] = { env, error };
    }
  });

  after(async () => {
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const script of Object.keys(SCRIPTS)) {
    for (const name of ["a malformed project id", "a token Atlas refuses (401)"]) {
      it(`node ${script}, ${name}: exits 1 with a short report naming AtlasError, its message and its facts`, async () => {
        const { env, error } = cases[name];
        const { code, output } = await runScript(join(scratch, "project"), script, env);
        const text = output.toString("utf8");
        const shown = text.length > 2000 ? `${text.slice(0, 1000)}\n[...]\n${text.slice(-1000)}` : text;
        assert.equal(code, 1, shown);
        assert.ok(output.byteLength <= MAX_OUTPUT_BYTES, `${output.byteLength} bytes:\n${shown}`);
        const longest = Math.max(...text.split("\n").map((line) => line.length));
        assert.ok(longest <= MAX_LINE_CHARS, `a line of ${longest} characters:\n${shown}`);
        assert.match(text, /AtlasError/);
        assert.ok(text.includes(error.message), `the message "${error.message}" is missing:\n${shown}`);
        assert.match(text, new RegExp(`kind\\W+${error.kind}`));
        if (error.kind === "validation") assert.match(text, /field\W+groupId/);
        else assert.match(text, /status\W+401/);
        assert.ok(!text.includes("not-the-token"), `the token is in the output:\n${shown}`);
      });
    }
  }
});
