//! Builders shared by the native tests, and the steps of driving a machine with a fake clock: the
//! time is a number the test moves, so no test sleeps, spawns a thread or reads a real clock.

#![allow(dead_code)] // each test crate uses some of these
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::error::Failure;
use atlas_export_jobs_core::machines::call::{
    Action, Call, CallPlan, Event, Outcome, Outgoing, Response,
};
use atlas_export_jobs_core::rules::base_url::BaseUrl;
use atlas_export_jobs_core::rules::input::{InputRecord, InputValue};
use atlas_export_jobs_core::rules::options::CallOptions;
use atlas_export_jobs_core::rules::params::ListExportJobsParams;
use atlas_export_jobs_core::support::clock::Now;
use atlas_export_jobs_core::support::secret::Secret;
use atlas_export_jobs_core::wire::decode::Page;
use atlas_export_jobs_core::wire::model::ExportJobsPage;
use atlas_export_jobs_core::wire::response_info::ResponseHeaders;

pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";
pub const BASE: &str = "https://cloud.mongodb.com";
pub const TOKEN: &str = "tok-3f9a8b7c6d5e4f3a2b1c";
/// The page request of `params_with(&[])` against the default base URL.
pub const PAGE_URL: &str = "https://cloud.mongodb.com/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports";
/// The fake clock's start: Sun, 06 Nov 1994 08:49:37 GMT in Unix ms, so that HTTP dates in
/// `Retry-After` are easy to write.
pub const T0: f64 = 784_111_777_000.0;

/// A moment on the fake clocks. A plain number is a moment at which the monotonic and the wall
/// clock read the same; tests of a clock step give a [`Now`] whose readings differ.
pub trait At: Copy {
    fn at(self) -> Now;
}

impl At for f64 {
    fn at(self) -> Now {
        Now {
            monotonic_ms: self,
            wall_ms: self,
        }
    }
}

impl At for Now {
    fn at(self) -> Now {
        self
    }
}

/// The moment `ms` on both clocks.
pub fn at(ms: f64) -> Now {
    ms.at()
}

pub fn s(value: &str) -> InputValue {
    InputValue::String(value.to_owned())
}

/// A record of `entries`, as a JS object literal would give.
pub fn record(entries: &[(&str, InputValue)]) -> InputRecord {
    InputRecord::new(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

/// The two required parameters plus `extra`.
pub fn params_with(extra: &[(&str, InputValue)]) -> InputRecord {
    let mut entries = vec![("groupId", s(GROUP)), ("clusterName", s("Cluster0"))];
    entries.extend(extra.iter().cloned());
    record(&entries)
}

pub fn params(extra: &[(&str, InputValue)]) -> ListExportJobsParams {
    ListExportJobsParams::from_input(&params_with(extra)).unwrap()
}

pub fn options(entries: &[(&str, InputValue)]) -> CallOptions {
    CallOptions::from_input(&record(entries)).unwrap()
}

/// The plan of a call with the two required parameters and `option_entries`.
pub fn plan(option_entries: &[(&str, InputValue)]) -> CallPlan {
    CallPlan::new(&params(&[]), &options(option_entries)).unwrap()
}

pub fn base_url() -> BaseUrl {
    BaseUrl::parse(BASE, false).unwrap()
}

pub fn credentials(scheme: AuthScheme) -> Credentials {
    Credentials::new(scheme, &base_url()).unwrap()
}

pub fn bearer() -> Credentials {
    credentials(AuthScheme::Bearer(Secret::new(TOKEN)))
}

pub const CLIENT_ID: &str = "mdb_sa_id_0123456789";
pub const CLIENT_SECRET: &str = "mdb_sa_sk_abcdefghijklmnop";

#[cfg(feature = "secret-schemes")]
pub fn service_account() -> Credentials {
    credentials(AuthScheme::ServiceAccount {
        client_id: CLIENT_ID.to_owned(),
        client_secret: Secret::new(CLIENT_SECRET),
    })
}

/// The 24-hex id of job number `n`.
pub fn job_id(n: u64) -> String {
    format!("{n:024x}")
}

/// A page body with jobs `ids`, the count when `total` is set, and a `next` link when `next`.
pub fn page_body(ids: impl IntoIterator<Item = u64>, total: Option<u64>, next: bool) -> String {
    let jobs: Vec<String> = ids
        .into_iter()
        .map(|n| {
            format!(
                r#"{{"exportBucketId":"{GROUP}","id":"{}","state":"Queued"}}"#,
                job_id(n)
            )
        })
        .collect();
    let mut links = vec![r#"{"href":"https://cloud.mongodb.com/api/atlas/self","rel":"self"}"#];
    if next {
        links.push(r#"{"href":"https://cloud.mongodb.com/api/atlas/next","rel":"next"}"#);
    }
    let count = total
        .map(|t| format!(r#","totalCount":{t}"#))
        .unwrap_or_default();
    format!(
        r#"{{"links":[{}],"results":[{}]{count}}}"#,
        links.join(","),
        jobs.join(",")
    )
}

pub fn response(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: ResponseHeaders::default(),
        body: body.as_bytes().to_vec(),
    }
}

pub fn response_with(status: u16, body: &str, headers: ResponseHeaders) -> Response {
    Response {
        headers,
        ..response(status, body)
    }
}

pub fn retry_after(value: &str) -> ResponseHeaders {
    ResponseHeaders {
        retry_after: Some(value.to_owned()),
        ..ResponseHeaders::default()
    }
}

pub fn www_authenticate(value: &str) -> ResponseHeaders {
    ResponseHeaders {
        www_authenticate: Some(value.to_owned()),
        ..ResponseHeaders::default()
    }
}

pub fn location(value: &str) -> ResponseHeaders {
    ResponseHeaders {
        location: Some(value.to_owned()),
        ..ResponseHeaders::default()
    }
}

/// The page as the caller gets it, parsed as the documented type.
pub fn parsed(page: &Page) -> ExportJobsPage {
    let json = page.json(&[]);
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// The ids of a page's jobs as the caller gets them with `drop`.
pub fn ids_kept(page: &Page, drop: &[bool]) -> Vec<String> {
    let json = page.json(drop);
    let page: ExportJobsPage =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    page.results
        .into_iter()
        .map(|job| job.id.unwrap())
        .collect()
}

/// The `Authorization` an outgoing request carries.
pub fn authorization(outgoing: &Outgoing) -> Option<&str> {
    outgoing.request.authorization.as_ref().map(Secret::expose)
}

// ---- driving a call ----------------------------------------------------------------------------

/// Polls `call` and expects a request to send.
pub fn expect_send(call: &mut Call, now: impl At, credentials: &mut Credentials) -> Outgoing {
    match call.poll(now.at(), credentials) {
        Action::Send(outgoing) => outgoing,
        other => panic!("expected Send, got {other:?}"),
    }
}

/// Polls `call` and expects the end of the call.
pub fn expect_done(call: &mut Call, now: impl At, credentials: &mut Credentials) -> Outcome {
    match call.poll(now.at(), credentials) {
        Action::Done(outcome) => outcome,
        other => panic!("expected Done, got {other:?}"),
    }
}

/// Polls `call` and expects its failure.
pub fn expect_failure(call: &mut Call, now: impl At, credentials: &mut Credentials) -> Failure {
    match expect_done(call, now, credentials).result {
        Err(failure) => failure,
        Ok(page) => panic!("expected a failure, got {page:?}"),
    }
}

/// Answers the request `call` is waiting on.
pub fn answer(call: &mut Call, now: impl At, credentials: &mut Credentials, response: Response) {
    call.handle(now.at(), credentials, Event::Response(response));
}

/// Sends the page request and answers it with `response`, in one step of the clock.
pub fn exchange(
    call: &mut Call,
    now: impl At,
    credentials: &mut Credentials,
    response: Response,
) -> Outgoing {
    let now = now.at();
    let outgoing = expect_send(call, now, credentials);
    answer(call, now, credentials, response);
    outgoing
}

/// A service account's token endpoint answer.
pub fn token_response(token: &str, expires_in: u64) -> Response {
    response(
        200,
        &format!(r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{expires_in}}}"#),
    )
}

/// Polls `call` and expects a wait: its length and what `onRetry` is told.
pub fn expect_wait(
    call: &mut Call,
    now: impl At,
    credentials: &mut Credentials,
) -> (
    u32,
    Option<atlas_export_jobs_core::machines::call::RetryEvent>,
) {
    match call.poll(now.at(), credentials) {
        Action::Wait { ms, retry } => (ms, retry),
        other => panic!("expected Wait, got {other:?}"),
    }
}
