// The Node entry bundled by esbuild for a serverless function (`--bundle --platform=node`), as ESM
// and as CommonJS: the bundle alone, copied to a folder of its own, lists jobs from the mock.
import assert from "node:assert/strict";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import * as esbuild from "esbuild";

import { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } from "atlas-export-jobs/testing";
import { jobsFor } from "../../pkg-template/testing/dataset.mjs";
import { consumerDir, run, scratchDir } from "./support.mjs";

describe("the Node entry bundled by esbuild", () => {
  const consumer = consumerDir();
  let scratch;
  let mock;
  let expected;

  before(async () => {
    scratch = scratchDir("bundled");
    mock = await startMockAtlas({ maxSeconds: 300 });
    const jobs = jobsFor(MOCK_GROUP_ID, "Cluster0");
    expected = { ids: jobs.slice(5, 10).map((job) => job.id), totalCount: jobs.length, validationField: "groupId" };
  });

  after(async () => {
    await mock?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  for (const [format, entry, file] of [["esm", "list-jobs.mjs", "list.mjs"], ["cjs", "list-jobs.cjs", "list.cjs"]]) {
    it(`${format.toUpperCase()}: one file, run from its own folder, lists jobs`, async () => {
      const outdir = join(scratch, format);
      const result = await esbuild.build({
        entryPoints: [join(consumer, entry)],
        bundle: true,
        platform: "node",
        format,
        outfile: join(outdir, file),
        logLevel: "silent",
      });
      assert.deepEqual(result.warnings, [], "esbuild has nothing to warn about");
      // The .wasm travels inside the bundle: nothing else needs copying.
      assert.deepEqual(readdirSync(outdir), [file]);
      const env = { ATLAS_BASE_URL: mock.url, ATLAS_GROUP_ID: MOCK_GROUP_ID, ATLAS_TOKEN: MOCK_TOKEN };
      const out = await run(process.execPath, [file], { cwd: outdir, env });
      assert.deepEqual(JSON.parse(out), expected);
    });
  }
});
