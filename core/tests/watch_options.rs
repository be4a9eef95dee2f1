//! The options of `watchExportJobs` and `waitForExportJob`, as the core checks them.
#![cfg(feature = "watch")]
#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::{Problem, ValidationError};
use atlas_export_jobs_core::rules::input::{InputValue, MAX_LIST_ITEMS};
use atlas_export_jobs_core::rules::watch_options::{
    Until, WaitOptions, WatchOptions, WatchPolicy, DEFAULT_APPEAR_TIMEOUT_MS,
};
use common::{record, s};

const ID: &str = "32b6e34b3d91647abb20e7b8";

fn list(items: &[InputValue]) -> InputValue {
    InputValue::List(items.len() as u64, items.to_vec())
}

fn watch_error(entries: &[(&str, InputValue)]) -> ValidationError {
    WatchOptions::from_input(&record(entries)).unwrap_err()
}

#[test]
fn the_defaults_follow_every_job_until_all_have_finished() {
    let options = WatchOptions::from_input(&record(&[])).unwrap();
    assert_eq!(options.until, Until::AllFinished);
    assert_eq!(options.job_ids, None);
    assert_eq!(options.policy, WatchPolicy::DEFAULT);
}

#[test]
fn job_ids_until_and_interval_are_read() {
    let interval = record(&[
        ("runningMs", InputValue::Number(500.0)),
        ("idleMs", InputValue::Number(2_000.0)),
    ]);
    let options = WatchOptions::from_input(&record(&[
        ("jobIds", list(&[s(ID)])),
        ("until", s("never")),
        ("interval", InputValue::Record(interval)),
    ]))
    .unwrap();
    assert_eq!(options.job_ids, Some(vec![ID.to_owned()]));
    assert_eq!(options.until, Until::Never);
    assert_eq!(options.policy.running_interval_ms, 500);
    assert_eq!(options.policy.idle_interval_ms, 2_000);
    assert_eq!(
        options.policy.max_backoff_ms,
        WatchPolicy::DEFAULT.max_backoff_ms
    );
}

#[test]
fn each_bad_option_names_its_field() {
    type Case<'a> = (Vec<(&'a str, InputValue)>, &'a str, &'a str);
    let cases: Vec<Case> = vec![
        (vec![("jobIds", s(ID))], "jobIds", "wrongType"),
        (vec![("jobIds", list(&[]))], "jobIds", "count"),
        (
            vec![("jobIds", list(&[s(ID), InputValue::Number(1.0)]))],
            "jobIds[1]",
            "wrongType",
        ),
        (
            vec![("jobIds", list(&[s(ID), s("32B6E34B3D91647ABB20E7B8")]))],
            "jobIds[1]",
            "pattern",
        ),
        (vec![("until", s("allfinished"))], "until", "pattern"),
        (
            vec![("until", InputValue::Bool(true))],
            "until",
            "wrongType",
        ),
        (
            vec![("interval", InputValue::Number(5.0))],
            "interval",
            "wrongType",
        ),
        (
            vec![(
                "interval",
                InputValue::Record(record(&[("runningMs", InputValue::Number(0.0))])),
            )],
            "interval.runningMs",
            "outOfRange",
        ),
        (
            vec![(
                "interval",
                InputValue::Record(record(&[("every", InputValue::Number(5.0))])),
            )],
            "interval.every",
            "unknownKey",
        ),
    ];
    for (entries, field, code) in cases {
        let error = watch_error(&entries);
        assert_eq!(error.field, field, "{entries:?}");
        let facts = FactList::of(&error);
        let found = facts
            .0
            .iter()
            .find(|(key, _)| *key == "code")
            .map(|(_, value)| format!("{value:?}"));
        assert!(
            found.as_deref().is_some_and(|v| v.contains(code)),
            "{field}: {found:?}"
        );
    }
}

#[test]
fn a_list_longer_than_the_most_is_refused_by_its_length() {
    let error = watch_error(&[("jobIds", InputValue::List(MAX_LIST_ITEMS + 5, vec![s(ID)]))]);
    assert_eq!(
        error.problem,
        Problem::Count {
            min: 1,
            max: MAX_LIST_ITEMS,
            count: MAX_LIST_ITEMS + 5
        }
    );
}

#[test]
fn a_wait_reads_its_id_and_limits() {
    let job = record(&[("exportJobId", s(ID))]);
    let options = WaitOptions::from_input(
        &record(&[
            ("timeoutMs", InputValue::Number(90_000.0)),
            ("onProgress", InputValue::Function),
        ]),
        &job,
    )
    .unwrap();
    assert_eq!(options.export_job_id, ID);
    assert_eq!(options.limits.finish_ms, Some(90_000));
    assert_eq!(options.limits.appear_ms, Some(DEFAULT_APPEAR_TIMEOUT_MS));
    assert!(options.has_on_progress);
}

#[test]
fn a_wait_refuses_a_missing_or_malformed_id_and_a_watch_option() {
    let none = record(&[("exportJobId", InputValue::Undefined)]);
    let error = WaitOptions::from_input(&record(&[]), &none).unwrap_err();
    assert_eq!(error.field, "exportJobId");
    let malformed = record(&[("exportJobId", s("job-1"))]);
    let error = WaitOptions::from_input(&record(&[]), &malformed).unwrap_err();
    assert!(matches!(
        error.problem,
        Problem::Pattern {
            rule: "exportJobId",
            ..
        }
    ));
    let job = record(&[("exportJobId", s(ID))]);
    let error = WaitOptions::from_input(&record(&[("onProgress", InputValue::Number(1.0))]), &job)
        .unwrap_err();
    assert_eq!(error.field, "onProgress");
}
