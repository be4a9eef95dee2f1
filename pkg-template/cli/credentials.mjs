// Credentials, never from flags (a command line ends up in shell history and in `ps`): the first
// complete set, looked for in the Atlas CLI's order of places (its MONGODB_ATLAS_* variables, then
// this command's own ATLAS_* ones, then the Atlas CLI profile). Variables are looked at as a token,
// a service account, then an API key; a profile gives the set its auth_type names or, without one,
// the first of the Atlas CLI's guesses. A set is taken whole from one place.
import { CredentialsError, UsageError } from "./errors.mjs";
import { DEFAULT_PROFILE } from "./profile.mjs";
import { isExpired, isoTime, tokenExpiry } from "./token.mjs";

/** The schemes: the fields each needs and the `auth` it makes. */
const SCHEMES = {
  token: { fields: ["token"], auth: ({ token }) => ({ type: "bearer", token }) },
  serviceAccount: { fields: ["clientId", "clientSecret"], auth: ({ clientId, clientSecret }) => ({ type: "serviceAccount", clientId, clientSecret }) },
  apiKey: { fields: ["publicKey", "privateKey"], auth: ({ publicKey, privateKey }) => ({ type: "digest", publicKey, privateKey }) },
};

/** The order in a place of variables. */
const VARIABLE_SCHEMES = ["token", "serviceAccount", "apiKey"];

/**
 * The order in a profile without auth_type: the Atlas CLI's guess (a service account, then API
 * keys), then the token of `atlas auth login`. A service account's profile also holds the last
 * token the Atlas CLI got for it, which the account's own credentials come before.
 */
const PROFILE_SCHEMES = ["serviceAccount", "apiKey", "token"];

/** The Atlas CLI's auth_type values: the schemes each one allows ("no_auth" sends none). */
const AUTH_TYPES = Object.freeze({ api_keys: ["apiKey"], service_account: ["serviceAccount"], user_account: ["token"], no_auth: [] });

/** The credential variables, the Atlas CLI's first: each field's variable. */
export const CREDENTIAL_VARIABLE_SETS = Object.freeze([
  {
    token: "MONGODB_ATLAS_ACCESS_TOKEN",
    clientId: "MONGODB_ATLAS_CLIENT_ID",
    clientSecret: "MONGODB_ATLAS_CLIENT_SECRET",
    publicKey: "MONGODB_ATLAS_PUBLIC_API_KEY",
    privateKey: "MONGODB_ATLAS_PRIVATE_API_KEY",
  },
  {
    token: "ATLAS_ACCESS_TOKEN",
    clientId: "ATLAS_CLIENT_ID",
    clientSecret: "ATLAS_CLIENT_SECRET",
    publicKey: "ATLAS_PUBLIC_KEY",
    privateKey: "ATLAS_PRIVATE_KEY",
  },
]);

/** The profile keys of the credentials: `atlas auth login` writes access_token. */
const PROFILE_CREDENTIAL_KEYS = { token: "access_token", clientId: "client_id", clientSecret: "client_secret", publicKey: "public_api_key", privateKey: "private_api_key" };

/** Which `AtlasClient` option under `auth.` each field is, for naming a refused one. */
const AUTH_FIELD = { token: "auth.token", clientId: "auth.clientId", clientSecret: "auth.clientSecret", publicKey: "auth.publicKey", privateKey: "auth.privateKey" };

/**
 * Every set of credentials in the order they are looked for: the names of its parts, whether a
 * profile holds it, and the auth_type that picks it there.
 */
export function credentialOrder() {
  const places = [
    ...CREDENTIAL_VARIABLE_SETS.map((variables) => ({ schemes: VARIABLE_SCHEMES, nameOf: (field) => variables[field], inProfile: false })),
    { schemes: PROFILE_SCHEMES, nameOf: (field) => PROFILE_CREDENTIAL_KEYS[field], inProfile: true },
  ];
  return places.flatMap(({ schemes, nameOf, inProfile }) =>
    schemes.map((scheme) => ({
      names: SCHEMES[scheme].fields.map(nameOf),
      inProfile,
      authType: inProfile ? Object.keys(AUTH_TYPES).find((type) => AUTH_TYPES[type].includes(scheme)) : undefined,
    })),
  );
}

/**
 * A place to look for credentials: its schemes in order, what each field is called there, how to
 * read it (undefined when unset or empty), and how to say a set is half there.
 * @typedef {{schemes: string[], name(field: string): string | undefined,
 *   read(field: string): string | undefined, incomplete(present: string[], missing: string[]): string,
 *   of(names: string[]): string}} Place
 */

/** The credential variables of `variables` in `env`, as a Place. */
export function variablePlace(env, variables) {
  return {
    schemes: VARIABLE_SCHEMES,
    name: (field) => variables[field],
    read: (field) => nonEmpty(env[variables[field]]),
    incomplete: (present, missing) => `${present.join(" and ")} ${present.length === 1 ? "is" : "are"} set without ${missing.join(" and ")}`,
    of: (names) => names.join(" and "),
  };
}

/**
 * The credentials of an Atlas CLI profile, as a Place: the set its auth_type names, or all three.
 * @throws {UsageError} for an auth_type the Atlas CLI does not write
 */
export function profilePlace(profile) {
  const authType = profile.value("auth_type");
  if (authType !== undefined && !Object.hasOwn(AUTH_TYPES, authType)) {
    throw new UsageError(`${profile.label("auth_type")} must be one of ${Object.keys(AUTH_TYPES).join(", ")}`);
  }
  return {
    schemes: authType === undefined ? PROFILE_SCHEMES : AUTH_TYPES[authType],
    authType,
    name: (field) => PROFILE_CREDENTIAL_KEYS[field],
    read: (field) => profile.value(PROFILE_CREDENTIAL_KEYS[field]),
    incomplete: (present, missing) => `profile ${JSON.stringify(profile.name)} has ${present.join(" and ")} without ${missing.join(" and ")}`,
    of: (names) => (names.length === 1 ? profile.label(names[0]) : `${names.join(" and ")} of profile ${JSON.stringify(profile.name)}`),
  };
}

/**
 * The first complete set of `place`, or undefined; sets left half there are added to `warnings`.
 * @returns {{auth: object, source: string, fieldNames: Record<string, string>} | undefined} `source`
 *   names where the set came from; `fieldNames` names each `auth.` option's source
 */
export function credentialsIn(place, warnings) {
  for (const { fields, auth } of place.schemes.map((scheme) => SCHEMES[scheme])) {
    const values = Object.fromEntries(fields.map((field) => [field, place.read(field)]));
    const present = fields.filter((field) => values[field] !== undefined);
    if (present.length === fields.length) {
      const names = fields.map((field) => place.name(field));
      const fieldNames = Object.fromEntries(fields.map((field) => [AUTH_FIELD[field], place.of([place.name(field)])]));
      return { auth: auth(values), source: place.of(names), fieldNames };
    }
    if (present.length > 0) {
      const missing = fields.filter((field) => values[field] === undefined);
      warnings.push(place.incomplete(present.map(place.name), missing.map(place.name)));
    }
  }
  return undefined;
}

/**
 * The set of `profile` (see profilePlace), or undefined. The access token of `atlas auth login`
 * is refused once its JWT's `exp` is (nearly) past at `now`; its expiry is given as `expiresAt`.
 * @param {import("./profile.mjs").Profile} profile
 * @param {string[]} warnings sets left half there, added to
 * @param {number} now milliseconds since the epoch
 * @throws {CredentialsError} for an expired token, or a profile whose credentials are all kept
 *   out of the file (in the system keyring, since Atlas CLI 1.47)
 */
export function profileCredentials(profile, warnings, now) {
  const place = profilePlace(profile);
  if (place.authType === "no_auth") warnings.push(`profile ${JSON.stringify(profile.name)} has auth_type "no_auth"`);
  const found = credentialsIn(place, warnings);
  if (found?.auth.type === "bearer") {
    const expiresAt = tokenExpiry(found.auth.token);
    if (isExpired(expiresAt, now)) {
      const name = /^[A-Za-z0-9_-]+$/.test(profile.name) ? profile.name : JSON.stringify(profile.name);
      const login = profile.name === DEFAULT_PROFILE ? "atlas auth login" : `atlas auth login -P ${name}`;
      throw new CredentialsError(`the ${found.source} expired at ${isoTime(expiresAt)}; run \`${login}\` (this command does not refresh tokens)`);
    }
    return { ...found, expiresAt };
  }
  if (found === undefined && inKeyring(profile, place)) throw keyringCredentials(warnings, profile, place);
  return found;
}

/**
 * Whether the profile's credentials look kept in the system keyring: the profile says how it
 * signs in, or has other keys, but holds none of the keys of its sets.
 */
function inKeyring(profile, place) {
  if (profile.isEmpty || place.schemes.length === 0) return false;
  const fields = place.schemes.flatMap((scheme) => SCHEMES[scheme].fields);
  return fields.every((field) => place.read(field) === undefined);
}

function keyringCredentials(warnings, profile, place) {
  const [atlasCli] = CREDENTIAL_VARIABLE_SETS;
  // A login's token lasts hours: a key or a service account serves a script better.
  const schemes = place.authType === undefined || place.authType === "user_account" ? VARIABLE_SCHEMES : place.schemes;
  const variables = schemes.map((scheme) => SCHEMES[scheme].fields.map((field) => atlasCli[field]).join(" and "));
  const authType = place.authType === undefined ? "" : ` (auth_type ${JSON.stringify(place.authType)})`;
  return new CredentialsError(
    `no credentials${incompleteNote(warnings)}: those of profile ${JSON.stringify(profile.name)}${authType} are not in ${profile.path}; ` +
      `the Atlas CLI (1.47 and later) keeps them in the system keyring, which this command cannot read: set ${variables.join(", or ")} instead`,
  );
}

/** The error for no complete set anywhere, naming the variables and keys but never a value. */
export function missingCredentials(warnings, profile) {
  const order = credentialOrder();
  const [atlasCli] = CREDENTIAL_VARIABLE_SETS;
  const variables = order.filter((set) => !set.inProfile && set.names.every((name) => Object.values(atlasCli).includes(name)));
  const keys = order.filter((set) => set.inProfile);
  const file = profile.path === undefined ? ` (${profile.why})` : ` (${profile.path})`;
  return new CredentialsError(
    `no credentials${incompleteNote(warnings)}: set ${variables.map((set) => set.names.join(" and ")).join(", or ")} (or their ATLAS_* forms: see --help), ` +
      `or put ${keys.map((set) => set.names.join(" and ")).join(", or ")}, in the Atlas CLI profile ${JSON.stringify(profile.name)}${file}`,
  );
}

function incompleteNote(warnings) {
  return warnings.length > 0 ? ` (${warnings.join("; ")})` : "";
}

function nonEmpty(value) {
  return typeof value === "string" && value !== "" ? value : undefined;
}
