//! The base URL rule: absolute `https:` (or `http:` to a loopback host, or anywhere with
//! `allowInsecureHttp`), no credentials, query or fragment. A path prefix is kept, so a proxy
//! mounted at `https://proxy.example/atlas` works.

use crate::error::ValidationError;
use crate::input::quoted;

pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// A checked base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn parse(value: &str, allow_insecure_http: bool) -> Result<Self, ValidationError> {
        let invalid = |why: &str| ValidationError::new("baseUrl", format!("baseUrl {why}"));
        let (scheme, rest) = value.split_once("://").ok_or_else(|| {
            invalid(&format!(
                "{} must be an absolute http(s) URL",
                quoted(value)
            ))
        })?;
        let (authority, path) = match rest.find('/') {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        // Checked before anything echoes the value: user info may hold a password.
        if authority.contains('@') {
            return Err(invalid(
                "must not contain a user name or password; pass credentials as options",
            ));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(&format!(
                "{} must not contain spaces or control characters",
                quoted(value)
            )));
        }
        if value.contains('?') || value.contains('#') {
            return Err(invalid(&format!(
                "{} must not have a query or fragment",
                quoted(value)
            )));
        }
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(invalid(&format!(
                "{} must use https: (or http: to a loopback host)",
                quoted(value)
            )));
        }
        let host = host_of(authority)
            .ok_or_else(|| invalid(&format!("{} has no valid host and port", quoted(value))))?;
        if scheme == "http" && !allow_insecure_http && !is_loopback(&host) {
            return Err(invalid(&format!(
                "{} uses http: to a host that is not loopback; use https:, or set allowInsecureHttp: true to send credentials unencrypted",
                quoted(value)
            )));
        }
        let path = path.trim_end_matches('/');
        Ok(BaseUrl(format!(
            "{scheme}://{}{path}",
            authority.to_ascii_lowercase()
        )))
    }
}

/// The host of `host[:port]` or `[v6]:port`, lowercased, if the port (when present) is valid.
fn host_of(authority: &str) -> Option<String> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        (format!("[{inside}]"), after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host.to_owned(), Some(port)),
            None => (authority.to_owned(), None),
        }
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok());
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']' | ':'));
    (port_ok && host_ok).then(|| host.to_ascii_lowercase())
}

/// `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`: traffic that never leaves the machine.
pub fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".localhost") || host == "[::1]" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets.first() == Some(&"127")
        && octets.iter().all(|o| o.parse::<u8>().is_ok())
}
