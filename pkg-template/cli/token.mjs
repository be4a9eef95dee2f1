// An access token's expiry, read as the Atlas CLI reads it: the `exp` claim of the JWT, decoded
// without checking the signature (only Atlas can, and does; a wrong expiry costs a 401 at most).
// A token that is not a JWT, or has no `exp`, never expires here.

/** How long before its `exp` a token counts as expired, as in the Atlas CLI (go.mongodb.org/atlas auth's expiryDelta). */
export const EXPIRY_LEEWAY_MS = 10_000;

/** The latest time a Date can hold, in milliseconds either side of the epoch. */
const MAX_TIME_MS = 8.64e15;

/**
 * The `exp` of `token` in milliseconds since the epoch, or undefined when `token` is not a JWT
 * (three base64url parts) whose payload is JSON with a numeric `exp`.
 * @param {string} token
 * @returns {number | undefined}
 */
export function tokenExpiry(token) {
  const parts = token.split(".");
  if (parts.length !== 3 || !/^[A-Za-z0-9_-]+$/.test(parts[1])) return undefined;
  let claims;
  try {
    claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  const exp = claims?.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp) || Math.abs(exp * 1000) > MAX_TIME_MS) return undefined;
  return exp * 1000;
}

/** Whether a token that expires at `expiresAt` (undefined: never) counts as expired at `now`. */
export function isExpired(expiresAt, now) {
  return expiresAt !== undefined && expiresAt - EXPIRY_LEEWAY_MS < now;
}

/** `time` (milliseconds since the epoch) as messages show it: ISO 8601 in UTC, to the second. */
export function isoTime(time) {
  return new Date(time).toISOString().replace(/\.000Z$/, "Z");
}
