// The published types: strict compilation of an example consumer, each @ts-expect-error proven
// necessary, and the public surface free of `any` with a doc comment on every name and field.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";

import ts from "typescript";

import { BIN, consumerDir, run } from "./support.mjs";

describe("the published TypeScript types", () => {
  const consumer = consumerDir();
  const compilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: [],
  };

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
    const program = ts.createProgram([file], compilerOptions);
    const failing = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => d.file.getLineAndCharacterOfPosition(d.start).line + 1);
    assert.deepEqual([...new Set(failing)].sort((a, b) => a - b), expectedLines);
  });

  describe("public surface", () => {
    let checker;
    let exported;
    const problems = [];

    before(() => {
      const entry = join(consumer, "surface.ts");
      writeFileSync(entry, 'export * from "atlas-export-jobs";\n');
      const program = ts.createProgram([entry], compilerOptions);
      checker = program.getTypeChecker();
      const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry).statements[0].moduleSpecifier);
      exported = checker.getExportsOfModule(moduleSymbol);
    });

    const isOurs = (declaration) => declaration.getSourceFile().fileName.includes("/node_modules/atlas-export-jobs/");

    function walk(type, path, seen) {
      if (type.flags & ts.TypeFlags.Any) problems.push(`${path} is any`);
      if (seen.has(type)) return;
      seen.add(type);
      if (type.isUnionOrIntersection()) type.types.forEach((t, i) => walk(t, `${path}|${i}`, seen));
      for (const argument of checker.getTypeArguments?.(type) ?? []) walk(argument, `${path}<>`, seen);
      const ours = (type.aliasSymbol ?? type.symbol)?.declarations?.some(isOurs);
      for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
        for (const parameter of signature.getParameters()) walk(checker.getTypeOfSymbol(parameter), `${path}(${parameter.name})`, seen);
        walk(signature.getReturnType(), `${path}()`, seen);
      }
      if (!ours) return; // lib types (Error, Promise, AbortSignal) are not ours to check
      for (const property of type.getProperties()) {
        if (!property.declarations?.some(isOurs)) continue;
        if (ts.displayPartsToString(property.getDocumentationComment(checker)).trim() === "") {
          problems.push(`${path}.${property.name} has no doc comment`);
        }
        walk(checker.getTypeOfSymbol(property), `${path}.${property.name}`, seen);
      }
    }

    it("exports the function, the error class and every result type", () => {
      const names = exported.map((s) => s.name);
      for (const name of ["listExportJobs", "AtlasError", "isAtlasError", "ExportJobsPage", "ExportJob", "ExportState", "ExportStatus", "StateReason", "ExportComponent", "CustomDatum", "Link", "ListExportJobsParams", "ListExportJobsOptions"]) {
        assert.ok(names.includes(name), `${name} is exported`);
      }
    });

    it("has no any and a doc comment on every exported name and field", () => {
      const seen = new Set();
      for (const symbol of exported) {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        if (ts.displayPartsToString(target.getDocumentationComment(checker)).trim() === "") {
          problems.push(`${symbol.name} has no doc comment`);
        }
        if (target.flags & (ts.SymbolFlags.Type)) walk(checker.getDeclaredTypeOfSymbol(target), symbol.name, seen);
        if (target.flags & ts.SymbolFlags.Value) walk(checker.getTypeOfSymbol(target), symbol.name, seen);
      }
      assert.deepEqual(problems, []);
    });
  });
});
