// Where each setting comes from, in the Atlas CLI's order: a flag beats a MONGODB_ATLAS_* variable,
// which beats the Atlas CLI profile (see readProfile for which one). Credentials come from
// variables (the MONGODB_ATLAS_* ones, then this command's ATLAS_* ones) or the profile, never from
// a flag. The profile is read only when a setting is left to it, or when it is named. What is
// found here is never printed: only where it came from.
import { CREDENTIAL_VARIABLE_SETS, credentialsIn, missingCredentials, profileCredentials, variablePlace } from "./credentials.mjs";
import { UsageError } from "./errors.mjs";
import { OUTPUTS } from "./output.mjs";
import { PROFILE_VARIABLE, readProfile } from "./profile.mjs";

/** The settings a variable or the profile may give besides credentials: the variable and the profile key. */
export const SETTINGS = Object.freeze({
  project: { variable: "MONGODB_ATLAS_PROJECT_ID", profileKey: "project_id" },
  baseUrl: { variable: "MONGODB_ATLAS_OPS_MANAGER_URL", profileKey: "ops_manager_url" },
  output: { variable: "MONGODB_ATLAS_OUTPUT", profileKey: "output" },
});

/**
 * @param {{project?: {value: string, flag: string}, baseUrl?: {value: string, flag: string},
 *   output?: {value: string, flag: string}, profile?: string}} given what the command line set
 * @param {object} env the environment
 * @param {number} now milliseconds since the epoch, for the expiry of a profile's access token
 * @returns {Promise<{project: Setting, baseUrl: Setting, output: Setting,
 *   credentials: {auth: object, source: string, fieldNames: Record<string, string>, expiresAt?: number},
 *   warnings: string[], profile: import("./profile.mjs").Profile | undefined}>} where each
 *   `Setting` is `{value, source}`, both undefined when nothing gave it; `profile` is undefined
 *   when it was not read; `warnings` are credential sets left half there before the one used
 * @throws {UsageError} for no project, a profile that cannot be used or a format that is not ours
 * @throws {import("./errors.mjs").CredentialsError} for no usable credentials
 */
export async function resolveSettings(given, env, now) {
  let profile;
  const loadProfile = async () => (profile ??= await readProfile({ flag: given.profile, env }));
  // A profile that was named must exist, whether or not a setting is left to it.
  if (given.profile !== undefined || nonEmpty(env[PROFILE_VARIABLE])) await loadProfile();

  const settings = {};
  for (const [setting, { variable, profileKey }] of Object.entries(SETTINGS)) {
    const flag = given[setting];
    if (flag !== undefined) {
      settings[setting] = { value: flag.value, source: flag.flag };
    } else if (nonEmpty(env[variable]) !== undefined) {
      settings[setting] = { value: env[variable], source: variable };
    } else {
      const fromProfile = (await loadProfile()).value(profileKey);
      settings[setting] = fromProfile === undefined ? {} : { value: fromProfile, source: profile.label(profileKey) };
    }
  }
  // A flag's format was checked as it was read; a variable's or a profile's is checked here,
  // without repeating it.
  if (settings.output.value !== undefined && given.output === undefined && !OUTPUTS.includes(settings.output.value)) {
    throw new UsageError(`${settings.output.source} must be one of ${OUTPUTS.join(", ")} (the Atlas CLI's json-path and go-template are not supported here; -o overrides it)`);
  }

  if (settings.project.value === undefined) {
    throw new UsageError(
      `no project: give --projectId <id> (or --project), or set MONGODB_ATLAS_PROJECT_ID, or set project_id in the Atlas CLI profile ${JSON.stringify(profile.name)}`,
    );
  }

  const warnings = [];
  let credentials;
  for (const variables of CREDENTIAL_VARIABLE_SETS) {
    credentials ??= credentialsIn(variablePlace(env, variables), warnings);
  }
  credentials ??= profileCredentials(await loadProfile(), warnings, now);
  if (credentials === undefined) throw missingCredentials(warnings, profile);
  return { ...settings, credentials, warnings, profile };
}

function nonEmpty(value) {
  return typeof value === "string" && value !== "" ? value : undefined;
}
