//! The second argument of `listExportJobs`: where to send the request, how to authenticate, how
//! long to wait and how much to read. The `signal` and the callbacks stay in the wasm shell; here
//! they are only type-checked.

use crate::base_url::{BaseUrl, DEFAULT_BASE_URL};
use crate::error::{Problem, ValidationError};
use crate::input::{InputRecord, InputValue, KeySet};
use crate::request::ApiVersion;
use crate::retry::RetryPolicy;
use crate::secret::Secret;

pub const OPTION_KEYS: [&str; 10] = [
    "baseUrl",
    "accessToken",
    "apiVersion",
    "signal",
    "timeoutMs",
    "deadlineMs",
    "retry",
    "maxBodyBytes",
    "allowInsecureHttp",
    "fetch",
];

/// What a call of an `AtlasClient` may set for itself; the rest is the client's.
pub const CALL_KEYS: [&str; 5] = ["signal", "timeoutMs", "deadlineMs", "retry", "maxBodyBytes"];

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

/// A page of 500 jobs is about 300 KB; 8 MiB is far past any real page, and small enough that a
/// server sending more (or a compressed bomb) costs little before it is refused.
pub const DEFAULT_MAX_BODY_BYTES: u32 = 8 * 1024 * 1024;
/// The range `maxBodyBytes` may take.
pub const MIN_MAX_BODY_BYTES: u32 = 1024;
pub const MAX_MAX_BODY_BYTES: u32 = 256 * 1024 * 1024;

/// The largest delay `setTimeout` supports.
pub const MAX_TIMEOUT_MS: u32 = i32::MAX as u32;

/// Options that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOptions {
    pub base_url: BaseUrl,
    pub access_token: Option<Secret>,
    pub api_version: ApiVersion,
    pub timeout_ms: u32,
    pub deadline_ms: u32,
    pub max_body_bytes: u32,
    pub retry: RetryPolicy,
    /// Whether the shell has a signal, an `onRetry` and a `fetch` to use (it keeps them itself).
    pub has_signal: bool,
    pub has_on_retry: bool,
    pub has_fetch: bool,
}

impl CallOptions {
    pub fn from_input(input: &InputRecord) -> Result<Self, ValidationError> {
        input.reject_unknown_keys(&OPTION_KEYS, KeySet::Option)?;
        let allow_insecure_http = input.bool("allowInsecureHttp")?.unwrap_or(false);
        let base_url = BaseUrl::parse(
            input.string("baseUrl")?.unwrap_or(DEFAULT_BASE_URL),
            allow_insecure_http,
        )?;
        let access_token = input
            .string("accessToken")?
            .map(|token| check_token(token, "accessToken"))
            .transpose()?;
        let api_version = input
            .string("apiVersion")?
            .map(ApiVersion::parse)
            .transpose()?
            .unwrap_or_default();
        let (retry, has_on_retry) = retry_policy(input)?;
        Ok(CallOptions {
            base_url,
            access_token,
            api_version,
            timeout_ms: input.millis("timeoutMs", 1, MAX_TIMEOUT_MS, DEFAULT_TIMEOUT_MS)?,
            deadline_ms: input.millis("deadlineMs", 1, MAX_TIMEOUT_MS, DEFAULT_DEADLINE_MS)?,
            max_body_bytes: input.millis(
                "maxBodyBytes",
                MIN_MAX_BODY_BYTES,
                MAX_MAX_BODY_BYTES,
                DEFAULT_MAX_BODY_BYTES,
            )?,
            retry,
            has_signal: input.has_signal("signal")?,
            has_on_retry,
            has_fetch: input.has_function("fetch")?,
        })
    }
}

/// `retry`: absent or `true` for the defaults, `false` for none, or an object of overrides.
fn retry_policy(input: &InputRecord) -> Result<(RetryPolicy, bool), ValidationError> {
    let record = match input.get("retry") {
        None | Some(InputValue::Bool(true)) => return Ok((RetryPolicy::DEFAULT, false)),
        Some(InputValue::Bool(false)) => return Ok((RetryPolicy::OFF, false)),
        Some(InputValue::Record(_)) => input.record("retry")?.unwrap_or_default(),
        Some(other) => return Err(input.wrong_type("retry", "a boolean or an object", other)),
    };
    record.reject_unknown_keys(&RETRY_KEYS, KeySet::RetryOption)?;
    let defaults = RetryPolicy::DEFAULT;
    let policy = RetryPolicy {
        max_attempts: record.millis("maxAttempts", 1, 10, defaults.max_attempts)?,
        base_delay_ms: record.millis("baseDelayMs", 0, 600_000, defaults.base_delay_ms)?,
        max_delay_ms: record.millis("maxDelayMs", 0, 600_000, defaults.max_delay_ms)?,
        retry_after_unit_ms: record.millis(
            "retryAfterUnitMs",
            0,
            1_000,
            defaults.retry_after_unit_ms,
        )?,
    };
    Ok((policy, record.has_function("onRetry")?))
}

/// A token must fit in a header value. The error never repeats it.
pub fn check_token(token: &str, field: &str) -> Result<Secret, ValidationError> {
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ValidationError::new(
            field,
            Problem::Pattern {
                rule: "token",
                value: None,
            },
        ));
    }
    Ok(Secret::new(token))
}
