//! The second argument of `listExportJobs`: where to send the request, how to authenticate, and
//! how long to wait. The `signal` itself stays in the wasm shell; here it is only type-checked.

use serde::Serialize;

use crate::base_url::{BaseUrl, DEFAULT_BASE_URL};
use crate::error::ValidationError;
use crate::input::{InputRecord, InputValue};
use crate::request::ApiVersion;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

pub const OPTION_KEYS: [&str; 8] = [
    "baseUrl",
    "accessToken",
    "apiVersion",
    "signal",
    "timeoutMs",
    "deadlineMs",
    "retry",
    "allowInsecureHttp",
];

/// What a call of an `AtlasClient` may set for itself; the rest is the client's.
pub const CALL_KEYS: [&str; 4] = ["signal", "timeoutMs", "deadlineMs", "retry"];

/// The options of `new AtlasClient(...)` (declares the TypeScript interface).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct AtlasClientOptions {
    #[serde(flatten)]
    pub call: ListExportJobsOptions,
    /// How the client authenticates (or `accessToken`, for a Bearer token).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<crate::auth::AuthOptions>,
    /// The fetch to send requests with (a proxy's, a test double); the platform's by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "(request: Request) => Promise<Response>")
    )]
    pub fetch: Option<()>,
}

/// What every call may set for itself: its signal, its times and its retries. An `AtlasClient`'s
/// calls take just these; the rest is the client's (declares the TypeScript interface).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ClientCallOptions {
    /// Aborting it stops the call at once; the error's `cause` is the signal's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "AbortSignal"))]
    pub signal: Option<()>,
    /// The longest wait for one attempt's whole response, in milliseconds (default 30000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// The longest the whole call may take, retries and waits included, in milliseconds
    /// (default 120000). When it passes, the call fails with `kind: "timeout"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<u32>,
    /// Retries of 429, 502, 503, 504 and network failures: on by default, `false` turns them off,
    /// an object tunes them.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "boolean | RetryOptions"))]
    pub retry: Option<RetryOptions>,
}

/// The keys of `options.retry`.
pub const RETRY_KEYS: [&str; 5] = [
    "maxAttempts",
    "baseDelayMs",
    "maxDelayMs",
    "retryAfterUnitMs",
    "onRetry",
];

/// Long enough for a 500-job page on a slow link, short enough that a dead connection is noticed.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

/// Room for a few retries after a rate limit, without leaving a caller waiting for minutes.
pub const DEFAULT_DEADLINE_MS: u32 = 120_000;

/// The largest delay `setTimeout` supports.
const MAX_TIMEOUT_MS: u32 = i32::MAX as u32;

/// The second argument of `listExportJobs`: where Atlas is, how to authenticate, and how long to
/// wait. Every key is optional; an unknown key is an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
// This struct declares the TypeScript interface; `CallOptions::from_input` applies the rules.
pub struct ListExportJobsOptions {
    /// Where Atlas is (default `https://cloud.mongodb.com`): an absolute URL, which may carry a path
    /// prefix for a proxy. `http:` is allowed only to loopback hosts unless `allowInsecureHttp` is set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// A Bearer token, sent as `Authorization: Bearer <token>`. Never shown in errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// `"v2"` (default) or the deprecated `"v1.0"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"v2\" | \"v1.0\""))]
    pub api_version: Option<String>,
    #[serde(flatten)]
    pub per_call: ClientCallOptions,
    /// Allows `http:` to hosts that are not loopback, which sends the token unencrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_insecure_http: Option<bool>,
}

/// `options.retry` as JavaScript passes it (declares the TypeScript interface).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
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
    #[cfg_attr(target_arch = "wasm32", tsify(type = "(event: RetryEvent) => void"))]
    pub on_retry: Option<()>,
}

/// What `onRetry` is told before each wait.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RetryEvent {
    /// The attempt that failed, from 1.
    pub attempt: u32,
    /// How long the client waits before the next attempt, in milliseconds.
    pub delay_ms: u64,
    /// How the attempt failed: `"api"` (an answer), `"network"` (none) or `"timeout"`.
    pub kind: &'static str,
    /// The status of the answer, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Atlas's error code, when the answer carried one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// Options that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOptions {
    pub base_url: BaseUrl,
    pub access_token: Option<Secret>,
    pub api_version: ApiVersion,
    pub timeout_ms: u32,
    pub deadline_ms: u32,
    pub retry: RetryPolicy,
    pub has_on_retry: bool,
}

impl CallOptions {
    pub fn from_input(input: &InputRecord) -> Result<Self, ValidationError> {
        input.reject_unknown_keys(&OPTION_KEYS, "option")?;
        let allow_insecure_http = input.bool("allowInsecureHttp")?.unwrap_or(false);
        let base_url = BaseUrl::parse(
            input.string("baseUrl")?.unwrap_or(DEFAULT_BASE_URL),
            allow_insecure_http,
        )?;
        let access_token = input.string("accessToken")?.map(check_token).transpose()?;
        let api_version = input
            .string("apiVersion")?
            .map(ApiVersion::parse)
            .transpose()?
            .unwrap_or_default();
        let milliseconds = |key: &str, default: u32| -> Result<u32, ValidationError> {
            Ok(input
                .integer(key, 1.0, f64::from(MAX_TIMEOUT_MS))?
                .and_then(|ms| u32::try_from(ms).ok())
                .unwrap_or(default))
        };
        let timeout_ms = milliseconds("timeoutMs", DEFAULT_TIMEOUT_MS)?;
        let deadline_ms = milliseconds("deadlineMs", DEFAULT_DEADLINE_MS)?;
        let (retry, has_on_retry) = retry_policy(input)?;
        match input.get("signal") {
            None | Some(InputValue::AbortSignal) => {}
            Some(other) => {
                return Err(ValidationError::new(
                    "signal",
                    format!("signal must be an AbortSignal, got {}", other.kind()),
                ))
            }
        }
        Ok(CallOptions {
            base_url,
            access_token,
            api_version,
            timeout_ms,
            deadline_ms,
            retry,
            has_on_retry,
        })
    }
}

/// `retry`: absent or `true` for the defaults, `false` for none, or an object of overrides.
fn retry_policy(input: &InputRecord) -> Result<(RetryPolicy, bool), ValidationError> {
    let record = match input.get("retry") {
        None | Some(InputValue::Bool(true)) => return Ok((RetryPolicy::DEFAULT, false)),
        Some(InputValue::Bool(false)) => return Ok((RetryPolicy::OFF, false)),
        Some(InputValue::Record(_)) => input.record("retry")?.unwrap_or_default(),
        Some(other) => {
            return Err(ValidationError::new(
                "retry",
                format!("retry must be a boolean or an object, got {}", other.kind()),
            ))
        }
    };
    record.reject_unknown_keys(&RETRY_KEYS, "retry option")?;
    let number = |key: &str, min: f64, max: f64, default: u32| -> Result<u32, ValidationError> {
        Ok(record
            .integer(key, min, max)?
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(default))
    };
    let defaults = RetryPolicy::DEFAULT;
    let policy = RetryPolicy {
        max_attempts: number("maxAttempts", 1.0, 10.0, defaults.max_attempts)?,
        base_delay_ms: number("baseDelayMs", 0.0, 600_000.0, defaults.base_delay_ms)?,
        max_delay_ms: number("maxDelayMs", 0.0, 600_000.0, defaults.max_delay_ms)?,
        retry_after_unit_ms: number(
            "retryAfterUnitMs",
            0.0,
            1_000.0,
            defaults.retry_after_unit_ms,
        )?,
    };
    Ok((policy, record.has_function("onRetry")?))
}

/// A token must fit in a header value. The message never repeats it.
fn check_token(token: &str) -> Result<Secret, ValidationError> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ValidationError::new(
            "accessToken",
            "accessToken must be a non-empty string of visible ASCII characters without spaces (its value is not shown)",
        ));
    }
    Ok(Secret::new(token))
}
