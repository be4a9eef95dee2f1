// The help texts. The lists in them (table and CSV columns, where settings come from, the order of
// credentials) are built from the code that uses them, so help and behaviour cannot drift apart.
import { DEFAULT_INTERVAL_MS, DEFAULT_WATCH_TIMEOUT_MS, PROGRAM } from "./args.mjs";
import { credentialOrder } from "./credentials.mjs";
import { CSV_COLUMNS } from "./csv.mjs";
import { formatDuration } from "./duration.mjs";
import { DEFAULT_OUTPUT } from "./output.mjs";
import { PLAINTEXT_COLUMNS } from "./plaintext.mjs";
import { SERVICE, SERVICE_URLS, SETTINGS } from "./settings.mjs";
import { TABLE_COLUMNS } from "./table.mjs";
import { wrap } from "./text.mjs";

const WIDTH = 80;

/** `text` wrapped to the help's width, each line after `indent` spaces. */
function block(text, indent) {
  return wrap(text, WIDTH - indent).map((line) => `${" ".repeat(indent)}${line}`);
}

/** `term` in a column of `termWidth` after `indent`, then `text` wrapped beside it. */
function entry(term, text, { indent = 2, termWidth }) {
  const [first, ...rest] = wrap(text, WIDTH - indent - termWidth);
  return [`${" ".repeat(indent)}${term.padEnd(termWidth)}${first}`, ...rest.map((line) => `${" ".repeat(indent + termWidth)}${line}`)].join("\n");
}

const SETTING_NAMES = { project: ["project", "--projectId"], baseUrl: ["base URL", "--base-url"], output: ["output", "-o"] };

const SETTINGS_HELP = [
  ...block(
    'Settings: a flag wins over a MONGODB_ATLAS_* variable, which wins over the Atlas CLI profile (-P <name>, else MONGODB_ATLAS_PROFILE, else the file\'s only profile, else "default") in $XDG_CONFIG_HOME/atlascli/config.toml, else ~/.config/atlascli/config.toml (on macOS ~/Library/Application Support/atlascli/config.toml):',
    0,
  ),
  ...Object.entries(SETTINGS).map(([setting, { variable, profileKey, aliases }]) => {
    const [name, flag] = SETTING_NAMES[setting];
    const older = aliases === undefined ? "" : ` (or ${aliases.variable}, ${aliases.profileKey})`;
    const service = setting === "baseUrl" ? `; else ${SERVICE_URLS.cloudgov} when ${SERVICE.variable} or ${SERVICE.profileKey} is "cloudgov"` : "";
    return entry(name, `${flag}, ${variable}, ${profileKey}${older}${service}`, { termWidth: 13 });
  }),
  entry("credentials", "the first complete set of, in this order:", { termWidth: 13 }),
  ...credentialOrder().map(({ names, inProfile, authType }) => `${" ".repeat(17)}${inProfile ? `the profile's ${names.join(", ")} (${authType})` : names.join(", ")}`),
  ...block(
    "A profile's auth_type picks one of its sets; an access_token past its expiry is refused (run atlas auth login). Credentials the Atlas CLI keeps in the system keyring cannot be read here: set the variables. Empty ones count as unset. No flag takes a secret: command lines end up in shell history. --verbose says where each setting came from, never its value.",
    0,
  ),
].join("\n");

const CONNECTION_HELP = `  --base-url <url>           Atlas or a proxy (https://cloud.mongodb.com)
  --api-version <v2|v1.0>    the API version (default v2)
  --request-timeout <time>   longest wait for one response (default 30s)
  --retries <n>              retries of 429, 502-504 and lost connections
                             (default 3; 0 sends each request once)
  -P, --profile <name>       the Atlas CLI profile to read (see Settings)
  --verbose                  say on stderr where each setting came from
  -h, --help                 this help`;

/** The output formats, with what `json` holds for the command. */
function outputHelp(json) {
  return [
    "Output formats:",
    entry("table", `one row a job, columns ${TABLE_COLUMNS.map((column) => `${column.header} (${column.shows})`).join(", ")}.`, { termWidth: 11 }),
    entry("plaintext", `the Atlas CLI's own columns, ${PLAINTEXT_COLUMNS.map(([header]) => header).join(", ")}, aligned with spaces as it aligns them; an absent field is an empty cell.`, { termWidth: 11 }),
    entry("json", `${json}.`, { termWidth: 11 }),
    entry("ndjson", "one job a line.", { termWidth: 11 }),
    entry("csv", `one row a job (RFC 4180), columns ${CSV_COLUMNS.map(([name]) => name).join(", ")}.`, { termWidth: 11 }),
    ...block("The Atlas CLI's json-path and go-template formats are not supported.", 0),
  ].join("\n");
}

const FLAGS_HELP = block(
  "Flags are read as the Atlas CLI reads them: --limit 5 or --limit=5; -o json, -o=json or -ojson; a boolean alone or with its value after \"=\" (--omitCount, --omitCount=false); the last of a repeated flag wins; -- ends the flags.",
  0,
).join("\n");

const EXIT_HELP = block(
  "Exit codes: 0 ok, 1 a watched job failed, was cancelled or stopped being listed, 2 usage, settings or validation, 3 API error, 4 network error or timeout, 5 authentication, 130 interrupted.",
  0,
).join("\n");

/** The help of the command, `list` and `watch`. */
export const HELP = {
  main: `${PROGRAM}: list and watch MongoDB Atlas Cloud Backup export jobs

Usage:
  ${PROGRAM} list  <clusterName> [options]
  ${PROGRAM} watch <clusterName> [exportJobId] [options]
  ${PROGRAM} help [list|watch]
  ${PROGRAM} --version

Commands:
  list    one page of export jobs, or every job with --all
  watch   poll until every running export job is done

The Atlas CLI's flags, variables and profiles work here too:
  ${PROGRAM} list Cluster0 --projectId <id> --limit 10 -o json -P prod

${FLAGS_HELP}

${SETTINGS_HELP}

Data goes to stdout; progress and diagnostics to stderr.
${EXIT_HELP}
`,
  list: `Usage: ${PROGRAM} list <clusterName> [options]

Lists a cluster's snapshot export jobs: one page, or every page with --all.

Options:
  <clusterName>              the cluster (or --cluster <name>)
  --projectId <id>           the project (group) id, 24 hex characters
                             (or --project <id>)
  --all                      every job, page after page
  --page <n>                 the page to list (with --all: the first page)
  --limit <n>                jobs a page, 1-500 (Atlas's default 100; with
                             --all 500); or --items-per-page <n>
  --omitCount                do not ask Atlas for the total count (or
                             --no-count)
  --state <state>            only jobs in this state (Queued, InProgress,
                             Successful, Failed, Cancelled, in any case);
                             repeat or separate with commas for several
  -o, --output <format>      table, plaintext, json, ndjson or csv (default
                             ${DEFAULT_OUTPUT}, on a terminal or not)
  --timeout <time>           give up after this long (e.g. 30s, 2m)
${CONNECTION_HELP}

${outputHelp("the page exactly as Atlas sent it, indented by two spaces, as the Atlas CLI prints it (with --all, the array of jobs)")}

${SETTINGS_HELP}

${EXIT_HELP}
`,
  watch: `Usage: ${PROGRAM} watch <clusterName> [exportJobId] [options]

Polls a cluster's export jobs until every job that was Queued or InProgress
(or started while watching, or named) is Successful, Failed or Cancelled.
Shows progress bars on a terminal and a line a change otherwise, then prints
the jobs' final states to stdout and why any failed.
Exits 0 when all succeeded, 1 when any failed, was cancelled or stopped being
listed before it finished.

Options:
  <clusterName>              the cluster (or --cluster <name>; then the one
                             argument is an export job id, as in the Atlas
                             CLI's watch <exportJobId> --clusterName <name>)
  [exportJobId]              watch only this job (also --job <id>, repeatable)
  --projectId <id>           the project (group) id, 24 hex characters
                             (or --project <id>)
  --interval <time>          time between polls (default ${formatDuration(DEFAULT_INTERVAL_MS)}): 500ms, 10s, 2m
  --max-polls <n>            give up after n polls
  --timeout <time>           give up after this long (default ${formatDuration(DEFAULT_WATCH_TIMEOUT_MS)})
  -o, --output <format>      format of the final states: table, plaintext,
                             json, ndjson or csv (default ${DEFAULT_OUTPUT}, on a
                             terminal or not)
${CONNECTION_HELP}

Giving up (--max-polls, --timeout) exits 4; a --job not listed within a minute
exits 3; Ctrl-C stops at once and exits 130.

${outputHelp("the array of the watched jobs")}

${SETTINGS_HELP}

${EXIT_HELP}
`,
};
