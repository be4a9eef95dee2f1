// What both runtimes check: a page listed with a bearer token and with a service account, and the
// AtlasError a bad parameter rejects with. The Atlas to call comes from the environment.
import { AtlasClient, AtlasError, listExportJobs } from "atlas-export-jobs";

const { ATLAS_BASE_URL: baseUrl, ATLAS_GROUP_ID: groupId, ATLAS_ACCESS_TOKEN: accessToken, ATLAS_CLIENT_ID: clientId, ATLAS_CLIENT_SECRET: clientSecret } = process.env;

export const settings = { baseUrl, groupId, clientId, clientSecret };

export async function listJobs() {
  const bearer = await listExportJobs({ groupId, clusterName: "Cluster0", itemsPerPage: 5, pageNum: 2 }, { baseUrl, accessToken });
  const atlas = new AtlasClient({ baseUrl, auth: { type: "serviceAccount", clientId, clientSecret } });
  let serviceAccount;
  try {
    serviceAccount = await atlas.listExportJobs({ groupId, clusterName: "Sharded0", itemsPerPage: 3 });
  } finally {
    await atlas.close();
  }
  let validation;
  try {
    await listExportJobs({ groupId: "not-a-project", clusterName: "Cluster0" }, { baseUrl, accessToken });
  } catch (error) {
    validation = { isAtlasError: error instanceof AtlasError, kind: error.kind, field: error.field };
  }
  return {
    bearer: { ids: bearer.results.map((job) => job.id), totalCount: bearer.totalCount },
    serviceAccount: serviceAccount.results.map((job) => job.id),
    validation,
  };
}
