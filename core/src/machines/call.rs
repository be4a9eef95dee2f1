//! One call of `listExportJobs`, as a state machine without I/O (the shape of quinn-proto's
//! `Connection`): [`Call::poll`] says what to do next, [`Call::handle`] takes what happened, and
//! the time is always an argument ([`Now`]: waits and the deadline on the monotonic clock, the
//! wall clock only for a server's HTTP date). Everything a call decides lives here:
//! authenticating (a token request, a token broker, a digest challenge, a 401's one renewal),
//! each attempt's timeout against the call's deadline, redirects, decoding, and whether and when
//! to retry. The wasm shell only executes the actions; native tests drive it with a fake clock.

use crate::auth::bearer;
use crate::auth::credentials::{is_redirect, location_origin, Authorization, CallId, Credentials};
use crate::error::facts::{Describe, Facts};
use crate::error::redact;
use crate::error::{ApiFailure, AuthFailure, AuthProblem, Failure, Limit, NetworkProblem};
use crate::machines::retry::{decide, AttemptOutcome, Decision, RetryPolicy};
use crate::rules::options::CallOptions;
use crate::rules::params::ListExportJobsParams;
use crate::support::clock::Now;
use crate::support::num;
use crate::support::rng::Rng;
use crate::support::secret::Secret;
use crate::wire::decode::{self, Page, Reading};
use crate::wire::request::HttpRequest;
use crate::wire::response_info::{ResponseHeaders, ResponseInfo};
use alloc::{boxed::Box, string::String, vec::Vec};

/// What every attempt of a call needs, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallPlan {
    /// The page request, without its `Authorization`.
    pub request: HttpRequest,
    pub enveloped: bool,
    pub timeout_ms: u32,
    pub deadline_ms: u32,
    pub max_body_bytes: u32,
    pub retry: RetryPolicy,
    /// What the page is read for: a watch's rounds also read each job's progress.
    pub read: Reading,
}

impl CallPlan {
    pub fn new(
        params: &ListExportJobsParams,
        options: &CallOptions,
    ) -> Result<Self, crate::error::ValidationError> {
        Ok(CallPlan {
            request: HttpRequest::list_export_jobs(params, &options.base_url, options.api_version)?,
            enveloped: params.envelope == Some(true),
            timeout_ms: options.timeout_ms,
            deadline_ms: options.deadline_ms,
            max_body_bytes: options.max_body_bytes,
            retry: options.retry,
            read: Reading::Listing,
        })
    }
}

/// Which exchange a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exchange {
    /// The page request.
    Api,
    /// A service account's token request.
    Token,
}

/// A request to send, with how long to wait for its whole response and how much of it to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub request: HttpRequest,
    pub exchange: Exchange,
    pub timeout_ms: u32,
    pub max_body_bytes: u32,
}

/// What the shell should do next.
#[derive(Debug, PartialEq)]
pub enum Action {
    /// Send this request (never following a redirect), then report with [`Event::Response`] or
    /// [`Event::Failed`]; the caller's signal ends it with [`Event::Aborted`].
    Send(Outgoing),
    /// Call the token broker, waiting at most `timeout_ms` for it; report [`Event::Provided`].
    GetToken { timeout_ms: u32 },
    /// Wait `ms` (a backoff), telling `onRetry` first when `retry` is set; then poll again.
    Wait { ms: u32, retry: Option<RetryEvent> },
    /// Wait until the credentials change (another call's token request ends) or `ms` pass;
    /// then report [`Event::Woken`].
    WaitForCredentials { ms: u32 },
    /// The call is over.
    Done(Outcome),
    /// Nothing to do now: an action's answer is awaited (see [`Call::handle`]), or the outcome
    /// was handed over already.
    Idle,
}

/// How a call ended, with what it learned about the last response.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub result: Result<Page, Failure>,
    pub info: ResponseInfo,
}

/// A whole response, its body read up to the size allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: ResponseHeaders,
    pub body: Vec<u8>,
}

/// Why no whole response arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Network(NetworkProblem),
    /// The `timeout_ms` of the action ran out.
    TimedOut,
    /// The body was larger than `max_body_bytes`; reading stopped there.
    TooLarge {
        status: u16,
    },
}

/// What happened, for [`Call::handle`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Response(Response),
    Failed(Transport),
    /// The caller's signal fired.
    Aborted,
    /// The token broker's answer: the token, or `None` when it threw, rejected or gave something
    /// other than a string.
    Provided(Option<String>),
    /// A wait ended (its time passed, or the credentials changed).
    Woken,
}

/// What `onRetry` is told before each wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryEvent {
    /// The attempt that failed, from 1.
    pub attempt: u32,
    /// How long the client waits before the next attempt, in milliseconds.
    pub delay_ms: u64,
    /// How the attempt failed: `"api"` (an answer), `"network"` (none) or `"timeout"`.
    pub kind: &'static str,
    pub status: Option<u16>,
    pub error_code: Option<String>,
}

impl Describe for RetryEvent {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.number("attempt", f64::from(self.attempt));
        facts.number("delayMs", self.delay_ms as f64);
        facts.text("kind", self.kind);
        if let Some(status) = self.status {
            facts.number("status", f64::from(status));
        }
        if let Some(code) = &self.error_code {
            facts.text("errorCode", code);
        }
    }
}

#[derive(Debug)]
enum State {
    /// About to authenticate and send the next request.
    Ready,
    /// A request is on its way; `limit` is what bounded its time.
    Sent {
        exchange: Exchange,
        limit: Limit,
        timeout_ms: u32,
        authorization: Option<Secret>,
    },
    AskedProvider {
        limit: Limit,
        timeout_ms: u32,
    },
    /// The broker's token, for the next request only.
    Provided(Secret),
    WaitingForCredentials,
    /// Until `until_ms` on the monotonic clock.
    Backoff {
        until_ms: f64,
        notify: Option<RetryEvent>,
    },
    Finished(Option<Outcome>),
}

/// One call: its plan, the attempts made so far, and what it waits for.
#[derive(Debug)]
pub struct Call {
    id: CallId,
    plan: CallPlan,
    /// When the call's time runs out, on the monotonic clock.
    deadline_at_ms: f64,
    attempts: u32,
    /// A 401 is answered at most once by renewing the credentials.
    renewed: bool,
    rng: Rng,
    state: State,
    info: ResponseInfo,
}

impl Call {
    /// A call starting `now`; `seed` drives its jitter and nonces.
    pub fn new(plan: CallPlan, credentials: &mut Credentials, now: Now, seed: u64) -> Self {
        Call {
            id: credentials.call_id(),
            deadline_at_ms: now.monotonic_ms + f64::from(plan.deadline_ms),
            plan,
            attempts: 0,
            renewed: false,
            rng: Rng::new(seed),
            state: State::Ready,
            info: ResponseInfo::default(),
        }
    }

    /// What to do next.
    pub fn poll(&mut self, now: Now, credentials: &mut Credentials) -> Action {
        let now_ms = now.monotonic_ms;
        loop {
            match &mut self.state {
                State::Finished(outcome) => {
                    return outcome.take().map_or(Action::Idle, Action::Done);
                }
                State::Sent { .. } | State::AskedProvider { .. } => return Action::Idle,
                State::Backoff { until_ms, notify } => {
                    // The first poll tells `onRetry`, even of a wait of no time at all. No wait
                    // outlives the deadline.
                    let until_ms = until_ms.min(self.deadline_at_ms);
                    if now_ms < until_ms || notify.is_some() {
                        let ms =
                            num::ceil(until_ms - now_ms).clamp(0.0, f64::from(u32::MAX)) as u32;
                        return Action::Wait {
                            ms,
                            retry: notify.take(),
                        };
                    }
                    self.state = State::Ready;
                }
                State::WaitingForCredentials => self.state = State::Ready,
                State::Ready | State::Provided(_) => {
                    let Some((timeout_ms, limit)) = self.attempt_time(now) else {
                        self.finish_timeout(credentials);
                        continue;
                    };
                    return self.next_request(now, timeout_ms, limit, credentials);
                }
            }
        }
    }

    /// How long the next wait may take, and which setting bounds it; `None` past the deadline.
    fn attempt_time(&self, now: Now) -> Option<(u32, Limit)> {
        let remaining = self.deadline_at_ms - now.monotonic_ms;
        if remaining < 1.0 {
            return None;
        }
        Some(if remaining < f64::from(self.plan.timeout_ms) {
            (num::ceil(remaining) as u32, Limit::Deadline)
        } else {
            (self.plan.timeout_ms, Limit::Attempt)
        })
    }

    fn next_request(
        &mut self,
        now: Now,
        timeout_ms: u32,
        limit: Limit,
        credentials: &mut Credentials,
    ) -> Action {
        let authorization = match core::mem::replace(&mut self.state, State::Ready) {
            State::Provided(token) => Authorization::Header(Some(bearer::header(&token))),
            _ => credentials.authorize(self.id, now, &self.plan.request, &mut self.rng),
        };
        let (request, exchange, authorization) = match authorization {
            Authorization::Header(authorization) => {
                self.attempts = self.attempts.saturating_add(1);
                let request = HttpRequest {
                    authorization: authorization.clone(),
                    ..self.plan.request.clone()
                };
                (request, Exchange::Api, authorization)
            }
            Authorization::Exchange(request) => (request, Exchange::Token, None),
            Authorization::Wait => {
                self.state = State::WaitingForCredentials;
                return Action::WaitForCredentials { ms: timeout_ms };
            }
            Authorization::AskProvider => {
                self.state = State::AskedProvider { limit, timeout_ms };
                return Action::GetToken { timeout_ms };
            }
        };
        self.state = State::Sent {
            exchange,
            limit,
            timeout_ms,
            authorization,
        };
        Action::Send(Outgoing {
            request,
            exchange,
            timeout_ms,
            max_body_bytes: self.plan.max_body_bytes,
        })
    }

    /// Ends the call with `failure`, whatever it was doing (the shell could not carry out what it
    /// asked for), and hands over the outcome.
    pub fn end(&mut self, failure: Failure, credentials: &mut Credentials) -> Outcome {
        // A token request this call owned must not keep the others waiting.
        credentials.token_abandoned(self.id);
        self.state = State::Finished(None);
        Outcome {
            result: Err(failure),
            info: core::mem::take(&mut self.info),
        }
    }

    /// Takes what happened to the last action.
    pub fn handle(&mut self, now: Now, credentials: &mut Credentials, event: Event) {
        let state = core::mem::replace(&mut self.state, State::Ready);
        match (state, event) {
            (State::Finished(outcome), _) => self.state = State::Finished(outcome),
            (_, Event::Aborted) => self.finish(Err(Failure::Aborted), credentials),
            (
                State::Sent {
                    exchange: Exchange::Token,
                    limit,
                    timeout_ms,
                    ..
                },
                event,
            ) => self.token_event(now, credentials, event, limit, timeout_ms),
            (
                State::Sent {
                    exchange: Exchange::Api,
                    authorization,
                    ..
                },
                Event::Response(response),
            ) => self.response(now, credentials, response, authorization.as_ref()),
            (
                State::Sent {
                    exchange: Exchange::Api,
                    limit,
                    timeout_ms,
                    ..
                },
                Event::Failed(transport),
            ) => self.transport_failure(now, credentials, transport, limit, timeout_ms),
            (State::AskedProvider { .. }, Event::Provided(token)) => {
                let problem = match token.map(|token| bearer::provided(Some(token))) {
                    Some(Some(token)) => {
                        self.state = State::Provided(token);
                        return;
                    }
                    // It resolved, to something no header can carry.
                    Some(None) => AuthProblem::ProviderBadToken,
                    None => AuthProblem::ProviderFailed,
                };
                self.finish(Err(AuthFailure::new(problem).into()), credentials)
            }
            (State::AskedProvider { limit, timeout_ms }, Event::Failed(_)) => {
                self.finish(Err(self.timed_out(limit, timeout_ms)), credentials)
            }
            // A wait ended, or an event that does not belong to the state: look again.
            (state, _) => {
                self.state = match state {
                    State::Backoff { until_ms, .. } => State::Backoff {
                        until_ms,
                        notify: None,
                    },
                    State::Provided(token) => State::Provided(token),
                    _ => State::Ready,
                }
            }
        }
    }

    fn token_event(
        &mut self,
        now: Now,
        credentials: &mut Credentials,
        event: Event,
        limit: Limit,
        timeout_ms: u32,
    ) {
        let result = match event {
            Event::Response(response) => {
                let body = decode::body_text(response.body).unwrap_or_default();
                credentials.token_answered(
                    self.id,
                    now,
                    response.status,
                    &response.headers,
                    &body,
                    &self.plan.request.url,
                )
            }
            Event::Failed(transport) => {
                credentials.token_abandoned(self.id);
                let failure = match transport {
                    Transport::Network(problem) => Failure::Network(problem),
                    Transport::TimedOut => self.timed_out(limit, timeout_ms),
                    Transport::TooLarge { status } => Failure::TooLarge {
                        status,
                        max_body_bytes: u64::from(self.plan.max_body_bytes),
                    },
                };
                return self.finish(Err(failure), credentials);
            }
            _ => {
                self.state = State::Sent {
                    exchange: Exchange::Token,
                    limit,
                    timeout_ms,
                    authorization: None,
                };
                return;
            }
        };
        match result {
            Ok(()) => self.state = State::Ready,
            Err(failure) => {
                // The token endpoint's words may repeat what it was sent.
                let mut failure = Failure::Auth(failure);
                redact::scrub_failure(&mut failure, &credentials.secrets());
                self.finish(Err(failure), credentials)
            }
        }
    }

    fn response(
        &mut self,
        now: Now,
        credentials: &mut Credentials,
        response: Response,
        sent: Option<&Secret>,
    ) {
        let Response {
            status,
            headers,
            body,
        } = response;
        self.info = ResponseInfo::of(self.attempts, status, &headers);
        self.info.forget_secrets(&secrets_of(credentials, sent));
        if status == 401
            && !self.renewed
            && credentials.renew_after_unauthorized(sent, headers.www_authenticate.as_deref())
        {
            self.renewed = true;
            return;
        }
        let mut failure = if is_redirect(status) {
            // Never followed, and not retried: a redirect's status is no "later".
            Failure::Api(Box::new(ApiFailure {
                status,
                location: location_origin(headers.location.as_deref(), &self.plan.request.url),
                ..ApiFailure::default()
            }))
        } else {
            match decode::decode_as(status, body, self.plan.enveloped, self.plan.read) {
                Ok(page) => return self.finish(Ok(page), credentials),
                Err(failure) => failure,
            }
        };
        redact::scrub_failure(&mut failure, &secrets_of(credentials, sent));
        self.retry_or_finish(
            now,
            credentials,
            failure,
            headers.retry_after.as_deref(),
            status,
        );
    }

    fn transport_failure(
        &mut self,
        now: Now,
        credentials: &mut Credentials,
        transport: Transport,
        limit: Limit,
        timeout_ms: u32,
    ) {
        self.info = ResponseInfo {
            attempts: self.attempts,
            ..ResponseInfo::default()
        };
        let failure = match transport {
            Transport::Network(problem) => Failure::Network(problem),
            // The deadline ran out: nothing more to try.
            Transport::TimedOut if limit == Limit::Deadline => {
                return self.finish_timeout(credentials)
            }
            Transport::TimedOut => self.timed_out(limit, timeout_ms),
            Transport::TooLarge { status } => {
                self.info.status = Some(status);
                let failure = Failure::TooLarge {
                    status,
                    max_body_bytes: u64::from(self.plan.max_body_bytes),
                };
                return self.finish(Err(failure), credentials);
            }
        };
        self.retry_or_finish(now, credentials, failure, None, 0);
    }

    /// After a failed attempt: waits to retry, or ends the call with `failure`. `retry_after` and
    /// `status` are the response's, when one arrived.
    fn retry_or_finish(
        &mut self,
        now: Now,
        credentials: &mut Credentials,
        failure: Failure,
        retry_after: Option<&str>,
        status: u16,
    ) {
        let outcome = match &failure {
            Failure::Api(api) => AttemptOutcome::Answered {
                status: api.status,
                retry_after,
                error: Some(api),
            },
            Failure::Network(_) => AttemptOutcome::NoAnswer,
            Failure::Timeout { .. } => AttemptOutcome::TimedOut,
            // A decode failure: the status was a success, which is never retried.
            _ => AttemptOutcome::Answered {
                status,
                retry_after: None,
                error: None,
            },
        };
        let decision = decide(
            &self.plan.retry,
            self.attempts,
            outcome,
            now,
            self.deadline_at_ms - now.monotonic_ms,
            self.rng.unit(),
        );
        match decision {
            Decision::Stop => self.finish(Err(failure), credentials),
            Decision::RetryAfterMs(delay_ms) => {
                let (status, error_code) = match &failure {
                    Failure::Api(api) => (Some(api.status), api.error_code.clone()),
                    other => (other.status(), None),
                };
                self.state = State::Backoff {
                    until_ms: now.monotonic_ms + delay_ms as f64,
                    notify: Some(RetryEvent {
                        attempt: self.attempts,
                        delay_ms,
                        kind: failure.kind(),
                        status,
                        error_code,
                    }),
                };
            }
        }
    }

    /// A wait bounded by `limit` ran out: the deadline names the whole call's time.
    fn timed_out(&self, limit: Limit, timeout_ms: u32) -> Failure {
        let ms = match limit {
            Limit::Attempt => timeout_ms,
            Limit::Deadline => self.plan.deadline_ms,
        };
        Failure::Timeout { limit, ms }
    }

    fn finish_timeout(&mut self, credentials: &mut Credentials) {
        let failure = self.timed_out(Limit::Deadline, 0);
        self.finish(Err(failure), credentials);
    }

    fn finish(&mut self, result: Result<Page, Failure>, credentials: &mut Credentials) {
        // A token request this call owned must not keep the others waiting.
        credentials.token_abandoned(self.id);
        self.state = State::Finished(Some(Outcome {
            result,
            info: self.info.clone(),
        }));
    }
}

/// What the credentials hold, and each form of what was sent (a broker's token, a digest
/// response), which the credentials do not hold: what a response may echo and nothing keeps.
fn secrets_of<'a>(credentials: &'a Credentials, sent: Option<&'a Secret>) -> Vec<&'a str> {
    let mut secrets = credentials.secrets();
    if let Some(sent) = sent {
        secrets.extend(redact::sent_forms(sent.expose()));
    }
    secrets
}
