//! Keeping credentials out of errors. A proxy that reflects request headers into its error page,
//! or a server that echoes a token in `detail`, must not put a secret into an `AtlasError`: every
//! text captured from a response is scrubbed of every credential the client holds and every form
//! of it that was sent.

use crate::error::{ApiFailure, AuthFailure, Failure};
use crate::support::limits::{FOREIGN_BODY_LIMIT, FOUND_TEXT_LIMIT};
use crate::support::text;
use alloc::string::String;
use alloc::vec::Vec;

/// What replaces a secret.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this are not searched for: they would match ordinary text everywhere,
/// and are no secret anyway.
const MIN_SECRET_LENGTH: usize = 4;

/// `text` with every occurrence of each of `secrets` replaced.
pub fn scrub(text: &mut String, secrets: &[&str]) {
    for secret in secrets {
        if secret.len() >= MIN_SECRET_LENGTH && text::find(text, secret).is_some() {
            *text = text::replace_all(text, secret, REDACTED);
        }
    }
}

/// The forms of a sent `Authorization` value that a reflecting server may repeat: the value, a
/// Bearer token on its own, and a digest's `response` (which survives an escaped quote).
pub fn sent_forms(header: &str) -> Vec<&str> {
    let mut forms = alloc::vec![header];
    forms.extend(header.strip_prefix("Bearer "));
    if let Some((_, after)) = text::split_once(header, "response=\"") {
        forms.extend(after.split('"').next());
    }
    forms
}

fn scrub_all<const N: usize>(texts: [&mut Option<String>; N], secrets: &[&str]) {
    for text in texts.into_iter().flatten() {
        scrub(text, secrets);
    }
}

/// `text` cut to at most `limit` bytes, at a character boundary.
fn cut(text: &mut String, limit: usize) {
    if text.len() > limit {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        text.truncate(end);
    }
}

/// Scrubs every text a failure captured from a response, then cuts the long ones to what is kept.
pub fn scrub_failure(failure: &mut Failure, secrets: &[&str]) {
    match failure {
        Failure::Api(api) => {
            let ApiFailure {
                error_code,
                reason,
                detail,
                parameters,
                bad_request_detail,
                body,
                location,
                ..
            } = &mut **api;
            scrub_all(
                [
                    error_code,
                    reason,
                    detail,
                    parameters,
                    bad_request_detail,
                    body,
                    location,
                ],
                secrets,
            );
            if let Some(body) = body {
                cut(body, FOREIGN_BODY_LIMIT);
            }
        }
        Failure::Decode(decode) => {
            if let Some(found) = &mut decode.found {
                scrub(found, secrets);
                cut(found, FOUND_TEXT_LIMIT);
            }
        }
        Failure::Auth(AuthFailure {
            error_code,
            detail,
            location,
            ..
        }) => scrub_all([error_code, detail, location], secrets),
        _ => {}
    }
}
