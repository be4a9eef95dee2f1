//! The watch machine with a fake clock: when it lists, what it reports between rounds, when it
//! backs off, and when it ends; and a wait for one job, with its limits. No test sleeps.
#![cfg(feature = "watch")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

mod common;

use atlas_export_jobs_core::error::{ApiFailure, Failure, Limit, NetworkProblem, WaitProblem};
use atlas_export_jobs_core::machines::watch::{
    Change, JobId, JobView, Round, RoundEnd, Until, WaitLimits, Watch, WatchAction, WatchPolicy,
};
use atlas_export_jobs_core::wire::decode::{decode, decode_as, JobKey, JobProgress, Reading};
use atlas_export_jobs_core::wire::headers::RetryAfter;
use atlas_export_jobs_core::wire::model::ExportState;
use atlas_export_jobs_core::wire::response_info::ResponseInfo;
use common::{at, T0};

/// A 24-hex id made from a short name, so tests read `id("a")`.
fn id(name: &str) -> String {
    format!("{name:0>24}")
        .chars()
        .map(|c| if c.is_ascii_hexdigit() { c } else { 'f' })
        .collect()
}

fn job(name: &str, state: ExportState, exported: i32) -> JobView {
    JobView {
        key: Some(JobKey::of(&id(name))),
        progress: JobProgress {
            state: Some(state),
            exported: Some(exported),
            total: Some(4),
        },
    }
}

fn watch(until: Until, job_ids: Option<&[&str]>) -> Watch {
    let ids = job_ids.map(|ids| ids.iter().map(|name| JobId::new(&id(name))).collect());
    Watch::new(WatchPolicy::DEFAULT, until, ids, at(T0))
}

/// Asks the machine at `ms` and expects a round to be due.
fn expect_list(watch: &mut Watch, ms: f64) {
    assert_eq!(watch.poll(at(ms)), WatchAction::List, "at {ms}");
}

/// A round that failed with `status`, whose last response said `Retry-After: retry_after`.
fn failed_round(status: u16, retry_after: Option<u64>) -> Round {
    let mut round = Round::default();
    let failure = Failure::Api(Box::new(ApiFailure {
        status,
        ..ApiFailure::default()
    }));
    let info = ResponseInfo {
        retry_after: retry_after.map(RetryAfter::Seconds),
        ..ResponseInfo::default()
    };
    round.stopped(&failure, &info);
    round
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
            job("d", ExportState::Queued, 0),     // new, listed first
            job("a", ExportState::InProgress, 0), // state moved
            job("b", ExportState::InProgress, 2), // exportStatus moved; c is gone
        ],
        None,
    );
    assert_eq!(
        second,
        vec![
            Change::Added { index: 0 },
            Change::Changed {
                index: 1,
                previous: 0
            },
            Change::Changed {
                index: 2,
                previous: 1
            },
            Change::Removed { previous: 2 },
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
        vec![
            Change::Finished {
                index: 0,
                previous: 1
            },
            Change::Finished {
                index: 1,
                previous: 2
            }
        ]
    );
    let codes: Vec<&str> = third
        .iter()
        .map(|c| Change::NAMES[usize::from(c.code())])
        .collect();
    assert_eq!(codes, ["finished", "finished"]);
}

#[test]
fn a_job_without_an_id_is_never_followed_but_keeps_the_others_indexes() {
    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    let anonymous = JobView {
        key: None,
        progress: JobProgress::default(),
    };
    let changes = w.listed(
        at(T0),
        vec![anonymous, job("a", ExportState::Queued, 0)],
        None,
    );
    assert_eq!(changes, vec![Change::Added { index: 1 }]);
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
fn while_a_round_is_out_the_shell_awaits_it() {
    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    assert_eq!(w.poll(at(T0 + 100_000.0)), WatchAction::AwaitRound);
}

#[test]
fn a_429_waits_what_the_server_asked_and_failed_rounds_in_a_row_back_off() {
    let policy = WatchPolicy {
        max_failed_rounds: 100,
        ..WatchPolicy::DEFAULT
    };
    let mut w = Watch::new(policy, Until::AllFinished, None, at(T0));
    expect_list(&mut w, T0);
    assert_eq!(
        w.ended(at(T0), failed_round(429, Some(55))),
        RoundEnd::Retry
    );
    assert_eq!(w.poll(at(T0)), WatchAction::Wait { ms: 55_000 });
    expect_list(&mut w, T0 + 55_000.0);
    assert_eq!(
        w.ended(at(T0 + 55_000.0), failed_round(503, None)),
        RoundEnd::Retry
    );
    // The second failure in a row: twice the running interval.
    assert_eq!(w.poll(at(T0 + 55_000.0)), WatchAction::Wait { ms: 30_000 });
    let mut now = T0 + 85_000.0;
    let mut waits = Vec::new();
    for _ in 0..20 {
        assert_eq!(w.poll(at(now)), WatchAction::List);
        assert_eq!(w.ended(at(now), failed_round(502, None)), RoundEnd::Retry);
        let WatchAction::Wait { ms } = w.poll(at(now)) else {
            panic!("no wait")
        };
        waits.push(ms);
        now += f64::from(ms);
    }
    assert_eq!(&waits[..4], &[60_000, 120_000, 240_000, 300_000]);
    assert!(
        waits.iter().all(|ms| *ms <= policy.max_backoff_ms),
        "{waits:?}"
    );
    // A round that lists resets the backoff.
    expect_list(&mut w, now);
    w.listed(at(now), vec![job("a", ExportState::Queued, 0)], None);
    assert_eq!(w.poll(at(now)), WatchAction::Wait { ms: 15_000 });
}

#[test]
fn a_429_body_that_names_its_delay_is_honoured_without_retry_after() {
    let mut w = watch(Until::AllFinished, None);
    expect_list(&mut w, T0);
    let mut round = Round::default();
    let failure = Failure::Api(Box::new(ApiFailure {
        status: 429,
        error_code: Some("RATE_LIMITED".into()),
        detail: Some("Please retry after 90 seconds.".into()),
        ..ApiFailure::default()
    }));
    round.stopped(&failure, &ResponseInfo::default());
    assert_eq!(w.ended(at(T0), round), RoundEnd::Retry);
    assert_eq!(w.poll(at(T0)), WatchAction::Wait { ms: 90_000 });
}

#[test]
fn a_failure_that_will_not_pass_ends_the_watch_and_so_do_too_many_in_a_row() {
    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    assert_eq!(w.ended(at(T0), failed_round(401, None)), RoundEnd::Stop);
    assert_eq!(w.poll(at(T0 + 1e9)), WatchAction::Done);

    let mut w = watch(Until::Never, None);
    let mut now = T0;
    let mut ends = Vec::new();
    for _ in 0..WatchPolicy::DEFAULT.max_failed_rounds {
        expect_list(&mut w, now);
        let mut round = Round::default();
        round.stopped(
            &Failure::Network(NetworkProblem::Failed),
            &ResponseInfo::default(),
        );
        ends.push(w.ended(at(now), round));
        now += 1e7;
    }
    let last = ends.pop().unwrap();
    assert!(ends.iter().all(|end| *end == RoundEnd::Retry), "{ends:?}");
    assert_eq!(
        last,
        RoundEnd::Stop,
        "the fifth failed round in a row ends it"
    );

    let mut w = watch(Until::Never, None);
    expect_list(&mut w, T0);
    let mut round = Round::default();
    let timeout = Failure::Timeout {
        limit: Limit::Deadline,
        ms: 1,
    };
    round.stopped(&timeout, &ResponseInfo::default());
    assert_eq!(w.ended(at(T0), round), RoundEnd::Retry);
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
    let mut w = watch(Until::AllFinished, Some(&["b", "e"]));
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
    // b is finished, but e has not appeared: the watch goes on at the running pace.
    assert_eq!(w.poll(at(T0)), WatchAction::Wait { ms: 15_000 });
    expect_list(&mut w, T0 + 15_000.0);
    let changes = w.listed(
        at(T0 + 15_000.0),
        vec![
            job("e", ExportState::Successful, 4),
            job("b", ExportState::Successful, 4),
        ],
        None,
    );
    assert_eq!(changes, vec![Change::Added { index: 0 }]);
    assert_eq!(w.poll(at(T0 + 15_000.0)), WatchAction::Done);
}

#[test]
fn a_named_job_that_goes_away_ends_its_part_of_the_watch() {
    let mut w = watch(Until::AllFinished, Some(&["a", "b"]));
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
    let changes = w.listed(
        at(T0 + 15_000.0),
        vec![job("b", ExportState::Successful, 4)],
        None,
    );
    assert_eq!(changes, vec![Change::Removed { previous: 0 }]);
    assert_eq!(w.poll(at(T0 + 15_000.0)), WatchAction::Done);
}

#[test]
fn a_named_job_never_listed_fails_the_watch_at_its_appearance_limit() {
    let ids = vec![JobId::new(&id("a")), JobId::new(&id("e"))];
    let mut w = Watch::new(WatchPolicy::DEFAULT, Until::Never, Some(ids), at(T0))
        .with_appear_limit(Some(20_000));
    let mut now = T0;
    loop {
        match w.poll(at(now)) {
            WatchAction::List => {
                w.listed(at(now), vec![job("a", ExportState::InProgress, 1)], None);
            }
            WatchAction::Wait { ms } => now += f64::from(ms),
            WatchAction::Fail(Failure::Wait(failure)) => {
                assert_eq!(failure.problem, WaitProblem::NeverListed);
                assert_eq!(failure.export_job_id, id("e"), "the one never listed");
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(now, T0 + 20_000.0);
}

// ---- waiting for one job -----------------------------------------------------------------------

fn wait(limits: WaitLimits) -> Watch {
    Watch::waiting_for(WatchPolicy::DEFAULT, JobId::new(&id("a")), limits, at(T0))
}

fn wait_failure(action: WatchAction) -> (WaitProblem, Option<u32>, u64, Option<String>) {
    match action {
        WatchAction::Fail(Failure::Wait(failure)) => {
            assert_eq!(failure.export_job_id, id("a"));
            (failure.problem, failure.ms, failure.rounds, failure.state)
        }
        other => panic!("not a failed wait: {other:?}"),
    }
}

#[test]
fn a_wait_ends_when_its_job_finishes_whatever_the_outcome() {
    for outcome in [
        ExportState::Successful,
        ExportState::Failed,
        ExportState::Cancelled,
    ] {
        let mut w = wait(WaitLimits::default());
        expect_list(&mut w, T0);
        let changes = w.listed(
            at(T0),
            vec![
                job("b", ExportState::InProgress, 1),
                job("a", ExportState::Queued, 0),
            ],
            None,
        );
        assert_eq!(changes, vec![Change::Added { index: 1 }]);
        expect_list(&mut w, T0 + 15_000.0);
        w.listed(at(T0 + 15_000.0), vec![job("a", outcome.clone(), 4)], None);
        assert_eq!(w.poll(at(T0 + 15_000.0)), WatchAction::Done, "{outcome:?}");
    }
}

#[test]
fn a_job_never_listed_fails_the_wait_after_one_last_look_at_the_limit() {
    let mut w = wait(WaitLimits {
        appear_ms: Some(40_000),
        finish_ms: None,
    });
    let mut now = T0;
    let mut looks = 0;
    loop {
        match w.poll(at(now)) {
            WatchAction::List => {
                looks += 1;
                w.listed(at(now), vec![job("b", ExportState::Queued, 0)], None);
            }
            WatchAction::Wait { ms } => now += f64::from(ms),
            other => {
                let (problem, ms, rounds, state) = wait_failure(other);
                assert_eq!(problem, WaitProblem::NeverListed);
                assert_eq!(ms, Some(40_000));
                assert_eq!(rounds, 4);
                assert_eq!(state, None);
                break;
            }
        }
    }
    // At 0, 15 s and 30 s, then at the limit itself (40 s), not at 45 s.
    assert_eq!(looks, 4);
    assert_eq!(now, T0 + 40_000.0);
}

#[test]
fn a_job_that_goes_away_before_it_finishes_fails_the_wait() {
    let mut w = wait(WaitLimits::default());
    expect_list(&mut w, T0);
    w.listed(at(T0), vec![job("a", ExportState::InProgress, 1)], None);
    expect_list(&mut w, T0 + 15_000.0);
    let changes = w.listed(at(T0 + 15_000.0), vec![], None);
    assert_eq!(changes, vec![Change::Removed { previous: 0 }]);
    let (problem, ms, rounds, state) = wait_failure(w.poll(at(T0 + 15_000.0)));
    assert_eq!(problem, WaitProblem::Removed);
    assert_eq!((ms, rounds), (None, 2));
    assert_eq!(state.as_deref(), Some("InProgress"));
}

#[test]
fn a_job_that_runs_past_the_limit_fails_the_wait_on_time_even_mid_round() {
    let mut w = wait(WaitLimits {
        appear_ms: None,
        finish_ms: Some(20_000),
    });
    expect_list(&mut w, T0);
    w.listed(at(T0), vec![job("a", ExportState::InProgress, 1)], None);
    expect_list(&mut w, T0 + 15_000.0);
    // The round is out: the machine says how long the shell may wait for it.
    assert_eq!(w.poll(at(T0 + 16_000.0)), WatchAction::Wait { ms: 4_000 });
    let (problem, ms, _, state) = wait_failure(w.poll(at(T0 + 20_000.0)));
    assert_eq!(problem, WaitProblem::NotFinished);
    assert_eq!(ms, Some(20_000));
    assert_eq!(state.as_deref(), Some("InProgress"));
    assert_eq!(
        w.poll(at(T0 + 20_000.0)),
        WatchAction::Done,
        "it fails once"
    );
}

#[test]
fn wait_failures_are_not_found_or_timeout() {
    use atlas_export_jobs_core::error::WaitFailure;
    let failure = |problem| {
        Failure::Wait(WaitFailure {
            problem,
            export_job_id: id("a"),
            ms: None,
            rounds: 1,
            state: None,
        })
    };
    assert_eq!(failure(WaitProblem::NeverListed).kind(), "notFound");
    assert_eq!(failure(WaitProblem::Removed).kind(), "notFound");
    assert_eq!(failure(WaitProblem::NotFinished).kind(), "timeout");
}

// ---- what a round reads ------------------------------------------------------------------------

#[test]
fn a_page_gives_each_jobs_state_and_export_status_as_it_is_checked() {
    let body = br#"{"results": [
        {"exportBucketId": "b", "id": "32b6e34b3d91647abb20e7b8", "state": "InProgress",
         "exportStatus": {"exportedCollections": 2, "totalCollections": 5}},
        {"exportBucketId": "b", "id": "32b6e34b3d91647abb20e7b9", "state": "Paused", "exportStatus": null},
        {"exportBucketId": "b"}
    ]}"#;
    let page = decode_as(200, body.to_vec(), false, Reading::Watch).unwrap();
    let progress: Vec<&JobProgress> = page.jobs.iter().map(|job| &job.progress).collect();
    assert_eq!(
        progress,
        [
            &JobProgress {
                state: Some(ExportState::InProgress),
                exported: Some(2),
                total: Some(5)
            },
            &JobProgress {
                state: Some(ExportState::Unknown("Paused".into())),
                exported: None,
                total: None
            },
            &JobProgress::default(),
        ]
    );
    assert_eq!(page.jobs[2].key, None);
    // A listing does not read them: decoding costs it a sixth less.
    let listed = decode(200, body.to_vec(), false).unwrap();
    assert!(listed
        .jobs
        .iter()
        .all(|job| job.progress == JobProgress::default()));
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
                        job("a", ExportState::InProgress, 1),
                        job("b", ExportState::Successful, 4),
                    ],
                    Some(100),
                );
            }
            WatchAction::Wait { ms } => now += f64::from(ms),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(requests, 41, "one at once, then one every 15 s");
}
