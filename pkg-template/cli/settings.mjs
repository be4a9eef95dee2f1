// Where each setting comes from, in the Atlas CLI's order: a flag beats a MONGODB_ATLAS_* variable,
// which beats the Atlas CLI profile (see readProfile for which one). Credentials come from
// variables (the MONGODB_ATLAS_* ones, then this command's ATLAS_* ones) or the profile, never from
// a flag. The profile is read only when a setting is left to it, or when it is named. What is
// found here is never printed: only where it came from, and the base URLs that are ours.
import { CREDENTIAL_VARIABLE_SETS, credentialsIn, missingCredentials, profileCredentials, variablePlace } from "./credentials.mjs";
import { UsageError } from "./errors.mjs";
import { checkOutput } from "./output.mjs";
import { PROFILE_VARIABLE, readProfile } from "./profile.mjs";

/**
 * The settings a variable or the profile may give besides credentials: the variable and the
 * profile key, and the older names the Atlas CLI still reads after them (`aliases`).
 */
export const SETTINGS = Object.freeze({
  project: { variable: "MONGODB_ATLAS_PROJECT_ID", profileKey: "project_id" },
  baseUrl: {
    variable: "MONGODB_ATLAS_OPS_MANAGER_URL",
    profileKey: "ops_manager_url",
    aliases: { variable: "MONGODB_ATLAS_BASE_URL", profileKey: "base_url" },
  },
  output: { variable: "MONGODB_ATLAS_OUTPUT", profileKey: "output" },
});

/** Which Atlas the base URL means when nothing gives one: the variable and the profile key. */
export const SERVICE = Object.freeze({ variable: "MONGODB_ATLAS_SERVICE", profileKey: "service" });

/** The Atlas CLI's services and the base URL each one means (undefined: the library's default). */
export const SERVICE_URLS = Object.freeze({ cloud: undefined, cloudgov: "https://cloud.mongodbgov.com" });

/**
 * @param {{project?: {value: string, flag: string}, baseUrl?: {value: string, flag: string},
 *   output?: {value: string, flag: string}, profile?: string}} given what the command line set
 * @param {object} env the environment
 * @param {number} now milliseconds since the epoch, for the expiry of a profile's access token
 * @returns {Promise<{project: Setting, baseUrl: Setting, output: Setting,
 *   credentials: {auth: object, source: string, fieldNames: Record<string, string>, expiresAt?: number},
 *   warnings: string[], profile: import("./profile.mjs").Profile | undefined}>} where each
 *   `Setting` is `{value, source}`, both undefined when nothing gave it, and `ours: true` for a
 *   value of ours that may be shown (the base URL of a service); `profile` is undefined when it
 *   was not read; `warnings` are credential sets left half there before the one used
 * @throws {UsageError} for no project, a profile that cannot be used, a format that is not ours
 *   or a service that is not the Atlas CLI's
 * @throws {import("./errors.mjs").CredentialsError} for no usable credentials
 */
export async function resolveSettings(given, env, now) {
  let profile;
  const loadProfile = async () => (profile ??= await readProfile({ flag: given.profile, env }));
  // A profile that was named must exist, whether or not a setting is left to it.
  if (given.profile !== undefined || nonEmpty(env[PROFILE_VARIABLE])) await loadProfile();

  const settings = {};
  for (const [setting, { variable, profileKey, aliases }] of Object.entries(SETTINGS)) {
    const flag = given[setting];
    if (flag !== undefined) {
      settings[setting] = { value: flag.value, source: flag.flag };
    } else {
      const variables = [variable, aliases?.variable].filter(Boolean);
      const keys = [profileKey, aliases?.profileKey].filter(Boolean);
      const { value, source } = await fromVariableOrProfile(env, variables, keys, loadProfile);
      settings[setting] = { value, source };
    }
  }
  // A flag's format was checked as it was read; a variable's or a profile's is checked here,
  // without repeating it.
  if (settings.output.value !== undefined && given.output === undefined) {
    checkOutput(settings.output.value, { source: settings.output.source, fromFlag: false });
  }
  // As in the Atlas CLI, ops_manager_url beats the service, which is read (and checked) only
  // when the base URL is left to the profile.
  const { variable: urlVariable, aliases: urlAliases } = SETTINGS.baseUrl;
  if (given.baseUrl === undefined && !nonEmpty(env[urlVariable]) && !nonEmpty(env[urlAliases.variable])) {
    const service = await fromVariableOrProfile(env, [SERVICE.variable], [SERVICE.profileKey], loadProfile, { shown: true });
    if (service.value !== undefined && !Object.hasOwn(SERVICE_URLS, service.value)) {
      throw new UsageError(`${service.label} must be ${Object.keys(SERVICE_URLS).map((name) => JSON.stringify(name)).join(" or ")}, as in the Atlas CLI`);
    }
    const url = SERVICE_URLS[service.value];
    if (settings.baseUrl.value === undefined && url !== undefined) settings.baseUrl = { value: url, source: service.source, ours: true };
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

/**
 * A setting from the first of its `variables` that is set, else from the first of the profile's
 * `keys` that is: `{value, source}`, both undefined when none gives it. With `shown`, the source
 * names the value too (for values that are no secret), and `label` names the variable or key alone.
 */
async function fromVariableOrProfile(env, variables, keys, loadProfile, { shown = false } = {}) {
  for (const variable of variables) {
    const fromVariable = nonEmpty(env[variable]);
    if (fromVariable !== undefined) {
      return { value: fromVariable, source: shown ? `${variable} ${JSON.stringify(fromVariable)}` : variable, label: variable };
    }
  }
  const profile = await loadProfile();
  for (const key of keys) {
    const value = profile.value(key);
    if (value !== undefined) return { value, source: profile.label(key, shown ? value : undefined), label: profile.label(key) };
  }
  return {};
}

function nonEmpty(value) {
  return typeof value === "string" && value !== "" ? value : undefined;
}
