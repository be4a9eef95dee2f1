// The command line: which command, the cluster, and the options as the library takes them, with
// the Atlas CLI's flag names as equivalents of this command's own (--projectId for --project,
// --limit for --items-per-page, --omitCount for --no-count, --clusterName for --cluster). Only the
// CLI's own rules live here (formats, durations, counts); every parameter of the API is handed to
// the library as written, and the library says what is wrong with it. Settings that variables or
// a profile may also give are only collected here (see settings.mjs). The words are read as the
// Atlas CLI reads them (see flags.mjs).
import { parseDuration } from "./duration.mjs";
import { UsageError } from "./errors.mjs";
import { FLAG_PROBLEM, FlagError, parseBoolean, readFlags } from "./flags.mjs";
import { checkOutput } from "./output.mjs";
import { KNOWN_STATES, knownState } from "./states.mjs";
import { closest, didYouMean } from "./suggest.mjs";

export const PROGRAM = "atlas-export-jobs";
export const COMMANDS = Object.freeze(["list", "watch"]);

export const DEFAULT_INTERVAL_MS = 10_000;
export const DEFAULT_WATCH_TIMEOUT_MS = 24 * 3_600_000;

const SHARED_OPTIONS = {
  project: { type: "string" },
  projectId: { type: "string" },
  cluster: { type: "string" },
  clusterName: { type: "string" },
  output: { type: "string", short: "o" },
  profile: { type: "string", short: "P" },
  "base-url": { type: "string" },
  "api-version": { type: "string" },
  "request-timeout": { type: "string" },
  retries: { type: "string" },
  timeout: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const COMMAND_OPTIONS = {
  list: {
    ...SHARED_OPTIONS,
    all: { type: "boolean" },
    page: { type: "string" },
    "items-per-page": { type: "string" },
    limit: { type: "string" },
    "no-count": { type: "boolean" },
    omitCount: { type: "boolean" },
    state: { type: "string", multiple: true },
  },
  watch: {
    ...SHARED_OPTIONS,
    job: { type: "string", multiple: true },
    interval: { type: "string" },
    "max-polls": { type: "string" },
  },
};

/** How messages name the cluster when it was given as an argument. */
const CLUSTER_ARGUMENT = "<clusterName>";
const JOB_ARGUMENT = "<exportJobId>";

// Options that look like a place for a secret get an answer of their own.
const SECRET_LIKE = /token|secret|private|password|passwd|api-?key|public-?key|client-?id|credential/i;

/**
 * Reads `argv` (without node and the script).
 * @returns {{kind: "help", topic: "main" | "list" | "watch"} | {kind: "version"} |
 *   {kind: "run", command: "list" | "watch", options: object}} `options.given` holds what the
 *   command line set of the settings variables and profiles may also give (see resolveSettings),
 *   and `options.labels` how messages name each library field that came from a flag or argument
 * @throws {UsageError}
 */
export function parseCommandLine(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) throw Object.assign(new UsageError("a command is required: list or watch"), { help: "main" });
  if (first === "--help" || first === "-h") return { kind: "help", topic: "main" };
  if (first === "--version" || first === "-V") return { kind: "version" };
  if (first === "help") {
    if (rest.length === 0) return { kind: "help", topic: "main" };
    if (rest.length === 1 && COMMANDS.includes(rest[0])) return { kind: "help", topic: rest[0] };
    throw new UsageError(`no help for ${JSON.stringify(rest.join(" "))}${rest.length === 1 ? didYouMean(rest[0], COMMANDS) : ""} (the commands are list and watch)`);
  }
  if (!COMMANDS.includes(first)) {
    throw new UsageError(`unknown command ${JSON.stringify(first)}${didYouMean(first, COMMANDS)} (the commands are list and watch; see ${PROGRAM} --help)`);
  }
  const { values, positionals, typed, strayBoolean } = readOptions(first, rest);
  if (values.help) return { kind: "help", topic: first };
  const hint = strayBoolean === undefined ? "" : ` (a boolean flag takes its value after "=": ${strayBoolean})`;
  const options = first === "list" ? listOptions(values, positionals, typed, hint) : watchOptions(values, positionals, typed, hint);
  return { kind: "run", command: first, options };
}

/**
 * The options' values, the arguments, each option's name as typed (`-o`, `--projectId`; the last
 * one given), and the first boolean flag followed by a word such as "false" as an argument.
 */
function readOptions(command, args) {
  let read;
  try {
    read = readFlags(args, COMMAND_OPTIONS[command]);
  } catch (error) {
    if (!(error instanceof FlagError)) throw error;
    throw new UsageError(`${explainFlagError(error, command)} (see ${PROGRAM} ${command} --help)`);
  }
  const typed = {};
  let strayBoolean;
  let before;
  for (const token of read.tokens) {
    if (token.kind === "option") typed[token.name] = token.rawName;
    // `--omitCount false`: pflag's reading (true, then an argument) is kept, and a refusal of
    // the argument says how to write it.
    const afterBareBoolean = before?.kind === "option" && before.value === true && !before.inlineValue;
    if (token.kind === "positional" && afterBareBoolean && parseBoolean(token.value) !== undefined) strayBoolean ??= `${before.rawName}=${token.value}`;
    before = token;
  }
  return { values: read.values, positionals: read.positionals, typed, strayBoolean };
}

/** A flag that could not be read, in this CLI's words, naming the flag but never repeating a value. */
function explainFlagError(error, command) {
  switch (error.problem) {
    case FLAG_PROBLEM.unknown: {
      if (SECRET_LIKE.test(error.word)) {
        return `${error.flag.startsWith("--") ? error.flag : `-${error.word}`} is not an option: credentials are read from variables (such as MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET) or an Atlas CLI profile only, so they stay out of shell history`;
      }
      // A one-letter flag is within two edits of every other: only a long name (`-projectId`
      // given one dash too) gets a guess.
      const suggestion = error.word.length > 1 ? closest(error.word, Object.keys(COMMAND_OPTIONS[command]).filter((name) => name.length > 1)) : undefined;
      return `unknown option ${error.flag}${suggestion === undefined ? "" : `; did you mean --${suggestion}?`}`;
    }
    case FLAG_PROBLEM.missingValue:
      return `${error.flag} needs a value`;
    case FLAG_PROBLEM.notBoolean:
      return `${error.flag} takes true or false (or 1, 0, t, f), not ${JSON.stringify(error.value)}`;
    default:
      return error.message;
  }
}

/** The value of whichever of two equivalent options was given, and its name as typed; both must agree. */
function either(values, typed, names) {
  const given = names.filter((name) => values[name] !== undefined);
  if (given.length === 2 && values[given[0]] !== values[given[1]]) {
    throw new UsageError(`${typed[given[0]]} and ${typed[given[1]]} say the same thing differently: give one`);
  }
  return given.length === 0 ? undefined : { value: values[given[0]], flag: typed[given[0]] };
}

/**
 * The cluster, from the first argument or --cluster (--clusterName), and the arguments left. With
 * --cluster, every argument is left (watch reads an export job id from it, as the Atlas CLI does).
 */
function clusterOf(command, values, typed, positionals) {
  const flag = either(values, typed, ["cluster", "clusterName"]);
  if (flag !== undefined) return { cluster: flag, rest: positionals };
  if (positionals.length === 0) {
    throw new UsageError(`no cluster: name it first, as in \`${PROGRAM} ${command} <clusterName>\`, or give --cluster <name>`);
  }
  const [name, ...rest] = positionals;
  return { cluster: { value: name, flag: CLUSTER_ARGUMENT }, rest };
}

/** What both commands take: the settings, the cluster, the format, the connection. */
function sharedOptions(values, typed, cluster) {
  const output = values.output;
  if (output !== undefined) checkOutput(output, { source: typed.output, fromFlag: true });
  const client = {};
  if (values["api-version"] !== undefined) client.apiVersion = values["api-version"];
  if (values["request-timeout"] !== undefined) client.timeoutMs = duration(values["request-timeout"], "--request-timeout");
  if (values.retries !== undefined) {
    if (!/^\d+$/.test(values.retries)) throw new UsageError(`--retries must be a whole number, not ${JSON.stringify(values.retries)}`);
    const retries = Number(values.retries);
    client.retry = retries === 0 ? false : { maxAttempts: retries + 1 };
  }
  const given = { profile: values.profile };
  const project = either(values, typed, ["project", "projectId"]);
  if (project !== undefined) given.project = project;
  if (values["base-url"] !== undefined) given.baseUrl = { value: values["base-url"], flag: "--base-url" };
  if (output !== undefined) given.output = { value: output, flag: typed.output };
  return {
    params: { clusterName: cluster.value },
    client,
    given,
    labels: { clusterName: cluster.flag },
    verbose: values.verbose === true,
    timeoutMs: values.timeout === undefined ? undefined : duration(values.timeout, "--timeout"),
  };
}

/** `hint`: how to write a boolean flag's value, when an argument looks like one. */
function listOptions(values, positionals, typed, hint) {
  const { cluster, rest } = clusterOf("list", values, typed, positionals);
  if (rest.length > 0) {
    const why = cluster.flag === CLUSTER_ARGUMENT ? "list takes one argument, the cluster" : `the cluster is already given with ${cluster.flag}`;
    throw new UsageError(`unexpected argument: ${why}; every other value follows the option it belongs to${hint}`);
  }
  const shared = sharedOptions(values, typed, cluster);
  const params = { ...shared.params };
  const labels = { ...shared.labels };
  if (values.page !== undefined) params.pageNum = number(values.page);
  const itemsPerPage = either(values, typed, ["items-per-page", "limit"]);
  if (itemsPerPage !== undefined) {
    params.itemsPerPage = number(itemsPerPage.value);
    labels.itemsPerPage = itemsPerPage.flag;
  }
  const omitCount = either(values, typed, ["no-count", "omitCount"]);
  if (omitCount?.value === true) {
    params.includeCount = false;
    labels.includeCount = omitCount.flag;
  }
  return { ...shared, params, labels, all: values.all === true, states: states(values.state ?? []) };
}

function watchOptions(values, positionals, typed, hint) {
  const { cluster, rest } = clusterOf("watch", values, typed, positionals);
  if (rest.length > 1) {
    throw new UsageError(`unexpected argument: watch takes the cluster and at most one export job id; every other value follows the option it belongs to${hint}`);
  }
  const shared = sharedOptions(values, typed, cluster);
  const jobs = [...rest.map((id) => [id, JOB_ARGUMENT]), ...(values.job ?? []).map((id) => [id, "--job"])];
  for (const [id, flag] of jobs) {
    if (!/^[a-f0-9]{24}$/.test(id)) throw new UsageError(`${flag} ${JSON.stringify(id)} is not an export job id (24 lowercase hex characters)${flag === JOB_ARGUMENT ? hint : ""}`);
  }
  let maxPolls;
  if (values["max-polls"] !== undefined) {
    maxPolls = /^\d+$/.test(values["max-polls"]) ? Number(values["max-polls"]) : 0;
    if (!(maxPolls >= 1)) throw new UsageError(`--max-polls must be a whole number from 1, not ${JSON.stringify(values["max-polls"])}`);
  }
  return {
    ...shared,
    // Every job is listed at each poll: the largest pages take the fewest requests.
    params: { ...shared.params, itemsPerPage: 500 },
    jobs: [...new Set(jobs.map(([id]) => id))],
    intervalMs: values.interval === undefined ? DEFAULT_INTERVAL_MS : duration(values.interval, "--interval"),
    maxPolls,
    timeoutMs: shared.timeoutMs ?? DEFAULT_WATCH_TIMEOUT_MS,
  };
}

function duration(text, flag) {
  const ms = parseDuration(text);
  if (ms === undefined) {
    throw new UsageError(`${flag} must be a duration such as 500ms, 10s, 2m or 1h (at most 24 days), not ${JSON.stringify(text)}`);
  }
  return ms;
}

/**
 * A decimal number as a number; anything else as the text, so the library's own rule rejects it
 * with its message ("must be an integer, got the string ...").
 */
function number(text) {
  return /^[+-]?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

/**
 * `--state` values, split at commas, each a documented state in any case, in its own spelling
 * (`failed` -> `Failed`). The filter is this command's, so a name Atlas would never send is a
 * mistake, refused with the closest state.
 */
function states(values) {
  const names = values.flatMap((value) => value.split(",")).map((value) => value.trim()).filter((value) => value !== "");
  if (values.length > 0 && names.length === 0) throw new UsageError(`--state needs a state: ${KNOWN_STATES.join(", ")}`);
  const known = names.map((name) => {
    const state = knownState(name);
    if (state === undefined) {
      const suggestion = closest(name, KNOWN_STATES);
      throw new UsageError(
        `--state ${JSON.stringify(name)} is not an export state${suggestion === undefined ? "" : `; did you mean ${JSON.stringify(suggestion)}?`} (the states are ${KNOWN_STATES.join(", ")})`,
      );
    }
    return state;
  });
  return [...new Set(known)];
}
