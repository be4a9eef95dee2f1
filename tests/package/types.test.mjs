// The published types: strict compilation of an example consumer, each @ts-expect-error proven
// necessary, and the public surface free of `any` with a doc comment on every name and field.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";

import ts from "typescript";

import { BIN, consumerDir, run } from "./support.mjs";
import { STRICT_OPTIONS, typeSurface } from "./type-surface.mjs";

describe("the published TypeScript types", () => {
  const consumer = consumerDir();

  it("compile an example consumer with tsc --strict --noEmit", async () => {
    await run(`${BIN}/tsc`, ["-p", "tsconfig.json", "--strict", "--noEmit"], { cwd: consumer });
  });

  it("need every @ts-expect-error: without them, exactly those lines fail", () => {
    const source = readFileSync(join(consumer, "typed-usage.ts"), "utf8").split("\n");
    const expectedLines = [];
    const stripped = source.map((line, index) => {
      if (!line.trim().startsWith("// @ts-expect-error")) return line;
      expectedLines.push(index + 2); // the line after the directive, 1-based
      return "";
    });
    assert.ok(expectedLines.length >= 7);
    const file = join(consumer, "typed-usage.stripped.ts");
    writeFileSync(file, stripped.join("\n"));
    const program = ts.createProgram([file], STRICT_OPTIONS);
    const failing = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => d.file.getLineAndCharacterOfPosition(d.start).line + 1);
    assert.deepEqual([...new Set(failing)].sort((a, b) => a - b), expectedLines);
  });

  describe("public surface", () => {
    let surface;
    before(() => {
      surface = typeSurface(consumer, "atlas-export-jobs", "surface.ts");
    });

    it("exports the function, the error class and every result type", () => {
      for (const name of ["listExportJobs", "AtlasError", "isAtlasError", "ExportJobsPage", "ExportJob", "ExportState", "ExportStatus", "StateReason", "ExportComponent", "CustomDatum", "Link", "ListExportJobsParams", "ListExportJobsOptions"]) {
        assert.ok(surface.names.includes(name), `${name} is exported`);
      }
    });

    it("has no any and a doc comment on every exported name and field", () => {
      assert.deepEqual(surface.problems, []);
    });
  });
});
