// How many polls `watch` has made, read from the requests its client sends. The library's
// watchExportJobs yields an event only for a job that moved, so a poll in which nothing moved
// leaves no trace in its events; yet --max-polls, the progress view's "poll N" and the summary
// count every poll. A poll lists every page, and begins with a request for the first one; the
// first page asked for again after an answer that was not a success (a retry, a digest
// challenge) belongs to the same poll.

/** Counts a watch's polls through the fetch its client is made with. */
export class PollCounter {
  /** Polls whose first page Atlas answered with a success. */
  count = 0;
  /** Whether the last request for a first page was answered with a success: the next one begins a poll. */
  #answered = true;
  #mayPoll = () => true;
  #onPoll = () => {};

  /**
   * `mayPoll()` is asked before each poll is sent: false holds it back (its request fails, which
   * the watch sees as an abort once its signal has fired). `onPoll(count)` is told of each poll
   * Atlas answered, before its jobs are read.
   */
  follow({ mayPoll, onPoll }) {
    this.#mayPoll = mayPoll;
    this.#onPoll = onPoll;
  }

  /** The client's fetch: the platform's, counted. */
  fetch = async (request) => {
    if (!isFirstPage(request)) return fetch(request);
    if (this.#answered && !this.#mayPoll()) throw new DOMException("no further poll is wanted", "AbortError");
    this.#answered = false;
    const response = await fetch(request);
    if (response.ok) {
      this.#answered = true;
      this.count += 1;
      this.#onPoll(this.count);
    }
    return response;
  };
}

/** Whether `request` asks for the first page of a listing (token requests are POSTs). */
function isFirstPage(request) {
  return request.method === "GET" && new URL(request.url).searchParams.get("pageNum") === "1";
}
