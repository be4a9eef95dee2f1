// Every failure code the core defines has a message. The codes come from the package's facts.js,
// which the build writes from the core's catalogue (core/src/error/codes.rs, held by
// core/tests/codes.rs to what the core can emit); each goes through the message writer the module
// uses (src/js/messages.js). A code the core can emit without a message fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";

import { atlasError } from "../../src/js/messages.js";
// The messages of a watch's failures come with the full module's watch snippet, which adds them.
import "../../src/js/watch-events.js";

// facts.js is not in the package's exports map: it is read from the installed package's folder.
const packageDir = dirname(createRequire(import.meta.url).resolve("atlas-export-jobs/package.json"));
const { ERROR_KINDS, FAILURE_CODES } = await import(pathToFileURL(join(packageDir, "facts.js")).href);

/** Plausible values of every fact a message may quote; each code's own facts go on top. */
const SAMPLE = {
  field: "groupId",
  value: "not-hex",
  keySet: "option",
  suggestion: "baseUrl",
  expected: "a string",
  found: "number",
  foundValue: 7,
  min: 1,
  max: 500,
  other: "accessToken",
  scheme: "digest",
  status: 404,
  errorCode: "CLUSTER_NOT_FOUND",
  reason: "Not Found",
  detail: "No cluster named Cluster0 exists in group 32b6e34b3d91647abb20e7b8.",
  body: "<html>bad gateway</html>",
  location: "https://elsewhere.example",
  path: "$.results[0].state",
  line: 1,
  column: 12,
  foundText: "7",
  pagesFetched: 3,
  itemsYielded: 6,
  page: 4,
  limit: 3,
  ms: 30000,
  maxBodyBytes: 8388608,
  retryAfterMs: 2000,
  count: 0,
  exportJobId: "6955b900ebacaafe1f000000",
  rounds: 4,
  state: "InProgress",
};

describe("messages", () => {
  it("the catalogue is there and covers every kind", () => {
    assert.ok(FAILURE_CODES.length >= 60, `only ${FAILURE_CODES.length} codes`);
    assert.deepEqual(new Set(FAILURE_CODES.map(([kind]) => kind)), new Set(ERROR_KINDS));
  });

  it("every kind is declared in the package's types", () => {
    const declared = readFileSync(join(packageDir, "index.d.ts"), "utf8");
    for (const kind of ERROR_KINDS) assert.match(declared, new RegExp(`kind: "${kind}"`), kind);
  });

  for (const [kind, selecting] of FAILURE_CODES) {
    const name = `${kind} ${Object.values(selecting).join(" ") || "(no code)"}`;
    it(`${name} has a message`, () => {
      const facts = { ...SAMPLE, ...selecting };
      const error = atlasError(kind, facts, true, new TypeError("fetch failed"));
      assert.equal(error.kind, kind);
      assert.equal(typeof error.message, "string");
      assert.ok(error.message.length > 10, `"${error.message}" is too short to say what happened`);
      assert.doesNotMatch(error.message, /undefined|NaN|\[object /, `${name}: ${error.message}`);
    });
  }
});
