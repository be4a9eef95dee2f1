// `watch`: follows a cluster's export jobs until every watched job is done (Successful, Failed or
// Cancelled), with a bound that always ends it (--max-polls, --timeout) and Ctrl-C that stops it
// at once. The watched jobs are the ones named with --job or else those that were Queued or
// InProgress at the first poll, plus any that appear later (exports started while watching). When
// to poll, what moved and when every job is done are the library's (watchExportJobs); this keeps
// which jobs are watched, shows them and says how the watch ended.
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
  /** Watched jobs that stopped being listed before they finished: the library follows them no more. */
  const gone = new Set();
  const shown = () => [...watched].map(([id, job]) => ({ id, job: gone.has(id) ? undefined : job }));
  const settled = () => [...watched].every(([id, job]) => gone.has(id) || isTerminal(job?.state));
  // --max-polls ends the watch with a signal of its own, beside Ctrl-C's and --timeout's.
  const enough = new AbortController();
  /** Polls made: the library tells each one, moved or not, failed or not, after its events. */
  let polls = 0;
  const onRound = ({ round }) => {
    polls = round;
    if (watched.size > 0) view.update({ poll: polls, watched: shown() });
    if (options.maxPolls !== undefined && polls >= options.maxPolls && !settled()) {
      enough.abort(new Error(`--max-polls ${options.maxPolls}`));
    }
  };

  let ending;
  try {
    const following = client.watchExportJobs(options.params, {
      signal: AbortSignal.any([signal, enough.signal]),
      // The watch ends once every job is done, so the interval between polls while none runs
      // (`idleMs`) never comes into play.
      interval: { runningMs: options.intervalMs },
      onRound,
      ...(named ? { jobIds: options.jobs } : {}),
    });
    for await (const event of following) take(event, polls === 0);
    if (watched.size === 0) {
      ending = { exitCode: EXIT.ok, summary: `no export job of ${cluster} is Queued or InProgress: nothing to watch` };
    } else {
      const allSucceeded = [...watched].every(([id, job]) => !gone.has(id) && job?.state === "Successful");
      ending = { exitCode: allSucceeded ? EXIT.ok : EXIT.failed, summary: `${countOf(watched)} done after ${pollsText(polls)}: ${tally(shown())}` };
    }
  } catch (error) {
    if (signal.aborted) {
      // Ctrl-C or --timeout: stop at once, but say where the jobs were.
      const timedOut = stopReason() === "timeout";
      ending = {
        exitCode: timedOut ? EXIT.network : EXIT.interrupted,
        summary: `${timedOut ? "gave up" : "interrupted"} after ${pollsText(polls)}${timedOut ? ` (--timeout ${formatDuration(options.timeoutMs)})` : ""}${
          watched.size > 0 ? `: ${tally(shown())}` : ""
        }`,
      };
    } else if (enough.signal.aborted) {
      ending = { exitCode: EXIT.network, summary: `gave up after ${pollsText(polls)} (--max-polls ${options.maxPolls}): ${tally(shown())}` };
    } else {
      throw error;
    }
  } finally {
    view.finish();
  }

  const lines = [ending.summary];
  for (const { id, job } of shown()) {
    if (job?.state !== "Failed" && job?.state !== "Cancelled") continue;
    const reason = reasonOf(job);
    lines.push(`${sanitize(id)} ${job.state}${reason === "" ? "" : `: ${reason}`}`);
  }
  for (const id of gone) lines.push(`${sanitize(id)} is no longer listed; it was ${sanitize(watched.get(id)?.state ?? "?")}`);
  await writeTo(io.stderr, lines.flatMap((line) => view.fit(line)).map((line) => `${line}\n`).join(""));

  const writer = new JobWriter(output, io.stdout, { width });
  for (const job of watched.values()) if (job !== undefined) await writer.add(job);
  await writer.end();
  return ending.exitCode;

  /** One event: which jobs are watched, and each as last listed. */
  function take({ type, job }, inFirstPoll) {
    const { id } = job;
    if (type === "added") {
      // Without --job, a job already done when the watch began is not watched: an old failure
      // does not fail a new watch. The library names only the --job ones when there are some.
      if (!named && inFirstPoll && isTerminal(job.state)) return;
      watched.set(id, job);
      gone.delete(id);
    } else if (!watched.has(id)) {
      return;
    } else if (type === "removed") {
      if (!isTerminal(job.state)) gone.add(id);
    } else {
      watched.set(id, job);
    }
  }
}

function countOf(watched) {
  return `${watched.size} export job${watched.size === 1 ? "" : "s"}`;
}

function pollsText(polls) {
  return `${polls} poll${polls === 1 ? "" : "s"}`;
}
