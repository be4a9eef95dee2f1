//! A listing in progress, for JavaScript: one page (`listExportJobs`) or all of them. The core's
//! `Listing` says which page to fetch next and what each one that arrives means; this starts each
//! page's call when asked and keeps its outcome until it is taken. The package's JavaScript
//! entry awaits the pages in order (`api.js`), so no Rust future waits on another.

use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;

use js_sys::{Function, Promise, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use atlas_export_jobs_core::error::{Failure, Internal, NetworkProblem};
use atlas_export_jobs_core::machines::listing::{Listing, ListingAction};

use crate::driver::{call_quietly, clocks, run_call, seed, Caller, Finished, Shared};
use crate::js_error::{object_of, with_info, Rejection};

/// What `poll` answers besides a page to fetch.
const AWAIT: f64 = 0.0;
const END: f64 = -1.0;

struct WalkState {
    listing: Listing,
    /// The page the listing waits for.
    next: u64,
    /// Outcomes of page calls, until taken.
    arrived: Vec<(u64, Finished)>,
}

/// One walk through a listing.
// Declared by hand where public (index.d.ts); wasm-bindgen's declaration needs lib esnext.
#[wasm_bindgen(skip_typescript)]
pub struct Walk {
    state: Rc<RefCell<WalkState>>,
    shared: Rc<Shared>,
    caller: Rc<Caller>,
    on_progress: Option<Function>,
}

impl Walk {
    pub fn new(listing: Listing, shared: Rc<Shared>, caller: Rc<Caller>, on_progress: Option<Function>) -> Self {
        Walk {
            state: Rc::new(RefCell::new(WalkState {
                listing,
                next: 0,
                arrived: Vec::new(),
            })),
            shared,
            caller,
            on_progress,
        }
    }

    /// Runs `step` on the state; steps never await, so it is always free.
    fn with<T>(&self, step: impl FnOnce(&mut WalkState) -> T) -> Result<T, Rejection> {
        self.state
            .try_borrow_mut()
            .map(|mut state| step(&mut state))
            .map_err(|_| Rejection::new(Failure::Network(NetworkProblem::Failed), None))
    }
}

#[wasm_bindgen]
impl Walk {
    /// A page to fetch (from 1), `0` to wait for `next()`, or `-1` at the end; throws the
    /// `AtlasError` of a listing stopped before its next page.
    pub fn poll(&self) -> Result<f64, JsValue> {
        let action = self.with(|state| {
            let action = state.listing.poll();
            if let ListingAction::Await(page) = action {
                state.next = page;
            }
            action
        })?;
        match action {
            ListingAction::Fetch(page) => Ok(page as f64),
            ListingAction::Await(_) => Ok(AWAIT),
            ListingAction::End => Ok(END),
            ListingAction::Fail(failure) => Err(Rejection::new(failure, None).into()),
        }
    }

    /// The page to wait for after `poll()` said `0`.
    pub fn next(&self) -> f64 {
        self.with(|state| state.next as f64).unwrap_or(END)
    }

    /// Starts the call for `page`; resolves (with nothing) once its outcome is kept for `take`.
    pub fn fetch(&self, page: f64) -> Promise {
        let page = page as u64;
        let state = Rc::clone(&self.state);
        let (shared, caller) = (Rc::clone(&self.shared), Rc::clone(&self.caller));
        // The time and the seed are read before anything is borrowed: no JavaScript runs while
        // the state is in use.
        let clocks = clocks();
        future_to_promise(async move {
            let now = match clocks {
                Ok(now) => now,
                Err(thrown) => {
                    let finished = Finished {
                        cause: Some(thrown),
                        ..Finished::failed(Failure::Internal(Internal::HelperThrew))
                    };
                    if let Ok(mut walk) = state.try_borrow_mut() {
                        walk.arrived.push((page, finished));
                    }
                    return Ok(JsValue::UNDEFINED);
                }
            };
            let seed = seed(now);
            let call = state.try_borrow().ok().and_then(|walk| {
                let mut credentials = shared.credentials.try_borrow_mut().ok()?;
                Some(walk.listing.call_for(page, &mut credentials, now, seed))
            });
            let finished = match call {
                Some(Ok(call)) => run_call(call, &shared, &caller).await,
                Some(Err(error)) => Finished::failed(error.into()),
                None => Finished::failed(Failure::Network(NetworkProblem::Failed)),
            };
            if let Ok(mut walk) = state.try_borrow_mut() {
                walk.arrived.push((page, finished));
            }
            Ok(JsValue::UNDEFINED)
        })
    }

    /// The page `fetch(page)` brought, as the caller gets it (a plain object of the API's shape,
    /// with its `responseInfo`); throws the call's `AtlasError`.
    pub fn take(&self, page: f64) -> Result<JsValue, JsValue> {
        let page = page as u64;
        let delivered = self.with(|state| {
            let at = state.arrived.iter().position(|(p, _)| *p == page)?;
            let (_, Finished { outcome, cause }) = state.arrived.swap_remove(at);
            Some(state.listing.arrived(outcome).map_err(|stopped| Rejection {
                failure: stopped.result.err().unwrap_or(Failure::Aborted),
                cause,
                info: Some(stopped.info),
            }))
        })?;
        let delivery = match delivered {
            Some(delivered) => delivered?,
            None => return Err(Rejection::new(Failure::Network(NetworkProblem::Failed), None).into()),
        };
        let page = with_info(JSON::parse(&delivery.json())?, &delivery.info);
        if let Some(on_progress) = &self.on_progress {
            let _ = call_quietly(on_progress, &object_of(&delivery.progress));
        }
        Ok(page)
    }

    /// A new walk over the same listing, from its first page.
    pub fn restart(&self) -> Result<Walk, JsValue> {
        let listing = self.with(|state| state.listing.restart())?;
        Ok(Walk::new(
            listing,
            Rc::clone(&self.shared),
            Rc::clone(&self.caller),
            self.on_progress.clone(),
        ))
    }
}
