// Where each setting comes from, in the Atlas CLI's order: a flag beats a MONGODB_ATLAS_* variable,
// which beats the Atlas CLI profile (`-P <name>`, else "default"). Credentials come from variables
// (the MONGODB_ATLAS_* ones, then this command's ATLAS_* ones) or the profile, never from a flag.
// The profile is read only when a setting is left to it, or when it is named. What is found here
// is never printed: only where it came from.
import { CREDENTIAL_VARIABLE_SETS, credentialsIn, missingCredentials, profilePlace, variablePlace } from "./credentials.mjs";
import { UsageError } from "./errors.mjs";
import { checkOutput } from "./output.mjs";
import { DEFAULT_PROFILE, readProfile } from "./profile.mjs";

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
 * @returns {Promise<{project: Setting, baseUrl: Setting, output: Setting,
 *   credentials: {auth: object, source: string, fieldNames: Record<string, string>},
 *   warnings: string[], profile: import("./profile.mjs").Profile | undefined}>} where each
 *   `Setting` is `{value, source}`, both undefined when nothing gave it; `profile` is undefined
 *   when it was not read; `warnings` are credential sets left half there before the one used
 * @throws {UsageError} for no project, a profile that cannot be used or a format that is not ours
 * @throws {MissingCredentialsError} for no complete set of credentials
 */
export async function resolveSettings(given, env) {
  let profile;
  const loadProfile = async () =>
    (profile ??= await readProfile({ name: given.profile ?? DEFAULT_PROFILE, explicit: given.profile !== undefined, env }));
  // A profile named on the command line must exist, whether or not a setting is left to it.
  if (given.profile !== undefined) await loadProfile();

  const settings = {};
  for (const [setting, { variable, profileKey }] of Object.entries(SETTINGS)) {
    const flag = given[setting];
    if (flag !== undefined) {
      settings[setting] = { value: flag.value, source: flag.flag };
    } else if (typeof env[variable] === "string" && env[variable] !== "") {
      settings[setting] = { value: env[variable], source: variable };
    } else {
      const fromProfile = (await loadProfile()).value(profileKey);
      settings[setting] = fromProfile === undefined ? {} : { value: fromProfile, source: profile.label(profileKey) };
    }
  }
  // A flag's format was checked as it was read; a variable's or a profile's is checked here,
  // without repeating it.
  if (settings.output.value !== undefined && given.output === undefined) {
    checkOutput(settings.output.value, { source: settings.output.source, fromFlag: false });
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
  credentials ??= credentialsIn(profilePlace(await loadProfile()), warnings);
  if (credentials === undefined) throw missingCredentials(warnings, profile);
  return { ...settings, credentials, warnings, profile };
}
