//! The base URL rule: absolute `https:` (or `http:` to a loopback host, or anywhere with
//! `allowInsecureHttp`), no credentials, query or fragment, and a host DNS would accept. A path
//! prefix is kept, so a proxy mounted at `https://proxy.example/atlas` works. A base URL quoted in
//! an error never shows user info, a query or a fragment, even when it is malformed.

use crate::error::{Problem, ValidationError};
use crate::support::text;
use alloc::string::String;

pub const DEFAULT_BASE_URL: &str = "https://cloud.mongodb.com";

/// A DNS name's limits (RFC 1035): 253 characters in all, 63 a label.
pub const MAX_HOST_LENGTH: usize = 253;
pub const MAX_LABEL_LENGTH: usize = 63;

/// The longest base URL taken: room for any host and a proxy's path prefix.
pub const MAX_BASE_URL_LENGTH: usize = 2048;

/// A checked base URL, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `scheme://host[:port]`, without the path.
    pub fn origin(&self) -> &str {
        origin(&self.0).unwrap_or(&self.0)
    }

    pub fn parse(value: &str, allow_insecure_http: bool) -> Result<Self, ValidationError> {
        let invalid = |rule: &'static str| {
            ValidationError::new(
                "baseUrl",
                Problem::BaseUrl {
                    rule,
                    url: redacted(value),
                },
            )
        };
        if value.len() > MAX_BASE_URL_LENGTH {
            return Err(ValidationError::new(
                "baseUrl",
                Problem::TooLong {
                    max: MAX_BASE_URL_LENGTH as u64,
                },
            ));
        }
        if is_relative(value) {
            return Err(invalid("relative"));
        }
        let (scheme, rest) = text::split_once(value, "://").ok_or_else(|| invalid("absolute"))?;
        let at = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = (
            rest.get(..at).unwrap_or_default(),
            rest.get(at..).unwrap_or_default(),
        );
        if authority.contains('@') || scheme.contains('@') {
            return Err(invalid("userInfo"));
        }
        if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid("spaces"));
        }
        if value.contains(['?', '#']) {
            return Err(invalid("query"));
        }
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(invalid("scheme"));
        }
        let host = host_of(authority).ok_or_else(|| invalid("host"))?;
        if scheme == "http" && !allow_insecure_http && !is_loopback(&host) {
            return Err(invalid("insecure"));
        }
        let mut url = scheme;
        url.push_str("://");
        url.push_str(&authority.to_ascii_lowercase());
        url.push_str(path.trim_end_matches('/'));
        Ok(BaseUrl(url))
    }
}

/// A reference relative to a page (`/api/atlas`, `./atlas`, `../atlas`). The browser entry
/// resolves one against the page that runs it; where there is no page (server rendering, Node) it
/// reaches this rule, and a client made with one refuses each call rather than its construction.
pub fn is_relative(value: &str) -> bool {
    !value.starts_with("//") && PAGE_RELATIVE.iter().any(|start| value.starts_with(start))
}

/// How a page-relative reference starts; `//` (scheme-relative) is not one.
pub const PAGE_RELATIVE: [&str; 3] = ["/", "./", "../"];

/// The host of `host[:port]` or `[v6]:port`, lowercased, if it and the port are valid.
fn host_of(authority: &str) -> Option<String> {
    host_and_port(authority).map(|(host, _)| host)
}

/// The host (lowercased) and port of an authority without user info, `host[:port]` or
/// `[v6]:port`, if both are valid: a DNS name or IPv4 address (labels of letters, digits, `-` and
/// `_`, each at most 63 long, at most 253 in all, a final dot allowed) or a bracketed IPv6
/// address, and a port from 0 to 65535.
pub fn host_and_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        let v6_ok = !inside.is_empty()
            && inside.len() <= 45
            && inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
        if !v6_ok {
            return None;
        }
        (authority.get(..inside.len().saturating_add(2))?, port)
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) => {
            Some(p.parse::<u16>().ok()?)
        }
        Some(_) => return None,
    };
    let name_ok = host.starts_with('[')
        || (!host.is_empty()
            && host.len() <= MAX_HOST_LENGTH
            && host.trim_end_matches('.').split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= MAX_LABEL_LENGTH
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            }));
    name_ok.then(|| (host.to_ascii_lowercase(), port))
}

/// `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`: traffic that never leaves the machine.
pub fn is_loopback(host: &str) -> bool {
    if host == "localhost" || host.ends_with(".localhost") || host == "[::1]" {
        return true;
    }
    let mut octets = 0;
    let all_octets = host.split('.').all(|o| {
        octets += 1;
        !o.is_empty() && o.len() <= 3 && o.parse::<u8>().is_ok()
    });
    all_octets && octets == 4 && host.starts_with("127.")
}

/// `scheme://authority` of an absolute URL.
pub fn origin(url: &str) -> Option<&str> {
    let (scheme, rest) = text::split_once(url, "://")?;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    if scheme.is_empty() || authority.is_empty() || authority.contains('@') {
        return None;
    }
    url.get(..scheme.len().saturating_add(3).saturating_add(end))
}

/// A URL fit to quote in a message: user info, query and fragment replaced, whatever its shape
/// (`https:/user:pw@host` and `user:pw@host` included).
pub fn redacted(url: &str) -> String {
    const HIDDEN: &str = "[redacted]";
    let (before_query, hidden_tail) = match url.find(['?', '#']) {
        Some(at) => (
            url.get(..at).unwrap_or_default(),
            url.get(at..at.saturating_add(1)),
        ),
        None => (url, None),
    };
    // A scheme followed by a slash (`https:/`, `ftp://`), then any slashes: what follows up to
    // the next slash is the authority. Without one (`user:pw@host`), it starts at once.
    let scheme_len = before_query
        .find(':')
        .filter(|&colon| {
            let scheme = before_query.as_bytes().get(..colon).unwrap_or_default();
            scheme.first().is_some_and(u8::is_ascii_alphabetic)
                && scheme
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
                && before_query.as_bytes().get(colon.saturating_add(1)) == Some(&b'/')
        })
        .map_or(0, |colon| colon.saturating_add(1));
    let after_scheme = before_query.get(scheme_len..).unwrap_or_default();
    let slashes = after_scheme
        .len()
        .saturating_sub(after_scheme.trim_start_matches('/').len());
    let authority_start = scheme_len.saturating_add(slashes);
    let rest = before_query.get(authority_start..).unwrap_or_default();
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or_default();
    let mut out = String::with_capacity(url.len().min(256));
    out.push_str(before_query.get(..authority_start).unwrap_or_default());
    match authority.rfind('@') {
        Some(at) => {
            out.push_str(HIDDEN);
            out.push_str(rest.get(at..).unwrap_or_default());
        }
        None => out.push_str(rest),
    }
    if let Some(mark) = hidden_tail {
        out.push_str(mark);
        out.push_str(HIDDEN);
    }
    out
}
