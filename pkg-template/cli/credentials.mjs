// Credentials, never from flags (a command line ends up in shell history and in `ps`): the first
// complete set, looked for in the Atlas CLI's order of places (its MONGODB_ATLAS_* variables, then
// this command's own ATLAS_* ones, then the Atlas CLI profile) and, in each place, as a token, a
// service account, then an API key. A set is taken whole from one place.

/** The schemes, in the order they are looked for in a place: the fields each needs and the `auth` it makes. */
const SCHEMES = [
  { fields: ["token"], auth: ({ token }) => ({ type: "bearer", token }) },
  { fields: ["clientId", "clientSecret"], auth: ({ clientId, clientSecret }) => ({ type: "serviceAccount", clientId, clientSecret }) },
  { fields: ["publicKey", "privateKey"], auth: ({ publicKey, privateKey }) => ({ type: "digest", publicKey, privateKey }) },
];

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

/** The profile keys of the credentials (the Atlas CLI keeps no usable token in a profile). */
const PROFILE_CREDENTIAL_KEYS = { clientId: "client_id", clientSecret: "client_secret", publicKey: "public_api_key", privateKey: "private_api_key" };

/** Which `AtlasClient` option under `auth.` each field is, for naming a refused one. */
const AUTH_FIELD = { token: "auth.token", clientId: "auth.clientId", clientSecret: "auth.clientSecret", publicKey: "auth.publicKey", privateKey: "auth.privateKey" };

/** Every set of credentials in the order they are looked for: the names of its parts, and whether a profile holds it. */
export function credentialOrder() {
  const places = [
    ...CREDENTIAL_VARIABLE_SETS.map((variables) => ({ nameOf: (field) => variables[field], inProfile: false })),
    { nameOf: (field) => PROFILE_CREDENTIAL_KEYS[field], inProfile: true },
  ];
  return places.flatMap(({ nameOf, inProfile }) =>
    SCHEMES.filter(({ fields }) => fields.every((field) => nameOf(field) !== undefined)).map(({ fields }) => ({ names: fields.map(nameOf), inProfile })),
  );
}

export class MissingCredentialsError extends Error {
  name = "MissingCredentialsError";
}

/**
 * A place to look for credentials: what each field is called there, how to read it (undefined
 * when unset or empty), and how to say a set is half there.
 * @typedef {{name(field: string): string | undefined, read(field: string): string | undefined,
 *   incomplete(present: string[], missing: string[]): string, of(names: string[]): string}} Place
 */

/** The credential variables of `variables` in `env`, as a Place. */
export function variablePlace(env, variables) {
  return {
    name: (field) => variables[field],
    read: (field) => nonEmpty(env[variables[field]]),
    incomplete: (present, missing) => `${present.join(" and ")} ${present.length === 1 ? "is" : "are"} set without ${missing.join(" and ")}`,
    of: (names) => names.join(" and "),
  };
}

/** The credentials of an Atlas CLI profile, as a Place. */
export function profilePlace(profile) {
  return {
    name: (field) => PROFILE_CREDENTIAL_KEYS[field],
    read: (field) => (PROFILE_CREDENTIAL_KEYS[field] === undefined ? undefined : profile.value(PROFILE_CREDENTIAL_KEYS[field])),
    incomplete: (present, missing) => `profile ${JSON.stringify(profile.name)} has ${present.join(" and ")} without ${missing.join(" and ")}`,
    of: (names) => `${names.join(" and ")} of profile ${JSON.stringify(profile.name)}`,
  };
}

/**
 * The first complete set of `place`, or undefined; sets left half there are added to `warnings`.
 * @returns {{auth: object, source: string, fieldNames: Record<string, string>} | undefined} `source`
 *   names where the set came from; `fieldNames` names each `auth.` option's source
 */
export function credentialsIn(place, warnings) {
  for (const { fields, auth } of SCHEMES) {
    if (fields.some((field) => place.name(field) === undefined)) continue;
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

/** The error for no complete set anywhere, naming the variables and keys but never a value. */
export function missingCredentials(warnings, profile) {
  const order = credentialOrder();
  const [atlasCli] = CREDENTIAL_VARIABLE_SETS;
  const variables = order.filter((set) => !set.inProfile && set.names.every((name) => Object.values(atlasCli).includes(name)));
  const keys = order.filter((set) => set.inProfile);
  const incomplete = warnings.length > 0 ? ` (${warnings.join("; ")})` : "";
  const file = profile.path === undefined ? ` (${profile.why})` : ` (${profile.path})`;
  return new MissingCredentialsError(
    `no credentials${incomplete}: set ${variables.map((set) => set.names.join(" and ")).join(", or ")} (or their ATLAS_* forms: see --help), ` +
      `or put ${keys.map((set) => set.names.join(" and ")).join(", or ")}, in the Atlas CLI profile ${JSON.stringify(profile.name)}${file}`,
  );
}

function nonEmpty(value) {
  return typeof value === "string" && value !== "" ? value : undefined;
}
