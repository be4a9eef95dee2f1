//! HTTP Digest access authentication (RFC 7616, `qop=auth`) for Atlas API keys: the public key is
//! the user name, the private key the password. One session keeps the server's nonce and counts
//! requests with it (`nc`), so only the first request of a client pays for a challenge.

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use md5::Md5;
use sha2::{Digest as _, Sha256};

use crate::support::secret::Secret;
use crate::support::text::hex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Md5,
    Sha256,
}

impl DigestAlgorithm {
    fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Md5 => "MD5",
            DigestAlgorithm::Sha256 => "SHA-256",
        }
    }

    fn hash(self, text: &str) -> String {
        match self {
            DigestAlgorithm::Md5 => hex(&Md5::digest(text.as_bytes())),
            DigestAlgorithm::Sha256 => hex(&Sha256::digest(text.as_bytes())),
        }
    }
}

/// One `Digest` challenge of a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub realm: String,
    pub nonce: String,
    pub opaque: Option<String>,
    pub algorithm: DigestAlgorithm,
    pub qop_auth: bool,
    /// "Your nonce expired; retry with this one", not "wrong key".
    pub stale: bool,
}

/// The challenges in a `WWW-Authenticate` value; several may be joined by commas, as fetch joins
/// repeated headers. Challenges of other schemes and unknown algorithms are skipped.
pub fn parse_challenges(header: &str) -> Vec<Challenge> {
    let mut challenges = Vec::new();
    let mut current: Option<Vec<(String, String)>> = None;
    for item in split_outside_quotes(header) {
        let item = item.trim();
        let (scheme_start, rest) = match item.split_once(' ') {
            Some((word, rest)) if !word.contains('=') => (Some(word), rest.trim()),
            _ => (None, item),
        };
        if let Some(scheme) = scheme_start {
            if let Some(params) = current.take() {
                challenges.extend(challenge_from(&params));
            }
            current = scheme.eq_ignore_ascii_case("digest").then(Vec::new);
        }
        if let (Some(params), Some((key, value))) = (current.as_mut(), rest.split_once('=')) {
            params.push((key.trim().to_ascii_lowercase(), unquote(value.trim())));
        }
    }
    if let Some(params) = current {
        challenges.extend(challenge_from(&params));
    }
    challenges
}

/// The challenge to answer: SHA-256 before MD5, and only with `qop=auth`.
pub fn choose(challenges: &[Challenge]) -> Option<&Challenge> {
    let usable = || challenges.iter().filter(|c| c.qop_auth);
    usable()
        .find(|c| c.algorithm == DigestAlgorithm::Sha256)
        .or_else(|| usable().next())
}

fn challenge_from(params: &[(String, String)]) -> Option<Challenge> {
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let algorithm = match get("algorithm")
        .as_deref()
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None | Some("MD5") => DigestAlgorithm::Md5,
        Some("SHA-256") => DigestAlgorithm::Sha256,
        Some(_) => return None,
    };
    Some(Challenge {
        realm: get("realm")?,
        nonce: get("nonce")?,
        opaque: get("opaque"),
        algorithm,
        qop_auth: get("qop")
            .is_some_and(|q| q.split(',').any(|q| q.trim().eq_ignore_ascii_case("auth"))),
        stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
    })
}

/// A nonce in use and how many requests have used it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSession {
    challenge: Challenge,
    count: u32,
}

impl DigestSession {
    pub fn new(challenge: Challenge) -> Self {
        DigestSession {
            challenge,
            count: 0,
        }
    }

    /// The `Authorization` value for one request. `uri` is the request-target (path and query);
    /// `cnonce` a fresh random string.
    pub fn authorization(
        &mut self,
        username: &str,
        password: &Secret,
        method: &str,
        uri: &str,
        cnonce: &str,
    ) -> Secret {
        self.count = self.count.saturating_add(1);
        let c = &self.challenge;
        let algorithm = c.algorithm;
        let nc = hex(&self.count.to_be_bytes());
        let joined = |parts: &[&str]| parts.join(":");
        let ha1 = algorithm.hash(&joined(&[username, &c.realm, password.expose()]));
        let ha2 = algorithm.hash(&joined(&[method, uri]));
        let response = algorithm.hash(&joined(&[&ha1, &c.nonce, &nc, cnonce, "auth", &ha2]));
        let mut header = String::from("Digest ");
        push_quoted(&mut header, "username", username);
        push_quoted(&mut header, ", realm", &c.realm);
        push_quoted(&mut header, ", nonce", &c.nonce);
        push_quoted(&mut header, ", uri", uri);
        for part in [", algorithm=", algorithm.name(), ", qop=auth, nc=", &nc] {
            header.push_str(part);
        }
        push_quoted(&mut header, ", cnonce", cnonce);
        push_quoted(&mut header, ", response", &response);
        if let Some(opaque) = &c.opaque {
            push_quoted(&mut header, ", opaque", opaque);
        }
        Secret::new(header)
    }
}

/// `name="value"`, the value escaped as a quoted-string.
fn push_quoted(header: &mut String, name: &str, value: &str) {
    header.push_str(name);
    header.push_str("=\"");
    for c in value.chars() {
        if matches!(c, '"' | '\\') {
            header.push('\\');
        }
        header.push(c);
    }
    header.push('"');
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut escaped = false;
            for c in inner.chars() {
                if c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                escaped = false;
                out.push(c);
            }
            out
        }
        None => value.to_owned(),
    }
}

/// Splits at commas that are not inside a quoted string.
fn split_outside_quotes(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(text.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(text.get(start..).unwrap_or_default());
    parts
}
