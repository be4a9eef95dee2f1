// Jobs as a table for a terminal: the columns an operator reads first, each as wide as its widest
// value, and the whole no wider than the terminal: the reason column gives way first, then whole
// columns are left out (finished, reason, created, exported), and on a very narrow terminal each
// line is cut. Times are UTC, to the minute.
import { KNOWN_STATES } from "./states.mjs";
import { displayWidth, ellipsize, fitCell, sanitize } from "./text.mjs";

const GAP = "  ";
const MIN_REASON_WIDTH = 12;

/** The columns, in order: the header, what it shows (for --help), how to read it from a job. */
export const TABLE_COLUMNS = Object.freeze([
  { header: "ID", shows: "the export job's id", read: (job) => job.id },
  { header: "STATE", shows: `${KNOWN_STATES.slice(0, -1).join(", ")} or ${KNOWN_STATES.at(-1)}`, read: (job) => job.state },
  { header: "EXPORTED", shows: "collections exported/in all", read: (job) => collections(job), dropRank: 4 },
  { header: "CREATED", shows: "when the job was created, UTC, to the minute", read: (job) => minute(job.createdAt), dropRank: 3 },
  { header: "FINISHED", shows: "when it ended, UTC, to the minute", read: (job) => minute(job.finishedAt), dropRank: 1 },
  { header: "REASON", shows: "errorCode: message, for a failed job", read: (job) => reason(job), dropRank: 2, flexible: true },
]);

/** The table's lines (header first), none wider than `width` columns. */
export function renderTable(jobs, width) {
  const rows = jobs.map((job) => TABLE_COLUMNS.map((column) => sanitize(column.read(job) ?? "")));
  let columns = TABLE_COLUMNS.map((column, i) => ({
    ...column,
    index: i,
    width: Math.max(displayWidth(column.header), ...rows.map((row) => displayWidth(row[i]))),
  }));
  const total = () => columns.reduce((sum, column) => sum + column.width, 0) + GAP.length * (columns.length - 1);

  // Columns are left out only when the reason, cut to its least, still does not fit; then the
  // reason takes what the others leave, up to its widest value.
  const flexible = columns.find((column) => column.flexible);
  const natural = flexible.width;
  flexible.width = Math.min(natural, MIN_REASON_WIDTH);
  for (const rank of [1, 2, 3, 4]) {
    if (total() <= width) break;
    columns = columns.filter((column) => column.dropRank !== rank);
  }
  if (columns.includes(flexible)) flexible.width = Math.max(flexible.width, Math.min(natural, flexible.width + width - total()));

  const line = (cells) =>
    ellipsize(
      columns
        .map((column, i) => (i === columns.length - 1 ? ellipsize(cells[column.index], column.width) : fitCell(cells[column.index], column.width)))
        .join(GAP)
        .trimEnd(),
      width,
    );
  return [line(TABLE_COLUMNS.map((column) => column.header)), ...rows.map(line)];
}

function collections(job) {
  const status = job.exportStatus;
  if (status === undefined) return "";
  return `${status.exportedCollections ?? "?"}/${status.totalCollections ?? "?"}`;
}

/** `2026-01-01T10:00:00Z` as `2026-01-01 10:00`; anything else (another offset) as it is. */
function minute(timestamp) {
  if (timestamp === undefined) return "";
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?Z$/.exec(timestamp);
  return match ? `${match[1]} ${match[2]}` : timestamp;
}

function reason(job) {
  const { errorCode, message } = job.stateReason ?? {};
  return [errorCode, message].filter((part) => part !== undefined && part !== "").join(": ");
}
