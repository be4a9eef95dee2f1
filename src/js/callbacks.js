// Calls into the caller's functions (`getToken`, `onRetry`, `onProgress`). Whatever they throw,
// return or never settle, the shell gets a plain answer: nothing of theirs unwinds through wasm.

/** Calls `fn(argument)`, ignoring what it throws or rejects with: it must not change the outcome. */
export function callQuietly(fn, argument) {
  try {
    const result = fn(argument);
    if (result !== null && typeof result === "object" && typeof result.then === "function") {
      result.then(undefined, () => {});
    }
  } catch {
    // Ignored by design.
  }
}

/**
 * Asks a token broker for a token, for at most `ms`. Resolves with `{token}` (an empty token when
 * it gave something other than a string), or `{failure, cause}` where failure is "threw",
 * "timeout" or "aborted".
 */
export async function getToken(provider, ms, signal) {
  let timeout;
  try {
    timeout = AbortSignal.timeout(ms);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const token = await new Promise((resolve, reject) => {
      const onAbort = () => reject(combined.reason);
      if (combined.aborted) return onAbort();
      combined.addEventListener("abort", onAbort, { once: true });
      Promise.resolve()
        .then(() => provider())
        .then(resolve, reject)
        .finally(() => combined.removeEventListener("abort", onAbort));
    });
    return { token: typeof token === "string" ? token : "" };
  } catch (cause) {
    if (signal?.aborted) return { failure: "aborted", cause: signal.reason };
    if (timeout?.aborted) return { failure: "timeout", cause: timeout.reason };
    return { failure: "threw", cause };
  }
}

/** Whether this is a page or a worker rather than a server runtime. */
export function inBrowser() {
  const has = (name) => typeof globalThis[name] !== "undefined";
  return (has("document") || has("WorkerGlobalScope")) && !has("process");
}
