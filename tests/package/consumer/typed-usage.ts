// Compiled with `tsc --strict --noEmit`: what must type-check, and (after each @ts-expect-error)
// what must not. The type test also removes the directives and checks that each line then fails.
import {
  AtlasClient,
  AtlasError,
  isAtlasError,
  listExportJobs,
  ready,
  responseInfo,
  waitForExportJob,
  watchExportJobs,
  type AtlasErrorKind,
  type WatchEvent,
  type WatchRound,
  type ResponseInfo,
  type RetryEvent,
  type ExportJob,
  type ExportJobsPage,
  type ExportState,
  type ListExportJobsOptions,
} from "atlas-export-jobs";

const groupId = "32b6e34b3d91647abb20e7b8";
const options: ListExportJobsOptions = { baseUrl: "https://cloud.mongodb.com", accessToken: "t", timeoutMs: 5000, signal: AbortSignal.timeout(1000) };

export async function uses(): Promise<void> {
  const page: ExportJobsPage = await listExportJobs({ groupId, clusterName: "Cluster0", itemsPerPage: 50, includeCount: false }, options);
  const first: ExportJob | undefined = page.results[0];
  const bucket: string | undefined = first?.exportBucketId;
  const finished: string | undefined = first?.finishedAt;
  const total: number | undefined = page.totalCount;
  const progress: number | undefined = first?.exportStatus?.exportedCollections;
  const shard: string | undefined = first?.components?.[0]?.replicaSetName;
  const known: ExportState = "InProgress";
  const future: ExportState = "Paused";
  const state: ExportState | undefined = first?.state;
  void [bucket, finished, total, progress, shard, known, future, state];
  await listExportJobs({ groupId, clusterName: "Cluster0" });
  await listExportJobs({ groupId, clusterName: "Cluster0" }, { apiVersion: "v1.0" });
  await listExportJobs({ groupId, clusterName: "Cluster0" }, { retry: false, deadlineMs: 60_000 });
  await listExportJobs({ groupId, clusterName: "Cluster0" }, { retry: { maxAttempts: 2, onRetry: (event: RetryEvent) => void event.delayMs } });
  const info: ResponseInfo | undefined = responseInfo(page);
  const remaining: number | undefined = info?.rateLimitRemaining;
  void remaining;

  // @ts-expect-error groupId is required
  await listExportJobs({ clusterName: "Cluster0" });
  // @ts-expect-error clusterName is a string
  await listExportJobs({ groupId, clusterName: 42 });
  // @ts-expect-error there is no such option
  await listExportJobs({ groupId, clusterName: "Cluster0" }, { timeout: 5000 });
  // @ts-expect-error itemsPerPage is a number
  await listExportJobs({ groupId, clusterName: "Cluster0", itemsPerPage: "10" });
  // @ts-expect-error retry is a boolean or an object
  await listExportJobs({ groupId, clusterName: "Cluster0" }, { retry: 3 });
  // @ts-expect-error apiVersion is "v2" or "v1.0"
  await listExportJobs({ groupId, clusterName: "Cluster0" }, { apiVersion: "v3" });
}

export async function usesAClient(): Promise<number> {
  const atlas = new AtlasClient({ auth: { type: "serviceAccount", clientId: "id", clientSecret: "secret" } });
  const page = await atlas.listExportJobs({ groupId, clusterName: "Cluster0" }, { timeoutMs: 1000 });
  let jobs = 0;
  for await (const job of atlas.iterateExportJobs({ groupId, clusterName: "Cluster0" }, { maxItems: 10_000 })) jobs += job.id ? 1 : 0;
  new AtlasClient({ auth: { type: "bearer", getToken: async () => "token" } });
  // @ts-expect-error a digest key needs its private key
  new AtlasClient({ auth: { type: "digest", publicKey: "p" } });
  // @ts-expect-error the base URL belongs to the client, not to one call
  await atlas.listExportJobs({ groupId, clusterName: "Cluster0" }, { baseUrl: "https://elsewhere" });
  await atlas.close();
  return page.results.length + jobs;
}

export async function follows(signal: AbortSignal): Promise<string[]> {
  const seen: string[] = [];
  const onRound = ({ round, changes, error, nextInMs }: WatchRound) => void [round, changes, error?.kind, nextInMs];
  const watch = watchExportJobs({ groupId, clusterName: "Cluster0" }, { signal, jobIds: [groupId], until: "never", interval: { runningMs: 5000 }, onRound });
  for await (const event of watch) {
    const described: WatchEvent = event;
    if (event.type === "changed" || event.type === "finished") seen.push(`${event.previous.state} -> ${event.job.state}`);
    // @ts-expect-error only a changed or finished job has the job before
    if (event.type === "added") void event.previous;
    seen.push(`${described.type} ${event.job.id ?? ""} ${event.responseInfo?.rateLimitRemaining ?? ""}`);
  }
  const job: ExportJob = await waitForExportJob({ groupId, clusterName: "Cluster0" }, groupId, {
    timeoutMs: 60_000,
    appearTimeoutMs: 10_000,
    onProgress: (moved: ExportJob) => void moved.state,
  });
  const client = new AtlasClient({ accessToken: "t" });
  for await (const event of client.watchExportJobs({ groupId, clusterName: "Cluster0" })) seen.push(event.type);
  await client.waitForExportJob({ groupId, clusterName: "Cluster0" }, groupId, { timeoutMs: 1000 });
  // @ts-expect-error until is "allFinished" or "never"
  watchExportJobs({ groupId, clusterName: "Cluster0" }, { until: "done" });
  // @ts-expect-error a watch tells rounds, not a listing's progress
  watchExportJobs({ groupId, clusterName: "Cluster0" }, { onProgress: () => {} });
  // @ts-expect-error the id of the job to wait for is required
  await waitForExportJob({ groupId, clusterName: "Cluster0" });
  return [...seen, job.state ?? ""];
}

export function handlesWaits(error: unknown): string | undefined {
  if (!isAtlasError(error)) return undefined;
  if (error.kind === "notFound") return `${error.exportJobId} ${error.state ?? ""}`;
  if (error.kind === "timeout") return error.exportJobId;
  return undefined;
}

export async function handsInTheModule(wasm: WebAssembly.Module, bytes: ArrayBuffer): Promise<void> {
  await ready();
  await ready({ module: wasm });
  await ready({ module: bytes });
  await ready({ module: new Uint8Array(bytes) });
  // @ts-expect-error the module itself or its bytes, not a path
  await ready({ module: "atlas_export_jobs_lean_bg.wasm" });
}

export function handles(error: unknown): string {
  if (!isAtlasError(error)) return "not ours";
  const kind: AtlasErrorKind = error.kind;
  // @ts-expect-error errorCode exists only once kind is narrowed to "api"
  void error.errorCode;
  if (error.kind === "api") {
    const code: string | undefined = error.errorCode;
    const status: number = error.status;
    // @ts-expect-error field belongs to validation errors
    void error.field;
    return `${status} ${code ?? ""}`;
  }
  if (error.kind === "validation") return error.field;
  if (error.kind === "decode") return error.path;
  if (error.kind === "paging") return error.reason;
  if (error.kind === "auth") return error.errorCode ?? "auth";
  if (error.kind === "network" || error.kind === "aborted" || error.kind === "timeout" || error.kind === "load") return String(error.cause);
  return kind;
}

export function narrowsWithInstanceof(error: unknown): string | undefined {
  if (error instanceof AtlasError && error.kind === "api") return error.detail;
  return error instanceof Error ? error.message : undefined;
}
