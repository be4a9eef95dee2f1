//! Following a cluster's export jobs over time, as a machine driven by the time it is given: when
//! to list again (sooner while a followed job runs, later when none does, later still when the
//! rate limit runs low or a 429 names a delay), what changed between one round and the last, what
//! counts as finished, and when the watch ends. Each round is a listing the shell runs with the
//! same paging and retries as `listAllExportJobs`; this machine only says when, and reads what it
//! brought.
//!
//! `watchExportJobs` follows every job (or those named), and `waitForExportJob` is the same
//! machine following one job, with limits on how long it may take to appear and to finish.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{Failure, NetworkProblem, WaitFailure, WaitProblem};
use crate::machines::listing::Delivery;
use crate::machines::retry::{body_retry_seconds, is_retryable_status};
use crate::rules::options::MAX_TIMEOUT_MS;
pub use crate::rules::watch_options::{Until, WaitLimits, WatchPolicy};
use crate::support::clock::Now;
use crate::support::key_map::KeyMap;
use crate::support::num;
use crate::wire::decode::{JobKey, JobProgress};
use crate::wire::headers::RetryAfter;
use crate::wire::model::ExportState;
use crate::wire::response_info::ResponseInfo;

/// A job id the caller named, as given and as compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobId {
    pub text: String,
    pub key: JobKey,
}

impl JobId {
    pub fn new(text: &str) -> Self {
        JobId {
            text: text.into(),
            key: JobKey::of(text),
        }
    }
}

/// What a round says of one job: enough to tell whether it moved. A job without an id cannot be
/// told apart from one round to the next, so it is never followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub key: Option<JobKey>,
    pub progress: JobProgress,
}

/// What happened to a job between two rounds. `index` is the job's place in the round just
/// listed, `previous` its place in the round before.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A job not seen before (every followed job of the first round).
    Added { index: usize },
    /// Its state or `exportStatus` moved, and it has not finished.
    Changed { index: usize, previous: usize },
    /// It reached Successful, Failed or Cancelled.
    Finished { index: usize, previous: usize },
    /// It is no longer listed.
    Removed { previous: usize },
}

impl Change {
    /// The event each change is, by [`Change::code`].
    pub const NAMES: [&'static str; 4] = ["added", "changed", "finished", "removed"];

    pub fn code(self) -> u8 {
        match self {
            Change::Added { .. } => 0,
            Change::Changed { .. } => 1,
            Change::Finished { .. } => 2,
            Change::Removed { .. } => 3,
        }
    }

    /// The job's place in the round just listed, and in the one before.
    pub fn indexes(self) -> (Option<usize>, Option<usize>) {
        match self {
            Change::Added { index } => (Some(index), None),
            Change::Changed { index, previous } | Change::Finished { index, previous } => {
                (Some(index), Some(previous))
            }
            Change::Removed { previous } => (None, Some(previous)),
        }
    }
}

/// What a watch's `poll()` answers besides a wait in milliseconds (always positive): list now,
/// await the round that is out, or the watch has ended.
pub const POLL_LIST: f64 = 0.0;
pub const POLL_AWAIT: f64 = -1.0;
pub const POLL_DONE: f64 = -2.0;

/// What one round brought, collected as its listing delivers each page (or stops).
#[derive(Debug, Default)]
pub struct Round {
    jobs: Vec<JobView>,
    rate_limit_remaining: Option<u64>,
    /// The listing stopped: what the watch needs to know of why.
    failure: Option<RoundFailure>,
}

/// What a failed round says about going on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RoundFailure {
    /// It says "later": 429, 502, 503, 504, no answer, a timeout.
    transient: bool,
    /// The last response's `Retry-After`.
    retry_after: Option<RetryAfter>,
    /// On a 429 without it, the seconds its body names.
    body_seconds: Option<u64>,
}

impl Round {
    /// A page arrived: its jobs as the caller gets them (those listed before left out).
    pub fn delivered(&mut self, delivery: &Delivery) {
        for (index, job) in delivery.page.jobs.iter().enumerate() {
            if delivery.drop.get(index).copied().unwrap_or(false) {
                continue;
            }
            self.jobs.push(JobView {
                key: job.key,
                progress: job.progress.clone(),
            });
        }
        self.rate_limit_remaining = delivery.info.rate_limit_remaining;
    }

    /// The listing stopped with `failure`; `info` is what its last response said.
    pub fn stopped(&mut self, failure: &Failure, info: &ResponseInfo) {
        let (transient, body_seconds) = match failure {
            Failure::Api(api) => (
                is_retryable_status(api.status),
                (api.status == 429)
                    .then(|| body_retry_seconds(api))
                    .flatten(),
            ),
            Failure::Network(NetworkProblem::Failed) | Failure::Timeout { .. } => (true, None),
            _ => (false, None),
        };
        self.failure = Some(RoundFailure {
            transient,
            retry_after: info.retry_after,
            body_seconds,
        });
    }

    /// Jobs delivered so far.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Whether the listing stopped with a failure.
    pub fn failed(&self) -> bool {
        self.failure.is_some()
    }
}

/// How a round ended, for the shell.
#[derive(Debug, PartialEq)]
pub enum RoundEnd {
    /// It listed: what changed.
    Listed(Vec<Change>),
    /// It failed, and the watch goes on after a wait.
    Retry,
    /// It failed, and the watch ends with its error.
    Stop,
}

/// What the shell should do next.
#[derive(Debug, Clone, PartialEq)]
pub enum WatchAction {
    /// List the jobs now (one round), then hand the result to [`Watch::listed`] or
    /// [`Watch::failed`].
    List,
    /// Nothing is due for this long (or until the round that is out comes back, if one is).
    Wait { ms: u32 },
    /// A round is out, and nothing else is due before it comes back.
    AwaitRound,
    /// The watch has ended: every followed job has finished.
    Done,
    /// The watch has failed: a waited-for job did not appear, went away, or did not finish in
    /// time. Whatever is out is to be stopped.
    Fail(Failure),
}

/// One watch.
#[derive(Debug)]
pub struct Watch {
    policy: WatchPolicy,
    until: Until,
    /// Only these jobs, when the caller named them.
    job_ids: Option<Vec<JobId>>,
    /// Waiting for one job (`job_ids` holds it): it going away fails the wait, as do `limits`.
    waiting: bool,
    limits: WaitLimits,
    /// Multiplies `Retry-After` seconds into milliseconds (the call options' `retryAfterUnitMs`).
    retry_after_unit_ms: u32,
    /// Where each named job is in `job_ids`.
    named: KeyMap,
    /// Which named jobs have been listed at least once, by their place in `job_ids`.
    seen: Vec<bool>,
    /// The followed jobs of the last round, in its order, with their place in it.
    last: Vec<(JobKey, JobProgress, usize)>,
    rounds: u64,
    started_ms: f64,
    /// When the next round is due, on the monotonic clock.
    due_ms: f64,
    /// When the round that is out (or the last one) started.
    round_started_ms: Option<f64>,
    listing: bool,
    failures_in_row: u32,
    /// The job waited for, as last listed, and whether it has gone since.
    last_state: Option<ExportState>,
    vanished: bool,
    done: bool,
}

impl Watch {
    /// A watch whose first round is due at once.
    pub fn new(policy: WatchPolicy, until: Until, job_ids: Option<Vec<JobId>>, now: Now) -> Self {
        let mut named = KeyMap::default();
        for (at, id) in job_ids.iter().flatten().enumerate() {
            named.insert(id.key.0, u32::try_from(at).unwrap_or(u32::MAX));
        }
        Watch {
            policy,
            until,
            seen: alloc::vec![false; job_ids.as_ref().map_or(0, Vec::len)],
            named,
            job_ids,
            waiting: false,
            limits: WaitLimits::default(),
            retry_after_unit_ms: 1000,
            last: Vec::new(),
            rounds: 0,
            started_ms: now.monotonic_ms,
            due_ms: now.monotonic_ms,
            round_started_ms: None,
            listing: false,
            failures_in_row: 0,
            last_state: None,
            vanished: false,
            done: false,
        }
    }

    /// A wait for `job` to finish, within `limits`.
    pub fn waiting_for(policy: WatchPolicy, job: JobId, limits: WaitLimits, now: Now) -> Self {
        Watch {
            waiting: true,
            limits,
            ..Watch::new(policy, Until::AllFinished, Some(alloc::vec![job]), now)
        }
    }

    /// Fails the watch (`notFound`) if a named job is not listed within `ms` of its start.
    pub fn with_appear_limit(mut self, ms: Option<u32>) -> Self {
        self.limits.appear_ms = ms;
        self
    }

    /// Reads `Retry-After` seconds as this many milliseconds each (1000 but in tests).
    pub fn with_retry_after_unit(mut self, unit_ms: u32) -> Self {
        self.retry_after_unit_ms = unit_ms;
        self
    }

    /// What to do now.
    pub fn poll(&mut self, now: Now) -> WatchAction {
        if self.done {
            return WatchAction::Done;
        }
        if self.vanished {
            return self.fail(WaitProblem::Removed, None);
        }
        let at = now.monotonic_ms;
        if let Some(finish_at) = self.limit_at(self.limits.finish_ms) {
            if at >= finish_at {
                return self.fail(WaitProblem::NotFinished, self.limits.finish_ms);
            }
        }
        let appear_at = self
            .limit_at(self.limits.appear_ms)
            .filter(|_| !self.all_named_seen());
        if let Some(appear_at) = appear_at {
            // Past the limit, one round that started after it has looked: the job is not there.
            let looked_since = self.round_started_ms.is_some_and(|s| s >= appear_at);
            if at >= appear_at && looked_since && !self.listing {
                return self.fail(WaitProblem::NeverListed, self.limits.appear_ms);
            }
        }
        let mut next = self.limit_at(self.limits.finish_ms);
        if self.listing {
            return match next {
                Some(limit) => wait_until(limit, at),
                None => WatchAction::AwaitRound,
            };
        }
        // A round that starts at the appearance limit is the last look for the job.
        let due = appear_at.map_or(self.due_ms, |limit| self.due_ms.min(limit));
        next = Some(next.map_or(due, |limit| limit.min(due)));
        if let Some(next) = next.filter(|next| *next > at) {
            return wait_until(next, at);
        }
        self.listing = true;
        self.round_started_ms = Some(at);
        WatchAction::List
    }

    /// A round's jobs arrived, in the order listed (with the rate limit's remaining requests, if
    /// the last response said): what changed since the last round, in the round's order, then
    /// what went away, in the last round's order.
    pub fn listed(
        &mut self,
        now: Now,
        jobs: Vec<JobView>,
        rate_limit_remaining: Option<u64>,
    ) -> Vec<Change> {
        self.listing = false;
        self.failures_in_row = 0;
        self.rounds = self.rounds.saturating_add(1);
        let mut changes = Vec::new();
        // Where each job of the last round is in it, and whether this round listed it again.
        let mut before = KeyMap::default();
        for (at, (key, _, _)) in self.last.iter().enumerate() {
            before.insert(key.0, u32::try_from(at).unwrap_or(u32::MAX));
        }
        let mut listed_again = alloc::vec![false; self.last.len()];
        let mut next = Vec::new();
        for (index, job) in jobs.into_iter().enumerate() {
            let Some(key) = job.key.filter(|key| self.follows(*key)) else {
                continue;
            };
            let was = before.get(key.0).map(|at| at as usize);
            match was.and_then(|at| Some((at, self.last.get(at)?))) {
                None => changes.push(Change::Added { index }),
                Some((at, (_, progress, previous))) => {
                    if let Some(again) = listed_again.get_mut(at) {
                        *again = true;
                    }
                    let previous = *previous;
                    if *progress != job.progress {
                        let finished = job.progress.is_finished() && !progress.is_finished();
                        changes.push(if finished {
                            Change::Finished { index, previous }
                        } else {
                            Change::Changed { index, previous }
                        });
                    }
                }
            }
            if let Some(at) = self.named.get(key.0) {
                if let Some(seen) = self.seen.get_mut(at as usize) {
                    *seen = true;
                }
            }
            if self.waiting {
                self.last_state.clone_from(&job.progress.state);
            }
            next.push((key, job.progress, index));
        }
        let gone: Vec<usize> = self
            .last
            .iter()
            .zip(&listed_again)
            .filter(|(_, again)| !**again)
            .map(|((_, _, previous), _)| *previous)
            .collect();
        changes.extend(gone.iter().map(|&previous| Change::Removed { previous }));
        self.last = next;
        if self.waiting && !gone.is_empty() {
            // The one job waited for went away unfinished: `poll` reports it.
            self.vanished = true;
            return changes;
        }
        let running = self.last.iter().any(|(_, job, _)| !job.is_finished());
        let all_named_seen = self.all_named_seen();
        if self.until == Until::AllFinished && !running && all_named_seen {
            self.done = true;
            return changes;
        }
        // A named job not listed yet may still appear: look as often as for a running one.
        let mut interval = if running || !all_named_seen {
            self.policy.running_interval_ms
        } else {
            self.policy.idle_interval_ms
        };
        if rate_limit_remaining.is_some_and(|left| left <= self.policy.low_remaining) {
            interval = interval.saturating_mul(2);
        }
        self.due_ms = now.monotonic_ms + f64::from(interval);
        changes
    }

    /// A round failed after its own retries. Whether the watch goes on: only after a failure that
    /// says "later", and not more than the policy's rounds in a row. Failed rounds in a row wait
    /// twice as long each time, up to the policy's longest, and never less than the server asked.
    fn failed(&mut self, now: Now, failure: RoundFailure) -> bool {
        self.listing = false;
        self.failures_in_row = self.failures_in_row.saturating_add(1);
        if !failure.transient || self.failures_in_row >= self.policy.max_failed_rounds {
            self.done = true;
            return false;
        }
        let exponent = self.failures_in_row.saturating_sub(1).min(16);
        let backoff = u64::from(self.policy.running_interval_ms)
            .saturating_mul(1 << exponent)
            .min(u64::from(self.policy.max_backoff_ms));
        let asked_seconds = failure
            .retry_after
            .map(|after| after.seconds_from(now.wall_ms))
            .or(failure.body_seconds);
        let asked = asked_seconds.map(|s| s.saturating_mul(u64::from(self.retry_after_unit_ms)));
        let wait = backoff.max(asked.unwrap_or(0));
        self.due_ms = now.monotonic_ms + wait as f64;
        true
    }

    /// The round that was out has ended, as `round` collected it.
    pub fn ended(&mut self, now: Now, round: Round) -> RoundEnd {
        match round.failure {
            Some(failure) => {
                if self.failed(now, failure) {
                    RoundEnd::Retry
                } else {
                    RoundEnd::Stop
                }
            }
            None => RoundEnd::Listed(self.listed(now, round.jobs, round.rate_limit_remaining)),
        }
    }

    fn follows(&self, key: JobKey) -> bool {
        self.job_ids.is_none() || self.named.get(key.0).is_some()
    }

    fn all_named_seen(&self) -> bool {
        self.seen.iter().all(|seen| *seen)
    }

    fn limit_at(&self, limit_ms: Option<u32>) -> Option<f64> {
        limit_ms.map(|ms| self.started_ms + f64::from(ms))
    }

    fn fail(&mut self, problem: WaitProblem, ms: Option<u32>) -> WatchAction {
        self.done = true;
        // The job the failure is about: the first named one never listed, or the one waited for.
        let ids = self.job_ids.as_deref().unwrap_or_default();
        let unseen = ids.iter().zip(&self.seen).find(|(_, seen)| !**seen);
        let job = unseen.map(|(id, _)| id).or(ids.first());
        WatchAction::Fail(Failure::Wait(WaitFailure {
            problem,
            export_job_id: job.map(|job| job.text.clone()).unwrap_or_default(),
            ms,
            rounds: self.rounds,
            state: self.last_state.take().map(|state| state.as_str().into()),
        }))
    }
}

/// The wait until `at`: at least 1 ms, and at most what a timer can wait (a longer one is asked
/// again when it ends).
fn wait_until(at: f64, now: f64) -> WatchAction {
    WatchAction::Wait {
        ms: num::ceil(at - now).clamp(1.0, f64::from(MAX_TIMEOUT_MS)) as u32,
    }
}
