//! Every failure a call can end in, as facts: a kind, a code for what happened, and the values
//! that explain it. The wasm shell makes one JavaScript `AtlasError` of each, writing its message
//! from these facts and attaching the platform's original error as `cause` where there is one.

use crate::error::facts::{Describe, Facts};
use alloc::{borrow::ToOwned, boxed::Box, string::String};

pub mod codes;
pub mod facts;
pub mod json;
pub mod redact;

/// A caller mistake, found before any request is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// The parameter or option at fault, as the caller spelled it (`groupId`, `retry.maxAttempts`).
    pub field: String,
    pub problem: Problem,
}

impl ValidationError {
    pub fn new(field: &str, problem: Problem) -> Self {
        ValidationError {
            field: field.to_owned(),
            problem,
        }
    }
}

/// What is wrong with a field. Values shown back are the caller's own, never a credential.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Required,
    /// An argument that must be an object is not one.
    NotAnObject {
        found: Found,
    },
    UnknownKey {
        set: KeySet,
        suggestion: Option<&'static str>,
    },
    WrongType {
        expected: &'static str,
        found: Found,
    },
    NotInteger {
        value: f64,
    },
    /// `max` is absent when only the minimum matters.
    OutOfRange {
        min: f64,
        max: Option<f64>,
        value: f64,
    },
    /// The value does not match the rule named by `rule` (`groupId`, `clusterName`, `apiVersion`,
    /// `authType`, `token`: the last never shows the value).
    Pattern {
        rule: &'static str,
        value: Option<String>,
    },
    /// A base URL rule; `url` is the value with any user info, query and fragment replaced.
    BaseUrl {
        rule: &'static str,
        url: String,
    },
    /// A list with too few or too many items.
    #[cfg(feature = "watch")]
    Count {
        min: u64,
        max: u64,
        count: u64,
    },
    /// Longer than the client sends (the request URL, a host name).
    TooLong {
        max: u64,
    },
    /// Given more than once (a query parameter repeated in a request's query string).
    Repeated,
    /// Two settings that exclude each other.
    Conflict {
        other: &'static str,
    },
    /// A client was made with no way to authenticate.
    NoAuth,
    /// Reading the value threw (a getter or a Proxy trap): the shell keeps what it threw as `cause`.
    Unreadable,
    /// An auth scheme this build leaves out (the browser's lean build).
    NotInThisBuild {
        scheme: &'static str,
    },
}

/// What was found instead of the expected value, as messages show it.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Kind(&'static str),
    Number(f64),
    String(String),
}

impl Describe for ValidationError {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.text("field", &self.field);
        let code = match &self.problem {
            Problem::Required => "required",
            Problem::NotAnObject { found } => {
                found.describe(facts);
                "notAnObject"
            }
            Problem::UnknownKey { set, suggestion } => {
                facts.text("keySet", set.code());
                if let Some(suggestion) = suggestion {
                    facts.text("suggestion", suggestion);
                }
                "unknownKey"
            }
            Problem::WrongType { expected, found } => {
                facts.text("expected", expected);
                found.describe(facts);
                "wrongType"
            }
            Problem::NotInteger { value } => {
                facts.number("value", *value);
                "notInteger"
            }
            Problem::OutOfRange { min, max, value } => {
                facts.number("min", *min);
                if let Some(max) = max {
                    facts.number("max", *max);
                }
                facts.number("value", *value);
                "outOfRange"
            }
            Problem::Pattern { rule, value } => {
                facts.text("rule", rule);
                if let Some(value) = value {
                    facts.text("value", value);
                }
                "pattern"
            }
            Problem::BaseUrl { rule, url } => {
                facts.text("rule", rule);
                facts.text("value", url);
                "baseUrl"
            }
            Problem::TooLong { max } => {
                facts.number("max", *max as f64);
                "tooLong"
            }
            #[cfg(feature = "watch")]
            Problem::Count { min, max, count } => {
                facts.number("min", *min as f64);
                facts.number("max", *max as f64);
                facts.number("count", *count as f64);
                "count"
            }
            Problem::Repeated => "repeated",
            Problem::Conflict { other } => {
                facts.text("other", other);
                "conflict"
            }
            Problem::NoAuth => "noAuth",
            Problem::Unreadable => "unreadable",
            Problem::NotInThisBuild { scheme } => {
                facts.text("scheme", scheme);
                "notInThisBuild"
            }
        };
        facts.text("code", code);
    }
}

impl Describe for Found {
    fn describe(&self, facts: &mut dyn Facts) {
        match self {
            Found::Kind(kind) => facts.text("found", kind),
            Found::Number(n) => {
                facts.text("found", "number");
                facts.number("foundValue", *n);
            }
            Found::String(s) => {
                facts.text("found", "string");
                facts.text("foundValue", s);
            }
        }
    }
}

/// Whether an answer with `status` is a redirect, which is never followed: 3xx, or 0, as a
/// browser's `redirect: "manual"` hides a redirect behind an opaque response.
pub fn is_redirect(status: u16) -> bool {
    status == 0 || (300..400).contains(&status)
}

/// Atlas, or something in front of it, answered with an error status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiFailure {
    /// The HTTP status (an envelope's, when the body carried one).
    pub status: u16,
    /// Atlas's code for the error (`CLUSTER_NOT_FOUND`); absent when the body was not an Atlas error.
    pub error_code: Option<String>,
    /// The status's reason phrase (`Not Found`).
    pub reason: Option<String>,
    /// What exactly went wrong, in Atlas's words.
    pub detail: Option<String>,
    /// Atlas's `parameters`, as JSON text.
    pub parameters: Option<String>,
    /// Atlas's `badRequestDetail`, as JSON text.
    pub bad_request_detail: Option<String>,
    /// The body text when it was not an Atlas error document (a proxy's HTML page, say).
    pub body: Option<String>,
    /// For a redirect: the origin of `Location` (scheme, host and port; never its path or query).
    pub location: Option<String>,
}

impl Describe for ApiFailure {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.number("status", f64::from(self.status));
        let texts = [
            ("errorCode", &self.error_code),
            ("reason", &self.reason),
            ("detail", &self.detail),
            ("body", &self.body),
            ("location", &self.location),
        ];
        for (key, value) in texts {
            if let Some(value) = value {
                facts.text(key, value);
            }
        }
        for (key, value) in [
            ("parameters", &self.parameters),
            ("badRequestDetail", &self.bad_request_detail),
        ] {
            if let Some(value) = value {
                facts.json(key, value);
            }
        }
        let code = if is_redirect(self.status) {
            "redirect"
        } else if self.error_code.is_some() {
            "atlas"
        } else if self.body.as_deref().is_some_and(|b| !b.trim().is_empty()) {
            "foreign"
        } else {
            "empty"
        };
        facts.text("code", code);
    }
}

/// A response that does not have the shape the API documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeFailure {
    /// The HTTP status of the response.
    pub status: u16,
    /// Where and what, as the JSON reader found it.
    pub error: Box<json::Error>,
    /// The JSON text of the value found instead of the expected one, shortened.
    pub found: Option<String>,
}

impl Describe for DecodeFailure {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.number("status", f64::from(self.status));
        self.error.describe_with(self.found.as_deref(), facts);
    }
}

/// Why a listing was stopped by the client rather than ended by the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagingReason {
    /// A guard of the caller's was reached.
    MaxPages,
    MaxItems,
    /// The server sent the same jobs as the page before.
    SamePage,
    /// A full page of jobs already listed.
    NoNewJobs,
    /// More pages than the server's own count allows.
    TooManyPages,
}

impl PagingReason {
    pub fn code(self) -> &'static str {
        match self {
            PagingReason::MaxPages => "maxPages",
            PagingReason::MaxItems => "maxItems",
            PagingReason::SamePage => "samePage",
            PagingReason::NoNewJobs => "noNewJobs",
            PagingReason::TooManyPages => "tooManyPages",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagingFailure {
    pub reason: PagingReason,
    /// Pages received so far.
    pub pages_fetched: u64,
    /// Jobs handed to the caller so far.
    pub items_yielded: u64,
    /// The page the reason concerns.
    pub page: u64,
    /// The limit or count involved: the guard's value, or the server's count.
    pub limit: Option<u64>,
}

impl Describe for PagingFailure {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.text("reason", self.reason.code());
        facts.number("pagesFetched", self.pages_fetched as f64);
        facts.number("itemsYielded", self.items_yielded as f64);
        facts.number("page", self.page as f64);
        if let Some(limit) = self.limit {
            facts.number("limit", limit as f64);
        }
    }
}

/// What went wrong while authenticating, before the API could answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthProblem {
    /// The token endpoint refused the service account.
    TokenRefused,
    /// The token endpoint answered 2xx without an access token.
    NoAccessToken,
    /// The token endpoint answered with a redirect.
    TokenRedirect,
    /// `getToken()` threw or rejected (its error is the `cause`).
    ProviderFailed,
    /// `getToken()` resolved to something that is not a usable token.
    ProviderBadToken,
    /// A long-lived secret in a browser, without `allowInBrowser`.
    SecretInBrowser,
    /// The revocation endpoint refused to revoke the token (or redirected).
    RevokeRefused,
}

impl AuthProblem {
    pub fn code(self) -> &'static str {
        match self {
            AuthProblem::TokenRefused => "tokenRefused",
            AuthProblem::NoAccessToken => "noAccessToken",
            AuthProblem::TokenRedirect => "tokenRedirect",
            AuthProblem::ProviderFailed => "providerFailed",
            AuthProblem::ProviderBadToken => "providerBadToken",
            AuthProblem::SecretInBrowser => "secretInBrowser",
            AuthProblem::RevokeRefused => "revokeRefused",
        }
    }
}

/// Authentication failed before the API could answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFailure {
    pub problem: AuthProblem,
    /// The token endpoint's HTTP status, when it answered.
    pub status: Option<u16>,
    /// The token endpoint's OAuth error code (`invalid_client`, ...), when it sent one.
    pub error_code: Option<String>,
    /// The token endpoint's description of the error, when it sent one.
    pub detail: Option<String>,
    /// On a 429 from the token endpoint: how long it asked to wait, in milliseconds.
    pub retry_after_ms: Option<u64>,
    /// For a redirect: the origin of `Location`.
    pub location: Option<String>,
}

impl AuthFailure {
    pub fn new(problem: AuthProblem) -> Self {
        AuthFailure {
            problem,
            status: None,
            error_code: None,
            detail: None,
            retry_after_ms: None,
            location: None,
        }
    }
}

impl Describe for AuthFailure {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.text("code", self.problem.code());
        if let Some(status) = self.status {
            facts.number("status", f64::from(status));
        }
        for (key, value) in [
            ("errorCode", &self.error_code),
            ("detail", &self.detail),
            ("location", &self.location),
        ] {
            if let Some(value) = value {
                facts.text(key, value);
            }
        }
        if let Some(ms) = self.retry_after_ms {
            facts.number("retryAfterMs", ms as f64);
        }
        // Only a service account's token is revoked, and only the full build has those.
        #[cfg(feature = "secret-schemes")]
        if self.status.is_some_and(is_redirect) || self.location.is_some() {
            facts.flag("redirect", true);
        }
    }
}

#[cfg(feature = "watch")]
/// Why waiting for one export job ended without it finishing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitProblem {
    /// It was not listed within `appearTimeoutMs`.
    NeverListed,
    /// It was listed, then no longer, before it finished.
    Removed,
    /// It had not finished within `timeoutMs`.
    NotFinished,
}

#[cfg(feature = "watch")]
impl WaitProblem {
    pub fn code(self) -> &'static str {
        match self {
            WaitProblem::NeverListed => "neverListed",
            WaitProblem::Removed => "removed",
            WaitProblem::NotFinished => "notFinished",
        }
    }
}

#[cfg(feature = "watch")]
/// Waiting for one export job ended without it finishing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitFailure {
    pub problem: WaitProblem,
    pub export_job_id: String,
    /// The limit that ran out, if one did.
    pub ms: Option<u32>,
    /// Rounds listed while waiting.
    pub rounds: u64,
    /// The job's state when last listed, as Atlas named it.
    pub state: Option<String>,
}

#[cfg(feature = "watch")]
impl Describe for WaitFailure {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.text("code", self.problem.code());
        facts.text("exportJobId", &self.export_job_id);
        if let Some(ms) = self.ms {
            facts.number("ms", f64::from(ms));
        }
        facts.number("rounds", self.rounds as f64);
        if let Some(state) = &self.state {
            facts.text("state", state);
        }
    }
}

/// Which setting bounded a wait that ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// One attempt's `timeoutMs`.
    Attempt,
    /// The whole call's `deadlineMs`.
    Deadline,
}

impl Limit {
    pub fn option(self) -> &'static str {
        match self {
            Limit::Attempt => "timeoutMs",
            Limit::Deadline => "deadlineMs",
        }
    }
}

/// Why no usable response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkProblem {
    /// fetch rejected: refused, reset, DNS, TLS, CORS (its rejection is the `cause`).
    Failed,
    /// A custom fetch resolved with something that is not a `Response`.
    NotAResponse,
    /// The platform refused a request header; its value is not shown, since it may be a secret.
    RefusedHeader,
}

/// A state the package's own code should never reach: a bug in the package, never the caller's or
/// the server's doing. Reported as what it is rather than passed off as a network failure or an
/// abort.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Internal {
    /// State the shell's steps share was in use when a step wanted it: one step re-entered another.
    StateInUse,
    /// A machine had nothing to do although every action it had asked for was answered.
    NothingToDo,
    /// One of the package's own JavaScript helpers threw, rejected or answered outside what it
    /// answers, which none ever does (what it threw, if anything, is the `cause`).
    HelperFailed,
    /// A function the options were checked to hold (`auth.getToken`) was not there to call.
    MissingFunction,
}

impl Internal {
    pub fn code(self) -> &'static str {
        match self {
            Internal::StateInUse => "state",
            Internal::NothingToDo => "idle",
            Internal::HelperFailed => "helper",
            Internal::MissingFunction => "function",
        }
    }
}

/// Every failure a call can end in.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Validation(ValidationError),
    /// Boxed: the largest variant, and the rarest.
    Api(Box<ApiFailure>),
    Decode(DecodeFailure),
    /// A listing stopped by a guard of the caller's or by a misbehaving server.
    Paging(PagingFailure),
    Auth(AuthFailure),
    Network(NetworkProblem),
    Timeout {
        limit: Limit,
        ms: u32,
    },
    /// The caller's signal fired (its reason is the `cause`).
    Aborted,
    /// A body larger than `maxBodyBytes`; it was not read past that.
    TooLarge {
        status: u16,
        max_body_bytes: u64,
    },
    /// Waiting for one export job ended without it finishing (`waitForExportJob`).
    #[cfg(feature = "watch")]
    Wait(WaitFailure),
    /// A bug in the package (see [`Internal`]).
    Internal(Internal),
}

impl Failure {
    /// The `kind` the JavaScript `AtlasError` carries.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Validation(_) => "validation",
            Failure::Api(_) => "api",
            Failure::Decode(_) => "decode",
            Failure::Paging(_) => "paging",
            Failure::Auth(_) => "auth",
            Failure::Network(_) => "network",
            Failure::Timeout { .. } => "timeout",
            Failure::Aborted => "aborted",
            Failure::TooLarge { .. } => "tooLarge",
            #[cfg(feature = "watch")]
            Failure::Wait(wait) => match wait.problem {
                WaitProblem::NotFinished => "timeout",
                WaitProblem::NeverListed | WaitProblem::Removed => "notFound",
            },
            Failure::Internal(_) => "internal",
        }
    }

    /// The status the failure reports, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Api(api) => Some(api.status),
            Failure::Decode(decode) => Some(decode.status),
            Failure::Auth(auth) => auth.status,
            Failure::TooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }
}

impl Describe for Failure {
    fn describe(&self, facts: &mut dyn Facts) {
        match self {
            Failure::Validation(error) => error.describe(facts),
            Failure::Api(api) => api.describe(facts),
            Failure::Decode(decode) => decode.describe(facts),
            Failure::Paging(paging) => paging.describe(facts),
            Failure::Auth(auth) => auth.describe(facts),
            Failure::Network(problem) => facts.text(
                "code",
                match problem {
                    NetworkProblem::Failed => "failed",
                    NetworkProblem::NotAResponse => "notAResponse",
                    NetworkProblem::RefusedHeader => "refusedHeader",
                },
            ),
            Failure::Timeout { limit, ms } => {
                facts.text("limit", limit.option());
                facts.number("ms", f64::from(*ms));
            }
            Failure::Aborted => {}
            Failure::TooLarge {
                status,
                max_body_bytes,
            } => {
                facts.number("status", f64::from(*status));
                facts.number("maxBodyBytes", *max_body_bytes as f64);
            }
            #[cfg(feature = "watch")]
            Failure::Wait(wait) => wait.describe(facts),
            Failure::Internal(internal) => facts.text("code", internal.code()),
        }
    }
}

impl From<ValidationError> for Failure {
    fn from(error: ValidationError) -> Self {
        Failure::Validation(error)
    }
}

impl From<AuthFailure> for Failure {
    fn from(failure: AuthFailure) -> Self {
        Failure::Auth(failure)
    }
}

/// Which set of keys an unknown key was checked against, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySet {
    Parameter,
    /// The parameters a request's query string may hold (the proxy's route).
    QueryParameter,
    Option,
    CallOption,
    RetryOption,
    AuthOption,
    WatchOption,
    WaitOption,
    IntervalOption,
}

impl KeySet {
    pub fn code(self) -> &'static str {
        match self {
            KeySet::Parameter => "parameter",
            KeySet::QueryParameter => "query parameter",
            KeySet::Option => "option",
            KeySet::CallOption => "call option",
            KeySet::RetryOption => "retry option",
            KeySet::AuthOption => "auth option",
            KeySet::WatchOption => "option",
            KeySet::WaitOption => "option",
            KeySet::IntervalOption => "interval option",
        }
    }
}
