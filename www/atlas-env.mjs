// The credentials the demo's proxy holds, read from the Atlas CLI's environment variables: a
// service account, else an API key (digest). Messages name variables, never their values.

/** The sets the proxy accepts, first complete one wins, as in the Atlas CLI. */
const CREDENTIAL_SETS = [
  {
    label: "service account",
    variables: ["MONGODB_ATLAS_CLIENT_ID", "MONGODB_ATLAS_CLIENT_SECRET"],
    auth: ([clientId, clientSecret]) => ({ type: "serviceAccount", clientId, clientSecret }),
  },
  {
    label: "API key",
    variables: ["MONGODB_ATLAS_PUBLIC_API_KEY", "MONGODB_ATLAS_PRIVATE_API_KEY"],
    auth: ([publicKey, privateKey]) => ({ type: "digest", publicKey, privateKey }),
  },
];
export const PROJECT_VARIABLE = "MONGODB_ATLAS_PROJECT_ID";

export class AtlasSettingsError extends Error {
  name = "AtlasSettingsError";
}

/**
 * The proxy's auth and the project from `env`: `{auth, label, variables, projectId?}`. Throws an
 * AtlasSettingsError naming what is missing when no set is complete.
 */
export function atlasSettings(env) {
  const value = (name) => (typeof env[name] === "string" && env[name].trim() !== "" ? env[name].trim() : undefined);
  const projectId = value(PROJECT_VARIABLE);
  for (const set of CREDENTIAL_SETS) {
    const values = set.variables.map(value);
    if (values.every((v) => v !== undefined)) return { auth: set.auth(values), label: set.label, variables: set.variables, projectId };
  }
  const half = CREDENTIAL_SETS.find((set) => set.variables.some((name) => value(name) !== undefined));
  const missing = half ? half.variables.filter((name) => value(name) === undefined) : [];
  const lines = [
    "--atlas-base-url needs credentials for the demo's proxy, which calls Atlas for the page.",
    half ? `${half.variables.find((name) => value(name) !== undefined)} is set, but ${missing.join(" and ")} is not.` : "None of its variables is set.",
    "Set one of these pairs:",
    ...CREDENTIAL_SETS.map((set) => `  ${set.variables.join(" and ")} (${set.label})`),
    `${PROJECT_VARIABLE} fills in the project (optional).`,
  ];
  throw new AtlasSettingsError(lines.join("\n"));
}
