// The published TypeScript types as a strict consumer sees them: what a module exports, and every
// `any` and missing doc comment among the package's own declarations.
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import ts from "typescript";

/** How the tests compile a consumer: strict, Node's module resolution, no ambient @types. */
export const STRICT_OPTIONS = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
};

const isOurs = (declaration) => declaration.getSourceFile().fileName.includes("/node_modules/atlas-export-jobs/");
const docOf = (symbol, checker) => ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();

/**
 * What `specifier` exports to a consumer in `dir` (through a scratch file `fileName` there): the
 * exported names, and a problem for each `any` and each name or field of ours without a doc comment.
 */
export function typeSurface(dir, specifier, fileName) {
  const entry = join(dir, fileName);
  writeFileSync(entry, `export * from "${specifier}";\n`);
  const program = ts.createProgram([entry], STRICT_OPTIONS);
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry).statements[0].moduleSpecifier);
  const exported = checker.getExportsOfModule(moduleSymbol);
  const problems = [];
  const seen = new Set();
  const walk = (type, path) => {
    if (type.flags & ts.TypeFlags.Any) problems.push(`${path} is any`);
    if (seen.has(type)) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) type.types.forEach((t, i) => walk(t, `${path}|${i}`));
    for (const argument of checker.getTypeArguments?.(type) ?? []) walk(argument, `${path}<>`);
    for (const signature of [...type.getCallSignatures(), ...type.getConstructSignatures()]) {
      for (const parameter of signature.getParameters()) walk(checker.getTypeOfSymbol(parameter), `${path}(${parameter.name})`);
      walk(signature.getReturnType(), `${path}()`);
    }
    // Lib types (Error, Promise, AbortSignal) are not ours to check.
    if (!(type.aliasSymbol ?? type.symbol)?.declarations?.some(isOurs)) return;
    for (const property of type.getProperties()) {
      if (!property.declarations?.some(isOurs)) continue;
      if (docOf(property, checker) === "") problems.push(`${path}.${property.name} has no doc comment`);
      walk(checker.getTypeOfSymbol(property), `${path}.${property.name}`);
    }
  };
  for (const symbol of exported) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (docOf(target, checker) === "") problems.push(`${symbol.name} has no doc comment`);
    if (target.flags & ts.SymbolFlags.Type) walk(checker.getDeclaredTypeOfSymbol(target), symbol.name);
    if (target.flags & ts.SymbolFlags.Value) walk(checker.getTypeOfSymbol(target), symbol.name);
  }
  return { names: exported.map((symbol) => symbol.name), problems };
}
