//! Turns a response (status and body bytes) into a checked page or a failure. Lenient where the
//! spec is (unknown fields, unknown states, `null` for absent), strict on types, and total: every
//! input gets an answer. The page is checked in one pass and not built: JavaScript parses the
//! text, with whatever the types do not allow cut out first.

use alloc::borrow::Cow;
use alloc::{borrow::ToOwned, boxed::Box, string::String, vec::Vec};

use crate::error::{ApiFailure, DecodeFailure, Failure};
use crate::support::limits::{FOREIGN_BODY_LIMIT, SECRET_MARGIN};
use crate::wire::json::{self, Field, Object, Seen, Shape, Sink};
#[cfg(feature = "watch")]
use crate::wire::model::ExportState;

// What the sinks below are told about.
const JOB_ID: u8 = 2;
const RESULTS: u8 = 3;
const TOTAL_COUNT: u8 = 4;
const PAGE_LINKS: u8 = 5;
const PAGE_LINK_REL: u8 = 6;
const ERROR_STATUS: u8 = 7;
const ERROR_CODE: u8 = 8;
const DETAIL: u8 = 9;
const REASON: u8 = 10;
const PARAMETERS: u8 = 11;
const BAD_REQUEST_DETAIL: u8 = 12;
const ENVELOPE_STATUS: u8 = 13;
const ENVELOPE_CONTENT: u8 = 14;
#[cfg(feature = "watch")]
const JOB_STATE: u8 = 15;
#[cfg(feature = "watch")]
const JOB_EXPORTED: u8 = 16;
#[cfg(feature = "watch")]
const JOB_TOTAL: u8 = 17;

// ---- the documented types, field for field (model.rs has them as Rust types) -------------------

const STRING: Shape = Shape::String;

static LINK: Object = Object {
    name: "struct Link",
    fields: &[
        Field::optional("href", STRING),
        Field::optional("rel", STRING),
    ],
};

/// A page's own links, whose `rel` says whether there is a next page.
static PAGE_LINK: Object = Object {
    name: "struct Link",
    fields: &[
        Field::optional("href", STRING),
        Field::optional("rel", STRING).tagged(PAGE_LINK_REL),
    ],
};

static COMPONENT: Object = Object {
    name: "struct ExportComponent",
    fields: &[
        Field::optional("exportId", STRING),
        Field::optional("replicaSetName", STRING),
    ],
};

static CUSTOM_DATUM: Object = Object {
    name: "struct CustomDatum",
    fields: &[
        Field::optional("key", STRING),
        Field::optional("value", STRING),
    ],
};

static EXPORT_STATUS: Object = Object {
    name: "struct ExportStatus",
    fields: &[
        Field::optional("exportedCollections", Shape::Int32),
        Field::optional("totalCollections", Shape::Int32),
    ],
};

static STATE_REASON: Object = Object {
    name: "struct StateReason",
    fields: &[
        Field::optional("errorCode", STRING),
        Field::optional("message", STRING),
    ],
};

// The shapes of a job's arrays' items, as statics that the fields' table can point at.
static COMPONENT_SHAPE: Shape = Shape::Object(&COMPONENT);
static CUSTOM_DATUM_SHAPE: Shape = Shape::Object(&CUSTOM_DATUM);
static LINK_SHAPE: Shape = Shape::Object(&LINK);

/// `DiskBackupExportJob`'s fields, in the spec's order.
const JOB_FIELDS: [Field; 12] = [
    Field::optional("components", Shape::Array(&COMPONENT_SHAPE)),
    Field::optional("createdAt", STRING),
    Field::optional("customData", Shape::Array(&CUSTOM_DATUM_SHAPE)),
    Field::required("exportBucketId", STRING),
    Field::optional("exportStatus", Shape::Object(&EXPORT_STATUS)),
    Field::optional("finishedAt", STRING),
    Field::optional("id", STRING).tagged(JOB_ID),
    Field::optional("links", Shape::Array(&LINK_SHAPE)),
    Field::optional("prefix", STRING),
    Field::optional("snapshotId", STRING),
    Field::optional("state", STRING),
    Field::optional("stateReason", Shape::Object(&STATE_REASON)),
];

/// `DiskBackupExportJob`.
pub static EXPORT_JOB: Object = Object {
    name: "struct ExportJob",
    fields: &JOB_FIELDS,
};

/// The same, telling the sink each job's state and `exportStatus` counts: what a watch's rounds
/// read, and only they, since reading them costs a listing's decoding about a sixth.
#[cfg(feature = "watch")]
static WATCHED_JOB: Object = Object {
    name: "struct ExportJob",
    fields: &WATCHED_JOB_FIELDS,
};

#[cfg(feature = "watch")]
const WATCHED_JOB_FIELDS: [Field; 12] = watched(JOB_FIELDS);

#[cfg(feature = "watch")]
static WATCHED_STATUS: Object = Object {
    name: "struct ExportStatus",
    fields: &[
        Field::optional("exportedCollections", Shape::Int32).tagged(JOB_EXPORTED),
        Field::optional("totalCollections", Shape::Int32).tagged(JOB_TOTAL),
    ],
};

/// `fields` with `state` tagged and `exportStatus` read as [`WATCHED_STATUS`].
// Evaluated at compile time, where an index out of range fails the build.
#[cfg(feature = "watch")]
#[allow(clippy::indexing_slicing)]
const fn watched(mut fields: [Field; 12]) -> [Field; 12] {
    let mut i = 0;
    while i < fields.len() {
        if same(fields[i].name, "state") {
            fields[i].tag = JOB_STATE;
        } else if same(fields[i].name, "exportStatus") {
            fields[i].shape = Shape::Object(&WATCHED_STATUS);
        }
        i += 1;
    }
    fields
}

#[cfg(feature = "watch")]
#[allow(clippy::indexing_slicing)]
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// `PaginatedApiAtlasDiskBackupExportJobView`.
pub static EXPORT_JOBS_PAGE: Object = Object {
    name: "struct ExportJobsPage",
    fields: &page_fields(&JOB_SHAPE),
};

static JOB_SHAPE: Shape = Shape::Object(&EXPORT_JOB);

/// A page as a watch's rounds read it (see [`WATCHED_JOB`]).
#[cfg(feature = "watch")]
static WATCHED_PAGE: Object = Object {
    name: "struct ExportJobsPage",
    fields: &page_fields(&WATCHED_JOB_SHAPE),
};

#[cfg(feature = "watch")]
static WATCHED_JOB_SHAPE: Shape = Shape::Object(&WATCHED_JOB);

/// A page's fields, its jobs of `job`'s shape.
const fn page_fields(job: &'static Shape) -> [Field; 3] {
    [
        Field::optional("links", Shape::Array(&PAGE_LINK_SHAPE)).tagged(PAGE_LINKS),
        Field::required("results", Shape::Array(job)).tagged(RESULTS),
        Field::optional("totalCount", Shape::Int32).tagged(TOTAL_COUNT),
    ]
}

static PAGE_LINK_SHAPE: Shape = Shape::Object(&PAGE_LINK);

static FIELD_VIOLATION: Object = Object {
    name: "struct FieldViolation",
    fields: &[
        Field::required("field", STRING),
        Field::required("description", STRING),
    ],
};

static BAD_REQUEST: Object = Object {
    name: "struct BadRequestDetail",
    fields: &[Field::optional(
        "fields",
        Shape::Array(&Shape::Object(&FIELD_VIOLATION)),
    )],
};

/// `ApiError`.
pub static API_ERROR: Object = Object {
    name: "struct ApiError",
    fields: &[
        Field::required("error", Shape::Int32).tagged(ERROR_STATUS),
        Field::required("errorCode", STRING).tagged(ERROR_CODE),
        Field::optional("detail", STRING).tagged(DETAIL),
        Field::optional("reason", STRING).tagged(REASON),
        Field::optional("parameters", Shape::Array(&Shape::Any)).tagged(PARAMETERS),
        Field::optional("badRequestDetail", Shape::Object(&BAD_REQUEST)).tagged(BAD_REQUEST_DETAIL),
    ],
};

/// An envelope: `{status, ...page}` for lists, `{status, content}` for single entities.
static ENVELOPE: Object = Object {
    name: "struct Envelope",
    fields: &[
        Field::optional("status", Shape::Int64).tagged(ENVELOPE_STATUS),
        Field::optional("content", Shape::Any).tagged(ENVELOPE_CONTENT),
    ],
};

// ---- pages -------------------------------------------------------------------------------------

/// A job's id, as paging compares ids: Atlas's 24-hex ids packed into 96 bits exactly, any other
/// id by its 128-bit FNV-1a hash (flagged by bit 127, which no packed id sets). Two ids only
/// collide if a hash does, which is astronomically unlikely.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct JobKey(pub u128);

impl JobKey {
    pub fn of(id: &str) -> Self {
        let packed = (id.len() == 24)
            .then(|| {
                id.bytes().try_fold(0u128, |n, b| {
                    let digit = match b {
                        b'0'..=b'9' => b - b'0',
                        b'a'..=b'f' => b - b'a' + 10,
                        _ => return None,
                    };
                    Some((n << 4) | u128::from(digit))
                })
            })
            .flatten();
        JobKey(packed.unwrap_or_else(|| {
            const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
            const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
            let hash = id
                .bytes()
                .fold(OFFSET, |h, b| (h ^ u128::from(b)).wrapping_mul(PRIME));
            hash | (1 << 127)
        }))
    }
}

/// Where a job is in its life, as far as following it cares: its state and `exportStatus`.
#[cfg(feature = "watch")]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobProgress {
    pub state: Option<ExportState>,
    /// `exportStatus.exportedCollections` and `totalCollections`.
    pub exported: Option<i32>,
    pub total: Option<i32>,
}

#[cfg(feature = "watch")]
impl JobProgress {
    /// Successful, Failed or Cancelled; a state the package does not know may still move.
    pub fn is_finished(&self) -> bool {
        self.state.as_ref().is_some_and(ExportState::is_terminal)
    }
}

/// Where one job is in the text, its id and (read for a watch) its progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobEntry {
    pub span: (usize, usize),
    pub key: Option<JobKey>,
    #[cfg(feature = "watch")]
    pub progress: JobProgress,
}

/// A checked page: its text and what paging needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// The page's JSON text, as received (an envelope's `content` taken out).
    pub text: String,
    /// Spans of `text` to cut: unknown fields and `null`s read as absent.
    pub cuts: Vec<(usize, usize)>,
    pub jobs: Vec<JobEntry>,
    /// Where the `results` array's contents start.
    results_start: usize,
    pub total_count: Option<i32>,
    /// Whether the page has any `links`, and whether one is `rel: "next"`.
    pub links_present: bool,
    pub has_next: bool,
}

impl Page {
    /// Whether the text is exactly the page the types describe, to be parsed as it is.
    pub fn is_exact(&self) -> bool {
        self.cuts.is_empty()
    }

    /// The page's JSON, without the jobs whose `drop` entry is true.
    pub fn json(&self, drop: &[bool]) -> Cow<'_, str> {
        if self.cuts.is_empty() && !drop.contains(&true) {
            return Cow::Borrowed(&self.text);
        }
        let mut cuts = self.cuts.clone();
        // A dropped job goes with the comma that joins it to a neighbour, as members are cut.
        let (mut kept_end, mut kept_any) = (self.results_start, false);
        for (i, job) in self.jobs.iter().enumerate() {
            let (start, end) = job.span;
            if !kept_any && i > 0 {
                cuts.push((kept_end, start));
            }
            if drop.get(i).copied().unwrap_or(false) {
                cuts.push(if kept_any {
                    (kept_end, end)
                } else {
                    (start, end)
                });
            } else {
                kept_end = end;
                kept_any = true;
            }
        }
        Cow::Owned(json::without(&self.text, (0, self.text.len()), cuts))
    }
}

#[derive(Default)]
struct PageSink {
    /// The id and progress of the job being read, until its end is seen.
    id: Option<JobKey>,
    #[cfg(feature = "watch")]
    progress: JobProgress,
    cuts: Vec<(usize, usize)>,
    jobs: Vec<JobEntry>,
    results_start: usize,
    total_count: Option<i32>,
    links_present: bool,
    has_next: bool,
}

impl Sink for PageSink {
    fn seen(&mut self, tag: u8, what: Seen<'_>) {
        match (tag, what) {
            (JOB_ID, Seen::Text(id)) => self.id = Some(JobKey::of(&id)),
            #[cfg(feature = "watch")]
            (JOB_STATE, Seen::Text(state)) => {
                self.progress.state = Some(ExportState::named(&state))
            }
            #[cfg(feature = "watch")]
            (JOB_EXPORTED, Seen::Integer(n)) => self.progress.exported = i32::try_from(n).ok(),
            #[cfg(feature = "watch")]
            (JOB_TOTAL, Seen::Integer(n)) => self.progress.total = i32::try_from(n).ok(),
            (RESULTS, Seen::Item(start, end)) => self.jobs.push(JobEntry {
                span: (start, end),
                key: self.id.take(),
                #[cfg(feature = "watch")]
                progress: core::mem::take(&mut self.progress),
            }),
            (RESULTS, Seen::Span(start, _)) => self.results_start = start.saturating_add(1),
            (TOTAL_COUNT, Seen::Integer(n)) => self.total_count = i32::try_from(n).ok(),
            (PAGE_LINKS, Seen::Item(..)) => self.links_present = true,
            (PAGE_LINK_REL, Seen::Text(rel)) => self.has_next |= rel == "next",
            _ => {}
        }
    }

    fn cut(&mut self, start: usize, end: usize) {
        self.cuts.push((start, end));
    }
}

/// Checks `text` as a page; on failure, gives the text back with the error.
pub fn check_page(text: String, read: Reading) -> Result<Page, (String, Box<json::Error>)> {
    if text.trim().is_empty() {
        return Err((text, empty_body()));
    }
    let mut sink = PageSink::default();
    let shape = match read {
        Reading::Listing => &EXPORT_JOBS_PAGE,
        #[cfg(feature = "watch")]
        Reading::Watch => &WATCHED_PAGE,
    };
    if let Err(error) = json::check(&text, &Shape::Object(shape), &mut sink) {
        return Err((text, error));
    }
    Ok(Page {
        text,
        cuts: sink.cuts,
        jobs: sink.jobs,
        results_start: sink.results_start,
        total_count: sink.total_count,
        links_present: sink.links_present,
        has_next: sink.has_next,
    })
}

fn empty_body() -> Box<json::Error> {
    Box::new(json::Error {
        path: "$".to_owned(),
        offset: 0,
        line: 1,
        column: 0,
        problem: json::Problem::Syntax("emptyBody"),
    })
}

// ---- errors ------------------------------------------------------------------------------------

#[derive(Default)]
struct ErrorSink {
    status: Option<i64>,
    error: ApiFailure,
    parameters: Option<(usize, usize)>,
    bad_request_detail: Option<(usize, usize)>,
    cuts: Vec<(usize, usize)>,
}

impl Sink for ErrorSink {
    fn seen(&mut self, tag: u8, what: Seen<'_>) {
        match (tag, what) {
            (ERROR_STATUS, Seen::Integer(n)) => self.status = Some(n),
            (ERROR_CODE, Seen::Text(s)) => self.error.error_code = Some(s.into_owned()),
            (DETAIL, Seen::Text(s)) => self.error.detail = Some(s.into_owned()),
            (REASON, Seen::Text(s)) => self.error.reason = Some(s.into_owned()),
            (PARAMETERS, Seen::Span(a, b)) => self.parameters = Some((a, b)),
            (BAD_REQUEST_DETAIL, Seen::Span(a, b)) => self.bad_request_detail = Some((a, b)),
            _ => {}
        }
    }

    fn cut(&mut self, start: usize, end: usize) {
        self.cuts.push((start, end));
    }
}

/// An Atlas error document, with the status it names when `own_status` (an envelope's errors).
fn api_error(text: &str, status: u16, own_status: bool) -> Option<ApiFailure> {
    let mut sink = ErrorSink::default();
    json::check(text, &Shape::Object(&API_ERROR), &mut sink).ok()?;
    let mut error = sink.error;
    error.status = status;
    if own_status {
        if let Some(named) = sink.status.and_then(|s| u16::try_from(s).ok()) {
            error.status = named;
        }
    }
    let json_of = |span: Option<(usize, usize)>| {
        span.map(|span| json::without(text, span, sink.cuts.clone()))
    };
    error.parameters = json_of(sink.parameters);
    error.bad_request_detail = json_of(sink.bad_request_detail);
    Some(error)
}

/// An error status's body: an Atlas error if it is one, else the text (a proxy's page), shortened.
pub fn error_body(status: u16, text: &str) -> ApiFailure {
    api_error(text, status, false).unwrap_or_else(|| ApiFailure {
        status,
        body: Some(shortened(text)),
        ..ApiFailure::default()
    })
}

/// The start of a foreign body: what is kept, and a margin that scrubbing needs (see `redact`).
fn shortened(body: &str) -> String {
    let mut end = body
        .len()
        .min(FOREIGN_BODY_LIMIT.saturating_add(SECRET_MARGIN));
    while !body.is_char_boundary(end) {
        end = end.saturating_sub(1);
    }
    body.get(..end).unwrap_or_default().to_owned()
}

// ---- whole responses ---------------------------------------------------------------------------

/// A response's body as text: UTF-8 without a leading byte order mark, as `Response.text()`
/// reads it, or where it stops being UTF-8.
pub fn body_text(body: Vec<u8>) -> Result<String, (Vec<u8>, usize)> {
    let mut body = body;
    if body.starts_with(&[0xEF, 0xBB, 0xBF]) {
        body.drain(..3);
    }
    String::from_utf8(body).map_err(|error| {
        let at = error.utf8_error().valid_up_to();
        (error.into_bytes(), at)
    })
}

#[derive(Default)]
struct EnvelopeSink {
    status: Option<i64>,
    content: Option<(usize, usize)>,
}

impl Sink for EnvelopeSink {
    fn seen(&mut self, tag: u8, what: Seen<'_>) {
        match (tag, what) {
            (ENVELOPE_STATUS, Seen::Integer(n)) => self.status = Some(n),
            (ENVELOPE_CONTENT, Seen::Span(a, b)) => self.content = Some((a, b)),
            _ => {}
        }
    }
    fn cut(&mut self, _: usize, _: usize) {}
}

/// A 2xx body is the page; anything else is an error, described as far as the body allows.
/// With `enveloped`, the status in the body decides, whatever the transport's, and a `content`
/// wrapper is taken off.
/// What a page is read for: a listing, or a watch's round, which also reads each job's progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Reading {
    #[default]
    Listing,
    #[cfg(feature = "watch")]
    Watch,
}

/// A response as a listing reads it (see [`decode_as`]).
pub fn decode(status: u16, body: Vec<u8>, enveloped: bool) -> Result<Page, Failure> {
    decode_as(status, body, enveloped, Reading::Listing)
}

/// A response, read for `read`.
pub fn decode_as(
    status: u16,
    body: Vec<u8>,
    enveloped: bool,
    read: Reading,
) -> Result<Page, Failure> {
    let text = match body_text(body) {
        Ok(text) => text,
        Err((bytes, valid_up_to)) => {
            if (200..300).contains(&status) {
                return Err(Failure::Decode(DecodeFailure {
                    status,
                    error: not_utf8(&bytes, valid_up_to),
                    found: None,
                }));
            }
            // Lossy, but only the part that is kept: invalid bytes never multiply the size.
            lossy(
                bytes
                    .get(
                        ..FOREIGN_BODY_LIMIT
                            .saturating_add(SECRET_MARGIN)
                            .min(bytes.len()),
                    )
                    .unwrap_or_default(),
            )
        }
    };
    let (status, text) = if enveloped {
        unwrap_envelope(status, text)
    } else {
        (status, text)
    };
    if !(200..300).contains(&status) {
        return Err(Failure::Api(Box::new(error_body(status, &text))));
    }
    check_page(text, read).map_err(|(text, error)| {
        // An enveloped error may come as a bare ApiError with no status of its own.
        match api_error(&text, status, true).filter(|_| enveloped) {
            Some(api) => Failure::Api(Box::new(api)),
            None => Failure::Decode(DecodeFailure {
                status,
                found: error.found_in(&text),
                error,
            }),
        }
    })
}

/// `bytes` as text, each invalid sequence replaced by U+FFFD.
fn lossy(mut bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    loop {
        match core::str::from_utf8(bytes) {
            Ok(valid) => {
                text.push_str(valid);
                return text;
            }
            Err(error) => {
                let (valid, rest) = bytes
                    .split_at_checked(error.valid_up_to())
                    .unwrap_or((bytes, &[]));
                text.push_str(core::str::from_utf8(valid).unwrap_or_default());
                text.push('\u{FFFD}');
                let skip = error.error_len().unwrap_or(rest.len()).max(1);
                bytes = rest.get(skip..).unwrap_or_default();
            }
        }
    }
}

fn not_utf8(bytes: &[u8], valid_up_to: usize) -> Box<json::Error> {
    let before = bytes.get(..valid_up_to).unwrap_or_default();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i.saturating_add(1));
    Box::new(json::Error {
        path: "$".to_owned(),
        offset: valid_up_to,
        line: 1usize.saturating_add(before.iter().filter(|&&b| b == b'\n').count()),
        column: valid_up_to.saturating_sub(line_start),
        problem: json::Problem::Syntax("notUtf8"),
    })
}

/// The status and text an envelope carries, a `content` wrapper taken off; a body that is no
/// envelope is taken as it is.
fn unwrap_envelope(status: u16, text: String) -> (u16, String) {
    let mut sink = EnvelopeSink::default();
    if json::check(&text, &Shape::Object(&ENVELOPE), &mut sink).is_err() {
        return (status, text);
    }
    let status = sink
        .status
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
        .unwrap_or(status);
    match sink.content {
        Some((start, end)) => (status, text.get(start..end).unwrap_or_default().to_owned()),
        None => (status, text),
    }
}
