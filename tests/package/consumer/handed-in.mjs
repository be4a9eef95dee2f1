// An edge runtime of the Cloudflare Workers kind, played by Node: the browser entry, with no file
// it can fetch (Node's fetch takes no file: URL), given its module through ready({ module }) as a
// Workers bundle gives it: `import wasm from "atlas-export-jobs/atlas_export_jobs_lean_bg.wasm"`.
import { readFileSync } from "node:fs";

import * as api from "./node_modules/atlas-export-jobs/index.js";
import { listForCheck } from "./check.js";

const { ATLAS_BASE_URL: baseUrl, ATLAS_GROUP_ID: groupId, ATLAS_TOKEN: token, ATLAS_CLIENT_ID: clientId, ATLAS_CLIENT_SECRET: clientSecret } = process.env;
const wasm = (name) => new WebAssembly.Module(readFileSync(new URL(import.meta.resolve(`atlas-export-jobs/${name}`))));
const kindOf = (promise) => promise.then(() => "ok", (error) => (api.isAtlasError(error) ? error.kind : String(error)));

const result = {};
// Without a module, the call fails as a load, not as Atlas being unreachable.
result.unhanded = await kindOf(api.listExportJobs({ groupId, clusterName: "Cluster0" }, { baseUrl, accessToken: token }));
result.notWasm = await kindOf(api.ready({ module: new Uint8Array([1, 2, 3]) }));
result.notOurs = await kindOf(api.ready({ module: new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]) }));

await api.ready({ module: wasm("atlas_export_jobs_lean_bg.wasm") });
result.lean = await listForCheck(api, { baseUrl, groupId, token });

// The full module adds service accounts (Node is no browser, so no opt-in is needed).
await api.ready({ module: wasm("atlas_export_jobs_bg.wasm") });
const client = new api.AtlasClient({ baseUrl, auth: { type: "serviceAccount", clientId, clientSecret } });
result.serviceAccount = (await client.listExportJobs({ groupId, clusterName: "Cluster0", itemsPerPage: 3 })).results.length;
await client.close();

console.log(JSON.stringify(result));
