// Export jobs a test moves on command: put in a state (setJobState), where they stay, moved by
// neither pages nor the clock until reset(); or removed (removeJob), listed no more.
//
// A removed job keeps its place among its cluster's stored jobs and is only left out of what is
// shown: a job's index is part of what it is (its ids, its finishedAt and, on the clock, its run
// derive from it, and started jobs are kept by it), so the jobs after it must not shift, and the
// next job added must not be built with an index, and so an id, that is already listed.

const STATE_PATTERN = /^[A-Za-z]+$/;

/**
 * Checks a state to put a job in: Queued, InProgress, Successful, Failed, Cancelled, or any other
 * word of letters, since Atlas may add states and a test may want to show one it does not know.
 */
export function checkState(state) {
  if (typeof state !== "string" || !STATE_PATTERN.test(state)) {
    throw new TypeError(`state is a non-empty string of letters, such as "InProgress", not ${quoted(state)}`);
  }
}

/**
 * Checks that `job` carries what jobInState derives a state's fields from (`createdAt`,
 * `exportStatus.totalCollections`), which a job a test handed in may lack.
 */
export function checkMovable(job) {
  if (!(Number.isInteger(job.exportStatus?.totalCollections) && typeof job.createdAt === "string" && Number.isFinite(Date.parse(job.createdAt)))) {
    throw new TypeError(`job ${job.id} has no createdAt or exportStatus.totalCollections, which its state's fields derive from; make it with exportJob()`);
  }
}

/** Checks the `exportedCollections` asked of a job: undefined (its state's own count) or an integer from 0 to its `totalCollections`. */
export function checkExportedCollections(exportedCollections, totalCollections) {
  if (exportedCollections === undefined) return;
  if (!(Number.isInteger(exportedCollections) && exportedCollections >= 0 && exportedCollections <= totalCollections)) {
    throw new TypeError(`exportedCollections is an integer from 0 to ${totalCollections} (the job's totalCollections), not ${quoted(exportedCollections)}`);
  }
}

export class MovedJobs {
  /** clusterName -> the indexes of the jobs put in a state on command */
  #held = new Map();
  /** clusterName -> the indexes of the jobs removed */
  #removed = new Map();

  /**
   * The index in `stored` (the jobs of `clusterName` as the dataset holds them) of the first
   * listed job with id `jobId`, or a TypeError naming what is missing.
   */
  indexOf(clusterName, stored, jobId) {
    if (typeof jobId !== "string" || jobId === "") throw new TypeError("jobId is a non-empty string, the id of a listed job");
    const removed = this.#removed.get(clusterName);
    const index = stored.findIndex((job, at) => job.id === jobId && !removed?.has(at));
    if (index === -1) throw new TypeError(`no job ${jobId} listed in cluster ${clusterName}`);
    return index;
  }

  /** The job at `index` of `clusterName` stays as it is stored now. */
  hold(clusterName, index) {
    this.#setOf(this.#held, clusterName).add(index);
  }

  /** The job at `index` of `clusterName` is listed no more. */
  remove(clusterName, index) {
    this.#setOf(this.#removed, clusterName).add(index);
  }

  /** The indexes of `clusterName`'s jobs put in a state on command. */
  heldIndexes(clusterName) {
    return this.#held.get(clusterName) ?? new Set();
  }

  /** `jobs` (the cluster's stored jobs, or a view of them) without the removed ones; `jobs` itself when none is. */
  listed(clusterName, jobs) {
    const removed = this.#removed.get(clusterName);
    return removed ? jobs.filter((_, index) => !removed.has(index)) : jobs;
  }

  clear() {
    this.#held.clear();
    this.#removed.clear();
  }

  #setOf(map, clusterName) {
    let set = map.get(clusterName);
    if (!set) map.set(clusterName, (set = new Set()));
    return set;
  }
}

/** A value as a message names it: strings quoted, anything else as String() writes it. */
function quoted(value) {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
