//! How an `AtlasClient` authenticates (`options.auth`), checked; each scheme's protocol is in its
//! own file. Credentials are kept as `Secret`s from the moment they are read.

pub mod digest;
pub mod service_account;

use serde::Serialize;

use crate::error::ValidationError;
use crate::input::{InputRecord, InputValue};
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

/// `auth` as JavaScript passes it: one of the schemes below (declares the TypeScript union;
/// `AuthScheme` applies the rules).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(untagged)]
pub enum AuthOptions {
    BearerToken(BearerTokenAuth),
    BearerProvider(TokenBrokerAuth),
    ServiceAccount(ServiceAccountAuth),
    Digest(DigestAuth),
}

/// A Bearer token you already hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct BearerTokenAuth {
    /// The scheme.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"bearer\""))]
    pub r#type: (),
    /// The token, sent as `Authorization: Bearer <token>`.
    pub token: String,
}

/// A token broker: how a browser console should authenticate without holding a secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct TokenBrokerAuth {
    /// The scheme.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"bearer\""))]
    pub r#type: (),
    /// Called before each request; resolve to a current token (cache it yourself).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "() => string | Promise<string>"))]
    pub get_token: (),
}

/// A service account (recommended): its token is requested once and reused until shortly before
/// it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccountAuth {
    /// The scheme.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"serviceAccount\""))]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DigestAuth {
    /// The scheme.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"digest\""))]
    pub r#type: (),
    /// The API key's public key (the digest user name).
    pub public_key: String,
    /// The API key's private key (the digest password). Never shown in errors.
    pub private_key: String,
    /// Allows the private key in a browser, where anyone who opens the page can read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_in_browser: Option<bool>,
}

/// The `Authorization` value for a Bearer token.
pub fn bearer_header(token: &Secret) -> Secret {
    Secret::new(format!("Bearer {}", token.expose()))
}

/// A checked `options.auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
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
        input.reject_unknown_keys(&AUTH_KEYS, "auth option")?;
        let allow_in_browser = input.bool("allowInBrowser")?.unwrap_or(false);
        let secret = |key: &str| -> Result<Secret, ValidationError> {
            let field = input.field(key);
            let value = input.required_string(key)?;
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ValidationError::new(
                    &field,
                    format!("{field} must be a non-empty string of visible ASCII characters (its value is not shown)"),
                ));
            }
            Ok(Secret::new(value))
        };
        let scheme = match input.required_string("type")? {
            "bearer" => match (input.get("token"), input.get("getToken")) {
                (Some(_), Some(_)) => {
                    return Err(ValidationError::new(
                        &input.field("token"),
                        "auth takes token or getToken, not both",
                    ))
                }
                (_, Some(InputValue::Function)) => AuthScheme::TokenProvider,
                (_, Some(_)) => {
                    input.has_function("getToken")?;
                    AuthScheme::TokenProvider
                }
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
                    format!(
                        "{} {} must be \"bearer\", \"serviceAccount\" or \"digest\"",
                        input.field("type"),
                        crate::input::quoted(other)
                    ),
                ))
            }
        };
        Ok((scheme, allow_in_browser))
    }
}

/// Authentication failed before the API could answer: the token endpoint refused, a token
/// provider failed, or a secret was about to be used in a browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify),
    tsify(rename = "AuthErrorFields")
)]
#[serde(rename_all = "camelCase")]
pub struct AuthFailure {
    /// The token endpoint's HTTP status, when it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The token endpoint's OAuth error code (`invalid_client`, ...), when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The token endpoint's description of the error, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip)]
    pub message: String,
}
