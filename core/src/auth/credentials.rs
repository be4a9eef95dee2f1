//! A client's credentials while it runs: the header for each request, the service account's token
//! (requested by one call while the others wait for it), the digest nonce in use, and what to do
//! after a 401. Shared by every call of a client; the calls' machines ask it, in turns, what to
//! send. The protocols themselves are the `auth` modules.

use crate::auth::{bearer, AuthScheme};
#[cfg(not(feature = "secret-schemes"))]
use crate::error::Problem;
use crate::error::{AuthFailure, AuthProblem, ValidationError};
use crate::rules::base_url::BaseUrl;
use crate::support::clock::Now;
use crate::support::rng::Rng;
use crate::support::secret::Secret;
#[cfg(feature = "secret-schemes")]
use crate::wire::headers::RetryAfter;
use crate::wire::request::HttpRequest;
use crate::wire::response_info::ResponseHeaders;
use alloc::{vec, vec::Vec};

#[cfg(feature = "secret-schemes")]
use crate::auth::digest::{self, DigestSession};
#[cfg(feature = "secret-schemes")]
use crate::auth::service_account::{decode_token_response, IssuedToken, ServiceAccount};
#[cfg(feature = "secret-schemes")]
use alloc::string::String;

/// Tells one call of a client from another, so that a token request has an owner.
pub type CallId = u64;

/// How the calls of one client (or one free call) authenticate.
#[derive(Debug)]
pub struct Credentials {
    scheme: Scheme,
    /// Changes whenever the shared state does, so calls waiting on it know to look again.
    epoch: u64,
    next_call: CallId,
}

#[derive(Debug)]
enum Scheme {
    None,
    Bearer(Secret),
    Provider,
    #[cfg(feature = "secret-schemes")]
    ServiceAccount {
        account: ServiceAccount,
        token: TokenState,
    },
    #[cfg(feature = "secret-schemes")]
    Digest {
        public_key: String,
        private_key: Secret,
        session: Option<DigestSession>,
    },
}

#[cfg(feature = "secret-schemes")]
#[derive(Debug)]
enum TokenState {
    Absent,
    /// One call is requesting a token; the others wait for it.
    Requested {
        by: CallId,
    },
    Issued(IssuedToken),
}

/// What a call should do to authenticate its next request.
#[derive(Debug, Clone, PartialEq)]
pub enum Authorization {
    /// Send the request with this `Authorization` (or with none).
    Header(Option<Secret>),
    /// Request a token with this request first, then ask again.
    Exchange(HttpRequest),
    /// Another call is requesting a token: wait until the credentials change.
    Wait,
    /// Ask the token broker (`getToken`) for this request's token.
    AskProvider,
}

impl Credentials {
    /// The credentials of `scheme`. A build without the secret schemes refuses them here.
    pub fn new(scheme: AuthScheme, base_url: &BaseUrl) -> Result<Self, ValidationError> {
        let scheme = match scheme {
            AuthScheme::None => Scheme::None,
            AuthScheme::Bearer(token) => Scheme::Bearer(bearer::header(&token)),
            AuthScheme::TokenProvider => Scheme::Provider,
            #[cfg(feature = "secret-schemes")]
            AuthScheme::ServiceAccount {
                client_id,
                client_secret,
            } => Scheme::ServiceAccount {
                account: ServiceAccount::new(base_url, client_id, client_secret),
                token: TokenState::Absent,
            },
            #[cfg(feature = "secret-schemes")]
            AuthScheme::Digest {
                public_key,
                private_key,
            } => Scheme::Digest {
                public_key,
                private_key,
                session: None,
            },
            #[cfg(not(feature = "secret-schemes"))]
            AuthScheme::ServiceAccount { .. } | AuthScheme::Digest { .. } => {
                let _ = base_url;
                let scheme = if matches!(scheme, AuthScheme::Digest { .. }) {
                    "digest"
                } else {
                    "serviceAccount"
                };
                return Err(ValidationError::new(
                    "auth.type",
                    Problem::NotInThisBuild { scheme },
                ));
            }
        };
        Ok(Credentials {
            scheme,
            epoch: 0,
            next_call: 0,
        })
    }

    /// An id for a new call.
    pub fn call_id(&mut self) -> CallId {
        self.next_call = self.next_call.wrapping_add(1);
        self.next_call
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    fn changed(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
    }

    /// What `call` should do before sending `request`.
    pub fn authorize(
        &mut self,
        call: CallId,
        now: Now,
        request: &HttpRequest,
        rng: &mut Rng,
    ) -> Authorization {
        let _ = (call, now, request, &rng);
        match &mut self.scheme {
            Scheme::None => Authorization::Header(None),
            Scheme::Bearer(header) => Authorization::Header(Some(header.clone())),
            Scheme::Provider => Authorization::AskProvider,
            #[cfg(feature = "secret-schemes")]
            Scheme::ServiceAccount { account, token } => match token {
                TokenState::Issued(issued) if issued.is_usable(now) => {
                    Authorization::Header(Some(bearer::header(&issued.token)))
                }
                TokenState::Requested { by } if *by != call => Authorization::Wait,
                _ => {
                    *token = TokenState::Requested { by: call };
                    Authorization::Exchange(account.token_request())
                }
            },
            #[cfg(feature = "secret-schemes")]
            Scheme::Digest {
                public_key,
                private_key,
                session,
            } => Authorization::Header(session.as_mut().map(|session| {
                session.authorization(
                    public_key,
                    private_key,
                    request.method.as_str(),
                    request.target(),
                    &rng.nonce(),
                )
            })),
        }
    }

    /// The token endpoint answered `call`'s request: the token is kept, or the refusal returned.
    pub fn token_answered(
        &mut self,
        call: CallId,
        now: Now,
        status: u16,
        headers: &ResponseHeaders,
        body: &str,
        request_url: &str,
    ) -> Result<(), AuthFailure> {
        let _ = (call, now, status, headers, body, request_url);
        #[cfg(feature = "secret-schemes")]
        if let Scheme::ServiceAccount { token, .. } = &mut self.scheme {
            let answer = if is_redirect(status) {
                Err(AuthFailure {
                    status: Some(status),
                    location: location_origin(headers.location.as_deref(), request_url),
                    ..AuthFailure::new(AuthProblem::TokenRedirect)
                })
            } else {
                decode_token_response(status, body, now)
            };
            let answer = answer.map_err(|mut failure| {
                if status == 429 {
                    // The header's meaning, as a number: its text is never kept.
                    failure.retry_after_ms = headers
                        .retry_after
                        .as_deref()
                        .and_then(RetryAfter::parse)
                        // A date counts from the wall clock, which may be unreadable.
                        .filter(|after| {
                            matches!(after, RetryAfter::Seconds(_)) || now.wall_ms.is_finite()
                        })
                        .map(|after| after.seconds_from(now.wall_ms).saturating_mul(1000));
                }
                failure
            });
            *token = match &answer {
                Ok(issued) => TokenState::Issued(issued.clone()),
                Err(_) => TokenState::Absent,
            };
            self.changed();
            return answer.map(|_| ());
        }
        Err(AuthFailure::new(AuthProblem::NoAccessToken))
    }

    /// `call` gave up on its token request (aborted, timed out, failed): another may try.
    pub fn token_abandoned(&mut self, call: CallId) {
        let _ = call;
        #[cfg(feature = "secret-schemes")]
        if let Scheme::ServiceAccount { token, .. } = &mut self.scheme {
            if matches!(token, TokenState::Requested { by } if *by == call) {
                *token = TokenState::Absent;
                self.changed();
            }
        }
    }

    /// After a 401 to a request sent with `sent`: whether one more try can succeed (a fresh token,
    /// a digest challenge to answer, a stale nonce renewed).
    pub fn renew_after_unauthorized(
        &mut self,
        sent: Option<&Secret>,
        www_authenticate: Option<&str>,
    ) -> bool {
        let _ = (sent, www_authenticate);
        match &mut self.scheme {
            #[cfg(feature = "secret-schemes")]
            Scheme::ServiceAccount { token, .. } => {
                // Drop the token that failed, unless a newer one has replaced it meanwhile.
                if let TokenState::Issued(issued) = token {
                    if sent.is_some_and(|s| *s == bearer::header(&issued.token)) {
                        *token = TokenState::Absent;
                        self.changed();
                    }
                }
                true
            }
            #[cfg(feature = "secret-schemes")]
            Scheme::Digest { session, .. } => {
                let challenges = digest::parse_challenges(www_authenticate.unwrap_or_default());
                let Some(challenge) = digest::choose(&challenges) else {
                    return false;
                };
                // A wrong key gets a fresh, non-stale challenge: answering it again would only loop.
                if session.is_some() && sent.is_some() && !challenge.stale {
                    return false;
                }
                *session = Some(DigestSession::new(challenge.clone()));
                true
            }
            _ => false,
        }
    }

    /// The request that revokes the service account's token, which is then forgotten; `None`
    /// when there is nothing to revoke.
    pub fn revocation(&mut self) -> Option<HttpRequest> {
        #[cfg(feature = "secret-schemes")]
        let request = match &mut self.scheme {
            Scheme::ServiceAccount { account, token } => {
                match core::mem::replace(token, TokenState::Absent) {
                    TokenState::Issued(issued) => Some(account.revoke_request(&issued.token)),
                    other => {
                        *token = other;
                        None
                    }
                }
            }
            _ => None,
        };
        #[cfg(not(feature = "secret-schemes"))]
        let request: Option<HttpRequest> = None;
        if request.is_some() {
            self.changed();
        }
        request
    }

    /// Every credential held, in every form that is sent, to scrub from captured text.
    pub fn secrets(&self) -> Vec<&str> {
        match &self.scheme {
            Scheme::None | Scheme::Provider => Vec::new(),
            Scheme::Bearer(header) => vec![
                header.expose(),
                header.expose().strip_prefix("Bearer ").unwrap_or_default(),
            ],
            #[cfg(feature = "secret-schemes")]
            Scheme::ServiceAccount { account, token } => {
                let mut secrets: Vec<&str> = account.secrets().iter().map(|s| s.expose()).collect();
                secrets.push(account.basic_credentials());
                if let TokenState::Issued(issued) = token {
                    secrets.push(issued.token.expose());
                }
                secrets
            }
            #[cfg(feature = "secret-schemes")]
            Scheme::Digest { private_key, .. } => vec![private_key.expose()],
        }
    }
}

pub use crate::error::is_redirect;

/// Where a redirect points, as its origin only: see [`crate::wire::headers::location_origin`].
pub use crate::wire::headers::location_origin;
