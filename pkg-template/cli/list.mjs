// `list`: one page of a cluster's export jobs, or every page with --all, in the format asked for,
// optionally only the jobs in some states (a filter applied here: the API has none).
import { JobWriter, writeTo } from "./output.mjs";
import { ellipsize, sanitize, terminalWidth, wrap } from "./text.mjs";

/** Every page of a listing at once costs the fewest requests in the largest pages. */
const ALL_ITEMS_PER_PAGE = 500;

/**
 * @param {object} options what parseCommandLine read for `list`
 * @param {{client: object, signal: AbortSignal, io: {stdout, stderr, env}, output: string, width: number}} context
 * @returns {Promise<number>} the exit code
 */
export async function list(options, { client, signal, io, output, width }) {
  const wanted = new Set(options.states);
  const keep = (job) => wanted.size === 0 || wanted.has(job.state);
  const writer = new JobWriter(output, io.stdout, { width });

  if (!options.all) {
    const page = await client.listExportJobs(options.params, { signal });
    const results = page.results.filter(keep);
    for (const job of results) await writer.add(job);
    await writer.end({ page: wanted.size === 0 ? page : { ...page, results } });
    if (output === "table") await note(io, pageSummary(options, page, results.length));
    return 0;
  }

  const params = { itemsPerPage: ALL_ITEMS_PER_PAGE, ...options.params };
  const progress = io.stderr.isTTY ? (text) => io.stderr.write(`\r\u001b[2K${ellipsize(text, terminalWidth(io.stderr, io.env))}`) : () => {};
  let seen = 0;
  let kept = 0;
  let pages = 0;
  try {
    for await (const page of client.iterateExportJobs(params, { signal }).pages()) {
      pages += 1;
      for (const job of page.results) {
        seen += 1;
        if (!keep(job)) continue;
        kept += 1;
        await writer.add(job);
      }
      const of = page.totalCount === undefined ? "" : ` of ${page.totalCount}`;
      progress(`listing ${sanitize(options.params.clusterName)}: ${seen}${of} jobs, ${pages} page${pages === 1 ? "" : "s"}`);
    }
  } finally {
    if (pages > 0 && io.stderr.isTTY) io.stderr.write("\r\u001b[2K");
  }
  await writer.end();
  if (output === "table") {
    await note(io, wanted.size === 0 ? `${plural(kept, "job")}` : `${kept} of ${plural(seen, "job")} ${kept === 1 ? "is" : "are"} ${[...wanted].join(" or ")}`);
  }
  return 0;
}

function pageSummary(options, page, shown) {
  const pageNum = Number.isInteger(options.params.pageNum) ? options.params.pageNum : 1;
  const onPage = page.results.length;
  let text =
    options.states.length === 0
      ? `${plural(onPage, "job")} on page ${pageNum}`
      : `${shown} of ${plural(onPage, "job")} on page ${pageNum} ${shown === 1 ? "is" : "are"} ${options.states.join(" or ")}`;
  if (page.totalCount !== undefined) text += `, ${page.totalCount} in all`;
  if (page.links?.some((link) => link.rel === "next")) text += `; next: --page ${pageNum + 1}, or --all for every job`;
  return text;
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** A diagnostic on stderr, wrapped to the terminal when there is one. */
async function note(io, text) {
  const lines = io.stderr.isTTY ? wrap(sanitize(text), terminalWidth(io.stderr, io.env)) : [sanitize(text)];
  await writeTo(io.stderr, lines.map((line) => `${line}\n`).join(""));
}
