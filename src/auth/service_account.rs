//! Service accounts: the OAuth 2.0 client-credentials exchange at `/api/oauth/token`, the token's
//! lifetime, and revocation. Atlas limits the token endpoint to 10 requests a minute, so a token is
//! reused until shortly before it expires.

use super::AuthFailure;
use crate::base_url::BaseUrl;
use crate::json::{self, Reader};
use crate::secret::Secret;

pub const TOKEN_PATH: &str = "/api/oauth/token";
pub const REVOKE_PATH: &str = "/api/oauth/revoke";

/// A form POST with Basic credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormRequest {
    pub url: String,
    pub authorization: Secret,
    pub body: Secret,
}

/// The client-credentials request (RFC 6749 §4.4).
pub fn token_request(base_url: &BaseUrl, client_id: &str, client_secret: &Secret) -> FormRequest {
    FormRequest {
        url: format!("{}{TOKEN_PATH}", base_url.as_str()),
        authorization: basic(client_id, client_secret),
        body: Secret::new("grant_type=client_credentials"),
    }
}

/// The revocation request (RFC 7009).
pub fn revoke_request(
    base_url: &BaseUrl,
    client_id: &str,
    client_secret: &Secret,
    token: &Secret,
) -> FormRequest {
    FormRequest {
        url: format!("{}{REVOKE_PATH}", base_url.as_str()),
        authorization: basic(client_id, client_secret),
        body: Secret::new(format!(
            "token={}&token_type_hint=access_token",
            form_encode(token.expose())
        )),
    }
}

/// A token and when it stops being used (Unix ms).
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedToken {
    pub token: Secret,
    pub use_until_ms: f64,
}

impl IssuedToken {
    pub fn is_usable(&self, now_ms: f64) -> bool {
        now_ms < self.use_until_ms
    }
}

/// The token endpoint's answer (RFC 6749 §5.1): `access_token` and perhaps `expires_in`.
fn token_body(body: &str) -> Result<(String, Option<f64>), json::Error> {
    string_and_option(
        body,
        "struct TokenBody",
        ["access_token", "expires_in"],
        Reader::f64,
    )
}

/// The token endpoint's refusal (RFC 6749 §5.2): `error` and perhaps `error_description`.
fn oauth_error_body(body: &str) -> Result<(String, Option<String>), json::Error> {
    string_and_option(
        body,
        "struct OAuthErrorBody",
        ["error", "error_description"],
        Reader::string,
    )
}

/// The token endpoint's bodies: an object of a required string `fields[0]` and an optional
/// `fields[1]`, each as `read_second` reads it.
fn string_and_option<'a, T>(
    body: &'a str,
    expected: &str,
    fields: [&'static str; 2],
    read_second: fn(&mut Reader<'a>) -> Result<T, json::Error>,
) -> Result<(String, Option<T>), json::Error> {
    let (mut first, mut second) = (String::new(), None);
    json::read_all(body, |reader| {
        let seen = reader.object(expected, &fields, &mut |r, i| {
            if i == 0 {
                first = r.string()?;
            } else {
                second = r.option(read_second)?;
            }
            Ok(())
        })?;
        reader.require(seen, &fields, 0)
    })?;
    Ok((first, second))
}

/// Atlas issues tokens for an hour; that is assumed when a response names no lifetime.
const DEFAULT_LIFETIME_S: f64 = 3600.0;

/// The token endpoint's answer, decoded. A token is used until a tenth of its life (at most a
/// minute) before it expires, so a request never starts with a token about to lapse.
pub fn decode_token_response(
    status: u16,
    body: &str,
    now_ms: f64,
) -> Result<IssuedToken, AuthFailure> {
    if (200..300).contains(&status) {
        let (access_token, expires_in) = token_body(body).map_err(|_| AuthFailure {
            status: Some(status),
            error_code: None,
            detail: None,
            message: format!("the token endpoint answered {status} without an access token"),
        })?;
        let lifetime = expires_in
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(DEFAULT_LIFETIME_S);
        let margin = (lifetime / 10.0).min(60.0);
        return Ok(IssuedToken {
            token: Secret::new(access_token),
            use_until_ms: now_ms + (lifetime - margin) * 1000.0,
        });
    }
    let (code, detail) = match oauth_error_body(body) {
        Ok((code, detail)) => (Some(code), detail),
        Err(_) => (None, None),
    };
    let hint = match status {
        401 | 400 => "; check the service account's client id and secret",
        429 => "; the token endpoint allows 10 requests a minute",
        _ => "",
    };
    Err(AuthFailure {
        status: Some(status),
        message: format!(
            "the token endpoint refused the service account: {status}{}{hint}",
            code.as_deref().map(|c| format!(" {c}")).unwrap_or_default()
        ),
        error_code: code,
        detail,
    })
}

fn basic(client_id: &str, client_secret: &Secret) -> Secret {
    // RFC 6749 §2.3.1: both parts are form-encoded before the Basic encoding.
    let pair = format!(
        "{}:{}",
        form_encode(client_id),
        form_encode(client_secret.expose())
    );
    Secret::new(format!("Basic {}", base64(pair.as_bytes())))
}

fn form_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol =
        |index: u32| char::from(ALPHABET.get((index & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(symbol(n >> 18));
        out.push(symbol(n >> 12));
        out.push(if chunk.len() > 1 { symbol(n >> 6) } else { '=' });
        out.push(if chunk.len() > 2 { symbol(n) } else { '=' });
    }
    out
}
