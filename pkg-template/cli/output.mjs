// Where data goes: stdout, in the format asked for. ndjson and csv are written job by job as the
// pages arrive (so `| head` stops the listing early); json and table are written at the end, so a
// failed listing leaves no half of a JSON document.
import { csvHeader, csvJobRow } from "./csv.mjs";
import { renderTable } from "./table.mjs";

/** The output formats. */
export const OUTPUTS = Object.freeze(["table", "json", "ndjson", "csv"]);

/** The format when none is asked for: a table for a person at a terminal, JSON for a program. */
export function defaultOutput(stdout) {
  return stdout.isTTY ? "table" : "json";
}

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
  }

  async #start() {
    if (this.#started) return;
    this.#started = true;
    if (this.#format === "csv") await writeTo(this.#stream, csvHeader());
  }
}
