// The command: reads the command line, then the settings it leaves to variables and the Atlas CLI
// profile, makes one AtlasClient, runs `list` or `watch` under one signal that Ctrl-C, SIGTERM,
// --timeout and a closed stdout all abort, and turns the outcome into an exit code.
import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

import { AtlasClient } from "../node.mjs";

import { parseCommandLine, PROGRAM } from "./args.mjs";
import { formatDuration } from "./duration.mjs";
import { describeFailure, EXIT, FLAG_LABELS } from "./errors.mjs";
import { HELP } from "./help.mjs";
import { list } from "./list.mjs";
import { DEFAULT_OUTPUT, writeTo } from "./output.mjs";
import { resolveSettings } from "./settings.mjs";
import { sanitize, terminalWidth } from "./text.mjs";
import { isoTime } from "./token.mjs";
import { watch } from "./watch.mjs";

const COMMANDS = { list, watch };
/** How long revoking a service account's token may hold up the exit. */
const CLOSE_LIMIT_MS = 2_000;
const EXIT_OF_STOP = { interrupted: EXIT.interrupted, terminated: 143, timeout: EXIT.network, "output-closed": EXIT.ok };
const SIGNALS = { SIGINT: "interrupted", SIGTERM: "terminated" };
const SCHEME_NAMES = { bearer: "an access token", serviceAccount: "a service account", digest: "an API key, by HTTP Digest" };

/**
 * Runs the command line `argv` (without node and the script) and resolves with the exit code.
 * @param {string[]} argv
 * @param {{stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, env: object}} [io]
 */
export async function main(argv, io = { stdout: process.stdout, stderr: process.stderr, env: process.env }) {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    return fail(io, error);
  }
  if (parsed.kind === "help") {
    await writeTo(io.stdout, HELP[parsed.topic]);
    return EXIT.ok;
  }
  if (parsed.kind === "version") {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    await writeTo(io.stdout, `${version}\n`);
    return EXIT.ok;
  }

  const { command } = parsed;
  let { options } = parsed;
  let client;
  let labels = FLAG_LABELS;
  let output;
  try {
    const settings = await resolveSettings(options.given, io.env, Date.now());
    labels = labelsOf(options, settings);
    options = { ...options, params: { groupId: settings.project.value, ...options.params } };
    output = settings.output.value ?? DEFAULT_OUTPUT;
    if (options.verbose) await writeTo(io.stderr, sourcesNote(options, settings));
    for (const warning of settings.warnings) {
      await writeTo(io.stderr, `${PROGRAM}: note: ${warning}; using ${settings.credentials.source}\n`);
    }
    const baseUrl = settings.baseUrl.value === undefined ? {} : { baseUrl: settings.baseUrl.value };
    client = new AtlasClient({ ...options.client, ...baseUrl, auth: settings.credentials.auth });
  } catch (error) {
    return fail(io, error, labels);
  }

  const controller = new AbortController();
  let stopReason;
  const stop = (reason) => {
    if (controller.signal.aborted) return;
    stopReason = reason;
    controller.abort(new Error(reason));
  };
  const handlers = Object.entries(SIGNALS).map(([signal, reason]) => {
    // A second Ctrl-C while the first is being honoured ends the process at once.
    const handler = () => (controller.signal.aborted ? process.exit(EXIT_OF_STOP[reason]) : stop(reason));
    process.on(signal, handler);
    return [signal, handler];
  });
  // A reader that went away (`| head`) ends the command; the listener stays, for late writes.
  io.stdout.on("error", (error) => stop(error.code === "EPIPE" ? "output-closed" : "interrupted"));
  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => stop("timeout"), options.timeoutMs);

  try {
    return await COMMANDS[command](options, {
      client,
      signal: controller.signal,
      stopReason: () => stopReason,
      io,
      output,
      width: terminalWidth(io.stdout, io.env),
    });
  } catch (error) {
    if (stopReason !== undefined) return stopped(io, stopReason, options);
    return fail(io, error, labels);
  } finally {
    clearTimeout(timer);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    // Revokes a service account's token; a slow or failed revocation does not hold up the exit.
    await Promise.race([client.close().catch(() => {}), delay(CLOSE_LIMIT_MS, undefined, { ref: false })]);
  }
}

async function fail(io, error, labels) {
  const { message, exitCode } = describeFailure(error, labels);
  const help = error.help === undefined ? "" : `\n\n${HELP[error.help]}`;
  await writeTo(io.stderr, `${PROGRAM}: ${message}${help}\n`);
  return exitCode;
}

/** How messages name where each thing came from: the flags as typed, variables and profile keys. */
function labelsOf(options, settings) {
  return {
    fields: {
      ...FLAG_LABELS.fields,
      ...options.labels,
      groupId: settings.project.source,
      baseUrl: settings.baseUrl.source ?? FLAG_LABELS.fields.baseUrl,
      ...settings.credentials.fieldNames,
    },
    project: settings.project.source,
    cluster: options.labels.clusterName,
    baseUrl: settings.baseUrl.ours ? `${settings.baseUrl.value} (${settings.baseUrl.source})` : settings.baseUrl.source,
    credentials: settings.credentials.source,
  };
}

/**
 * --verbose: where each setting came from, never its value (the defaults and a service's base
 * URL aside, which are ours; and a token's expiry, which is no secret).
 */
function sourcesNote(options, settings) {
  const { profile, baseUrl, credentials } = settings;
  let profileLine;
  if (profile === undefined) profileLine = "not read: no setting was left to it";
  else if (profile.found) profileLine = `${JSON.stringify(profile.name)}, in ${profile.path}${profile.chosenBy === undefined ? "" : ` (${profile.chosenBy})`}`;
  else profileLine = `${JSON.stringify(profile.name)}: not found${profile.path === undefined ? ` (${profile.why})` : ` in ${profile.path}`}`;
  const expiry = credentials.expiresAt === undefined ? "" : ` that expires at ${isoTime(credentials.expiresAt)}`;
  const rows = [
    ["project", settings.project.source],
    ["cluster", options.labels.clusterName],
    ["base URL", baseUrl.ours ? `${baseUrl.value} (${baseUrl.source})` : (baseUrl.source ?? "the default (https://cloud.mongodb.com)")],
    ["output", settings.output.source ?? `the default (${DEFAULT_OUTPUT})`],
    ["credentials", `${credentials.source} (${SCHEME_NAMES[credentials.auth.type]}${expiry})`],
    ["profile", profileLine],
  ];
  return `${PROGRAM}: where the settings came from:\n${rows.map(([name, source]) => `  ${name.padEnd(13)}${sanitize(source)}\n`).join("")}`;
}

async function stopped(io, reason, options) {
  if (reason === "timeout") {
    await writeTo(io.stderr, `${PROGRAM}: gave up after ${formatDuration(options.timeoutMs)} (--timeout)\n`);
  } else if (reason !== "output-closed") {
    await writeTo(io.stderr, `${PROGRAM}: ${reason}\n`);
  }
  return EXIT_OF_STOP[reason];
}
