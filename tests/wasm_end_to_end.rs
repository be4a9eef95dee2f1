//! End-to-end stories against the mock Atlas, run by wasm-bindgen-test in Node and in headless
//! Chromium (scripts/test.sh starts the mock and passes its URL at compile time).

#![cfg(target_arch = "wasm32")]
// Test code. The mock's URL is read with `option_env!` so that the file still compiles (for
// clippy) without it; the tests themselves need scripts/test.sh to have set it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::option_env_unwrap
)]

use atlas_export_jobs::list_export_jobs;
use gloo_net::http::{Method, RequestBuilder};
use js_sys::{Reflect, JSON};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

const GROUP: &str = "6542a1b2c3d4e5f60718293a";
const TOKEN: &str = "mock-atlas-token-7c1e0d5f";

fn mock_url() -> &'static str {
    option_env!("ATLAS_MOCK_URL").expect("ATLAS_MOCK_URL is set at compile time by scripts/test.sh")
}

fn js(json: &str) -> JsValue {
    JSON::parse(json).unwrap()
}

fn params(cluster: &str, extra: &str) -> JsValue {
    js(&format!(
        r#"{{"groupId":"{GROUP}","clusterName":"{cluster}"{extra}}}"#
    ))
}

fn options(extra: &str) -> JsValue {
    js(&format!(
        r#"{{"baseUrl":"{}","accessToken":"{TOKEN}"{extra}}}"#,
        mock_url()
    ))
}

fn to_json(value: &JsValue) -> Value {
    serde_wasm_bindgen::from_value(value.clone()).unwrap()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

async fn control(method: Method, path: &str, body: Option<&str>) -> Value {
    let builder = RequestBuilder::new(&format!("{}{path}", mock_url())).method(method);
    let request = match body {
        Some(body) => builder.body(body).unwrap(),
        None => builder.build().unwrap(),
    };
    let response = request.send().await.unwrap();
    serde_json::from_str(&response.text().await.unwrap()).unwrap_or(Value::Null)
}

async fn inject_fault(cluster: &str, fault: &str) {
    control(
        Method::POST,
        "/__mock/faults",
        Some(&format!(r#"{{"cluster":"{cluster}","fault":{fault}}}"#)),
    )
    .await;
}

/// How many requests the mock has received for `cluster`.
async fn requests_for(cluster: &str) -> usize {
    let log = control(Method::GET, "/__mock/requests", None).await;
    let needle = format!("/clusters/{cluster}/");
    log.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().unwrap_or("").contains(&needle))
        .count()
}

async fn expect_error(params: JsValue, options: JsValue, kind: &str) -> JsValue {
    let error = list_export_jobs(params, options)
        .await
        .expect_err("the call should fail");
    assert!(error.is_instance_of::<js_sys::Error>(), "an Error instance");
    assert_eq!(get(&error, "name").as_string().unwrap(), "AtlasError");
    assert_eq!(
        get(&error, "kind").as_string().unwrap(),
        kind,
        "{:?}",
        get(&error, "message")
    );
    let text = JSON::stringify(&error).unwrap().as_string().unwrap();
    assert!(!text.contains(TOKEN), "the token leaked: {text}");
    assert!(!get(&error, "message").as_string().unwrap().contains(TOKEN));
    error
}

#[wasm_bindgen_test]
async fn lists_a_page_field_for_field_as_the_mock_sent_it() {
    let page = list_export_jobs(
        params("Cluster0", r#","itemsPerPage":10,"pageNum":2"#),
        options(""),
    )
    .await
    .unwrap();
    let page = to_json(&page);
    let dataset = control(Method::GET, "/__mock/dataset?cluster=Cluster0", None).await;
    assert_eq!(
        page["results"],
        Value::from(dataset.as_array().unwrap()[10..20].to_vec())
    );
    assert_eq!(page["totalCount"], 42);
    let rels: Vec<&str> = page["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "next", "previous"] {
        assert!(rels.contains(&rel), "{rel} in {rels:?}");
    }
}

#[wasm_bindgen_test]
async fn leaves_total_count_absent_when_include_count_is_false() {
    let page = list_export_jobs(params("Sharded0", r#","includeCount":false"#), options(""))
        .await
        .unwrap();
    assert!(!Reflect::has(&page, &"totalCount".into()).unwrap());
    let results = get(&page, "results");
    let first = Reflect::get_u32(&results, 0).unwrap();
    assert!(
        Reflect::has(&get(&first, "components"), &0.into()).unwrap(),
        "sharded jobs carry components"
    );
}

#[wasm_bindgen_test]
async fn lists_through_the_v1_api_too() {
    let page = list_export_jobs(
        params("Cluster0", r#","itemsPerPage":5"#),
        options(r#","apiVersion":"v1.0""#),
    )
    .await
    .unwrap();
    assert_eq!(to_json(&page)["results"].as_array().unwrap().len(), 5);
}

#[wasm_bindgen_test]
async fn reports_an_unknown_cluster_as_an_api_error() {
    let error = expect_error(params("NoSuchCluster", ""), options(""), "api").await;
    assert_eq!(get(&error, "status").as_f64(), Some(404.0));
    assert_eq!(
        get(&error, "errorCode").as_string().as_deref(),
        Some("CLUSTER_NOT_FOUND")
    );
}

#[wasm_bindgen_test]
async fn reports_a_wrong_token_as_a_401() {
    let options = js(&format!(
        r#"{{"baseUrl":"{}","accessToken":"not-the-token"}}"#,
        mock_url()
    ));
    let error = expect_error(params("Cluster0", ""), options, "api").await;
    assert_eq!(get(&error, "status").as_f64(), Some(401.0));
}

#[wasm_bindgen_test]
async fn rejects_invalid_input_before_sending_anything() {
    let cluster = "ValidationZeroRequests";
    let bad = [
        (
            js(&format!(r#"{{"groupId":"ABC","clusterName":"{cluster}"}}"#)),
            "groupId",
        ),
        (params(cluster, r#","itemsPerPage":"10""#), "itemsPerPage"),
        (params(cluster, r#","itemPerPage":10"#), "itemPerPage"),
        (params(cluster, r#","pageNum":0"#), "pageNum"),
    ];
    for (params, field) in bad {
        let error = expect_error(params, options(""), "validation").await;
        assert_eq!(get(&error, "field").as_string().as_deref(), Some(field));
    }
    assert_eq!(requests_for(cluster).await, 0);
}

#[wasm_bindgen_test]
async fn keeps_a_proxys_html_page_as_the_body() {
    inject_fault("HtmlGateway", r#""html502""#).await;
    let error = expect_error(
        params("HtmlGateway", ""),
        options(r#","retry":false"#),
        "api",
    )
    .await;
    assert_eq!(get(&error, "status").as_f64(), Some(502.0));
    assert!(get(&error, "body")
        .as_string()
        .unwrap()
        .contains("502 Bad Gateway"));
    assert!(get(&error, "errorCode").is_undefined());
}

#[wasm_bindgen_test]
async fn reports_a_refused_connection_as_a_network_error_with_its_cause() {
    let closed =
        option_env!("ATLAS_CLOSED_URL").expect("ATLAS_CLOSED_URL is set by scripts/test.sh");
    let options = js(&format!(
        r#"{{"baseUrl":"{closed}","accessToken":"{TOKEN}"}}"#
    ));
    let error = expect_error(params("Cluster0", ""), options, "network").await;
    assert!(get(&error, "cause").is_object());
}

#[wasm_bindgen_test]
async fn times_out_a_server_that_never_answers() {
    inject_fault("HangForever", r#""hang""#).await;
    let error = expect_error(
        params("HangForever", ""),
        options(r#","timeoutMs":300,"retry":false"#),
        "timeout",
    )
    .await;
    assert!(!get(&error, "cause").is_undefined());
}

#[wasm_bindgen_test]
async fn stops_at_once_when_the_caller_aborts_with_any_reason() {
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort_with_reason(&"user navigated away".into());
    let options = options("");
    Reflect::set(&options, &"signal".into(), &controller.signal()).unwrap();
    let error = expect_error(params("AbortedEarly", ""), options, "aborted").await;
    assert_eq!(
        get(&error, "cause").as_string().as_deref(),
        Some("user navigated away")
    );
    assert_eq!(requests_for("AbortedEarly").await, 0);
}

#[wasm_bindgen_test]
async fn a_call_after_failures_still_succeeds() {
    let _ = list_export_jobs(params("Cluster0", r#","pageNum":-1"#), options("")).await;
    let _ = list_export_jobs(params("NoSuchCluster", ""), options("")).await;
    let page = list_export_jobs(params("Empty0", ""), options(""))
        .await
        .unwrap();
    assert_eq!(to_json(&page)["results"], Value::Array(vec![]));
}
