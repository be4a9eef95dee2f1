//! How an `AtlasClient` authenticates (`options.auth`), checked; each scheme's protocol is in its
//! own file. Credentials are kept as `Secret`s from the moment they are read.

use alloc::{borrow::ToOwned, string::String};
pub mod bearer;
pub mod credentials;
#[cfg(feature = "secret-schemes")]
pub mod digest;
#[cfg(feature = "secret-schemes")]
pub mod service_account;

use crate::error::KeySet;
use crate::error::{AuthFailure, AuthProblem, Problem, ValidationError};
use crate::rules::input::{names, InputRecord, Key, Rule};
use crate::rules::options::check_token;
use crate::support::secret::Secret;

/// The keys of `options.auth`, and what each may hold; which are required depends on `type`.
pub static AUTH: [Key; 8] = [
    Key::new("type", Rule::RequiredText),
    Key::new("token", Rule::Text),
    Key::new("getToken", Rule::Function),
    Key::new("clientId", Rule::Text),
    Key::new("clientSecret", Rule::Text),
    Key::new("publicKey", Rule::Text),
    Key::new("privateKey", Rule::Text),
    Key::new("allowInBrowser", Rule::Boolean),
];

pub const AUTH_KEYS: [&str; 8] = names(&AUTH);

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
        input.check(&AUTH, KeySet::AuthOption)?;
        let field = |key: &str| input.field(key);
        let secret = |key: &str| -> Result<Secret, ValidationError> {
            match input.text(key) {
                Some(value) => check_token(value, &field(key)),
                None => Err(ValidationError::new(&field(key), Problem::Required)),
            }
        };
        let scheme = match input.required("type") {
            "none" => AuthScheme::None,
            "bearer" if input.has("getToken") => {
                if input.has("token") {
                    return Err(ValidationError::new(
                        &field("token"),
                        Problem::Conflict { other: "getToken" },
                    ));
                }
                AuthScheme::TokenProvider
            }
            "bearer" => AuthScheme::Bearer(secret("token")?),
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
                    &field("type"),
                    Problem::Pattern {
                        rule: "authType",
                        value: Some(other.to_owned()),
                    },
                ))
            }
        };
        Ok((scheme, input.flag("allowInBrowser").unwrap_or(false)))
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
