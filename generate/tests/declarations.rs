//! The TypeScript declarations (`src/declarations.rs`) against the core, which holds every rule:
//! the keys declared for each argument are the keys the core validates, each declared auth scheme
//! is one the core accepts, the objects handed to callbacks carry the facts the core gives, and
//! the declared response types name the fields of the core's model and decode tables (which
//! core/tests/model.rs checks against the official spec).

#![allow(clippy::unwrap_used, clippy::panic)] // test code

use std::collections::BTreeSet;

use atlas_export_jobs_core::auth::{AuthScheme, AUTH_KEYS};
use atlas_export_jobs_core::error::facts::{Describe, FactList};
use atlas_export_jobs_core::machines::paging::PAGING_KEYS;
use atlas_export_jobs_core::rules::input::{InputRecord, InputValue};
use atlas_export_jobs_core::rules::options::{CALL_KEYS, OPTION_KEYS, RETRY_KEYS};
use atlas_export_jobs_core::rules::params::PARAM_KEYS;
use atlas_export_jobs_core::rules::watch_options::{INTERVAL_KEYS, WAIT_KEYS, WATCH_KEYS};
use atlas_export_jobs_core::wire::decode::{API_ERROR, EXPORT_JOB, EXPORT_JOBS_PAGE};
use atlas_export_jobs_core::wire::json::{Object, Shape};
use atlas_export_jobs_generate::declarations as declared;

type Keys = BTreeSet<String>;

/// The keys `value` serialises with; every field is set by the caller, so all are there.
fn keys_of(value: impl serde::Serialize) -> Keys {
    serde_json::to_value(value)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn set(keys: &[&str]) -> Keys {
    keys.iter().map(|k| (*k).to_owned()).collect()
}

fn union(sets: &[&[&str]]) -> Keys {
    sets.iter().flat_map(|keys| set(keys)).collect()
}

/// The keys of the facts `value` gives.
fn fact_keys(value: &dyn Describe) -> Keys {
    FactList::of(value)
        .0
        .into_iter()
        .map(|(key, _)| key.to_owned())
        .collect()
}

// ---- what the caller passes --------------------------------------------------------------------

fn every_call_option() -> declared::ClientCallOptions {
    declared::ClientCallOptions {
        api_version: Some(String::new()),
        signal: Some(()),
        timeout_ms: Some(1),
        deadline_ms: Some(1),
        retry: Some(declared::RetryOptions::default()),
        max_body_bytes: Some(1024),
    }
}

fn every_option() -> declared::ListExportJobsOptions {
    declared::ListExportJobsOptions {
        base_url: Some(String::new()),
        access_token: Some(String::new()),
        per_call: every_call_option(),
        allow_insecure_http: Some(true),
        fetch: Some(()),
    }
}

fn every_page_option() -> declared::PageOptions {
    declared::PageOptions {
        max_pages: Some(1),
        max_items: Some(1),
        concurrency: Some(1),
    }
}

fn every_listing_option() -> declared::ListingOptions {
    declared::ListingOptions {
        pages: every_page_option(),
        on_progress: Some(()),
    }
}

fn every_interval_option() -> declared::IntervalOptions {
    declared::IntervalOptions {
        running_ms: Some(1),
        idle_ms: Some(1),
        max_backoff_ms: Some(1),
    }
}

fn every_watch_option() -> declared::WatchOptions {
    declared::WatchOptions {
        job_ids: Some(vec![]),
        until: Some(String::new()),
        interval: Some(every_interval_option()),
        appear_timeout_ms: Some(1),
        on_round: Some(()),
    }
}

fn every_wait_option() -> declared::WaitOptions {
    declared::WaitOptions {
        timeout_ms: Some(1),
        appear_timeout_ms: Some(1),
        on_progress: Some(()),
        interval: Some(every_interval_option()),
    }
}

#[test]
fn declared_params_are_the_validated_params() {
    let every_field = declared::ListExportJobsParams {
        group_id: String::new(),
        cluster_name: String::new(),
        items_per_page: Some(1),
        page_num: Some(1),
        include_count: Some(true),
        envelope: Some(true),
        pretty: Some(true),
    };
    assert_eq!(keys_of(every_field), set(&PARAM_KEYS));
}

#[test]
fn declared_options_are_the_validated_options() {
    assert_eq!(keys_of(every_option()), set(&OPTION_KEYS));
}

#[test]
fn declared_client_call_options_are_the_validated_ones() {
    assert_eq!(keys_of(every_call_option()), set(&CALL_KEYS));
}

#[test]
fn declared_retry_options_are_the_validated_ones() {
    let every_field = declared::RetryOptions {
        max_attempts: Some(1),
        base_delay_ms: Some(1),
        max_delay_ms: Some(1),
        retry_after_unit_ms: Some(1),
        on_retry: Some(()),
    };
    assert_eq!(keys_of(every_field), set(&RETRY_KEYS));
}

#[test]
fn declared_listing_options_are_the_validated_ones() {
    assert_eq!(keys_of(every_listing_option()), set(&PAGING_KEYS));
}

#[test]
fn declared_watch_and_wait_options_are_the_validated_ones() {
    assert_eq!(keys_of(every_watch_option()), set(&WATCH_KEYS));
    assert_eq!(keys_of(every_wait_option()), set(&WAIT_KEYS));
    assert_eq!(keys_of(every_interval_option()), set(&INTERVAL_KEYS));
    // A watch's rounds take the paging options but `onProgress`, which only a wait has.
    let rounds: Vec<&str> = PAGING_KEYS
        .into_iter()
        .filter(|k| *k != "onProgress")
        .collect();
    let watch = declared::WatchExportJobsOptions {
        call: every_option(),
        pages: every_page_option(),
        watch: every_watch_option(),
    };
    assert_eq!(keys_of(watch), union(&[&OPTION_KEYS, &rounds, &WATCH_KEYS]));
    let client_watch = declared::ClientWatchOptions {
        call: every_call_option(),
        pages: every_page_option(),
        watch: every_watch_option(),
    };
    assert_eq!(
        keys_of(client_watch),
        union(&[&CALL_KEYS, &rounds, &WATCH_KEYS])
    );
    let wait = declared::WaitForExportJobOptions {
        call: every_option(),
        pages: every_page_option(),
        wait: every_wait_option(),
    };
    assert_eq!(keys_of(wait), union(&[&OPTION_KEYS, &rounds, &WAIT_KEYS]));
    let client_wait = declared::ClientWaitOptions {
        call: every_call_option(),
        pages: every_page_option(),
        wait: every_wait_option(),
    };
    assert_eq!(
        keys_of(client_wait),
        union(&[&CALL_KEYS, &rounds, &WAIT_KEYS])
    );
}

#[test]
fn declared_combined_options_are_the_validated_ones_together() {
    let client = declared::AtlasClientOptions {
        call: every_option(),
        auth: Some(declared::AuthOptions::None(declared::NoAuth { r#type: () })),
    };
    assert_eq!(keys_of(client), union(&[&OPTION_KEYS, &["auth"]]));
    let iterate = declared::IterateExportJobsOptions {
        call: every_option(),
        listing: every_listing_option(),
    };
    assert_eq!(keys_of(iterate), union(&[&OPTION_KEYS, &PAGING_KEYS]));
    let client_listing = declared::ClientListingOptions {
        call: every_call_option(),
        listing: every_listing_option(),
    };
    assert_eq!(keys_of(client_listing), union(&[&CALL_KEYS, &PAGING_KEYS]));
}

/// Each declared auth scheme with every field set: its keys, and the scheme it names.
fn declared_auth_schemes() -> Vec<(&'static str, Keys)> {
    vec![
        (
            "bearer",
            keys_of(declared::BearerTokenAuth {
                r#type: (),
                token: String::new(),
            }),
        ),
        (
            "bearer",
            keys_of(declared::TokenBrokerAuth {
                r#type: (),
                get_token: (),
            }),
        ),
        (
            "serviceAccount",
            keys_of(declared::ServiceAccountAuth {
                r#type: (),
                client_id: String::new(),
                client_secret: String::new(),
                allow_in_browser: Some(true),
            }),
        ),
        (
            "digest",
            keys_of(declared::DigestAuth {
                r#type: (),
                public_key: String::new(),
                private_key: String::new(),
                allow_in_browser: Some(true),
            }),
        ),
        ("none", keys_of(declared::NoAuth { r#type: () })),
    ]
}

#[test]
fn declared_auth_options_are_the_validated_ones() {
    let validated = set(&AUTH_KEYS);
    let mut declared = Keys::new();
    for (scheme, keys) in declared_auth_schemes() {
        assert!(keys.is_subset(&validated), "{scheme}: {keys:?}");
        declared.extend(keys);
    }
    assert_eq!(declared, validated);
}

/// An object of each declared shape, with plausible values, is an auth option the core takes.
#[test]
fn each_declared_auth_scheme_is_one_the_core_accepts() {
    let expected = [
        "Bearer",
        "TokenProvider",
        "ServiceAccount",
        "Digest",
        "None",
    ];
    for ((scheme, keys), expected) in declared_auth_schemes().into_iter().zip(expected) {
        let entries = keys
            .iter()
            .map(|key| {
                let value = match key.as_str() {
                    "type" => InputValue::String(scheme.to_owned()),
                    "getToken" => InputValue::Function,
                    "allowInBrowser" => InputValue::Bool(true),
                    _ => InputValue::String("value-1".to_owned()),
                };
                (key.clone(), value)
            })
            .collect();
        let input = InputRecord::new(entries).nested_in("auth");
        let (accepted, _) =
            AuthScheme::from_input(&input).unwrap_or_else(|e| panic!("{scheme}: {e:?}"));
        assert!(
            format!("{accepted:?}").starts_with(expected),
            "{accepted:?}"
        );
    }
}

// ---- what callbacks are given ------------------------------------------------------------------

#[test]
fn the_declared_retry_event_is_what_the_core_tells_on_retry() {
    let declared = declared::RetryEvent {
        attempt: 1,
        delay_ms: 1,
        kind: "api".into(),
        status: Some(503),
        error_code: Some("X".into()),
    };
    let told = atlas_export_jobs_core::machines::call::RetryEvent {
        attempt: 1,
        delay_ms: 1,
        kind: "api",
        status: Some(503),
        error_code: Some("X".into()),
    };
    assert_eq!(keys_of(declared), fact_keys(&told));
}

#[test]
fn the_declared_response_info_is_what_the_core_gives() {
    let declared = declared::ResponseInfo {
        attempts: 1,
        status: Some(200),
        rate_limit_limit: Some(1),
        rate_limit_remaining: Some(1),
        retry_after: Some("1".into()),
    };
    let given = atlas_export_jobs_core::wire::response_info::ResponseInfo {
        attempts: 1,
        status: Some(200),
        rate_limit_limit: Some(1),
        rate_limit_remaining: Some(1),
        retry_after: Some(atlas_export_jobs_core::wire::headers::RetryAfter::Seconds(
            1,
        )),
    };
    assert_eq!(keys_of(declared), fact_keys(&given));
}

#[test]
fn the_declared_listing_progress_is_what_the_core_tells_on_progress() {
    let declared = declared::ListingProgress {
        pages_done: 1,
        items_so_far: 1,
        total: Some(1),
    };
    let told = atlas_export_jobs_core::machines::paging::ListingProgress {
        pages_done: 1,
        items_so_far: 1,
        total: Some(1),
    };
    assert_eq!(keys_of(declared), fact_keys(&told));
}

/// Every field an `AtlasError` is declared to carry is a fact the core gives for its kind.
#[test]
fn declared_error_fields_are_facts_the_core_gives() {
    use atlas_export_jobs_core::error::*;
    let api = ApiFailure {
        status: 400,
        error_code: Some("X".into()),
        reason: Some("r".into()),
        detail: Some("d".into()),
        parameters: Some("[]".into()),
        bad_request_detail: Some("{}".into()),
        body: Some("b".into()),
        location: Some("l".into()),
    };
    let auth = AuthFailure {
        status: Some(401),
        error_code: Some("e".into()),
        detail: Some("d".into()),
        retry_after_ms: Some(1),
        location: Some("l".into()),
        ..AuthFailure::new(AuthProblem::TokenRefused)
    };
    let decode =
        atlas_export_jobs_core::wire::decode::decode(200, b"{}".to_vec(), false).unwrap_err();
    let paging = PagingFailure {
        reason: PagingReason::MaxPages,
        pages_fetched: 1,
        items_yielded: 1,
        page: 2,
        limit: Some(1),
    };
    let too_large = Failure::TooLarge {
        status: 200,
        max_body_bytes: 1,
    };
    let validation = ValidationError::new("groupId", Problem::Required);
    let wait = WaitFailure {
        problem: WaitProblem::Removed,
        export_job_id: "32b6e34b3d91647abb20e7b8".into(),
        ms: None,
        rounds: 2,
        state: Some("InProgress".into()),
    };
    let cases: [(Keys, Keys, &str); 7] = [
        (
            keys_of(declared::ApiErrorFields::default()),
            fact_keys(&api),
            "api",
        ),
        (
            keys_of(declared::AuthErrorFields {
                status: Some(1),
                error_code: Some(String::new()),
                detail: Some(String::new()),
                retry_after_ms: Some(1),
                location: Some(String::new()),
            }),
            fact_keys(&auth),
            "auth",
        ),
        (
            keys_of(declared::DecodeErrorFields::default()),
            fact_keys(&decode),
            "decode",
        ),
        (
            keys_of(declared::PagingErrorFields::default()),
            fact_keys(&paging),
            "paging",
        ),
        (
            keys_of(declared::TooLargeErrorFields::default()),
            fact_keys(&too_large),
            "tooLarge",
        ),
        (
            keys_of(declared::ValidationErrorFields::default()),
            fact_keys(&validation),
            "validation",
        ),
        (
            keys_of(declared::WaitErrorFields {
                export_job_id: String::new(),
                state: Some(String::new()),
            }),
            fact_keys(&wait),
            "notFound",
        ),
    ];
    for (declared, given, kind) in cases {
        assert!(
            declared.is_subset(&given),
            "{kind}: declared {declared:?}, given {given:?}"
        );
    }
    let every_api_field = declared::ApiErrorFields {
        status: 400,
        error_code: Some(String::new()),
        reason: Some(String::new()),
        detail: Some(String::new()),
        parameters: Some(()),
        bad_request_detail: Some(declared::BadRequestDetail::default()),
        body: Some(String::new()),
        location: Some(String::new()),
    };
    let mut api_facts = fact_keys(&api);
    api_facts.remove("code");
    assert_eq!(
        keys_of(every_api_field),
        api_facts,
        "every fact of an API failure is a field"
    );
}

// ---- what the API answers ----------------------------------------------------------------------

fn declared_link() -> declared::Link {
    declared::Link {
        href: Some(String::new()),
        rel: Some(String::new()),
    }
}

fn declared_job() -> declared::ExportJob {
    declared::ExportJob {
        components: Some(vec![declared::ExportComponent {
            export_id: Some(String::new()),
            replica_set_name: Some(String::new()),
        }]),
        created_at: Some(String::new()),
        custom_data: Some(vec![declared::CustomDatum {
            key: Some(String::new()),
            value: Some(String::new()),
        }]),
        export_bucket_id: String::new(),
        export_status: Some(declared::ExportStatus {
            exported_collections: Some(1),
            total_collections: Some(1),
        }),
        finished_at: Some(String::new()),
        id: Some(String::new()),
        links: Some(vec![declared_link()]),
        prefix: Some(String::new()),
        snapshot_id: Some(String::new()),
        state: Some("Queued".into()),
        state_reason: Some(declared::StateReason {
            error_code: Some(String::new()),
            message: Some(String::new()),
        }),
    }
}

fn declared_page() -> declared::ExportJobsPage {
    declared::ExportJobsPage {
        links: Some(vec![declared_link()]),
        results: vec![declared_job()],
        total_count: Some(1),
    }
}

/// The documented page, as the core's model reads it: every field of every type is set.
fn core_page() -> atlas_export_jobs_core::wire::model::ExportJobsPage {
    let path = format!(
        "{}/../core/tests/fixtures/seed-200-list.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The keys of the object at `path` (keys, `0` for an array's first item) in both values.
fn keys_at(value: &serde_json::Value, path: &[&str]) -> Keys {
    let mut at = value;
    for step in path {
        at = match step.parse::<usize>() {
            Ok(index) => &at[index],
            Err(_) => &at[*step],
        };
    }
    at.as_object()
        .unwrap_or_else(|| panic!("{path:?}"))
        .keys()
        .cloned()
        .collect()
}

/// The field names of a decode table, and of the tables nested in it by `path` (field names).
fn table_at(object: &'static Object, path: &[&str]) -> Keys {
    let mut object = object;
    for step in path {
        let field = object.fields.iter().find(|f| f.name == *step).unwrap();
        let mut shape = &field.shape;
        while let Shape::Array(item) = shape {
            shape = item;
        }
        let Shape::Object(inner) = shape else {
            panic!("{step} is no object")
        };
        object = inner;
    }
    object.fields.iter().map(|f| f.name.to_owned()).collect()
}

#[test]
fn declared_response_types_are_the_cores_model_and_tables() {
    let declared = serde_json::to_value(declared_page()).unwrap();
    let model = serde_json::to_value(core_page()).unwrap();
    let cases: [(&[&str], &[&str], &str); 8] = [
        (&[], &[], "ExportJobsPage"),
        (&["links", "0"], &["links"], "Link"),
        (&["results", "0"], &["results"], "ExportJob"),
        (
            &["results", "0", "components", "0"],
            &["results", "components"],
            "ExportComponent",
        ),
        (
            &["results", "0", "customData", "0"],
            &["results", "customData"],
            "CustomDatum",
        ),
        (
            &["results", "0", "exportStatus"],
            &["results", "exportStatus"],
            "ExportStatus",
        ),
        (
            &["results", "0", "links", "0"],
            &["results", "links"],
            "Link",
        ),
        (
            &["results", "0", "stateReason"],
            &["results", "stateReason"],
            "StateReason",
        ),
    ];
    for (path, table_path, name) in cases {
        let declared_keys = keys_at(&declared, path);
        assert_eq!(declared_keys, keys_at(&model, path), "{name}: the model");
        assert_eq!(
            declared_keys,
            table_at(&EXPORT_JOBS_PAGE, table_path),
            "{name}: the table"
        );
    }
    assert_eq!(
        keys_at(&declared, &["results", "0"]),
        table_at(&EXPORT_JOB, &[])
    );
}

#[test]
fn declared_required_response_fields_are_the_tables_required_ones() {
    let bare_job = declared::ExportJob::default();
    let required_of = |object: &Object| -> Keys {
        object
            .fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name.to_owned())
            .collect()
    };
    assert_eq!(keys_of(bare_job), required_of(&EXPORT_JOB));
    assert_eq!(
        keys_of(declared::ExportJobsPage::default()),
        required_of(&EXPORT_JOBS_PAGE)
    );
}

#[test]
fn declared_error_details_are_the_tables() {
    let detail = declared::BadRequestDetail {
        fields: Some(vec![declared::FieldViolation::default()]),
    };
    assert_eq!(
        keys_of(&detail),
        table_at(&API_ERROR, &["badRequestDetail"])
    );
    assert_eq!(
        keys_of(declared::FieldViolation::default()),
        table_at(&API_ERROR, &["badRequestDetail", "fields"])
    );
}
