// The package and its testing kit through require(), under Jest's default setup.
const { AtlasError, isAtlasError, listExportJobs } = require("atlas-export-jobs");
const { MOCK_GROUP_ID, MOCK_TOKEN, startMockAtlas } = require("atlas-export-jobs/testing");

let mock;

beforeAll(async () => {
  mock = await startMockAtlas({ maxSeconds: 120 });
});

beforeEach(() => {
  mock.reset();
});

afterAll(async () => {
  await mock.close();
});

test("lists a page of export jobs from the mock", async () => {
  const page = await listExportJobs(
    { groupId: MOCK_GROUP_ID, clusterName: "Cluster0", itemsPerPage: 5, pageNum: 2 },
    { baseUrl: mock.url, accessToken: MOCK_TOKEN },
  );
  const jobs = mock.jobs("Cluster0");
  expect(page.results.map((job) => job.id)).toEqual(jobs.slice(5, 10).map((job) => job.id));
  expect(page.totalCount).toBe(jobs.length);
});

test("rejects a malformed project id with an AtlasError naming the field, before any request", async () => {
  const call = listExportJobs({ groupId: "not-a-project-id", clusterName: "Cluster0" }, { baseUrl: mock.url, accessToken: MOCK_TOKEN });
  await expect(call).rejects.toBeInstanceOf(AtlasError);
  await expect(call).rejects.toMatchObject({ name: "AtlasError", kind: "validation", field: "groupId" });
  expect(mock.requests).toHaveLength(0);
});

test("rejects a refused token with an AtlasError of kind api", async () => {
  const error = await listExportJobs({ groupId: MOCK_GROUP_ID, clusterName: "Cluster0" }, { baseUrl: mock.url, accessToken: "not-the-token" }).catch((e) => e);
  expect(isAtlasError(error)).toBe(true);
  expect(error).toMatchObject({ kind: "api", status: 401 });
});
