// Redirects to another origin (the other origin, a server that records what reaches it, is
// recording-server.mjs).
//
//   fault: { redirect: { status: 301 | 302 | 303 | 307 | 308, location } }

const REDIRECT_STATUSES = [300, 301, 302, 303, 305, 307, 308];

/** `fault.redirect` checked: `{kind: "redirect", status, location}`. */
export function normalizeRedirect(redirect) {
  if (redirect === null || typeof redirect !== "object") throw new TypeError("a redirect fault is { redirect: { status, location } }");
  const { status, location } = redirect;
  if (!REDIRECT_STATUSES.includes(status)) throw new TypeError(`a redirect's status is one of ${REDIRECT_STATUSES.join(", ")}`);
  if (typeof location !== "string" || location === "") throw new TypeError("a redirect's location is a non-empty string");
  return { kind: "redirect", status, location };
}

/** The answer to a request that `redirect` sends elsewhere: a short HTML page, as servers write one. */
export function redirectAnswer({ status, location }) {
  const escaped = location.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  return { status, text: `<html><body>Moved: <a href="${escaped}">here</a></body></html>`, contentType: "text/html", headers: { Location: location } };
}
