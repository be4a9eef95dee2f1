//! The auth schemes' protocol rules, without I/O: digest challenges and responses (RFC 7616's own
//! examples), the service-account token exchange, and `options.auth`.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs::auth::digest::{choose, parse_challenges, DigestAlgorithm, DigestSession};
use atlas_export_jobs::auth::service_account::{
    decode_token_response, revoke_request, token_request,
};
use atlas_export_jobs::auth::AuthScheme;
use atlas_export_jobs::base_url::BaseUrl;
use atlas_export_jobs::input::InputValue;
use atlas_export_jobs::secret::Secret;
use common::{record, s};

const RFC_CHALLENGES: &str = r#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#;
const CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

fn response_of(header: &str) -> String {
    header
        .split("response=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

#[test]
fn answers_rfc_7616s_examples_for_both_algorithms() {
    let challenges = parse_challenges(RFC_CHALLENGES);
    assert_eq!(challenges.len(), 2);
    let password = Secret::new("Circle of Life");
    for (challenge, expected) in challenges.iter().zip([
        "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
        "8ca523f5e9506fed4657c9700eebdbec",
    ]) {
        let mut session = DigestSession::new(challenge.clone());
        let header = session.authorization("Mufasa", &password, "GET", "/dir/index.html", CNONCE);
        assert_eq!(
            response_of(header.expose()),
            expected,
            "{:?}",
            challenge.algorithm
        );
        assert!(header.expose().contains("nc=00000001"));
        assert!(header
            .expose()
            .contains(r#"opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#));
    }
}

#[test]
fn prefers_sha_256_and_counts_requests_on_one_nonce() {
    let challenges = parse_challenges(RFC_CHALLENGES);
    let chosen = choose(&challenges).unwrap();
    assert_eq!(chosen.algorithm, DigestAlgorithm::Sha256);
    let mut session = DigestSession::new(chosen.clone());
    let password = Secret::new("p");
    for n in 1..=3 {
        let header = session.authorization("u", &password, "GET", "/x", "c");
        assert!(header.expose().contains(&format!("nc={n:08x}")));
    }
}

#[test]
fn reads_stale_and_skips_what_it_cannot_answer() {
    let header = r#"Bearer realm="x", Digest realm="MMS Public API", domain="", nonce="abc", algorithm=MD5, qop="auth", stale=true, Digest realm="r", nonce="n", algorithm=SHA-512-256, qop="auth""#;
    let challenges = parse_challenges(header);
    assert_eq!(challenges.len(), 1);
    assert!(challenges[0].stale);
    assert_eq!(challenges[0].nonce, "abc");
    let no_qop = parse_challenges(r#"Digest realm="r", nonce="n""#);
    assert!(choose(&no_qop).is_none(), "qop=auth is required");
    assert!(parse_challenges("Basic realm=\"x\"").is_empty());
    assert!(parse_challenges("").is_empty());
    assert!(parse_challenges("Digest ,,,=,\"").is_empty());
}

#[test]
fn never_shows_the_private_key_or_the_response_in_debug_output() {
    let challenge = choose(&parse_challenges(RFC_CHALLENGES)).unwrap().clone();
    let mut session = DigestSession::new(challenge);
    let header =
        session.authorization("Mufasa", &Secret::new("Circle of Life"), "GET", "/", CNONCE);
    let shown = format!("{header:?} {session:?}");
    assert!(!shown.contains("Circle of Life"));
    assert!(!shown.contains(&response_of(header.expose())));
}

#[test]
fn builds_the_client_credentials_and_revocation_requests() {
    let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
    let request = token_request(&base, "mdb_sa_id_1", &Secret::new("mdb_sa_sk_2"));
    assert_eq!(request.url, "https://cloud.mongodb.com/api/oauth/token");
    // base64("mdb_sa_id_1:mdb_sa_sk_2")
    assert_eq!(
        request.authorization.expose(),
        "Basic bWRiX3NhX2lkXzE6bWRiX3NhX3NrXzI="
    );
    assert_eq!(request.body.expose(), "grant_type=client_credentials");
    let revoke = revoke_request(&base, "a", &Secret::new("b c"), &Secret::new("t/+="));
    assert_eq!(revoke.url, "https://cloud.mongodb.com/api/oauth/revoke");
    assert_eq!(revoke.authorization.expose(), "Basic YTpiK2M=");
    assert_eq!(
        revoke.body.expose(),
        "token=t%2F%2B%3D&token_type_hint=access_token"
    );
    assert!(!format!("{request:?}").contains("mdb_sa_sk_2"));
}

#[test]
fn uses_a_token_until_shortly_before_it_expires() {
    let token = decode_token_response(
        200,
        r#"{"access_token":"tok","token_type":"Bearer","expires_in":3600}"#,
        0.0,
    )
    .unwrap();
    assert_eq!(token.token.expose(), "tok");
    assert!(token.is_usable(3_539_000.0));
    assert!(!token.is_usable(3_540_000.0), "a minute early");
    let short = decode_token_response(200, r#"{"access_token":"t","expires_in":10}"#, 0.0).unwrap();
    assert!(
        short.is_usable(8_999.0) && !short.is_usable(9_000.0),
        "a tenth early when short"
    );
    let unnamed = decode_token_response(200, r#"{"access_token":"t"}"#, 0.0).unwrap();
    assert!(unnamed.is_usable(3_000_000.0));
}

#[test]
fn reports_the_token_endpoints_refusal() {
    let error = decode_token_response(
        401,
        r#"{"error":"invalid_client","error_description":"Bad credentials"}"#,
        0.0,
    )
    .unwrap_err();
    assert_eq!(error.status, Some(401));
    assert_eq!(error.error_code.as_deref(), Some("invalid_client"));
    assert_eq!(error.detail.as_deref(), Some("Bad credentials"));
    assert!(
        error.message.contains("client id and secret"),
        "{}",
        error.message
    );
    let limited = decode_token_response(429, "", 0.0).unwrap_err();
    assert_eq!((limited.status, limited.error_code), (Some(429), None));
    assert!(decode_token_response(200, "{}", 0.0).is_err());
    assert!(decode_token_response(200, "<html>", 0.0).is_err());
}

#[test]
fn reads_each_auth_scheme() {
    let fn_value = InputValue::Function;
    let cases = [
        (
            record(&[("type", s("bearer")), ("token", s("t"))]),
            AuthScheme::Bearer(Secret::new("t")),
        ),
        (
            record(&[("type", s("bearer")), ("getToken", fn_value)]),
            AuthScheme::TokenProvider,
        ),
        (
            record(&[
                ("type", s("serviceAccount")),
                ("clientId", s("id")),
                ("clientSecret", s("sk")),
            ]),
            AuthScheme::ServiceAccount {
                client_id: "id".into(),
                client_secret: Secret::new("sk"),
            },
        ),
        (
            record(&[
                ("type", s("digest")),
                ("publicKey", s("pub")),
                ("privateKey", s("priv")),
            ]),
            AuthScheme::Digest {
                public_key: "pub".into(),
                private_key: Secret::new("priv"),
            },
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(
            AuthScheme::from_input(&input.nested_in("auth")).unwrap().0,
            expected
        );
    }
}

#[test]
fn names_the_field_of_a_bad_auth_option_without_showing_secrets() {
    let cases = [
        (record(&[("type", s("basic"))]), "auth.type"),
        (record(&[("token", s("t"))]), "auth.type"),
        (record(&[("type", s("bearer"))]), "auth.token"),
        (
            record(&[("type", s("bearer")), ("getToken", s("x"))]),
            "auth.getToken",
        ),
        (
            record(&[("type", s("serviceAccount")), ("clientId", s("id"))]),
            "auth.clientSecret",
        ),
        (
            record(&[
                ("type", s("serviceAccount")),
                ("clientId", s("id")),
                ("clientSecret", s("has space secret")),
            ]),
            "auth.clientSecret",
        ),
        (
            record(&[
                ("type", s("digest")),
                ("publicKey", s("p")),
                ("privateKey", s("bad\nkey")),
            ]),
            "auth.privateKey",
        ),
        (
            record(&[
                ("type", s("digest")),
                ("publicKey", s("p")),
                ("privateKey", s("k")),
                ("privatekey", s("k")),
            ]),
            "auth.privatekey",
        ),
    ];
    for (input, field) in cases {
        let error = AuthScheme::from_input(&input.nested_in("auth")).unwrap_err();
        assert_eq!(error.field, field, "{}", error.message);
        assert!(
            !error.message.contains("has space secret") && !error.message.contains("bad\nkey"),
            "{}",
            error.message
        );
    }
}
