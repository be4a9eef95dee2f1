//! Ending a client: a service account's token is revoked at `/api/oauth/revoke` (RFC 7009). A
//! small machine of its own, driven like a call: one request, never a redirect followed, and a
//! refusal reported rather than taken for success.

use crate::auth::credentials::{is_redirect, location_origin, Credentials};
use crate::error::{AuthFailure, AuthProblem, Failure, Limit};
use crate::machines::call::{Event, Exchange, Outgoing, Transport};
use crate::rules::options::DEFAULT_TIMEOUT_MS;
use crate::wire::request::HttpRequest;
use alloc::string::String;

/// The token endpoints answer with a small JSON document at most.
const MAX_BODY_BYTES: u32 = 64 * 1024;

#[derive(Debug)]
pub enum Revocation {
    /// This request revokes the token.
    Send(HttpRequest),
    Sent(String),
    Done(Option<Result<(), Failure>>),
}

/// What the shell should do next.
#[derive(Debug, PartialEq)]
pub enum RevokeAction {
    Send(Outgoing),
    Done(Result<(), Failure>),
    Idle,
}

impl Revocation {
    /// Takes the client's token, if it has one; nothing to send otherwise.
    pub fn new(credentials: &mut Credentials) -> Self {
        match credentials.revocation() {
            Some(request) => Revocation::Send(request),
            None => Revocation::Done(Some(Ok(()))),
        }
    }

    pub fn poll(&mut self) -> RevokeAction {
        match core::mem::replace(self, Revocation::Done(None)) {
            Revocation::Send(request) => {
                *self = Revocation::Sent(request.url.clone());
                RevokeAction::Send(Outgoing {
                    request,
                    exchange: Exchange::Token,
                    timeout_ms: DEFAULT_TIMEOUT_MS,
                    max_body_bytes: MAX_BODY_BYTES,
                })
            }
            Revocation::Done(Some(result)) => RevokeAction::Done(result),
            other => {
                *self = other;
                RevokeAction::Idle
            }
        }
    }

    pub fn handle(&mut self, event: Event) {
        let Revocation::Sent(url) = core::mem::replace(self, Revocation::Done(None)) else {
            return;
        };
        let result = match event {
            Event::Response(response) if (200..300).contains(&response.status) => Ok(()),
            Event::Response(response) => Err(Failure::Auth(AuthFailure {
                status: Some(response.status),
                location: is_redirect(response.status)
                    .then(|| location_origin(response.headers.location.as_deref(), &url))
                    .flatten(),
                ..AuthFailure::new(AuthProblem::RevokeRefused)
            })),
            Event::Failed(Transport::Network(problem)) => Err(Failure::Network(problem)),
            Event::Failed(Transport::TimedOut) => Err(Failure::Timeout {
                limit: Limit::Attempt,
                ms: DEFAULT_TIMEOUT_MS,
            }),
            Event::Failed(Transport::TooLarge { status }) => Err(Failure::TooLarge {
                status,
                max_body_bytes: u64::from(MAX_BODY_BYTES),
            }),
            Event::Aborted | Event::Provided(_) | Event::Woken => Err(Failure::Aborted),
        };
        *self = Revocation::Done(Some(result));
    }
}
