// listExportJobs loaded through `import`, as ESM callers and bundlers do.
import * as api from "atlas-export-jobs";
import { defineListTests } from "./list-suite.mjs";

defineListTests(api, "import");
