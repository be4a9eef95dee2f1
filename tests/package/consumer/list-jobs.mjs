// Node, ESM: `import` of the installed package.
import * as api from "atlas-export-jobs";
import { listForCheck } from "./check.js";

const { ATLAS_BASE_URL: baseUrl, ATLAS_GROUP_ID: groupId, ATLAS_TOKEN: token } = process.env;
console.log(JSON.stringify(await listForCheck(api, { baseUrl, groupId, token })));
