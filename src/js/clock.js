// The clocks and the randomness the shell hands the machines (src/driver.rs). Waits, deadlines and
// token lifetimes run on the monotonic clock, which no one can set: a wall clock stepped an hour by
// NTP, an administrator or a test changes none of them. The wall clock is read only to count
// from a server's HTTP date. None of these throws.

/** The last monotonic reading handed out, and the wall clock then. */
let last = 0;
let lastWall = NaN;

/** Unix time in milliseconds, or NaN where `Date.now` cannot be read. */
export function wallNow() {
  try {
    const now = Date.now();
    return typeof now === "number" ? now : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Milliseconds that never go back: `performance.now()`. Where there is no `performance`, or it
 * throws, the clock moves on by the wall clock's forward steps since the last reading (there is
 * no better clock then); it never goes back either way.
 */
export function monotonicNow() {
  const wall = wallNow();
  let now;
  try {
    now = globalThis.performance.now();
  } catch {
    // No `performance` here.
  }
  if (typeof now !== "number" || !Number.isFinite(now)) {
    const step = wall - lastWall;
    now = last + (step > 0 ? step : 0);
  }
  last = Math.max(last, now);
  lastWall = wall;
  return last;
}

/** A seed for a machine's jitter and nonces, which need to be fresh, not secret; NaN if `Math.random` throws. */
export function randomSeed() {
  try {
    return Math.random() * 2 ** 53;
  } catch {
    return NaN;
  }
}
