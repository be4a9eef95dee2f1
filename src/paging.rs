//! Walking a listing page by page: which page to ask for next, when the listing has ended, and when
//! the server is misbehaving. The next request is always built from the caller's base URL and the
//! next `pageNum`, never from a `next` link, so credentials never follow a host named in a body.

use std::collections::HashSet;

use serde::Serialize;

use crate::error::ValidationError;
use crate::input::{InputRecord, MAX_SAFE_INTEGER};
use crate::model::{ExportJob, ExportJobsPage};
use crate::options::{ClientCallOptions, ListExportJobsOptions};

/// Atlas's default page size, used when the caller sets none.
pub const DEFAULT_ITEMS_PER_PAGE: u64 = 100;

/// Why a listing was stopped by the client rather than ended by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify),
    tsify(rename = "PagingErrorFields")
)]
#[serde(rename_all = "camelCase")]
pub struct PagingFailure {
    /// What happened: `"maxPages"` or `"maxItems"` (a guard of the caller's was reached),
    /// `"samePage"` (the server sent the same page again), `"noNewJobs"` (a full page of jobs
    /// already listed) or `"tooManyPages"` (more pages than the server's own count allows).
    pub reason: &'static str,
    /// Pages received so far.
    pub pages_fetched: u64,
    /// Jobs handed to the caller so far.
    pub items_yielded: u64,
    #[serde(skip)]
    pub message: String,
}

/// The options `iterateExportJobs` and `listAllExportJobs` add to `listExportJobs`'s.
pub const PAGING_KEYS: [&str; 4] = ["maxPages", "maxItems", "concurrency", "onProgress"];

/// Pages in flight at once when the count is known. A listing of 10,000 jobs at 500 a page is 20
/// requests, far inside the 1200 a project may make (refilled 500 a minute), so a few at once cost
/// the rate limit nothing while hiding most of the latency; more would only load the server.
pub const DEFAULT_CONCURRENCY: u32 = 4;

/// The options a listing adds to a call's (declares the TypeScript interface).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ListingOptions {
    /// Fail with `kind: "paging"` rather than fetch more than this many pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_pages: Option<u64>,
    /// Fail with `kind: "paging"` rather than list more than this many jobs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    /// Pages fetched at once once the count is known (default 4; 1 for one at a time). Jobs still
    /// come in the server's order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// `listAllExportJobs` only: called after each page with the progress so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        target_arch = "wasm32",
        tsify(type = "(progress: ListingProgress) => void")
    )]
    pub on_progress: Option<()>,
}

/// The options of the free `iterateExportJobs` and `listAllExportJobs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct IterateExportJobsOptions {
    #[serde(flatten)]
    pub call: ListExportJobsOptions,
    #[serde(flatten)]
    pub listing: ListingOptions,
}

/// The options of an `AtlasClient`'s `iterateExportJobs` and `listAllExportJobs`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ClientListingOptions {
    #[serde(flatten)]
    pub call: ClientCallOptions,
    #[serde(flatten)]
    pub listing: ListingOptions,
}

/// What `onProgress` is told after each page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ListingProgress {
    /// Pages received so far.
    pub pages_done: u64,
    /// Jobs listed so far.
    pub items_so_far: u64,
    /// The server's count of all jobs, when it sends one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<u64>,
}

/// Paging options that passed every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PagingOptions {
    pub limits: PagingLimits,
    pub concurrency: u32,
    pub has_on_progress: bool,
}

impl PagingOptions {
    pub fn from_input(input: &InputRecord) -> Result<Self, ValidationError> {
        Ok(PagingOptions {
            limits: PagingLimits {
                max_pages: input.integer("maxPages", 1.0, MAX_SAFE_INTEGER)?,
                max_items: input.integer("maxItems", 1.0, MAX_SAFE_INTEGER)?,
            },
            concurrency: input
                .integer("concurrency", 1.0, 16.0)?
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(DEFAULT_CONCURRENCY),
            has_on_progress: input.has_function("onProgress")?,
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
    seen_ids: HashSet<String>,
    last_ids: Vec<String>,
    finished: bool,
}

impl Pager {
    pub fn new(first_page: Option<u64>, items_per_page: Option<u64>, limits: PagingLimits) -> Self {
        Pager {
            items_per_page: items_per_page.unwrap_or(DEFAULT_ITEMS_PER_PAGE),
            next_page: first_page.unwrap_or(1),
            limits,
            pages_fetched: 0,
            items_yielded: 0,
            total: None,
            seen_ids: HashSet::new(),
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
            Some(max_pages) if self.pages_fetched >= max_pages && !self.finished => Err(self
                .failure(
                    "maxPages",
                    format!("the listing needs more than maxPages ({max_pages}) pages"),
                )),
            _ => Ok(()),
        }
    }

    /// How many pages may be requested at once from `next_page()` on: those the server's count
    /// says exist, within `maxPages`; one while the count is unknown.
    pub fn pages_to_request(&self, concurrency: u32) -> u64 {
        let Some(total) = self.total.filter(|_| self.pages_fetched > 0) else {
            return 1;
        };
        let announced = total
            .div_ceil(self.items_per_page.max(1))
            .saturating_sub(self.next_page.saturating_sub(1));
        let allowed = self
            .limits
            .max_pages
            .map_or(u64::MAX, |max| max.saturating_sub(self.pages_fetched));
        u64::from(concurrency).min(announced).min(allowed).max(1)
    }

    pub fn pages_fetched(&self) -> u64 {
        self.pages_fetched
    }

    pub fn items_yielded(&self) -> u64 {
        self.items_yielded
    }

    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Takes the page the server sent for `next_page()` and returns it with the jobs already
    /// listed removed (jobs shift between pages when new ones appear), or says why to stop.
    pub fn accept(&mut self, mut page: ExportJobsPage) -> Result<ExportJobsPage, PagingFailure> {
        self.pages_fetched += 1;
        let received = page.results.len() as u64;
        if let Some(total) = page.total_count {
            self.total = u64::try_from(total).ok();
        }
        let ids: Vec<String> = page
            .results
            .iter()
            .filter_map(|job| job.id.clone())
            .collect();
        if !ids.is_empty() && ids == self.last_ids {
            return Err(self.failure(
                "samePage",
                format!(
                    "the server sent page {} with the same jobs as the page before",
                    self.next_page
                ),
            ));
        }
        page.results.retain(|job| self.is_new(job));
        if page.results.is_empty() && received >= self.items_per_page && !ids.is_empty() {
            return Err(self.failure(
                "noNewJobs",
                format!(
                    "page {} holds only jobs already listed, so the listing would not end",
                    self.next_page
                ),
            ));
        }
        if let Some(max_items) = self.limits.max_items {
            let room = max_items.saturating_sub(self.items_yielded);
            if page.results.len() as u64 > room {
                return Err(self.failure(
                    "maxItems",
                    format!("the listing holds more than maxItems ({max_items}) jobs"),
                ));
            }
        }
        self.items_yielded += page.results.len() as u64;
        self.last_ids = ids;
        let links = page.links.as_deref().unwrap_or_default();
        let has_next = links.iter().any(|link| link.rel.as_deref() == Some("next"));
        let counted_out = self
            .total
            .map(|total| self.next_page.saturating_mul(self.items_per_page) >= total);
        // Atlas links every page to the next; without links, a full page under the count goes on.
        let more = if links.is_empty() {
            received == self.items_per_page && counted_out != Some(true)
        } else {
            has_next
        };
        // The count and the link come from the same response, so they must agree.
        if more && counted_out == Some(true) && !links.is_empty() {
            let total = self.total.unwrap_or_default();
            return Err(self.failure(
                "tooManyPages",
                format!(
                    "the server counts {total} jobs but links page {} past them",
                    self.next_page + 1
                ),
            ));
        }
        self.finished = received == 0 || !more;
        self.next_page += 1;
        Ok(page)
    }

    fn is_new(&mut self, job: &ExportJob) -> bool {
        // A job without an id cannot be recognised again, so it is always new.
        job.id
            .as_ref()
            .is_none_or(|id| self.seen_ids.insert(id.clone()))
    }

    fn failure(&mut self, reason: &'static str, message: String) -> PagingFailure {
        self.finished = true;
        PagingFailure {
            reason,
            pages_fetched: self.pages_fetched,
            items_yielded: self.items_yielded,
            message,
        }
    }
}
