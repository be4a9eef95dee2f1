//! API keys by HTTP Digest (RFC 7616) as the calls of one client share them, driven with a fake
//! clock: the first request goes without credentials and answers the challenge once, later calls
//! reuse the nonce with a rising count, a stale nonce is renewed once, and a wrong key is final.

#![cfg(feature = "secret-schemes")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::digest::{choose, parse_challenges, DigestSession};
use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::error::Failure;
use atlas_export_jobs_core::machines::call::{Call, Event, Outgoing, Response};
use atlas_export_jobs_core::support::rng::Rng;
use atlas_export_jobs_core::support::secret::Secret;
use common::*;
use sha2::{Digest as _, Sha256};

const PUBLIC_KEY: &str = "abcdefgh";
const PRIVATE_KEY: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const REALM: &str = "MMS Public API";

fn api_keys() -> Credentials {
    credentials(AuthScheme::Digest {
        public_key: PUBLIC_KEY.to_owned(),
        private_key: Secret::new(PRIVATE_KEY),
    })
}

fn challenge(nonce: &str, stale: bool) -> String {
    format!(
        r#"Digest realm="{REALM}", domain="", nonce="{nonce}", algorithm=SHA-256, qop="auth", stale={stale}"#
    )
}

fn unauthorized(www_authenticate: &str) -> Response {
    response_with(
        401,
        r#"{"error":401,"errorCode":"UNAUTHORIZED","reason":"Unauthorized"}"#,
        common::www_authenticate(www_authenticate),
    )
}

fn ok() -> Response {
    response(200, &page_body(1..=1, None, false))
}

/// The value of `name` in a digest header.
fn param<'a>(header: &'a str, name: &str) -> &'a str {
    let quoted = format!(" {name}=\"");
    if let Some((_, rest)) = header.split_once(&quoted) {
        return rest.split('"').next().unwrap();
    }
    let bare = format!(" {name}=");
    let (_, rest) = header
        .split_once(&bare)
        .unwrap_or_else(|| panic!("{name} in {header}"));
    rest.split(',').next().unwrap()
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks `outgoing`'s digest header: the nonce and count it names, the client nonce drawn from
/// the call's seed, and the response computed as RFC 7616 §3.4.1 says.
fn assert_digest(outgoing: &Outgoing, nonce: &str, nc: u32, cnonce: &str) {
    let header = authorization(outgoing).expect("a digest header");
    assert!(header.starts_with("Digest "), "{header}");
    let uri = outgoing.request.target();
    let nc = format!("{nc:08x}");
    assert_eq!(param(header, "username"), PUBLIC_KEY);
    assert_eq!(param(header, "realm"), REALM);
    assert_eq!(param(header, "nonce"), nonce);
    assert_eq!(param(header, "uri"), uri);
    assert_eq!(param(header, "algorithm"), "SHA-256");
    assert_eq!(param(header, "qop"), "auth");
    assert_eq!(param(header, "nc"), nc);
    assert_eq!(param(header, "cnonce"), cnonce);
    let ha1 = sha256(&format!("{PUBLIC_KEY}:{REALM}:{PRIVATE_KEY}"));
    let ha2 = sha256(&format!("GET:{uri}"));
    let expected = sha256(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
    assert_eq!(param(header, "response"), expected);
}

/// The `n`th client nonce (from 1) a call with `seed` draws.
fn cnonce(seed: u64, n: usize) -> String {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| rng.nonce()).last().unwrap()
}

#[test]
fn answers_the_first_challenge_once_as_rfc_7616_computes() {
    let mut credentials = api_keys();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 11);
    let first = exchange(
        &mut call,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-1", false)),
    );
    assert_eq!(authorization(&first), None, "nothing to answer yet");
    let second = expect_send(&mut call, T0, &mut credentials);
    assert_digest(&second, "n-1", 1, &cnonce(11, 1));
    // The same header as the digest module computes for the challenge chosen.
    let chosen = choose(&parse_challenges(&challenge("n-1", false)))
        .unwrap()
        .clone();
    let mut session = DigestSession::new(chosen);
    let expected = session.authorization(
        PUBLIC_KEY,
        &Secret::new(PRIVATE_KEY),
        "GET",
        second.request.target(),
        &cnonce(11, 1),
    );
    assert_eq!(authorization(&second), Some(expected.expose()));
    answer(&mut call, T0, &mut credentials, ok());
    let outcome = expect_done(&mut call, T0, &mut credentials);
    assert!(outcome.result.is_ok());
    assert_eq!(outcome.info.attempts, 2);
}

#[test]
fn reuses_the_nonce_in_later_calls_with_a_rising_count() {
    let mut credentials = api_keys();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 11);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-1", false)),
    );
    exchange(&mut call, T0, &mut credentials, ok());
    for (nc, seed) in [(2, 21), (3, 22), (4, 23)] {
        let mut later = Call::new(plan(&[]), &mut credentials, at(T0), seed);
        let outgoing = exchange(&mut later, T0, &mut credentials, ok());
        assert_digest(&outgoing, "n-1", nc, &cnonce(seed, 1));
        assert_eq!(
            expect_done(&mut later, T0, &mut credentials).info.attempts,
            1
        );
    }
}

#[test]
fn counts_each_retry_as_a_request_of_its_own() {
    let mut credentials = api_keys();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 11);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-1", false)),
    );
    let first = exchange(
        &mut call,
        T0,
        &mut credentials,
        response_with(503, "", retry_after("0")),
    );
    assert_digest(&first, "n-1", 1, &cnonce(11, 1));
    expect_wait(&mut call, T0, &mut credentials);
    call.handle(at(T0), &mut credentials, Event::Woken);
    let retry = expect_send(&mut call, T0, &mut credentials);
    // A fresh client nonce (drawn after the backoff's jitter), with the count one higher.
    let fresh = param(authorization(&retry).unwrap(), "cnonce").to_owned();
    assert_ne!(fresh, cnonce(11, 1));
    assert_digest(&retry, "n-1", 2, &fresh);
}

#[test]
fn renews_a_stale_nonce_once() {
    let mut credentials = api_keys();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 11);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-1", false)),
    );
    exchange(&mut call, T0, &mut credentials, ok());

    let mut later = Call::new(plan(&[]), &mut credentials, at(T0), 31);
    let stale = exchange(
        &mut later,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-2", true)),
    );
    assert_digest(&stale, "n-1", 2, &cnonce(31, 1));
    let renewed = exchange(&mut later, T0, &mut credentials, ok());
    assert_digest(&renewed, "n-2", 1, &cnonce(31, 2));
    assert_eq!(
        expect_done(&mut later, T0, &mut credentials).info.attempts,
        2
    );

    // Stale again, straight away: the renewal was spent.
    let mut again = Call::new(plan(&[]), &mut credentials, at(T0), 32);
    exchange(
        &mut again,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-3", true)),
    );
    exchange(
        &mut again,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-4", true)),
    );
    assert_eq!(
        expect_failure(&mut again, T0, &mut credentials).status(),
        Some(401)
    );
}

/// A wrong key is answered with a fresh challenge that is not stale: answering it again would only
/// loop, so the 401 is final.
#[test]
fn takes_a_fresh_challenge_to_a_sent_digest_as_a_wrong_key() {
    let mut credentials = api_keys();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 11);
    exchange(
        &mut call,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-1", false)),
    );
    exchange(
        &mut call,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-2", false)),
    );
    let outcome = expect_done(&mut call, T0, &mut credentials);
    let Err(Failure::Api(api)) = outcome.result else {
        panic!("expected the 401 itself")
    };
    assert_eq!(
        (api.status, api.error_code.as_deref()),
        (401, Some("UNAUTHORIZED"))
    );
    assert_eq!(outcome.info.attempts, 2);

    // A later call that holds a nonce already is not renewed by a fresh challenge either.
    let mut later = Call::new(plan(&[]), &mut credentials, at(T0), 12);
    let sent = exchange(
        &mut later,
        T0,
        &mut credentials,
        unauthorized(&challenge("n-3", false)),
    );
    assert!(authorization(&sent).is_some());
    let outcome = expect_done(&mut later, T0, &mut credentials);
    assert_eq!(outcome.result.unwrap_err().status(), Some(401));
    assert_eq!(outcome.info.attempts, 1);
}

#[test]
fn takes_a_401_it_cannot_answer_as_final() {
    for header in [
        r#"Basic realm="x""#,
        r#"Digest realm="r", nonce="n""#,
        r#"Digest realm="r", nonce="n", qop="auth", algorithm=SHA-512-256"#,
        "",
    ] {
        let mut credentials = api_keys();
        let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 11);
        exchange(&mut call, T0, &mut credentials, unauthorized(header));
        let outcome = expect_done(&mut call, T0, &mut credentials);
        assert_eq!(outcome.result.unwrap_err().status(), Some(401), "{header}");
        assert_eq!(outcome.info.attempts, 1, "{header}");
    }
}

#[test]
fn answers_an_md5_challenge_when_that_is_all_there_is() {
    let mut credentials = api_keys();
    let mut call = Call::new(plan(&[]), &mut credentials, at(T0), 11);
    let md5 =
        format!(r#"Digest realm="{REALM}", nonce="n-1", algorithm=MD5, qop="auth", opaque="op""#);
    exchange(&mut call, T0, &mut credentials, unauthorized(&md5));
    let outgoing = expect_send(&mut call, T0, &mut credentials);
    let header = authorization(&outgoing).unwrap();
    assert_eq!(param(header, "algorithm"), "MD5");
    assert_eq!(param(header, "opaque"), "op");
    assert_eq!(param(header, "response").len(), 32);
}
