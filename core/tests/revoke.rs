//! Ending a client: the revocation machine sends one request that revokes the service account's
//! token (RFC 7009), never follows a redirect, and reports a refusal instead of taking it for
//! success. With no token to revoke, it is done at once.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::machines::revoke::{Revocation, RevokeAction};
use common::*;

#[test]
fn is_done_at_once_with_nothing_to_revoke() {
    for scheme in [
        AuthScheme::None,
        AuthScheme::TokenProvider,
        AuthScheme::Bearer(atlas_export_jobs_core::support::secret::Secret::new(TOKEN)),
    ] {
        let mut credentials = credentials(scheme);
        let mut revocation = Revocation::new(&mut credentials);
        assert_eq!(revocation.poll(), RevokeAction::Done(Ok(())));
        assert_eq!(
            revocation.poll(),
            RevokeAction::Idle,
            "the result is handed over once"
        );
    }
}

#[cfg(feature = "secret-schemes")]
mod service_account {
    use super::*;
    use atlas_export_jobs_core::auth::credentials::Credentials;
    use atlas_export_jobs_core::auth::service_account::base64;
    use atlas_export_jobs_core::error::{AuthFailure, AuthProblem, Failure, Limit, NetworkProblem};
    use atlas_export_jobs_core::machines::call::{
        Call, Event, Exchange, Outgoing, Response, Transport,
    };
    use atlas_export_jobs_core::rules::options::DEFAULT_TIMEOUT_MS;
    use atlas_export_jobs_core::wire::request::Method;
    use atlas_export_jobs_core::wire::response_info::ResponseHeaders;

    /// Service-account credentials holding `token`, got by a call.
    fn holding(token: &str) -> Credentials {
        let mut credentials = service_account();
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 5);
        expect_send(&mut call, T0, &mut credentials);
        answer(&mut call, T0, &mut credentials, token_response(token, 3600));
        credentials
    }

    fn expect_revoke_request(revocation: &mut Revocation) -> Outgoing {
        match revocation.poll() {
            RevokeAction::Send(outgoing) => outgoing,
            other => panic!("expected Send, got {other:?}"),
        }
    }

    fn revoked_with(event: Event) -> Result<(), Failure> {
        let mut credentials = holding("sa-token-1");
        let mut revocation = Revocation::new(&mut credentials);
        expect_revoke_request(&mut revocation);
        revocation.handle(event);
        match revocation.poll() {
            RevokeAction::Done(result) => result,
            other => panic!("expected Done, got {other:?}"),
        }
    }

    fn answered(status: u16, location: Option<&str>) -> Event {
        Event::Response(Response {
            status,
            headers: ResponseHeaders {
                location: location.map(str::to_owned),
                ..ResponseHeaders::default()
            },
            body: Vec::new(),
        })
    }

    #[test]
    fn is_done_at_once_before_any_token_was_issued() {
        let mut credentials = service_account();
        assert_eq!(
            Revocation::new(&mut credentials).poll(),
            RevokeAction::Done(Ok(()))
        );
    }

    #[test]
    fn posts_the_token_form_encoded_to_the_revocation_endpoint() {
        let mut credentials = holding("sa/tok+en=1");
        let mut revocation = Revocation::new(&mut credentials);
        let outgoing = expect_revoke_request(&mut revocation);
        assert_eq!(outgoing.request.method, Method::Post);
        assert_eq!(
            outgoing.request.url,
            "https://cloud.mongodb.com/api/oauth/revoke"
        );
        let basic = format!(
            "Basic {}",
            base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes())
        );
        assert_eq!(authorization(&outgoing), Some(basic.as_str()));
        assert_eq!(
            outgoing.request.form.as_ref().unwrap().expose(),
            "token=sa%2Ftok%2Ben%3D1&token_type_hint=access_token"
        );
        assert_eq!(outgoing.exchange, Exchange::Token);
        assert_eq!(outgoing.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(
            revocation.poll(),
            RevokeAction::Idle,
            "the answer is awaited"
        );
        revocation.handle(answered(200, None));
        assert_eq!(revocation.poll(), RevokeAction::Done(Ok(())));
    }

    #[test]
    fn forgets_the_token_so_the_next_call_asks_for_a_new_one() {
        let mut credentials = holding("sa-token-1");
        let mut revocation = Revocation::new(&mut credentials);
        expect_revoke_request(&mut revocation);
        assert_eq!(
            Revocation::new(&mut credentials).poll(),
            RevokeAction::Done(Ok(())),
            "nothing left to revoke"
        );
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0 + 1.0), 6);
        assert_eq!(
            expect_send(&mut call, T0 + 1.0, &mut credentials).exchange,
            Exchange::Token
        );
    }

    #[test]
    fn succeeds_on_any_2xx() {
        for status in [200, 204] {
            assert_eq!(revoked_with(answered(status, None)), Ok(()), "{status}");
        }
    }

    #[test]
    fn reports_a_refusal() {
        for status in [400, 401, 403, 500, 503] {
            assert_eq!(
                revoked_with(answered(status, None)),
                Err(Failure::Auth(AuthFailure {
                    status: Some(status),
                    ..AuthFailure::new(AuthProblem::RevokeRefused)
                })),
                "{status}"
            );
        }
    }

    #[test]
    fn never_follows_a_redirect_and_names_only_its_origin() {
        for (status, to, origin) in [
            (
                302,
                Some("https://evil.example:444/x?token=1"),
                Some("https://evil.example:444"),
            ),
            (
                307,
                Some("/api/oauth/revoke2"),
                Some("https://cloud.mongodb.com"),
            ),
            (0, None, None),
        ] {
            assert_eq!(
                revoked_with(answered(status, to)),
                Err(Failure::Auth(AuthFailure {
                    status: Some(status),
                    location: origin.map(str::to_owned),
                    ..AuthFailure::new(AuthProblem::RevokeRefused)
                })),
                "{status}"
            );
        }
    }

    /// The request took the token from the credentials; its redirect must not show it back.
    #[test]
    fn scrubs_the_revoked_token_and_the_client_secret_from_a_redirects_location() {
        for to in [
            "https://Sa-Token-Revoked-1.example/x",
            "https://mdb_sa_sk_abcdefghijklmnop.example/",
        ] {
            let mut credentials = holding("Sa-Token-Revoked-1");
            let mut revocation = Revocation::new(&mut credentials);
            expect_revoke_request(&mut revocation);
            revocation.handle(answered(302, Some(to)));
            let RevokeAction::Done(Err(Failure::Auth(failure))) = revocation.poll() else {
                panic!("expected a refusal");
            };
            let location = failure.location.unwrap_or_default().to_ascii_lowercase();
            assert!(!location.contains("sa-token-revoked-1"), "{location}");
            assert!(
                !location.contains(&CLIENT_SECRET.to_ascii_lowercase()),
                "{location}"
            );
        }
    }

    #[test]
    fn reports_why_no_answer_arrived() {
        assert_eq!(
            revoked_with(Event::Failed(Transport::Network(NetworkProblem::Failed))),
            Err(Failure::Network(NetworkProblem::Failed))
        );
        assert_eq!(
            revoked_with(Event::Failed(Transport::TimedOut)),
            Err(Failure::Timeout {
                limit: Limit::Attempt,
                ms: DEFAULT_TIMEOUT_MS
            })
        );
        assert_eq!(
            revoked_with(Event::Failed(Transport::TooLarge { status: 200 })),
            Err(Failure::TooLarge {
                status: 200,
                max_body_bytes: 64 * 1024
            })
        );
        assert_eq!(revoked_with(Event::Aborted), Err(Failure::Aborted));
    }
}
