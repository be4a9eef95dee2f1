// Text for a terminal: what the server sent made safe to print, and measured, cut and padded by
// the columns it takes on screen rather than by its length in UTF-16 units.

// C0 and C1 control characters and DEL: an ESC from a server could move the cursor or recolour the
// terminal, a newline would break a table row.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/gu;
// Marks that combine with the character before them, and zero-width characters.
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u;
// East Asian wide and fullwidth characters and emoji take two columns.
const WIDE = /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]$/u;

export const ELLIPSIS = "…";

/** `text` with every control character (newlines, tabs and ESC included) replaced by a space. */
export function sanitize(text) {
  return String(text).replace(CONTROL, " ");
}

/** How many terminal columns one character takes: 0, 1 or 2. */
function charWidth(char) {
  if (ZERO_WIDTH.test(char)) return 0;
  return WIDE.test(char) ? 2 : 1;
}

/** The columns `text` takes on a terminal (`text` holds no control characters). */
export function displayWidth(text) {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** `text` cut to at most `width` columns, ending in "…" when something was cut. */
export function ellipsize(text, width) {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return "";
  let out = "";
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return out + ELLIPSIS;
}

/** `text` cut to `width` columns and padded with spaces to exactly `width`. */
export function fitCell(text, width) {
  const cut = ellipsize(text, width);
  return cut + " ".repeat(Math.max(0, width - displayWidth(cut)));
}

/** `text` broken into lines of at most `width` columns, at spaces where it can be. */
export function wrap(text, width) {
  const limit = Math.max(1, width);
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    const candidate = line === "" ? word : `${line} ${word}`;
    if (displayWidth(candidate) <= limit) {
      line = candidate;
      continue;
    }
    if (line !== "") lines.push(line);
    line = word;
    // A word longer than a line is cut where the line ends.
    while (displayWidth(line) > limit) {
      let head = "";
      let used = 0;
      for (const char of line) {
        const w = charWidth(char);
        if (used + w > limit) break;
        head += char;
        used += w;
      }
      if (head === "") head = [...line][0];
      lines.push(head);
      line = line.slice(head.length);
    }
  }
  if (line !== "" || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * The columns output to a terminal may use: `COLUMNS` when it is set to a positive integer, else
 * the terminal's own width, else 80.
 */
export function terminalWidth(stream, env) {
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (stream.isTTY && Number.isInteger(stream.columns) && stream.columns > 0) return stream.columns;
  return 80;
}

/** The rows of the terminal behind `stream`: `LINES`, its own height, or 24. */
export function terminalHeight(stream, env) {
  const fromEnv = Number(env.LINES);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (stream.isTTY && Number.isInteger(stream.rows) && stream.rows > 0) return stream.rows;
  return 24;
}
