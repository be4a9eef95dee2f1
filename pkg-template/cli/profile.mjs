// The Atlas CLI's profiles: its config file holds one TOML table a profile, read here with
// smol-toml, and top-level keys (`version = 2`, ...) that are not profiles. Only the keys this
// command uses are read. Nothing read here is ever printed: errors name the file, the profile and
// the key, never a value, nor the parser's excerpt of the file.
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";

import { UsageError } from "./errors.mjs";
import { closest } from "./suggest.mjs";

/** The profile the Atlas CLI uses when none is chosen. */
export const DEFAULT_PROFILE = "default";

/** The variable that names a profile when -P does not. */
export const PROFILE_VARIABLE = "MONGODB_ATLAS_PROFILE";

/**
 * Where the Atlas CLI keeps its config file: Go's os.UserConfigDir() and `atlascli/config.toml`.
 * On Linux `$XDG_CONFIG_HOME`, else `$HOME/.config`; on macOS `$HOME/Library/Application Support`
 * (XDG_CONFIG_HOME is not read there); on Windows `%AppData%`. Where Go finds no directory (a
 * relative XDG_CONFIG_HOME, no HOME), the Atlas CLI reads no file, and neither does this command.
 * @returns {{path: string} | {path: undefined, why: string}}
 */
export function configFile(env, platform = process.platform) {
  const at = (dir) => ({ path: join(dir, "atlascli", "config.toml") });
  const none = (why) => ({ path: undefined, why });
  if (platform === "win32") return env.APPDATA ? at(env.APPDATA) : none("%AppData% is not set");
  if (platform === "darwin") return env.HOME ? at(join(env.HOME, "Library", "Application Support")) : none("$HOME is not set");
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg) return isAbsolute(xdg) ? at(xdg) : none("$XDG_CONFIG_HOME is a relative path, which the Atlas CLI refuses too");
  return env.HOME ? at(join(env.HOME, ".config")) : none("neither $XDG_CONFIG_HOME nor $HOME is set");
}

/**
 * One profile of the config file, or an empty one when there is no file or no such profile. The
 * file's top-level keys come first, as in the Atlas CLI: a top-level `project_id` beats the
 * profile's.
 */
export class Profile {
  #table;
  #globals;

  /**
   * @param {{name: string, path: string | undefined, table?: object, globals?: object,
   *   chosenBy?: string, why?: string}} parts the profile's table (undefined when absent), the
   *   file's top-level keys, how the name was chosen (undefined for the default) and, for an
   *   absent profile, why
   */
  constructor({ name, path, table, globals = {}, chosenBy, why }) {
    this.name = name;
    this.path = path;
    this.chosenBy = chosenBy;
    this.why = why;
    this.#table = table;
    this.#globals = globals;
  }

  /** Whether the config file has this profile. */
  get found() {
    return this.#table !== undefined;
  }

  /** Whether the profile's table has any key. */
  get isEmpty() {
    return this.#table === undefined || Object.keys(this.#table).length === 0;
  }

  /**
   * The top-level `key`, else the profile's, or undefined when absent or empty (the Atlas CLI's
   * GetHierarchicalValue); a key that is not a string is refused.
   */
  value(key) {
    const value = this.#isGlobal(key) ? this.#globals[key] : this.#table?.[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "string") throw new UsageError(`${this.label(key)} in ${this.path} must be a string`);
    return value;
  }

  /** How messages name `key` where `value` reads it, with `shown`, a value that is no secret. */
  label(key, shown) {
    const what = shown === undefined ? key : `${key} ${JSON.stringify(shown)}`;
    return this.#isGlobal(key) ? `top-level ${what} of the Atlas CLI config file` : `${what} of profile ${JSON.stringify(this.name)}`;
  }

  #isGlobal(key) {
    const value = this.#globals[key];
    return value !== undefined && value !== "";
  }
}

/**
 * Reads the profile the Atlas CLI would use: the one named by -P (`flag`), else by
 * MONGODB_ATLAS_PROFILE, else the file's only profile when it has one, else "default". Names
 * match in any case, as the Atlas CLI lower-cases them. A profile that was named must exist; the
 * others may be missing, with the file, and are then empty.
 * @param {{flag: string | undefined, env: object}} choice
 * @returns {Promise<Profile>}
 */
export async function readProfile({ flag, env }) {
  const variable = env[PROFILE_VARIABLE];
  let named;
  if (flag !== undefined) named = { name: flag, by: "--profile" };
  else if (typeof variable === "string" && variable !== "") named = { name: variable, by: PROFILE_VARIABLE };
  const missing = (why, globals) => {
    if (named !== undefined) throw new UsageError(`no profile ${JSON.stringify(named.name)} (${named.by}): ${why}`);
    return new Profile({ name: DEFAULT_PROFILE, path, globals, why });
  };

  const { path, why: noFile } = configFile(env);
  if (path === undefined) return missing(`no Atlas CLI config file: ${noFile}`);
  const config = await readConfig(path);
  if (config === undefined) return missing(`there is no Atlas CLI config file at ${path}`);

  const profiles = Object.keys(config).filter((key) => isTable(config[key]));
  const globals = Object.fromEntries(Object.entries(config).filter(([key]) => !isTable(config[key])));
  let name = named?.name;
  let chosenBy = named?.by;
  if (named === undefined && profiles.length === 1 && profiles[0].toLowerCase() !== DEFAULT_PROFILE) {
    [name] = profiles;
    chosenBy = "the only profile there";
  }
  name ??= DEFAULT_PROFILE;
  const found = Object.hasOwn(config, name) ? name : profiles.find((profile) => profile.toLowerCase() === name.toLowerCase());
  if (found === undefined) {
    const suggestion = closest(name, profiles);
    return missing(`${path} has no such profile${suggestion === undefined ? "" : `; did you mean ${JSON.stringify(suggestion)}?`}`, globals);
  }
  if (!isTable(config[found])) throw new UsageError(`profile ${JSON.stringify(name)} in ${path} is not a table of settings`);
  return new Profile({ name, path, table: config[found], globals, chosenBy });
}

/** The config file at `path` parsed, or undefined when there is none. */
async function readConfig(path) {
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return undefined;
    throw new UsageError(`cannot read the Atlas CLI config file ${path} (${error.code ?? "error"})`);
  }
  // Only runs that read a profile load the parser.
  const { parse } = await import("smol-toml");
  try {
    return parse(text);
  } catch (error) {
    // The parser's message quotes the file around the error, which may hold a key: only the place.
    const where = Number.isInteger(error.line) ? ` (line ${error.line}, column ${error.column})` : "";
    throw new UsageError(`the Atlas CLI config file ${path} is not valid TOML${where}`);
  }
}

function isTable(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}
