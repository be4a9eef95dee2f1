//! The TypeScript interfaces are generated from `ListExportJobsParams` and `ListExportJobsOptions`;
//! the validators accept the keys in `PARAM_KEYS` and `OPTION_KEYS`. These must be the same names.

#![allow(clippy::unwrap_used)] // test code

use atlas_export_jobs::options::{
    ClientCallOptions, ListExportJobsOptions, RetryOptions, CALL_KEYS, OPTION_KEYS, RETRY_KEYS,
};
use atlas_export_jobs::paging::{ListingOptions, PAGING_KEYS};
use atlas_export_jobs::params::{ListExportJobsParams, PARAM_KEYS};

fn keys_of(value: impl serde::Serialize) -> Vec<String> {
    let mut keys: Vec<String> = serde_json::to_value(value)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    keys.sort();
    keys
}

fn sorted(keys: &[&str]) -> Vec<String> {
    let mut keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
    keys.sort();
    keys
}

#[test]
fn declared_params_are_the_validated_params() {
    let every_field = ListExportJobsParams {
        group_id: String::new(),
        cluster_name: String::new(),
        items_per_page: Some(1),
        page_num: Some(1),
        include_count: Some(true),
        envelope: Some(true),
        pretty: Some(true),
    };
    assert_eq!(keys_of(every_field), sorted(&PARAM_KEYS));
}

#[test]
fn declared_options_are_the_validated_options() {
    let every_field = ListExportJobsOptions {
        base_url: Some(String::new()),
        access_token: Some(String::new()),
        api_version: Some(String::new()),
        per_call: ClientCallOptions {
            signal: Some(()),
            timeout_ms: Some(1),
            deadline_ms: Some(1),
            retry: Some(RetryOptions::default()),
        },
        allow_insecure_http: Some(true),
    };
    assert_eq!(keys_of(every_field), sorted(&OPTION_KEYS));
}

#[test]
fn declared_retry_options_are_the_validated_ones() {
    let every_field = RetryOptions {
        max_attempts: Some(1),
        base_delay_ms: Some(1),
        max_delay_ms: Some(1),
        retry_after_unit_ms: Some(1),
        on_retry: Some(()),
    };
    assert_eq!(keys_of(every_field), sorted(&RETRY_KEYS));
}

#[test]
fn declared_listing_options_are_the_validated_ones() {
    let every_field = ListingOptions {
        max_pages: Some(1),
        max_items: Some(1),
        concurrency: Some(1),
        on_progress: Some(()),
    };
    assert_eq!(keys_of(every_field), sorted(&PAGING_KEYS));
}

#[test]
fn declared_client_call_options_are_the_validated_ones() {
    let every_field = ClientCallOptions {
        signal: Some(()),
        timeout_ms: Some(1),
        deadline_ms: Some(1),
        retry: Some(RetryOptions::default()),
    };
    assert_eq!(keys_of(every_field), sorted(&CALL_KEYS));
}
