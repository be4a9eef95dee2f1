// The clocks and the randomness the shell hands the machines (src/driver.rs). Waits, deadlines and
// token lifetimes run on the monotonic clock, which no one can set: a wall clock stepped an hour by
// NTP, an administrator or a test changes none of them. The wall clock is read only to count
// from a server's HTTP date. None of these throws.

/** The last monotonic reading handed out, and the reading it came from: its clock and value. */
let last = 0;
let previousClock;
let previousReading = NaN;

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
 * Milliseconds that never go back: how far `performance.now()` has moved since the first reading.
 * Where there is no `performance`, or it throws, the wall clock's forward steps stand in (there is
 * no better clock then). A clock that goes back, or a change from one clock to the other, moves
 * the reading by nothing: it neither goes back nor jumps.
 */
export function monotonicNow() {
  let clock = "performance";
  let reading;
  try {
    reading = globalThis.performance.now();
  } catch {
    // No `performance` here.
  }
  if (typeof reading !== "number" || !Number.isFinite(reading)) {
    clock = "wall";
    reading = wallNow();
  }
  const step = clock === previousClock ? reading - previousReading : 0;
  if (step > 0) last += step;
  previousClock = clock;
  previousReading = reading;
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
