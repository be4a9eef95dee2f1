// Compiled with exactOptionalPropertyTypes: every optional option and parameter of the package,
// its server and its testing kit takes `undefined`, as a setting read from the environment or a
// form often is. First as code passes them, then for every optional field of every options type.
import {
  AtlasClient,
  checkListExportJobs,
  iterateExportJobs,
  listAllExportJobs,
  listExportJobs,
  ready,
  responseInfo,
  type AtlasClientOptions,
  type ClientCallOptions,
  type ClientListingOptions,
  type DigestAuth,
  type IterateExportJobsOptions,
  type ListExportJobsOptions,
  type ListExportJobsParams,
  type ListingOptions,
  type ReadyOptions,
  type RetryOptions,
  type ServiceAccountAuth,
} from "atlas-export-jobs";
import { createAtlasProxy, toNodeHandler, type AtlasProxyOptions } from "atlas-export-jobs/server";
import {
  exportJob,
  mockFetch,
  startMockAtlas,
  type ExportJobOverrides,
  type MockAtlasOptions,
  type MockBombFault,
  type MockClusterSpec,
  type MockExportRun,
  type MockFaultInjection,
  type MockFetchOptions,
  type MockRawFault,
  type MockReflectFault,
  type MockStatusFault,
  type StartMockAtlasOptions,
} from "atlas-export-jobs/testing";

// The one Node global this file uses, declared here so the consumer needs no @types/node.
declare const process: { env: Record<string, string | undefined> };
declare const form: { itemsPerPage?: number | undefined; pageNum?: number | undefined; signal?: AbortSignal | undefined };

const { ATLAS_BASE_URL, ATLAS_TOKEN, ATLAS_CLIENT_ID = "", ATLAS_CLIENT_SECRET = "", PORT } = process.env;
const seconds = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) * 1000 : undefined);
const flag = (name: string): boolean | undefined => (process.env[name] === undefined ? undefined : process.env[name] === "1");

export async function listsWithSettingsThatMayBeUnset(wasm: WebAssembly.Module | undefined): Promise<number> {
  await ready({ module: wasm });
  await ready(undefined);
  const params: ListExportJobsParams = {
    groupId: "32b6e34b3d91647abb20e7b8",
    clusterName: "Cluster0",
    itemsPerPage: form.itemsPerPage,
    pageNum: form.pageNum,
    includeCount: flag("ATLAS_INCLUDE_COUNT"),
    envelope: undefined,
    pretty: undefined,
  };
  const retry: RetryOptions = { maxAttempts: undefined, baseDelayMs: undefined, maxDelayMs: undefined, retryAfterUnitMs: undefined, onRetry: undefined };
  const options: ListExportJobsOptions = {
    baseUrl: ATLAS_BASE_URL,
    accessToken: ATLAS_TOKEN,
    apiVersion: undefined,
    allowInsecureHttp: flag("ATLAS_ALLOW_HTTP"),
    fetch: undefined,
    signal: form.signal,
    timeoutMs: seconds("ATLAS_TIMEOUT"),
    deadlineMs: seconds("ATLAS_DEADLINE"),
    retry: flag("ATLAS_RETRY") ?? retry,
    maxBodyBytes: undefined,
  };
  const page = await listExportJobs(params, options);
  await listExportJobs(params, undefined);
  const refused = checkListExportJobs(params, undefined);
  const listing: IterateExportJobsOptions = { ...options, maxPages: undefined, maxItems: undefined, concurrency: undefined, onProgress: undefined };
  const all = await listAllExportJobs(params, listing);
  for await (const job of iterateExportJobs(params, undefined)) void job;

  const client = new AtlasClient({
    baseUrl: ATLAS_BASE_URL,
    auth: { type: "serviceAccount", clientId: ATLAS_CLIENT_ID, clientSecret: ATLAS_CLIENT_SECRET, allowInBrowser: undefined },
    retry: undefined,
  });
  new AtlasClient({ auth: { type: "digest", publicKey: "public", privateKey: "private", allowInBrowser: flag("ATLAS_IN_BROWSER") } });
  new AtlasClient({ baseUrl: ATLAS_BASE_URL, auth: undefined, accessToken: ATLAS_TOKEN });
  const call: ClientCallOptions = { signal: undefined, timeoutMs: undefined, deadlineMs: undefined, retry: undefined, maxBodyBytes: undefined };
  await client.listExportJobs(params, call);
  await client.listExportJobs(params, undefined);
  const clientListing: ClientListingOptions = { ...call, maxPages: undefined, maxItems: form.itemsPerPage, concurrency: undefined, onProgress: undefined };
  await client.listAllExportJobs(params, clientListing);
  for await (const job of client.iterateExportJobs(params, undefined)) void job;
  await client.close();
  return page.results.length + all.length + (refused ? 1 : 0) + (responseInfo(page)?.attempts ?? 0);
}

export function proxiesWithSettingsThatMayBeUnset(): unknown {
  // A route module made at build time, where no credential is set: each is read as it is.
  const fromEnvironment = [
    createAtlasProxy({ auth: { type: "serviceAccount", clientId: process.env.MONGODB_ATLAS_CLIENT_ID, clientSecret: process.env.MONGODB_ATLAS_CLIENT_SECRET } }),
    createAtlasProxy({ auth: { type: "digest", publicKey: process.env.MONGODB_ATLAS_PUBLIC_API_KEY, privateKey: process.env.MONGODB_ATLAS_PRIVATE_API_KEY } }),
    createAtlasProxy({ auth: { type: "bearer", token: process.env.MONGODB_ATLAS_ACCESS_TOKEN } }),
  ];
  const proxy = createAtlasProxy({
    baseUrl: ATLAS_BASE_URL,
    auth: { type: "serviceAccount", clientId: ATLAS_CLIENT_ID, clientSecret: ATLAS_CLIENT_SECRET },
    prefix: process.env.ATLAS_PROXY_PREFIX,
    allow: { groupIds: process.env.ATLAS_GROUP_ID?.split(","), clusterNames: undefined },
    cors: undefined,
    timeoutMs: seconds("ATLAS_TIMEOUT"),
    deadlineMs: undefined,
    retry: undefined,
    maxBodyBytes: undefined,
    allowInsecureHttp: flag("ATLAS_ALLOW_HTTP"),
    fetch: undefined,
    onError: process.env.ATLAS_LOG_ERRORS ? (error, request) => console.error(request.url, error.kind, error.message) : undefined,
  });
  void [PORT, fromEnvironment];
  return toNodeHandler(proxy);
}

export async function mocksWithSettingsThatMayBeUnset(): Promise<void> {
  const shared: MockAtlasOptions = {
    token: process.env.MOCK_TOKEN,
    publicBaseUrl: undefined,
    latencyMs: seconds("MOCK_LATENCY"),
    tokenDelayMs: undefined,
    challengeDelayMs: undefined,
    clusters: { Wide: { jobs: 20, shards: undefined }, Mine: [exportJob(undefined), exportJob({ state: "Failed", finishedAt: undefined })] },
    serviceAccount: undefined,
    tokenLifetimeSeconds: undefined,
    tokenRateLimit: undefined,
    apiKey: undefined,
    nonceLifetimeSeconds: undefined,
    now: undefined,
    jobStepMs: undefined,
    requireAuth: flag("MOCK_REQUIRE_AUTH"),
  };
  const mock = await startMockAtlas({ ...shared, port: PORT ? Number(PORT) : undefined, maxSeconds: undefined });
  await startMockAtlas(undefined);
  mockFetch({ ...shared, baseUrl: ATLAS_BASE_URL });
  mockFetch(undefined);
  mock.injectFault({ fault: { status: 500, body: undefined, headers: undefined }, cluster: undefined, endpoint: undefined, times: undefined });
  mock.injectFault({ fault: { raw: "<html>", status: undefined, contentType: undefined } });
  mock.injectFault({ fault: { bomb: { bytes: 1 << 20, encoding: undefined, contentLength: undefined, status: undefined, onEnd: undefined } } });
  mock.injectFault({ fault: { reflect: { status: undefined, format: undefined, at: undefined, onEcho: undefined } } });
  mock.startExports("Cluster0", { outcomes: ["Successful"], queuedFor: undefined, runningFor: undefined });
  await mock.close();
}

// Every optional field of every options type, whatever it is added later: each takes `undefined`.
/** The optional keys of T. */
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
/** The optional keys of T that refuse `undefined` under exactOptionalPropertyTypes. */
type RefusingUndefined<T> = { [K in OptionalKeys<T>]-?: { [P in K]: undefined } extends Pick<T, K> ? never : K }[OptionalKeys<T>];
/** Compiles only when T has no such key: the error names the keys. */
type NoneRefuseUndefined<T extends { [K in RefusingUndefined<T>]: never }> = T;

export type OptionsThatTakeUndefined = [
  NoneRefuseUndefined<ListExportJobsParams>,
  NoneRefuseUndefined<ListExportJobsOptions>,
  NoneRefuseUndefined<ClientCallOptions>,
  NoneRefuseUndefined<RetryOptions>,
  NoneRefuseUndefined<AtlasClientOptions>,
  NoneRefuseUndefined<ServiceAccountAuth>,
  NoneRefuseUndefined<DigestAuth>,
  NoneRefuseUndefined<ListingOptions>,
  NoneRefuseUndefined<IterateExportJobsOptions>,
  NoneRefuseUndefined<ClientListingOptions>,
  NoneRefuseUndefined<ReadyOptions>,
  NoneRefuseUndefined<AtlasProxyOptions>,
  NoneRefuseUndefined<NonNullable<AtlasProxyOptions["allow"]>>,
  NoneRefuseUndefined<NonNullable<AtlasProxyOptions["cors"]>>,
  NoneRefuseUndefined<MockAtlasOptions>,
  NoneRefuseUndefined<StartMockAtlasOptions>,
  NoneRefuseUndefined<MockFetchOptions>,
  NoneRefuseUndefined<MockClusterSpec>,
  NoneRefuseUndefined<MockStatusFault>,
  NoneRefuseUndefined<MockRawFault>,
  NoneRefuseUndefined<MockBombFault["bomb"]>,
  NoneRefuseUndefined<MockReflectFault["reflect"]>,
  NoneRefuseUndefined<MockFaultInjection>,
  NoneRefuseUndefined<MockExportRun>,
  NoneRefuseUndefined<ExportJobOverrides>,
];
