//! A whole listing as the listing machine runs it: which page to fetch, how far to fetch ahead
//! once the first page gives the count, which jobs of a page are new, and why a listing stops.
//! Each page is fetched by a call the listing makes, driven here with a fake clock.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

mod common;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::error::{Failure, PagingReason};
use atlas_export_jobs_core::machines::call::Outcome;
use atlas_export_jobs_core::machines::listing::{Delivery, Listing, ListingAction, Stopped};
use atlas_export_jobs_core::machines::paging::PagingOptions;
use atlas_export_jobs_core::rules::input::InputValue;
use atlas_export_jobs_core::rules::params::ListExportJobsParams;
use common::*;

use InputValue::Number;

fn listing(per_page: u64, paging: &[(&str, InputValue)]) -> Listing {
    Listing::new(
        params(&[("itemsPerPage", Number(per_page as f64))]),
        options(&[]),
        PagingOptions::from_input(&record(paging)).unwrap(),
    )
}

/// Fetches `page` with the listing's call, answered with `body`.
fn fetch(listing: &Listing, page: u64, credentials: &mut Credentials, body: &str) -> Outcome {
    let mut call = listing.call_for(page, credentials, at(T0), page).unwrap();
    let outgoing = expect_send(&mut call, T0, credentials);
    assert!(
        outgoing.request.url.ends_with(&format!("pageNum={page}")),
        "{}",
        outgoing.request.url
    );
    answer(&mut call, T0, credentials, response(200, body));
    expect_done(&mut call, T0, credentials)
}

/// What a well-behaved server sends for `page` of `total` jobs, `per_page` a page.
fn server_page(total: u64, per_page: u64, page: u64) -> String {
    let start = (page - 1) * per_page;
    let end = total.min(start + per_page);
    page_body(start..end, Some(total), end < total)
}

/// Fetches `page` and hands its outcome to the listing, which delivers it.
fn deliver(
    listing: &mut Listing,
    page: u64,
    credentials: &mut Credentials,
    body: &str,
) -> Delivery {
    let outcome = fetch(listing, page, credentials, body);
    listing
        .arrived(outcome)
        .unwrap_or_else(|stopped| panic!("{stopped:?}"))
}

/// Fetches `page` and hands its outcome to the listing, which stops.
fn paging_failure(
    listing: &mut Listing,
    page: u64,
    credentials: &mut Credentials,
    body: &str,
) -> (PagingReason, Stopped) {
    let outcome = fetch(listing, page, credentials, body);
    match listing.arrived(outcome) {
        Err(stopped) => match &stopped.failure {
            Failure::Paging(failure) => (failure.reason, stopped),
            other => panic!("expected a paging failure, got {other:?}"),
        },
        Ok(delivery) => panic!("expected a paging failure, got {delivery:?}"),
    }
}

fn ids(delivery: &Delivery) -> Vec<String> {
    ids_kept(&delivery.page, &delivery.drop)
}

#[test]
fn fetches_the_first_page_alone_then_ahead_as_far_as_the_count_allows() {
    let mut credentials = bearer();
    let mut listing = listing(2, &[]);
    assert_eq!(listing.poll(), ListingAction::Fetch(1));
    assert_eq!(
        listing.poll(),
        ListingAction::Await(1),
        "the count is not known yet"
    );
    let first = deliver(&mut listing, 1, &mut credentials, &server_page(10, 2, 1));
    assert_eq!(ids(&first), vec![job_id(0), job_id(1)]);
    assert_eq!(
        (
            first.progress.pages_done,
            first.progress.items_so_far,
            first.progress.total
        ),
        (1, 2, Some(10))
    );
    assert_eq!(first.info.attempts, 1);
    // Five pages in all: the four left, within the default concurrency of four.
    for page in 2..=5 {
        assert_eq!(listing.poll(), ListingAction::Fetch(page));
    }
    assert_eq!(listing.poll(), ListingAction::Await(2));
    let mut all = ids(&first);
    for page in 2..=5 {
        let delivery = deliver(
            &mut listing,
            page,
            &mut credentials,
            &server_page(10, 2, page),
        );
        all.extend(ids(&delivery));
        let next = listing.poll();
        if page < 5 {
            assert_eq!(
                next,
                ListingAction::Await(page + 1),
                "nothing more to fetch"
            );
        } else {
            assert_eq!(next, ListingAction::End);
        }
    }
    assert_eq!(all, (0..10).map(job_id).collect::<Vec<_>>());
}

#[test]
fn fetches_one_page_at_a_time_without_a_count_or_with_concurrency_one() {
    let mut credentials = bearer();
    let mut uncounted = listing(2, &[]);
    assert_eq!(uncounted.poll(), ListingAction::Fetch(1));
    let body = page_body(0..2, None, true);
    deliver(&mut uncounted, 1, &mut credentials, &body);
    assert_eq!(uncounted.poll(), ListingAction::Fetch(2));
    assert_eq!(uncounted.poll(), ListingAction::Await(2));

    let mut serial = listing(2, &[("concurrency", Number(1.0))]);
    assert_eq!(serial.poll(), ListingAction::Fetch(1));
    deliver(&mut serial, 1, &mut credentials, &server_page(10, 2, 1));
    assert_eq!(serial.poll(), ListingAction::Fetch(2));
    assert_eq!(serial.poll(), ListingAction::Await(2));
}

#[test]
fn starts_at_the_callers_page_and_again_on_restart() {
    let mut credentials = bearer();
    let mut listing = Listing::new(
        params(&[("pageNum", Number(3.0)), ("itemsPerPage", Number(2.0))]),
        options(&[]),
        PagingOptions::from_input(&record(&[])).unwrap(),
    );
    assert_eq!(listing.poll(), ListingAction::Fetch(3));
    deliver(&mut listing, 3, &mut credentials, &server_page(10, 2, 3));
    assert_eq!(listing.poll(), ListingAction::Fetch(4));
    let mut again = listing.restart();
    assert_eq!(again.poll(), ListingAction::Fetch(3));
}

#[test]
fn never_fetches_past_max_pages() {
    let mut credentials = bearer();
    let mut listing = listing(2, &[("maxPages", Number(3.0))]);
    assert_eq!(listing.poll(), ListingAction::Fetch(1));
    deliver(&mut listing, 1, &mut credentials, &server_page(20, 2, 1));
    assert_eq!(listing.poll(), ListingAction::Fetch(2));
    assert_eq!(listing.poll(), ListingAction::Fetch(3));
    assert_eq!(
        listing.poll(),
        ListingAction::Await(2),
        "page 4 would pass maxPages"
    );
    deliver(&mut listing, 2, &mut credentials, &server_page(20, 2, 2));
    assert_eq!(listing.poll(), ListingAction::Await(3));
    deliver(&mut listing, 3, &mut credentials, &server_page(20, 2, 3));
    let ListingAction::Fail(Failure::Paging(failure)) = listing.poll() else {
        panic!("expected maxPages")
    };
    assert_eq!(
        (failure.reason, failure.limit, failure.pages_fetched),
        (PagingReason::MaxPages, Some(3), 3)
    );
    assert_eq!(listing.poll(), ListingAction::End);
}

#[test]
fn a_listing_that_fits_max_pages_simply_ends() {
    let mut credentials = bearer();
    let mut listing = listing(2, &[("maxPages", Number(2.0))]);
    listing.poll();
    deliver(&mut listing, 1, &mut credentials, &server_page(4, 2, 1));
    assert_eq!(listing.poll(), ListingAction::Fetch(2));
    deliver(&mut listing, 2, &mut credentials, &server_page(4, 2, 2));
    assert_eq!(listing.poll(), ListingAction::End);
}

#[test]
fn drops_the_jobs_a_page_repeats() {
    let mut credentials = bearer();
    let mut listing = listing(2, &[("concurrency", Number(1.0))]);
    listing.poll();
    deliver(
        &mut listing,
        1,
        &mut credentials,
        &page_body([0, 1], Some(5), true),
    );
    listing.poll();
    // A job was added in front: page 2 starts with the last job of page 1.
    let second = deliver(
        &mut listing,
        2,
        &mut credentials,
        &page_body([1, 2], Some(6), true),
    );
    assert_eq!(second.drop, vec![true, false]);
    assert_eq!(ids(&second), vec![job_id(2)]);
    let json: serde_json::Value = serde_json::from_str(&second.json()).unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 1);
    assert_eq!(json["totalCount"], 6);
    assert_eq!(second.progress.items_so_far, 3);
}

#[test]
fn stops_a_misbehaving_server_with_the_reason() {
    // What happened, the caller's maxItems, the two pages the server sent, and the reason.
    let cases = [
        (
            "the same page twice",
            None,
            page_body([0, 1], None, true),
            page_body([0, 1], None, true),
            PagingReason::SamePage,
        ),
        (
            "a full page of listed jobs",
            None,
            page_body([0, 1], None, true),
            page_body([1, 0], None, true),
            PagingReason::NoNewJobs,
        ),
        (
            "a next page past the count",
            None,
            page_body([0, 1], Some(4), true),
            page_body([2, 3], Some(4), true),
            PagingReason::TooManyPages,
        ),
        (
            "more jobs than maxItems",
            Some(3.0),
            page_body([0, 1], Some(6), true),
            page_body([2, 3], Some(6), true),
            PagingReason::MaxItems,
        ),
    ];
    for (what, max_items, first, second, reason) in cases {
        let mut credentials = bearer();
        let paging: Vec<(&str, InputValue)> = max_items
            .map(|n| ("maxItems", Number(n)))
            .into_iter()
            .collect();
        let mut listing = listing(2, &paging);
        assert_eq!(listing.poll(), ListingAction::Fetch(1), "{what}");
        deliver(&mut listing, 1, &mut credentials, &first);
        assert_eq!(listing.poll(), ListingAction::Fetch(2), "{what}");
        let (found, outcome) = paging_failure(&mut listing, 2, &mut credentials, &second);
        assert_eq!(found, reason, "{what}");
        assert_eq!(
            outcome.info.status,
            Some(200),
            "{what}: what the last response said"
        );
        assert_eq!(listing.poll(), ListingAction::End, "{what}");
    }
}

#[test]
fn ends_when_a_page_fails() {
    let mut credentials = bearer();
    let mut listing = listing(2, &[]);
    listing.poll();
    deliver(&mut listing, 1, &mut credentials, &server_page(10, 2, 1));
    assert_eq!(listing.poll(), ListingAction::Fetch(2));
    assert_eq!(listing.poll(), ListingAction::Fetch(3));
    let mut call = listing.call_for(2, &mut credentials, at(T0), 2).unwrap();
    exchange(
        &mut call,
        T0,
        &mut credentials,
        response(404, r#"{"error":404,"errorCode":"CLUSTER_NOT_FOUND"}"#),
    );
    let outcome = expect_done(&mut call, T0, &mut credentials);
    let failed = listing.arrived(outcome).unwrap_err();
    assert_eq!(failed.failure.status(), Some(404));
    assert_eq!(failed.info.status, Some(404));
    assert_eq!(listing.poll(), ListingAction::End, "page 3 is not awaited");
}

#[test]
fn makes_each_pages_call_with_the_listings_parameters_and_options() {
    let mut credentials = bearer();
    let listing = Listing::new(
        params(&[
            ("itemsPerPage", Number(500.0)),
            ("includeCount", InputValue::Bool(true)),
        ]),
        options(&[("timeoutMs", Number(1_234.0))]),
        PagingOptions::from_input(&record(&[])).unwrap(),
    );
    assert_eq!(listing.options().timeout_ms, 1_234);
    let mut call = listing.call_for(7, &mut credentials, at(T0), 1).unwrap();
    let outgoing = expect_send(&mut call, T0, &mut credentials);
    assert_eq!(
        outgoing.request.url,
        format!("{PAGE_URL}?includeCount=true&itemsPerPage=500&pageNum=7")
    );
    assert_eq!(outgoing.timeout_ms, 1_234);
}

/// No caller can ask for these from JavaScript, but the core takes any `u64`.
#[test]
fn never_overflows_at_the_largest_page_number() {
    let mut credentials = bearer();
    let mut listing = Listing::new(
        ListExportJobsParams {
            page_num: Some(u64::MAX),
            items_per_page: Some(u64::MAX),
            ..params(&[])
        },
        options(&[]),
        PagingOptions::from_input(&record(&[("concurrency", Number(16.0))])).unwrap(),
    );
    assert_eq!(listing.poll(), ListingAction::Fetch(u64::MAX));
    let outcome = fetch(
        &listing,
        u64::MAX,
        &mut credentials,
        &page_body([0, 1], Some(2_147_483_647), true),
    );
    let _ = listing.arrived(outcome);
    for _ in 0..20 {
        if listing.poll() == ListingAction::End {
            return;
        }
    }
}

#[test]
fn each_mode_is_read_back_from_its_code() {
    use atlas_export_jobs_core::machines::listing::Mode;
    for mode in Mode::ALL {
        assert_eq!(Mode::of(mode.code()), Some(mode));
    }
    assert_eq!(Mode::of(3), None);
}
