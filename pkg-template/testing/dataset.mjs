// The mock Atlas project: one group with four clusters of snapshot export jobs (plus any sized
// clusters a test asks for), in the exact shape of the spec's DiskBackupExportJob. Everything is
// derived from the cluster name and the job's index, so every run (and every process) sees the same
// jobs, and a cluster that gains jobs gains the ones a bigger cluster of that name would hold.
import { sha256, toHex } from "./hash.mjs";

export const MOCK_GROUP_ID = "6542a1b2c3d4e5f60718293a";
/** The Bearer token the mock accepts unless told otherwise. A mock value, not a secret. */
export const MOCK_TOKEN = "mock-atlas-token-7c1e0d5f";

/** The clusters of MOCK_GROUP_ID: how many jobs each holds and how many shards it has (0: replica set). */
export const MOCK_CLUSTERS = Object.freeze({
  Cluster0: { jobs: 42, shards: 0 },
  Sharded0: { jobs: 7, shards: 3 },
  Empty0: { jobs: 0, shards: 0 },
  Big0: { jobs: 1234, shards: 0 },
});

/** The most jobs one cluster may hold, so a typo cannot build millions of jobs. */
export const MAX_JOBS_PER_CLUSTER = 100_000;
const MAX_SHARDS = 50;
const CLUSTER_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-]*$/;

export const STATES = Object.freeze(["Queued", "InProgress", "Successful", "Failed", "Cancelled"]);
const TERMINAL_STATES = new Set(["Successful", "Failed", "Cancelled"]);

const ORG_NAME = "demo-org";
const PROJECT_NAME = "demo-project";
const FIRST_CREATED_AT = Date.UTC(2026, 0, 1); // 2026-01-01T00:00:00Z
const HOUR_MS = 3_600_000;

const FAILURES = [
  {
    errorCode: "EXPORT_FAILED_BUCKET_ACCESS_DENIED",
    message: "Atlas could not write to the export bucket: the IAM role was denied s3:PutObject on the bucket.",
  },
  {
    errorCode: "EXPORT_FAILED_BUCKET_NOT_FOUND",
    message: "The export bucket no longer exists or was renamed after the export job was created.",
  },
];

/**
 * Builds the jobs of every cluster of MOCK_GROUP_ID, oldest first: the MOCK_CLUSTERS and the extra
 * `clusters` (see clusterSpecs). `publicBaseUrl` is the host the jobs' `links` name, as a real
 * server names its own.
 * @returns {Map<string, object[]>} clusterName -> export jobs
 */
export function buildDataset({ publicBaseUrl = "https://cloud.mongodb.com", clusters = {} } = {}) {
  const dataset = new Map();
  for (const [clusterName, { jobs, shards, given }] of Object.entries(clusterSpecs(clusters))) {
    dataset.set(clusterName, given ?? buildJobs({ publicBaseUrl, clusterName, shards, from: 0, count: jobs }));
  }
  return dataset;
}

/**
 * The MOCK_CLUSTERS followed by `clusters`, checked, each as `{jobs, shards}` (and `given`, a
 * copy of the jobs handed in, when they were).
 * `clusters`: `{ [clusterName]: jobCount }`, `{ [clusterName]: {jobs, shards} }` or, for jobs of
 * the test's own (such as exportJob()'s), `{ [clusterName]: jobs[] }`, such as
 * `{ Size0: 0, Size500: 500, Wide3: { jobs: 20, shards: 3 }, Mine: [exportJob()] }`; names must
 * not be MOCK_CLUSTERS'.
 */
export function clusterSpecs(clusters = {}) {
  if (clusters === null || typeof clusters !== "object" || Array.isArray(clusters)) {
    throw new TypeError("clusters is an object of clusterName: jobCount, {jobs, shards} or an array of jobs");
  }
  const specs = { ...MOCK_CLUSTERS };
  for (const [name, value] of Object.entries(clusters)) {
    if (!CLUSTER_NAME_PATTERN.test(name)) throw new TypeError(`cluster name "${name}" must match ${CLUSTER_NAME_PATTERN}`);
    if (Object.hasOwn(MOCK_CLUSTERS, name)) throw new TypeError(`cluster ${name} is already a default cluster`);
    if (Array.isArray(value)) {
      specs[name] = { jobs: value.length, shards: 0, given: copyJobs(value, `cluster ${name}`) };
      continue;
    }
    const { jobs, shards = 0 } = typeof value === "number" ? { jobs: value } : (value ?? {});
    if (!(Number.isInteger(jobs) && jobs >= 0 && jobs <= MAX_JOBS_PER_CLUSTER)) {
      throw new TypeError(`cluster ${name}: jobs is an integer from 0 to ${MAX_JOBS_PER_CLUSTER}`);
    }
    if (!(Number.isInteger(shards) && shards >= 0 && shards <= MAX_SHARDS)) {
      throw new TypeError(`cluster ${name}: shards is an integer from 0 to ${MAX_SHARDS}`);
    }
    specs[name] = { jobs, shards };
  }
  return specs;
}

/**
 * Jobs `from` to `from + count - 1` of `clusterName`: with `from` set to a cluster's size, the
 * jobs it gains next, created after all of its others.
 */
export function buildJobs({ publicBaseUrl = "https://cloud.mongodb.com", clusterName, shards = 0, from = 0, count }) {
  const base = publicBaseUrl.replace(/\/+$/, "");
  // One hash per kind of id instead of one per id: 10,000 jobs build in a few milliseconds.
  const origins = new Map();
  const origin = (kind) => {
    let hex = origins.get(kind);
    if (hex === undefined) {
      hex = toHex(sha256(`${clusterName}/${kind}`)).slice(0, 10);
      origins.set(kind, hex);
    }
    return hex;
  };
  return Array.from({ length: count }, (_, offset) => buildJob(base, clusterName, from + offset, shards, origin));
}

/**
 * Copies of `jobs` handed in by a test, as JSON carries them (so later changes to the caller's
 * objects change nothing here), or a TypeError when they are not objects a page can carry.
 */
export function copyJobs(jobs, what = "jobs") {
  if (!Array.isArray(jobs) || jobs.length > MAX_JOBS_PER_CLUSTER) {
    throw new TypeError(`${what}: jobs is an array of at most ${MAX_JOBS_PER_CLUSTER} job objects`);
  }
  return jobs.map((job, index) => {
    if (job === null || typeof job !== "object" || Array.isArray(job)) throw new TypeError(`${what}: job ${index} is not an object`);
    return JSON.parse(JSON.stringify(job));
  });
}

let defaultDataset;

/**
 * The jobs of `clusterName` in `groupId` (from `dataset`, by default one whose links name
 * https://cloud.mongodb.com), or undefined when the mock has no such group or cluster.
 */
export function jobsFor(groupId, clusterName, dataset = (defaultDataset ??= buildDataset())) {
  if (groupId !== MOCK_GROUP_ID) return undefined;
  return dataset.get(clusterName);
}

/**
 * Job `index` of `clusterName` with links under `base`; `origin(kind)` is the 10 hex that name
 * the kind of id (see objectId).
 */
export function buildJob(base, clusterName, index, shards, origin) {
  const createdMs = FIRST_CREATED_AT + index * HOUR_MS;
  const id = objectId(createdMs, origin("job"), index);
  const job = {};
  if (shards > 0) {
    job.components = Array.from({ length: shards }, (_, shard) => ({
      exportId: objectId(createdMs, origin(`shard-${shard}`), index),
      replicaSetName: `${clusterName}-shard-${shard}`,
    }));
  }
  job.createdAt = isoSeconds(createdMs);
  if (index % 3 === 0) {
    job.customData = [
      { key: "requestedBy", value: "nightly-export" },
      { key: "ticket", value: `OPS-${1000 + index}` },
    ];
  }
  job.exportBucketId = objectId(createdMs, origin("bucket"), index);
  job.exportStatus = { totalCollections: 5 + ((index * 7) % 20) };
  job.id = id;
  job.links = [{ href: `${base}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/${clusterName}/backup/exports/${id}`, rel: "self" }];
  job.prefix = [
    "exported_snapshots",
    ORG_NAME,
    PROJECT_NAME,
    clusterName,
    snapshotDate(createdMs),
    String(createdMs / 1000),
  ].join("/");
  job.snapshotId = objectId(createdMs, origin("snapshot"), index);
  return jobInState(job, STATES[index % STATES.length], index);
}

// The keys of a job in the spec fixture's order.
const JOB_KEY_ORDER = [
  "components", "createdAt", "customData", "exportBucketId", "exportStatus", "finishedAt",
  "id", "links", "prefix", "snapshotId", "state", "stateReason",
];

/**
 * A copy of `job` (the job at `index` of its cluster) in `state`, with the fields that depend on
 * it as a real job of that state carries them: `exportStatus.exportedCollections` (or `exported`,
 * when given), `finishedAt` once terminal and `stateReason` when Failed. Keys keep the spec
 * fixture's order.
 */
export function jobInState(job, state, index, { exported } = {}) {
  const createdMs = Date.parse(job.createdAt);
  const { totalCollections } = job.exportStatus;
  const changed = {
    exportStatus: { exportedCollections: exported ?? exportedCollections(state, totalCollections), totalCollections },
    finishedAt: TERMINAL_STATES.has(state) ? isoSeconds(createdMs + (10 + (index % 45)) * 60_000) : undefined,
    state,
    stateReason: state === "Failed" ? { ...FAILURES[Math.floor(index / STATES.length) % FAILURES.length] } : undefined,
  };
  const copy = {};
  for (const key of JOB_KEY_ORDER) {
    const value = Object.hasOwn(changed, key) ? changed[key] : job[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}

function exportedCollections(state, total) {
  switch (state) {
    case "Queued":
      return 0;
    case "Successful":
      return total;
    case "InProgress":
      return Math.floor(total / 2);
    default: // Failed and Cancelled stop part way; so, for all the mock knows, does a state Atlas adds.
      return Math.floor(total / 3);
  }
}

/**
 * A 24-hex id laid out like a MongoDB ObjectId: 4 bytes of creation time, 5 bytes that name the
 * cluster and the kind of id (`origin`, 10 hex), 3 bytes of counter. Distinct for every
 * (cluster, kind, index).
 */
function objectId(createdMs, origin, index) {
  const seconds = Math.floor(createdMs / 1000).toString(16).padStart(8, "0");
  const counter = index.toString(16).padStart(6, "0");
  return seconds + origin + counter;
}

/** `2026-01-01T00:00:00Z`: ISO 8601 UTC to the second, as Atlas writes it. */
function isoSeconds(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** `2026-01-01T0000`: the snapshot initiation date as Atlas writes it in export prefixes. */
function snapshotDate(ms) {
  return new Date(ms).toISOString().slice(0, 16).replace(":", "");
}
