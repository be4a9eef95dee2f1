// The mock's wall clock for everything that expires (service-account tokens, Digest nonces, the
// token endpoint's rate window), so tests move time forward instead of waiting for it.

export class Clock {
  #now;
  #offsetMs = 0;

  /** @param {() => number} [now=Date.now] milliseconds since the epoch */
  constructor(now = Date.now) {
    this.#now = now;
  }

  /** Milliseconds since the epoch: `now()` plus every advance. */
  now() {
    return this.#now() + this.#offsetMs;
  }

  /** Moves the clock `seconds` forward. */
  advance(seconds) {
    if (!(Number.isFinite(seconds) && seconds >= 0)) throw new TypeError("seconds is a number >= 0");
    this.#offsetMs += seconds * 1000;
  }
}
