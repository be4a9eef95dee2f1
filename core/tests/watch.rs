//! The watch machine with a fake clock: when it lists, what it reports between rounds, and when it
//! ends. No test sleeps.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

mod common;

use atlas_export_jobs_core::machines::watch::{
    Change, JobView, Until, Watch, WatchAction, WatchPolicy,
};
use atlas_export_jobs_core::wire::model::ExportState;
use common::{at, T0};

fn job(id: &str, state: ExportState, exported: i32) -> JobView {
    JobView {
        id: id.into(),
        state: Some(state),
        exported: Some(exported),
        total: Some(4),
    }
}

fn watch(until: Until, job_ids: Option<&[&str]>) -> Watch {
    let ids = job_ids.map(|ids| ids.iter().map(|id| (*id).to_owned()).collect());
    Watch::new(WatchPolicy::DEFAULT, until, ids, at(T0))
}

/// Asks the machine at `ms` and expects a round to be due.
fn expect_list(watch: &mut Watch, ms: f64) {
    assert_eq!(watch.poll(at(ms)), WatchAction::List, "at {ms}");
}

#[test]
fn the_first_round_adds_every_job_and_later_rounds_report_each_move() {
    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    let first = w.listed(
        at(T0),
        vec![
            job("a", ExportState::Queued, 0),
            job("b", ExportState::InProgress, 1),
            job("c", ExportState::Successful, 4),
        ],
        None,
    );
    assert_eq!(
        first,
        vec![
            Change::Added { index: 0 },
            Change::Added { index: 1 },
            Change::Added { index: 2 }
        ]
    );
    let later = T0 + 15_000.0;
    expect_list(&mut w, later);
    let second = w.listed(
        at(later),
        vec![
            job("a", ExportState::InProgress, 0), // state moved
            job("b", ExportState::InProgress, 2), // exportStatus moved
            job("d", ExportState::Queued, 0),     // new; c is gone
        ],
        None,
    );
    assert_eq!(
        second,
        vec![
            Change::Changed { index: 0 },
            Change::Changed { index: 1 },
            Change::Added { index: 2 },
            Change::Removed { index: 2 },
        ]
    );
    let third_at = later + 15_000.0;
    expect_list(&mut w, third_at);
    let third = w.listed(
        at(third_at),
        vec![
            job("a", ExportState::Cancelled, 0),
            job("b", ExportState::Failed, 2),
            job("d", ExportState::Queued, 0), // unchanged: nothing
        ],
        None,
    );
    assert_eq!(
        third,
        vec![Change::Finished { index: 0 }, Change::Finished { index: 1 }]
    );
}

#[test]
fn lists_every_15_s_while_a_job_runs_and_every_60_s_when_none_does() {
    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    w.listed(at(T0), vec![job("a", ExportState::InProgress, 1)], None);
    assert_eq!(w.poll(at(T0 + 1_000.0)), WatchAction::Wait { ms: 14_000 });
    expect_list(&mut w, T0 + 15_000.0);
    w.listed(
        at(T0 + 15_000.0),
        vec![job("a", ExportState::Successful, 4)],
        None,
    );
    assert_eq!(w.poll(at(T0 + 15_000.0)), WatchAction::Wait { ms: 60_000 });
}

#[test]
fn a_state_the_package_does_not_know_is_still_running() {
    let mut w = watch(Until::AllFinished, None);
    expect_list(&mut w, T0);
    w.listed(
        at(T0),
        vec![job("a", ExportState::Unknown("Paused".into()), 1)],
        None,
    );
    assert_eq!(w.poll(at(T0)), WatchAction::Wait { ms: 15_000 });
}

#[test]
fn waits_twice_as_long_when_the_rate_limit_runs_low() {
    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    w.listed(at(T0), vec![job("a", ExportState::InProgress, 1)], Some(2));
    assert_eq!(w.poll(at(T0)), WatchAction::Wait { ms: 30_000 });
    expect_list(&mut w, T0 + 30_000.0);
    w.listed(
        at(T0 + 30_000.0),
        vec![job("a", ExportState::InProgress, 1)],
        Some(50),
    );
    assert_eq!(w.poll(at(T0 + 30_000.0)), WatchAction::Wait { ms: 15_000 });
}

#[test]
fn a_429_waits_what_the_server_asked_and_failures_in_a_row_back_off() {
    let mut w = watch(Until::AllFinished, None);
    expect_list(&mut w, T0);
    w.failed(at(T0), Some(55_000));
    assert_eq!(w.poll(at(T0)), WatchAction::Wait { ms: 55_000 });
    expect_list(&mut w, T0 + 55_000.0);
    w.failed(at(T0 + 55_000.0), None);
    // The second failure in a row: twice the running interval.
    assert_eq!(w.poll(at(T0 + 55_000.0)), WatchAction::Wait { ms: 30_000 });
    let mut now = T0 + 85_000.0;
    let mut waits = Vec::new();
    for _ in 0..20 {
        assert_eq!(w.poll(at(now)), WatchAction::List);
        w.failed(at(now), None);
        let WatchAction::Wait { ms } = w.poll(at(now)) else {
            panic!("no wait")
        };
        waits.push(ms);
        now += f64::from(ms);
    }
    assert_eq!(&waits[..4], &[60_000, 120_000, 240_000, 300_000]);
    assert!(
        waits
            .iter()
            .all(|ms| *ms <= WatchPolicy::DEFAULT.max_backoff_ms),
        "{waits:?}"
    );
    // A round that lists resets the backoff.
    let now = T0 + 2e9;
    expect_list(&mut w, now);
    w.listed(at(now), vec![job("a", ExportState::Queued, 0)], None);
    assert_eq!(w.poll(at(now)), WatchAction::Wait { ms: 15_000 });
}

#[test]
fn ends_when_every_followed_job_has_finished() {
    let mut w = watch(Until::AllFinished, None);
    expect_list(&mut w, T0);
    w.listed(
        at(T0),
        vec![
            job("a", ExportState::InProgress, 1),
            job("b", ExportState::Successful, 4),
        ],
        None,
    );
    expect_list(&mut w, T0 + 15_000.0);
    w.listed(
        at(T0 + 15_000.0),
        vec![
            job("a", ExportState::Cancelled, 1),
            job("b", ExportState::Successful, 4),
        ],
        None,
    );
    assert_eq!(w.poll(at(T0 + 15_000.0)), WatchAction::Done);
    assert_eq!(w.poll(at(T0 + 1e9)), WatchAction::Done);
}

#[test]
fn follows_only_the_named_jobs_and_waits_for_one_not_listed_yet() {
    let mut w = watch(Until::AllFinished, Some(&["b", "later"]));
    expect_list(&mut w, T0);
    let changes = w.listed(
        at(T0),
        vec![
            job("a", ExportState::InProgress, 1),
            job("b", ExportState::Successful, 4),
        ],
        None,
    );
    assert_eq!(changes, vec![Change::Added { index: 1 }]);
    // b is finished, but "later" has not appeared: the watch goes on at the running pace.
    assert_eq!(w.poll(at(T0)), WatchAction::Wait { ms: 15_000 });
    expect_list(&mut w, T0 + 15_000.0);
    let changes = w.listed(
        at(T0 + 15_000.0),
        vec![
            job("later", ExportState::Successful, 4),
            job("b", ExportState::Successful, 4),
        ],
        None,
    );
    assert_eq!(changes, vec![Change::Added { index: 0 }]);
    assert_eq!(w.poll(at(T0 + 15_000.0)), WatchAction::Done);
}

#[test]
fn asks_for_one_round_at_a_time() {
    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    assert_eq!(w.poll(at(T0 + 100_000.0)), WatchAction::Wait { ms: 0 });
}

/// The cost bound: one running job and one finished job followed for 10 minutes of fake time,
/// with the default policy, listing one page a round.
#[test]
fn one_running_and_one_finished_job_for_10_minutes_cost_41_requests() {
    let mut w = watch(Until::AllFinished, None);
    let end = T0 + 600_000.0;
    let mut now = T0;
    let mut requests = 0;
    while now <= end {
        match w.poll(at(now)) {
            WatchAction::List => {
                requests += 1;
                w.listed(
                    at(now),
                    vec![
                        job("running", ExportState::InProgress, 1),
                        job("done", ExportState::Successful, 4),
                    ],
                    Some(100),
                );
            }
            WatchAction::Wait { ms } => now += f64::from(ms),
            WatchAction::Done => break,
        }
    }
    assert_eq!(requests, 41, "one at once, then one every 15 s");
}
