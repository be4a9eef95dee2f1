//! Options, base URL rules and the request built for each API version.

#![allow(clippy::unwrap_used)] // a failed expectation in a test helper is a test failure

use atlas_export_jobs::base_url::BaseUrl;
mod common;

use atlas_export_jobs::auth::bearer_header;
use atlas_export_jobs::error::ValidationError;
use atlas_export_jobs::input::InputValue;
use atlas_export_jobs::options::{CallOptions, DEFAULT_TIMEOUT_MS};
use atlas_export_jobs::params::ListExportJobsParams;
use atlas_export_jobs::request::{ApiVersion, HttpRequest};
use common::{params_with, record, s, GROUP};

use InputValue::{Bool, Null, Number};

const TOKEN: &str = "tok-3f9a8b7c6d5e4f3a2b1c";

fn params(extra: &[(&str, InputValue)]) -> ListExportJobsParams {
    ListExportJobsParams::from_input(&params_with(extra)).unwrap()
}

fn options(entries: &[(&str, InputValue)]) -> Result<CallOptions, ValidationError> {
    CallOptions::from_input(&record(entries))
}

#[test]
fn builds_the_v2_request_by_default() {
    let call = options(&[("accessToken", s(TOKEN))]).unwrap();
    assert_eq!(call.api_version, ApiVersion::V2);
    assert_eq!(call.timeout_ms, DEFAULT_TIMEOUT_MS);
    let request = HttpRequest::list_export_jobs(&params(&[]), &call.base_url, call.api_version);
    assert_eq!(
        request.url,
        "https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports"
    );
    assert_eq!(request.accept, "application/vnd.atlas.2023-01-01+json");
    let header = bearer_header(call.access_token.as_ref().unwrap());
    assert_eq!(header.expose(), format!("Bearer {TOKEN}"));
}

#[test]
fn builds_the_v1_request_of_the_original_example() {
    let call = options(&[("apiVersion", s("v1.0"))]).unwrap();
    let request = HttpRequest::list_export_jobs(&params(&[]), &call.base_url, call.api_version);
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
        let request = HttpRequest::list_export_jobs(&params(extra), &base, ApiVersion::V2);
        let expected = format!("https://cloud.mongodb.com/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/backup/exports{query}");
        assert_eq!(request.url, expected);
    }
}

#[test]
fn keeps_a_base_url_path_prefix_and_drops_trailing_slashes() {
    let call = options(&[("baseUrl", s("https://Proxy.Example:8443/atlas/"))]).unwrap();
    let request = HttpRequest::list_export_jobs(&params(&[]), &call.base_url, ApiVersion::V2);
    assert_eq!(
        request.url,
        format!("https://proxy.example:8443/atlas/api/atlas/v2/groups/{GROUP}/clusters/Cluster0/backup/exports")
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
        assert!(
            error.message.contains("allowInsecureHttp"),
            "{}",
            error.message
        );
        assert!(
            BaseUrl::parse(url, true).is_ok(),
            "{url} with allowInsecureHttp"
        );
    }
}

#[test]
fn rejects_base_urls_that_are_not_absolute_http_urls() {
    for url in [
        "",
        "cloud.mongodb.com",
        "/api",
        "ftp://cloud.mongodb.com",
        "https://",
        "https://:443",
        "https://host:notaport",
        "https://host:70000",
        "https://cloud.mongodb.com?x=1",
        "https://cloud.mongodb.com/#frag",
        "https://cloud mongodb.com",
        "https://cloud.mongodb.com\r\nX-Injected: 1",
    ] {
        let error = options(&[("baseUrl", s(url))]).unwrap_err();
        assert_eq!(error.field, "baseUrl", "{url:?}");
    }
}

#[test]
fn never_repeats_a_password_given_in_the_base_url() {
    let error = options(&[("baseUrl", s("https://admin:hunter2@cloud.mongodb.com"))]).unwrap_err();
    assert_eq!(error.field, "baseUrl");
    assert!(!error.message.contains("hunter2"), "{}", error.message);
}

#[test]
fn rejects_tokens_that_cannot_be_a_header_value_without_showing_them() {
    for token in ["", "has space", "line\nbreak", "tab\tin", "ünïcode"] {
        let error = options(&[("accessToken", s(token))]).unwrap_err();
        assert_eq!(error.field, "accessToken");
        if !token.is_empty() {
            assert!(!error.message.contains(token), "{}", error.message);
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
    let header = bearer_header(call.access_token.as_ref().unwrap());
    assert!(!format!("{call:?}").contains(TOKEN));
    assert!(!format!("{header:?}").contains(TOKEN));
}

#[test]
fn checks_the_remaining_options() {
    let bad: [(&str, InputValue); 9] = [
        ("apiVersion", s("v3")),
        ("apiVersion", s("2023-01-01")),
        ("timeoutMs", Number(0.0)),
        ("timeoutMs", Number(1.5)),
        ("timeoutMs", Number(3_000_000_000.0)),
        ("timeoutMs", s("1000")),
        ("allowInsecureHttp", s("yes")),
        ("signal", InputValue::Other("object")),
        ("signal", Null),
    ];
    for (key, value) in bad {
        let error = options(&[(key, value.clone())]).unwrap_err();
        assert_eq!(error.field, key, "{value:?}");
    }
    let call = options(&[
        ("timeoutMs", Number(250.0)),
        ("signal", InputValue::AbortSignal),
    ])
    .unwrap();
    assert_eq!(call.timeout_ms, 250);
}

#[test]
fn rejects_unknown_options_and_suggests_the_known_one() {
    let error = options(&[("timeout", Number(5.0))]).unwrap_err();
    assert_eq!(error.field, "timeout");
    assert!(
        error.message.contains("did you mean timeoutMs?"),
        "{}",
        error.message
    );
    let error = options(&[("baseURL", s("https://x"))]).unwrap_err();
    assert!(
        error.message.contains("did you mean baseUrl?"),
        "{}",
        error.message
    );
}

#[test]
fn retries_by_default_and_reads_retry_overrides() {
    use atlas_export_jobs::retry::RetryPolicy;
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
        assert_eq!(error.field, field, "{value:?}: {}", error.message);
    }
    let typo = options(&[(
        "retry",
        InputValue::Record(record(&[("maxAttemps", Number(2.0))])),
    )])
    .unwrap_err();
    assert!(
        typo.message.contains("did you mean maxAttempts?"),
        "{}",
        typo.message
    );
    assert_eq!(
        options(&[("deadlineMs", Number(0.0))]).unwrap_err().field,
        "deadlineMs"
    );
}
