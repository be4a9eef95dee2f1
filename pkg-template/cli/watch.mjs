// `watch`: polls a cluster's export jobs until every watched job is done (Successful, Failed or
// Cancelled), with a bound that always ends it (--max-polls, --timeout) and Ctrl-C that stops it
// at once. The watched jobs are the ones named with --job or else those that were Queued or
// InProgress at the first poll, plus any that appear later (exports started while watching).
import { setTimeout as sleep } from "node:timers/promises";

import { formatDuration } from "./duration.mjs";
import { EXIT } from "./errors.mjs";
import { JobWriter, writeTo } from "./output.mjs";
import { progressView, reasonOf, tally } from "./progress.mjs";
import { isTerminal } from "./states.mjs";
import { sanitize } from "./text.mjs";

/**
 * @param {object} options what parseCommandLine read for `watch`
 * @param {{client: object, signal: AbortSignal, stopReason: () => string | undefined,
 *   io: {stdout, stderr, env}, output: string, width: number}} context
 * @returns {Promise<number>} the exit code
 */
export async function watch(options, { client, signal, stopReason, io, output, width }) {
  const cluster = sanitize(options.params.clusterName ?? "");
  const view = progressView(io.stderr, { env: io.env, cluster, intervalMs: options.intervalMs });
  const named = options.jobs.length > 0;
  /** id -> the job as last listed (undefined while a --job has not been listed). */
  const watched = new Map(options.jobs.map((id) => [id, undefined]));
  let known;
  let polls = 0;
  let ending;
  try {
    for (;;) {
      const jobs = [];
      for await (const job of client.iterateExportJobs(options.params, { signal })) if (job.id !== undefined) jobs.push(job);
      polls += 1;
      if (known === undefined) {
        known = new Set(jobs.map((job) => job.id));
        if (!named) for (const job of jobs) if (!isTerminal(job.state)) watched.set(job.id, job);
      } else if (!named) {
        for (const job of jobs.filter((job) => !known.has(job.id))) watched.set(job.id, job);
        for (const job of jobs) known.add(job.id);
      }
      for (const job of jobs) if (watched.has(job.id)) watched.set(job.id, job);

      if (watched.size === 0) {
        ending = { exitCode: EXIT.ok, summary: `no export job of ${cluster} is Queued or InProgress: nothing to watch` };
        break;
      }
      view.update({ poll: polls, watched: entries(watched) });
      if ([...watched.values()].every((job) => isTerminal(job?.state))) {
        const allSucceeded = [...watched.values()].every((job) => job.state === "Successful");
        ending = { exitCode: allSucceeded ? EXIT.ok : EXIT.failed, summary: `${countOf(watched)} done after ${pollsText(polls)}: ${tally(entries(watched))}` };
        break;
      }
      if (options.maxPolls !== undefined && polls >= options.maxPolls) {
        ending = { exitCode: EXIT.network, summary: `gave up after ${pollsText(polls)} (--max-polls ${options.maxPolls}): ${tally(entries(watched))}` };
        break;
      }
      await sleep(options.intervalMs, undefined, { signal });
    }
  } catch (error) {
    // Ctrl-C or --timeout: stop at once, but say where the jobs were.
    if (!signal.aborted) throw error;
    const timedOut = stopReason() === "timeout";
    ending = {
      exitCode: timedOut ? EXIT.network : EXIT.interrupted,
      summary: `${timedOut ? "gave up" : "interrupted"} after ${pollsText(polls)}${timedOut ? ` (--timeout ${formatDuration(options.timeoutMs)})` : ""}${
        watched.size > 0 ? `: ${tally(entries(watched))}` : ""
      }`,
    };
  } finally {
    view.finish();
  }

  const lines = [ending.summary];
  for (const { id, job } of entries(watched)) {
    if (job?.state !== "Failed" && job?.state !== "Cancelled") continue;
    const reason = reasonOf(job);
    lines.push(`${sanitize(id)} ${job.state}${reason === "" ? "" : `: ${reason}`}`);
  }
  await writeTo(io.stderr, lines.flatMap((line) => view.fit(line)).map((line) => `${line}\n`).join(""));

  const writer = new JobWriter(output, io.stdout, { width });
  for (const job of watched.values()) if (job !== undefined) await writer.add(job);
  await writer.end();
  return ending.exitCode;
}

function entries(watched) {
  return [...watched].map(([id, job]) => ({ id, job }));
}

function countOf(watched) {
  return `${watched.size} export job${watched.size === 1 ? "" : "s"}`;
}

function pollsText(polls) {
  return `${polls} poll${polls === 1 ? "" : "s"}`;
}
