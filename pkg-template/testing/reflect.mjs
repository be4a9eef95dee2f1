// A failing proxy that echoes the request it was sent into its error page: the request line, every
// header (Authorization included) and the body, as some gateways' debug pages do. A client must
// scrub its credentials from whatever of such a page reaches an error.
//
//   fault: { reflect: { status: 502, format: "html" | "text" | "atlas" | "oauth", at, onEcho(echo) } }
//
// html escapes the echo as a page must (so a Digest header's quotes become &quot;), text echoes it
// verbatim, atlas puts it in an Atlas error's `detail` and oauth in an OAuth error's
// `error_description`. `at` puts the Authorization header's value at that byte offset of the body
// (padding before the echo), so a test can make a credential straddle a client's capture limit.
// `onEcho` is handed what was echoed, unescaped, so a test knows every credential it must not see.
import { byteLength } from "./hash.mjs";
import { STATUS_CODES } from "./status-codes.mjs";

const FORMATS = ["html", "text", "atlas", "oauth"];
const MAX_ECHOED_BODY_BYTES = 64 << 10;
const MAX_AT = 1 << 20;

/** `fault.reflect` checked, with its defaults: `{kind: "reflect", status, format, at, onEcho}`. */
export function normalizeReflect(reflect) {
  if (reflect === null || typeof reflect !== "object") throw new TypeError("a reflect fault is { reflect: { status, format, at } }");
  const { status = 502, format = "html", at, onEcho } = reflect;
  if (!(Number.isInteger(status) && status >= 400 && status <= 599)) throw new TypeError("a reflect fault's status is 400 to 599");
  if (!FORMATS.includes(format)) throw new TypeError(`a reflect fault's format is one of ${FORMATS.join(", ")}`);
  if (at !== undefined && !(Number.isInteger(at) && at >= 0 && at <= MAX_AT)) throw new TypeError(`a reflect fault's at is 0 to ${MAX_AT}`);
  if (onEcho !== undefined && typeof onEcho !== "function") throw new TypeError("a reflect fault's onEcho is a function");
  return { kind: "reflect", status, format, at, onEcho };
}

/**
 * Answers `request` (the mock's view of one, see mock-atlas.mjs) with `reflect` through
 * `write(status, text, contentType)`, once its body (up to 64 KiB; the rest is dropped) has arrived.
 */
export async function answerWithReflection(reflect, request, write) {
  const body = await request.readSome(MAX_ECHOED_BODY_BYTES);
  // The Authorization header first, so that `at` can place its value exactly.
  const authorization = request.headers.authorization;
  const others = [];
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    if (request.rawHeaders[i].toLowerCase() !== "authorization") others.push(`${request.rawHeaders[i]}: ${request.rawHeaders[i + 1]}`);
  }
  const lead = authorization === undefined ? "" : "Authorization: ";
  const rest = `${authorization === undefined ? "" : authorization}\n${request.method} ${request.target} HTTP/${request.httpVersion}\n${others.join("\n")}\n\n${body}`;
  const { status, format, at, onEcho } = reflect;
  const [head, tail, contentType, escape] = frame(format, status);
  const before = head + lead;
  // The padding is escaped like the echo; spaces need no escaping in any format.
  const padding = at === undefined ? "" : " ".repeat(Math.max(0, at - byteLength(before)));
  onEcho?.(lead + rest);
  const echoed = escape(padding + lead + rest);
  return write(status, head + echoed + tail, contentType);
}

/** The text around the echo, its content type, and how the echo is escaped. */
function frame(format, status) {
  switch (format) {
    case "html": {
      const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
      const head = `<html><head><title>${title}</title></head><body><center><h1>${title}</h1></center><p>The upstream server sent no valid answer to:</p><pre>`;
      return [head, "</pre><hr><center>debug-proxy</center></body></html>", "text/html", escapeHtml];
    }
    case "text":
      return ["", "", "text/plain", (text) => text];
    case "atlas": {
      // JSON.stringify of the echo, then cut into the text around it: `{"detail":"` + echo + `", ...}`.
      const reason = STATUS_CODES[status] ?? "Error";
      const errorCode = reason.toUpperCase().replace(/[^A-Z]+/g, "_");
      const tail = `","error":${status},"errorCode":"${errorCode}","parameters":[],"reason":"${reason}"}`;
      return ['{"detail":"', tail, "application/json", jsonInner];
    }
    case "oauth":
      return ['{"error":"server_error","error_description":"', '"}', "application/json", jsonInner];
  }
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function jsonInner(text) {
  return JSON.stringify(text).slice(1, -1);
}
