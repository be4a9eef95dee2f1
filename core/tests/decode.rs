//! Decoding of every documented body, of bodies the spec does not foresee, and of garbage. A page
//! is checked, not built: these tests parse what the caller would get (`Page::json`) as the
//! documented type and compare that.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::redact;
use atlas_export_jobs_core::error::{DecodeFailure, Failure};
use atlas_export_jobs_core::support::limits::FOREIGN_BODY_LIMIT;
use atlas_export_jobs_core::wire::decode::{self, JobKey, Page};
use atlas_export_jobs_core::wire::json::Problem;
use atlas_export_jobs_core::wire::model::{ExportJobsPage, ExportState};
use common::{ids_kept, job_id, page_body, parsed};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn checked(status: u16, body: &str) -> Result<Page, Failure> {
    decode::decode(status, body.as_bytes().to_vec(), false)
}

/// The page the caller gets, as the documented type.
fn decode(status: u16, body: &str) -> Result<ExportJobsPage, Failure> {
    checked(status, body).map(|page| parsed(&page))
}

fn decode_failure(status: u16, body: &str) -> DecodeFailure {
    match checked(status, body) {
        Err(Failure::Decode(failure)) => failure,
        other => panic!("{body}: expected a decode failure, got {other:?}"),
    }
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
fn hands_the_documented_page_over_as_its_own_text() {
    let body = fixture("seed-200-list.json");
    let page = checked(200, &body).unwrap();
    assert!(page.is_exact());
    assert_eq!(page.json(&[]), body.as_str());
    let original: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(serde_json::to_value(parsed(&page)).unwrap(), original);
}

#[test]
fn tells_paging_what_the_page_says() {
    let page = checked(200, &fixture("seed-200-list.json")).unwrap();
    assert_eq!(page.total_count, Some(42));
    assert!(page.links_present && !page.has_next);
    assert_eq!(page.jobs.len(), 1);
    assert_eq!(
        page.jobs[0].key,
        Some(JobKey(0x32b6_e34b_3d91_647a_bb20_e7b8)),
        "Atlas's ids are packed exactly"
    );
    let (start, end) = page.jobs[0].span;
    let job: serde_json::Value = serde_json::from_str(&page.text[start..end]).unwrap();
    assert_eq!(job["id"], "32b6e34b3d91647abb20e7b8");

    let next = checked(200, &page_body(1..=2, Some(5), true)).unwrap();
    assert!(next.links_present && next.has_next);
    let bare = checked(
        200,
        r#"{"results":[{"exportBucketId":"b","id":"Job-1"},{"exportBucketId":"b"}]}"#,
    )
    .unwrap();
    assert!(!bare.links_present && !bare.has_next);
    assert_eq!(bare.total_count, None);
    assert_eq!(
        bare.jobs.iter().map(|j| j.key).collect::<Vec<_>>(),
        vec![Some(JobKey::of("Job-1")), None]
    );
}

/// Any other id is hashed, flagged by the top bit that no packed id sets: it never equals an
/// Atlas id, and two ids are told apart unless their hashes collide.
#[test]
fn tells_ids_apart_whatever_their_form() {
    let ids = [
        "32b6e34b3d91647abb20e7b8",
        "32B6E34B3D91647ABB20E7B8",
        "32b6e34b3d91647abb20e7b",
        "32b6e34b3d91647abb20e7b80",
        "Job-1",
        "Job-2",
        "",
        "000000000000000000000000",
    ];
    for (i, a) in ids.iter().enumerate() {
        assert_eq!(JobKey::of(a), JobKey::of(a), "{a}");
        for b in &ids[i + 1..] {
            assert_ne!(JobKey::of(a), JobKey::of(b), "{a} and {b}");
        }
    }
    assert_eq!(JobKey::of("000000000000000000000000"), JobKey(0));
    assert!(JobKey::of("Job-1").0 >> 127 == 1 && JobKey::of(ids[0]).0 >> 96 == 0);
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
        assert_eq!(FactList::of(&*api).text("code"), Some("atlas"));
    }
}

#[test]
fn keeps_a_minimal_page_minimal() {
    let body = r#"{"results":[{"exportBucketId":"32b6e34b3d91647abb20e7b8"}]}"#;
    let page = checked(200, body).unwrap();
    assert!(page.is_exact());
    let typed = parsed(&page);
    assert_eq!(typed.links, None);
    assert_eq!(typed.total_count, None);
    assert_eq!(serde_json::to_string(&typed).unwrap(), body);
}

#[test]
fn ignores_unknown_fields_and_keeps_unknown_states() {
    let body = r#"{"status":200,"results":[{"exportBucketId":"32b6e34b3d91647abb20e7b8","state":"Paused",
        "futureField":{"nested":[1,2]},"exportStatus":{"exportedCollections":1,"totalCollections":2,"bytes":9}}],
        "totalCount":1,"nextCursor":"abc"}"#;
    let page = checked(200, body).unwrap();
    assert!(!page.is_exact(), "unknown fields are cut");
    let json: serde_json::Value = serde_json::from_str(&page.json(&[])).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"results":[{"exportBucketId":"32b6e34b3d91647abb20e7b8","state":"Paused",
            "exportStatus":{"exportedCollections":1,"totalCollections":2}}],"totalCount":1})
    );
    let job = &parsed(&page).results[0];
    assert_eq!(job.state, Some(ExportState::Unknown("Paused".to_owned())));
    assert_eq!(job.state.as_ref().unwrap().as_str(), "Paused");
}

#[test]
fn reads_nulls_as_absent() {
    let body = r#"{"links":null,"results":[{"exportBucketId":"b","id":null,"exportStatus":{"exportedCollections":null}}],"totalCount":null}"#;
    let page = checked(200, body).unwrap();
    let json: serde_json::Value = serde_json::from_str(&page.json(&[])).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"results":[{"exportBucketId":"b","exportStatus":{}}]})
    );
    assert_eq!(page.total_count, None);
    // A required field is never absent.
    let failure = decode_failure(200, r#"{"results":[{"exportBucketId":null}]}"#);
    assert_eq!(failure.error.path, "$.results[0].exportBucketId");
    assert!(decode(200, r#"{"results":null}"#).is_err());
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
        "badRequestDetail":{"fields":[{"field":"itemsPerPage","description":"must be less than or equal to 500","extra":1}]}}"#;
    let Err(Failure::Api(api)) = decode(400, body) else {
        panic!("expected an API failure")
    };
    assert_eq!(api.detail, None);
    assert_eq!(api.reason, None);
    let parameters: serde_json::Value =
        serde_json::from_str(api.parameters.as_deref().unwrap()).unwrap();
    assert_eq!(
        parameters,
        serde_json::json!(["itemsPerPage", 501, {"x": true}, null])
    );
    let detail: serde_json::Value =
        serde_json::from_str(api.bad_request_detail.as_deref().unwrap()).unwrap();
    assert_eq!(
        detail,
        serde_json::json!({"fields":[{"field":"itemsPerPage","description":"must be less than or equal to 500"}]})
    );
    let Err(failure) = decode(
        400,
        r#"{"error":400,"errorCode":"X","badRequestDetail":null}"#,
    ) else {
        panic!()
    };
    assert_eq!(failure.kind(), "api");
    let Failure::Api(api) = failure else {
        unreachable!()
    };
    assert_eq!(api.bad_request_detail, None);
}

#[test]
fn keeps_a_foreign_error_body_as_text() {
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let Err(failure) = decode(502, html) else {
        panic!("expected a failure")
    };
    assert_eq!(failure.kind(), "api");
    assert_eq!(failure.status(), Some(502));
    let facts = FactList::of(&failure);
    assert_eq!(facts.text("code"), Some("foreign"));
    assert_eq!(facts.number("status"), Some(502.0));
    let Failure::Api(api) = failure else {
        unreachable!()
    };
    assert_eq!(api.error_code, None);
    assert_eq!(api.body.as_deref(), Some(html));

    for (body, code) in [
        ("", "empty"),
        ("   ", "empty"),
        ("null", "foreign"),
        ("42", "foreign"),
        (r#"{"message":"no"}"#, "foreign"),
        (r#"{"error":"x","errorCode":1}"#, "foreign"),
    ] {
        let Err(Failure::Api(api)) = decode(503, body) else {
            panic!("{body:?}")
        };
        assert_eq!((api.status, &api.error_code), (503, &None), "{body:?}");
        assert_eq!(api.body.as_deref(), Some(body));
        assert_eq!(FactList::of(&*api).text("code"), Some(code), "{body:?}");
    }
}

#[test]
fn shortens_a_huge_foreign_body_on_a_character_boundary() {
    let body = "é".repeat(20_000);
    let Err(mut failure) = decode(502, &body) else {
        panic!()
    };
    // Decoding keeps a margin for scrubbing; what is kept is cut once it has been scrubbed.
    redact::scrub_failure(&mut failure, &[]);
    let Failure::Api(api) = failure else { panic!() };
    let kept = api.body.unwrap();
    assert!(kept.len() <= FOREIGN_BODY_LIMIT && kept.len() > 16_000);
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
        let failure = decode_failure(200, body);
        assert_eq!(failure.error.path, path, "{body}");
        assert_eq!(failure.status, 200);
        assert!(!failure.error.is_syntax(), "{body}");
        assert_eq!(
            FactList::of(&failure).text("path"),
            Some(path),
            "the path is a fact"
        );
    }
}

#[test]
fn says_what_was_found_instead() {
    let body = r#"{"results":[{"exportBucketId":"b","state":3}]}"#;
    let at = body.find(":3").unwrap() + 1;
    let failure = decode_failure(200, body);
    assert_eq!(
        failure.error.problem,
        Problem::Type {
            expected: "a string",
            found: "integer",
            text: (at, at + 1)
        }
    );
    assert_eq!(failure.found.as_deref(), Some("3"));
    let facts = FactList::of(&failure);
    assert_eq!(facts.text("problem"), Some("type"));
    assert_eq!(facts.text("expected"), Some("a string"));
    assert_eq!(facts.text("found"), Some("integer"));
    assert_eq!(facts.text("foundText"), Some("3"));

    let body = r#"{"results":[],"totalCount":3000000000}"#;
    let at = body.find('3').unwrap();
    let range = decode_failure(200, body);
    assert_eq!(
        range.error.problem,
        Problem::OutOfRange {
            expected: "i32",
            text: (at, at + 10)
        }
    );
    assert_eq!(range.found.as_deref(), Some("3000000000"));
    let long = format!(r#"{{"results":[],"totalCount":"{}"}}"#, "x".repeat(200));
    let mut failure = Failure::Decode(decode_failure(200, &long));
    redact::scrub_failure(&mut failure, &[]);
    let Failure::Decode(decoded) = failure else {
        panic!()
    };
    let found = decoded.found.unwrap();
    assert!(found.len() <= 64 && found.starts_with("\"xxx"), "{found}");
}

#[test]
fn reports_missing_required_fields_by_path() {
    let failure = decode_failure(200, r#"{"totalCount":1}"#);
    assert_eq!(failure.error.path, "$.results");
    assert_eq!(failure.error.problem, Problem::Missing { field: "results" });
    let failure = decode_failure(200, r#"{"results":[{"id":"x"}]}"#);
    assert_eq!(failure.error.path, "$.results[0].exportBucketId");
    let duplicate = decode_failure(200, r#"{"results":[],"results":[]}"#);
    assert_eq!(
        duplicate.error.problem,
        Problem::Duplicate { field: "results" }
    );
}

#[test]
fn rejects_bodies_that_are_not_a_page() {
    for (body, syntax) in [
        ("", true),
        (" ", true),
        ("null", false),
        ("42", false),
        ("\"x\"", false),
        ("[]", false),
        ("true", false),
        (r#"{"results":[]"#, true),
        (r#"{"results":[]} trailing"#, true),
        ("<html></html>", true),
    ] {
        let Err(failure) = decode(200, body) else {
            panic!("{body:?}: expected a failure")
        };
        assert_eq!(failure.kind(), "decode", "{body:?}");
        let Failure::Decode(d) = &failure else {
            unreachable!()
        };
        assert!(d.error.path.starts_with('$'), "{body:?}: {}", d.error.path);
        assert_eq!(d.error.is_syntax(), syntax, "{body:?}");
        assert!(FactList::of(&failure).text("problem").is_some());
    }
    assert_eq!(
        decode_failure(200, "  ").error.problem,
        Problem::Syntax("emptyBody")
    );
}

/// `Response.text()` would replace invalid UTF-8 with U+FFFD and hand over a page that is not
/// what the server sent; a 2xx body that is not UTF-8 is refused instead, saying where.
#[test]
fn refuses_a_page_that_is_not_utf8() {
    let mut body = br#"{"results":[{"exportBucketId":"b","prefix":""#.to_vec();
    let at = body.len();
    body.extend_from_slice(b"\xff\"}]}");
    let Err(Failure::Decode(failure)) = decode::decode(200, body.clone(), false) else {
        panic!("expected a decode failure")
    };
    assert_eq!(failure.error.problem, Problem::Syntax("notUtf8"));
    assert_eq!(failure.error.offset, at);
    assert_eq!((failure.error.line, failure.error.column), (1, at));
    assert_eq!(failure.status, 200);
    // An error body is only shown, so it is kept with the bad bytes replaced.
    let Err(Failure::Api(api)) = decode::decode(502, body, false) else {
        panic!("expected an API failure")
    };
    assert!(api.body.unwrap().contains('\u{fffd}'));
    // Where the bad byte is on a later line, the line and column say so.
    let Err(Failure::Decode(failure)) =
        decode::decode(200, b"{\n  \"results\": \xc3".to_vec(), false)
    else {
        panic!()
    };
    assert_eq!((failure.error.line, failure.error.column), (2, 13));
}

#[test]
fn drops_a_leading_byte_order_mark() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(br#"{"results":[]}"#);
    let page = decode::decode(200, body, false).unwrap();
    assert_eq!(page.text, r#"{"results":[]}"#);
}

#[test]
fn never_panics_on_truncations_of_a_real_body() {
    let body = fixture("seed-200-list.json");
    for end in 0..body.len() {
        for status in [200, 404] {
            // Byte cuts, so some end inside a character.
            let _ = decode::decode(status, body.as_bytes()[..end].to_vec(), false);
            let _ = decode::decode(status, body.as_bytes()[..end].to_vec(), true);
        }
    }
}

fn enveloped(status: u16, body: &str) -> Result<ExportJobsPage, Failure> {
    decode::decode(status, body.as_bytes().to_vec(), true).map(|page| parsed(&page))
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
    // A status no HTTP response has is not taken from the body.
    assert!(enveloped(200, r#"{"status":99999,"results":[]}"#).is_ok());
}

#[test]
fn without_envelope_a_status_field_is_just_an_unknown_field() {
    let body = r#"{"status":404,"results":[]}"#;
    assert!(decode(200, body).unwrap().results.is_empty());
}

/// Dropping jobs already listed keeps the rest of the text as it was, and valid JSON whichever
/// jobs go, with any whitespace between them.
#[test]
fn leaves_out_exactly_the_dropped_jobs() {
    let compact = page_body(1..=4, Some(4), false);
    let spaced = format!(
        "{{ \"results\" : [\n  {} ,\n  {} ,{},\t{}\n] , \"unknown\": [1] }}",
        r#"{"exportBucketId":"b","id":"000000000000000000000001","x":null}"#,
        r#"{"id":"000000000000000000000002","exportBucketId":"b"}"#,
        r#"{"exportBucketId":"b","extra":{"a":1},"id":"000000000000000000000003"}"#,
        r#"{"exportBucketId":"b","id":"000000000000000000000004"}"#
    );
    for body in [compact, spaced] {
        let page = checked(200, &body).unwrap();
        for mask in 0..16u32 {
            let drop: Vec<bool> = (0..4).map(|i| mask & (1 << i) != 0).collect();
            let expected: Vec<String> = (1..=4)
                .filter(|n| !drop[(*n - 1) as usize])
                .map(job_id)
                .collect();
            assert_eq!(ids_kept(&page, &drop), expected, "{drop:?} of {body}");
        }
        assert_eq!(
            ids_kept(&page, &[]),
            (1..=4).map(job_id).collect::<Vec<_>>()
        );
    }
}
