// Node, CommonJS: `require` of the installed package.
const { listExportJobs, isAtlasError } = require("atlas-export-jobs");

const { ATLAS_BASE_URL: baseUrl, ATLAS_GROUP_ID: groupId, ATLAS_TOKEN: token } = process.env;

async function main() {
  const page = await listExportJobs({ groupId, clusterName: "Cluster0", itemsPerPage: 5, pageNum: 2 }, { baseUrl, accessToken: token });
  let validationField;
  try {
    await listExportJobs({ groupId: "not-a-project-id", clusterName: "Cluster0" }, { baseUrl, accessToken: token });
  } catch (error) {
    validationField = isAtlasError(error) && error.kind === "validation" ? error.field : String(error);
  }
  console.log(JSON.stringify({ ids: page.results.map((job) => job.id), totalCount: page.totalCount, validationField }));
}

main();
