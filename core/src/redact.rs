//! Keeping credentials out of errors. A proxy that reflects request headers into its error page,
//! or a server that echoes a token in `detail`, must not put a secret into an `AtlasError`: every
//! text captured from a response is scrubbed of every credential the client holds and every form
//! of it that was sent.

use crate::error::{ApiFailure, AuthFailure, Failure};
use crate::text;
use alloc::string::String;

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

fn scrub_all(texts: [&mut Option<String>; 6], secrets: &[&str]) {
    for text in texts.into_iter().flatten() {
        scrub(text, secrets);
    }
}

/// Scrubs every text a failure captured from a response.
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
                ],
                secrets,
            );
        }
        Failure::Decode(decode) => {
            if let Some(found) = &mut decode.found {
                scrub(found, secrets);
            }
        }
        Failure::Auth(AuthFailure {
            error_code, detail, ..
        }) => {
            for text in [error_code, detail].into_iter().flatten() {
                scrub(text, secrets);
            }
        }
        _ => {}
    }
}
