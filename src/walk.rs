//! Walking a listing from JavaScript: `iterateExportJobs` and `listAllExportJobs`. The rules are
//! the core's `Pager`; this fetches the pages it asks for, a few ahead when the count is known.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, spawn_local};

use crate::call::{with_info, PageReceived};
use crate::context::Context;
use crate::error::Failure;
use crate::js_error::AtlasError;
use crate::paging::{ListingProgress, Pager, PagingOptions};
use crate::params::ListExportJobsParams;
use crate::to_js::to_js;
use crate::transport::TransportFailure;

#[wasm_bindgen(module = "/src/js/paging.js")]
extern "C" {
    #[wasm_bindgen(js_name = exportJobIterable)]
    fn export_job_iterable(walk: PageWalk) -> JsValue;
}

type Fetched = oneshot::Receiver<Result<PageReceived, JsValue>>;

/// One checked listing request, from which walks start.
#[derive(Clone)]
pub struct Listing {
    pub params: ListExportJobsParams,
    pub context: Context,
    pub paging: PagingOptions,
}

struct WalkState {
    listing: Listing,
    pager: Pager,
    /// Requests in flight, in page order.
    ahead: VecDeque<(u64, Fetched)>,
}

/// One walk through a listing, driven by `nextPage()`.
// Declared by hand where public (index.d.ts); wasm-bindgen's declaration needs lib esnext.
#[wasm_bindgen(skip_typescript)]
pub struct PageWalk {
    state: Rc<RefCell<WalkState>>,
}

impl PageWalk {
    pub fn new(listing: Listing) -> Self {
        let pager = Pager::new(
            listing.params.page_num,
            listing.params.items_per_page,
            listing.paging.limits,
        );
        PageWalk {
            state: Rc::new(RefCell::new(WalkState {
                listing,
                pager,
                ahead: VecDeque::new(),
            })),
        }
    }

    /// The async iterable of jobs (with `.pages()`) over this listing.
    pub fn into_iterable(self) -> JsValue {
        export_job_iterable(self)
    }

    /// The next page with only jobs not listed before, or `None` at the end.
    pub async fn next(&self) -> Result<Option<PageReceived>, JsValue> {
        let Some(page_num) = self.state.borrow().pager.next_page() else {
            return Ok(None);
        };
        self.state
            .borrow_mut()
            .pager
            .check_page_limit()
            .map_err(|failure| JsValue::from(AtlasError::from(Failure::Paging(failure))))?;
        let fetched = self.fetch_from(page_num);
        let received = match fetched.await {
            Ok(result) => result?,
            // The fetch was dropped without an answer, which only a torn-down walk does.
            Err(oneshot::Canceled) => {
                return Err(AtlasError::from(TransportFailure::Network(
                    js_sys::Error::new("the page request was cancelled").into(),
                ))
                .into())
            }
        };
        let PageReceived {
            page,
            info,
            exact_body,
        } = received;
        let received_jobs = page.results.len();
        let page = self
            .state
            .borrow_mut()
            .pager
            .accept(page)
            .map_err(|failure| {
                with_info(AtlasError::from(Failure::Paging(failure)).into(), &info)
            })?;
        // Jobs listed before were taken out: the body is no longer the page.
        let exact_body = exact_body.filter(|_| page.results.len() == received_jobs);
        Ok(Some(PageReceived {
            page,
            info,
            exact_body,
        }))
    }

    /// The request for `page_num`, after making sure the pages after it are on their way when the
    /// count says they exist.
    fn fetch_from(&self, page_num: u64) -> Fetched {
        let mut state = self.state.borrow_mut();
        if state.ahead.front().is_some_and(|(n, _)| *n != page_num) {
            state.ahead.clear();
        }
        // Until the first page arrives nothing is known, so one request: a loop that stops after
        // the first job has then sent exactly one.
        let window = state
            .pager
            .pages_to_request(state.listing.paging.concurrency);
        let mut next = page_num + state.ahead.len() as u64;
        while (state.ahead.len() as u64) < window {
            let fetched = spawn_fetch(&state.listing, next);
            state.ahead.push_back((next, fetched));
            next += 1;
        }
        state.ahead.pop_front().map_or_else(
            || spawn_fetch(&state.listing, page_num),
            |(_, fetched)| fetched,
        )
    }
}

fn spawn_fetch(listing: &Listing, page_num: u64) -> Fetched {
    let (sender, receiver) = oneshot::channel();
    let listing = listing.clone();
    spawn_local(async move {
        let params = ListExportJobsParams {
            page_num: Some(page_num),
            ..listing.params.clone()
        };
        // The receiver is gone when the walk ended first; the page is then not needed.
        let _ = sender.send(listing.context.list(&params).await);
    });
    receiver
}

#[wasm_bindgen]
impl PageWalk {
    /// A new walk over the same listing, from its first page.
    pub fn restart(&self) -> PageWalk {
        PageWalk::new(self.state.borrow().listing.clone())
    }

    /// The next page (a JS object with its `responseInfo`), or `undefined` at the end.
    #[wasm_bindgen(js_name = nextPage)]
    pub fn next_page(&self) -> Promise {
        let walk = PageWalk {
            state: Rc::clone(&self.state),
        };
        future_to_promise(async move {
            match walk.next().await? {
                Some(received) => received.into_js(),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }
}

/// Every job of the listing, calling `on_progress` after each page.
pub async fn list_all(listing: Listing, on_progress: Option<Function>) -> Result<JsValue, JsValue> {
    let walk = PageWalk::new(listing);
    let jobs = Array::new();
    while let Some(received) = walk.next().await? {
        let page = received.into_js()?;
        if let Ok(results) =
            Reflect::get(&page, &"results".into()).and_then(|r| r.dyn_into::<Array>())
        {
            results.for_each(&mut |job, _, _| {
                jobs.push(&job);
            });
        }
        if let Some(callback) = &on_progress {
            let state = walk.state.borrow();
            let progress = ListingProgress {
                pages_done: state.pager.pages_fetched(),
                items_so_far: state.pager.items_yielded(),
                total: state.pager.total(),
            };
            drop(state);
            if let Ok(progress) = to_js(&progress) {
                // What the callback throws must not end the listing.
                let _ = callback.call1(&JsValue::UNDEFINED, &progress);
            }
        }
    }
    Ok(jobs.into())
}

/// `options.onProgress`, once the core has checked it is a function.
pub fn on_progress(options: &JsValue) -> Option<Function> {
    Reflect::get(options, &"onProgress".into())
        .ok()?
        .dyn_into()
        .ok()
}
