// Durations on the command line: `500ms`, `10s`, `2m`, `1h`, or a bare number of seconds.

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/;

/** The longest wait a timer can make (setTimeout's limit), about 24.8 days. */
export const MAX_DURATION_MS = 2_147_483_647;

/** Milliseconds (a whole number from 1 to MAX_DURATION_MS) for `text`, or undefined if it is not a duration. */
export function parseDuration(text) {
  const match = DURATION.exec(String(text).trim());
  if (!match) return undefined;
  const ms = Math.round(Number(match[1]) * UNIT_MS[match[2] ?? "s"]);
  return ms >= 1 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `ms` written the way parseDuration reads it, in the largest unit that is exact. */
export function formatDuration(ms) {
  for (const unit of ["h", "m", "s"]) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
