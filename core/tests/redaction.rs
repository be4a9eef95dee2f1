//! No credential reaches an error: a proxy that reflects the request's headers into its error
//! page, or a server that echoes a token in `detail`, has every credential the client holds (and
//! every form of it that was sent) replaced by `[redacted]` in what the failure keeps.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::redact::{scrub, REDACTED};
use atlas_export_jobs_core::error::{ApiFailure, Failure};
use atlas_export_jobs_core::machines::call::{Call, Event, Response};
use common::*;

fn api_failure(failure: Failure) -> ApiFailure {
    match failure {
        Failure::Api(api) => *api,
        other => panic!("expected an API failure, got {other:?}"),
    }
}

/// Everything a failure shows, as the shell would hand it to JavaScript.
fn shown(failure: &Failure) -> String {
    format!("{:?}", FactList::of(failure))
}

/// The failure of a call that gets `response` to its page request.
fn failure_of(credentials: &mut Credentials, response: Response) -> (Failure, String) {
    let mut call = Call::new(
        plan(&[(
            "retry",
            atlas_export_jobs_core::rules::input::InputValue::Bool(false),
        )]),
        credentials,
        at(T0),
        3,
    );
    let mut outgoing = expect_send(&mut call, T0, credentials);
    // A service account asks for its token first.
    if outgoing.exchange == atlas_export_jobs_core::machines::call::Exchange::Token {
        answer(
            &mut call,
            T0,
            credentials,
            token_response("sa-token-0123456789", 3600),
        );
        outgoing = expect_send(&mut call, T0, credentials);
    }
    let sent = authorization(&outgoing).unwrap_or_default().to_owned();
    answer(&mut call, T0, credentials, response);
    (expect_failure(&mut call, T0, credentials), sent)
}

#[test]
fn scrubs_a_bearer_token_reflected_in_a_foreign_body() {
    let mut credentials = bearer();
    let page = format!(
        "<html><pre>GET /api\nAuthorization: Bearer {TOKEN}\nX-Token: {TOKEN}</pre></html>"
    );
    let (failure, _) = failure_of(&mut credentials, response(403, &page));
    let api = api_failure(failure.clone());
    assert_eq!(
        api.body.as_deref(),
        Some("<html><pre>GET /api\nAuthorization: [redacted]\nX-Token: [redacted]</pre></html>")
    );
    assert!(!shown(&failure).contains(TOKEN));
}

#[test]
fn scrubs_a_bearer_token_echoed_in_an_atlas_error() {
    let mut credentials = bearer();
    let body = format!(
        r#"{{"error":400,"errorCode":"INVALID_TOKEN","reason":"{TOKEN}","detail":"token {TOKEN} is not valid","parameters":["{TOKEN}",1],"badRequestDetail":{{"fields":[{{"field":"token","description":"{TOKEN}"}}]}}}}"#
    );
    let (failure, _) = failure_of(&mut credentials, response(400, &body));
    let api = api_failure(failure.clone());
    assert_eq!(api.detail.as_deref(), Some("token [redacted] is not valid"));
    assert_eq!(api.reason.as_deref(), Some(REDACTED));
    assert_eq!(api.parameters.as_deref(), Some(r#"["[redacted]",1]"#));
    assert!(!shown(&failure).contains(TOKEN), "{}", shown(&failure));
}

#[test]
fn scrubs_a_token_found_where_a_page_has_a_value_of_another_type() {
    let mut credentials = bearer();
    let body = format!(r#"{{"results":[],"totalCount":"{TOKEN}"}}"#);
    let (failure, _) = failure_of(&mut credentials, response(200, &body));
    let Failure::Decode(decode) = &failure else {
        panic!("expected a decode failure, got {failure:?}")
    };
    assert_eq!(decode.found.as_deref(), Some("\"[redacted]\""));
    assert!(!shown(&failure).contains(TOKEN));
}

/// A token broker's token is a credential like any other: echoed on its own, it is scrubbed as
/// a static `accessToken` is.
#[test]
fn scrubs_a_brokers_token_echoed_on_its_own() {
    let mut credentials = credentials(AuthScheme::TokenProvider);
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 3);
    assert!(matches!(
        call.poll(at(T0), &mut credentials),
        atlas_export_jobs_core::machines::call::Action::GetToken { .. }
    ));
    let token = "broker-token-0123456789";
    call.handle(
        at(T0),
        &mut credentials,
        Event::Provided(Some(token.to_owned())),
    );
    expect_send(&mut call, T0, &mut credentials);
    let body = format!("<html>Authorization: Bearer {token}</html> and {{\"token\":\"{token}\"}}");
    answer(&mut call, T0, &mut credentials, response(403, &body));
    let failure = expect_failure(&mut call, T0, &mut credentials);
    assert!(!shown(&failure).contains(token), "{}", shown(&failure));
}

#[cfg(feature = "secret-schemes")]
mod secret_schemes {
    use super::*;
    use atlas_export_jobs_core::auth::service_account::base64;
    use atlas_export_jobs_core::error::AuthProblem;
    use atlas_export_jobs_core::support::secret::Secret;

    #[test]
    fn scrubs_a_service_accounts_secret_basic_credentials_and_token() {
        let basic = base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes());
        let mut credentials = service_account();
        let body = format!(
            "<html>Authorization: Basic {basic}<br>secret={CLIENT_SECRET}<br>Authorization: Bearer sa-token-0123456789<br>sa-token-0123456789</html>"
        );
        let (failure, sent) = failure_of(&mut credentials, response(502, &body));
        assert_eq!(sent, "Bearer sa-token-0123456789");
        let kept = api_failure(failure.clone()).body.unwrap();
        assert_eq!(kept.matches(REDACTED).count(), 4, "{kept}");
        assert!(
            kept.starts_with("<html>Authorization: ") && kept.contains("<br>secret=[redacted]<br>")
        );
        let shown = shown(&failure);
        for secret in [basic.as_str(), CLIENT_SECRET, "sa-token-0123456789"] {
            assert!(!shown.contains(secret), "{secret}: {shown}");
        }
    }

    /// The token endpoint's refusal is captured from a response too: its description may not
    /// repeat the secret or the Basic credentials that were sent to it.
    #[test]
    fn scrubs_the_secret_from_the_token_endpoints_refusal() {
        let basic = base64(format!("{CLIENT_ID}:{CLIENT_SECRET}").as_bytes());
        let mut credentials = service_account();
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 3);
        expect_send(&mut call, T0, &mut credentials);
        let body = format!(
            r#"{{"error":"invalid_client","error_description":"no client with secret {CLIENT_SECRET} (Basic {basic})"}}"#
        );
        answer(&mut call, T0, &mut credentials, response(401, &body));
        let failure = expect_failure(&mut call, T0, &mut credentials);
        let Failure::Auth(auth) = &failure else {
            panic!("expected an auth failure, got {failure:?}")
        };
        assert_eq!(auth.problem, AuthProblem::TokenRefused);
        // The whole `Basic …` value is one of the forms that was sent, so it goes as one.
        assert_eq!(
            auth.detail.as_deref(),
            Some("no client with secret [redacted] ([redacted])")
        );
    }

    #[test]
    fn scrubs_a_digest_response_and_the_private_key() {
        let private_key = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
        let mut credentials = credentials(AuthScheme::Digest {
            public_key: "abcdefgh".to_owned(),
            private_key: Secret::new(private_key),
        });
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 3);
        let challenge =
            r#"Digest realm="MMS Public API", nonce="n-1", algorithm=SHA-256, qop="auth""#;
        exchange(
            &mut call,
            T0,
            &mut credentials,
            response_with(401, "", www_authenticate(challenge)),
        );
        let outgoing = expect_send(&mut call, T0, &mut credentials);
        let header = authorization(&outgoing).unwrap().to_owned();
        let body = format!("<html>Authorization: {header}<br>key={private_key}</html>");
        answer(&mut call, T0, &mut credentials, response(403, &body));
        let failure = expect_failure(&mut call, T0, &mut credentials);
        assert_eq!(
            api_failure(failure.clone()).body.as_deref(),
            Some("<html>Authorization: [redacted]<br>key=[redacted]</html>")
        );
        assert!(!shown(&failure).contains(private_key));
    }

    /// A page that HTML-escapes the echoed header no longer holds it whole, but still holds the
    /// digest response computed for the request.
    #[test]
    fn scrubs_a_digest_response_from_an_escaped_echo() {
        let mut credentials = credentials(AuthScheme::Digest {
            public_key: "abcdefgh".to_owned(),
            private_key: Secret::new("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"),
        });
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 3);
        let challenge = r#"Digest realm="r", nonce="n-1", algorithm=SHA-256, qop="auth""#;
        exchange(
            &mut call,
            T0,
            &mut credentials,
            response_with(401, "", www_authenticate(challenge)),
        );
        let outgoing = expect_send(&mut call, T0, &mut credentials);
        let header = authorization(&outgoing).unwrap().to_owned();
        let digest = header
            .split("response=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        let escaped = header.replace('"', "&quot;");
        // 403: an answer that is not retried.
        answer(
            &mut call,
            T0,
            &mut credentials,
            response(403, &format!("<pre>{escaped}</pre>")),
        );
        let failure = expect_failure(&mut call, T0, &mut credentials);
        assert!(!shown(&failure).contains(&digest), "{}", shown(&failure));
    }
}

/// A secret that the kept part of a body would cut in two is scrubbed whole first.
#[test]
fn scrubs_a_secret_the_kept_part_of_a_body_would_cut() {
    use atlas_export_jobs_core::support::limits::FOREIGN_BODY_LIMIT;
    let mut credentials = bearer();
    let half = TOKEN.len() / 2;
    let body = format!("{}{TOKEN} and more", "x".repeat(FOREIGN_BODY_LIMIT - half));
    let (failure, _) = failure_of(&mut credentials, response(502, &body));
    let kept = api_failure(failure.clone()).body.unwrap();
    assert!(kept.len() <= FOREIGN_BODY_LIMIT);
    assert!(
        !kept.contains(&TOKEN[..half]),
        "the token's first half is kept"
    );
}

/// A redirect's Location keeps only its origin, and no credential in it.
#[test]
fn scrubs_a_token_echoed_in_a_redirects_location() {
    let mut credentials = bearer();
    let headers = atlas_export_jobs_core::wire::response_info::ResponseHeaders {
        location: Some(format!("https://{TOKEN}.example/path?token={TOKEN}")),
        ..Default::default()
    };
    let (failure, _) = failure_of(&mut credentials, response_with(302, "", headers));
    let api = api_failure(failure.clone());
    assert_eq!(api.location.as_deref(), Some("https://[redacted].example"));
    assert!(!shown(&failure).contains(TOKEN));
}

#[test]
fn leaves_text_without_secrets_alone() {
    let mut text = "nothing to hide".to_owned();
    scrub(&mut text, &["secret-1234", "", "abc"]);
    assert_eq!(text, "nothing to hide");
    // Too short to be told from ordinary text, and no secret anyway.
    let mut text = "a b c".to_owned();
    scrub(&mut text, &["a", "b c"]);
    assert_eq!(text, "a b c");
    let mut text = "x secret-1234 y secret-1234".to_owned();
    scrub(&mut text, &["secret-1234"]);
    assert_eq!(text, "x [redacted] y [redacted]");
}
