//! The options of following export jobs over time, checked: `watchExportJobs`'s (`jobIds`,
//! `until`, `interval`, `appearTimeoutMs`, `onRound`) and `waitForExportJob`'s (`timeoutMs`, `appearTimeoutMs`, `onProgress`,
//! `interval`), and the id it waits for. The rest of their options are a listing's.

use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{KeySet, Problem, ValidationError};
use crate::rules::input::{names, InputRecord, Key, Rule, MAX_LIST_ITEMS};
use crate::rules::options::MILLISECONDS;
use crate::rules::params::is_hex_id;

/// How often to list. The defaults keep one watch well inside a project's budget for this
/// endpoint: every 15 s while a followed job runs, every 60 s when none does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WatchPolicy {
    /// Between rounds while a followed job is Queued or InProgress (or in a state the package does
    /// not know, which may still move), or a named job has not appeared yet.
    pub running_interval_ms: u32,
    /// Between rounds while no followed job runs (`until: "never"` only; otherwise the watch ends).
    pub idle_interval_ms: u32,
    /// At or below this many requests left in the rate limit's window, the next wait doubles.
    pub low_remaining: u64,
    /// The longest wait after failed rounds in a row (each doubles the wait before it).
    pub max_backoff_ms: u32,
    /// Rounds that may fail in a row (after their own retries) before the watch gives up with the
    /// last one's error: at the defaults, about 8 minutes of an unreachable or overloaded API.
    pub max_failed_rounds: u32,
}

impl WatchPolicy {
    pub const DEFAULT: WatchPolicy = WatchPolicy {
        running_interval_ms: 15_000,
        idle_interval_ms: 60_000,
        low_remaining: 2,
        max_backoff_ms: 300_000,
        max_failed_rounds: 5,
    };
}

/// When a watch ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// When every followed job is finished (the default); with `jobIds`, each of them must have
    /// appeared and finished (or gone).
    AllFinished,
    /// Never: the caller ends it (`break`, `return`, its signal).
    Never,
}

impl Until {
    pub const ALL: [Until; 2] = [Until::AllFinished, Until::Never];

    pub fn name(self) -> &'static str {
        match self {
            Until::AllFinished => "allFinished",
            Until::Never => "never",
        }
    }
}

/// The limits of waiting for one job, from the start of the wait.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaitLimits {
    /// It must be listed within this long (`appearTimeoutMs`).
    pub appear_ms: Option<u32>,
    /// It must have finished within this long (`timeoutMs`).
    pub finish_ms: Option<u32>,
}

/// A job created a moment ago is listed at once; a minute covers a slow replica, and a mistyped
/// id or cluster is reported soon.
pub const DEFAULT_APPEAR_TIMEOUT_MS: u32 = 60_000;

pub static WATCH: [Key; 5] = [
    Key::new(
        "jobIds",
        Rule::TextList {
            max: MAX_LIST_ITEMS,
        },
    ),
    Key::new("until", Rule::Text),
    Key::new("interval", Rule::Object),
    Key::new("appearTimeoutMs", MILLISECONDS),
    Key::new("onRound", Rule::Function),
];

pub static WAIT: [Key; 4] = [
    Key::new("timeoutMs", MILLISECONDS),
    Key::new("appearTimeoutMs", MILLISECONDS),
    Key::new("onProgress", Rule::Function),
    Key::new("interval", Rule::Object),
];

pub static INTERVAL: [Key; 3] = [
    Key::new("runningMs", MILLISECONDS),
    Key::new("idleMs", MILLISECONDS),
    Key::new("maxBackoffMs", MILLISECONDS),
];

pub const WATCH_KEYS: [&str; 5] = names(&WATCH);
pub const WAIT_KEYS: [&str; 4] = names(&WAIT);
pub const INTERVAL_KEYS: [&str; 3] = names(&INTERVAL);

/// `watchExportJobs`'s own options.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchOptions {
    pub policy: WatchPolicy,
    pub until: Until,
    pub job_ids: Option<Vec<String>>,
    /// With `job_ids`: how long each may take to be listed.
    pub appear_ms: Option<u32>,
    pub has_on_round: bool,
}

impl WatchOptions {
    pub fn from_input(input: &InputRecord) -> Result<Self, ValidationError> {
        input.check(&WATCH, KeySet::WatchOption)?;
        let until = match input.text("until") {
            None => Until::AllFinished,
            Some(name) => Until::ALL
                .into_iter()
                .find(|until| until.name() == name)
                .ok_or_else(|| {
                    ValidationError::new(
                        &input.field("until"),
                        Problem::Pattern {
                            rule: "until",
                            value: Some(name.into()),
                        },
                    )
                })?,
        };
        let job_ids = match input.texts("jobIds") {
            None => None,
            Some(ids) => {
                let mut checked = Vec::with_capacity(ids.len());
                for (index, id) in ids.into_iter().enumerate() {
                    let mut field = input.field("jobIds");
                    field.push('[');
                    field.push_str(&crate::support::text::decimal(index as u64));
                    field.push(']');
                    check_job_id(id, &field)?;
                    checked.push(id.into());
                }
                Some(checked)
            }
        };
        let appear_ms = job_ids
            .is_some()
            .then(|| input.whole_or("appearTimeoutMs", DEFAULT_APPEAR_TIMEOUT_MS));
        Ok(WatchOptions {
            policy: policy(input)?,
            until,
            job_ids,
            appear_ms,
            has_on_round: input.has("onRound"),
        })
    }
}

/// `waitForExportJob`'s own options, and the id it waits for.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitOptions {
    pub policy: WatchPolicy,
    pub limits: WaitLimits,
    pub export_job_id: String,
    pub has_on_progress: bool,
}

impl WaitOptions {
    /// `export_job_id` is the id argument, as read (a record of one key, `exportJobId`).
    pub fn from_input(
        input: &InputRecord,
        export_job_id: &InputRecord,
    ) -> Result<Self, ValidationError> {
        export_job_id.check(
            &[Key::new("exportJobId", Rule::RequiredText)],
            KeySet::Parameter,
        )?;
        let id = export_job_id.required("exportJobId");
        check_job_id(id, "exportJobId")?;
        input.check(&WAIT, KeySet::WaitOption)?;
        Ok(WaitOptions {
            policy: policy(input)?,
            limits: WaitLimits {
                appear_ms: Some(input.whole_or("appearTimeoutMs", DEFAULT_APPEAR_TIMEOUT_MS)),
                finish_ms: input
                    .whole("timeoutMs")
                    .and_then(|ms| u32::try_from(ms).ok()),
            },
            export_job_id: id.into(),
            has_on_progress: input.has("onProgress"),
        })
    }
}

/// An export job's id, in `field`.
fn check_job_id(value: &str, field: &str) -> Result<(), ValidationError> {
    if is_hex_id(value) {
        return Ok(());
    }
    let problem = Problem::Pattern {
        rule: "exportJobId",
        value: Some(value.into()),
    };
    Err(ValidationError::new(field, problem))
}

/// The `interval` option over the default policy.
fn policy(input: &InputRecord) -> Result<WatchPolicy, ValidationError> {
    let default = WatchPolicy::DEFAULT;
    let Some(interval) = input.nested("interval") else {
        return Ok(default);
    };
    interval.check(&INTERVAL, KeySet::IntervalOption)?;
    Ok(WatchPolicy {
        running_interval_ms: interval.whole_or("runningMs", default.running_interval_ms),
        idle_interval_ms: interval.whole_or("idleMs", default.idle_interval_ms),
        max_backoff_ms: interval.whole_or("maxBackoffMs", default.max_backoff_ms),
        ..default
    })
}
