// API-key auth: HTTP Digest (RFC 7616) with qop=auth, the public key as user name and the private
// key as password, MD5 (what Atlas offers) or SHA-256. Each nonce's nc must grow; a nonce that
// expired answers stale=true ("retry with the new nonce"), one never issued stale=false.
import { base64, constantTimeEqual, md5, randomBytes, sha256, toHex, utf8 } from "./hash.mjs";

export const DIGEST_REALM = "MMS Public API";
/** The API key the mock accepts unless told otherwise. Mock values, not secrets. */
export const MOCK_PUBLIC_KEY = "mockpkey";
export const MOCK_PRIVATE_KEY = "3f9c2a71-5d4e-4b8a-9c1f-6e2d7a0b4c58";

const HASHES = { "MD5": md5, "SHA-256": sha256 };
const REQUIRED = ["username", "realm", "nonce", "uri", "response", "qop", "nc", "cnonce"];
const MAX_NONCES = 10_000;

export class DigestAuth {
  #username;
  #password;
  #lifetimeMs;
  #clock;
  #nonces = new Map(); // nonce -> {issuedAt, lastNc, expired}

  constructor({ publicKey, privateKey, nonceLifetimeSeconds, clock }) {
    this.#username = publicKey;
    this.#password = privateKey;
    this.#lifetimeMs = nonceLifetimeSeconds * 1000;
    this.#clock = clock;
  }

  /** The WWW-Authenticate values of a fresh nonce: MD5 first, as Atlas sends it, then SHA-256. */
  challenge(stale = false) {
    const nonce = base64(randomBytes(24));
    if (this.#nonces.size >= MAX_NONCES) this.#nonces.delete(this.#nonces.keys().next().value);
    this.#nonces.set(nonce, { issuedAt: this.#clock.now(), lastNc: 0, expired: false });
    return Object.keys(HASHES).map(
      (algorithm) =>
        `Digest realm="${DIGEST_REALM}", domain="", nonce="${nonce}", algorithm=${algorithm}, qop="auth", stale=${stale}`,
    );
  }

  /**
   * Checks the credentials of `Authorization: Digest <credentials>` on a `method` request for
   * `target` (its request-target, path and query). `consume` records its nc, so that nc cannot be
   * used again; without it the check changes nothing (the request log's view).
   * @returns {{ok: true} | {ok: false, status: 400 | 401, stale: boolean, detail: string}}
   */
  check(credentials, method, target, { consume }) {
    const params = parseAuthParams(credentials);
    const algorithm = Object.keys(HASHES).find((name) => name.toLowerCase() === (params?.algorithm ?? "MD5").toLowerCase());
    if (!params || REQUIRED.some((name) => params[name] === undefined) || !algorithm || params.qop !== "auth"
      || params.realm !== DIGEST_REALM || !/^[0-9a-f]{8}$/i.test(params.nc)) {
      return refused(401, "the Digest credentials are malformed or use an unsupported realm, algorithm or qop");
    }
    // RFC 7616 section 3.4.6: a uri that is not the request's own is a bad request.
    if (params.uri !== target) return refused(400, "the Digest uri is not this request's target");
    const record = this.#nonces.get(params.nonce);
    if (!record) return refused(401, "the Digest nonce was not issued by this server");
    const hash = HASHES[algorithm];
    const ha1 = digest(hash, `${params.username}:${DIGEST_REALM}:${this.#password}`);
    const ha2 = digest(hash, `${method}:${params.uri}`);
    const expected = digest(hash, `${ha1}:${params.nonce}:${params.nc}:${params.cnonce}:auth:${ha2}`);
    const given = params.response.toLowerCase();
    const hashMatches = given.length === expected.length && constantTimeEqual(utf8(given), utf8(expected));
    if (params.username !== this.#username || !hashMatches) return refused(401, "the Digest credentials are wrong");
    // Only a correct answer learns that its nonce is stale: that is what stale=true promises.
    if (record.expired || this.#clock.now() - record.issuedAt >= this.#lifetimeMs) {
      record.expired = true;
      return { ...refused(401, "the Digest nonce has expired"), stale: true };
    }
    const nc = Number.parseInt(params.nc, 16);
    if (nc <= record.lastNc) return refused(401, "the Digest nonce count was used before");
    if (consume) record.lastNc = nc;
    return { ok: true };
  }

  /** Makes every nonce issued so far stale. */
  expireAll() {
    for (const record of this.#nonces.values()) record.expired = true;
  }
}

/**
 * The auth-params of a Digest header (`name=token` or `name="quoted \"string\""`, comma
 * separated) by lower-case name, or null when they do not parse or a name repeats.
 */
export function parseAuthParams(text) {
  const params = {};
  const pattern = /\s*([^\s=,]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/y;
  const rest = (text ?? "").trim();
  if (rest === "") return null;
  while (pattern.lastIndex < rest.length) {
    const match = pattern.exec(rest);
    if (!match) return null;
    const name = match[1].toLowerCase();
    if (Object.hasOwn(params, name)) return null;
    params[name] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : match[3];
  }
  return params;
}

function refused(status, reason) {
  return { ok: false, status, stale: false, detail: `This request is not authenticated: ${reason}.` };
}

function digest(hash, text) {
  return toHex(hash(text));
}
