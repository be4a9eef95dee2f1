//! Runs a listing for JavaScript: `iterateExportJobs` and `listAllExportJobs`. The core's
//! `Listing` decides which pages to fetch and what each one means; this starts a call for each
//! page it asks for and hands the outcomes back in page order.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::{Array, Function, Promise, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local};

use atlas_export_jobs_core::error::{Failure, NetworkProblem};
use atlas_export_jobs_core::listing::{Delivery, Listing, ListingAction};

use crate::driver::{now, run_call, seed, Caller, Finished, Shared};
use crate::js_error::{object_of, with_info, Rejection};

#[wasm_bindgen(module = "/src/js/paging.js")]
extern "C" {
    #[wasm_bindgen(js_name = exportJobIterable)]
    fn export_job_iterable(walk: PageWalk) -> JsValue;
}

#[wasm_bindgen(module = "/src/js/callbacks.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = callQuietly)]
    fn call_quietly(function: &Function, argument: &JsValue) -> Result<(), JsValue>;
}

struct WalkState {
    listing: Listing,
    /// Page calls under way, in page order.
    pending: VecDeque<(u64, oneshot::Receiver<Finished>)>,
}

/// One walk through a listing, driven by `nextPage()`.
// Declared by hand where public (index.d.ts); wasm-bindgen's declaration needs lib esnext.
#[wasm_bindgen(skip_typescript)]
pub struct PageWalk {
    state: Rc<RefCell<WalkState>>,
    shared: Rc<Shared>,
    caller: Rc<Caller>,
}

impl PageWalk {
    pub fn new(listing: Listing, shared: Rc<Shared>, caller: Rc<Caller>) -> Self {
        PageWalk {
            state: Rc::new(RefCell::new(WalkState {
                listing,
                pending: VecDeque::new(),
            })),
            shared,
            caller,
        }
    }

    /// The async iterable of jobs (with `.pages()`) over this listing.
    pub fn into_iterable(self) -> JsValue {
        export_job_iterable(self)
    }

    /// Runs `step` on the walk's state; steps never await, so it is always free.
    fn with<T>(&self, step: impl FnOnce(&mut WalkState) -> T) -> Result<T, Rejection> {
        let mut state = self.state.try_borrow_mut().map_err(|_| {
            Rejection::new(Failure::Network(NetworkProblem::Failed), None)
        })?;
        Ok(step(&mut state))
    }

    /// The next page with only jobs not listed before, or `None` at the end.
    pub async fn next(&self) -> Result<Option<Delivery>, Rejection> {
        loop {
            match self.with(|state| state.listing.poll())? {
                ListingAction::End => return Ok(None),
                ListingAction::Fail(failure) => return Err(Rejection::new(failure, None)),
                ListingAction::Fetch(page) => self.start(page)?,
                ListingAction::Await(page) => {
                    let receiver = self.with(|state| {
                        while let Some((first, receiver)) = state.pending.pop_front() {
                            if first == page {
                                return Some(receiver);
                            }
                        }
                        None
                    })?;
                    let finished = match receiver {
                        Some(receiver) => receiver.await.ok(),
                        None => None,
                    };
                    // Only a walk torn down while its call ran loses the outcome.
                    let Some(Finished { outcome, cause }) = finished else {
                        return Err(Rejection::new(Failure::Network(NetworkProblem::Failed), None));
                    };
                    return match self.with(|state| state.listing.arrived(outcome))? {
                        Ok(delivery) => Ok(Some(delivery)),
                        Err(stopped) => Err(Rejection {
                            failure: stopped.result.err().unwrap_or(Failure::Aborted),
                            cause,
                            info: Some(stopped.info),
                        }),
                    };
                }
            }
        }
    }

    /// Starts the call for `page`; its outcome waits in `pending`.
    fn start(&self, page: u64) -> Result<(), Rejection> {
        let call = self
            .with(|state| {
                self.shared
                    .credentials
                    .try_borrow_mut()
                    .ok()
                    .map(|mut credentials| state.listing.call_for(page, &mut credentials, now(), seed()))
            })?
            .ok_or_else(|| Rejection::new(Failure::Network(NetworkProblem::Failed), None))?
            .map_err(|error| Rejection::new(error.into(), None))?;
        let (sender, receiver) = oneshot::channel();
        let (shared, caller) = (Rc::clone(&self.shared), Rc::clone(&self.caller));
        spawn_local(async move {
            // The receiver is gone when the walk ended first; the page is then not needed.
            let _ = sender.send(run_call(call, &shared, &caller).await);
        });
        self.with(|state| state.pending.push_back((page, receiver)))
    }
}

/// A delivered page as the caller gets it: a plain object of the API's shape, with its info.
pub fn page_of(delivery: &Delivery) -> Result<JsValue, JsValue> {
    let page = JSON::parse(&delivery.json())?;
    Ok(with_info(page, &delivery.info))
}

#[wasm_bindgen]
impl PageWalk {
    /// A new walk over the same listing, from its first page.
    pub fn restart(&self) -> Result<PageWalk, JsValue> {
        let listing = self.with(|state| state.listing.restart())?;
        Ok(PageWalk::new(listing, Rc::clone(&self.shared), Rc::clone(&self.caller)))
    }

    /// The next page (a JS object with its `responseInfo`), or `undefined` at the end.
    #[wasm_bindgen(js_name = nextPage)]
    pub fn next_page(&self) -> Promise {
        let walk = PageWalk {
            state: Rc::clone(&self.state),
            shared: Rc::clone(&self.shared),
            caller: Rc::clone(&self.caller),
        };
        future_to_promise(async move {
            match walk.next().await? {
                Some(delivery) => page_of(&delivery),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }
}

/// Every job of the listing in one array, telling `on_progress` after each page.
pub async fn list_all(walk: PageWalk, on_progress: Option<Function>) -> Result<JsValue, JsValue> {
    let jobs = Array::new();
    while let Some(delivery) = walk.next().await? {
        let page = page_of(&delivery)?;
        if let Ok(results) = Reflect::get(&page, &"results".into()) {
            for job in Array::from(&results).iter() {
                jobs.push(&job);
            }
        }
        if let Some(on_progress) = &on_progress {
            let _ = call_quietly(on_progress, &object_of(&delivery.progress));
        }
    }
    Ok(jobs.into())
}
