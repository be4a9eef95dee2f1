// Credentials from the environment, never from flags (a command line ends up in shell history and
// in `ps`): the first complete set, in the order the README gives.

/** The schemes, in the order they are looked for: the variables each needs and the `auth` it makes. */
const SCHEMES = [
  { variables: ["ATLAS_ACCESS_TOKEN"], auth: ([token]) => ({ type: "bearer", token }) },
  {
    variables: ["ATLAS_CLIENT_ID", "ATLAS_CLIENT_SECRET"],
    auth: ([clientId, clientSecret]) => ({ type: "serviceAccount", clientId, clientSecret }),
  },
  {
    variables: ["ATLAS_PUBLIC_KEY", "ATLAS_PRIVATE_KEY"],
    auth: ([publicKey, privateKey]) => ({ type: "digest", publicKey, privateKey }),
  },
];

/** Every variable the CLI reads credentials from. */
export const CREDENTIAL_VARIABLES = SCHEMES.flatMap((scheme) => scheme.variables);

/** Which variable an `AtlasClient` option under `auth.` came from, for error messages. */
export const VARIABLE_OF_AUTH_FIELD = {
  "auth.token": "ATLAS_ACCESS_TOKEN",
  "auth.clientId": "ATLAS_CLIENT_ID",
  "auth.clientSecret": "ATLAS_CLIENT_SECRET",
  "auth.publicKey": "ATLAS_PUBLIC_KEY",
  "auth.privateKey": "ATLAS_PRIVATE_KEY",
};

export class MissingCredentialsError extends Error {
  name = "MissingCredentialsError";
}

/**
 * The `auth` option for the first scheme whose variables are all set (an empty variable counts as
 * unset), the variables it used, and warnings about sets left incomplete before it. Throws
 * MissingCredentialsError, naming variables but never a value, when no set is complete.
 * @returns {{auth: object, variables: string[], warnings: string[]}}
 */
export function authFromEnvironment(env) {
  const warnings = [];
  for (const { variables, auth } of SCHEMES) {
    const values = variables.map((name) => env[name]);
    const set = values.map((value) => typeof value === "string" && value !== "");
    if (set.every(Boolean)) return { auth: auth(values), variables, warnings };
    if (set.some(Boolean)) {
      const missing = variables.filter((_, i) => !set[i]);
      const present = variables.filter((_, i) => set[i]);
      warnings.push(`${present.join(" and ")} ${present.length === 1 ? "is" : "are"} set without ${missing.join(" and ")}`);
    }
  }
  const sets = SCHEMES.map(({ variables }) => variables.join(" and ")).join(", or ");
  const incomplete = warnings.length > 0 ? ` (${warnings.join("; ")})` : "";
  throw new MissingCredentialsError(`no credentials in the environment${incomplete}: set ${sets}`);
}
