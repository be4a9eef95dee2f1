// listExportJobs loaded through `require`, as CommonJS scripts do.
const api = require("atlas-export-jobs");
const { defineListTests } = require("./list-suite.mjs");

defineListTests(api, "require");
