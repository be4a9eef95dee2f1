// listExportJobs loaded through `import`, as ESM callers and bundlers do.
import * as api from "atlas-export-jobs";
import assert from "node:assert/strict";
import { defineListTests } from "./list-suite.mjs";

assert.match(import.meta.resolve("atlas-export-jobs"), /node\.mjs$/, "the exports map sends import to node.mjs");

defineListTests(api, "import");
