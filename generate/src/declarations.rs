//! The package's TypeScript types, declared as Rust types whose doc comments become TSDoc: tsify
//! derives the interfaces natively, and `generate types` writes them to `types.d.ts` when the
//! package is built. None is compiled into the .wasm: the core reads caller values from snapshots
//! and checks responses against its own tables. Native tests keep them in step: the keys
//! declared here are the keys the core accepts (tests/declarations.rs), and the response types
//! here, the core's tables and the official spec name the same fields.

#![allow(dead_code)] // declarations only

use serde::Serialize;
use tsify::Tsify;

/// The declarations, as the text of `types.d.ts`.
pub fn typescript() -> String {
    // What callers pass in: the package treats `undefined` as absent, so under
    // `exactOptionalPropertyTypes` an optional field takes it too (`baseUrl: process.env.X`).
    let inputs = [
        ListExportJobsParams::DECL,
        ListExportJobsOptions::DECL,
        ClientCallOptions::DECL,
        RetryOptions::DECL,
        AtlasClientOptions::DECL,
        AuthOptions::DECL,
        BearerTokenAuth::DECL,
        TokenBrokerAuth::DECL,
        ServiceAccountAuth::DECL,
        DigestAuth::DECL,
        NoAuth::DECL,
        PageOptions::DECL,
        ListingOptions::DECL,
        IterateExportJobsOptions::DECL,
        ClientListingOptions::DECL,
        IntervalOptions::DECL,
        WatchOptions::DECL,
        WatchExportJobsOptions::DECL,
        ClientWatchOptions::DECL,
        WaitOptions::DECL,
        WaitForExportJobOptions::DECL,
        ClientWaitOptions::DECL,
    ];
    let outputs = [
        RetryEvent::DECL,
        ListingProgress::DECL,
        ResponseInfo::DECL,
        ExportJobsPage::DECL,
        ExportJob::DECL,
        ExportStatus::DECL,
        StateReason::DECL,
        ExportComponent::DECL,
        CustomDatum::DECL,
        Link::DECL,
        BadRequestDetail::DECL,
        FieldViolation::DECL,
        ValidationErrorFields::DECL,
        ApiErrorFields::DECL,
        DecodeErrorFields::DECL,
        PagingErrorFields::DECL,
        AuthErrorFields::DECL,
        TooLargeErrorFields::DECL,
        WaitErrorFields::DECL,
        BY_HAND,
    ];
    let mut text = String::from(
        "// The types of atlas-export-jobs, generated from the Rust declarations of generate/src/declarations.rs.\n\nimport type { AtlasError } from \"./index.js\";\n\n",
    );
    for declaration in inputs {
        text.push_str(&accepting_undefined(declaration.trim()));
        text.push_str("\n\n");
    }
    for declaration in outputs {
        text.push_str(declaration.trim());
        text.push_str("\n\n");
    }
    text
}

/// `name?: T;` becomes `name?: T | undefined;` (a function type in parentheses).
fn accepting_undefined(declaration: &str) -> String {
    let mut out = String::new();
    for line in declaration.lines() {
        let optional = line
            .split_once("?: ")
            .filter(|(name, _)| {
                let name = name.trim_start();
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            })
            .and_then(|(name, rest)| Some((name, rest.strip_suffix(';')?)));
        match optional {
            Some((name, ty)) if ty.contains("=>") => {
                out.push_str(&format!("{name}?: ({ty}) | undefined;"))
            }
            Some((name, ty)) => out.push_str(&format!("{name}?: {ty} | undefined;")),
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out
}

/// What tsify cannot express: an open union of states, the iterables and any JSON value.
const BY_HAND: &str = r#"
/**
 * The state of an export job. Atlas may add states, so any other string is possible too; the five
 * known ones still autocomplete.
 */
export type ExportState = "Queued" | "InProgress" | "Successful" | "Failed" | "Cancelled" | (string & {});

/**
 * The export jobs of a cluster, in the server's order: `for await (const job of iterable)`.
 * `pages()` iterates the pages instead. Each loop starts from the first page again.
 */
export interface ExportJobIterable {
    /** Iterates the jobs (declared with AsyncIterator, which every TypeScript version types fully). */
    [Symbol.asyncIterator](): AsyncIterator<ExportJob, void, undefined>;
    /** The pages of the listing, each with only jobs not listed before. */
    pages(): ExportJobsPageIterable;
}

/** The pages of a listing: `for await (const page of iterable.pages())`. */
export interface ExportJobsPageIterable {
    /** Iterates the pages. */
    [Symbol.asyncIterator](): AsyncIterator<ExportJobsPage, void, undefined>;
}

/** A job listed for the first time (every job of a watch's first round). */
export interface ExportJobAdded {
    /** Discriminates the event. */
    readonly type: "added";
    /** The job as listed. */
    readonly job: ExportJob;
    /** What the round's last response said (the rate limit, attempts). */
    readonly responseInfo: ResponseInfo | undefined;
}

/** A job whose state or `exportStatus` moved, and that has not finished. */
export interface ExportJobChanged {
    /** Discriminates the event. */
    readonly type: "changed";
    /** The job as listed now. */
    readonly job: ExportJob;
    /** The job as the round before listed it. */
    readonly previous: ExportJob;
    /** What the round's last response said (the rate limit, attempts). */
    readonly responseInfo: ResponseInfo | undefined;
}

/** A job that reached Successful, Failed or Cancelled. */
export interface ExportJobFinished {
    /** Discriminates the event. */
    readonly type: "finished";
    /** The job as listed now, in its final state. */
    readonly job: ExportJob;
    /** The job as the round before listed it. */
    readonly previous: ExportJob;
    /** What the round's last response said (the rate limit, attempts). */
    readonly responseInfo: ResponseInfo | undefined;
}

/** A job no longer listed. */
export interface ExportJobRemoved {
    /** Discriminates the event. */
    readonly type: "removed";
    /** The job as it was last listed. */
    readonly job: ExportJob;
    /** What the round's last response said (the rate limit, attempts). */
    readonly responseInfo: ResponseInfo | undefined;
}

/** What `watchExportJobs` yields: narrow on `type`. */
export type WatchEvent = ExportJobAdded | ExportJobChanged | ExportJobFinished | ExportJobRemoved;

/** What `onRound` is told after each round of a watch. */
export interface WatchRound {
    /** Rounds so far, this one included (failed ones too). */
    readonly round: number;
    /** How many events the round yielded. */
    readonly changes: number;
    /** What the round's last response said (the rate limit, attempts). */
    readonly responseInfo: ResponseInfo | undefined;
    /** The round failed with this, for a reason that passes (429, 502, 503, 504, no answer, a timeout): the watch lists again after `nextInMs`. */
    readonly error?: AtlasError | undefined;
    /** When the next round is due, in milliseconds; absent when the watch has ended. */
    readonly nextInMs?: number | undefined;
}

/**
 * A watch: `for await (const event of watch)`. Each loop starts it again, with a first round of
 * `added`; ending the loop (`break`, `return`, a throw, the signal) stops every request at once.
 */
export interface WatchIterable {
    /** Iterates the events (declared with AsyncIterator, which every TypeScript version types fully). */
    [Symbol.asyncIterator](): AsyncIterator<WatchEvent, void, undefined>;
}

/** Any JSON value, as Atlas puts in an error's `parameters`. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
"#;

// ---- what the caller passes --------------------------------------------------------------------

/// The first argument of `listExportJobs`: which cluster's export jobs, and which page of them.
/// Only `groupId` and `clusterName` are required; a parameter left out is not sent, and Atlas
/// applies its default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ListExportJobsParams {
    /// The project (group) id: 24 lowercase hexadecimal characters.
    pub group_id: String,
    /// The cluster's name: letters, digits and hyphens, starting with a letter or digit.
    pub cluster_name: String,
    /// Jobs per page: an integer from 1 to 500 (Atlas's default: 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items_per_page: Option<u32>,
    /// Which page: an integer from 1 (Atlas's default: 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_num: Option<u32>,
    /// Whether the page carries `totalCount` (Atlas's default: true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_count: Option<bool>,
    /// Whether Atlas wraps the response in an envelope with its status; the page you get is the
    /// same either way (Atlas's default: false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envelope: Option<bool>,
    /// Whether Atlas pretty-prints the body (Atlas's default: false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pretty: Option<bool>,
}

/// What every call may set for itself: its API version, its signal, its times, its retries and
/// how much it reads. An `AtlasClient`'s calls take just these; the rest is the client's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ClientCallOptions {
    /// `"v2"` (default) or the deprecated `"v1.0"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "\"v2\" | \"v1.0\"")]
    pub api_version: Option<String>,
    /// Aborting it stops the call at once, token requests and waits included; the error's
    /// `cause` is the signal's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "AbortSignal")]
    pub signal: Option<()>,
    /// The longest wait for one attempt's whole response, in milliseconds (default 30000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// The longest the whole call may take, token requests, retries and waits included, in
    /// milliseconds (default 120000). When it passes, the call fails with `kind: "timeout"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<u32>,
    /// Retries of 429, 502, 503, 504 and network failures: on by default, `false` turns them off,
    /// an object tunes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "boolean | RetryOptions")]
    pub retry: Option<RetryOptions>,
    /// The largest response body read, in bytes (default 8388608, 8 MiB; 1024 to 268435456). A
    /// larger body is not read past that and fails with `kind: "tooLarge"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_body_bytes: Option<u32>,
}

/// The second argument of `listExportJobs`: where Atlas is, how to authenticate, and how long to
/// wait. Every key is optional; an unknown key is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ListExportJobsOptions {
    /// Where Atlas is (default `https://cloud.mongodb.com`): an absolute URL, which may carry a
    /// path prefix for a proxy. `http:` is allowed only to loopback hosts unless
    /// `allowInsecureHttp` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// A Bearer token, sent as `Authorization: Bearer <token>`. Never shown in errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    #[serde(flatten)]
    pub per_call: ClientCallOptions,
    /// Allows `http:` to hosts that are not loopback, which sends the token unencrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_insecure_http: Option<bool>,
    /// The fetch to send requests with (a proxy's, a test double); the platform's by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "(request: Request) => Promise<Response>")]
    pub fetch: Option<()>,
}

/// `options.retry`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RetryOptions {
    /// Requests at most, the first included: an integer from 1 to 10 (default 4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_attempts: Option<u32>,
    /// The first backoff's ceiling in milliseconds, doubled for each further attempt (default 1000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_delay_ms: Option<u32>,
    /// The largest backoff in milliseconds (default 30000). A server's `Retry-After` is never shortened.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_delay_ms: Option<u32>,
    /// Milliseconds per second of a server-named delay (default 1000); lower it only to simulate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_unit_ms: Option<u32>,
    /// Called before each wait, so a UI can show "retrying in 12 s". What it throws is ignored.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "(event: RetryEvent) => void")]
    pub on_retry: Option<()>,
}

/// What `onRetry` is told before each wait.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct RetryEvent {
    /// The attempt that failed, from 1.
    pub attempt: u32,
    /// How long the client waits before the next attempt, in milliseconds.
    pub delay_ms: u32,
    /// How the attempt failed: `"api"` (an answer), `"network"` (none) or `"timeout"`.
    #[tsify(type = "\"api\" | \"network\" | \"timeout\"")]
    pub kind: String,
    /// The status of the answer, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Atlas's error code, when the answer carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// The options of `new AtlasClient(...)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AtlasClientOptions {
    #[serde(flatten)]
    pub call: ListExportJobsOptions,
    /// How the client authenticates (or `accessToken`, for a Bearer token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthOptions>,
}

/// `auth`: one of the schemes below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(untagged)]
pub enum AuthOptions {
    BearerToken(BearerTokenAuth),
    BearerProvider(TokenBrokerAuth),
    ServiceAccount(ServiceAccountAuth),
    Digest(DigestAuth),
    None(NoAuth),
}

/// A Bearer token you already hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct BearerTokenAuth {
    /// The scheme.
    #[tsify(type = "\"bearer\"")]
    pub r#type: (),
    /// The token, sent as `Authorization: Bearer <token>`.
    pub token: String,
}

/// A token broker: how a browser console can authenticate without holding a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TokenBrokerAuth {
    /// The scheme.
    #[tsify(type = "\"bearer\"")]
    pub r#type: (),
    /// Called before each request; resolve to a current token (cache it yourself). It is given
    /// the call's time: the call fails when it takes longer, or when the call's signal aborts.
    #[tsify(type = "() => string | Promise<string>")]
    pub get_token: (),
}

/// A service account (recommended): its token is requested once and reused until shortly before
/// it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountAuth {
    /// The scheme.
    #[tsify(type = "\"serviceAccount\"")]
    pub r#type: (),
    /// The service account's client id.
    pub client_id: String,
    /// The service account's secret. Never shown in errors.
    pub client_secret: String,
    /// Allows the secret in a browser, where anyone who opens the page can read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_in_browser: Option<bool>,
}

/// A legacy API key pair, by HTTP Digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct DigestAuth {
    /// The scheme.
    #[tsify(type = "\"digest\"")]
    pub r#type: (),
    /// The API key's public key (the digest user name).
    pub public_key: String,
    /// The API key's private key (the digest password). Never shown in errors.
    pub private_key: String,
    /// Allows the private key in a browser, where anyone who opens the page can read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_in_browser: Option<bool>,
}

/// No `Authorization` header at all: for a `baseUrl` that points at a proxy holding the
/// credentials (such as `createAtlasProxy` from `atlas-export-jobs/server`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Tsify)]
pub struct NoAuth {
    /// The scheme.
    #[tsify(type = "\"none\"")]
    pub r#type: (),
}

/// The pages a listing fetches: its guards and how many at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PageOptions {
    /// Fail with `kind: "paging"` rather than fetch more than this many pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<u32>,
    /// Fail with `kind: "paging"` rather than list more than this many jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u32>,
    /// Pages fetched at once once the count is known (default 4; 1 for one at a time). Jobs still
    /// come in the server's order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
}

/// The options a listing adds to a call's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ListingOptions {
    #[serde(flatten)]
    pub pages: PageOptions,
    /// `listAllExportJobs` only: called after each page with the progress so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "(progress: ListingProgress) => void")]
    pub on_progress: Option<()>,
}

/// How often a watch lists (`interval`). The defaults keep a watch well inside Atlas's rate limit
/// for a project; each round is one listing of every page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct IntervalOptions {
    /// Between rounds while a followed job is Queued or InProgress, or a named one has not
    /// appeared yet (default 15000). Doubled while `RateLimit-Remaining` is 2 or less.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub running_ms: Option<u32>,
    /// Between rounds while no followed job runs, with `until: "never"` (default 60000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub idle_ms: Option<u32>,
    /// The longest wait after rounds that failed in a row (default 300000); each failed round
    /// (after its own retries) doubles the wait, and a server's `Retry-After` is always honoured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_backoff_ms: Option<u32>,
}

/// What `watchExportJobs` adds to a listing's options.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct WatchOptions {
    /// Follow only these jobs (1 to 1000 ids of 24 lowercase hex characters). With `until:
    /// "allFinished"`, each must appear and finish (or be removed) before the watch ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "readonly string[]")]
    pub job_ids: Option<Vec<String>>,
    /// `"allFinished"` (the default): end once every followed job is Successful, Failed or
    /// Cancelled (a state the package does not know counts as running). `"never"`: the loop ends
    /// only with `break`, `return` or the signal.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "\"allFinished\" | \"never\"")]
    pub until: Option<String>,
    /// How often to list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<IntervalOptions>,
    /// With `jobIds`: end the loop with `kind: "notFound"` if one of them is not listed within
    /// this long (default 60000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appear_timeout_ms: Option<u32>,
    /// Called after each round's events (what it throws is ignored): when the watch lists, and
    /// when it waits out a failed round.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "(round: WatchRound) => void")]
    pub on_round: Option<()>,
}

/// The options of the free `watchExportJobs`: a listing's (without `onProgress`) and the watch's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct WatchExportJobsOptions {
    #[serde(flatten)]
    pub call: ListExportJobsOptions,
    #[serde(flatten)]
    pub pages: PageOptions,
    #[serde(flatten)]
    pub watch: WatchOptions,
}

/// The options of an `AtlasClient`'s `watchExportJobs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct ClientWatchOptions {
    #[serde(flatten)]
    pub call: ClientCallOptions,
    #[serde(flatten)]
    pub pages: PageOptions,
    #[serde(flatten)]
    pub watch: WatchOptions,
}

/// What `waitForExportJob` adds to a listing's options. Its `timeoutMs` bounds the whole wait:
/// each request keeps the default per-request timeout (30 s).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct WaitOptions {
    /// Reject with `kind: "timeout"` if the job has not finished within this long (default: wait
    /// as long as it takes; end it with `signal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// Reject with `kind: "notFound"` if the job is not listed within this long (default 60000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appear_timeout_ms: Option<u32>,
    /// Called with the job when it is first listed and each time its state or `exportStatus`
    /// moves (what it throws is ignored).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "(job: ExportJob) => void")]
    pub on_progress: Option<()>,
    /// How often to list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<IntervalOptions>,
}

/// The options of the free `waitForExportJob`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct WaitForExportJobOptions {
    #[serde(flatten)]
    pub call: ListExportJobsOptions,
    #[serde(flatten)]
    pub pages: PageOptions,
    #[serde(flatten)]
    pub wait: WaitOptions,
}

/// The options of an `AtlasClient`'s `waitForExportJob`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct ClientWaitOptions {
    #[serde(flatten)]
    pub call: ClientCallOptions,
    #[serde(flatten)]
    pub pages: PageOptions,
    #[serde(flatten)]
    pub wait: WaitOptions,
}

/// The options of the free `iterateExportJobs` and `listAllExportJobs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct IterateExportJobsOptions {
    #[serde(flatten)]
    pub call: ListExportJobsOptions,
    #[serde(flatten)]
    pub listing: ListingOptions,
}

/// The options of an `AtlasClient`'s `iterateExportJobs` and `listAllExportJobs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct ClientListingOptions {
    #[serde(flatten)]
    pub call: ClientCallOptions,
    #[serde(flatten)]
    pub listing: ListingOptions,
}

/// What `onProgress` is told after each page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ListingProgress {
    /// Pages received so far.
    pub pages_done: u32,
    /// Jobs listed so far.
    pub items_so_far: u32,
    /// The server's count of all jobs, when it sends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
}

/// Facts about the last response of a call, read with `responseInfo(pageOrError)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ResponseInfo {
    /// How many requests the call sent to the API, retries included.
    pub attempts: u32,
    /// The HTTP status of the last response; absent when none arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// `RateLimit-Limit`: the requests the project may make in the current window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_limit: Option<u32>,
    /// `RateLimit-Remaining`: the requests left in the current window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_remaining: Option<u32>,
    /// `Retry-After` as the client writes it from what it parsed: the seconds in digits
    /// (`"120"`), or the date as an IMF-fixdate (`"Sun, 06 Nov 1994 08:49:37 GMT"`); absent when
    /// the header was not one of those.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<String>,
}

// ---- what the API answers (the spec's schemas, field for field) --------------------------------

/// One page of export jobs (`PaginatedApiAtlasDiskBackupExportJobView`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExportJobsPage {
    /// Links to this page (`self`) and its neighbours (`next`, absent on the last page;
    /// `previous`, absent on the first).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// The export jobs on this page.
    pub results: Vec<ExportJob>,
    /// How many jobs there are in all: an estimate, absent when the request set `includeCount: false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i32>,
}

/// One snapshot export job (`DiskBackupExportJob`). Only `exportBucketId` is required by the spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExportJob {
    /// One entry per shard of a sharded cluster: the export of each replica set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<ExportComponent>>,
    /// When a user or Atlas created the job: ISO 8601 in UTC, as Atlas sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Key/value pairs written into the metadata file Atlas uploads when the job finishes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Vec<CustomDatum>>,
    /// The export bucket the job writes to: 24 hexadecimal characters. The only field the spec requires.
    pub export_bucket_id: String,
    /// How many collections have been exported so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export_status: Option<ExportStatus>,
    /// When the job completed: ISO 8601 in UTC, absent while the job is still running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// The export job's own id: 24 hexadecimal characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Links to this job and related resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// The prefix of every blob-storage object the job uploads, as Atlas sent it (real prefixes do not
    /// match the spec's documented pattern, so it is not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The snapshot being exported: 24 hexadecimal characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// Where the job is in its life: `Queued`, `InProgress`, `Successful`, `Failed` or `Cancelled`
    /// (or a newer state, kept as Atlas named it).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "ExportState")]
    pub state: Option<String>,
    /// Why the job failed; set when `state` is `Failed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<StateReason>,
}

/// Progress of an export job (`ExportStatus`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExportStatus {
    /// Collections whose documents have been exported to the bucket.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported_collections: Option<i32>,
    /// Collections the job will export in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_collections: Option<i32>,
}

/// Why a job is in its state (`StateReason`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct StateReason {
    /// A code for the reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The reason in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The export of one shard of a sharded cluster (`DiskBackupExportMember`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ExportComponent {
    /// The export job of this shard: 24 hexadecimal characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub export_id: Option<String>,
    /// The name of the shard's replica set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replica_set_name: Option<String>,
}

/// One key/value pair of custom metadata (`BackupLabel`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct CustomDatum {
    /// The metadata key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The metadata value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A related resource (`Link`, RFC 5988). `href` names the server's host, which may differ from
/// the base URL the client used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct Link {
    /// The related resource's URL (usually under `https://cloud.mongodb.com/api/atlas`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// How it relates: `self`, `next`, `previous`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}

/// What was wrong with a request (`BadRequestDetail`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct BadRequestDetail {
    /// Every rule the request broke.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldViolation>>,
}

/// One violated rule (`FieldViolation`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct FieldViolation {
    /// The path to the offending field.
    pub field: String,
    /// Why it is wrong.
    pub description: String,
}

// ---- the fields of each kind of AtlasError ------------------------------------------------------

/// A parameter or option broke a rule; nothing was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct ValidationErrorFields {
    /// The parameter or option at fault, as the caller spelled it (`groupId`, `retry.maxAttempts`).
    pub field: String,
}

/// Atlas, or something in front of it, answered with an error status (`ApiError`), or with a
/// redirect, which is never followed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorFields {
    /// The HTTP status of the response (`0` for a redirect a browser hides).
    pub status: u16,
    /// Atlas's code for the error (`CLUSTER_NOT_FOUND`); absent when the body was not an Atlas error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The status's reason phrase (`Not Found`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What exactly went wrong, in Atlas's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Facts about the error (the names and values involved).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "JsonValue[]")]
    pub parameters: Option<()>,
    /// Which request fields broke which rule (on 400 responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<BadRequestDetail>,
    /// The body text when it was not an Atlas error document (a proxy's HTML page, say), at most
    /// 16 KiB, with every credential the client holds replaced by `[redacted]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// For a redirect: where it pointed, as an origin only (`https://host:port`), never a path or query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// A successful response whose body is not the documented page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
pub struct DecodeErrorFields {
    /// Where in the body it went wrong, as a JSON path (`$.results[3].state`).
    pub path: String,
    /// The HTTP status of the response.
    pub status: u16,
}

/// Why a listing stopped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct PagingErrorFields {
    /// What happened: `"maxPages"` or `"maxItems"` (a guard of the caller's was reached),
    /// `"samePage"` (the server sent the same page again), `"noNewJobs"` (a full page of jobs
    /// already listed) or `"tooManyPages"` (more pages than the server's own count allows).
    #[tsify(
        type = "\"maxPages\" | \"maxItems\" | \"samePage\" | \"noNewJobs\" | \"tooManyPages\""
    )]
    pub reason: String,
    /// Pages received so far.
    pub pages_fetched: u32,
    /// Jobs handed to the caller so far.
    pub items_yielded: u32,
}

/// Authentication failed before the API could answer, or a token could not be revoked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct AuthErrorFields {
    /// The token endpoint's HTTP status, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The token endpoint's OAuth error code (`invalid_client`, ...), when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The token endpoint's description of the error, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// On a 429 from the token endpoint: how long it asked to wait, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u32>,
    /// For a redirect: where it pointed, as an origin only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
}

/// Waiting for an export job ended without it finishing: it was never listed or went away
/// (`kind: "notFound"`), or it did not finish within `timeoutMs` (`kind: "timeout"`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct WaitErrorFields {
    /// The job waited for.
    pub export_job_id: String,
    /// Its state when last listed; absent when it never was.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[tsify(type = "ExportState")]
    pub state: Option<String>,
}

/// A response body larger than `maxBodyBytes`; it was not read past that.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Tsify)]
#[serde(rename_all = "camelCase")]
pub struct TooLargeErrorFields {
    /// The HTTP status of the response.
    pub status: u16,
    /// The limit the body passed, in bytes.
    pub max_body_bytes: u32,
}
