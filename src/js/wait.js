// Waits the shell's machines ask for. Each resolves (never rejects) with whether it ended on its
// own (`true`) or because the caller's signal aborted (`false`), and leaves no timer or listener
// behind.

/** Waits `ms`, or until `signal` aborts. `until` (a promise) may end the wait early, too. */
export function wait(ms, signal, until) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const end = (ended) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(ended);
    };
    const onAbort = () => end(false);
    const timer = setTimeout(() => end(true), ms);
    signal?.addEventListener("abort", onAbort, { once: true });
    until?.then(() => end(true));
  });
}

/** A promise that `notify` settles and renews: calls waiting for a client's credentials to change. */
export class Notifier {
  constructor() {
    this.renew();
  }

  renew() {
    this.changed = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  notify() {
    this.resolve();
    this.renew();
  }

  wait(ms, signal) {
    return wait(ms, signal, this.changed);
  }
}
