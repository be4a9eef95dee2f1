// Jobs as CSV (RFC 4180): a header row, then one row a job, every row with the same columns,
// CRLF line ends, and a field quoted when it holds a comma, a quote or a line break.
//
// Nested fields are flattened: an object's fields become columns of their own named by their
// path (`exportStatus.totalCollections`); a list of pairs becomes one field of `name=value`
// entries separated by `;` (`components` as replicaSetName=exportId, `customData` as key=value),
// with `%`, `;` and `=` inside a name or value written %25, %3B and %3D. `links` (the job's own
// API URL) is left out. An absent field is an empty one.

/** The columns, in order: the header and how to read the field from a job. */
export const CSV_COLUMNS = Object.freeze([
  ["id", (job) => job.id],
  ["state", (job) => job.state],
  ["createdAt", (job) => job.createdAt],
  ["finishedAt", (job) => job.finishedAt],
  ["exportStatus.exportedCollections", (job) => job.exportStatus?.exportedCollections],
  ["exportStatus.totalCollections", (job) => job.exportStatus?.totalCollections],
  ["stateReason.errorCode", (job) => job.stateReason?.errorCode],
  ["stateReason.message", (job) => job.stateReason?.message],
  ["exportBucketId", (job) => job.exportBucketId],
  ["snapshotId", (job) => job.snapshotId],
  ["prefix", (job) => job.prefix],
  ["components", (job) => pairs(job.components, "replicaSetName", "exportId")],
  ["customData", (job) => pairs(job.customData, "key", "value")],
]);

/** The header row, CRLF included. */
export function csvHeader() {
  return csvRow(CSV_COLUMNS.map(([name]) => name));
}

/** One job's row, CRLF included. */
export function csvJobRow(job) {
  return csvRow(CSV_COLUMNS.map(([, read]) => read(job)));
}

function csvRow(values) {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** One field: empty when absent, quoted (quotes doubled) when it holds `,`, `"`, CR or LF. */
export function csvField(value) {
  if (value === undefined || value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function pairs(list, nameKey, valueKey) {
  if (!Array.isArray(list)) return undefined;
  return list.map((item) => `${escapePart(item?.[nameKey])}=${escapePart(item?.[valueKey])}`).join(";");
}

function escapePart(value) {
  if (value === undefined || value === null) return "";
  return String(value).replace(/[%;=]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
