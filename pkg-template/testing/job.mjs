// exportJob(): one snapshot export job in the exact shape of the spec's DiskBackupExportJob, built
// the way the mock's dataset builds its own, for tests that need a job of their own.
import { buildJob, jobInState, MOCK_GROUP_ID } from "./dataset.mjs";
import { sha256, toHex } from "./hash.mjs";

const BASE_URL = "https://cloud.mongodb.com";
const CLUSTER_NAME = "Cluster0";
// The ids' middle 10 hex: their own, so that they never equal the dataset's ids.
const ORIGINS = new Map();
const origin = (kind) => {
  if (!ORIGINS.has(kind)) ORIGINS.set(kind, toHex(sha256(`exportJob/${kind}`)).slice(0, 10));
  return ORIGINS.get(kind);
};

// Each call makes the next job: distinct ids, created an hour after the one before.
let made = 0;

/**
 * A Successful export job of Cluster0 in MOCK_GROUP_ID: 24-hex ids, `createdAt`, `finishedAt`,
 * `exportStatus`, `prefix` and a self link, as Atlas writes them (no `customData` or
 * `components` unless overridden). `overrides` replaces fields
 * (shallowly); a field set to undefined is left out. A `state` override brings the fields that go
 * with it (`finishedAt` once terminal, `stateReason` when Failed, `exportedCollections`) unless
 * they are overridden too, and an `id` override the self link that names it.
 */
export function exportJob(overrides = {}) {
  if (overrides === null || typeof overrides !== "object" || Array.isArray(overrides)) {
    throw new TypeError("exportJob(overrides): overrides is an object of ExportJob fields");
  }
  const index = made;
  made += 1;
  const built = buildJob(BASE_URL, CLUSTER_NAME, index, 0, origin);
  // The same fields at every call: customData only when a test asks for it.
  delete built.customData;
  const state = Object.hasOwn(overrides, "state") && typeof overrides.state === "string" ? overrides.state : "Successful";
  const job = jobInState(built, state, index);
  if (Object.hasOwn(overrides, "id") && typeof overrides.id === "string") {
    job.links = [{ href: `${BASE_URL}/api/atlas/v2/groups/${MOCK_GROUP_ID}/clusters/${CLUSTER_NAME}/backup/exports/${overrides.id}`, rel: "self" }];
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete job[key];
    else job[key] = value;
  }
  return job;
}
