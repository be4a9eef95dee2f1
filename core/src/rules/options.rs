//! The second argument of `listExportJobs`: where to send the request, how to authenticate, how
//! long to wait and how much to read. The `signal` and the callbacks stay in the wasm shell; here
//! they are only type-checked.

use crate::error::KeySet;
use crate::error::{Problem, ValidationError};
use crate::rules::api_version::ApiVersion;
use crate::rules::base_url::{BaseUrl, DEFAULT_BASE_URL};
use crate::rules::input::{names, InputRecord, Key, Rule};
use crate::rules::retry_policy::RetryPolicy;
use crate::support::secret::Secret;

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

pub const MILLISECONDS: Rule = Rule::Integer {
    min: 1.0,
    max: MAX_TIMEOUT_MS as f64,
};

const BODY_BYTES: Rule = Rule::Integer {
    min: MIN_MAX_BODY_BYTES as f64,
    max: MAX_MAX_BODY_BYTES as f64,
};

/// What every call may set for itself (an `AtlasClient`'s calls take just these; the rest is the
/// client's), and what each may hold.
pub static CALL: [Key; 6] = [
    Key::new("apiVersion", Rule::Text),
    Key::new("signal", Rule::Signal),
    Key::new("timeoutMs", MILLISECONDS),
    Key::new("deadlineMs", MILLISECONDS),
    Key::new("retry", Rule::BooleanOrObject),
    Key::new("maxBodyBytes", BODY_BYTES),
];

/// The options of `listExportJobs`, and what each may hold.
pub static OPTIONS: [Key; 10] = [
    Key::new("allowInsecureHttp", Rule::Boolean),
    Key::new("baseUrl", Rule::Text),
    Key::new("accessToken", Rule::Text),
    Key::new("apiVersion", Rule::Text),
    Key::new("signal", Rule::Signal),
    Key::new("timeoutMs", MILLISECONDS),
    Key::new("deadlineMs", MILLISECONDS),
    Key::new("retry", Rule::BooleanOrObject),
    Key::new("maxBodyBytes", BODY_BYTES),
    Key::new("fetch", Rule::Function),
];

/// The keys of `options.retry`, and what each may hold.
pub static RETRY: [Key; 5] = [
    Key::new(
        "maxAttempts",
        Rule::Integer {
            min: 1.0,
            max: 10.0,
        },
    ),
    Key::new(
        "baseDelayMs",
        Rule::Integer {
            min: 0.0,
            max: 600_000.0,
        },
    ),
    Key::new(
        "maxDelayMs",
        Rule::Integer {
            min: 0.0,
            max: 600_000.0,
        },
    ),
    Key::new(
        "retryAfterUnitMs",
        Rule::Integer {
            min: 0.0,
            max: 1_000.0,
        },
    ),
    Key::new("onRetry", Rule::Function),
];

pub const OPTION_KEYS: [&str; 10] = names(&OPTIONS);
pub const CALL_KEYS: [&str; 6] = names(&CALL);
pub const RETRY_KEYS: [&str; 5] = names(&RETRY);

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
        input.check(&OPTIONS, KeySet::Option)?;
        let base_url = BaseUrl::parse(
            input.text("baseUrl").unwrap_or(DEFAULT_BASE_URL),
            input.flag("allowInsecureHttp").unwrap_or(false),
        )?;
        let access_token = input
            .text("accessToken")
            .map(|token| check_token(token, "accessToken"))
            .transpose()?;
        let api_version = input
            .text("apiVersion")
            .map(ApiVersion::parse)
            .transpose()?
            .unwrap_or_default();
        let (retry, has_on_retry) = retry_policy(input)?;
        Ok(CallOptions {
            base_url,
            access_token,
            api_version,
            timeout_ms: input.whole_or("timeoutMs", DEFAULT_TIMEOUT_MS),
            deadline_ms: input.whole_or("deadlineMs", DEFAULT_DEADLINE_MS),
            max_body_bytes: input.whole_or("maxBodyBytes", DEFAULT_MAX_BODY_BYTES),
            retry,
            has_signal: input.has("signal"),
            has_on_retry,
            has_fetch: input.has("fetch"),
        })
    }
}

/// `retry`: absent or `true` for the defaults, `false` for none, or an object of overrides.
fn retry_policy(input: &InputRecord) -> Result<(RetryPolicy, bool), ValidationError> {
    let record = match (input.flag("retry"), input.nested("retry")) {
        (Some(false), _) => return Ok((RetryPolicy::OFF, false)),
        (_, Some(record)) => record,
        _ => return Ok((RetryPolicy::DEFAULT, false)),
    };
    record.check(&RETRY, KeySet::RetryOption)?;
    let defaults = RetryPolicy::DEFAULT;
    let policy = RetryPolicy {
        max_attempts: record.whole_or("maxAttempts", defaults.max_attempts),
        base_delay_ms: record.whole_or("baseDelayMs", defaults.base_delay_ms),
        max_delay_ms: record.whole_or("maxDelayMs", defaults.max_delay_ms),
        retry_after_unit_ms: record.whole_or("retryAfterUnitMs", defaults.retry_after_unit_ms),
    };
    Ok((policy, record.has("onRetry")))
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
