//! How an `AtlasClient` authenticates (`options.auth`), checked; each scheme's protocol is in its
//! own file. Credentials are kept as `Secret`s from the moment they are read.

use alloc::{borrow::ToOwned, string::String};
pub mod bearer;
#[cfg(feature = "secret-schemes")]
pub mod digest;
#[cfg(feature = "secret-schemes")]
pub mod service_account;

use crate::error::{AuthFailure, AuthProblem, Problem, ValidationError};
use crate::input::{InputRecord, InputValue, KeySet};
use crate::options::check_token;
use crate::secret::Secret;

pub const AUTH_KEYS: [&str; 8] = [
    "type",
    "token",
    "getToken",
    "clientId",
    "clientSecret",
    "publicKey",
    "privateKey",
    "allowInBrowser",
];

/// A checked `options.auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// No `Authorization` header: a proxy that adds the credentials on its side.
    None,
    Bearer(Secret),
    /// A token broker: `getToken()` is called (by the shell) before each request.
    TokenProvider,
    ServiceAccount {
        client_id: String,
        client_secret: Secret,
    },
    Digest {
        public_key: String,
        private_key: Secret,
    },
}

impl AuthScheme {
    /// Schemes that put a long-lived secret in the process: refused in a browser unless allowed.
    pub fn holds_secret(&self) -> bool {
        matches!(
            self,
            AuthScheme::ServiceAccount { .. } | AuthScheme::Digest { .. }
        )
    }

    /// Reads `auth` (the whole object); returns the scheme and whether `allowInBrowser` was set.
    pub fn from_input(input: &InputRecord) -> Result<(AuthScheme, bool), ValidationError> {
        input.reject_unknown_keys(&AUTH_KEYS, KeySet::AuthOption)?;
        let allow_in_browser = input.bool("allowInBrowser")?.unwrap_or(false);
        let secret = |key: &str| -> Result<Secret, ValidationError> {
            check_token(input.required_string(key)?, &input.field(key))
        };
        let scheme = match input.required_string("type")? {
            "none" => AuthScheme::None,
            "bearer" => match (input.get("token"), input.get("getToken")) {
                (Some(_), Some(_)) => {
                    return Err(ValidationError::new(
                        &input.field("token"),
                        Problem::Conflict { other: "getToken" },
                    ))
                }
                (_, Some(InputValue::Function)) => AuthScheme::TokenProvider,
                (_, Some(other)) => return Err(input.wrong_type("getToken", "a function", other)),
                _ => AuthScheme::Bearer(secret("token")?),
            },
            "serviceAccount" => AuthScheme::ServiceAccount {
                client_id: secret("clientId")?.expose().to_owned(),
                client_secret: secret("clientSecret")?,
            },
            "digest" => AuthScheme::Digest {
                public_key: secret("publicKey")?.expose().to_owned(),
                private_key: secret("privateKey")?,
            },
            other => {
                return Err(ValidationError::new(
                    &input.field("type"),
                    Problem::Pattern {
                        rule: "authType",
                        value: Some(other.to_owned()),
                    },
                ))
            }
        };
        Ok((scheme, allow_in_browser))
    }
}

/// Refuses a long-lived secret in a browser unless the caller said it knows.
pub fn check_secret_placement(
    scheme: &AuthScheme,
    allow_in_browser: bool,
    in_browser: bool,
) -> Result<(), AuthFailure> {
    if scheme.holds_secret() && !allow_in_browser && in_browser {
        return Err(AuthFailure::new(AuthProblem::SecretInBrowser));
    }
    Ok(())
}
