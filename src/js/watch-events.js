// A watch (src/watch.rs) as the caller iterates it: each round's listing, the waits between
// rounds, and the changes the core reports, as events. Only the full module has watches, so this
// loads with it, not with the package's entry.
import { FIELDS, MORE, PATTERNS, quote, VALIDATION } from "./messages.js";
import { responseInfo } from "./response-info.js";

// The messages and fields of the failures only watches have, added to the messages file both
// builds share, so that a page that only lists does not load them.
Object.assign(FIELDS, { timeout: ["exportJobId", "state"], notFound: ["exportJobId", "state"] });
Object.assign(VALIDATION, { count: (f) => `${f.field} must hold from ${f.min} to ${f.max} items, got ${f.count}` });
Object.assign(PATTERNS, {
  exportJobId: (f) => `${f.field} ${quote(f.value)} must be an export job's id: 24 lowercase hex characters`,
  until: (f) => `${f.field} ${quote(f.value)} must be "allFinished" or "never"`,
});
Object.assign(MORE, {
  timeout: (f) => (f.code === "notFinished" ? `export job ${f.exportJobId} did not finish within timeoutMs (${f.ms} ms)${lastState(f)}` : undefined),
  notFound: (f) =>
    f.code === "removed"
      ? `export job ${f.exportJobId} is no longer listed${lastState(f)}`
      : `export job ${f.exportJobId} was not listed within appearTimeoutMs (${f.ms} ms, ${f.rounds} ${f.rounds === 1 ? "round" : "rounds"}): check the id, the project and the cluster`,
});

/** Where a job waited for was when last listed. */
function lastState(facts) {
  return facts.state === undefined ? "" : `; it was last ${quote(facts.state)}`;
}

/** One round: every page's jobs and the last page's responseInfo, or what it threw. Never rejects. */
async function listRound(pages) {
  const jobs = [];
  let last;
  try {
    for await (const page of pages) {
      for (const job of page.results) jobs.push(job);
      last = page;
    }
    return { jobs, info: responseInfo(last) };
  } catch (error) {
    return { error };
  }
}

/**
 * The events of `watcher`, as it says: when to list, how long to wait, what each round changed.
 * `names` are the events' types by the codes `settle()` reports; `steps` what `poll()` answers
 * besides a wait in ms (`list`, `await`, `end`). `onRound` is told of
 * each round after its events, with when the next is due. Frees the watcher at the end, however
 * the loop ends: that aborts the round that is out and the wait, so no request follows a `break`,
 * a `return` or an abort.
 */
export async function* events(watcher, onRound, names, steps) {
  const [LIST, AWAIT, END] = steps;
  let round;
  let last = [];
  let rounds = 0;
  let report;
  try {
    for (;;) {
      const step = watcher.poll();
      if (report) {
        report.nextInMs = step > 0 ? step : step === LIST ? 0 : undefined;
        try {
          onRound(report);
        } catch {
          // What the caller's callback throws is its own affair; the watch goes on.
        }
        report = undefined;
      }
      if (step === END) return;
      if (step === LIST) {
        const out = { outcome: undefined };
        out.done = listRound(watcher.round()).then((outcome) => (out.outcome = outcome));
        round = out;
        continue;
      }
      if (step === AWAIT) await round.done;
      else await watcher.wait(step, round?.done);
      const outcome = round?.outcome;
      if (outcome === undefined) continue;
      round = undefined;
      const changes = watcher.settle(outcome.jobs, outcome.error);
      const { jobs = last, info = responseInfo(outcome.error), error } = outcome;
      rounds += 1;
      if (onRound) report = { round: rounds, changes: changes.length / 3, responseInfo: info, ...(error && { error }) };
      for (let at = 0; at < changes.length; at += 3) {
        const [type, index, previous] = [names[changes[at]], changes[at + 1], changes[at + 2]];
        const event = { type, job: index < 0 ? last[previous] : jobs[index] };
        if (index >= 0 && previous >= 0) event.previous = last[previous];
        event.responseInfo = info;
        yield event;
      }
      last = jobs;
    }
  } finally {
    watcher.free();
  }
}

/** The job a wait ends with, once its watch has: the last one listed. */
export async function finished(events) {
  let job;
  for await (const event of events) job = event.job;
  return job;
}
