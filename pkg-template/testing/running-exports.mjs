// Export jobs that run, so a client that watches a cluster sees jobs change state. Two kinds:
// - started jobs (RunningExports) are added to a cluster Queued, and every page of that cluster the
//   mock answers shows them as they are and then moves each one step on, through InProgress (with
//   exportedCollections rising) to the outcome the test asked for. No clock: the same requests
//   always see the same states.
// - the dataset's own Queued and InProgress jobs (ClockedExports) move one step every `stepMs` of
//   the mock's clock, when the mock is given a pace, each to an outcome derived from its index; so a
//   watch of the demo's clusters ends. At the same clock reading every request sees the same states.
// A job a test moves on command (moved-jobs.mjs) leaves both: it stays where it was put.
import { jobInState, STATES } from "./dataset.mjs";

export const OUTCOMES = Object.freeze(["Successful", "Failed", "Cancelled"]);

/**
 * Checks what startExports receives: `outcomes`, one per job to start; `queuedFor` and
 * `runningFor`, how many answered pages show each job Queued and then InProgress (default 1 and 2).
 * @returns {{outcomes: string[], queuedFor: number, runningFor: number}}
 */
export function checkRun({ outcomes, queuedFor = 1, runningFor = 2 } = {}) {
  if (!Array.isArray(outcomes) || outcomes.length === 0 || !outcomes.every((outcome) => OUTCOMES.includes(outcome))) {
    throw new TypeError(`outcomes is a non-empty array of ${OUTCOMES.join(", ")}`);
  }
  for (const [name, value] of [["queuedFor", queuedFor], ["runningFor", runningFor]]) {
    if (!(Number.isInteger(value) && value >= 0 && value <= 10_000)) {
      throw new TypeError(`${name} is an integer from 0 to 10000 (answered pages)`);
    }
  }
  return { outcomes: [...outcomes], queuedFor, runningFor };
}

/**
 * The state of a started job after `step` answered pages (0: none yet), and its exported
 * collections while in progress.
 */
export function stepOf({ outcome, queuedFor, runningFor }, step, totalCollections) {
  if (step < queuedFor) return { state: "Queued" };
  const running = step - queuedFor;
  if (running < runningFor) {
    return { state: "InProgress", exported: Math.floor((totalCollections * (running + 1)) / (runningFor + 1)) };
  }
  return { state: outcome };
}

export class RunningExports {
  /** clusterName -> the jobs still running: `{index, base, outcome, queuedFor, runningFor, step}` */
  #running = new Map();

  /**
   * Starts the jobs at `firstIndex`.. of `jobs` (just added, one per outcome of `run`, a checkRun
   * result) and returns `jobs` with them Queued, as a new array.
   */
  start(clusterName, jobs, firstIndex, run) {
    const list = this.#running.get(clusterName) ?? [];
    const started = run.outcomes.map((outcome, offset) => ({
      index: firstIndex + offset,
      base: jobs[firstIndex + offset],
      outcome,
      queuedFor: run.queuedFor,
      runningFor: run.runningFor,
      step: 0,
    }));
    this.#running.set(clusterName, list.concat(started));
    return this.#show(started, jobs.slice());
  }

  /** After a page of `clusterName` was answered: `jobs` with every running job one step on (a new array), or `jobs` itself. */
  advance(clusterName, jobs) {
    const list = this.#running.get(clusterName);
    if (!list) return jobs;
    for (const entry of list) entry.step += 1;
    const updated = this.#show(list, jobs.slice());
    const stillRunning = list.filter((entry) => !OUTCOMES.includes(stepOf(entry, entry.step, 0).state));
    if (stillRunning.length === 0) this.#running.delete(clusterName);
    else this.#running.set(clusterName, stillRunning);
    return updated;
  }

  /** Stops moving the job at `index` of `clusterName`, if it was running here: a test moved it on command. */
  drop(clusterName, index) {
    const list = this.#running.get(clusterName);
    if (!list) return;
    const rest = list.filter((entry) => entry.index !== index);
    if (rest.length === 0) this.#running.delete(clusterName);
    else this.#running.set(clusterName, rest);
  }

  clear() {
    this.#running.clear();
  }

  /** The indexes of `clusterName`'s jobs that are still running here (moved by pages, not by the clock). */
  runningIndexes(clusterName) {
    return new Set((this.#running.get(clusterName) ?? []).map((entry) => entry.index));
  }

  #show(entries, jobs) {
    for (const entry of entries) {
      const { state, exported } = stepOf(entry, entry.step, entry.base.exportStatus.totalCollections);
      jobs[entry.index] = jobInState(entry.base, state, entry.index, { exported });
    }
    return jobs;
  }
}

/** The outcomes the dataset's own running jobs reach, by the job's round of states (index / 5). */
const CLOCKED_OUTCOMES = Object.freeze(["Successful", "Failed", "Successful", "Cancelled", "Successful"]);

/**
 * How a dataset job at `index`, stored as `job`, runs on the clock: a run as stepOf reads it and
 * the step it is at when the clock starts (`offset`), chosen so that at step `offset` the job is
 * exactly as stored. Undefined for a job that is done (or in a state this mock does not run).
 * Queued jobs wait 1 or 2 steps and run 2 to 4; InProgress jobs, half done, run 1 to 3 more.
 * A job a test handed in without `createdAt` or `exportStatus.totalCollections` stays as it is.
 */
export function clockedRunOf(job, index) {
  if (typeof job.createdAt !== "string" || !Number.isInteger(job.exportStatus?.totalCollections)) return undefined;
  const round = Math.floor(index / STATES.length);
  const outcome = CLOCKED_OUTCOMES[round % CLOCKED_OUTCOMES.length];
  if (job.state === "Queued") return { run: { outcome, queuedFor: 1 + (round % 2), runningFor: 2 + (round % 3) }, offset: 0 };
  if (job.state !== "InProgress") return undefined;
  // Running for 2h + 1 steps and h steps in, a job has exported (h + 1) / (2h + 2) = half of its
  // collections, as the dataset's InProgress jobs have.
  const half = round % 3;
  return { run: { outcome, queuedFor: 0, runningFor: 2 * half + 1 }, offset: half };
}

export class ClockedExports {
  #stepMs;
  #clock;
  #startMs;
  /** clusterName -> [{from, step}]: jobs from index `from` on started moving at global step `step`. */
  #starts = new Map();
  /** clusterName -> {stored, step, leftAlone, shown}: the last view, reused until something changes. */
  #views = new Map();

  /**
   * @param {{stepMs: number | undefined, clock: {now(): number}}} options `stepMs` undefined: the
   *   jobs never move
   */
  constructor({ stepMs, clock }) {
    this.#stepMs = stepMs;
    this.#clock = clock;
    this.restart();
  }

  /** Starts every job over: the dataset's jobs run from now, as if the mock had just started. */
  restart() {
    this.#startMs = this.#clock.now();
    this.#starts.clear();
    this.#views.clear();
  }

  /** Jobs `from`.. of `clusterName`, just added, run from now rather than from the start. */
  added(clusterName, from) {
    if (this.#stepMs === undefined) return;
    const starts = this.#starts.get(clusterName) ?? [];
    this.#starts.set(clusterName, starts.concat({ from, step: this.#step() }));
  }

  /**
   * `stored` (the cluster's jobs as the dataset holds them) as they are now: every Queued or
   * InProgress job moved on by the steps since it started, except those at the indexes
   * `leftAlone` (started jobs, which move by pages, and jobs a test put in a state, which stay
   * there). `stored` itself while nothing moves.
   */
  view(clusterName, stored, leftAlone) {
    if (this.#stepMs === undefined) return stored;
    const step = this.#step();
    const alone = [...leftAlone].join();
    const last = this.#views.get(clusterName);
    if (last && last.stored === stored && last.step === step && last.leftAlone === alone) return last.shown;
    const starts = this.#starts.get(clusterName) ?? [];
    const shown = stored.map((job, index) => {
      if (leftAlone.has(index)) return job;
      const clocked = clockedRunOf(job, index);
      if (clocked === undefined) return job;
      const startedAt = starts.findLast((start) => start.from <= index)?.step ?? 0;
      const steps = Math.max(0, step - startedAt);
      if (steps === 0) return job;
      const { state, exported } = stepOf(clocked.run, clocked.offset + steps, job.exportStatus.totalCollections);
      return jobInState(job, state, index, { exported });
    });
    this.#views.set(clusterName, { stored, step, leftAlone: alone, shown });
    return shown;
  }

  /** Whole steps since the start; never below 0, whatever the clock does. */
  #step() {
    return Math.max(0, Math.floor((this.#clock.now() - this.#startMs) / this.#stepMs));
  }
}
