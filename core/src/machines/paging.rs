//! Walking a listing page by page: which page to ask for next, when the listing has ended, which
//! jobs are new, and when the server is misbehaving. The next request is always built from the
//! caller's base URL and the next `pageNum`, never from a `next` link, so credentials never follow
//! a host named in a body.

use alloc::vec::Vec;

use crate::error::facts::{Describe, Facts};
use crate::error::KeySet;
use crate::error::{PagingFailure, PagingReason, ValidationError};
use crate::rules::input::{names, InputRecord, Key, Rule};
use crate::support::key_map::KeyMap;
use crate::support::limits::MAX_SAFE_INTEGER;
use crate::wire::decode::{JobKey, Page};

/// Atlas's default page size, used when the caller sets none.
pub const DEFAULT_ITEMS_PER_PAGE: u64 = 100;

/// The options `iterateExportJobs` and `listAllExportJobs` add to `listExportJobs`'s, and what
/// each may hold.
pub static PAGING: [Key; 4] = [
    Key::new(
        "maxPages",
        Rule::Integer {
            min: 1.0,
            max: MAX_SAFE_INTEGER,
        },
    ),
    Key::new(
        "maxItems",
        Rule::Integer {
            min: 1.0,
            max: MAX_SAFE_INTEGER,
        },
    ),
    Key::new(
        "concurrency",
        Rule::Integer {
            min: 1.0,
            max: 16.0,
        },
    ),
    Key::new("onProgress", Rule::Function),
];

pub const PAGING_KEYS: [&str; 4] = names(&PAGING);

/// Pages in flight at once when the count is known. A listing of 10,000 jobs at 500 a page is 20
/// requests, far inside the 1200 a project may make (refilled 500 a minute), so a few at once cost
/// the rate limit nothing while hiding most of the latency; more would only load the server.
pub const DEFAULT_CONCURRENCY: u32 = 4;

/// What `onProgress` is told after each page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingProgress {
    /// Pages received so far.
    pub pages_done: u64,
    /// Jobs listed so far.
    pub items_so_far: u64,
    /// The server's count of all jobs, when it sends one.
    pub total: Option<u64>,
}

impl Describe for ListingProgress {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.number("pagesDone", self.pages_done as f64);
        facts.number("itemsSoFar", self.items_so_far as f64);
        if let Some(total) = self.total {
            facts.number("total", total as f64);
        }
    }
}

/// Paging options that passed every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagingOptions {
    pub limits: PagingLimits,
    pub concurrency: u32,
    pub has_on_progress: bool,
}

impl Default for PagingOptions {
    fn default() -> Self {
        PagingOptions {
            limits: PagingLimits::default(),
            concurrency: DEFAULT_CONCURRENCY,
            has_on_progress: false,
        }
    }
}

impl PagingOptions {
    pub fn from_input(input: &InputRecord) -> Result<Self, ValidationError> {
        input.check(&PAGING, KeySet::Option)?;
        Ok(PagingOptions {
            limits: PagingLimits {
                max_pages: input.whole("maxPages"),
                max_items: input.whole("maxItems"),
            },
            concurrency: input.whole_or("concurrency", DEFAULT_CONCURRENCY),
            has_on_progress: input.has("onProgress"),
        })
    }
}

/// The caller's guards.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PagingLimits {
    pub max_pages: Option<u64>,
    pub max_items: Option<u64>,
}

/// The state of one walk through a listing.
#[derive(Debug, Clone)]
pub struct Pager {
    items_per_page: u64,
    next_page: u64,
    limits: PagingLimits,
    pages_fetched: u64,
    items_yielded: u64,
    total: Option<u64>,
    /// The keys of the jobs listed so far.
    seen: KeyMap,
    last_ids: Vec<JobKey>,
    finished: bool,
}

impl Pager {
    pub fn new(first_page: Option<u64>, items_per_page: Option<u64>, limits: PagingLimits) -> Self {
        Pager {
            items_per_page: items_per_page.unwrap_or(DEFAULT_ITEMS_PER_PAGE).max(1),
            next_page: first_page.unwrap_or(1),
            limits,
            pages_fetched: 0,
            items_yielded: 0,
            total: None,
            seen: KeyMap::default(),
            last_ids: Vec::new(),
            finished: false,
        }
    }

    /// The `pageNum` to ask for next, or `None` when the listing has ended.
    pub fn next_page(&self) -> Option<u64> {
        (!self.finished).then_some(self.next_page)
    }

    /// Before asking for `next_page()`: fails when `maxPages` pages have been received already.
    pub fn check_page_limit(&mut self) -> Result<(), PagingFailure> {
        match self.limits.max_pages {
            Some(max_pages) if self.pages_fetched >= max_pages && !self.finished => {
                Err(self.failure(PagingReason::MaxPages, Some(max_pages)))
            }
            _ => Ok(()),
        }
    }

    pub fn limits(&self) -> PagingLimits {
        self.limits
    }

    /// How many pages may be requested at once from `next_page()` on: those the server's count
    /// says exist, within `maxPages`; one while the count is unknown.
    pub fn pages_to_request(&self, concurrency: u32) -> u64 {
        let Some(total) = self.total.filter(|_| self.pages_fetched > 0) else {
            return 1;
        };
        let announced = total
            .div_ceil(self.items_per_page)
            .saturating_sub(self.next_page.saturating_sub(1));
        let allowed = self
            .limits
            .max_pages
            .map_or(u64::MAX, |max| max.saturating_sub(self.pages_fetched));
        u64::from(concurrency).min(announced).min(allowed).max(1)
    }

    /// Ends the walk: a page failed.
    pub fn stop(&mut self) {
        self.finished = true;
    }

    pub fn progress(&self) -> ListingProgress {
        ListingProgress {
            pages_done: self.pages_fetched,
            items_so_far: self.items_yielded,
            total: self.total,
        }
    }

    /// Takes the page the server sent for `next_page()` and says which of its jobs to drop,
    /// having been listed before (jobs shift between pages when new ones appear), or why to stop.
    pub fn accept(&mut self, page: &Page) -> Result<Vec<bool>, PagingFailure> {
        self.pages_fetched = self.pages_fetched.saturating_add(1);
        let received = page.jobs.len() as u64;
        if let Some(total) = page.total_count {
            self.total = u64::try_from(total).ok();
        }
        let ids: Vec<JobKey> = page.jobs.iter().filter_map(|job| job.key).collect();
        if !ids.is_empty() && ids == self.last_ids {
            return Err(self.failure(PagingReason::SamePage, None));
        }
        // A job without an id cannot be recognised again, so it is always new.
        let drop: Vec<bool> = page
            .jobs
            .iter()
            .map(|job| {
                job.key
                    .is_some_and(|key| self.seen.insert(key.0, 0).is_some())
            })
            .collect();
        let new = drop.iter().filter(|dropped| !**dropped).count() as u64;
        if new == 0 && received >= self.items_per_page && !ids.is_empty() {
            return Err(self.failure(PagingReason::NoNewJobs, None));
        }
        if let Some(max_items) = self.limits.max_items {
            if new > max_items.saturating_sub(self.items_yielded) {
                return Err(self.failure(PagingReason::MaxItems, Some(max_items)));
            }
        }
        self.items_yielded = self.items_yielded.saturating_add(new);
        self.last_ids = ids;
        let counted_out = self
            .total
            .map(|total| self.next_page.saturating_mul(self.items_per_page) >= total);
        // Atlas links every page to the next; without links, a full page under the count goes on.
        let more = if page.links_present {
            page.has_next
        } else {
            received == self.items_per_page && counted_out != Some(true)
        };
        // The count and the link come from the same response, so they must agree.
        if more && counted_out == Some(true) && page.links_present {
            let total = self.total;
            self.next_page = self.next_page.saturating_add(1);
            return Err(self.failure(PagingReason::TooManyPages, total));
        }
        self.finished = received == 0 || !more;
        self.next_page = self.next_page.saturating_add(1);
        Ok(drop)
    }

    fn failure(&mut self, reason: PagingReason, limit: Option<u64>) -> PagingFailure {
        self.finished = true;
        PagingFailure {
            reason,
            pages_fetched: self.pages_fetched,
            items_yielded: self.items_yielded,
            page: self.next_page,
            limit,
        }
    }
}
