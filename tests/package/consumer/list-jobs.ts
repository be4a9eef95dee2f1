// TypeScript, compiled by tsc to ESM and run by Node.
import { isAtlasError, listExportJobs, type ExportJobsPage } from "atlas-export-jobs";

// The one Node global this file uses, declared here so the consumer needs no @types/node.
declare const process: { env: Record<string, string | undefined> };

const baseUrl = process.env.ATLAS_BASE_URL ?? "";
const groupId = process.env.ATLAS_GROUP_ID ?? "";
const token = process.env.ATLAS_TOKEN ?? "";

const page: ExportJobsPage = await listExportJobs(
  { groupId, clusterName: "Cluster0", itemsPerPage: 5, pageNum: 2 },
  { baseUrl, accessToken: token },
);
let validationField: string | undefined;
try {
  await listExportJobs({ groupId: "not-a-project-id", clusterName: "Cluster0" }, { baseUrl, accessToken: token });
} catch (error) {
  validationField = isAtlasError(error) && error.kind === "validation" ? error.field : String(error);
}
console.log(JSON.stringify({ ids: page.results.map((job) => job.id), totalCount: page.totalCount, validationField }));
