//! The official OpenAPI spec of the endpoint (tests/fixtures/atlas-list-export-jobs.openapi.json,
//! copied verbatim from the one the project was built against) against the core: the response
//! types of `model.rs` and the decoder's check tables name exactly the spec's properties, with
//! the same required fields and types, and the parameters the core validates are the spec's.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

use std::collections::BTreeSet;

use atlas_export_jobs_core::rules::api_version::ApiVersion;
use atlas_export_jobs_core::rules::params::PARAM_KEYS;
use atlas_export_jobs_core::wire::decode::{API_ERROR, EXPORT_JOB, EXPORT_JOBS_PAGE};
use atlas_export_jobs_core::wire::json::{Object, Shape};
use atlas_export_jobs_core::wire::model::{
    CustomDatum, ExportComponent, ExportJob, ExportJobsPage, ExportState, ExportStatus, Link,
    StateReason,
};
use serde_json::Value;

fn spec() -> Value {
    let path = format!(
        "{}/tests/fixtures/atlas-list-export-jobs.openapi.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn schema<'a>(spec: &'a Value, name: &str) -> &'a Value {
    spec.pointer(&format!("/components/schemas/{name}"))
        .unwrap_or_else(|| panic!("no schema {name}"))
}

fn properties(spec: &Value, name: &str) -> BTreeSet<String> {
    schema(spec, name)["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn required(spec: &Value, name: &str) -> BTreeSet<String> {
    schema(spec, name)["required"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .map(|n| n.as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// The keys `value` serialises with.
fn keys(value: impl serde::Serialize) -> BTreeSet<String> {
    serde_json::to_value(value)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

fn some<T>(value: T) -> Option<T> {
    Some(value)
}

fn link() -> Link {
    Link {
        href: some("h".into()),
        rel: some("r".into()),
    }
}

fn component() -> ExportComponent {
    ExportComponent {
        export_id: some("e".into()),
        replica_set_name: some("r".into()),
    }
}

fn custom_datum() -> CustomDatum {
    CustomDatum {
        key: some("k".into()),
        value: some("v".into()),
    }
}

fn export_status() -> ExportStatus {
    ExportStatus {
        exported_collections: some(1),
        total_collections: some(2),
    }
}

fn state_reason() -> StateReason {
    StateReason {
        error_code: some("c".into()),
        message: some("m".into()),
    }
}

/// A job with every field set; a struct literal, so a field added later must be named here.
fn full_job() -> ExportJob {
    ExportJob {
        components: some(vec![component()]),
        created_at: some("t".into()),
        custom_data: some(vec![custom_datum()]),
        export_bucket_id: "b".into(),
        export_status: some(export_status()),
        finished_at: some("t".into()),
        id: some("i".into()),
        links: some(vec![link()]),
        prefix: some("p".into()),
        snapshot_id: some("s".into()),
        state: some(ExportState::Queued),
        state_reason: some(state_reason()),
    }
}

fn full_page() -> ExportJobsPage {
    ExportJobsPage {
        links: some(vec![link()]),
        results: vec![full_job()],
        total_count: some(1),
    }
}

#[test]
fn the_models_response_types_have_the_specs_properties() {
    let spec = spec();
    let cases = [
        (
            keys(full_page()),
            "PaginatedApiAtlasDiskBackupExportJobView",
        ),
        (keys(full_job()), "DiskBackupExportJob"),
        (keys(export_status()), "ExportStatus"),
        (keys(state_reason()), "StateReason"),
        (keys(component()), "DiskBackupExportMember"),
        (keys(custom_datum()), "BackupLabel"),
        (keys(link()), "Link"),
    ];
    for (keys, name) in cases {
        assert_eq!(keys, properties(&spec, name), "{name}");
    }
}

#[test]
fn the_models_required_fields_are_the_specs() {
    let spec = spec();
    let bare_job = ExportJob {
        components: None,
        created_at: None,
        custom_data: None,
        export_bucket_id: "b".into(),
        export_status: None,
        finished_at: None,
        id: None,
        links: None,
        prefix: None,
        snapshot_id: None,
        state: None,
        state_reason: None,
    };
    assert_eq!(keys(&bare_job), required(&spec, "DiskBackupExportJob"));
    let bare_page = ExportJobsPage {
        links: None,
        results: Vec::new(),
        total_count: None,
    };
    assert_eq!(
        keys(&bare_page),
        required(&spec, "PaginatedApiAtlasDiskBackupExportJobView")
    );
    for name in [
        "ExportStatus",
        "StateReason",
        "DiskBackupExportMember",
        "BackupLabel",
        "Link",
    ] {
        assert!(required(&spec, name).is_empty(), "{name}");
    }
}

#[test]
fn the_model_knows_every_state_the_spec_names() {
    let spec = spec();
    let states: BTreeSet<String> = schema(&spec, "DiskBackupExportJob")["properties"]["state"]
        ["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    for state in &states {
        let known = ExportState::from(state.clone());
        assert!(!matches!(known, ExportState::Unknown(_)), "{state}");
        assert_eq!(known.as_str(), state);
    }
    assert_eq!(states.len(), 5);
}

/// Checks a decoder table against a spec schema, field for field and type for type. `Shape::Any`
/// stands where the spec names an object of no properties: Atlas's `parameters` hold strings and
/// numbers whatever the spec says, so the decoder takes any JSON value there.
fn assert_table_is_schema(spec: &Value, object: &Object, name: &str) {
    let schema = schema(spec, name);
    let properties = schema["properties"].as_object().unwrap();
    let required = required(spec, name);
    let fields: Vec<&str> = object.fields.iter().map(|f| f.name).collect();
    let mut documented: Vec<&str> = properties.keys().map(String::as_str).collect();
    documented.sort_unstable();
    let mut sorted_fields = fields.clone();
    sorted_fields.sort_unstable();
    assert_eq!(sorted_fields, documented, "{name}: {}", object.name);
    for field in object.fields {
        assert_eq!(
            field.required,
            required.contains(field.name),
            "{name}.{}",
            field.name
        );
        assert_shape_is_schema(
            spec,
            &field.shape,
            &properties[field.name],
            &format!("{name}.{}", field.name),
        );
    }
}

fn assert_shape_is_schema(spec: &Value, shape: &Shape, schema: &Value, at: &str) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.trim_start_matches("#/components/schemas/");
        let Shape::Object(object) = shape else {
            panic!("{at}: {name} is an object, the table has {shape:?}")
        };
        return assert_table_is_schema(spec, object, name);
    }
    match (schema["type"].as_str(), schema["format"].as_str(), shape) {
        (Some("string"), _, Shape::String) => {}
        (Some("integer"), Some("int32"), Shape::Int32) => {}
        (Some("integer"), Some("int64"), Shape::Int64) => {}
        (Some("number"), _, Shape::Number) => {}
        (Some("object"), _, Shape::Any) if schema.get("properties").is_none() => {}
        (Some("array"), _, Shape::Array(item)) => {
            assert_shape_is_schema(spec, item, &schema["items"], &format!("{at}[]"))
        }
        (kind, format, shape) => {
            panic!("{at}: the spec has {kind:?} ({format:?}), the table {shape:?}")
        }
    }
}

#[test]
fn the_decoders_tables_are_the_specs_schemas() {
    let spec = spec();
    assert_table_is_schema(
        &spec,
        &EXPORT_JOBS_PAGE,
        "PaginatedApiAtlasDiskBackupExportJobView",
    );
    assert_table_is_schema(&spec, &EXPORT_JOB, "DiskBackupExportJob");
    assert_table_is_schema(&spec, &API_ERROR, "ApiError");
}

/// Atlas sends a job's fields in the spec's order, and the reader tries the next documented field
/// first; the tables keep that order.
#[test]
fn the_decoders_tables_keep_the_specs_order() {
    let spec = spec();
    for (object, name) in [
        (&EXPORT_JOB, "DiskBackupExportJob"),
        (
            &EXPORT_JOBS_PAGE,
            "PaginatedApiAtlasDiskBackupExportJobView",
        ),
    ] {
        let fields: Vec<&str> = object.fields.iter().map(|f| f.name).collect();
        let documented: Vec<&str> = schema(&spec, name)["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(fields, documented, "{name}");
    }
}

#[test]
fn the_decoders_tables_name_the_models_fields() {
    let names = |object: &Object| -> BTreeSet<String> {
        object.fields.iter().map(|f| f.name.to_owned()).collect()
    };
    assert_eq!(names(&EXPORT_JOBS_PAGE), keys(full_page()));
    assert_eq!(names(&EXPORT_JOB), keys(full_job()));
}

#[test]
fn the_validated_parameters_are_the_specs() {
    let spec = spec();
    let operation = &spec["paths"]
        ["/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/backup/exports"]["get"];
    let names: BTreeSet<String> = operation["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|parameter| {
            let parameter = match parameter.get("$ref").and_then(Value::as_str) {
                Some(reference) => spec
                    .pointer(reference.trim_start_matches('#'))
                    .unwrap_or_else(|| panic!("{reference}")),
                None => parameter,
            };
            parameter["name"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(names, set(&PARAM_KEYS));
    let media: Vec<&String> = operation["responses"]["200"]["content"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(media, [ApiVersion::V2.accept()]);
}
