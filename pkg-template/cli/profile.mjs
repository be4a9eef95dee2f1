// The Atlas CLI's profiles: its config file holds one TOML table a profile, read here with
// smol-toml. Only the keys this command uses are read (a profile's others, such as org_id or the
// tokens of `atlas auth login`, are left alone). Nothing read here is ever printed: errors name
// the file, the profile and the key, never a value, nor the parser's excerpt of the file.
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

import { UsageError } from "./errors.mjs";
import { closest } from "./suggest.mjs";

/** The profile the Atlas CLI uses when none is named. */
export const DEFAULT_PROFILE = "default";

/**
 * Where the Atlas CLI keeps its config file: Go's os.UserConfigDir() (on Linux
 * `$XDG_CONFIG_HOME`, else `~/.config`) and `atlascli/config.toml`; undefined without a home.
 */
export function configFilePath(env, platform = process.platform) {
  let dir;
  if (platform === "win32") dir = env.APPDATA || undefined;
  else if (platform === "darwin") dir = join(homeOf(env), "Library", "Application Support");
  // The XDG spec has a relative XDG_CONFIG_HOME ignored.
  else dir = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(homeOf(env), ".config");
  return dir === undefined ? undefined : join(dir, "atlascli", "config.toml");
}

function homeOf(env) {
  return env.HOME || homedir();
}

/** One profile of the config file, or an empty one when there is no file or no such profile. */
export class Profile {
  #table;

  /**
   * @param {string} name
   * @param {string | undefined} path the config file
   * @param {object | undefined} table the profile's table, undefined when absent
   */
  constructor(name, path, table) {
    this.name = name;
    this.path = path;
    this.#table = table;
  }

  /** Whether the config file has this profile. */
  get found() {
    return this.#table !== undefined;
  }

  /** The profile's `key`, or undefined when absent or empty; a key that is not a string is refused. */
  value(key) {
    const value = this.#table?.[key];
    if (value === undefined || value === "") return undefined;
    if (typeof value !== "string") throw new UsageError(`${this.label(key)} in ${this.path} must be a string`);
    return value;
  }

  /** How messages name `key` of this profile. */
  label(key) {
    return `${key} of profile ${JSON.stringify(this.name)}`;
  }
}

/**
 * Reads profile `name` from the config file. Without the file or the profile, an empty Profile,
 * unless the profile was asked for by name (`explicit`), which is then an error.
 * @returns {Promise<Profile>}
 */
export async function readProfile({ name, explicit, env }) {
  const path = configFilePath(env);
  const missing = (why) => {
    if (explicit) throw new UsageError(`no profile ${JSON.stringify(name)} (--profile): ${why}`);
    return new Profile(name, path, undefined);
  };
  if (path === undefined) return missing("no home directory to find the Atlas CLI config file in");
  let text;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return missing(`there is no Atlas CLI config file at ${path}`);
    throw new UsageError(`cannot read the Atlas CLI config file ${path} (${error.code ?? "error"})`);
  }
  // Only runs that read a profile load the parser.
  const { parse } = await import("smol-toml");
  let config;
  try {
    config = parse(text);
  } catch (error) {
    // The parser's message quotes the file around the error, which may hold a key: only the place.
    const where = Number.isInteger(error.line) ? ` (line ${error.line}, column ${error.column})` : "";
    throw new UsageError(`the Atlas CLI config file ${path} is not valid TOML${where}`);
  }
  const profiles = Object.keys(config).filter((key) => isTable(config[key]));
  // The Atlas CLI reads profile names in any case.
  const found = Object.hasOwn(config, name) ? name : profiles.find((profile) => profile.toLowerCase() === name.toLowerCase());
  if (found === undefined) {
    const suggestion = closest(name, profiles);
    return missing(`${path} has no such profile${suggestion === undefined ? "" : `; did you mean ${JSON.stringify(suggestion)}?`}`);
  }
  if (!isTable(config[found])) throw new UsageError(`profile ${JSON.stringify(name)} in ${path} is not a table of settings`);
  return new Profile(name, path, config[found]);
}

function isTable(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date);
}
