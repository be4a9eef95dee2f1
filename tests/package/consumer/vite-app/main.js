// A bundled app: Vite resolves the package by name and emits its .wasm files as assets.
import * as api from "atlas-export-jobs";
import { configFromQuery, listForCheck } from "../check.js";

// Given a service account in the query, the page also lists with it, which loads the full module.
async function check(search) {
  const config = configFromQuery(search);
  const result = await listForCheck(api, config);
  const query = new URLSearchParams(search);
  if (query.has("clientId")) {
    const auth = { type: "serviceAccount", clientId: query.get("clientId"), clientSecret: query.get("clientSecret"), allowInBrowser: true };
    const client = new api.AtlasClient({ baseUrl: config.baseUrl, auth });
    const page = await client.listExportJobs({ groupId: config.groupId, clusterName: "Cluster0", itemsPerPage: 3 });
    await client.close();
    result.serviceAccount = page.results.length;
  }
  return result;
}

check(location.search).then(
  (result) => { window.checkResult = result; },
  (error) => { window.checkResult = { error: String(error), kind: error?.kind }; },
);
