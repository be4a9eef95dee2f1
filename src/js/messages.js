// The English of every AtlasError's message. The Rust core decides what happened and names the
// facts; only the sentences live here, loaded with the module rather than on import.
import { AtlasError } from "./atlas-error.js";

/**
 * The facts of each kind that an error carries as fields; the rest only shape its message. The
 * full module's watches add their own kinds' (js/watch-events.js), as they add their messages.
 */
export const FIELDS = {
  validation: ["field"],
  api: ["status", "errorCode", "reason", "detail", "parameters", "badRequestDetail", "body", "location"],
  decode: ["status", "path"],
  paging: ["reason", "pagesFetched", "itemsYielded"],
  auth: ["status", "errorCode", "detail", "retryAfterMs", "location"],
  tooLarge: ["status", "maxBodyBytes"],
};

/**
 * Messages added by failures only the full module has (a watch's, js/watch-events.js), by kind:
 * each returns the message, or undefined for a failure of that kind that is not its own.
 */
export const MORE = {};

/** The AtlasError of a failure the core described; `cause` is attached when `withCause`. */
export function atlasError(kind, facts, withCause, cause) {
  const fields = {};
  for (const key of FIELDS[kind] ?? []) if (facts[key] !== undefined) fields[key] = facts[key];
  if (withCause) {
    // A deadline that ran out between requests has no platform error of its own.
    fields.cause = cause === undefined && kind === "timeout" ? new DOMException("The operation timed out.", "TimeoutError") : cause;
  }
  return new AtlasError(kind, messageOf(kind, facts, cause), fields);
}

// ---- messages ---------------------------------------------------------------------------------

/** A caller's string in a message: quoted, control characters escaped, long values shortened. */
export function quote(value) {
  const text = String(value);
  const shown = JSON.stringify(text.length > 64 ? text.slice(0, 64) : text).slice(1, -1);
  return `"${shown}${text.length > 64 ? "…" : ""}"`;
}

function found(facts) {
  if (facts.found === "string") return `the string ${quote(facts.foundValue)}`;
  if (facts.found === "number") return `the number ${facts.foundValue}`;
  return facts.found;
}

export const PATTERNS = {
  groupId: (f) => `groupId ${quote(f.value)} must be 24 lowercase hex characters`,
  clusterName: (f) => `clusterName ${quote(f.value)} must start with a letter or digit and hold only letters, digits and hyphens`,
  apiVersion: (f) => `apiVersion ${quote(f.value)} must be "v2" or "v1.0"`,
  authType: (f) => `${f.field} ${quote(f.value)} must be "bearer", "serviceAccount", "digest" or "none"`,
  token: (f) => `${f.field} must be a non-empty string of visible ASCII characters without spaces (its value is not shown)`,
};

const BASE_URL = {
  absolute: "must be an absolute http(s) URL",
  relative: "is relative, and there is no page here to resolve it against (server-side rendering or Node): give an absolute http(s) URL where the call runs on a server",
  userInfo: "must not contain a user name or password; pass credentials as options",
  spaces: "must not contain spaces or control characters",
  query: "must not have a query or fragment",
  scheme: "must use https: (or http: to a loopback host)",
  host: "has no valid host and port (a host name has at most 253 characters, 63 a label)",
  insecure: "uses http: to a host that is not loopback; use https:, or set allowInsecureHttp: true to send credentials unencrypted",
};

export const VALIDATION = {
  required: (f) => `${f.field} is required`,
  notAnObject: (f) => `${f.field} must be an object, got ${found(f)}`,
  unknownKey: (f) => `${quote(f.field)} is not a known ${f.keySet}${f.suggestion ? `; did you mean ${f.suggestion}?` : ""}`,
  wrongType: (f) => `${f.field} must be ${f.expected}, got ${found(f)}`,
  notInteger: (f) => `${f.field} must be an integer, got ${f.value}`,
  outOfRange: (f) =>
    `${f.field} must be ${f.max === undefined ? `at least ${f.min}` : `from ${f.min} to ${f.max}`}, got ${f.value}`,
  pattern: (f) => PATTERNS[f.rule](f),
  baseUrl: (f) => `baseUrl ${quote(f.value)} ${BASE_URL[f.rule]}`,
  tooLong: (f) =>
    f.field === "baseUrl"
      ? `baseUrl is longer than ${f.max} characters`
      : `${f.field} makes the request URL longer than ${f.max} characters`,
  repeated: (f) => `${quote(f.field)} is given more than once`,
  conflict: (f) => `set ${f.field} or ${f.other}, not both`,
  noAuth: () => 'a client needs auth (or accessToken) to authenticate its calls; behind a proxy that adds credentials, use auth: { type: "none" }',
  unreadable: (f) => `${f.field} could not be read: a getter or a Proxy trap threw (that error is the cause); pass plain values`,
  notInThisBuild: (f) =>
    `auth.type "${f.scheme}" needs the package's full build; in a browser it is loaded only with auth.allowInBrowser: true`,
};

const SYNTAX = {
  eofValue: "EOF while parsing a value",
  eofString: "EOF while parsing a string",
  eofList: "EOF while parsing a list",
  eofObject: "EOF while parsing an object",
  expectedValue: "expected value",
  expectedIdent: "expected ident",
  expectedColon: "expected `:`",
  expectedCommaOrBracket: "expected `,` or `]`",
  expectedCommaOrBrace: "expected `,` or `}`",
  keyMustBeString: "key must be a string",
  trailingComma: "trailing comma",
  trailingCharacters: "trailing characters",
  invalidNumber: "invalid number",
  numberOutOfRange: "number out of range",
  invalidEscape: "invalid escape",
  controlCharacter: "control character (\\u0000-\\u001F) found while parsing a string",
  loneSurrogate: "lone leading surrogate in hex escape",
  recursionLimit: "recursion limit exceeded",
};

function decodeProblem(f) {
  const where = `at line ${f.line} column ${f.column}`;
  switch (f.problem) {
    case "syntax":
      if (f.syntax === "emptyBody") return "the body is empty";
      if (f.syntax === "notUtf8") return `the body is not UTF-8 (byte ${f.column + 1} of line ${f.line})`;
      return `not valid JSON (${SYNTAX[f.syntax] ?? f.syntax} ${where})`;
    case "type":
      return `invalid type: ${f.found}${f.foundText ? ` \`${f.foundText}\`` : ""}, expected ${f.expected} ${where}`;
    case "range":
      return `invalid value: integer \`${f.foundText}\`, expected ${f.expected} ${where}`;
    case "duplicate":
      return `duplicate field \`${f.field}\` ${where}`;
    default:
      return `missing field \`${f.field}\` ${where}`;
  }
}

const PAGING = {
  maxPages: (f) => `the listing needs more than maxPages (${f.limit}) pages`,
  maxItems: (f) => `the listing holds more than maxItems (${f.limit}) jobs`,
  samePage: (f) => `the server sent page ${f.page} with the same jobs as the page before`,
  noNewJobs: (f) => `page ${f.page} holds only jobs already listed, so the listing would not end`,
  tooManyPages: (f) => `the server counts ${f.limit} jobs but links page ${f.page} past them`,
};

const redirect = (f) => `${f.location ? ` to ${f.location}` : ""}, which is never followed; check baseUrl`;

const AUTH = {
  tokenRefused: (f) =>
    `the token endpoint refused the service account: ${f.status}${f.errorCode ? ` ${f.errorCode}` : ""}` +
    ({ 400: "; check the service account's client id and secret", 401: "; check the service account's client id and secret", 429: "; the token endpoint allows 10 requests a minute" }[f.status] ?? "") +
    (f.retryAfterMs !== undefined ? `; retry after ${Math.ceil(f.retryAfterMs / 1000)} s` : ""),
  noAccessToken: (f) => `the token endpoint answered ${f.status} without an access token`,
  tokenRedirect: (f) => `the token endpoint answered with a redirect${redirect(f)}`,
  providerFailed: () => "auth.getToken() threw or rejected (its error is the cause)",
  providerBadToken: () => "auth.getToken() must resolve to a non-empty token without spaces",
  secretInBrowser: () =>
    "a service account secret or API private key in a browser is readable by anyone who opens the page; use a token broker (auth.getToken) or a proxy, or set auth.allowInBrowser: true",
  revokeRefused: (f) =>
    f.redirect
      ? `the token was not revoked: the revocation endpoint answered with a redirect${redirect(f)}`
      : `the token was not revoked: the revocation endpoint answered ${f.status}`,
};

function apiMessage(f) {
  switch (f.code) {
    case "atlas":
      const said = f.detail ?? f.reason;
      return `Atlas answered ${f.status} ${f.errorCode}${said ? `: ${said}` : ""}`;
    case "redirect":
      return `the server answered with a redirect${f.status ? ` (${f.status})` : ""}${redirect(f)}`;
    case "foreign":
      return `the server answered ${f.status} with a body that is not an Atlas error (a proxy or gateway may have answered)`;
    default:
      return `the server answered ${f.status} with an empty body`;
  }
}

/** An Error's message and its cause's code (Node's `ECONNREFUSED`, say), or the value itself. */
function describeRejection(rejection) {
  try {
    if (!(rejection instanceof Error)) return typeof rejection === "string" ? rejection : "the fetch call was rejected";
    const { cause } = rejection;
    const fact = cause !== null && typeof cause === "object" ? cause.code || cause.message : undefined;
    return typeof fact === "string" && fact ? `${rejection.message} (${fact})` : rejection.message;
  } catch {
    return "the fetch call was rejected";
  }
}

const NETWORK = {
  failed: (f, cause) => `the request could not be completed: ${describeRejection(cause)}`,
  notAResponse: () => "fetch resolved with something other than a Response",
  refusedHeader: () => "the platform refused a request header (its value is not shown)",
};

const INTERNAL = {
  state: "the state of a call was in use when it should not have been",
  idle: "a call had nothing to do although every step it asked for was done",
  helper: "one of the package's own JavaScript helpers failed (what it threw, if anything, is the cause)",
  function: "a function the options were checked to hold was not there to call",
};

/** The message of an error of `kind` with `facts` (and `cause`, for network failures). */
function messageOf(kind, facts, cause) {
  const more = MORE[kind]?.(facts);
  if (more !== undefined) return more;
  switch (kind) {
    case "validation":
      return VALIDATION[facts.code](facts);
    case "api":
      return apiMessage(facts);
    case "decode":
      return `the ${facts.status} response does not match the documented shape at ${facts.path}: ${decodeProblem(facts)}`;
    case "paging":
      return PAGING[facts.reason](facts);
    case "auth":
      return AUTH[facts.code](facts);
    case "network":
      return NETWORK[facts.code](facts, cause);
    case "timeout":
      return `no complete response within ${facts.ms} ms (${facts.limit})`;
    case "aborted":
      return "the caller's AbortSignal aborted the request";
    case "tooLarge":
      return `the response body is larger than maxBodyBytes (${facts.maxBodyBytes} bytes), so it was not read further`;
    case "internal":
      return `internal error in atlas-export-jobs (${facts.code}): ${INTERNAL[facts.code]}; please report it`;
    default:
      return facts.message ?? kind;
  }
}
