// What a failure looks like on the command line: one line on stderr that says what happened and,
// for the common cases, what to check; and an exit code that tells a script which kind it was.
import { isAtlasError } from "../node.mjs";

import { sanitize } from "./text.mjs";

/** The exit codes, documented in `atlas-export-jobs --help`. */
export const EXIT = Object.freeze({
  ok: 0,
  failed: 1, // watch: a job failed, was cancelled or stopped being listed before it finished
  usage: 2, // a wrong command line, a setting that cannot be used, or a parameter the library refused before sending anything
  api: 3, // Atlas (or a proxy) answered with an error, or with a page that is not the documented one
  network: 4, // no answer, no answer in time, or a watch that ran out of --timeout or --max-polls
  auth: 5, // no credentials, or credentials Atlas or its token endpoint refused
  internal: 70, // a bug in this command
  interrupted: 130, // Ctrl-C (SIGINT)
});

/** A mistake on the command line. */
export class UsageError extends Error {
  name = "UsageError";
}

/** No usable credentials: none, a profile's kept in the system keyring, or an expired token. */
export class CredentialsError extends Error {
  name = "CredentialsError";
}

/**
 * Where things came from, as messages name them (the flag as typed, the variable, or the
 * profile's key): `fields` for each library field, and the project, cluster, base URL (undefined
 * for the default) and credentials. These are the flags, before the settings are resolved.
 */
export const FLAG_LABELS = Object.freeze({
  fields: {
    groupId: "--project",
    clusterName: "--cluster",
    itemsPerPage: "--items-per-page",
    pageNum: "--page",
    includeCount: "--no-count",
    apiVersion: "--api-version",
    baseUrl: "--base-url",
    timeoutMs: "--request-timeout",
    "retry.maxAttempts": "--retries (requests: retries + 1)",
  },
  project: "--project",
  cluster: "--cluster",
  baseUrl: undefined,
  credentials: "the credentials",
});

const API_HINTS = {
  401: (labels) => `check the key or service account (${labels.credentials}), and that it has a role on this project (Project Backup Manager or higher)`,
  403: () => "check the IP access list of the API key or service account: this machine's address must be on it",
  404: (labels) => `check the project id (${labels.project}) and the cluster name (${labels.cluster})`,
  429: () => "the project's request budget for this endpoint is used up; wait a minute, or poll less often (--interval)",
};

/**
 * The line to print (without the program's name) and the exit code for `error`, whatever was
 * thrown, naming where things came from with `labels` (see FLAG_LABELS). Every part that came from
 * a server is stripped of control characters; credentials never reach an AtlasError, and the
 * other errors here name variables and profile keys, never values.
 * @returns {{message: string, exitCode: number}}
 */
export function describeFailure(error, labels = FLAG_LABELS) {
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof CredentialsError) return { message: error.message, exitCode: EXIT.auth };
  if (!isAtlasError(error)) {
    return { message: `internal error (please report it): ${sanitize(error?.stack ?? error)}`, exitCode: EXIT.internal };
  }
  const text = sanitize(error.message);
  switch (error.kind) {
    case "validation": {
      const source = labels.fields[error.field];
      const where = source === undefined ? "" : ` ${source}`;
      // A malformed credential is a credentials problem, whichever rule it broke.
      const isCredential = error.field?.startsWith("auth.");
      return { message: `invalid${where}: ${text}`, exitCode: isCredential ? EXIT.auth : EXIT.usage };
    }
    case "api": {
      const facts = [error.status, error.errorCode].filter((fact) => fact !== undefined).join(" ");
      const detail = error.detail === undefined ? text : sanitize(error.detail);
      return {
        message: withHint(`api error ${facts}: ${detail}`, API_HINTS[error.status]?.(labels)),
        exitCode: error.status === 401 ? EXIT.auth : EXIT.api,
      };
    }
    case "auth": {
      // The token endpoint's refusal: its facts, in its words when it gave some.
      const facts = [error.status, error.errorCode].filter((fact) => fact !== undefined).join(" ");
      const detail = error.detail === undefined ? text : sanitize(error.detail);
      const hint =
        error.status === 429
          ? "the token endpoint allows 10 requests a minute; wait a minute and try again"
          : `the service account was refused; check ${labels.credentials}`;
      return { message: withHint(`auth error${facts && ` ${facts}`}: ${detail}`, hint), exitCode: EXIT.auth };
    }
    case "network":
      return {
        message: withHint(
          `network error: ${text}`,
          labels.baseUrl === undefined ? "check that this machine can reach Atlas, or give a proxy with --base-url" : `check ${labels.baseUrl} and that this machine can reach it`,
        ),
        exitCode: EXIT.network,
      };
    case "timeout":
      return { message: withHint(`timeout: ${text}`, "try again, or allow longer with --request-timeout"), exitCode: EXIT.network };
    case "aborted":
      return { message: "interrupted", exitCode: EXIT.interrupted };
    case "notFound":
      // A --job that Atlas never listed: as for a cluster that is not there, check what was typed.
      return { message: withHint(`not found: ${text}`, `check the --job ids and the cluster name (${labels.cluster})`), exitCode: EXIT.api };
    case "decode":
      return { message: `decode error at ${sanitize(error.path ?? "$")}: ${text}`, exitCode: EXIT.api };
    case "paging":
      return { message: `paging error (${sanitize(error.reason)}): ${text}`, exitCode: EXIT.api };
    default:
      return { message: `${sanitize(error.kind)} error: ${text}`, exitCode: EXIT.api };
  }
}

function withHint(message, hint) {
  if (hint === undefined) return message;
  return `${message}${/[.!?]$/.test(message) ? "" : "."} Hint: ${hint}.`;
}
