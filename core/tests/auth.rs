//! The auth schemes' protocol rules, without I/O: digest challenges and responses (RFC 7616's own
//! examples), the service-account token exchange, `options.auth`, and which schemes a build
//! without the secret schemes refuses.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::{bearer, check_secret_placement, AuthScheme};
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::{AuthProblem, Problem};
use atlas_export_jobs_core::rules::base_url::BaseUrl;
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::support::secret::Secret;
use common::{at, record, s};

#[cfg(feature = "secret-schemes")]
mod secret_schemes {
    use super::*;
    use atlas_export_jobs_core::auth::digest::{
        choose, parse_challenges, DigestAlgorithm, DigestSession,
    };
    use atlas_export_jobs_core::auth::service_account::{
        base64, decode_token_response, ServiceAccount,
    };
    use atlas_export_jobs_core::wire::request::Method;

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
            let header =
                session.authorization("Mufasa", &password, "GET", "/dir/index.html", CNONCE);
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
        let account = ServiceAccount::new(&base, "mdb_sa_id_1".into(), Secret::new("mdb_sa_sk_2"));
        let request = account.token_request();
        assert_eq!(request.method, Method::Post);
        assert_eq!(request.url, "https://cloud.mongodb.com/api/oauth/token");
        assert_eq!(request.accept, "application/json");
        // base64("mdb_sa_id_1:mdb_sa_sk_2")
        assert_eq!(
            request.authorization.as_ref().unwrap().expose(),
            "Basic bWRiX3NhX2lkXzE6bWRiX3NhX3NrXzI="
        );
        assert_eq!(
            request.form.as_ref().unwrap().expose(),
            "grant_type=client_credentials"
        );
        // The id and secret are form-encoded before they are joined (RFC 6749 §2.3.1).
        let odd = ServiceAccount::new(&base, "a".into(), Secret::new("b c"));
        let revoke = odd.revoke_request(&Secret::new("t/+="));
        assert_eq!(revoke.url, "https://cloud.mongodb.com/api/oauth/revoke");
        assert_eq!(
            revoke.authorization.as_ref().unwrap().expose(),
            "Basic YTpiK2M="
        );
        assert_eq!(
            revoke.form.as_ref().unwrap().expose(),
            "token=t%2F%2B%3D&token_type_hint=access_token"
        );
        assert!(!format!("{request:?} {account:?}").contains("mdb_sa_sk_2"));
    }

    #[test]
    fn keeps_a_proxy_path_prefix_in_the_token_endpoints() {
        let base = BaseUrl::parse("https://proxy.example/atlas/", false).unwrap();
        let account = ServiceAccount::new(&base, "id".into(), Secret::new("sk"));
        assert_eq!(
            account.token_request().url,
            "https://proxy.example/atlas/api/oauth/token"
        );
        assert_eq!(
            account.revoke_request(&Secret::new("t")).url,
            "https://proxy.example/atlas/api/oauth/revoke"
        );
    }

    #[test]
    fn encodes_base64_with_padding() {
        for (input, expected) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn uses_a_token_until_shortly_before_it_expires() {
        let token = decode_token_response(
            200,
            r#"{"access_token":"tok","token_type":"Bearer","expires_in":3600}"#,
            at(0.0),
        )
        .unwrap();
        assert_eq!(token.token.expose(), "tok");
        assert!(token.is_usable(at(3_539_999.0)));
        assert!(!token.is_usable(at(3_540_000.0)), "a minute early");
        let short =
            decode_token_response(200, r#"{"access_token":"t","expires_in":10}"#, at(0.0)).unwrap();
        assert!(
            short.is_usable(at(8_999.0)) && !short.is_usable(at(9_000.0)),
            "a tenth early when short"
        );
        let unnamed = decode_token_response(200, r#"{"access_token":"t"}"#, at(0.0)).unwrap();
        assert!(unnamed.is_usable(at(3_539_999.0)) && !unnamed.is_usable(at(3_540_000.0)));
        // A lifetime that is no lifetime is taken as Atlas's hour.
        for expires_in in ["0", "-5"] {
            let body = format!(r#"{{"access_token":"t","expires_in":{expires_in}}}"#);
            let token = decode_token_response(200, &body, at(0.0)).unwrap();
            assert_eq!(token.use_until_ms, 3_540_000.0, "{expires_in}");
        }
        // A number no float holds is no JSON the reader takes.
        let huge =
            decode_token_response(200, r#"{"access_token":"t","expires_in":1e400}"#, at(0.0));
        assert_eq!(huge.unwrap_err().problem, AuthProblem::NoAccessToken);
    }

    #[test]
    fn reports_the_token_endpoints_refusal() {
        let error = decode_token_response(
            401,
            r#"{"error":"invalid_client","error_description":"Bad credentials"}"#,
            at(0.0),
        )
        .unwrap_err();
        assert_eq!(error.problem, AuthProblem::TokenRefused);
        assert_eq!(error.status, Some(401));
        assert_eq!(error.error_code.as_deref(), Some("invalid_client"));
        assert_eq!(error.detail.as_deref(), Some("Bad credentials"));
        let facts = FactList::of(&error);
        assert_eq!(facts.text("code"), Some("tokenRefused"));
        assert_eq!(facts.number("status"), Some(401.0));
        assert_eq!(facts.text("errorCode"), Some("invalid_client"));

        let limited = decode_token_response(429, "", at(0.0)).unwrap_err();
        assert_eq!((limited.status, limited.error_code), (Some(429), None));
        let foreign = decode_token_response(502, "<html>bad gateway</html>", at(0.0)).unwrap_err();
        assert_eq!((foreign.error_code, foreign.detail), (None, None));
        for body in [
            "{}",
            "<html>",
            r#"{"access_token":5}"#,
            r#"{"token":"t"}"#,
            "",
        ] {
            let error = decode_token_response(200, body, at(0.0)).unwrap_err();
            assert_eq!(error.problem, AuthProblem::NoAccessToken, "{body:?}");
            assert_eq!(error.status, Some(200));
        }
    }

    #[test]
    fn builds_the_secret_schemes_credentials() {
        let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
        for scheme in [
            AuthScheme::ServiceAccount {
                client_id: "id".into(),
                client_secret: Secret::new("sk"),
            },
            AuthScheme::Digest {
                public_key: "pub".into(),
                private_key: Secret::new("priv"),
            },
        ] {
            assert!(Credentials::new(scheme, &base).is_ok());
        }
    }
}

/// Reading `options.auth` is the same in every build; only making the credentials differs.
#[test]
fn reads_each_auth_scheme() {
    let cases = [
        (
            record(&[("type", s("bearer")), ("token", s("t"))]),
            AuthScheme::Bearer(Secret::new("t")),
        ),
        (
            record(&[("type", s("bearer")), ("getToken", InputValue::Function)]),
            AuthScheme::TokenProvider,
        ),
        (record(&[("type", s("none"))]), AuthScheme::None),
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
            AuthScheme::from_input(&input.nested_in("auth")).unwrap(),
            (expected, false)
        );
    }
    let allowed = record(&[
        ("type", s("digest")),
        ("publicKey", s("pub")),
        ("privateKey", s("priv")),
        ("allowInBrowser", InputValue::Bool(true)),
    ]);
    assert!(
        AuthScheme::from_input(&allowed.nested_in("auth"))
            .unwrap()
            .1
    );
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
            record(&[
                ("type", s("bearer")),
                ("token", s("t")),
                ("getToken", InputValue::Function),
            ]),
            "auth.token",
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
        assert_eq!(error.field, field, "{error:?}");
        let shown = format!("{error:?} {:?}", FactList::of(&error));
        assert!(
            !shown.contains("has space secret") && !shown.contains("bad\nkey"),
            "{shown}"
        );
    }
}

#[test]
fn says_what_is_wrong_with_each_bad_auth_option() {
    let problem = |entries: &[(&str, InputValue)]| {
        AuthScheme::from_input(&record(entries).nested_in("auth"))
            .unwrap_err()
            .problem
    };
    assert_eq!(
        problem(&[("type", s("basic"))]),
        Problem::Pattern {
            rule: "authType",
            value: Some("basic".into())
        }
    );
    assert_eq!(problem(&[("token", s("t"))]), Problem::Required);
    assert_eq!(
        problem(&[
            ("type", s("bearer")),
            ("token", s("t")),
            ("getToken", InputValue::Function)
        ]),
        Problem::Conflict { other: "getToken" }
    );
    // A token that cannot be a header value is refused without repeating it.
    assert_eq!(
        problem(&[("type", s("bearer")), ("token", s("a b"))]),
        Problem::Pattern {
            rule: "token",
            value: None
        }
    );
    let Problem::UnknownKey { suggestion, .. } = problem(&[
        ("type", s("digest")),
        ("publicKey", s("p")),
        ("privateKey", s("k")),
        ("privatekey", s("k")),
    ]) else {
        panic!("expected an unknown key")
    };
    assert_eq!(suggestion, Some("privateKey"));
}

#[test]
fn refuses_a_long_lived_secret_in_a_browser_unless_allowed() {
    let digest = AuthScheme::Digest {
        public_key: "p".into(),
        private_key: Secret::new("k"),
    };
    let account = AuthScheme::ServiceAccount {
        client_id: "i".into(),
        client_secret: Secret::new("s"),
    };
    for scheme in [&digest, &account] {
        assert!(scheme.holds_secret());
        let refused = check_secret_placement(scheme, false, true).unwrap_err();
        assert_eq!(refused.problem, AuthProblem::SecretInBrowser);
        assert!(check_secret_placement(scheme, true, true).is_ok());
        assert!(check_secret_placement(scheme, false, false).is_ok());
    }
    for scheme in [
        AuthScheme::None,
        AuthScheme::TokenProvider,
        AuthScheme::Bearer(Secret::new("t")),
    ] {
        assert!(!scheme.holds_secret());
        assert!(check_secret_placement(&scheme, false, true).is_ok());
    }
}

#[test]
fn accepts_a_broker_token_only_when_it_fits_a_header() {
    assert_eq!(
        bearer::provided(Some("tok".into())).map(|t| t.expose().to_owned()),
        Some("tok".into())
    );
    for bad in [
        None,
        Some(""),
        Some("a b"),
        Some("line\nbreak"),
        Some("ünï"),
    ] {
        assert!(
            bearer::provided(bad.map(str::to_owned)).is_none(),
            "{bad:?}"
        );
    }
    assert_eq!(bearer::header(&Secret::new("t")).expose(), "Bearer t");
}

/// The browser's lean build leaves out the schemes that hold a long-lived secret: they are
/// refused when the credentials are made, naming the scheme.
#[cfg(not(feature = "secret-schemes"))]
#[test]
fn a_build_without_the_secret_schemes_refuses_them() {
    let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
    for (scheme, name) in [
        (
            AuthScheme::ServiceAccount {
                client_id: "id".into(),
                client_secret: Secret::new("sk"),
            },
            "serviceAccount",
        ),
        (
            AuthScheme::Digest {
                public_key: "pub".into(),
                private_key: Secret::new("priv"),
            },
            "digest",
        ),
    ] {
        let error = Credentials::new(scheme, &base).unwrap_err();
        assert_eq!(error.field, "auth.type");
        assert_eq!(error.problem, Problem::NotInThisBuild { scheme: name });
    }
    assert!(Credentials::new(AuthScheme::TokenProvider, &base).is_ok());
}
