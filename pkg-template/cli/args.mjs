// The command line: which command, its options as the library takes them, and the help texts.
// Only the CLI's own rules live here (formats, durations, counts); every parameter of the API is
// handed to the library as written, and the library says what is wrong with it.
import { parseArgs } from "node:util";

import { formatDuration, parseDuration } from "./duration.mjs";
import { UsageError } from "./errors.mjs";
import { knownState } from "./states.mjs";

export const PROGRAM = "atlas-export-jobs";
export const OUTPUTS = Object.freeze(["table", "json", "ndjson", "csv"]);

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_WATCH_TIMEOUT_MS = 24 * 3_600_000;

const SHARED_OPTIONS = {
  project: { type: "string" },
  cluster: { type: "string" },
  output: { type: "string", short: "o" },
  "base-url": { type: "string" },
  "api-version": { type: "string" },
  "request-timeout": { type: "string" },
  retries: { type: "string" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
};

const COMMAND_OPTIONS = {
  list: {
    ...SHARED_OPTIONS,
    all: { type: "boolean" },
    page: { type: "string" },
    "items-per-page": { type: "string" },
    "no-count": { type: "boolean" },
    state: { type: "string", multiple: true },
  },
  watch: {
    ...SHARED_OPTIONS,
    job: { type: "string", multiple: true },
    interval: { type: "string" },
    "max-polls": { type: "string" },
  },
};

const CREDENTIALS_HELP = `Credentials come from the environment, the first complete set of:
  ATLAS_ACCESS_TOKEN                      a Bearer token
  ATLAS_CLIENT_ID, ATLAS_CLIENT_SECRET    a service account (recommended)
  ATLAS_PUBLIC_KEY, ATLAS_PRIVATE_KEY     an API key (HTTP Digest)
No option takes a secret: command lines end up in shell history.`;

const CONNECTION_HELP = `  --base-url <url>           Atlas or a proxy (https://cloud.mongodb.com)
  --api-version <v2|v1.0>    the API version (default v2)
  --request-timeout <time>   longest wait for one response (default 30s)
  --retries <n>              retries of 429, 502-504 and lost connections
                             (default 3; 0 sends each request once)`;

const EXIT_HELP = `Exit codes: 0 ok, 1 a watched job failed or was cancelled, 2 usage or
validation, 3 API error, 4 network error or timeout, 5 authentication,
130 interrupted.`;

export const HELP = {
  main: `${PROGRAM}: list and watch MongoDB Atlas Cloud Backup export jobs

Usage:
  ${PROGRAM} list  --project <id> --cluster <name> [options]
  ${PROGRAM} watch --project <id> --cluster <name> [options]
  ${PROGRAM} help [list|watch]
  ${PROGRAM} --version

Commands:
  list    one page of export jobs, or every job with --all
  watch   poll until every running export job is done

${CREDENTIALS_HELP}

Data goes to stdout; progress and diagnostics to stderr.
${EXIT_HELP}
`,
  list: `Usage: ${PROGRAM} list --project <id> --cluster <name> [options]

Lists a cluster's snapshot export jobs: one page, or every page with --all.

Options:
  --project <id>             the project (group) id, 24 hex characters
  --cluster <name>           the cluster name
  --all                      every job, page after page
  --page <n>                 the page to list (with --all: the first page)
  --items-per-page <n>       jobs a page, 1-500 (Atlas's default 100;
                             with --all 500)
  --no-count                 do not ask Atlas for the total count
  --state <state>            only jobs in this state (Queued, InProgress,
                             Successful, Failed, Cancelled); repeat or
                             separate with commas for several
  -o, --output <format>      table, json, ndjson or csv (default: table on a
                             terminal, json otherwise)
  --timeout <time>           give up after this long (e.g. 30s, 2m)
${CONNECTION_HELP}
  -h, --help                 this help

json prints the page as Atlas sent it (with --all, the array of jobs);
ndjson one job a line; csv one row a job (see the README for the columns).

${CREDENTIALS_HELP}

${EXIT_HELP}
`,
  watch: `Usage: ${PROGRAM} watch --project <id> --cluster <name> [options]

Polls a cluster's export jobs until every job that was Queued or InProgress
(or started while watching, or named with --job) is Successful, Failed or
Cancelled. Shows progress bars on a terminal and a line a change otherwise,
then prints the jobs' final states to stdout and why any failed.
Exits 0 when all succeeded, 1 when any failed or was cancelled.

Options:
  --project <id>             the project (group) id, 24 hex characters
  --cluster <name>           the cluster name
  --job <id>                 watch only this job (repeatable)
  --interval <time>          time between polls (default ${formatDuration(DEFAULT_INTERVAL_MS)}): 500ms, 10s, 2m
  --max-polls <n>            give up after n polls
  --timeout <time>           give up after this long (default ${formatDuration(DEFAULT_WATCH_TIMEOUT_MS)})
  -o, --output <format>      format of the final states: table, json, ndjson or
                             csv (default: table on a terminal, json otherwise)
${CONNECTION_HELP}
  -h, --help                 this help

Giving up (--max-polls, --timeout) exits 4; Ctrl-C stops at once and exits 130.

${CREDENTIALS_HELP}

${EXIT_HELP}
`,
};

// Options that look like a place for a secret get an answer of their own.
const SECRET_LIKE = /token|secret|private|password|passwd|api-?key|public-?key|client-?id|credential/i;

/**
 * Reads `argv` (without node and the script).
 * @returns {{kind: "help", text: string} | {kind: "version"} | {kind: "run", command: "list" | "watch", options: object}}
 * @throws {UsageError}
 */
export function parseCommandLine(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`a command is required: list or watch\n\n${HELP.main}`);
  if (first === "--help" || first === "-h") return { kind: "help", text: HELP.main };
  if (first === "--version" || first === "-V") return { kind: "version" };
  if (first === "help") {
    if (rest.length === 0) return { kind: "help", text: HELP.main };
    if (rest.length === 1 && Object.hasOwn(COMMAND_OPTIONS, rest[0])) return { kind: "help", text: HELP[rest[0]] };
    throw new UsageError(`no help for ${JSON.stringify(rest.join(" "))}: the commands are list and watch`);
  }
  if (!Object.hasOwn(COMMAND_OPTIONS, first)) {
    throw new UsageError(`unknown command ${JSON.stringify(first)}: the commands are list and watch (see ${PROGRAM} --help)`);
  }
  const values = readOptions(first, rest);
  if (values.help) return { kind: "help", text: HELP[first] };
  const options = first === "list" ? listOptions(values) : watchOptions(values);
  return { kind: "run", command: first, options };
}

function readOptions(command, args) {
  try {
    return parseArgs({ args, options: COMMAND_OPTIONS[command], strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(`${explainParseError(error)} (see ${PROGRAM} ${command} --help)`);
  }
}

/** parseArgs' complaint in this CLI's words, naming an option but never repeating a value. */
function explainParseError(error) {
  const quoted = /'([^']*)'/.exec(error.message)?.[1] ?? "";
  switch (error.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION": {
      const name = quoted.split("=")[0];
      if (SECRET_LIKE.test(name)) {
        return `${name} is not an option: credentials are read from the environment only (ATLAS_ACCESS_TOKEN, ATLAS_CLIENT_ID and ATLAS_CLIENT_SECRET, or ATLAS_PUBLIC_KEY and ATLAS_PRIVATE_KEY), so they stay out of shell history`;
      }
      return `unknown option ${name}`;
    }
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return `${quoted.split(" ")[0] || "an option"} needs a value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return "unexpected argument: every value follows the option it belongs to";
    default:
      return error.message;
  }
}

/** What both commands take: the cluster, the format, the connection. */
function sharedOptions(values) {
  const output = values.output;
  if (output !== undefined && !OUTPUTS.includes(output)) {
    throw new UsageError(`--output must be one of ${OUTPUTS.join(", ")}, not ${JSON.stringify(output)}`);
  }
  const client = {};
  if (values["base-url"] !== undefined) client.baseUrl = values["base-url"];
  if (values["api-version"] !== undefined) client.apiVersion = values["api-version"];
  if (values["request-timeout"] !== undefined) client.timeoutMs = duration(values["request-timeout"], "--request-timeout");
  if (values.retries !== undefined) {
    if (!/^\d+$/.test(values.retries)) throw new UsageError(`--retries must be a whole number, not ${JSON.stringify(values.retries)}`);
    const retries = Number(values.retries);
    client.retry = retries === 0 ? false : { maxAttempts: retries + 1 };
  }
  return {
    params: { groupId: values.project, clusterName: values.cluster },
    client,
    output,
    timeoutMs: values.timeout === undefined ? undefined : duration(values.timeout, "--timeout"),
  };
}

function listOptions(values) {
  const shared = sharedOptions(values);
  const params = { ...shared.params };
  if (values.page !== undefined) params.pageNum = number(values.page);
  if (values["items-per-page"] !== undefined) params.itemsPerPage = number(values["items-per-page"]);
  if (values["no-count"]) params.includeCount = false;
  return { ...shared, params, all: values.all === true, states: states(values.state ?? []) };
}

function watchOptions(values) {
  const shared = sharedOptions(values);
  const jobs = values.job ?? [];
  for (const id of jobs) {
    if (!/^[a-f0-9]{24}$/.test(id)) throw new UsageError(`--job ${JSON.stringify(id)} is not an export job id (24 lowercase hex characters)`);
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
    jobs: [...new Set(jobs)],
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

/** `--state` values, split at commas, each a documented state in its own spelling or kept as written. */
function states(values) {
  const wanted = values.flatMap((value) => value.split(",")).map((value) => value.trim()).filter((value) => value !== "");
  return wanted.map((name) => ({ name: knownState(name) ?? name, known: knownState(name) !== undefined }));
}
