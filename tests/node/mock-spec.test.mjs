// The mock Atlas (atlas-export-jobs/testing) keeps its own copy of the endpoint's facts, so that
// it stays independent of the client it tests: it imports nothing of the package's client or of
// its generated facts.js. These tests hold that copy to the official OpenAPI fragment instead.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, it } from "node:test";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const spec = JSON.parse(readFileSync(join(REPO, "core/tests/fixtures/atlas-list-export-jobs.openapi.json"), "utf8"));
const [[specPath, pathItem]] = Object.entries(spec.paths);
const operation = pathItem.get;
const parameters = Object.fromEntries(
  operation.parameters.map((p) => (p.$ref ? spec.components.parameters[p.$ref.split("/").at(-1)] : p)).map((p) => [p.name, p]),
);

// The shipped copy: the installed package's testing/ folder.
const testingDir = join(dirname(createRequire(import.meta.url).resolve("atlas-export-jobs/package.json")), "testing");
const load = (file) => import(pathToFileURL(join(testingDir, file)).href);
const { EXPORTS_ROUTE, GROUP_ID_PATTERN, V1_MEDIA_TYPE, V2_MEDIA_TYPE } = await load("mock-atlas.mjs");
const { STATES } = await load("dataset.mjs");
const { MAX_ITEMS_PER_PAGE, parseListQuery } = await load("query.mjs");

describe("the mock's own copy of the endpoint, against the official spec", () => {
  it("imports nothing of the client it tests", () => {
    for (const file of readdirSync(testingDir).filter((name) => name.endsWith(".mjs"))) {
      const text = readFileSync(join(testingDir, file), "utf8");
      for (const [, from] of text.matchAll(/\bfrom\s+"([^"]+)"/g)) {
        assert.ok(from.startsWith("./") || from.startsWith("node:"), `testing/${file} imports ${from}`);
      }
    }
  });

  it("knows the job states the spec documents", () => {
    const documented = spec.components.schemas.DiskBackupExportJob.properties.state.enum;
    assert.deepEqual([...STATES].sort(), [...documented].sort());
  });

  it("answers with the media type the spec documents, and v1.0's plain JSON", () => {
    assert.deepEqual(Object.keys(operation.responses["200"].content), [V2_MEDIA_TYPE]);
    assert.equal(V1_MEDIA_TYPE, "application/json");
  });

  it("routes the spec's path, for both versions, and nothing around it", () => {
    const path = specPath.replace("{groupId}", parameters.groupId.schema.example).replace("{clusterName}", "Cluster0");
    assert.deepEqual(EXPORTS_ROUTE.exec(path)?.slice(1), ["v2", parameters.groupId.schema.example, "Cluster0"]);
    assert.ok(EXPORTS_ROUTE.test(path.replace("/v2/", "/v1.0/")));
    for (const other of [`${path}/`, path.replace("/exports", "/export"), `/x${path}`, path.replace("/v2/", "/v3/")]) {
      assert.ok(!EXPORTS_ROUTE.test(other), other);
    }
  });

  it("checks groupId as the spec's pattern does", () => {
    const documented = new RegExp(parameters.groupId.schema.pattern);
    for (const id of ["32b6e34b3d91647abb20e7b8", "32B6E34B3D91647ABB20E7B8", "32b6e34b3d91647abb20e7b", "32b6e34b3d91647abb20e7b8a", "zzb6e34b3d91647abb20e7b8", ""]) {
      assert.equal(GROUP_ID_PATTERN.test(id), documented.test(id), id);
    }
  });

  it("reads the query parameters with the spec's defaults and limits", () => {
    const query = parseListQuery(new URLSearchParams());
    assert.equal(query.ok, true);
    for (const name of ["itemsPerPage", "pageNum", "includeCount", "envelope", "pretty"]) {
      assert.equal(query.value[name], parameters[name].schema.default, name);
    }
    assert.equal(MAX_ITEMS_PER_PAGE, parameters.itemsPerPage.schema.maximum);
    const at = (name, value) => parseListQuery(new URLSearchParams({ [name]: String(value) })).ok;
    assert.equal(at("itemsPerPage", parameters.itemsPerPage.schema.maximum), true);
    assert.equal(at("itemsPerPage", parameters.itemsPerPage.schema.maximum + 1), false);
    assert.equal(at("itemsPerPage", parameters.itemsPerPage.schema.minimum - 1), false);
    assert.equal(at("pageNum", parameters.pageNum.schema.minimum - 1), false);
  });
});
