// Jobs as the Atlas CLI prints them by default (`atlas backups exports jobs list`, its output
// "plaintext"): the four columns of its list template, laid out as Go's text/tabwriter lays them
// out with the CLI's settings (minwidth 6, tabwidth 4, padding 3, padchar ' ', no flags). Every
// column but the last is as wide as its widest cell plus 3, and at least 6; a cell is written
// left-aligned and padded with spaces to that width; the last column is not padded. Widths count
// code points, as tabwriter counts runes (not terminal columns).
//
// An absent field is an empty cell, as in this command's table and CSV. (The Atlas CLI's
// template would print Go's `<nil>` for a nil field: text/template hands a nil pointer to
// fmt.Fprint.) What the server sent is stripped of control characters, as in the table: a tab
// would start a column, a newline a row.
import { sanitize } from "./text.mjs";

const MIN_WIDTH = 6;
const PADDING = 3;

/** The columns, in order: the header and how to read the field from a job. */
export const PLAINTEXT_COLUMNS = Object.freeze([
  ["ID", (job) => job.id],
  ["EXPORT BUCKET ID", (job) => job.exportBucketId],
  ["STATE", (job) => job.state],
  ["SNAPSHOT ID", (job) => job.snapshotId],
]);

/** The header and one line a job, each ending in a newline, as the Atlas CLI writes them. */
export function renderPlaintext(jobs) {
  const rows = [PLAINTEXT_COLUMNS.map(([header]) => header), ...jobs.map((job) => PLAINTEXT_COLUMNS.map(([, read]) => cell(read(job))))];
  const widths = PLAINTEXT_COLUMNS.slice(0, -1).map((_, i) => Math.max(MIN_WIDTH, ...rows.map((row) => length(row[i]) + PADDING)));
  const line = (row) => row.map((text, i) => (i < widths.length ? text + " ".repeat(widths[i] - length(text)) : text)).join("");
  return rows.map((row) => `${line(row)}\n`).join("");
}

function cell(value) {
  return value === undefined || value === null ? "" : sanitize(value);
}

function length(text) {
  return [...text].length;
}
