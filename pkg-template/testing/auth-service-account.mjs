// Service-account auth: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) at
// /api/oauth/token, token revocation (RFC 7009) at /api/oauth/revoke, and the Bearer tokens they
// issue. Tokens are kept by their SHA-256 only, so nothing here can print one back.
import { apiError } from "./api-errors.mjs";
import { base64url, constantTimeEqual, fromBase64, fromUtf8, randomBytes, sha256, toHex } from "./hash.mjs";

export const TOKEN_PATH = "/api/oauth/token";
export const REVOKE_PATH = "/api/oauth/revoke";
/** The service account the mock accepts unless told otherwise. Mock values, not secrets. */
export const MOCK_CLIENT_ID = "mdb_sa_id_6542a1b2c3d4e5f607182940";
export const MOCK_CLIENT_SECRET = "mdb_sa_sk_mock0b6f2d9e41a7c35e8d0f";

const RATE_WINDOW_MS = 60_000;
const MAX_TOKENS = 10_000;
const FORM_TYPE = "application/x-www-form-urlencoded";
// RFC 6749 section 5.1: token answers must not be cached.
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };
const BASIC_CHALLENGE = { "WWW-Authenticate": 'Basic realm="atlas-mock"' };

/**
 * What the token and revoke endpoints answer: `{status, body, headers, clientAuthenticated}`,
 * `body` a JSON object or undefined for an empty one. They take `{authorization, contentType,
 * body, ip}`: the request's headers, its body text and the caller's address.
 */
export class ServiceAccounts {
  #clientId;
  #secretDigest;
  #lifetimeSeconds;
  #rateLimit;
  #clock;
  #tokens = new Map(); // SHA-256 of a token -> {expiresAt, revoked}
  #windows = new Map(); // caller and client id -> times of the counted requests of the last minute

  constructor({ clientId, clientSecret, tokenLifetimeSeconds, tokenRateLimit, clock }) {
    this.#clientId = clientId;
    this.#secretDigest = sha256(clientSecret);
    this.#lifetimeSeconds = tokenLifetimeSeconds;
    this.#rateLimit = tokenRateLimit;
    this.#clock = clock;
  }

  /** `POST /api/oauth/token`: a new token for the client credentials grant. */
  token(request) {
    const credentials = basicCredentials(request.authorization);
    // Atlas limits the token endpoint per caller and client, failed attempts included.
    const limit = this.#countRequest(`${request.ip} ${credentials?.clientId ?? ""}`);
    if (limit.retryAfterSeconds !== undefined) return rateLimited(limit);
    const rateHeaders = { "RateLimit-Limit": String(limit.limit), "RateLimit-Remaining": String(limit.remaining) };

    const refused = this.#refuseClient(credentials);
    if (refused) return { ...refused, headers: { ...refused.headers, ...rateHeaders } };
    const form = formOf(request);
    let answer;
    if (!form) answer = oauthError(400, "invalid_request", `The body must be ${FORM_TYPE}.`);
    else if (!form.has("grant_type")) answer = oauthError(400, "invalid_request", "grant_type is missing.");
    else if (form.get("grant_type") !== "client_credentials") {
      answer = oauthError(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
    } else {
      const token = base64url(randomBytes(32));
      this.#remember(token);
      answer = {
        status: 200,
        body: { access_token: token, token_type: "Bearer", expires_in: this.#lifetimeSeconds },
        headers: NO_STORE,
      };
    }
    return { ...answer, headers: { ...answer.headers, ...rateHeaders }, clientAuthenticated: true };
  }

  /** `POST /api/oauth/revoke`: revokes the token in the form's `token`. */
  revoke(request) {
    const refused = this.#refuseClient(basicCredentials(request.authorization));
    if (refused) return refused;
    const form = formOf(request);
    let answer;
    if (!form) answer = oauthError(400, "invalid_request", `The body must be ${FORM_TYPE}.`);
    else if (!form.get("token")) answer = oauthError(400, "invalid_request", "token is missing.");
    else {
      const record = this.#tokens.get(toHex(sha256(form.get("token"))));
      if (record) record.revoked = true;
      // RFC 7009 section 2.2: a token the server does not know is answered 200 as well.
      answer = { status: 200, body: undefined, headers: NO_STORE };
    }
    return { ...answer, clientAuthenticated: true };
  }

  /** "valid", "expired", "revoked" or "unknown": what `token` is worth as a Bearer token now. */
  status(token) {
    const record = this.#tokens.get(toHex(sha256(token)));
    if (!record) return "unknown";
    if (record.revoked) return "revoked";
    return this.#clock.now() < record.expiresAt ? "valid" : "expired";
  }

  revokeAll() {
    for (const record of this.#tokens.values()) record.revoked = true;
  }

  clearRateLimits() {
    this.#windows.clear();
  }

  /** The 401 answer when `credentials` are not the service account's, else undefined. */
  #refuseClient(credentials) {
    let description;
    if (!credentials) description = "Authenticate with Authorization: Basic base64(clientId:clientSecret).";
    else {
      const idMatches = credentials.clientId === this.#clientId;
      const secretMatches = constantTimeEqual(sha256(credentials.clientSecret), this.#secretDigest);
      if (idMatches && secretMatches) return undefined;
      description = "Client authentication failed.";
    }
    // RFC 6749 section 5.2: a 401 to a client that tried the Authorization header names the scheme.
    return { ...oauthError(401, "invalid_client", description), headers: BASIC_CHALLENGE, clientAuthenticated: false };
  }

  /** Counts one request under `key` unless its window is full: `{limit, remaining}`, with `retryAfterSeconds` when full. */
  #countRequest(key) {
    const now = this.#clock.now();
    const times = (this.#windows.get(key) ?? []).filter((time) => now - time < RATE_WINDOW_MS);
    this.#windows.set(key, times);
    const limit = this.#rateLimit;
    if (times.length >= limit) {
      // The wait until the oldest counted request leaves the window.
      return { limit, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((times[0] + RATE_WINDOW_MS - now) / 1000)) };
    }
    times.push(now);
    return { limit, remaining: limit - times.length };
  }

  #remember(token) {
    const now = this.#clock.now();
    if (this.#tokens.size >= MAX_TOKENS) {
      for (const [key, record] of this.#tokens) if (record.revoked || now >= record.expiresAt) this.#tokens.delete(key);
      // Still full: forget the oldest, which then answers as an unknown token.
      if (this.#tokens.size >= MAX_TOKENS) this.#tokens.delete(this.#tokens.keys().next().value);
    }
    this.#tokens.set(toHex(sha256(token)), { expiresAt: now + this.#lifetimeSeconds * 1000, revoked: false });
  }
}

/** `{clientId, clientSecret}` from `Authorization: Basic base64(clientId:clientSecret)`, or null. */
function basicCredentials(header) {
  const match = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const text = fromUtf8(fromBase64(match[1]));
  const colon = text.indexOf(":");
  if (colon === -1) return null;
  return { clientId: text.slice(0, colon), clientSecret: text.slice(colon + 1) };
}

/** The form fields of a urlencoded body, or null when the body is of another type. */
function formOf({ contentType, body }) {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return type === FORM_TYPE ? new URLSearchParams(body) : null;
}

/** An error as RFC 6749 section 5.2 writes it. */
function oauthError(status, error, description) {
  return { status, body: { error, error_description: description }, headers: NO_STORE };
}

function rateLimited({ limit, retryAfterSeconds }) {
  const body = apiError(
    429,
    "RATE_LIMITED",
    `Rate limit exceeded for api/oauth/token. Please retry after ${retryAfterSeconds} seconds. ` +
      `Request capacity: ${limit}. Refill rate: ${limit} per 60 seconds.`,
    ["api/oauth/token", retryAfterSeconds, limit, limit, 60],
  );
  const headers = { "Retry-After": String(retryAfterSeconds), "RateLimit-Limit": String(limit), "RateLimit-Remaining": "0" };
  return { status: 429, body, headers, clientAuthenticated: false };
}
