//! The page decoder (`json.rs`, `decode.rs`) against serde_json + serde_path_to_error decoding
//! into the documented types, kept here as the reference: on the fixtures and on thousands of
//! bodies made from them (values of every other type, fields removed or repeated, bodies cut
//! short, stray bytes), both must accept the same bodies, and
//! - for a page, what the caller gets (`Page::json`) must parse to the page the reference built,
//!   and be exactly its JSON (no unknown field or `null` left in);
//! - for an Atlas error, the same code, detail, reason, parameters and bad-request detail;
//! - for a refusal, the same JSON path and the same class of problem (not JSON at all, or JSON of
//!   the wrong shape).
//!
//! Messages are not compared: the core no longer writes any (JavaScript writes them from the
//! failure's facts), so what is left to agree on is where and what kind of problem.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

use atlas_export_jobs_core::error::Failure;
use atlas_export_jobs_core::wire::decode;
use atlas_export_jobs_core::wire::json::Problem;
use atlas_export_jobs_core::wire::model::ExportJobsPage;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The decoding by serde, into the documented types.
mod reference {
    use super::*;
    use serde::{Deserialize, Serialize};

    /// `ApiError`, as serde reads it.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct ApiError {
        #[allow(dead_code)] // read for its type only
        pub error: i32,
        pub error_code: String,
        #[serde(default)]
        pub detail: Option<String>,
        #[serde(default)]
        pub reason: Option<String>,
        #[serde(default)]
        pub parameters: Option<Vec<Value>>,
        #[serde(default)]
        pub bad_request_detail: Option<BadRequestDetail>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct BadRequestDetail {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub fields: Option<Vec<FieldViolation>>,
    }

    #[derive(Debug, Serialize, Deserialize)]
    pub struct FieldViolation {
        pub field: String,
        pub description: String,
    }

    #[derive(Debug)]
    pub enum Outcome {
        Page(ExportJobsPage),
        /// An Atlas error's fields, with parameters and bad-request detail as JSON values.
        Atlas {
            error_code: String,
            detail: Option<String>,
            reason: Option<String>,
            parameters: Option<Value>,
            bad_request_detail: Option<Value>,
        },
        /// An error status whose body is not an Atlas error.
        Foreign,
        /// A 2xx body that is not a page: where, and whether it is not JSON at all.
        Refused {
            path: String,
            syntax: bool,
        },
    }

    pub fn decode(status: u16, body: &str) -> Outcome {
        if !(200..300).contains(&status) {
            return match parse_json::<ApiError>(body) {
                Ok(error) => Outcome::Atlas {
                    error_code: error.error_code,
                    detail: error.detail,
                    reason: error.reason,
                    parameters: error.parameters.map(Value::Array),
                    bad_request_detail: error
                        .bad_request_detail
                        .map(|d| serde_json::to_value(d).unwrap()),
                },
                Err(_) => Outcome::Foreign,
            };
        }
        match parse_json::<ExportJobsPage>(body) {
            Ok(page) => Outcome::Page(page),
            Err((path, syntax)) => Outcome::Refused { path, syntax },
        }
    }

    fn parse_json<T: DeserializeOwned>(body: &str) -> Result<T, (String, bool)> {
        if body.trim().is_empty() {
            return Err(("$".to_owned(), true));
        }
        let mut deserializer = serde_json::Deserializer::from_str(body);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            // serde_path_to_error names a key it could not read `?`; the reader places such a
            // failure at the object itself.
            let mut path = match error
                .path()
                .to_string()
                .trim_end_matches('?')
                .trim_end_matches('.')
            {
                "" => "$".to_owned(),
                below => format!("$.{below}"),
            };
            let inner = error.into_inner();
            if let Some(field) = inner
                .to_string()
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next())
            {
                path = format!("{path}.{field}");
            }
            (path, is_syntax(&inner))
        })?;
        deserializer
            .end()
            .map_err(|inner| ("$".to_owned(), is_syntax(&inner)))?;
        Ok(value)
    }

    fn is_syntax(error: &serde_json::Error) -> bool {
        error.is_syntax() || error.is_eof()
    }
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap()
}

/// A page of the mock's shape, with every optional field somewhere.
fn rich_page() -> String {
    let job = |i: usize| {
        format!(
            r#"{{"components":[{{"exportId":"6542a1b2c3d4e5f60718293{i}","replicaSetName":"rs-{i}"}}],
            "createdAt":"2026-01-01T0{i}:00:00Z","customData":[{{"key":"k","value":"v\"\u00e9\n"}}],
            "exportBucketId":"6542a1b2c3d4e5f60718293b","exportStatus":{{"exportedCollections":{i},"totalCollections":-7}},
            "finishedAt":"2026-01-01T10:00:00Z","id":"id-{i}","links":[{{"href":"https://x/{i}","rel":"self"}}],
            "prefix":"exported_snapshots/a/b","snapshotId":"s","state":"Failed",
            "stateReason":{{"errorCode":"E","message":"m \ud83d\ude00"}}}}"#
        )
    };
    format!(
        r#"{{"links":[{{"href":"https://x","rel":"self"}},{{"href":"https://y","rel":"next"}}],"results":[{},{}],"totalCount":2}}"#,
        job(1),
        job(2)
    )
}

/// An Atlas error with every field, and fields of its own inside.
fn rich_error() -> String {
    r#"{"error":400,"errorCode":"INVALID_PARAMETER","detail":"bad \"x\"","reason":"Bad Request",
    "parameters":["itemsPerPage",501,{"a":[true,null]},-1.5e3],
    "badRequestDetail":{"fields":[{"field":"itemsPerPage","description":"too big"},{"field":"f","description":"d"}]}}"#
        .to_owned()
}

/// The positions of the documented types where serde also takes an array (a struct's fields by
/// position) and the JSON reader, like the spec, wants an object: the one intended difference.
fn array_for_a_struct(status: u16, body: &str) -> bool {
    fn objects(value: &Value, path: &[&str]) -> bool {
        match path.split_first() {
            None => value.is_array(),
            Some((&"*", rest)) => value
                .as_array()
                .is_some_and(|items| items.iter().any(|item| objects(item, rest))),
            Some((key, rest)) => value.get(key).is_some_and(|inner| objects(inner, rest)),
        }
    }
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return false;
    };
    let structs: &[&[&str]] = if (200..300).contains(&status) {
        &[
            &[],
            &["links", "*"],
            &["results", "*"],
            &["results", "*", "components", "*"],
            &["results", "*", "customData", "*"],
            &["results", "*", "exportStatus"],
            &["results", "*", "links", "*"],
            &["results", "*", "stateReason"],
        ]
    } else {
        &[
            &[],
            &["badRequestDetail"],
            &["badRequestDetail", "fields", "*"],
        ]
    };
    structs.iter().any(|path| objects(&value, path))
}

fn new_refused_an_array_for_a_struct(new: &Result<decode::Page, Failure>) -> bool {
    matches!(new, Err(Failure::Decode(failure))
        if matches!(failure.error.problem, Problem::Type { found: "sequence", expected, .. }
            if expected.starts_with("struct ")))
}

fn json_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn compare(status: u16, body: &str) {
    let new = decode::decode(status, body.as_bytes().to_vec(), false);
    if new_refused_an_array_for_a_struct(&new) || array_for_a_struct(status, body) {
        return;
    }
    let old = reference::decode(status, body);
    match (&new, &old) {
        (Ok(page), reference::Outcome::Page(expected)) => {
            let json = page.json(&[]);
            let got: ExportJobsPage =
                serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}\n{json}\nfrom {body}"));
            assert_eq!(&got, expected, "{body}");
            assert_eq!(
                json_value(&json),
                serde_json::to_value(expected).unwrap(),
                "the text says exactly what the types say: {body}"
            );
            assert_eq!(page.is_exact(), *json == *body, "{body}");
        }
        (Err(Failure::Decode(failure)), reference::Outcome::Refused { path, syntax }) => {
            assert_eq!(
                (&failure.error.path, failure.error.is_syntax()),
                (path, *syntax),
                "{body:?}\nnew: {failure:?}"
            );
        }
        (
            Err(Failure::Api(api)),
            reference::Outcome::Atlas {
                error_code,
                detail,
                reason,
                parameters,
                bad_request_detail,
            },
        ) => {
            assert_eq!(api.status, status);
            assert_eq!(api.error_code.as_ref(), Some(error_code), "{body}");
            assert_eq!((&api.detail, &api.reason), (detail, reason), "{body}");
            assert_eq!(
                api.parameters.as_deref().map(json_value).as_ref(),
                parameters.as_ref(),
                "{body}"
            );
            assert_eq!(
                api.bad_request_detail.as_deref().map(json_value).as_ref(),
                bad_request_detail.as_ref(),
                "{body}"
            );
            assert_eq!(api.body, None);
        }
        (Err(Failure::Api(api)), reference::Outcome::Foreign) => {
            // The reference keeps the whole foreign body; the real decoder shortens huge ones.
            assert_eq!(api.error_code, None, "{body}");
            assert!(body.starts_with(api.body.as_deref().unwrap()), "{body}");
        }
        _ => panic!("{body}\nnew: {new:?}\nold: {old:?}"),
    }
}

/// A small deterministic generator, so a failure can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self, below: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % below as u64) as usize
    }
}

/// Values to put where another was. Numbers past f64 and lone surrogates have tests of their own,
/// below, in known and unknown fields alike.
const REPLACEMENTS: [&str; 22] = [
    "3",
    "-3",
    "0",
    "-0",
    "1.5",
    "1e2",
    "3000000000",
    "-2147483649",
    "99999999999999999999",
    "\"x\"",
    "\"\\u00e9\"",
    "null",
    "true",
    "false",
    "[]",
    "[1]",
    "{}",
    "{\"a\":1}",
    "01",
    "1.",
    "tru",
    "\"\\x\"",
];

/// The start and end of every scalar or bracketed value in `body` (strings, numbers, literals,
/// arrays, objects), found by a rough scan that is good enough to pick places to damage.
fn value_spans(body: &str) -> Vec<(usize, usize)> {
    let bytes = body.as_bytes();
    let mut spans = Vec::new();
    let mut stack = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                // A key is followed by a colon; only values are replaced.
                let rest = body[i + 1..].trim_start();
                if !rest.starts_with(':') {
                    spans.push((start, i + 1));
                }
            }
            b'[' | b'{' => stack.push(i),
            b']' | b'}' => {
                if let Some(start) = stack.pop() {
                    spans.push((start, i + 1));
                }
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                let start = i;
                while i + 1 < bytes.len()
                    && !matches!(bytes[i + 1], b',' | b'}' | b']' | b' ' | b'\n')
                {
                    i += 1;
                }
                spans.push((start, i + 1));
            }
            _ => {}
        }
        i += 1;
    }
    spans
}

/// The spans of every key (with its quotes) in `body`.
fn key_spans(body: &str) -> Vec<(usize, usize)> {
    let mut keys = Vec::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i;
            i += 1;
            while bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            if body[i + 1..].trim_start().starts_with(':') {
                keys.push((start, i + 1));
            }
        }
        i += 1;
    }
    keys
}

#[test]
fn decodes_every_fixture_as_serde_does() {
    for name in [
        "seed-200-list.json",
        "seed-401.json",
        "seed-403.json",
        "seed-404.json",
        "seed-500.json",
    ] {
        let body = fixture(name);
        for status in [200, 404] {
            compare(status, &body);
        }
    }
    compare(200, &rich_page());
    compare(400, &rich_error());
}

#[test]
fn decodes_every_value_of_another_type_as_serde_does() {
    for body in [
        fixture("seed-200-list.json"),
        rich_page(),
        fixture("seed-404.json"),
        rich_error(),
    ] {
        for (start, end) in value_spans(&body) {
            for replacement in REPLACEMENTS {
                let damaged = format!("{}{replacement}{}", &body[..start], &body[end..]);
                compare(200, &damaged);
                compare(400, &damaged);
            }
        }
    }
}

#[test]
fn decodes_every_truncation_and_stray_byte_as_serde_does() {
    for body in [rich_page(), rich_error()] {
        let mut random = Random(0x2545_f491_4f6c_dd1d);
        for end in (0..body.len()).filter(|&i| body.is_char_boundary(i)) {
            compare(200, &body[..end]);
            compare(400, &body[..end]);
        }
        let strays = [
            ",", "]", "}", ":", "\"", "\\", "\u{1}", "x", " ", "[", "{", "0", "-", "e", "\u{e9}",
        ];
        for _ in 0..4000 {
            let at = random.next(body.len());
            if !body.is_char_boundary(at) {
                continue;
            }
            let stray = strays[random.next(strays.len())];
            let inserted = format!("{}{stray}{}", &body[..at], &body[at..]);
            compare(200, &inserted);
            compare(400, &inserted);
            // And a character taken out.
            if let Some(c) = body[at..].chars().next() {
                let removed = format!("{}{}", &body[..at], &body[at + c.len_utf8()..]);
                compare(200, &removed);
                compare(400, &removed);
            }
        }
    }
}

#[test]
fn decodes_removed_repeated_and_unknown_fields_as_serde_does() {
    for (status, body) in [(200, rich_page()), (400, rich_error())] {
        for (start, end) in key_spans(&body) {
            let key = &body[start..end];
            // Renamed (unknown, so the field is missing), repeated, and escaped.
            compare(
                status,
                &format!("{}\"zz{}{}", &body[..start], &key[1..], &body[end..]),
            );
            compare(
                status,
                &format!("{}{key}:null,{key}{}", &body[..start], &body[end..]),
            );
            compare(
                status,
                &format!(
                    "{}{key}:{{\"deep\":[[[]]]}},{key}{}",
                    &body[..start],
                    &body[end..]
                ),
            );
            let escaped = format!("\"\\u00{:02x}{}", key.as_bytes()[1], &key[2..]);
            compare(
                status,
                &format!("{}{escaped}{}", &body[..start], &body[end..]),
            );
        }
    }
}

/// An exact page is handed to JavaScript as the body itself: anything the types would not
/// repeat (an unknown field, a `null`) makes it inexact. Field order does not matter, since
/// `JSON.parse` builds the same object whatever the order; an envelope's `content` is taken out
/// of the body as a text of its own, and may be exact.
#[test]
fn says_which_pages_are_exactly_their_body() {
    let exact = |body: &str, enveloped: bool| {
        decode::decode(200, body.as_bytes().to_vec(), enveloped)
            .unwrap()
            .is_exact()
    };
    assert!(exact(&fixture("seed-200-list.json"), false));
    assert!(exact(&rich_page(), false));
    assert!(exact(" {\"results\" : [ ] }\n", false));
    assert!(exact(r#"{"totalCount":1,"results":[]}"#, false));
    assert!(!exact(r#"{"results":[],"extra":1}"#, false));
    assert!(!exact(r#"{"results":[],"totalCount":null}"#, false));
    assert!(exact(r#"{"results":[]}"#, true));
    assert!(!exact(r#"{"status":200,"results":[]}"#, true));
    assert!(exact(r#"{"status":200,"content":{"results":[]}}"#, true));
}

/// serde_json reads a field the types do not know as `IgnoredAny`: any number the grammar
/// allows, however large, is skipped, and so is any depth of nesting (it is cut from the page, so
/// `JSON.parse` never sees it either).
#[test]
fn skips_an_unknown_field_holding_a_number_past_f64_as_serde_does() {
    for body in [
        r#"{"results":[],"x":1e400}"#,
        r#"{"results":[{"exportBucketId":"b","future":[-1e999,{"y":2e308}]}]}"#,
        r#"{"links":[{"href":"h","size":1e400}],"results":[]}"#,
    ] {
        compare(200, body);
    }
}

/// Where a value is typed, a number past f64 is refused by both, as no number at all.
#[test]
fn refuses_a_typed_number_past_f64_as_serde_does() {
    for (status, body) in [
        (200, r#"{"results":[],"totalCount":1e400}"#),
        (
            200,
            r#"{"results":[{"exportBucketId":"b","exportStatus":{"totalCollections":-1e400}}]}"#,
        ),
        (
            400,
            r#"{"error":400,"errorCode":"X","parameters":["a",1e400]}"#,
        ),
        (400, r#"{"error":1e400,"errorCode":"X"}"#),
    ] {
        compare(status, body);
    }
}

/// serde_json skips a string of a field the types do not know without pairing its surrogates.
#[test]
fn skips_an_unknown_field_holding_a_lone_surrogate_as_serde_does() {
    for escape in [r"\ud800", r"\udc00", r"\ud800\u0041", r"\ud800x"] {
        compare(200, &format!(r#"{{"results":[],"x":"{escape}"}}"#));
        compare(
            400,
            &format!(r#"{{"error":400,"errorCode":"X","unknown":["{escape}"]}}"#),
        );
    }
}

/// Where a string is typed or a value is built, a lone surrogate is refused by both.
#[test]
fn refuses_a_typed_lone_surrogate_as_serde_does() {
    for escape in [r"\ud800", r"\udc00", r"\ud800\u0041", r"\ud800x"] {
        compare(
            200,
            &format!(r#"{{"results":[{{"exportBucketId":"{escape}"}}]}}"#),
        );
        compare(
            400,
            &format!(r#"{{"error":400,"errorCode":"X","parameters":["{escape}"]}}"#),
        );
        compare(400, &format!(r#"{{"error":400,"errorCode":"{escape}"}}"#));
    }
}

#[test]
fn skips_an_unknown_field_nested_to_any_depth_as_serde_does() {
    for depth in [126, 127, 128, 129, 100_000] {
        let deep = format!(
            r#"{{"results":[],"x":{}{}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        );
        compare(200, &deep);
    }
}

fn deep_parameters(depth: usize, closed: bool) -> String {
    let close = if closed {
        "]".repeat(depth) + "]}"
    } else {
        String::new()
    };
    format!(
        r#"{{"error":400,"errorCode":"X","parameters":[{}{close}"#,
        "[".repeat(depth)
    )
}

/// Where serde_json builds a value (an error's `parameters`), nesting far past its limit is
/// refused by both; the reader is iterative there, so no depth exhausts its stack.
#[test]
fn refuses_nesting_past_the_limit_where_values_are_read() {
    for depth in (100..=125).chain([200, 1_000, 100_000]) {
        compare(400, &deep_parameters(depth, true));
        compare(400, &deep_parameters(depth, false));
    }
    for depth in [1_000, 100_000] {
        let unclosed = format!(r#"{{"results":[],"x":{}"#, "[".repeat(depth));
        compare(200, &unclosed);
    }
}

/// serde_json reads at most 127 levels of nesting, counting the error object and the
/// `parameters` array (`MAX_DEPTH` says the reader keeps serde_json's limit).
#[test]
fn reads_values_exactly_as_deep_as_serde_json() {
    for depth in 126..=130 {
        compare(400, &deep_parameters(depth, true));
    }
}
