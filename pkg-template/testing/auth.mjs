// Who calls the API: an Authorization header checked against every scheme the mock accepts (its
// fixed Bearer token, the service-account tokens it issued, Digest with the API key), and the
// challenges a 401 carries. A check can leave the Digest nonce counts untouched, so the request
// log names the scheme and outcome even of requests that a fault answers.
import { constantTimeEqual, sha256 } from "./hash.mjs";

const SCHEMES = { bearer: "Bearer", basic: "Basic", digest: "Digest" };
const BEARER_CHALLENGE = 'Bearer realm="atlas-mock"';

export class Authenticator {
  #tokenDigest;
  #serviceAccounts;
  #digest;

  /** `token`: the fixed Bearer token; `serviceAccounts`, `digest`: the other schemes' state. */
  constructor({ token, serviceAccounts, digest }) {
    this.#tokenDigest = sha256(token);
    this.#serviceAccounts = serviceAccounts;
    this.#digest = digest;
  }

  /**
   * The scheme of `request`'s Authorization header (null when absent or unknown) and whether it
   * authenticates the request; when not, the `status` and `detail` to answer (and, for a 401,
   * `challenge(result)` the headers).
   * `consume` uses up a Digest nonce count; nothing else changes any state.
   */
  check(request, { consume }) {
    const { scheme, credentials } = authorizationOf(request.headers.authorization);
    if (scheme === "Bearer") {
      if (constantTimeEqual(sha256(credentials), this.#tokenDigest)) return { scheme, authorized: true };
      const status = this.#serviceAccounts.status(credentials);
      if (status === "valid") return { scheme, authorized: true };
      return this.#refusal(scheme, 401, `This request is not authenticated: the Bearer token is ${status === "unknown" ? "not valid" : status}.`, {
        bearerError: true,
      });
    }
    if (scheme === "Digest") {
      const verdict = this.#digest.check(credentials, request.method, request.target, { consume });
      if (verdict.ok) return { scheme, authorized: true };
      return this.#refusal(scheme, verdict.status, verdict.detail, { stale: verdict.stale });
    }
    return this.#refusal(
      scheme,
      401,
      "This request is not authenticated: send Authorization: Bearer <access token> with a valid token, or Digest with an API key.",
    );
  }

  /** The WWW-Authenticate values of a 401 for `result`: the Bearer challenge, then a fresh Digest nonce. */
  challenge(result) {
    // Bearer first, as the mock always answered; RFC 6750 section 3.1 marks a token that was sent but is no good.
    const bearer = result.bearerError ? `${BEARER_CHALLENGE}, error="invalid_token"` : BEARER_CHALLENGE;
    return { "WWW-Authenticate": [bearer, ...this.#digest.challenge(result.stale)] };
  }

  #refusal(scheme, status, detail, { bearerError = false, stale = false } = {}) {
    return { scheme, authorized: false, status, detail, stale, bearerError };
  }
}

/** The scheme of an Authorization header ("Bearer", "Basic", "Digest" or null) and what follows it. */
export function authorizationOf(header) {
  const match = /^(\S+)(?:\s+(.*))?$/.exec(header ?? "");
  return { scheme: (match && SCHEMES[match[1].toLowerCase()]) ?? null, credentials: match?.[2]?.trim() ?? "" };
}
