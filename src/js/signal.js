// A listing's own AbortController (src/walk.rs). Every request and wait a listing starts, the pages
// it fetches ahead and their retries included, runs with its signal, which aborts when the
// caller's signal does (with the caller's reason) and when the listing ends: a `break`, a throw,
// a rejected `listAllExportJobs` or an iterator dropped unfinished leaves nothing running.

/** Made with each walk that may end with pages in flight; `end()` when the walk ends. */
export class ListingSignal {
  constructor(callerSignal) {
    this.controller = new AbortController();
    this.signal = this.controller.signal;
    this.callerSignal = callerSignal;
    this.follow = () => this.controller.abort(callerSignal.reason);
    if (!callerSignal) return;
    if (callerSignal.aborted) this.follow();
    else callerSignal.addEventListener("abort", this.follow, { once: true });
  }

  /**
   * Whether the caller's signal aborted it: the caller's reason wrapped (`{reason}`), or undefined
   * while it has not (a listing that ended is never asked).
   */
  abortedBy() {
    return this.signal.aborted ? { reason: this.callerSignal?.reason } : undefined;
  }

  /** Aborts what the listing started, and stops following the caller's signal. */
  end() {
    this.callerSignal?.removeEventListener("abort", this.follow);
    // Nobody reads the reason: the listing has ended, and what it started ends unseen.
    this.controller.abort();
  }
}
