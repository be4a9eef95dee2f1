// A watch (src/watch.rs) as the caller iterates it: each round's listing, the waits between
// rounds, and the changes the core reports, as events. Only the full module has watches, so this
// loads with it, not with the package's entry.
import { responseInfo } from "./response-info.js";

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
