// The pages of a listing, as a walk (src/walk.rs) says to fetch and take them: the loop a listing's
// caller and a watch's rounds share.

/**
 * The pages of `walk`, in order, fetched as far ahead as it says; `end` is what its `poll()`
 * answers at the end (otherwise a page to fetch, or minus the page to wait for). Frees the walk at
 * the end, however the loop ends (`break`, `return`, a throw, a rejection): that aborts every
 * request and wait it started, the pages fetched ahead included. An iterator dropped unfinished
 * does the same when it is garbage-collected, through the walk's finalizer.
 */
export async function* pages(walk, end) {
  const fetching = new Map();
  try {
    for (;;) {
      const step = walk.poll();
      if (step === end) return;
      if (step > 0) {
        fetching.set(step, walk.fetch(step));
        continue;
      }
      const call = await fetching.get(-step);
      fetching.delete(-step);
      yield walk.take(call);
    }
  } finally {
    walk.free();
  }
}
