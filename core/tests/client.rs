//! The rules of a client's options (`new AtlasClient(options)`) and of a free call's credentials,
//! which the shell only carries out.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::auth::client::{one_off_credentials, ClientSetup};
use atlas_export_jobs_core::error::{AuthProblem, Failure, Problem};
use atlas_export_jobs_core::rules::input::InputValue;
use common::{options, record, s, TOKEN};

fn auth(entries: &[(&str, InputValue)]) -> InputValue {
    InputValue::Record(record(entries))
}

fn setup(entries: &[(&str, InputValue)], in_browser: bool) -> Result<ClientSetup, Failure> {
    ClientSetup::from_input(record(entries), in_browser)
}

fn validation_problem(result: Result<ClientSetup, Failure>) -> (String, Problem) {
    match result {
        Err(Failure::Validation(error)) => (error.field, error.problem),
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

#[test]
fn an_access_token_is_a_bearer_token() {
    let setup = setup(&[("accessToken", s(TOKEN))], false).unwrap();
    assert!(setup.credentials.secrets().contains(&TOKEN));
    assert!(
        setup.defaults.text("accessToken").is_some(),
        "calls keep the defaults"
    );
}

#[test]
fn access_token_and_auth_conflict() {
    let result = setup(
        &[
            ("accessToken", s(TOKEN)),
            ("auth", auth(&[("type", s("none"))])),
        ],
        false,
    );
    assert_eq!(
        validation_problem(result),
        (
            "auth".into(),
            Problem::Conflict {
                other: "accessToken"
            }
        )
    );
}

#[test]
fn a_client_needs_some_auth() {
    assert_eq!(
        validation_problem(setup(&[], false)),
        ("auth".into(), Problem::NoAuth)
    );
    let none = setup(&[("auth", auth(&[("type", s("none"))]))], false).unwrap();
    assert!(none.credentials.secrets().is_empty());
}

#[test]
fn auth_must_be_an_object() {
    let (field, problem) = validation_problem(setup(&[("auth", s("bearer"))], false));
    assert_eq!(field, "auth");
    assert!(matches!(problem, Problem::WrongType { .. }), "{problem:?}");
}

#[cfg(feature = "secret-schemes")]
#[test]
fn a_long_lived_secret_is_refused_in_a_browser_unless_allowed() {
    let digest = |allow: bool| {
        auth(&[
            ("type", s("digest")),
            ("publicKey", s("abcdefgh")),
            ("privateKey", s("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")),
            ("allowInBrowser", InputValue::Bool(allow)),
        ])
    };
    match setup(&[("auth", digest(false))], true) {
        Err(Failure::Auth(failure)) => assert_eq!(failure.problem, AuthProblem::SecretInBrowser),
        other => panic!("expected secretInBrowser, got {other:?}"),
    }
    assert!(
        setup(&[("auth", digest(false))], false).is_ok(),
        "a server may hold it"
    );
    assert!(
        setup(&[("auth", digest(true))], true).is_ok(),
        "the caller said it knows"
    );
}

#[test]
fn a_bearer_token_is_allowed_in_a_browser() {
    assert!(setup(
        &[("auth", auth(&[("type", s("bearer")), ("token", s(TOKEN))]))],
        true
    )
    .is_ok());
}

#[test]
fn a_page_relative_base_url_is_left_to_each_call() {
    let setup = setup(
        &[("baseUrl", s("/api/atlas")), ("accessToken", s(TOKEN))],
        false,
    )
    .unwrap();
    assert_eq!(setup.defaults.text("baseUrl"), Some("/api/atlas"));
    // An absolute one that breaks a rule is refused at once.
    let refused = ClientSetup::from_input(
        record(&[("baseUrl", s("ftp://x")), ("accessToken", s(TOKEN))]),
        false,
    );
    assert_eq!(validation_problem(refused).0, "baseUrl");
}

#[test]
fn a_free_call_uses_its_access_token_or_nothing() {
    let with = one_off_credentials(&options(&[("accessToken", s(TOKEN))])).unwrap();
    assert!(with.secrets().contains(&TOKEN));
    let without = one_off_credentials(&options(&[])).unwrap();
    assert!(without.secrets().is_empty());
}
