//! A whole listing (`iterateExportJobs`, `listAllExportJobs`) as a state machine on top of the call
//! machine: which page to fetch next, how many to fetch ahead once the count is known, and what
//! each page that arrives means ([`Pager`] has the rules). The shell runs one [`Call`] per page it
//! is told to fetch and hands the outcomes back in page order.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::auth::credentials::Credentials;
use crate::error::{Failure, ValidationError};
use crate::machines::call::{Call, CallPlan, Outcome};
use crate::machines::paging::{ListingProgress, Pager, PagingOptions};
use crate::rules::options::CallOptions;
use crate::rules::params::ListExportJobsParams;
use crate::support::clock::Now;
use crate::wire::decode::{Page, Reading};
use crate::wire::response_info::ResponseInfo;

/// Which public function a walk serves; the package's JavaScript names it to the shell by
/// [`Mode::code`] (the generated `facts.js` has the codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `listExportJobs`: one page.
    Page,
    /// `iterateExportJobs`.
    Iterate,
    /// `listAllExportJobs`, which also tells `onProgress`.
    All,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::Page, Mode::Iterate, Mode::All];

    pub fn code(self) -> u8 {
        match self {
            Mode::Page => 0,
            Mode::Iterate => 1,
            Mode::All => 2,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mode::Page => "page",
            Mode::Iterate => "iterate",
            Mode::All => "all",
        }
    }

    /// The mode of `code`; `None` for a code no mode has.
    pub fn of(code: u8) -> Option<Mode> {
        match code {
            0 => Some(Mode::Page),
            1 => Some(Mode::Iterate),
            2 => Some(Mode::All),
            _ => None,
        }
    }
}

/// What a walk's `poll()` answers when the listing has ended. Otherwise it answers a page to
/// fetch (pages count from 1), or minus the page whose call to await next.
pub const POLL_END: f64 = 0.0;

/// What the shell should do next for a listing.
#[derive(Debug, PartialEq)]
pub enum ListingAction {
    /// Start fetching this page (make its call with [`Listing::call_for`]).
    Fetch(u64),
    /// Wait for this page's outcome, then give it to [`Listing::arrived`].
    Await(u64),
    /// The listing has ended.
    End,
    /// The listing failed before asking for another page.
    Fail(Failure),
}

/// Why a listing stopped at the page that arrived, with what its last response said.
#[derive(Debug, PartialEq)]
pub struct Stopped {
    pub failure: Failure,
    pub info: ResponseInfo,
}

/// A page as the caller gets it: its jobs not listed before.
#[derive(Debug)]
pub struct Delivery {
    pub page: Page,
    /// Which of the page's jobs to leave out, having been listed before.
    pub drop: Vec<bool>,
    pub info: ResponseInfo,
    pub progress: ListingProgress,
}

impl Delivery {
    /// The page's JSON, as the caller gets it.
    pub fn json(&self) -> alloc::borrow::Cow<'_, str> {
        self.page.json(&self.drop)
    }
}

#[derive(Debug)]
pub struct Listing {
    /// One page only (`listExportJobs`): no paging rules, and the end once it has arrived.
    single: bool,
    params: ListExportJobsParams,
    options: CallOptions,
    paging: PagingOptions,
    pager: Pager,
    /// Pages asked for and not yet arrived, in order from the next one.
    requested: VecDeque<u64>,
    /// What its pages are read for.
    read: Reading,
}

impl Listing {
    pub fn new(params: ListExportJobsParams, options: CallOptions, paging: PagingOptions) -> Self {
        Listing {
            single: false,
            pager: Pager::new(params.page_num, params.items_per_page, paging.limits),
            params,
            options,
            paging,
            requested: VecDeque::new(),
            read: Reading::Listing,
        }
    }

    /// The one page `params` name, as a listing of one page: the same actions, no paging rules.
    pub fn single(params: ListExportJobsParams, options: CallOptions) -> Self {
        Listing {
            single: true,
            ..Listing::new(params, options, PagingOptions::default())
        }
    }

    /// The same listing from its first page again.
    pub fn restart(&self) -> Self {
        Listing {
            single: self.single,
            read: self.read,
            ..Listing::new(self.params.clone(), self.options.clone(), self.paging)
        }
    }

    pub fn options(&self) -> &CallOptions {
        &self.options
    }

    pub fn paging(&self) -> &PagingOptions {
        &self.paging
    }

    /// What to do next: fetch ahead as far as allowed, else wait for the next page.
    pub fn poll(&mut self) -> ListingAction {
        let Some(next) = self.pager.next_page() else {
            return ListingAction::End;
        };
        if let Err(failure) = self.pager.check_page_limit() {
            return ListingAction::Fail(Failure::Paging(failure));
        }
        if self.requested.front().is_some_and(|first| *first != next) {
            // Not the pages that follow (cannot happen while pages arrive in order): start over.
            self.requested.clear();
        }
        let window = self.pager.pages_to_request(self.paging.concurrency);
        if (self.requested.len() as u64) < window {
            let page = next.saturating_add(self.requested.len() as u64);
            self.requested.push_back(page);
            return ListingAction::Fetch(page);
        }
        ListingAction::Await(next)
    }

    /// The plan of the call that fetches `page`.
    pub fn plan_for(&self, page: u64) -> Result<CallPlan, ValidationError> {
        // A single page is asked for exactly as the caller set it: an unset `pageNum` is not sent.
        let params = ListExportJobsParams {
            page_num: if self.single {
                self.params.page_num
            } else {
                Some(page)
            },
            ..self.params.clone()
        };
        let mut plan = CallPlan::new(&params, &self.options)?;
        plan.read = self.read;
        Ok(plan)
    }

    /// This listing as a watch's round: each page also tells each job's progress.
    #[cfg(feature = "watch")]
    pub fn for_watch(self) -> Self {
        Listing {
            read: Reading::Watch,
            ..self
        }
    }

    /// The call that fetches `page`.
    pub fn call_for(
        &self,
        page: u64,
        credentials: &mut Credentials,
        now: Now,
        seed: u64,
    ) -> Result<Call, ValidationError> {
        Ok(Call::new(self.plan_for(page)?, credentials, now, seed))
    }

    /// The outcome of the next page's call: the page to deliver, or why the listing stops.
    // The error is as large as the page it replaces, and comes once per listing.
    #[allow(clippy::result_large_err)]
    pub fn arrived(&mut self, outcome: Outcome) -> Result<Delivery, Stopped> {
        self.requested.pop_front();
        let Outcome { result, info } = outcome;
        let page = match result {
            Ok(page) => page,
            Err(failure) => {
                self.requested.clear();
                self.pager.stop();
                return Err(Stopped { failure, info });
            }
        };
        if self.single {
            self.pager.stop();
            return Ok(Delivery {
                page,
                drop: Vec::new(),
                info,
                progress: self.pager.progress(),
            });
        }
        match self.pager.accept(&page) {
            Ok(drop) => Ok(Delivery {
                page,
                drop,
                info,
                progress: self.pager.progress(),
            }),
            Err(failure) => {
                self.requested.clear();
                Err(Stopped {
                    failure: Failure::Paging(failure),
                    info,
                })
            }
        }
    }
}
