// Where data goes: stdout, in the format asked for. ndjson and csv are written job by job as the
// pages arrive (so `| head` stops the listing early); json, table and plaintext are written at the
// end, so a failed listing leaves no half of a JSON document and columns fit every row.
import { csvHeader, csvJobRow } from "./csv.mjs";
import { UsageError } from "./errors.mjs";
import { renderPlaintext } from "./plaintext.mjs";
import { didYouMean } from "./suggest.mjs";
import { renderTable } from "./table.mjs";

/** The output formats: plaintext is the Atlas CLI's name for its own columns. */
export const OUTPUTS = Object.freeze(["table", "plaintext", "json", "ndjson", "csv"]);

// The Atlas CLI's formats that take a path or a template (`json-path=$.results`): not here.
const ATLAS_TEMPLATE_OUTPUTS = Object.freeze(["go-template-file", "go-template", "json-path"]);

/**
 * Checks that `value`, named by `source` (the flag as typed, MONGODB_ATLAS_OUTPUT or the
 * profile's key), is one of OUTPUTS. A flag's value is repeated in the refusal; a variable's or a
 * profile's is not (a template may be long), and the refusal says that -o overrides it.
 * @throws {UsageError}
 */
export function checkOutput(value, { source, fromFlag }) {
  if (OUTPUTS.includes(value)) return;
  const formats = `${source} must be one of ${OUTPUTS.join(", ")}`;
  const override = fromFlag ? "" : " (-o overrides it)";
  const template = ATLAS_TEMPLATE_OUTPUTS.find((name) => value === name || value.startsWith(`${name}=`));
  if (template !== undefined) throw new UsageError(`${formats}: the Atlas CLI's ${template} is not supported here${override}`);
  throw new UsageError(`${formats}${fromFlag ? `, not ${JSON.stringify(value)}` : ""}${didYouMean(value, OUTPUTS)}${override}`);
}

/**
 * The format when none is asked for, on a terminal or not: the Atlas CLI prints text to a pipe
 * too, so a script moved from it gets text here as well; -o json is one flag away.
 */
export const DEFAULT_OUTPUT = "table";

/**
 * Writes `text` to `stream`, waiting while its buffer is full. Never rejects: a closed stream (a
 * reader that went away) is the caller's signal to stop, not an error here.
 */
export function writeTo(stream, text) {
  if (text === "" || stream.destroyed || stream.writableEnded) return Promise.resolve();
  if (stream.write(text)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ["drain", "close", "error"]) stream.off(event, done);
      resolve();
    };
    for (const event of ["drain", "close", "error"]) stream.on(event, done);
  });
}

/** Takes jobs one at a time and writes them in `format` to `stream`. */
export class JobWriter {
  #format;
  #stream;
  #width;
  #kept = [];
  #started = false;

  /** `width`: the columns a table may take. */
  constructor(format, stream, { width }) {
    this.#format = format;
    this.#stream = stream;
    this.#width = width;
  }

  async add(job) {
    await this.#start();
    if (this.#format === "ndjson") await writeTo(this.#stream, `${JSON.stringify(job)}\n`);
    else if (this.#format === "csv") await writeTo(this.#stream, csvJobRow(job));
    else this.#kept.push(job);
  }

  /** Writes what waited for the end; with json, `page` (when given) instead of the array of jobs. */
  async end({ page } = {}) {
    await this.#start();
    if (this.#format === "json") await writeTo(this.#stream, `${JSON.stringify(page ?? this.#kept, null, 2)}\n`);
    else if (this.#format === "table") await writeTo(this.#stream, renderTable(this.#kept, this.#width).map((line) => `${line}\n`).join(""));
    else if (this.#format === "plaintext") await writeTo(this.#stream, renderPlaintext(this.#kept));
  }

  async #start() {
    if (this.#started) return;
    this.#started = true;
    if (this.#format === "csv") await writeTo(this.#stream, csvHeader());
  }
}
