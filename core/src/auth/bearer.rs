//! Bearer tokens: one the caller holds, or one a token broker (`getToken`) hands over before
//! each request. Either way the token must fit in a header.

use crate::support::secret::Secret;
use alloc::string::String;

/// The `Authorization` value for a Bearer token.
pub fn header(token: &Secret) -> Secret {
    let mut value = String::with_capacity(token.expose().len().saturating_add(7));
    value.push_str("Bearer ");
    value.push_str(token.expose());
    Secret::new(value)
}

/// What a token broker resolved to, if it is a usable token.
pub fn provided(value: Option<String>) -> Option<Secret> {
    value
        .filter(|token| !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()))
        .map(Secret::new)
}
