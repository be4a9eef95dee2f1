//! A listing in progress, for JavaScript: one page (`listExportJobs`) or all of them. The core's
//! `Listing` says which page to fetch next and what each one that arrives means; this starts each
//! page's call when asked and hands its outcome back through the call's promise. The package's
//! JavaScript entry awaits the pages in order (`api.js`), so no Rust future waits on another.
//!
//! Everything a walk starts runs with a signal of its own, which aborts with the caller's and when
//! the walk ends: `free()` at the end of a loop, or the finalizer of a walk dropped unfinished.

use alloc::rc::Rc;
use core::cell::RefCell;

use js_sys::{Function, Promise, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use atlas_export_jobs_core::error::{Failure, Internal};
use atlas_export_jobs_core::machines::call::Call;
use atlas_export_jobs_core::machines::listing::{Listing, ListingAction};
#[cfg(feature = "watch")]
use atlas_export_jobs_core::machines::watch::Round;
use atlas_export_jobs_core::wire::response_info::ResponseInfo;

use crate::driver::{call_quietly, clocks, run_call, seed, Caller, Finished, Shared};
use crate::js_error::{object_of, with_info, Rejection};

#[wasm_bindgen(module = "/src/js/signal.js")]
extern "C" {
    type ListingSignal;

    #[wasm_bindgen(constructor, catch)]
    fn new(caller_signal: Option<&JsValue>) -> Result<ListingSignal, JsValue>;

    #[wasm_bindgen(method, getter, catch)]
    fn signal(this: &ListingSignal) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn end(this: &ListingSignal) -> Result<(), JsValue>;

    /// The caller's abort reason once the caller's signal has aborted; `undefined` before.
    #[wasm_bindgen(method, catch, js_name = abortedBy)]
    fn aborted_by(this: &ListingSignal) -> Result<JsValue, JsValue>;
}

use atlas_export_jobs_core::machines::listing::POLL_END as END;

/// A signal of a walk's or a watch's own (js/signal.js): it follows the caller's, and aborts
/// what its holder started when the holder is dropped. None where none could be made: the
/// caller's signal then stands in.
pub struct OwnSignal(Option<ListingSignal>);

impl OwnSignal {
    /// A signal following `caller`'s, and the caller whose calls run with it.
    pub fn following(caller: &Rc<Caller>) -> (OwnSignal, Rc<Caller>) {
        let own = OwnSignal(ListingSignal::new(caller.signal.as_ref()).ok());
        let calls = match own.signal() {
            Some(signal) => Rc::new(Caller {
                signal: Some(signal),
                on_retry: caller.on_retry.clone(),
            }),
            None => Rc::clone(caller),
        };
        (own, calls)
    }

    pub fn signal(&self) -> Option<JsValue> {
        self.0.as_ref().and_then(|own| own.signal().ok())
    }

    /// The caller's abort reason once the caller's signal has aborted (wrapped: `{reason}`).
    #[cfg(feature = "watch")]
    pub fn aborted_by(&self) -> Option<JsValue> {
        let aborted = self.0.as_ref().and_then(|own| own.aborted_by().ok())?;
        (!aborted.is_undefined()).then_some(aborted)
    }
}

/// Its holder has ended: whatever it started and has not finished is aborted.
impl Drop for OwnSignal {
    fn drop(&mut self) {
        if let Some(own) = &self.0 {
            let _ = own.end();
        }
    }
}

/// One walk through a listing.
// Declared by hand where public (index.d.ts); wasm-bindgen's declaration needs lib esnext.
#[wasm_bindgen(skip_typescript)]
pub struct Walk {
    listing: RefCell<Listing>,
    shared: Rc<Shared>,
    /// The caller's signal and `onRetry`, as the caller gave them: what a restart starts from.
    caller: Rc<Caller>,
    /// What the walk's calls run with: the caller's `onRetry`, and the walk's own signal.
    calls: Rc<Caller>,
    /// The walk's own signal, if it has one (see `owning`); dropped with the walk, it aborts
    /// what the walk started.
    #[allow(dead_code)] // held for what its drop does
    own: OwnSignal,
    on_progress: Option<Function>,
    /// Where a watch's round collects what this walk delivers, if it is one.
    #[cfg(feature = "watch")]
    round: Option<Rc<RefCell<Round>>>,
}

/// How one page's call ended, as `fetch`'s promise hands it to `take`.
// Only ever made here and handed back: the package's JavaScript never looks inside.
#[wasm_bindgen(skip_typescript)]
pub struct PageCall {
    finished: Finished,
}

impl Walk {
    /// A walk whose requests and waits run with the caller's signal alone: one that ends only
    /// once its one call has (`listExportJobs`'s), or one that is only ever restarted
    /// (`iterateExportJobs`'s: each loop restarts it). It saves each request combining two
    /// signals, which in Node costs about as much as decoding a small page.
    pub fn new(
        listing: Listing,
        shared: Rc<Shared>,
        caller: Rc<Caller>,
        on_progress: Option<Function>,
    ) -> Self {
        Walk::make(listing, shared, caller, on_progress, false)
    }

    /// A walk whose requests and waits run with a signal of its own, aborted when it ends: one
    /// that may end with pages fetched ahead.
    pub fn owning(
        listing: Listing,
        shared: Rc<Shared>,
        caller: Rc<Caller>,
        on_progress: Option<Function>,
    ) -> Self {
        Walk::make(listing, shared, caller, on_progress, true)
    }

    fn make(
        listing: Listing,
        shared: Rc<Shared>,
        caller: Rc<Caller>,
        on_progress: Option<Function>,
        signal: bool,
    ) -> Self {
        let (own, calls) = if signal {
            OwnSignal::following(&caller)
        } else {
            (OwnSignal(None), Rc::clone(&caller))
        };
        Walk {
            listing: RefCell::new(listing),
            shared,
            caller,
            calls,
            own,
            on_progress,
            #[cfg(feature = "watch")]
            round: None,
        }
    }

    /// This walk, as a watch's round that collects what it delivers into `round`.
    #[cfg(feature = "watch")]
    pub fn recording(mut self, round: Rc<RefCell<Round>>) -> Self {
        self.round = Some(round);
        self
    }

    /// Tells the round, if this walk is one, that the listing stopped.
    fn record_stop(&self, _failure: &Failure, _info: &ResponseInfo) {
        #[cfg(feature = "watch")]
        if let Some(mut round) = self.round.as_ref().and_then(|r| r.try_borrow_mut().ok()) {
            round.stopped(_failure, _info);
        }
    }

    /// Runs `step` on the listing. Steps never await or call JavaScript, so it is always free.
    fn with<T>(&self, step: impl FnOnce(&mut Listing) -> T) -> Result<T, Rejection> {
        self.listing
            .try_borrow_mut()
            .map(|mut listing| step(&mut listing))
            .map_err(|_| Rejection::new(Failure::Internal(Internal::StateInUse), None))
    }

    /// The call that fetches `page`, made now; or why it could not be, and what threw.
    fn call_for(&self, page: u64) -> Result<Call, (Failure, Option<JsValue>)> {
        let internal = |internal, thrown| (Failure::Internal(internal), thrown);
        // The clocks and the seed are read first, and the listing and the credentials are
        // borrowed one after the other: no JavaScript runs while either is.
        let now = clocks().map_err(|thrown| internal(Internal::HelperFailed, Some(thrown)))?;
        let seed = seed(now);
        let plan = self
            .with(|listing| listing.plan_for(page))
            .map_err(|_| internal(Internal::StateInUse, None))?
            .map_err(|error| (error.into(), None))?;
        self.shared
            .with_credentials(|credentials| Call::new(plan, credentials, now, seed))
            .ok_or_else(|| internal(Internal::StateInUse, None))
    }

    /// The one page of `listExportJobs`'s walk, for Rust callers (and the wasm tests).
    pub async fn single_page(&self) -> Result<JsValue, JsValue> {
        let page = self.poll()?;
        let finished = match self.call_for(page as u64) {
            Ok(call) => run_call(call, &self.shared, &self.calls).await,
            Err((failure, cause)) => Finished::failed(failure, cause),
        };
        self.poll()?;
        self.take(PageCall { finished })
    }
}

#[wasm_bindgen]
impl Walk {
    /// A page to fetch (from 1), minus the page to wait for (`-n`: hand its call to `take`), or
    /// `0` at the end; throws the `AtlasError` of a listing stopped before its next page.
    pub fn poll(&self) -> Result<f64, JsValue> {
        match self.with(Listing::poll)? {
            ListingAction::Fetch(page) => Ok(page as f64),
            ListingAction::Await(page) => Ok(-(page as f64)),
            ListingAction::End => Ok(END),
            ListingAction::Fail(failure) => {
                self.record_stop(&failure, &ResponseInfo::default());
                Err(Rejection::new(failure, None).into())
            }
        }
    }

    /// Starts the call for `page`; resolves with its `PageCall` once it has ended.
    pub fn fetch(&self, page: f64) -> Promise {
        let call = self.call_for(page as u64);
        let (shared, caller) = (Rc::clone(&self.shared), Rc::clone(&self.calls));
        future_to_promise(async move {
            let finished = match call {
                Ok(call) => run_call(call, &shared, &caller).await,
                Err((failure, cause)) => Finished::failed(failure, cause),
            };
            Ok(PageCall { finished }.into())
        })
    }

    /// The page a `PageCall` brought, the next one the listing waits for, as the caller gets it
    /// (a plain object of the API's shape, with its `responseInfo`); throws the call's
    /// `AtlasError`.
    pub fn take(&self, call: PageCall) -> Result<JsValue, JsValue> {
        let Finished { outcome, cause } = call.finished;
        let delivery = self
            .with(|listing| listing.arrived(outcome))?
            .map_err(|stopped| {
                self.record_stop(&stopped.failure, &stopped.info);
                Rejection {
                    failure: stopped.failure,
                    cause,
                    info: Some(stopped.info),
                }
            })?;
        #[cfg(feature = "watch")]
        if let Some(mut round) = self.round.as_ref().and_then(|r| r.try_borrow_mut().ok()) {
            round.delivered(&delivery);
        }
        let page = with_info(JSON::parse(&delivery.json())?, &delivery.info);
        if let Some(on_progress) = &self.on_progress {
            let _ = call_quietly(on_progress, &object_of(&delivery.progress));
        }
        Ok(page)
    }

    /// A new walk over the same listing, from its first page, with a signal of its own.
    pub fn restart(&self) -> Result<Walk, JsValue> {
        let listing = self.with(|listing| listing.restart())?;
        Ok(Walk::owning(
            listing,
            Rc::clone(&self.shared),
            Rc::clone(&self.caller),
            self.on_progress.clone(),
        ))
    }
}
