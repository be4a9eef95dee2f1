// Export jobs that run, so a client that watches a cluster sees jobs change state without any
// clock: started jobs are added to a cluster Queued, and every page of that cluster the mock
// answers shows them as they are and then moves each one step on, through InProgress (with
// exportedCollections rising) to the outcome the test asked for. The same requests always see the
// same states.
import { jobInState } from "./dataset.mjs";

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

  clear() {
    this.#running.clear();
  }

  #show(entries, jobs) {
    for (const entry of entries) {
      const { state, exported } = stepOf(entry, entry.step, entry.base.exportStatus.totalCollections);
      jobs[entry.index] = jobInState(entry.base, state, entry.index, { exported });
    }
    return jobs;
  }
}
