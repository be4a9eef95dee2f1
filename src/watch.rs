//! A watch (`watchExportJobs`) or a wait (`waitForExportJob`) in progress, for JavaScript. The
//! core's `Watch` says when to list, how long to wait and what each round changed; this starts
//! each round as a walk over every page, collects what it delivers, and hands the changes back as
//! numbers the package's JavaScript turns into events (`api.js`).
//!
//! Everything a watch starts (rounds, their retries, the waits between them) runs with a signal
//! of its own, which aborts with the caller's and when the watch ends: `free()` at the end of the
//! loop, or the finalizer of a watch dropped unfinished.

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::error::{Failure, Internal};
use atlas_export_jobs_core::machines::watch::{
    Change, JobId, Round, RoundEnd, Watch, WatchAction, POLL_AWAIT, POLL_DONE, POLL_LIST,
};
use atlas_export_jobs_core::support::clock::Now;

use atlas_export_jobs_core::machines::listing::POLL_END;
use atlas_export_jobs_core::machines::paging::PAGING_KEYS;
use atlas_export_jobs_core::rules::input::InputRecord;
use atlas_export_jobs_core::rules::watch_options::{
    WaitOptions, WatchOptions, WAIT_KEYS, WATCH_KEYS,
};

use crate::arguments::Checked;
use crate::driver::{call_quietly, clocks, wait, Shared};
use crate::js_error::Rejection;
use crate::snapshot::{self, Handles};
use crate::walk::{OwnSignal, Walk};

/// What a watch or a wait follows, and how.
pub enum Following {
    Watch(WatchOptions),
    Wait(WaitOptions),
}

/// How a watch's or a wait's options are split into its own (checked), the paging ones of its
/// rounds and the call's; `job` is a wait's id argument (a record `{exportJobId}` the package's
/// JavaScript makes), or `undefined` for a watch. A round tells no `onProgress`: left with the
/// call's options, a watch refuses it.
pub fn split(
    job: &JsValue,
) -> impl FnOnce(&InputRecord, &Handles) -> Result<(Following, InputRecord, InputRecord), Rejection> + '_
{
    move |record, handles| split_following(record, handles, job)
}

fn split_following(
    record: &InputRecord,
    handles: &Handles,
    job: &JsValue,
) -> Result<(Following, InputRecord, InputRecord), Rejection> {
    let job = if job.is_undefined() {
        None
    } else {
        Some(snapshot::read(job, "exportJobId", false)?)
    };
    let own_keys: &[&str] = if job.is_some() {
        &WAIT_KEYS
    } else {
        &WATCH_KEYS
    };
    let (own, listing) = record.split_off(own_keys);
    let round_keys: Vec<&str> = PAGING_KEYS
        .into_iter()
        .filter(|key| *key != "onProgress")
        .collect();
    let (paging, call) = listing.split_off(&round_keys);
    let following = match &job {
        None => WatchOptions::from_input(&own).map(Following::Watch),
        Some(job) => WaitOptions::from_input(&own, &job.record).map(Following::Wait),
    };
    let following = following.map_err(|e| handles.reject(e))?;
    Ok((following, paging, call))
}

#[wasm_bindgen(module = "/src/js/pages.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = pages)]
    fn pages_of(walk: JsValue, end: f64) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/js/watch-events.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn events(
        watcher: JsValue,
        on_round: Option<&Function>,
        names: &Array,
        steps: &Array,
    ) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch)]
    fn finished(events: &JsValue) -> Result<Promise, JsValue>;
}

/// A watch of checked arguments as the caller gets it: its events (an async iterator, js/
/// watch-events.js), or for a wait, the promise of its job once it has finished.
pub fn start(
    checked: Checked,
    following: Following,
    shared: Rc<Shared>,
    handles: &Handles,
) -> Result<JsValue, Rejection> {
    let (waiting, has_on_round) = match &following {
        Following::Watch(options) => (false, options.has_on_round),
        Following::Wait(_) => (true, false),
    };
    let on_round = handles.function("onRound").filter(|_| has_on_round);
    let watcher = Watcher::new(checked, following, shared, handles)?;
    let names: Array = Change::NAMES
        .iter()
        .map(|name| JsValue::from_str(name))
        .collect();
    let steps: Array = [POLL_LIST, POLL_AWAIT, POLL_DONE]
        .iter()
        .map(|step| JsValue::from_f64(*step))
        .collect();
    let helper = |thrown| Rejection::new(Failure::Internal(Internal::HelperFailed), Some(thrown));
    let events = events(watcher.into(), on_round.as_ref(), &names, &steps).map_err(helper)?;
    if waiting {
        finished(&events).map(JsValue::from).map_err(helper)
    } else {
        Ok(events)
    }
}

/// One watch, or one wait for a job.
// Declared by hand where public (index.d.ts).
#[wasm_bindgen(skip_typescript)]
pub struct Watcher {
    watch: RefCell<Watch>,
    /// The listing each round walks from its first page, with the watch's signal.
    template: Walk,
    /// The watch's own signal, which its rounds and waits run with; dropped with the watch, it
    /// aborts them.
    own: OwnSignal,
    /// Where the round that is out collects what it delivers.
    round: Rc<RefCell<Round>>,
    /// A wait's `onProgress`, told each time its job is listed changed.
    on_progress: Option<Function>,
}

impl Watcher {
    /// The watch or wait of checked arguments, with `shared`'s credentials.
    pub fn new(
        checked: Checked,
        following: Following,
        shared: Rc<Shared>,
        handles: &Handles,
    ) -> Result<Watcher, Rejection> {
        checked.check_request(handles)?;
        let now = clocks().map_err(|thrown| {
            Rejection::new(Failure::Internal(Internal::HelperFailed), Some(thrown))
        })?;
        let unit_ms = checked.options.retry.retry_after_unit_ms;
        let (watch, on_progress) = match following {
            Following::Watch(options) => {
                let ids = options
                    .job_ids
                    .map(|ids| ids.iter().map(|id| JobId::new(id)).collect());
                let watch = Watch::new(options.policy, options.until, ids, now)
                    .with_appear_limit(options.appear_ms);
                (watch, None)
            }
            Following::Wait(options) => {
                let job = JobId::new(&options.export_job_id);
                let watch = Watch::waiting_for(options.policy, job, options.limits, now);
                let on_progress = handles
                    .function("onProgress")
                    .filter(|_| options.has_on_progress);
                (watch, on_progress)
            }
        };
        let (own, rounds_caller) = OwnSignal::following(&Rc::new(checked.caller(handles)));
        Ok(Watcher {
            watch: RefCell::new(watch.with_retry_after_unit(unit_ms)),
            template: Walk::new(checked.listing(), shared, rounds_caller, None),
            own,
            round: Rc::new(RefCell::new(Round::default())),
            on_progress,
        })
    }

    /// Runs `step` on the watch with the time now. Steps never await or call JavaScript.
    fn with<T>(&self, step: impl FnOnce(&mut Watch, Now) -> T) -> Result<T, Rejection> {
        let internal = |internal, cause| Rejection::new(Failure::Internal(internal), cause);
        let now = clocks().map_err(|thrown| internal(Internal::HelperFailed, Some(thrown)))?;
        let mut watch = self
            .watch
            .try_borrow_mut()
            .map_err(|_| internal(Internal::StateInUse, None))?;
        Ok(step(&mut watch, now))
    }
}

#[wasm_bindgen]
impl Watcher {
    /// What to do now: list (`0`), wait up to this many ms (or until the round that is out comes
    /// back), await the round (`-1`), or nothing: the watch has ended (`-2`). Throws the
    /// `AtlasError` that ends it: the caller's signal, or a wait's limit.
    pub fn poll(&self) -> Result<f64, JsValue> {
        if let Some(aborted) = self.own.aborted_by() {
            let reason = js_sys::Reflect::get(&aborted, &"reason".into()).ok();
            return Err(Rejection::new(Failure::Aborted, reason).into());
        }
        match self.with(|watch, now| watch.poll(now))? {
            WatchAction::List => Ok(POLL_LIST),
            WatchAction::Wait { ms } => Ok(f64::from(ms)),
            WatchAction::AwaitRound => Ok(POLL_AWAIT),
            WatchAction::Done => Ok(POLL_DONE),
            WatchAction::Fail(failure) => Err(Rejection::new(failure, None).into()),
        }
    }

    /// A new round: the pages of a walk from the first, with a signal of its own (js/pages.js).
    pub fn round(&self) -> Result<JsValue, JsValue> {
        let fresh = Round::default();
        match self.round.try_borrow_mut() {
            Ok(mut round) => *round = fresh,
            Err(_) => {
                return Err(Rejection::new(Failure::Internal(Internal::StateInUse), None).into())
            }
        }
        let walk = self.template.restart()?.recording(Rc::clone(&self.round));
        pages_of(walk.into(), POLL_END)
    }

    /// Waits `ms`, or until `until` settles or the watch's signal aborts; resolves with whether
    /// it was not aborted.
    pub fn wait(&self, ms: u32, until: Option<Promise>) -> Result<Promise, JsValue> {
        wait(ms, self.own.signal().as_ref(), until.as_ref())
    }

    /// The round that was out has ended: with its `jobs` (every page's, in order), or with the
    /// `error` it threw. Returns its changes as `[code, index, previous]` triples (`-1` where a
    /// change has no such index), or throws `error` when the watch ends with it.
    pub fn settle(&self, jobs: JsValue, error: JsValue) -> Result<Vec<i32>, JsValue> {
        let round = match self.round.try_borrow_mut() {
            Ok(mut round) => core::mem::take(&mut *round),
            Err(_) => {
                return Err(Rejection::new(Failure::Internal(Internal::StateInUse), None).into())
            }
        };
        let jobs = jobs.dyn_into::<Array>().ok();
        let listed = !round.failed() && error.is_undefined();
        // The jobs JavaScript collected are the ones the round delivered, one for one.
        if listed && jobs.as_ref().map(Array::length) != u32::try_from(round.len()).ok() {
            return Err(Rejection::new(Failure::Internal(Internal::HelperFailed), None).into());
        }
        if !listed && !round.failed() {
            // Not a failure of the listing: the watch cannot go on past it.
            return Err(error);
        }
        let changes = match self.with(|watch, now| watch.ended(now, round))? {
            RoundEnd::Listed(changes) => changes,
            RoundEnd::Retry => return Ok(Vec::new()),
            RoundEnd::Stop => return Err(error),
        };
        let mut flat = Vec::with_capacity(changes.len().saturating_mul(3));
        for change in &changes {
            let (index, previous) = change.indexes();
            let as_i32 = |i: Option<usize>| i.and_then(|i| i32::try_from(i).ok()).unwrap_or(-1);
            flat.extend([i32::from(change.code()), as_i32(index), as_i32(previous)]);
            if let (Some(on_progress), Some(jobs), Some(index)) = (&self.on_progress, &jobs, index)
            {
                let _ = call_quietly(on_progress, &jobs.get(index as u32));
            }
        }
        Ok(flat)
    }
}
