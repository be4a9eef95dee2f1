//! Feeds every entry point that takes outside input (a server's bytes and headers, a caller's
//! values) with mutations of the fixtures, random bytes and deep nesting, and counts panics.
//! Run by `scripts/fuzz.sh`: the `fuzz` profile keeps overflow checks and debug assertions on, and
//! each target runs on a thread with a small stack, so runaway recursion shows up as well.
//!
//! `cargo run --profile fuzz -p atlas-export-jobs-core --example fuzz -- [executions] [target]`
//! A failing input is reported by its seed; turn it into a regression test in core/tests.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // a test driver

use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::time::Instant;

use atlas_export_jobs_core::auth::client::ClientSetup;
use atlas_export_jobs_core::auth::credentials::{location_origin, Credentials};
use atlas_export_jobs_core::auth::{digest, AuthScheme};
use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::{ApiFailure, Failure, NetworkProblem};
use atlas_export_jobs_core::machines::call::{Action, Call, CallPlan, Event, Response, Transport};
use atlas_export_jobs_core::machines::paging::{Pager, PagingLimits, PagingOptions, PAGING_KEYS};
use atlas_export_jobs_core::machines::retry;
use atlas_export_jobs_core::machines::watch::{
    JobId, JobView, Round, Until, WaitLimits, Watch, WatchAction, WatchPolicy,
};
use atlas_export_jobs_core::rules::base_url::{redacted, BaseUrl};
use atlas_export_jobs_core::rules::input::{InputRecord, InputValue};
use atlas_export_jobs_core::rules::options::{CallOptions, OPTION_KEYS, RETRY_KEYS};
use atlas_export_jobs_core::rules::params::{ListExportJobsParams, PARAM_KEYS};
use atlas_export_jobs_core::support::clock::Now;
use atlas_export_jobs_core::support::rng::Rng;
use atlas_export_jobs_core::wire::decode::JobProgress;
use atlas_export_jobs_core::wire::decode::{self, JobKey, Page};
use atlas_export_jobs_core::wire::headers::RetryAfter;
use atlas_export_jobs_core::wire::json;
use atlas_export_jobs_core::wire::model::ExportState;
use atlas_export_jobs_core::wire::response_info::ResponseHeaders;
use atlas_export_jobs_core::wire::response_info::ResponseInfo;
use atlas_export_jobs_core::wire::route::{route, Refusal};

#[cfg(feature = "secret-schemes")]
use atlas_export_jobs_core::auth::service_account::decode_token_response;

/// Small enough that a recursion without a bound overflows it quickly.
const STACK_BYTES: usize = 256 * 1024;

const FIXTURES: [&str; 5] = [
    include_str!("../tests/fixtures/seed-200-list.json"),
    include_str!("../tests/fixtures/seed-401.json"),
    include_str!("../tests/fixtures/seed-403.json"),
    include_str!("../tests/fixtures/seed-404.json"),
    include_str!("../tests/fixtures/seed-500.json"),
];

/// Pieces that are likely to make a JSON reader, a date parser or a header parser take an
/// unusual path.
const TOKENS: [&str; 40] = [
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "null",
    "true",
    "false",
    "-0",
    "1e400",
    "-1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "2147483648",
    "0.5",
    "1E+2",
    "\\ud800",
    "\\udc00x",
    "\\u0000",
    "\u{feff}",
    "\u{fffd}",
    "\"id\":",
    "\"results\":",
    "\"totalCount\":",
    "\"links\":[{\"rel\":\"next\"}]",
    "\"exportBucketId\":\"b\"",
    "\"status\":",
    "\"content\":",
    "\"error\":429,\"errorCode\":\"RATE_LIMITED_TOKEN_BUCKET\"",
    "retry after 99999999999999999999 seconds",
    "Sun, 06 Nov 99999999999999 08:49:37 GMT",
    "Digest ",
    "realm=\"",
    "nonce=",
    "stale=true",
    "@",
    "://",
];

/// A byte string made from `seed` by a few random edits (deep nesting among them for JSON).
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let json = seed.first().is_some_and(|b| matches!(b, b'{' | b'['));
    let mut out = seed.to_vec();
    let edits = 1 + (rng.next_u64() % 8) as usize;
    for _ in 0..edits {
        let at = if out.is_empty() {
            0
        } else {
            (rng.next_u64() as usize) % (out.len() + 1)
        };
        match rng.next_u64() % 9 {
            0 if at < out.len() => out[at] ^= 1 << (rng.next_u64() % 8),
            1 if at < out.len() => out[at] = rng.next_u64() as u8,
            2 => {
                let token = TOKENS[(rng.next_u64() as usize) % TOKENS.len()];
                out.splice(at..at, token.bytes());
            }
            3 if at < out.len() => {
                let end = (at + 1 + (rng.next_u64() as usize) % 16).min(out.len());
                out.drain(at..end);
            }
            4 => out.truncate(at),
            5 if at < out.len() => {
                let end = (at + 1 + (rng.next_u64() as usize) % 64).min(out.len());
                let copy = out[at..end].to_vec();
                out.splice(at..at, copy);
            }
            6 if json => {
                // Deep nesting, past any limit a reader keeps.
                let depth = (rng.next_u64() % 5_000) as usize;
                let (open, close) = if rng.next_u64().is_multiple_of(2) {
                    (b'[', b']')
                } else {
                    (b'{', b'}')
                };
                let mut nest = vec![open; depth];
                if rng.next_u64().is_multiple_of(2) {
                    nest.extend(std::iter::repeat_n(close, depth));
                }
                out.splice(at..at, nest);
            }
            7 => out.extend((0..(rng.next_u64() % 32)).map(|_| rng.next_u64() as u8)),
            _ => out.insert(
                at.min(out.len()),
                b"\"{}[],:\\0123456789eE.-+ntfu"[(rng.next_u64() % 27) as usize],
            ),
        }
    }
    out
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[(rng.next_u64() as usize) % items.len()]
}

fn text(rng: &mut Rng, seed: &str) -> String {
    String::from_utf8_lossy(&mutate(rng, seed.as_bytes())).into_owned()
}

/// A mutation of one of `seeds`.
fn text_of(rng: &mut Rng, seeds: &[&str]) -> String {
    let seed = *pick(rng, seeds);
    text(rng, seed)
}

fn bytes_of(rng: &mut Rng, seeds: &[&str]) -> Vec<u8> {
    let seed = *pick(rng, seeds);
    mutate(rng, seed.as_bytes())
}

fn random_value(rng: &mut Rng, depth: u32) -> InputValue {
    match rng.next_u64() % 14 {
        0 => InputValue::Undefined,
        1 => InputValue::Null,
        2 => InputValue::Bool(rng.next_u64().is_multiple_of(2)),
        3 => InputValue::Number(f64::from_bits(rng.next_u64())),
        4 => InputValue::Number((rng.next_u64() % 1000) as f64 - 10.0),
        5 => InputValue::Number(*pick(
            rng,
            &[
                f64::NAN,
                f64::INFINITY,
                -0.0,
                9.007_199_254_740_992e15,
                1e308,
                0.5,
                500.0,
                501.0,
            ],
        )),
        6 => InputValue::String(text_of(
            rng,
            &[
                "32b6e34b3d91647abb20e7b8",
                "Cluster0",
                "https://cloud.mongodb.com",
                "http://127.0.0.1:1/x",
                "v2",
                "bearer",
                "serviceAccount",
                "digest",
                "tok",
            ],
        )),
        7 => InputValue::AbortSignal,
        8 => InputValue::Function,
        9 if depth < 2 => InputValue::Record(random_record(rng, depth + 1, &RETRY_KEYS)),
        10 => InputValue::Unreadable,
        11 => {
            const KINDS: [&str; 4] = ["bigint", "symbol", "array", "object"];
            InputValue::Other(KINDS[(rng.next_u64() as usize) % KINDS.len()])
        }
        _ => InputValue::String(String::from_utf8_lossy(&mutate(rng, b"")).into_owned()),
    }
}

fn random_record(rng: &mut Rng, depth: u32, keys: &[&str]) -> InputRecord {
    let count = (rng.next_u64() % 8) as usize;
    let entries = (0..count)
        .map(|_| {
            let key = if rng.next_u64().is_multiple_of(6) {
                text_of(rng, keys)
            } else {
                (*pick(rng, keys)).to_owned()
            };
            (key, random_value(rng, depth))
        })
        .collect();
    InputRecord::new(entries)
}

fn random_headers(rng: &mut Rng) -> ResponseHeaders {
    let mut maybe = |seed: &str| (rng.next_u64().is_multiple_of(3)).then(|| text(rng, seed));
    ResponseHeaders {
        rate_limit_limit: maybe("1200"),
        rate_limit_remaining: maybe("0"),
        retry_after: maybe("Sun, 06 Nov 1994 08:49:37 GMT"),
        www_authenticate: maybe("Digest realm=\"MMS Public API\", nonce=\"abc\", qop=\"auth\", algorithm=SHA-256, stale=true"),
        location: maybe("http://other.example:8080/path?x=1"),
    }
}

/// A page of `count` jobs, ids from `first`, with or without links and a count.
fn server_page(rng: &mut Rng) -> Page {
    let count = (rng.next_u64() % 6) as usize;
    let first = rng.next_u64() % 8;
    let jobs: Vec<String> = (0..count)
        .map(|i| {
            format!(
                r#"{{"exportBucketId":"b","id":"{:024x}"}}"#,
                first + i as u64
            )
        })
        .collect();
    let links = match rng.next_u64() % 3 {
        0 => "",
        1 => r#""links":[{"rel":"self"}],"#,
        _ => r#""links":[{"rel":"next"}],"#,
    };
    let total = match rng.next_u64() % 3 {
        0 => String::new(),
        1 => format!(",\"totalCount\":{}", rng.next_u64() % 20),
        _ => ",\"totalCount\":2147483647".to_owned(),
    };
    let body = format!("{{{links}\"results\":[{}]{total}}}", jobs.join(","));
    decode::check_page(body, decode::Reading::Listing).unwrap()
}

type Target = fn(&mut Rng);

fn targets() -> Vec<(&'static str, Target)> {
    let mut list: Vec<(&'static str, Target)> = vec![
        ("decode", |rng| {
            let body = bytes_of(rng, &FIXTURES);
            let status = *pick(rng, &[200, 201, 400, 401, 404, 429, 500, 502, 0, 999]);
            if let Ok(page) = decode::decode(status, body, rng.next_u64().is_multiple_of(4)) {
                let drop: Vec<bool> = page
                    .jobs
                    .iter()
                    .map(|_| rng.next_u64().is_multiple_of(2))
                    .collect();
                let _ = page.json(&drop);
            } else if let Err(failure) = decode::decode(status, Vec::new(), false) {
                let _ = FactList::of(&failure);
            }
        }),
        ("json", |rng| {
            let body = text_of(rng, &FIXTURES);
            let mut sink = Collect(0);
            if let Err(error) = json::check(
                &body,
                &json::Shape::Object(&decode::EXPORT_JOBS_PAGE),
                &mut sink,
            ) {
                let _ = error.found_in(&body);
                let _ = FactList::of(&*error);
            }
            let _ = json::check(&body, &json::Shape::Any, &mut sink);
            let _ = json::array_items(&body);
            let _ = json::number(&text(rng, "-12.5e3"));
            let cuts = (0..(rng.next_u64() % 4))
                .map(|_| {
                    (
                        rng.next_u64() as usize % (body.len() + 2),
                        rng.next_u64() as usize % (body.len() + 2),
                    )
                })
                .collect();
            let _ = json::without(
                &body,
                (rng.next_u64() as usize % (body.len() + 1), body.len()),
                cuts,
            );
        }),
        ("retry-after", |rng| {
            let now = f64::from_bits(rng.next_u64() & 0x7fef_ffff_ffff_ffff);
            let value = text_of(
                rng,
                &[
                    "Sun, 06 Nov 1994 08:49:37 GMT",
                    "120",
                    "Sat, 31 Dec 9999 23:59:60 GMT",
                ],
            );
            let _ = atlas_export_jobs_core::wire::headers::parse_retry_after(&value, now);
            let _ = atlas_export_jobs_core::wire::headers::parse_http_date(&value);
            // What is kept is written out again: any parsed value writes, and reads back the same.
            if let Some(after) = atlas_export_jobs_core::wire::headers::RetryAfter::parse(&value) {
                if let Some(written) = after.write() {
                    assert_eq!(
                        atlas_export_jobs_core::wire::headers::RetryAfter::parse(&written),
                        Some(after)
                    );
                }
            }
            let api = ApiFailure {
                status: 429,
                error_code: Some("RATE_LIMITED_TOKEN_BUCKET".to_owned()),
                detail: Some(text(rng, "Please retry after 55 seconds.")),
                parameters: Some(text(rng, "[\"api/atlas/v2\",55,10,5,60]")),
                ..ApiFailure::default()
            };
            let _ = retry::body_retry_seconds(&api);
        }),
        ("route", |rng| {
            let path = text_of(
                rng,
                &[
                    "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports",
                    "/api/atlas/v1.0/groups/32b6e34b3d91647abb20e7b8/clusters/a-b/backup/exports",
                    "//api/atlas/v2/groups//clusters/%2e/backup/exports",
                ],
            );
            let query = text_of(
                rng,
                &[
                    "itemsPerPage=5&pageNum=2&includeCount=false",
                    "envelope=true&pretty=1&itemsPerPage=%35",
                    "itemsPerPage=5&itemsPerPage=6&x=y&=&&",
                ],
            );
            if let Err(Refusal::Invalid(error)) = route(&path, &query) {
                let _ = FactList::of(&error);
            }
        }),
        ("watch", |rng| {
            let policy = WatchPolicy {
                running_interval_ms: (rng.next_u64() % 100_000) as u32,
                idle_interval_ms: rng.next_u64() as u32,
                low_remaining: rng.next_u64() % 5,
                max_backoff_ms: rng.next_u64() as u32,
                max_failed_rounds: (rng.next_u64() % 7) as u32,
            };
            let until = if rng.next_u64().is_multiple_of(2) {
                Until::AllFinished
            } else {
                Until::Never
            };
            let ids = [
                "32b6e34b3d91647abb20e7b8",
                "32b6e34b3d91647abb20e7b9",
                "not-hex",
                "",
            ];
            let mut now = f64::from_bits(rng.next_u64() & 0x7fef_ffff_ffff_ffff);
            let at = |now: f64| Now {
                monotonic_ms: now,
                wall_ms: now,
            };
            let chosen = *pick(rng, &ids);
            let mut watch = match rng.next_u64() % 3 {
                0 => Watch::waiting_for(
                    policy,
                    JobId::new(chosen),
                    WaitLimits {
                        appear_ms: Some(rng.next_u64() as u32),
                        finish_ms: rng
                            .next_u64()
                            .is_multiple_of(2)
                            .then(|| rng.next_u64() as u32),
                    },
                    at(now),
                ),
                1 => Watch::new(policy, until, Some(vec![JobId::new(chosen)]), at(now)),
                _ => Watch::new(policy, until, None, at(now)),
            };
            let states = [
                "Queued",
                "InProgress",
                "Successful",
                "Failed",
                "Cancelled",
                "Paused",
            ];
            for _ in 0..8 {
                match watch.poll(at(now)) {
                    WatchAction::List if rng.next_u64().is_multiple_of(4) => {
                        let mut round = Round::default();
                        let failure = Failure::Api(Box::new(ApiFailure {
                            status: [429, 503, 401][(rng.next_u64() % 3) as usize],
                            ..ApiFailure::default()
                        }));
                        let info = ResponseInfo {
                            retry_after: Some(RetryAfter::Seconds(rng.next_u64())),
                            ..ResponseInfo::default()
                        };
                        round.stopped(&failure, &info);
                        let _ = watch.ended(at(now), round);
                    }
                    WatchAction::List => {
                        let count = (rng.next_u64() % 6) as usize;
                        let jobs = (0..count)
                            .map(|_| {
                                let (id, state) = (*pick(rng, &ids), *pick(rng, &states));
                                JobView {
                                    key: Some(JobKey::of(id)),
                                    progress: JobProgress {
                                        state: Some(ExportState::named(state)),
                                        exported: Some((rng.next_u64() % 5) as i32),
                                        total: Some(4),
                                    },
                                }
                            })
                            .collect();
                        let _ = watch.listed(at(now), jobs, Some(rng.next_u64() % 4));
                    }
                    WatchAction::Wait { ms } => now += f64::from(ms),
                    WatchAction::AwaitRound | WatchAction::Done | WatchAction::Fail(_) => break,
                }
            }
        }),
        ("digest", |rng| {
            let header = text(rng, "Digest realm=\"MMS Public API\", domain=\"\", nonce=\"e6rOqmtSVtY\", algorithm=MD5, qop=\"auth\", stale=false, Digest realm=\"x\", nonce=\"y\", algorithm=SHA-256, qop=\"auth,auth-int\"");
            let challenges = digest::parse_challenges(&header);
            if let Some(challenge) = digest::choose(&challenges) {
                let mut session = digest::DigestSession::new(challenge.clone());
                let password =
                    atlas_export_jobs_core::support::secret::Secret::new(text(rng, "key"));
                let _ = session.authorization(
                    &text(rng, "user"),
                    &password,
                    "GET",
                    &text(rng, "/api?x=1"),
                    "0a1b",
                );
            }
        }),
        ("base-url", |rng| {
            let value = text_of(
                rng,
                &[
                    "https://cloud.mongodb.com",
                    "http://user:pw@127.0.0.1:8080/p?x#y",
                    "https:/user:pw@host",
                    "[::1]:99999",
                    "ftp://a:b@c",
                ],
            );
            let _ = BaseUrl::parse(&value, rng.next_u64().is_multiple_of(2));
            let _ = redacted(&value);
            let _ = location_origin(Some(&value), "https://cloud.mongodb.com/api");
        }),
        ("input", |rng| {
            let params = random_record(rng, 0, &PARAM_KEYS);
            if let Err(error) = ListExportJobsParams::from_input(&params) {
                let _ = FactList::of(&error);
            }
            let options = random_record(rng, 0, &OPTION_KEYS);
            if let Err(error) = CallOptions::from_input(&options) {
                let _ = FactList::of(&error);
            }
            let _ = PagingOptions::from_input(&random_record(rng, 0, &PAGING_KEYS));
            let client_keys = [&OPTION_KEYS[..], &["auth"]].concat();
            if let Err(failure) = ClientSetup::from_input(
                random_record(rng, 2, &client_keys),
                rng.next_u64().is_multiple_of(2),
            ) {
                let _ = FactList::of(&failure);
            }
            let auth = random_record(rng, 1, &atlas_export_jobs_core::auth::AUTH_KEYS);
            if let Ok((scheme, _)) = AuthScheme::from_input(&auth) {
                let _ = Credentials::new(
                    scheme,
                    &BaseUrl::parse("https://cloud.mongodb.com", false).unwrap(),
                );
            }
        }),
        ("pager", |rng| {
            let first = *pick(
                rng,
                &[
                    None,
                    Some(1),
                    Some(u64::MAX),
                    Some(u64::MAX - 1),
                    Some(9_007_199_254_740_991),
                ],
            );
            let per_page = *pick(rng, &[None, Some(1), Some(3), Some(500), Some(u64::MAX)]);
            let limits = PagingLimits {
                max_pages: (rng.next_u64().is_multiple_of(2)).then(|| rng.next_u64() % 5 + 1),
                max_items: (rng.next_u64().is_multiple_of(2)).then(|| rng.next_u64()),
            };
            let mut pager = Pager::new(first, per_page, limits);
            for _ in 0..(rng.next_u64() % 12) {
                if pager.next_page().is_none() || pager.check_page_limit().is_err() {
                    break;
                }
                let _ = pager.pages_to_request((rng.next_u64() % 17) as u32);
                if pager.accept(&server_page(rng)).is_err() {
                    break;
                }
            }
            let _ = JobKey::of(&text(rng, "0123456789abcdef01234567"));
        }),
        ("call", |rng| {
            // Random answers, failures, aborts and clock jumps into the call machine.
            let scheme = match rng.next_u64() % 3 {
                0 => AuthScheme::None,
                1 => AuthScheme::Bearer(atlas_export_jobs_core::support::secret::Secret::new(
                    "token-0123456789",
                )),
                _ => AuthScheme::TokenProvider,
            };
            let base = BaseUrl::parse("https://cloud.mongodb.com", false).unwrap();
            let mut credentials = Credentials::new(scheme, &base).unwrap();
            let params = ListExportJobsParams::from_input(&InputRecord::from([
                (
                    "groupId",
                    InputValue::String("32b6e34b3d91647abb20e7b8".to_owned()),
                ),
                ("clusterName", InputValue::String("Cluster0".to_owned())),
                (
                    "envelope",
                    InputValue::Bool(rng.next_u64().is_multiple_of(3)),
                ),
            ]))
            .unwrap();
            let options = CallOptions::from_input(&random_record(
                rng,
                0,
                &["timeoutMs", "deadlineMs", "retry", "maxBodyBytes"],
            ))
            .unwrap_or_else(|_| CallOptions::from_input(&InputRecord::default()).unwrap());
            let mut now = (rng.next_u64() % 2_000_000_000_000) as f64;
            let mut call = Call::new(
                CallPlan::new(&params, &options).unwrap(),
                &mut credentials,
                at(now),
                rng.next_u64(),
            );
            for _ in 0..40 {
                match call.poll(at(now), &mut credentials) {
                    Action::Done(outcome) => {
                        if let Err(failure) = &outcome.result {
                            let _ = FactList::of(failure);
                        }
                        let _ = FactList::of(&outcome.info);
                        break;
                    }
                    Action::Idle => break,
                    Action::Wait {
                        retry: Some(event), ..
                    } => {
                        let _ = FactList::of(&event);
                    }
                    _ => {}
                }
                now += (rng.next_u64() % 200_000) as f64;
                let event = match rng.next_u64() % 7 {
                    0 => Event::Aborted,
                    1 => Event::Failed(*pick(
                        rng,
                        &[
                            Transport::TimedOut,
                            Transport::Network(NetworkProblem::Failed),
                            Transport::TooLarge { status: 200 },
                        ],
                    )),
                    2 => Event::Provided(
                        (rng.next_u64().is_multiple_of(2)).then(|| text(rng, "tok")),
                    ),
                    3 => Event::Woken,
                    _ => Event::Response(Response {
                        status: *pick(rng, &[200, 401, 429, 503, 302, 0, 404, 500]),
                        headers: random_headers(rng),
                        body: bytes_of(rng, &FIXTURES),
                    }),
                };
                call.handle(at(now), &mut credentials, event);
            }
        }),
    ];
    #[cfg(feature = "secret-schemes")]
    list.push(("token", |rng| {
        let body = text_of(
            rng,
            &[
                r#"{"access_token":"abc.def","token_type":"Bearer","expires_in":3600}"#,
                r#"{"error":"invalid_client","error_description":"nope"}"#,
            ],
        );
        let status = *pick(rng, &[200, 400, 401, 429, 500]);
        let now = f64::from_bits(rng.next_u64() & 0x7fef_ffff_ffff_ffff);
        if let Err(failure) = decode_token_response(status, &body, at(now)) {
            let _ = FactList::of(&failure);
        }
    }));
    list
}

struct Collect(usize);

impl json::Sink for Collect {
    fn seen(&mut self, _: u8, _: json::Seen<'_>) {
        self.0 += 1;
    }
    fn cut(&mut self, _: usize, _: usize) {
        self.0 += 1;
    }
}

/// The moment `ms` on both clocks (the fuzzer does not step the wall clock).
fn at(ms: f64) -> Now {
    Now {
        monotonic_ms: ms,
        wall_ms: ms,
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let executions: u64 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000_000);
    let only = args.next();
    // Panics are counted, not printed one by one.
    panic::set_hook(Box::new(|_| {}));
    let mut failed = false;
    println!(
        "{:<12} {:>12} {:>8} {:>10}",
        "target", "executions", "panics", "seconds"
    );
    for (name, target) in targets() {
        if only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        let started = Instant::now();
        let report = std::thread::Builder::new()
            .stack_size(STACK_BYTES)
            .spawn(move || {
                let mut panics: HashMap<u64, u64> = HashMap::new();
                for execution in 0..executions {
                    // Each execution has its own seed, so a failing one can be replayed alone.
                    let seed = execution.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5EED;
                    let mut rng = Rng::new(seed);
                    if panic::catch_unwind(AssertUnwindSafe(|| target(&mut rng))).is_err() {
                        *panics.entry(seed).or_default() += 1;
                    }
                }
                panics
            })
            .unwrap()
            .join();
        // Every panic is caught inside the thread; a stack overflow aborts the whole process.
        let panics = report.unwrap_or_default();
        println!(
            "{name:<12} {executions:>12} {:>8} {:>10.1}",
            panics.len(),
            started.elapsed().as_secs_f64()
        );
        for seed in panics.keys().take(5) {
            println!("  replay: seed {seed:#x}");
        }
        failed |= !panics.is_empty();
    }
    if failed {
        std::process::exit(1);
    }
}
