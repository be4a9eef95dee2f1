// What every consumer of the loading matrix does with the installed package: list a page from the
// mock, and make one call that must fail validation. The test compares the result with the mock's data.
export async function listForCheck({ listExportJobs, isAtlasError }, { baseUrl, groupId, token }) {
  const page = await listExportJobs({ groupId, clusterName: "Cluster0", itemsPerPage: 5, pageNum: 2 }, { baseUrl, accessToken: token });
  let validationField;
  try {
    await listExportJobs({ groupId: "not-a-project-id", clusterName: "Cluster0" }, { baseUrl, accessToken: token });
  } catch (error) {
    validationField = isAtlasError(error) && error.kind === "validation" ? error.field : String(error);
  }
  return { ids: page.results.map((job) => job.id), totalCount: page.totalCount, validationField };
}

/** The mock's address and credentials, from the page's query string. */
export function configFromQuery(search) {
  const query = new URLSearchParams(search);
  return { baseUrl: query.get("baseUrl"), groupId: query.get("groupId"), token: query.get("token") };
}
