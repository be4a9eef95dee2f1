//! The second argument of `listExportJobs`: where to send the request, how to authenticate, and
//! how long to wait. The `signal` itself stays in the wasm shell; here it is only type-checked.

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
