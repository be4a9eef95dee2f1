// listExportJobs loaded through `require`, as CommonJS scripts do. The shared suite is ESM and
// imports the mock, so it is loaded with import(); the package itself is require()d.
const assert = require("node:assert/strict");

assert.match(require.resolve("atlas-export-jobs"), /node\.cjs$/, "the exports map sends require() to node.cjs");
const api = require("atlas-export-jobs");

import("./list-suite.mjs").then(({ defineListTests }) => defineListTests(api, "require"));
