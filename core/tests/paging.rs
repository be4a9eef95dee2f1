//! The paging rules: where a listing ends, which jobs are new, and when the server misbehaves.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code

use atlas_export_jobs::model::{ExportJob, ExportJobsPage, Link};
use atlas_export_jobs::paging::{Pager, PagingLimits};

fn job(id: usize) -> ExportJob {
    serde_json::from_value(serde_json::json!({ "exportBucketId": "b", "id": format!("{id:024x}") }))
        .unwrap()
}

/// What a well-behaved server sends for `page_num` of `total` jobs.
fn server_page(
    total: usize,
    per_page: usize,
    page_num: usize,
    include_count: bool,
) -> ExportJobsPage {
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

/// Walks a listing; returns the ids yielded and the number of requests.
fn walk(total: usize, per_page: usize, include_count: bool) -> (Vec<String>, usize) {
    let mut pager = Pager::new(None, Some(per_page as u64), PagingLimits::default());
    let (mut ids, mut requests) = (Vec::new(), 0);
    while let Some(page_num) = pager.next_page() {
        requests += 1;
        let page = pager
            .accept(server_page(
                total,
                per_page,
                page_num as usize,
                include_count,
            ))
            .unwrap();
        ids.extend(page.results.into_iter().map(|j| j.id.unwrap()));
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
                let expected: Vec<String> = (0..total).map(|i| format!("{i:024x}")).collect();
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
    pager.accept(server_page(100, 10, 3, true)).unwrap();
    assert_eq!(pager.next_page(), Some(4));
}

#[test]
fn without_links_a_short_page_or_the_count_ends_the_listing() {
    let mut pager = Pager::new(None, Some(10), PagingLimits::default());
    let mut page = server_page(25, 10, 1, false);
    page.links = None;
    pager.accept(page).unwrap();
    assert_eq!(pager.next_page(), Some(2));
    let mut last = server_page(25, 10, 3, false);
    last.links = None;
    pager.accept(server_page(25, 10, 2, false)).unwrap();
    pager.accept(last).unwrap();
    assert_eq!(pager.next_page(), None);
}

#[test]
fn drops_jobs_already_listed_when_new_ones_push_them_to_the_next_page() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    let first = pager.accept(server_page(9, 3, 1, true)).unwrap();
    assert_eq!(first.results.len(), 3);
    // Two jobs appeared in front: page 2 now starts with the last two of the old page 1.
    let mut shifted = server_page(11, 3, 2, true);
    shifted.results = vec![job(1), job(2), job(3)];
    let second = pager.accept(shifted).unwrap();
    assert_eq!(
        second
            .results
            .iter()
            .map(|j| j.id.clone().unwrap())
            .collect::<Vec<_>>(),
        vec![format!("{:024x}", 3)]
    );
}

#[test]
fn stops_with_an_error_on_the_same_page_twice() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    pager.accept(server_page(9, 3, 1, true)).unwrap();
    let error = pager.accept(server_page(9, 3, 1, true)).unwrap_err();
    assert_eq!(error.reason, "samePage");
    assert_eq!(pager.next_page(), None);
}

#[test]
fn stops_with_an_error_on_a_full_page_of_known_jobs() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    pager.accept(server_page(9, 3, 1, false)).unwrap();
    pager.accept(server_page(9, 3, 2, false)).unwrap();
    let error = pager.accept(server_page(9, 3, 1, false)).unwrap_err();
    assert_eq!(error.reason, "noNewJobs");
    assert_eq!((error.pages_fetched, error.items_yielded), (3, 6));
}

#[test]
fn stops_with_an_error_when_links_go_past_the_count() {
    let mut pager = Pager::new(None, Some(3), PagingLimits::default());
    let mut page = server_page(9, 3, 1, true);
    page.total_count = Some(3);
    let error = pager.accept(page).unwrap_err();
    assert_eq!(error.reason, "tooManyPages");
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
    pager.accept(server_page(50, 10, 1, true)).unwrap();
    assert_eq!(
        pager.pages_to_request(4),
        1,
        "no further than maxPages allows"
    );
    pager.check_page_limit().unwrap();
    pager.accept(server_page(50, 10, 2, true)).unwrap();
    assert_eq!(pager.check_page_limit().unwrap_err().reason, "maxPages");

    let mut pager = Pager::new(
        None,
        Some(10),
        PagingLimits {
            max_pages: None,
            max_items: Some(15),
        },
    );
    pager.accept(server_page(50, 10, 1, true)).unwrap();
    let error = pager.accept(server_page(50, 10, 2, true)).unwrap_err();
    assert_eq!((error.reason, error.items_yielded), ("maxItems", 10));

    // A listing that fits is no error.
    let mut pager = Pager::new(
        None,
        Some(10),
        PagingLimits {
            max_pages: Some(2),
            max_items: Some(20),
        },
    );
    pager.accept(server_page(20, 10, 1, true)).unwrap();
    pager.accept(server_page(20, 10, 2, true)).unwrap();
    assert_eq!(pager.next_page(), None);
}

#[test]
fn requests_ahead_only_what_the_count_announces() {
    let mut pager = Pager::new(None, Some(500), PagingLimits::default());
    assert_eq!(
        pager.pages_to_request(4),
        1,
        "nothing is known before the first page"
    );
    pager.accept(server_page(10_000, 500, 1, true)).unwrap();
    assert_eq!(pager.pages_to_request(4), 4);
    let mut pager = Pager::new(Some(19), Some(500), PagingLimits::default());
    pager.accept(server_page(10_000, 500, 19, true)).unwrap();
    assert_eq!(pager.pages_to_request(4), 1, "one page left");
    let mut uncounted = Pager::new(None, Some(500), PagingLimits::default());
    uncounted
        .accept(server_page(10_000, 500, 1, false))
        .unwrap();
    assert_eq!(
        uncounted.pages_to_request(4),
        1,
        "without a count, one at a time"
    );
}
