// The command: reads the command line and the environment, makes one AtlasClient, runs `list` or
// `watch` under one signal that Ctrl-C, SIGTERM, --timeout and a closed stdout all abort, and
// turns the outcome into an exit code.
import { readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";

import { AtlasClient } from "../node.mjs";

import { parseCommandLine, PROGRAM } from "./args.mjs";
import { authFromEnvironment } from "./credentials.mjs";
import { formatDuration } from "./duration.mjs";
import { describeFailure, EXIT } from "./errors.mjs";
import { list } from "./list.mjs";
import { defaultOutput, writeTo } from "./output.mjs";
import { terminalWidth } from "./text.mjs";
import { watch } from "./watch.mjs";

const COMMANDS = { list, watch };
/** How long revoking a service account's token may hold up the exit. */
const CLOSE_LIMIT_MS = 2_000;
const EXIT_OF_STOP = { interrupted: EXIT.interrupted, terminated: 143, timeout: EXIT.network, "output-closed": EXIT.ok };
const SIGNALS = { SIGINT: "interrupted", SIGTERM: "terminated" };

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
    await writeTo(io.stdout, parsed.text);
    return EXIT.ok;
  }
  if (parsed.kind === "version") {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    await writeTo(io.stdout, `${version}\n`);
    return EXIT.ok;
  }

  const { command, options } = parsed;
  let client;
  try {
    const credentials = authFromEnvironment(io.env);
    for (const warning of credentials.warnings) {
      await writeTo(io.stderr, `${PROGRAM}: note: ${warning}; using ${credentials.variables.join(" and ")}\n`);
    }
    client = new AtlasClient({ ...options.client, auth: credentials.auth });
  } catch (error) {
    return fail(io, error);
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
      output: options.output ?? defaultOutput(io.stdout),
      width: terminalWidth(io.stdout, io.env),
    });
  } catch (error) {
    if (stopReason !== undefined) return stopped(io, stopReason, options);
    return fail(io, error);
  } finally {
    clearTimeout(timer);
    for (const [signal, handler] of handlers) process.off(signal, handler);
    // Revokes a service account's token; a slow or failed revocation does not hold up the exit.
    await Promise.race([client.close().catch(() => {}), delay(CLOSE_LIMIT_MS, undefined, { ref: false })]);
  }
}

async function fail(io, error) {
  const { message, exitCode } = describeFailure(error);
  await writeTo(io.stderr, `${PROGRAM}: ${message}\n`);
  return exitCode;
}

async function stopped(io, reason, options) {
  if (reason === "timeout") {
    await writeTo(io.stderr, `${PROGRAM}: gave up after ${formatDuration(options.timeoutMs)} (--timeout)\n`);
  } else if (reason !== "output-closed") {
    await writeTo(io.stderr, `${PROGRAM}: ${reason}\n`);
  }
  return EXIT_OF_STOP[reason];
}
