// Public types of atlas-export-jobs. The data types are generated from the Rust declarations
// (types.d.ts); the functions, the client and the error class, whose `kind` selects its fields,
// are declared here.
import type {
  ApiErrorFields,
  AtlasClientOptions,
  ClientWaitOptions,
  ClientWatchOptions,
  WaitErrorFields,
  WaitForExportJobOptions,
  WatchExportJobsOptions,
  WatchIterable,
  IterateExportJobsOptions,
  AuthErrorFields,
  ClientCallOptions,
  ClientListingOptions,
  ExportJob,
  ExportJobIterable,
  ExportJobsPage,
  ListExportJobsOptions,
  ListExportJobsParams,
  DecodeErrorFields,
  PagingErrorFields,
  ResponseInfo,
  TooLargeErrorFields,
  ValidationErrorFields,
} from "./types.js";
export type {
  ApiErrorFields,
  AtlasClientOptions,
  ClientWaitOptions,
  ClientWatchOptions,
  ExportJobAdded,
  ExportJobChanged,
  ExportJobFinished,
  ExportJobRemoved,
  IntervalOptions,
  PageOptions,
  WaitErrorFields,
  WaitForExportJobOptions,
  WaitOptions,
  WatchEvent,
  WatchExportJobsOptions,
  WatchIterable,
  WatchOptions,
  WatchRound,
  AuthErrorFields,
  AuthOptions,
  BearerTokenAuth,
  DigestAuth,
  ServiceAccountAuth,
  TokenBrokerAuth,
  ClientCallOptions,
  ClientListingOptions,
  BadRequestDetail,
  CustomDatum,
  DecodeErrorFields,
  ExportComponent,
  ExportJob,
  ExportJobIterable,
  ExportJobsPage,
  ExportJobsPageIterable,
  ExportState,
  ExportStatus,
  FieldViolation,
  IterateExportJobsOptions,
  JsonValue,
  ListingOptions,
  Link,
  ListExportJobsOptions,
  ListExportJobsParams,
  ListingProgress,
  NoAuth,
  PagingErrorFields,
  ResponseInfo,
  RetryEvent,
  RetryOptions,
  StateReason,
  TooLargeErrorFields,
  ValidationErrorFields,
} from "./types.js";

/**
 * Lists one page of a cluster's Cloud Backup snapshot export jobs. Every failure rejects with an
 * `AtlasError`; invalid parameters or options are rejected before any request is sent.
 */
export declare function listExportJobs(params: ListExportJobsParams, options?: ListExportJobsOptions): Promise<ExportJobsPage>;

/**
 * Lists every export job of a cluster, lazily: an async iterable of jobs in the server's order,
 * whose `.pages()` gives the pages instead. Pages are fetched when the loop wants them (up to
 * `concurrency` ahead once the count is known); `break` (or `return`, or a throw) aborts what the
 * loop started, the pages fetched ahead included, and sends no further request. Invalid arguments
 * throw at once (in the browser entry, once the module has loaded; before that, at the loop's
 * first step).
 */
export declare function iterateExportJobs(params: ListExportJobsParams, options?: IterateExportJobsOptions): ExportJobIterable;

/** Lists every export job of a cluster into one array, calling `onProgress` after each page. */
export declare function listAllExportJobs(params: ListExportJobsParams, options?: IterateExportJobsOptions): Promise<ExportJob[]>;

/**
 * Follows a cluster's export jobs as they run: an async iterable of events (`added`, `changed`,
 * `finished`, `removed`, narrowed on `type`), each with the job and the round's `responseInfo`.
 * The first round yields `added` for every job listed, so a view can be built from events alone.
 * Each round lists every page, with the same paging and retries as `listAllExportJobs`; rounds
 * come every 15 s while a followed job runs and every 60 s when none does (`interval`), later when
 * the rate limit runs low or a 429 asks; `onRound` is told of each. The call options apply to each
 * round (`timeoutMs` to each request, `deadlineMs` to each page's retries). With `until:
 * "allFinished"` (the default) the loop ends once every followed job is Successful, Failed or
 * Cancelled; with `jobIds`, one not listed within `appearTimeoutMs` ends it with `kind:
 * "notFound"`. `break`, `return` or the `signal` stops every request and wait at once. A round
 * that fails for a reason that passes (429, 502, 503, 504, no answer, a timeout) is tried again
 * after a backoff, up to 5 in a row; any other failure ends the loop with its `AtlasError`. Invalid arguments throw at once (in the browser
 * entry, once the module has loaded; before that, at the loop's first step).
 */
export declare function watchExportJobs(params: ListExportJobsParams, options?: WatchExportJobsOptions): WatchIterable;

/**
 * Waits for one export job to finish and resolves with it as last listed: Successful, Failed or
 * Cancelled alike (check `job.state`). Rejects with `kind: "notFound"` when the job is not listed
 * within `appearTimeoutMs` or goes away, with `kind: "timeout"` past `timeoutMs`, and with
 * `kind: "aborted"` when `signal` fires; `onProgress(job)` is told each move.
 */
export declare function waitForExportJob(params: ListExportJobsParams, exportJobId: string, options?: WaitForExportJobOptions): Promise<ExportJob>;

/** What every `AtlasError` has, whatever its kind. */
export interface AtlasErrorBase extends Error {
  /** Always `"AtlasError"`. */
  readonly name: "AtlasError";
  /** One sentence saying what happened, with the facts that explain it. Never holds a credential. */
  readonly message: string;
}

/** A parameter or option broke a rule; nothing was sent. */
export interface AtlasValidationError extends AtlasErrorBase, ValidationErrorFields {
  /** Discriminates the error's fields. */
  readonly kind: "validation";
  /** What a getter or Proxy trap threw, when reading the field did. */
  readonly cause?: unknown | undefined;
}

/** Atlas, or a proxy in front of it, answered with an error status. */
export interface AtlasApiError extends AtlasErrorBase, ApiErrorFields {
  /** Discriminates the error's fields. */
  readonly kind: "api";
}

/** No response arrived: the connection was refused or reset, or DNS, TLS or CORS failed. */
export interface AtlasNetworkError extends AtlasErrorBase {
  /** Discriminates the error's fields. */
  readonly kind: "network";
  /** fetch's own rejection, untouched (in Node, a `TypeError` whose `cause.code` is e.g. `ECONNREFUSED`). */
  readonly cause: unknown;
}

/** No complete response arrived within `timeoutMs` or `deadlineMs`, or (`waitForExportJob`) the job did not finish within `timeoutMs`. */
export interface AtlasTimeoutError extends AtlasErrorBase, Partial<WaitErrorFields> {
  /** Discriminates the error's fields. */
  readonly kind: "timeout";
  /** The platform's `TimeoutError`. */
  readonly cause: unknown;
}

/** `waitForExportJob`: the job was not listed within `appearTimeoutMs`, or went away before it finished. */
export interface AtlasNotFoundError extends AtlasErrorBase, WaitErrorFields {
  /** Discriminates the error's fields. */
  readonly kind: "notFound";
}

/** The caller's `AbortSignal` fired. */
export interface AtlasAbortedError extends AtlasErrorBase {
  /** Discriminates the error's fields. */
  readonly kind: "aborted";
  /** The signal's `reason`, whatever it was. */
  readonly cause: unknown;
}

/** A successful response whose body is not the documented page. */
export interface AtlasDecodeError extends AtlasErrorBase, DecodeErrorFields {
  /** Discriminates the error's fields. */
  readonly kind: "decode";
}

/** Authentication failed before the API could answer (the token endpoint refused, a token broker failed, a secret was refused in a browser), or `close()` could not revoke the token. */
export interface AtlasAuthError extends AtlasErrorBase, AuthErrorFields {
  /** Discriminates the error's fields. */
  readonly kind: "auth";
  /** What the token broker threw or rejected with, when it did. */
  readonly cause?: unknown | undefined;
}

/** A response body larger than `maxBodyBytes`: it was not read past that. */
export interface AtlasTooLargeError extends AtlasErrorBase, TooLargeErrorFields {
  /** Discriminates the error's fields. */
  readonly kind: "tooLarge";
}

/** A bug in the package: a state its own code should never reach. Its message names what, to report. */
export interface AtlasInternalError extends AtlasErrorBase {
  /** Discriminates the error's fields. */
  readonly kind: "internal";
  /** What one of the package's own helpers threw, when one did. */
  readonly cause?: unknown | undefined;
}

/** The package's WebAssembly module could not be fetched or compiled (the browser entry loads it on first use). */
export interface AtlasLoadError extends AtlasErrorBase {
  /** Discriminates the error's fields. */
  readonly kind: "load";
  /** What fetching or compiling the module failed with. */
  readonly cause: unknown;
}

/** A listing stopped: a guard of the caller's (`maxPages`, `maxItems`) or a misbehaving server. */
export interface AtlasPagingError extends AtlasErrorBase, PagingErrorFields {
  /** Discriminates the error's fields. */
  readonly kind: "paging";
}

/**
 * The one error every failure of this package rejects with. Narrow on `kind` to read the fields
 * of that kind: `if (error.kind === "api") console.log(error.status, error.errorCode)`.
 */
export type AtlasError =
  | AtlasValidationError
  | AtlasApiError
  | AtlasNetworkError
  | AtlasTimeoutError
  | AtlasNotFoundError
  | AtlasAbortedError
  | AtlasDecodeError
  | AtlasPagingError
  | AtlasAuthError
  | AtlasTooLargeError
  | AtlasLoadError
  | AtlasInternalError;

/** The kinds of `AtlasError`. */
export type AtlasErrorKind = AtlasError["kind"];

/** The `AtlasError` class, for `instanceof` checks (`isAtlasError` also recognises other copies of the package). */
export declare const AtlasError: {
  /** Makes an error of `kind` with `fields` (and `cause`, when `fields` has one). */
  new (kind: AtlasErrorKind, message: string, fields: object): AtlasError;
  /** Every AtlasError inherits from it, so `instanceof AtlasError` narrows to the union. */
  readonly prototype: AtlasError;
};

/** Whether `value` is an `AtlasError`, from this copy of the package or another. */
export declare function isAtlasError(value: unknown): value is AtlasError;

/**
 * What the call learned beyond the page: attempts made, the status, `RateLimit-Limit`,
 * `RateLimit-Remaining` and `Retry-After`. Works on a page from `listExportJobs` and on an
 * `AtlasError`; `undefined` for anything else. It is not part of the page's own fields, so
 * serialising the page gives exactly the API's shape.
 */
export declare function responseInfo(value: unknown): ResponseInfo | undefined;

/**
 * A client for one Atlas (or proxy): its credentials and defaults serve every call, so a service
 * account's token or a digest nonce is obtained once, not per call. Options are checked when it is
 * made (in the browser entry, at the first call if the module has not loaded yet); nothing is sent.
 */
export declare class AtlasClient {
  /** Checks the options and keeps them; a secret in a browser is refused unless allowed. */
  constructor(options: AtlasClientOptions);
  /** Lists one page with the client's credentials and defaults. */
  listExportJobs(params: ListExportJobsParams, callOptions?: ClientCallOptions): Promise<ExportJobsPage>;
  /** Lists every job lazily, like the free `iterateExportJobs`. */
  iterateExportJobs(params: ListExportJobsParams, callOptions?: ClientListingOptions): ExportJobIterable;
  /** Lists every job into one array, like the free `listAllExportJobs`. */
  listAllExportJobs(params: ListExportJobsParams, callOptions?: ClientListingOptions): Promise<ExportJob[]>;
  /** Follows the cluster's export jobs with the client's credentials and defaults, like the free `watchExportJobs`. */
  watchExportJobs(params: ListExportJobsParams, callOptions?: ClientWatchOptions): WatchIterable;
  /** Waits for one export job to finish, like the free `waitForExportJob`. */
  waitForExportJob(params: ListExportJobsParams, exportJobId: string, callOptions?: ClientWaitOptions): Promise<ExportJob>;
  /** Ends the client: a service account's token is revoked; a refusal rejects with `kind: "auth"`. */
  close(): Promise<void>;
}

/**
 * Checks `listExportJobs`'s arguments without sending anything: the validation error it would
 * reject with, or `undefined`. In the browser entry, `await ready()` first.
 */
export declare function checkListExportJobs(params: ListExportJobsParams, options?: ListExportJobsOptions): AtlasValidationError | undefined;

/** What `ready()` may be handed. */
export interface ReadyOptions {
  /**
   * The package's WebAssembly module, handed in rather than fetched: a `WebAssembly.Module` (what
   * `import wasm from "atlas-export-jobs/atlas_export_jobs_lean_bg.wasm"` gives in Cloudflare
   * Workers) or the .wasm file's bytes. The lean file serves bearer tokens, token brokers and no
   * auth; the full one (`atlas_export_jobs_bg.wasm`) also service accounts and API keys. Node
   * needs none: its entry carries the full module.
   */
  module?: object | ArrayBuffer | ArrayBufferView | undefined;
}

/**
 * Loads the WebAssembly module now rather than at the first call (in Node, instantiates the one
 * it carries). Rejects with `kind: "load"` when it cannot be loaded.
 */
export declare function ready(options?: ReadyOptions): Promise<void>;
