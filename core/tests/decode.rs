//! Decoding of every documented body, of bodies the spec does not foresee, and of garbage.

#![allow(clippy::panic)] // a failed expectation in a test helper is a test failure

use atlas_export_jobs::decode::{decode_page, RawResponse};
use atlas_export_jobs::error::Failure;
use atlas_export_jobs::model::ExportState;

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn decode(status: u16, body: &str) -> Result<atlas_export_jobs::model::ExportJobsPage, Failure> {
    decode_page(RawResponse { status, body }, false)
}

#[test]
fn decodes_the_documented_page_field_for_field() {
    let page = decode(200, &fixture("seed-200-list.json")).unwrap();
    assert_eq!(page.total_count, Some(42));
    let links = page.links.as_deref().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(
        links[0].href.as_deref(),
        Some("https://cloud.mongodb.com/api/atlas")
    );
    assert_eq!(links[0].rel.as_deref(), Some("self"));
    let job = &page.results[0];
    let components = job.components.as_deref().unwrap();
    assert_eq!(
        components[0].export_id.as_deref(),
        Some("32b6e34b3d91647abb20e7b8")
    );
    assert_eq!(components[0].replica_set_name.as_deref(), Some("string"));
    assert_eq!(job.created_at.as_deref(), Some("2025-05-04T09:42:00Z"));
    let custom = job.custom_data.as_deref().unwrap();
    assert_eq!(
        (custom[0].key.as_deref(), custom[0].value.as_deref()),
        (Some("string"), Some("string"))
    );
    assert_eq!(job.export_bucket_id, "32b6e34b3d91647abb20e7b8");
    let status = job.export_status.as_ref().unwrap();
    assert_eq!(
        (status.exported_collections, status.total_collections),
        (Some(42), Some(42))
    );
    assert_eq!(job.finished_at.as_deref(), Some("2025-05-04T09:42:00Z"));
    assert_eq!(job.id.as_deref(), Some("32b6e34b3d91647abb20e7b8"));
    assert_eq!(job.links.as_ref().map(Vec::len), Some(1));
    assert_eq!(job.prefix.as_deref(), Some("string"));
    assert_eq!(job.snapshot_id.as_deref(), Some("32b6e34b3d91647abb20e7b8"));
    assert_eq!(job.state, Some(ExportState::Cancelled));
    let reason = job.state_reason.as_ref().unwrap();
    assert_eq!(
        (reason.error_code.as_deref(), reason.message.as_deref()),
        (Some("string"), Some("string"))
    );
}

#[test]
fn reencodes_the_documented_page_to_the_same_json() {
    let body = fixture("seed-200-list.json");
    let page = decode(200, &body).unwrap();
    let original: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(serde_json::to_value(&page).unwrap(), original);
}

#[test]
fn decodes_each_documented_error_body() {
    for (file, status, code, reason) in [
        (
            "seed-401.json",
            401,
            "NOT_ORG_GROUP_CREATOR",
            "Unauthorized",
        ),
        (
            "seed-403.json",
            403,
            "CANNOT_CHANGE_GROUP_NAME",
            "Forbidden",
        ),
        ("seed-404.json", 404, "RESOURCE_NOT_FOUND", "Not Found"),
        (
            "seed-500.json",
            500,
            "UNEXPECTED_ERROR",
            "Internal Server Error",
        ),
    ] {
        let Err(Failure::Api(api)) = decode(status, &fixture(file)) else {
            panic!("{file}: expected an API failure");
        };
        assert_eq!(api.status, status);
        assert_eq!(api.error_code.as_deref(), Some(code));
        assert_eq!(api.reason.as_deref(), Some(reason));
        assert!(api
            .detail
            .as_deref()
            .unwrap()
            .starts_with("(This is just an example"));
        assert_eq!(api.body, None);
    }
}

#[test]
fn keeps_a_minimal_page_minimal() {
    let page = decode(
        200,
        r#"{"results":[{"exportBucketId":"32b6e34b3d91647abb20e7b8"}]}"#,
    )
    .unwrap();
    assert_eq!(page.links, None);
    assert_eq!(page.total_count, None);
    let json = serde_json::to_string(&page).unwrap();
    assert_eq!(
        json,
        r#"{"results":[{"exportBucketId":"32b6e34b3d91647abb20e7b8"}]}"#
    );
}

#[test]
fn ignores_unknown_fields_and_keeps_unknown_states() {
    let body = r#"{"status":200,"results":[{"exportBucketId":"32b6e34b3d91647abb20e7b8","state":"Paused",
        "futureField":{"nested":[1,2]},"exportStatus":{"exportedCollections":1,"totalCollections":2,"bytes":9}}],
        "totalCount":1,"nextCursor":"abc"}"#;
    let page = decode(200, body).unwrap();
    let job = &page.results[0];
    assert_eq!(job.state, Some(ExportState::Unknown("Paused".to_owned())));
    assert_eq!(job.state.as_ref().unwrap().as_str(), "Paused");
    let json = serde_json::to_value(&page).unwrap();
    assert_eq!(json["results"][0]["state"], "Paused");
    assert!(json["results"][0].get("futureField").is_none());
}

#[test]
fn knows_which_states_are_terminal() {
    for (state, terminal) in [
        ("Queued", false),
        ("InProgress", false),
        ("Successful", true),
        ("Failed", true),
        ("Cancelled", true),
        ("Paused", false),
    ] {
        assert_eq!(
            ExportState::from(state.to_owned()).is_terminal(),
            terminal,
            "{state}"
        );
    }
}

#[test]
fn decodes_an_empty_page() {
    let page = decode(200, r#"{"links":[],"results":[],"totalCount":0}"#).unwrap();
    assert!(page.results.is_empty());
    assert_eq!(page.total_count, Some(0));
}

#[test]
fn reads_null_nullable_error_fields_as_absent_and_keeps_parameters_and_bad_request_detail() {
    let body = r#"{"error":400,"errorCode":"VALIDATION_ERROR","detail":null,"reason":null,
        "parameters":["itemsPerPage",501,{"x":true},null],
        "badRequestDetail":{"fields":[{"field":"itemsPerPage","description":"must be less than or equal to 500"}]}}"#;
    let Err(Failure::Api(api)) = decode(400, body) else {
        panic!("expected an API failure")
    };
    assert_eq!(api.detail, None);
    assert_eq!(api.reason, None);
    assert_eq!(
        api.parameters.unwrap(),
        serde_json::json!(["itemsPerPage", 501, {"x": true}, null])
            .as_array()
            .unwrap()
            .clone()
    );
    let fields = api.bad_request_detail.unwrap().fields.unwrap();
    assert_eq!(fields[0].field, "itemsPerPage");
    assert_eq!(fields[0].description, "must be less than or equal to 500");
    let Err(failure) = decode(
        400,
        r#"{"error":400,"errorCode":"X","badRequestDetail":null}"#,
    ) else {
        panic!()
    };
    assert_eq!(failure.kind(), "api");
}

#[test]
fn keeps_a_foreign_error_body_as_text() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let Err(failure) = decode(502, html) else {
        panic!("expected a failure")
    };
    assert_eq!(failure.kind(), "api");
    assert!(failure.message().contains("502"), "{}", failure.message());
    let Failure::Api(api) = failure else {
        unreachable!()
    };
    assert_eq!(api.error_code, None);
    assert_eq!(api.body.as_deref(), Some(html));

    for body in [
        "",
        "   ",
        "null",
        "42",
        r#"{"message":"no"}"#,
        r#"{"error":"x","errorCode":1}"#,
    ] {
        let Err(Failure::Api(api)) = decode(503, body) else {
            panic!("{body:?}")
        };
        assert_eq!((api.status, api.error_code), (503, None), "{body:?}");
        assert_eq!(api.body.as_deref(), Some(body));
    }
}

#[test]
fn shortens_a_huge_foreign_body_on_a_character_boundary() {
    let body = "é".repeat(20_000);
    let Err(Failure::Api(api)) = decode(502, &body) else {
        panic!()
    };
    let kept = api.body.unwrap();
    assert!(kept.len() <= 16 * 1024 && kept.len() > 16_000);
    assert!(body.starts_with(&kept));
}

#[test]
fn reports_the_json_path_of_a_wrong_type() {
    let cases = [
        (
            r#"{"results":[{"exportBucketId":"a"},{"exportBucketId":"b","state":3}]}"#,
            "$.results[1].state",
        ),
        (
            r#"{"results":[{"exportBucketId":"a","exportStatus":{"totalCollections":"9"}}]}"#,
            "$.results[0].exportStatus.totalCollections",
        ),
        (
            r#"{"results":[{"exportBucketId":"a","exportStatus":{"totalCollections":3000000000}}]}"#,
            "$.results[0].exportStatus.totalCollections",
        ),
        (r#"{"results":[],"totalCount":"42"}"#, "$.totalCount"),
        (r#"{"results":{}}"#, "$.results"),
        (r#"{"links":[{"href":5}],"results":[]}"#, "$.links[0].href"),
        (
            r#"{"results":[{"exportBucketId":"a","components":[{"exportId":null,"replicaSetName":7}]}]}"#,
            "$.results[0].components[0].replicaSetName",
        ),
    ];
    for (body, path) in cases {
        let Err(Failure::Decode(decode)) = decode(200, body) else {
            panic!("{body}: expected a decode failure")
        };
        assert_eq!(decode.path, path, "{body}");
        assert_eq!(decode.status, 200);
    }
}

#[test]
fn reports_missing_required_fields_by_path() {
    let Err(Failure::Decode(d)) = decode(200, r#"{"totalCount":1}"#) else {
        panic!()
    };
    assert_eq!(d.path, "$.results");
    let Err(Failure::Decode(d)) = decode(200, r#"{"results":[{"id":"x"}]}"#) else {
        panic!()
    };
    assert_eq!(d.path, "$.results[0].exportBucketId");
}

#[test]
fn rejects_bodies_that_are_not_a_page() {
    for body in [
        "",
        " ",
        "null",
        "42",
        "\"x\"",
        "[]",
        "true",
        r#"{"results":[]"#,
        r#"{"results":[]} trailing"#,
        "<html></html>",
    ] {
        let Err(failure) = decode(200, body) else {
            panic!("{body:?}: expected a failure")
        };
        assert_eq!(failure.kind(), "decode", "{body:?}");
        let Failure::Decode(d) = &failure else {
            unreachable!()
        };
        assert!(d.path.starts_with('$'), "{body:?}: {}", d.path);
        assert!(!failure.message().is_empty());
    }
}

#[test]
fn never_panics_on_truncations_of_a_real_body() {
    let body = fixture("seed-200-list.json");
    for end in (0..body.len()).filter(|&i| body.is_char_boundary(i)) {
        for status in [200, 404] {
            let _ = decode(status, &body[..end]);
        }
    }
}

fn enveloped(status: u16, body: &str) -> Result<atlas_export_jobs::model::ExportJobsPage, Failure> {
    decode_page(RawResponse { status, body }, true)
}

#[test]
fn decodes_an_enveloped_page_to_the_same_page() {
    let plain = decode(200, &fixture("seed-200-list.json")).unwrap();
    let with_status = fixture("seed-200-list.json").replacen('{', r#"{"status":200,"#, 1);
    assert_eq!(enveloped(200, &with_status).unwrap(), plain);
    let wrapped = format!(
        r#"{{"status":200,"content":{}}}"#,
        fixture("seed-200-list.json")
    );
    assert_eq!(enveloped(200, &wrapped).unwrap(), plain);
}

#[test]
fn reads_an_enveloped_error_whatever_the_transport_status() {
    let error = fixture("seed-404.json");
    let cases = [
        (200, format!(r#"{{"status":404,"content":{error}}}"#)),
        (200, error.replacen('{', r#"{"status":404,"#, 1)),
        (200, error.clone()),
        (404, format!(r#"{{"status":404,"content":{error}}}"#)),
        (404, error.clone()),
    ];
    for (transport, body) in cases {
        let Err(Failure::Api(api)) = enveloped(transport, &body) else {
            panic!("{transport} {body}")
        };
        assert_eq!(api.status, 404, "{body}");
        assert_eq!(
            api.error_code.as_deref(),
            Some("RESOURCE_NOT_FOUND"),
            "{body}"
        );
    }
}

#[test]
fn an_enveloped_error_without_an_atlas_body_keeps_its_status() {
    let Err(Failure::Api(api)) = enveloped(200, r#"{"status":503,"content":"<html>down</html>"}"#)
    else {
        panic!()
    };
    assert_eq!(api.status, 503);
    assert_eq!(api.error_code, None);
}

#[test]
fn without_envelope_a_status_field_is_just_an_unknown_field() {
    let body = r#"{"status":404,"results":[]}"#;
    assert!(decode(200, body).unwrap().results.is_empty());
}
