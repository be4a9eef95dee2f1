// How `watch` shows its jobs on stderr while it polls: on a terminal, one progress bar a job,
// redrawn in place and never wider than the terminal; otherwise one plain line a change, for logs.
import { formatDuration } from "./duration.mjs";
import { isTerminal } from "./states.mjs";
import { displayWidth, ellipsize, fitCell, sanitize, terminalHeight, terminalWidth, wrap } from "./text.mjs";

const ESC = "\u001b[";
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;
const COLOR_OF_STATE = { Successful: 32, Failed: 31, Cancelled: 33, InProgress: 36 };
const ID_WIDTH = 24;
const STATE_WIDTH = 10;
const MAX_BAR_WIDTH = 30;
const MIN_BAR_WIDTH = 5;
const MIN_REASON_WIDTH = 16;
const NOT_LISTED = "not listed";

/** How far `job` got: collections done and in all, and the share done (0..1), where known. */
export function progressOf(job) {
  const done = job?.exportStatus?.exportedCollections;
  const total = job?.exportStatus?.totalCollections;
  if (job?.state === "Successful") return { done, total, share: 1 };
  if (Number.isInteger(done) && Number.isInteger(total) && total > 0) return { done, total, share: Math.min(1, done / total) };
  return { done, total, share: undefined };
}

/** Why a job stopped, as `errorCode: message`, or "". */
export function reasonOf(job) {
  const { errorCode, message } = job?.stateReason ?? {};
  return sanitize([errorCode, message].filter((part) => part !== undefined && part !== "").join(": "));
}

function counts({ done, total }) {
  return done === undefined && total === undefined ? "" : `${done ?? "?"}/${total ?? "?"}`;
}

function percent({ share }) {
  return share === undefined ? "" : `${Math.floor(share * 100)}%`;
}

/** The progress view for `stream`: bars on a terminal, lines otherwise. */
export function progressView(stream, { env, cluster, intervalMs }) {
  return stream.isTTY ? new BarProgress(stream, { env, cluster, intervalMs }) : new LineProgress(stream, { cluster, intervalMs });
}

/** Redraws one frame per poll: a header line, then a bar a job (as many as the terminal has rows for). */
export class BarProgress {
  #stream;
  #env;
  #cluster;
  #intervalMs;
  #color;
  #drawnLines = 0;
  #cursorHidden = false;

  constructor(stream, { env, cluster, intervalMs }) {
    this.#stream = stream;
    this.#env = env;
    this.#cluster = sanitize(cluster ?? "");
    this.#intervalMs = intervalMs;
    this.#color = env.NO_COLOR === undefined && env.TERM !== "dumb";
  }

  /** `watched`: `[{id, job}]` (`job` undefined while a --job is not listed). */
  update({ poll, watched }) {
    const width = terminalWidth(this.#stream, this.#env);
    const rows = Math.max(3, terminalHeight(this.#stream, this.#env) - 2);
    const running = watched.filter(({ job }) => !isTerminal(job?.state)).length;
    const header = `${this.#cluster}: ${watched.length} export job${watched.length === 1 ? "" : "s"}, ${running} running; poll ${poll}, every ${formatDuration(this.#intervalMs)}`;
    const lines = [ellipsize(header, width)];
    // Running jobs first, so the ones that still move stay in view when the terminal is short.
    const ordered = [...watched.filter(({ job }) => !isTerminal(job?.state)), ...watched.filter(({ job }) => isTerminal(job?.state))];
    const shown = ordered.length <= rows - 1 ? ordered : ordered.slice(0, rows - 2);
    for (const { id, job } of shown) lines.push(this.#jobLine(id, job, width));
    if (shown.length < ordered.length) {
      lines.push(ellipsize(`… and ${ordered.length - shown.length} more (${tally(ordered.slice(shown.length))})`, width));
    }
    let frame = "";
    if (!this.#cursorHidden) {
      frame += HIDE_CURSOR;
      this.#cursorHidden = true;
      // A second Ctrl-C exits at once: the cursor comes back even then (terminal writes are synchronous).
      process.once("exit", this.#restoreCursor);
    }
    if (this.#drawnLines > 0) frame += `${ESC}${this.#drawnLines}F`;
    frame += lines.map((line) => `${ESC}2K${line}\n`).join("");
    frame += `${ESC}J`;
    this.#stream.write(frame);
    this.#drawnLines = lines.length;
  }

  /** Leaves the last frame on screen and gives the cursor back. */
  finish() {
    process.off("exit", this.#restoreCursor);
    this.#restoreCursor();
  }

  #restoreCursor = () => {
    if (this.#cursorHidden) this.#stream.write(SHOW_CURSOR);
    this.#cursorHidden = false;
  };

  /** The lines of `text`, none wider than the terminal. */
  fit(text) {
    return wrap(text, terminalWidth(this.#stream, this.#env));
  }

  #jobLine(id, job, width) {
    const state = job === undefined ? NOT_LISTED : sanitize(job.state ?? "?");
    const head = `${fitCell(sanitize(id), ID_WIDTH)} `;
    const stateCell = fitCell(state, STATE_WIDTH);
    const progress = progressOf(job);
    const fixed = displayWidth(head) + STATE_WIDTH + 1 + 2 + 1 + 4 + 1 + 7;
    const barWidth = Math.min(MAX_BAR_WIDTH, width - fixed - 1 - MIN_REASON_WIDTH);
    const parts = [];
    if (barWidth >= MIN_BAR_WIDTH) {
      const filled = Math.round((progress.share ?? 0) * barWidth);
      parts.push(`[${"#".repeat(filled)}${".".repeat(barWidth - filled)}]`);
    }
    parts.push(percent(progress).padStart(4), counts(progress).padStart(7));
    const reason = reasonOf(job);
    if (reason !== "") parts.push(reason);
    const rest = ` ${parts.join(" ")}`.trimEnd();
    if (displayWidth(head) + STATE_WIDTH > width) return ellipsize(`${head}${state}${rest}`, width);
    const tail = ellipsize(rest, width - displayWidth(head) - STATE_WIDTH);
    const color = this.#color ? COLOR_OF_STATE[state] : undefined;
    const shownState = color === undefined ? stateCell : `${ESC}${color}m${stateCell}${ESC}0m`;
    return `${head}${shownState}${tail}`.trimEnd();
  }
}

/** One line a job when it first shows and whenever its state or progress changes. */
export class LineProgress {
  #stream;
  #cluster;
  #intervalMs;
  #last = new Map();
  #started = false;

  constructor(stream, { cluster, intervalMs }) {
    this.#stream = stream;
    this.#cluster = sanitize(cluster ?? "");
    this.#intervalMs = intervalMs;
  }

  update({ poll, watched }) {
    let text = "";
    // The heading comes with the first update: watch.mjs may show a poll a second time.
    if (!this.#started) {
      this.#started = true;
      text += `watching ${watched.length} export job${watched.length === 1 ? "" : "s"} of ${this.#cluster}, every ${formatDuration(this.#intervalMs)}\n`;
    }
    for (const { id, job } of watched) {
      const progress = progressOf(job);
      const state = job === undefined ? NOT_LISTED : sanitize(job.state ?? "?");
      const line = [state, counts(progress), percent(progress) && `(${percent(progress)})`, reasonOf(job)].filter(Boolean).join(" ");
      if (this.#last.get(id) === line) continue;
      this.#last.set(id, line);
      text += `poll ${poll}: ${sanitize(id)} ${line}\n`;
    }
    if (text !== "") this.#stream.write(text);
  }

  finish() {}

  /** `text` as one line: logs are not wrapped. */
  fit(text) {
    return [text];
  }
}

/** `2 Successful, 1 Failed`: how many of `watched` are in each state. */
export function tally(watched) {
  const byState = new Map();
  for (const { job } of watched) {
    const state = job === undefined ? NOT_LISTED : sanitize(job.state ?? "?");
    byState.set(state, (byState.get(state) ?? 0) + 1);
  }
  return [...byState].map(([state, count]) => `${count} ${state}`).join(", ");
}
