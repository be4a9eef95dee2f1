//! The paging rules: where a listing ends, which jobs are new, and when the server misbehaves.
//! Pages are what the decoder makes of a server's body; the jobs the caller gets are the page's
//! JSON without the ones `accept` drops.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::PagingReason;
use atlas_export_jobs_core::machines::paging::{
    Pager, PagingLimits, PagingOptions, DEFAULT_CONCURRENCY,
};
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::wire::decode::{self, Page};
use atlas_export_jobs_core::wire::model::{ExportJob, ExportJobsPage, Link};
use common::{ids_kept, job_id, record, s};

fn job(id: u64) -> ExportJob {
    serde_json::from_value(serde_json::json!({ "exportBucketId": "b", "id": job_id(id) })).unwrap()
}

/// What a well-behaved server sends for `page_num` of `total` jobs.
fn server_page(total: u64, per_page: u64, page_num: u64, include_count: bool) -> ExportJobsPage {
    let start = (page_num - 1) * per_page;
    let results: Vec<ExportJob> = (start..total.min(start + per_page)).map(job).collect();
    let mut links = vec![Link {
        href: Some("https://elsewhere.example/x".into()),
        rel: Some("self".into()),
    }];
    if start + per_page < total {
        links.push(Link {
            href: Some("https://elsewhere.example/next".into()),
            rel: Some("next".into()),
        });
    }
    ExportJobsPage {
        links: Some(links),
        results,
        total_count: include_count.then_some(total as i32),
    }
}

/// The page as the decoder makes it of the server's body.
fn checked(page: &ExportJobsPage) -> Page {
    decode::check_page(
        serde_json::to_string(page).unwrap(),
        decode::Reading::Listing,
    )
    .unwrap()
}

/// The ids the caller gets of `page`, or why the listing stops.
fn accept(pager: &mut Pager, page: &ExportJobsPage) -> Result<Vec<String>, PagingReason> {
    let page = checked(page);
    pager
        .accept(&page)
        .map(|drop| ids_kept(&page, &drop))
        .map_err(|failure| failure.reason)
}

/// Walks a listing; returns the ids yielded and the number of requests.
fn walk(total: u64, per_page: u64, include_count: bool) -> (Vec<String>, u64) {
    let mut pager = Pager::new(None, Some(per_page), PagingLimits::default());
    let (mut ids, mut requests) = (Vec::new(), 0);
    while let Some(page_num) = pager.next_page() {
        requests += 1;
        let page = server_page(total, per_page, page_num, include_count);
        ids.extend(accept(&mut pager, &page).unwrap());
    }
    (ids, requests)
}

#[test]
fn yields_every_job_once_in_order_with_the_fewest_requests() {
    for total in [0, 1, 499, 500, 501, 10_000] {
        for per_page in [1, 100, 500] {
            if total / per_page > 2_000 {
                continue; // 10,000 one by one is covered by the Node tests
            }
            for include_count in [true, false] {
                let (ids, requests) = walk(total, per_page, include_count);
                let expected: Vec<String> = (0..total).map(job_id).collect();
                assert_eq!(ids, expected, "{total} jobs at {per_page}");
                assert_eq!(
                    requests,
                    total.div_ceil(per_page).max(1),
                    "{total} jobs at {per_page}, count {include_count}"
                );
            }
        }
    }
}

#[test]
fn starts_at_the_callers_page() {
    let mut pager = Pager::new(Some(3), Some(10), PagingLimits::default());
    assert_eq!(pager.next_page(), Some(3));
    accept(&mut pager, &server_page(100, 10, 3, true)).unwrap();
    assert_eq!(pager.next_page(), Some(4));
}

#[test]
fn without_links_a_short_page_or_the_count_ends_the_listing() {
    let mut pager = Pager::new(None, Some(10), PagingLimits::default());
    let mut page = server_page(25, 10, 1, false);
    page.links = None;
    accept(&mut pager, &page).unwrap();
    assert_eq!(pager.next_page(), Some(2));
    let mut last = server_page(25, 10, 3, false);
    last.links = None;
    accept(&mut pager, &server_page(25, 10, 2, false)).unwrap();
    accept(&mut pager, &last).unwrap();
    assert_eq!(pager.next_page(), None);

    // A full page whose count says it is the last.
    let mut pager = Pager::new(None, Some(10), PagingLimits::default());
    let mut counted = server_page(20, 10, 2, true);
    counted.links = None;
    accept(&mut pager, &server_page(20, 10, 1, true)).unwrap();
    accept(&mut pager, &counted).unwrap();
    assert_eq!(pager.next_page(), None);
}

#[test]
fn an_empty_page_ends_the_listing_whatever_its_links_say() {
    let mut pager = Pager::new(None, Some(10), PagingLimits::default());
    let mut empty = server_page(0, 10, 1, false);
    empty.links.as_mut().unwrap().push(Link {
        href: None,
        rel: Some("next".into()),
    });
    assert_eq!(accept(&mut pager, &empty).unwrap(), Vec::<String>::new());
    assert_eq!(pager.next_page(), None);
}

#[test]
fn drops_jobs_already_listed_when_new_ones_push_them_to_the_next_page() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    let first = accept(&mut pager, &server_page(9, 3, 1, true)).unwrap();
    assert_eq!(first.len(), 3);
    // Two jobs appeared in front: page 2 now starts with the last two of the old page 1.
    let mut shifted = server_page(11, 3, 2, true);
    shifted.results = vec![job(1), job(2), job(3)];
    let second = accept(&mut pager, &shifted).unwrap();
    assert_eq!(second, vec![job_id(3)]);
    assert_eq!(pager.progress().items_so_far, 4);
}

#[test]
fn always_yields_a_job_without_an_id() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    let anonymous: ExportJob =
        serde_json::from_value(serde_json::json!({"exportBucketId": "b"})).unwrap();
    let page = |jobs: Vec<ExportJob>| ExportJobsPage {
        links: None,
        results: jobs,
        total_count: None,
    };
    let first = checked(&page(vec![anonymous.clone(), job(1)]));
    assert_eq!(pager.accept(&first).unwrap(), vec![false, false]);
    let second = checked(&page(vec![anonymous, job(1), job(2)]));
    assert_eq!(pager.accept(&second).unwrap(), vec![false, true, false]);
}

#[test]
fn stops_with_an_error_on_the_same_page_twice() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    accept(&mut pager, &server_page(9, 3, 1, true)).unwrap();
    let page = checked(&server_page(9, 3, 1, true));
    let error = pager.accept(&page).unwrap_err();
    assert_eq!(error.reason, PagingReason::SamePage);
    assert_eq!(
        (error.pages_fetched, error.items_yielded, error.page),
        (2, 3, 2)
    );
    assert_eq!(pager.next_page(), None);
    let facts = FactList::of(&error);
    assert_eq!(facts.text("reason"), Some("samePage"));
    assert_eq!(facts.number("pagesFetched"), Some(2.0));
}

#[test]
fn stops_with_an_error_on_a_full_page_of_known_jobs() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    accept(&mut pager, &server_page(9, 3, 1, false)).unwrap();
    accept(&mut pager, &server_page(9, 3, 2, false)).unwrap();
    let page = checked(&server_page(9, 3, 1, false));
    let error = pager.accept(&page).unwrap_err();
    assert_eq!(error.reason, PagingReason::NoNewJobs);
    assert_eq!((error.pages_fetched, error.items_yielded), (3, 6));
}

#[test]
fn stops_with_an_error_when_links_go_past_the_count() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    let mut page = server_page(9, 3, 1, true);
    page.total_count = Some(3);
    let error = pager.accept(&checked(&page)).unwrap_err();
    assert_eq!(error.reason, PagingReason::TooManyPages);
    assert_eq!(error.limit, Some(3), "the server's count");
    assert_eq!(pager.next_page(), None);
}

#[test]
fn enforces_max_pages_and_max_items() {
    let mut pager = Pager::new(
        None,
        Some(10),
        PagingLimits {
            max_pages: Some(2),
            max_items: None,
        },
    );
    pager.check_page_limit().unwrap();
    accept(&mut pager, &server_page(50, 10, 1, true)).unwrap();
    assert_eq!(
        pager.pages_to_request(4),
        1,
        "no further than maxPages allows"
    );
    pager.check_page_limit().unwrap();
    accept(&mut pager, &server_page(50, 10, 2, true)).unwrap();
    let error = pager.check_page_limit().unwrap_err();
    assert_eq!(error.reason, PagingReason::MaxPages);
    assert_eq!(error.limit, Some(2));

    let mut pager = Pager::new(
        None,
        Some(10),
        PagingLimits {
            max_pages: None,
            max_items: Some(15),
        },
    );
    accept(&mut pager, &server_page(50, 10, 1, true)).unwrap();
    let page = checked(&server_page(50, 10, 2, true));
    let error = pager.accept(&page).unwrap_err();
    assert_eq!(
        (error.reason, error.items_yielded, error.limit),
        (PagingReason::MaxItems, 10, Some(15))
    );

    // A listing that fits is no error.
    let mut pager = Pager::new(
        None,
        Some(10),
        PagingLimits {
            max_pages: Some(2),
            max_items: Some(20),
        },
    );
    accept(&mut pager, &server_page(20, 10, 1, true)).unwrap();
    accept(&mut pager, &server_page(20, 10, 2, true)).unwrap();
    assert_eq!(pager.next_page(), None);
    pager.check_page_limit().unwrap();
}

#[test]
fn requests_ahead_only_what_the_count_announces() {
    let mut pager = Pager::new(None, Some(500), PagingLimits::default());
    assert_eq!(
        pager.pages_to_request(4),
        1,
        "nothing is known before the first page"
    );
    accept(&mut pager, &server_page(10_000, 500, 1, true)).unwrap();
    assert_eq!(pager.pages_to_request(4), 4);
    assert_eq!(pager.pages_to_request(16), 16);
    assert_eq!(pager.pages_to_request(32), 19, "only the pages that exist");
    let mut pager = Pager::new(Some(19), Some(500), PagingLimits::default());
    accept(&mut pager, &server_page(10_000, 500, 19, true)).unwrap();
    assert_eq!(pager.pages_to_request(4), 1, "one page left");
    let mut uncounted = Pager::new(None, Some(500), PagingLimits::default());
    accept(&mut uncounted, &server_page(10_000, 500, 1, false)).unwrap();
    assert_eq!(
        uncounted.pages_to_request(4),
        1,
        "without a count, one at a time"
    );
}

#[test]
fn reports_progress_after_each_page() {
    let mut pager = Pager::new(None, Some(10), PagingLimits::default());
    accept(&mut pager, &server_page(25, 10, 1, true)).unwrap();
    let progress = pager.progress();
    assert_eq!(
        (progress.pages_done, progress.items_so_far, progress.total),
        (1, 10, Some(25))
    );
    let facts = FactList::of(&progress);
    assert_eq!(facts.number("pagesDone"), Some(1.0));
    assert_eq!(facts.number("itemsSoFar"), Some(10.0));
    assert_eq!(facts.number("total"), Some(25.0));
}

#[test]
fn reads_the_listing_options() {
    let options = PagingOptions::from_input(&record(&[
        ("maxPages", InputValue::Number(3.0)),
        ("maxItems", InputValue::Number(100.0)),
        ("concurrency", InputValue::Number(2.0)),
        ("onProgress", InputValue::Function),
    ]))
    .unwrap();
    assert_eq!(
        options.limits,
        PagingLimits {
            max_pages: Some(3),
            max_items: Some(100)
        }
    );
    assert_eq!(options.concurrency, 2);
    assert!(options.has_on_progress);
    let defaults = PagingOptions::from_input(&record(&[])).unwrap();
    assert_eq!(defaults.concurrency, DEFAULT_CONCURRENCY);
    assert_eq!(defaults.limits, PagingLimits::default());
    for (key, value) in [
        ("maxPages", InputValue::Number(0.0)),
        ("maxItems", InputValue::Number(1.5)),
        ("concurrency", InputValue::Number(17.0)),
        ("concurrency", InputValue::Number(0.0)),
        ("onProgress", s("log")),
        ("maxPages", InputValue::Unreadable),
    ] {
        let error = PagingOptions::from_input(&record(&[(key, value.clone())])).unwrap_err();
        assert_eq!(error.field, key, "{value:?}");
    }
}

/// Page numbers, page sizes and counts near the top of `u64` (no caller can ask for them from
/// JavaScript, but the core takes any `u64`) saturate instead of overflowing; the tests run with
/// overflow checks on.
#[test]
fn never_overflows_near_the_largest_page_numbers() {
    let limits = [
        PagingLimits::default(),
        PagingLimits {
            max_pages: Some(u64::MAX),
            max_items: Some(u64::MAX),
        },
        PagingLimits {
            max_pages: Some(1),
            max_items: Some(1),
        },
    ];
    let huge = ExportJobsPage {
        links: Some(vec![Link {
            href: None,
            rel: Some("next".into()),
        }]),
        results: vec![job(1), job(2)],
        total_count: Some(i32::MAX),
    };
    let negative = ExportJobsPage {
        total_count: Some(-1),
        ..huge.clone()
    };
    for first_page in [None, Some(u64::MAX - 1), Some(u64::MAX)] {
        for per_page in [None, Some(0), Some(1), Some(u64::MAX - 1), Some(u64::MAX)] {
            for limits in limits {
                let mut pager = Pager::new(first_page, per_page, limits);
                for page in [&huge, &negative, &huge] {
                    let _ = pager.check_page_limit();
                    let _ = pager.pages_to_request(u32::MAX);
                    let _ = pager.accept(&checked(page));
                    let _ = pager.next_page();
                    let _ = pager.progress();
                }
            }
        }
    }
    // At the last page number, a server that keeps saying "next" is stopped within a page.
    let uncounted = ExportJobsPage {
        total_count: None,
        ..huge.clone()
    };
    let mut pager = Pager::new(Some(u64::MAX), Some(2), PagingLimits::default());
    let mut pages = 0;
    while pager.next_page().is_some() && pages < 3 {
        pages += 1;
        let _ = pager.accept(&checked(&uncounted));
    }
    assert_eq!((pager.next_page(), pages), (None, 2));
}

/// The set of listed jobs grows as the listing does; every job stays known, Atlas ids and any
/// other ids alike (the all-zero id too).
#[test]
fn remembers_every_job_listed_however_many() {
    let mut pager = Pager::new(None, Some(500), PagingLimits::default());
    for page_num in 1..=20 {
        let page = server_page(20_000, 500, page_num, true);
        assert_eq!(accept(&mut pager, &page).unwrap().len(), 500);
    }
    // A short page of jobs from all over the listing, one new job among them.
    let mut known: Vec<ExportJob> = (0..10_000).step_by(997).map(job).collect();
    known.push(job(0));
    let mut other: ExportJob =
        serde_json::from_value(serde_json::json!({"exportBucketId": "b", "id": "not-hex"}))
            .unwrap();
    known.push(other.clone());
    let page = ExportJobsPage {
        links: None,
        results: known.clone(),
        total_count: None,
    };
    let drop = pager.accept(&checked(&page)).unwrap();
    let expected: Vec<bool> = (0..known.len()).map(|i| i + 1 < known.len()).collect();
    assert_eq!(drop, expected);
    other.id = Some("not-hex-2".into());
    let again = ExportJobsPage {
        links: None,
        results: vec![job(1), other],
        total_count: None,
    };
    assert_eq!(pager.accept(&checked(&again)).unwrap(), vec![true, false]);
}
