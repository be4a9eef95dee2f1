//! Following a cluster's export jobs over time, as a machine driven by the time it is given: when
//! to list again (sooner while a followed job runs, later when none does, later still when the
//! rate limit runs low or a 429 names a delay), what changed between one round and the last, what
//! counts as finished, and when the watch ends. Each round is a listing the shell runs with the
//! same paging and retries as `listAllExportJobs`; this machine only says when, and reads what it
//! brought.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::support::clock::Now;
use crate::wire::model::ExportState;

/// How often to list. The defaults keep one watch well inside a project's budget for this
/// endpoint (Atlas's token bucket refills about 5 requests a minute): every 15 s while a followed
/// job runs, every 60 s when none does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WatchPolicy {
    /// Between rounds while a followed job is Queued or InProgress (or in a state the package does
    /// not know, which may still move).
    pub running_interval_ms: u32,
    /// Between rounds while no followed job runs (`until: "never"` only; otherwise the watch ends).
    pub idle_interval_ms: u32,
    /// At or below this many requests left in the rate limit's window, the next wait doubles.
    pub low_remaining: u64,
    /// The longest wait after failed rounds in a row (each doubles the wait before it).
    pub max_backoff_ms: u32,
}

impl WatchPolicy {
    pub const DEFAULT: WatchPolicy = WatchPolicy {
        running_interval_ms: 15_000,
        idle_interval_ms: 60_000,
        low_remaining: 2,
        max_backoff_ms: 300_000,
    };
}

/// When a watch ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// When every followed job is finished (the default); with `jobIds`, each of them must have
    /// appeared and finished.
    AllFinished,
    /// Never: the caller ends it (`break`, `return`, its signal).
    Never,
}

/// What a round says of one job: enough to tell whether it moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobView {
    pub id: String,
    pub state: Option<ExportState>,
    /// `exportStatus`: collections exported and in all.
    pub exported: Option<i32>,
    pub total: Option<i32>,
}

impl JobView {
    /// Successful, Failed or Cancelled; a state the package does not know is still running.
    pub fn is_finished(&self) -> bool {
        self.state.as_ref().is_some_and(ExportState::is_terminal)
    }
}

/// What happened to a job between two rounds. `index` is the job's place in the round just
/// listed (for `Removed`, in the round before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A job not seen before (every job of the first round).
    Added { index: usize },
    /// Its state or `exportStatus` moved, and it has not finished.
    Changed { index: usize },
    /// It reached Successful, Failed or Cancelled.
    Finished { index: usize },
    /// It is no longer listed.
    Removed { index: usize },
}

/// What the shell should do next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WatchAction {
    /// List the jobs now (one round), then hand the result to [`Watch::listed`] or
    /// [`Watch::failed`].
    List,
    /// Nothing is due for this long.
    Wait { ms: u32 },
    /// The watch has ended: every followed job has finished.
    Done,
}

/// One watch.
#[derive(Debug)]
pub struct Watch {
    policy: WatchPolicy,
    until: Until,
    /// Only these jobs, when the caller named them.
    job_ids: Option<Vec<String>>,
    /// The followed jobs of the last round, by id.
    last: BTreeMap<String, JobView>,
    /// The last round's jobs in its order (what `Removed` indexes).
    last_order: Vec<String>,
    rounds: u64,
    /// When the next round is due, on the monotonic clock.
    due_ms: f64,
    listing: bool,
    failures_in_row: u32,
    done: bool,
}

impl Watch {
    /// A watch whose first round is due at once.
    pub fn new(policy: WatchPolicy, until: Until, job_ids: Option<Vec<String>>, now: Now) -> Self {
        Watch {
            policy,
            until,
            job_ids,
            last: BTreeMap::new(),
            last_order: Vec::new(),
            rounds: 0,
            due_ms: now.monotonic_ms,
            listing: false,
            failures_in_row: 0,
            done: false,
        }
    }

    /// What to do now.
    pub fn poll(&mut self, now: Now) -> WatchAction {
        if self.done {
            return WatchAction::Done;
        }
        if self.listing {
            // A round is out: its result comes first. A shell that asks again waits for it.
            return WatchAction::Wait { ms: 0 };
        }
        let left = self.due_ms - now.monotonic_ms;
        if left > 0.0 {
            return WatchAction::Wait {
                ms: crate::support::num::ceil(left).min(f64::from(u32::MAX)) as u32,
            };
        }
        self.listing = true;
        WatchAction::List
    }

    fn follows(&self, id: &str) -> bool {
        self.job_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().any(|wanted| wanted == id))
    }

    /// A round's jobs arrived (with the rate limit's remaining requests, if the response said):
    /// what changed since the last round, in the round's order, then the removals.
    pub fn listed(
        &mut self,
        now: Now,
        jobs: Vec<JobView>,
        rate_limit_remaining: Option<u64>,
    ) -> Vec<Change> {
        self.listing = false;
        self.failures_in_row = 0;
        let mut changes = Vec::new();
        let mut next = BTreeMap::new();
        let mut order = Vec::new();
        for (index, job) in jobs.into_iter().enumerate() {
            if !self.follows(&job.id) || next.contains_key(&job.id) {
                continue;
            }
            match self.last.get(&job.id) {
                None => changes.push(Change::Added { index }),
                Some(before) if before == &job => {}
                Some(before) if job.is_finished() && !before.is_finished() => {
                    changes.push(Change::Finished { index })
                }
                Some(_) => changes.push(Change::Changed { index }),
            }
            order.push(job.id.clone());
            next.insert(job.id.clone(), job);
        }
        for (index, id) in self.last_order.iter().enumerate() {
            if !next.contains_key(id) {
                changes.push(Change::Removed { index });
            }
        }
        self.last = next;
        self.last_order = order;
        self.rounds = self.rounds.saturating_add(1);
        let running = self.last.values().any(|job| !job.is_finished());
        let all_named_seen = self
            .job_ids
            .as_ref()
            .is_none_or(|ids| ids.iter().all(|id| self.last.contains_key(id)));
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

    /// A round failed after its own retries. `server_delay_ms` is what the server asked for (a
    /// 429's `Retry-After`, or the delay its body names), if anything. Failed rounds in a row wait
    /// twice as long each time, up to the policy's longest, and never less than the server asked.
    pub fn failed(&mut self, now: Now, server_delay_ms: Option<u64>) {
        self.listing = false;
        self.failures_in_row = self.failures_in_row.saturating_add(1);
        let exponent = self.failures_in_row.saturating_sub(1).min(16);
        let backoff = u64::from(self.policy.running_interval_ms)
            .saturating_mul(1 << exponent)
            .min(u64::from(self.policy.max_backoff_ms));
        let wait = backoff.max(server_delay_ms.unwrap_or(0));
        self.due_ms = now.monotonic_ms + wait as f64;
    }

    /// Rounds listed so far.
    pub fn rounds(&self) -> u64 {
        self.rounds
    }
}
