//! Options, base URL rules and the request built for each API version. Failures are asserted on
//! their field and rule; the messages are written from them in JavaScript.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::auth::bearer;
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::KeySet;
use atlas_export_jobs_core::error::{Problem, ValidationError};
use atlas_export_jobs_core::machines::retry::RetryPolicy;
use atlas_export_jobs_core::rules::api_version::ApiVersion;
use atlas_export_jobs_core::rules::base_url::{self, BaseUrl, MAX_BASE_URL_LENGTH};
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::rules::options::{
    CallOptions, DEFAULT_DEADLINE_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS,
};
use atlas_export_jobs_core::rules::params::ListExportJobsParams;
use atlas_export_jobs_core::wire::request::{HttpRequest, Method, MAX_URL_LENGTH};
use common::{params_with, record, s, GROUP, TOKEN};

use InputValue::{Bool, Null, Number};

fn params(extra: &[(&str, InputValue)]) -> ListExportJobsParams {
    ListExportJobsParams::from_input(&params_with(extra)).unwrap()
}

fn options(entries: &[(&str, InputValue)]) -> Result<CallOptions, ValidationError> {
    CallOptions::from_input(&record(entries))
}

fn request(params: &ListExportJobsParams, base: &BaseUrl, version: ApiVersion) -> HttpRequest {
    HttpRequest::list_export_jobs(params, base, version).unwrap()
}

/// Everything a failure shows: its facts, where a value could leak.
fn shown(error: &ValidationError) -> String {
    format!("{error:?} {:?}", FactList::of(error))
}

#[test]
fn builds_the_v2_request_by_default() {
    let call = options(&[("accessToken", s(TOKEN))]).unwrap();
    assert_eq!(call.api_version, ApiVersion::V2);
    assert_eq!(call.timeout_ms, DEFAULT_TIMEOUT_MS);
    assert_eq!(call.deadline_ms, DEFAULT_DEADLINE_MS);
    assert_eq!(call.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
    let request = request(&params(&[]), &call.base_url, call.api_version);
    assert_eq!(request.method, Method::Get);
    assert_eq!(
        request.url,
        "https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports"
    );
    assert_eq!(request.accept, "application/vnd.atlas.2023-01-01+json");
    assert_eq!(request.authorization, None, "the credentials add it");
    assert_eq!(request.form, None);
    let header = bearer::header(call.access_token.as_ref().unwrap());
    assert_eq!(header.expose(), format!("Bearer {TOKEN}"));
}

#[test]
fn builds_the_v1_request_of_the_original_example() {
    let call = options(&[("apiVersion", s("v1.0"))]).unwrap();
    let request = request(&params(&[]), &call.base_url, call.api_version);
    assert_eq!(
        request.url,
        "https://cloud.mongodb.com/api/atlas/v1.0/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports"
    );
    assert_eq!(request.accept, "application/json");
}

#[test]
fn sends_only_the_query_parameters_that_were_set() {
    let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
    let cases: [(&[(&str, InputValue)], &str); 4] = [
        (&[], ""),
        (&[("pageNum", Number(3.0))], "?pageNum=3"),
        (
            &[
                ("includeCount", Bool(false)),
                ("itemsPerPage", Number(500.0)),
            ],
            "?includeCount=false&itemsPerPage=500",
        ),
        (
            &[
                ("pageNum", Number(2.0)),
                ("itemsPerPage", Number(10.0)),
                ("pretty", Bool(true)),
                ("envelope", Bool(false)),
                ("includeCount", Bool(true)),
            ],
            "?envelope=false&pretty=true&includeCount=true&itemsPerPage=10&pageNum=2",
        ),
    ];
    for (extra, query) in cases {
        let request = request(&params(extra), &base, ApiVersion::V2);
        let expected = format!("https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/backup/exports{query}");
        assert_eq!(request.url, expected);
    }
}

#[test]
fn names_the_path_and_query_a_digest_response_covers() {
    let base = BaseUrl::parse("https://proxy.example:8443/atlas", false).unwrap();
    let request = request(&params(&[("pageNum", Number(2.0))]), &base, ApiVersion::V2);
    assert_eq!(
        request.target(),
        format!("/atlas/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/backup/exports?pageNum=2")
    );
}

#[test]
fn keeps_a_base_url_path_prefix_and_drops_trailing_slashes() {
    let call = options(&[("baseUrl", s("https://Proxy.Example:8443/atlas/"))]).unwrap();
    assert_eq!(call.base_url.as_str(), "https://proxy.example:8443/atlas");
    assert_eq!(call.base_url.origin(), "https://proxy.example:8443");
    let request = request(&params(&[]), &call.base_url, ApiVersion::V2);
    assert_eq!(
        request.url,
        format!("https://proxy.example:8443/atlas/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/backup/exports")
    );
}

#[test]
fn refuses_a_request_url_longer_than_the_client_sends() {
    let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
    let long = ListExportJobsParams {
        cluster_name: "a".repeat(MAX_URL_LENGTH),
        ..params(&[])
    };
    let error = HttpRequest::list_export_jobs(&long, &base, ApiVersion::V2).unwrap_err();
    assert_eq!(error.field, "clusterName");
    assert_eq!(
        error.problem,
        Problem::TooLong {
            max: MAX_URL_LENGTH as u64
        }
    );
}

#[test]
fn allows_http_only_to_loopback_hosts_unless_told() {
    for url in [
        "http://127.0.0.1:8080",
        "http://localhost:3000",
        "http://[::1]:9000",
        "http://127.1.2.3",
        "http://app.localhost",
    ] {
        assert!(BaseUrl::parse(url, false).is_ok(), "{url}");
    }
    for url in [
        "http://example.com",
        "http://10.0.0.1",
        "http://127.0.0.1.example.com",
        "http://localhost.example.com",
    ] {
        let error = BaseUrl::parse(url, false).unwrap_err();
        assert_eq!(error.field, "baseUrl");
        assert_eq!(
            error.problem,
            Problem::BaseUrl {
                rule: "insecure",
                url: url.to_owned()
            }
        );
        assert!(
            BaseUrl::parse(url, true).is_ok(),
            "{url} with allowInsecureHttp"
        );
    }
    let error = options(&[("baseUrl", s("http://example.com"))]).unwrap_err();
    assert_eq!(FactList::of(&error).text("rule"), Some("insecure"));
    assert!(options(&[
        ("baseUrl", s("http://example.com")),
        ("allowInsecureHttp", Bool(true))
    ])
    .is_ok());
}

#[test]
fn rejects_base_urls_that_are_not_absolute_http_urls() {
    let cases = [
        ("", "absolute"),
        ("cloud.mongodb.com", "absolute"),
        ("//cloud.mongodb.com/api", "absolute"),
        ("/api/atlas", "relative"),
        ("./atlas", "relative"),
        ("../atlas", "relative"),
        ("ftp://cloud.mongodb.com", "scheme"),
        ("https://", "host"),
        ("https://:443", "host"),
        ("https://host:notaport", "host"),
        ("https://host:70000", "host"),
        ("https://cloud.mongodb.com?x=1", "query"),
        ("https://cloud.mongodb.com/#frag", "query"),
        ("https://cloud mongodb.com", "spaces"),
        ("https://cloud.mongodb.com\r\nX-Injected: 1", "spaces"),
        ("https://user@cloud.mongodb.com", "userInfo"),
    ];
    for (url, rule) in cases {
        let error = options(&[("baseUrl", s(url))]).unwrap_err();
        assert_eq!(error.field, "baseUrl", "{url:?}");
        let Problem::BaseUrl { rule: found, .. } = error.problem else {
            panic!("{url:?}: {error:?}")
        };
        assert_eq!(found, rule, "{url:?}");
    }
    let long = format!(
        "https://cloud.mongodb.com/{}",
        "a".repeat(MAX_BASE_URL_LENGTH)
    );
    let error = options(&[("baseUrl", s(&long))]).unwrap_err();
    assert_eq!(
        error.problem,
        Problem::TooLong {
            max: MAX_BASE_URL_LENGTH as u64
        }
    );
}

#[test]
fn never_repeats_a_password_given_in_the_base_url() {
    for url in [
        "https://admin:hunter2@cloud.mongodb.com",
        "https:/admin:hunter2@cloud.mongodb.com",
        "admin:hunter2@cloud.mongodb.com",
        "https://cloud.mongodb.com?key=hunter2",
        "https://cloud.mongodb.com/#hunter2",
    ] {
        let error = options(&[("baseUrl", s(url))]).unwrap_err();
        assert_eq!(error.field, "baseUrl");
        assert!(
            !shown(&error).contains("hunter2"),
            "{url}: {}",
            shown(&error)
        );
    }
}

/// A URL of another scheme is refused too, and its user info must not be quoted either: the
/// rule that names it (`userInfo`) is checked before the scheme's.
#[test]
fn never_repeats_a_password_given_in_a_base_url_of_another_scheme() {
    for url in [
        "ftp://admin:hunter2@cloud.mongodb.com/x",
        "wss://admin:hunter2@cloud.mongodb.com",
    ] {
        let error = options(&[("baseUrl", s(url))]).unwrap_err();
        assert_eq!(error.field, "baseUrl");
        assert!(
            !shown(&error).contains("hunter2"),
            "{url}: {}",
            shown(&error)
        );
        assert!(!base_url::redacted(url).contains("hunter2"), "{url}");
    }
}

#[test]
fn redacts_user_info_query_and_fragment_whatever_the_urls_shape() {
    let cases = [
        (
            "https://cloud.mongodb.com/api",
            "https://cloud.mongodb.com/api",
        ),
        (
            "https://admin:hunter2@cloud.mongodb.com/x",
            "https://[redacted]@cloud.mongodb.com/x",
        ),
        (
            "https:/admin:hunter2@cloud.mongodb.com",
            "https:/[redacted]@cloud.mongodb.com",
        ),
        (
            "admin:hunter2@cloud.mongodb.com",
            "[redacted]@cloud.mongodb.com",
        ),
        (
            "https://cloud.mongodb.com/x?key=hunter2",
            "https://cloud.mongodb.com/x?[redacted]",
        ),
        (
            "https://cloud.mongodb.com/#hunter2",
            "https://cloud.mongodb.com/#[redacted]",
        ),
        (
            "HTTPS://a:b@c:d@host/p?q#f",
            "HTTPS://[redacted]@host/p?[redacted]",
        ),
    ];
    for (url, expected) in cases {
        assert_eq!(base_url::redacted(url), expected, "{url}");
    }
}

#[test]
fn rejects_tokens_that_cannot_be_a_header_value_without_showing_them() {
    for token in ["", "has space", "line\nbreak", "tab\tin", "ünïcode"] {
        let error = options(&[("accessToken", s(token))]).unwrap_err();
        assert_eq!(error.field, "accessToken");
        assert_eq!(
            error.problem,
            Problem::Pattern {
                rule: "token",
                value: None
            }
        );
        if !token.is_empty() {
            assert!(!shown(&error).contains(token), "{}", shown(&error));
        }
    }
    assert_eq!(
        options(&[("accessToken", Number(1.0))]).unwrap_err().field,
        "accessToken"
    );
}

#[test]
fn secrets_are_redacted_in_debug_output() {
    let call = options(&[("accessToken", s(TOKEN))]).unwrap();
    let header = bearer::header(call.access_token.as_ref().unwrap());
    assert!(!format!("{call:?}").contains(TOKEN));
    assert!(!format!("{header:?}").contains(TOKEN));
}

#[test]
fn checks_the_remaining_options() {
    let bad: [(&str, InputValue); 13] = [
        ("apiVersion", s("v3")),
        ("apiVersion", s("2023-01-01")),
        ("timeoutMs", Number(0.0)),
        ("timeoutMs", Number(1.5)),
        ("timeoutMs", Number(3_000_000_000.0)),
        ("timeoutMs", s("1000")),
        ("maxBodyBytes", Number(1023.0)),
        ("maxBodyBytes", Number(268_435_457.0)),
        ("allowInsecureHttp", s("yes")),
        ("signal", InputValue::Other("object")),
        ("signal", Null),
        ("signal", InputValue::Function),
        ("fetch", s("fetch")),
    ];
    for (key, value) in bad {
        let error = options(&[(key, value.clone())]).unwrap_err();
        assert_eq!(error.field, key, "{value:?}");
    }
    let call = options(&[
        ("timeoutMs", Number(250.0)),
        ("maxBodyBytes", Number(1024.0)),
        ("signal", InputValue::AbortSignal),
        ("fetch", InputValue::Function),
    ])
    .unwrap();
    assert_eq!(call.timeout_ms, 250);
    assert_eq!(call.max_body_bytes, 1024);
    assert!(call.has_signal && call.has_fetch && !call.has_on_retry);
    let plain = options(&[]).unwrap();
    assert!(!plain.has_signal && !plain.has_fetch);
}

#[test]
fn rejects_unknown_options_and_suggests_the_known_one() {
    let error = options(&[("timeout", Number(5.0))]).unwrap_err();
    assert_eq!(error.field, "timeout");
    assert_eq!(
        error.problem,
        Problem::UnknownKey {
            set: KeySet::Option,
            suggestion: Some("timeoutMs")
        }
    );
    let error = options(&[("baseURL", s("https://x"))]).unwrap_err();
    assert_eq!(
        error.problem,
        Problem::UnknownKey {
            set: KeySet::Option,
            suggestion: Some("baseUrl")
        }
    );
    assert_eq!(FactList::of(&error).text("keySet"), Some("option"));
}

#[test]
fn retries_by_default_and_reads_retry_overrides() {
    assert_eq!(options(&[]).unwrap().retry, RetryPolicy::DEFAULT);
    assert_eq!(
        options(&[("retry", Bool(true))]).unwrap().retry,
        RetryPolicy::DEFAULT
    );
    assert_eq!(
        options(&[("retry", Bool(false))]).unwrap().retry,
        RetryPolicy::OFF
    );
    let tuned = record(&[
        ("maxAttempts", Number(2.0)),
        ("baseDelayMs", Number(10.0)),
        ("retryAfterUnitMs", Number(1.0)),
        ("onRetry", InputValue::Function),
    ]);
    let call = options(&[
        ("retry", InputValue::Record(tuned)),
        ("deadlineMs", Number(500.0)),
    ])
    .unwrap();
    assert_eq!(call.retry.max_attempts, 2);
    assert_eq!(call.retry.base_delay_ms, 10);
    assert_eq!(call.retry.max_delay_ms, RetryPolicy::DEFAULT.max_delay_ms);
    assert_eq!(call.retry.retry_after_unit_ms, 1);
    assert!(call.has_on_retry);
    assert_eq!(call.deadline_ms, 500);
}

#[test]
fn names_the_nested_field_of_a_bad_retry_option() {
    let cases: [(InputValue, &str); 6] = [
        (s("yes"), "retry"),
        (Number(3.0), "retry"),
        (
            InputValue::Record(record(&[("maxAttempts", Number(0.0))])),
            "retry.maxAttempts",
        ),
        (
            InputValue::Record(record(&[("maxAttempts", Number(11.0))])),
            "retry.maxAttempts",
        ),
        (
            InputValue::Record(record(&[("onRetry", s("log"))])),
            "retry.onRetry",
        ),
        (
            InputValue::Record(record(&[("maxAttemps", Number(2.0))])),
            "retry.maxAttemps",
        ),
    ];
    for (value, field) in cases {
        let error = options(&[("retry", value.clone())]).unwrap_err();
        assert_eq!(error.field, field, "{value:?}: {error:?}");
    }
    let typo = options(&[(
        "retry",
        InputValue::Record(record(&[("maxAttemps", Number(2.0))])),
    )])
    .unwrap_err();
    assert_eq!(
        typo.problem,
        Problem::UnknownKey {
            set: KeySet::RetryOption,
            suggestion: Some("maxAttempts")
        }
    );
    assert_eq!(
        options(&[("deadlineMs", Number(0.0))]).unwrap_err().field,
        "deadlineMs"
    );
}
