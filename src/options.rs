//! The second argument of `listExportJobs`: where to send the request, how to authenticate, and
//! how long to wait. The `signal` itself stays in the wasm shell; here it is only type-checked.

use serde::Serialize;

use crate::base_url::{BaseUrl, DEFAULT_BASE_URL};
use crate::error::ValidationError;
use crate::input::{InputRecord, InputValue};
use crate::request::ApiVersion;
use crate::secret::Secret;

pub const OPTION_KEYS: [&str; 6] = [
    "baseUrl",
    "accessToken",
    "apiVersion",
    "signal",
    "timeoutMs",
    "allowInsecureHttp",
];

/// Long enough for a 500-job page on a slow link, short enough that a dead connection is noticed.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

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
    /// Aborting it stops the request at once; the error's `cause` is the signal's reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "AbortSignal"))]
    pub signal: Option<()>,
    /// The longest wait for the whole response, in milliseconds (default 30000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u32>,
    /// Allows `http:` to hosts that are not loopback, which sends the token unencrypted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_insecure_http: Option<bool>,
}

/// Options that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOptions {
    pub base_url: BaseUrl,
    pub access_token: Option<Secret>,
    pub api_version: ApiVersion,
    pub timeout_ms: u32,
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
        let timeout_ms = input
            .integer("timeoutMs", 1.0, f64::from(MAX_TIMEOUT_MS))?
            .and_then(|ms| u32::try_from(ms).ok())
            .unwrap_or(DEFAULT_TIMEOUT_MS);
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
        })
    }
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
