//! Service accounts: the OAuth 2.0 client-credentials exchange at `/api/oauth/token`, the token's
//! lifetime, and revocation. Atlas limits the token endpoint to 10 requests a minute, so a token is
//! reused until shortly before it expires.

use crate::error::{AuthFailure, AuthProblem};
use crate::rules::base_url::BaseUrl;
use crate::support::clock::Now;
use crate::support::secret::Secret;
use crate::wire::json::{self, Field, Object, Seen, Shape, Sink};
use crate::wire::request::HttpRequest;
use alloc::{borrow::ToOwned, string::String};

pub const TOKEN_PATH: &str = "/api/oauth/token";
pub const REVOKE_PATH: &str = "/api/oauth/revoke";

/// Atlas issues tokens for an hour; that is assumed when a response names no lifetime.
const DEFAULT_LIFETIME_S: f64 = 3600.0;

/// A service account's fixed facts: where its endpoints are and how it signs in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccount {
    pub client_id: String,
    client_secret: Secret,
    /// `Basic base64(clientId:clientSecret)`, form-encoded first (RFC 6749 §2.3.1).
    basic: Secret,
    token_url: String,
    revoke_url: String,
}

impl ServiceAccount {
    pub fn new(base_url: &BaseUrl, client_id: String, client_secret: Secret) -> Self {
        let mut pair = form_encode(&client_id);
        pair.push(':');
        pair.push_str(&form_encode(client_secret.expose()));
        let mut basic = String::from("Basic ");
        basic.push_str(&base64(pair.as_bytes()));
        let url = |path: &str| {
            let mut url = base_url.as_str().to_owned();
            url.push_str(path);
            url
        };
        ServiceAccount {
            token_url: url(TOKEN_PATH),
            revoke_url: url(REVOKE_PATH),
            client_id,
            client_secret,
            basic: Secret::new(basic),
        }
    }

    /// The client-credentials request (RFC 6749 §4.4).
    pub fn token_request(&self) -> HttpRequest {
        HttpRequest::form_post(
            self.token_url.clone(),
            self.basic.clone(),
            Secret::new("grant_type=client_credentials"),
        )
    }

    /// The revocation request (RFC 7009).
    pub fn revoke_request(&self, token: &Secret) -> HttpRequest {
        let mut body = String::from("token=");
        body.push_str(&form_encode(token.expose()));
        body.push_str("&token_type_hint=access_token");
        HttpRequest::form_post(
            self.revoke_url.clone(),
            self.basic.clone(),
            Secret::new(body),
        )
    }

    /// Every form of the account's secret that is ever sent.
    pub fn secrets(&self) -> [&Secret; 2] {
        [&self.client_secret, &self.basic]
    }

    /// The `base64(...)` part of the Basic header, which is sent on its own too.
    pub fn basic_credentials(&self) -> &str {
        self.basic
            .expose()
            .strip_prefix("Basic ")
            .unwrap_or_default()
    }
}

/// A token and when it stops being used, on the monotonic clock: the endpoint states its lifetime
/// (`expires_in`, seconds from now), not a date, so a step of the wall clock leaves it alone.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedToken {
    pub token: Secret,
    pub use_until_ms: f64,
}

impl IssuedToken {
    pub fn is_usable(&self, now: Now) -> bool {
        now.monotonic_ms < self.use_until_ms
    }
}

const ACCESS_TOKEN: u8 = 1;
const EXPIRES_IN: u8 = 2;
const ERROR: u8 = 3;
const ERROR_DESCRIPTION: u8 = 4;

/// The token endpoint's answer (RFC 6749 §5.1).
static TOKEN_BODY: Object = Object {
    name: "struct TokenBody",
    fields: &[
        Field::required("access_token", Shape::String).tagged(ACCESS_TOKEN),
        Field::optional("expires_in", Shape::Number).tagged(EXPIRES_IN),
    ],
};

/// The token endpoint's refusal (RFC 6749 §5.2).
static OAUTH_ERROR: Object = Object {
    name: "struct OAuthErrorBody",
    fields: &[
        Field::required("error", Shape::String).tagged(ERROR),
        Field::optional("error_description", Shape::String).tagged(ERROR_DESCRIPTION),
    ],
};

#[derive(Default)]
struct TokenSink {
    texts: [Option<String>; 4],
    expires_in: Option<f64>,
}

impl Sink for TokenSink {
    fn seen(&mut self, tag: u8, what: Seen<'_>) {
        match what {
            Seen::Text(text) => {
                if let Some(slot) = self.texts.get_mut(usize::from(tag).saturating_sub(1)) {
                    *slot = Some(text.into_owned());
                }
            }
            Seen::Number(n) if tag == EXPIRES_IN => self.expires_in = Some(n),
            _ => {}
        }
    }
    fn cut(&mut self, _: usize, _: usize) {}
}

/// The token endpoint's answer, decoded. A token is used until a tenth of its life (at most a
/// minute) before it expires, so a request never starts with a token about to lapse.
pub fn decode_token_response(
    status: u16,
    body: &str,
    now: Now,
) -> Result<IssuedToken, AuthFailure> {
    let mut sink = TokenSink::default();
    if (200..300).contains(&status) {
        let checked = json::check(body, &Shape::Object(&TOKEN_BODY), &mut sink);
        // A token that no header can carry would fail every request it is sent with.
        let access_token = match (checked, sink.texts) {
            (Ok(()), [Some(token), ..])
                if !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()) =>
            {
                token
            }
            _ => {
                return Err(AuthFailure {
                    status: Some(status),
                    ..AuthFailure::new(AuthProblem::NoAccessToken)
                })
            }
        };
        let lifetime = sink
            .expires_in
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(DEFAULT_LIFETIME_S);
        let margin = (lifetime / 10.0).min(60.0);
        return Ok(IssuedToken {
            token: Secret::new(access_token),
            use_until_ms: now.monotonic_ms + (lifetime - margin) * 1000.0,
        });
    }
    let understood = json::check(body, &Shape::Object(&OAUTH_ERROR), &mut sink).is_ok();
    let [_, _, code, detail] = sink.texts;
    Err(AuthFailure {
        status: Some(status),
        error_code: code.filter(|_| understood),
        detail: detail.filter(|_| understood),
        ..AuthFailure::new(AuthProblem::TokenRefused)
    })
}

fn form_encode(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                for nibble in [b >> 4, b & 15] {
                    out.push(char::from(
                        HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
                    ));
                }
            }
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let symbol =
        |index: u32| char::from(ALPHABET.get((index & 63) as usize).copied().unwrap_or(b'='));
    let mut out = String::with_capacity(bytes.len().div_ceil(3).saturating_mul(4));
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
