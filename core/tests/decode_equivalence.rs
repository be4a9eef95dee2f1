//! The page decoder (`json.rs`, `decode.rs`) against the serde_json + serde_path_to_error decoding
//! it replaced, kept here as the reference: on the fixtures and on thousands of bodies made from
//! them (values of every other type, fields removed or repeated, bodies cut short, stray bytes),
//! both must accept the same bodies with the same pages, and reject the rest with the same kind,
//! JSON path and message.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)] // test code

use atlas_export_jobs::decode::{decode, decode_page, RawResponse};
use atlas_export_jobs::error::{ApiFailure, DecodeFailure, Failure};
use atlas_export_jobs::model::{ApiError, ExportJobsPage};
use serde::de::DeserializeOwned;

/// The decoding as it was, with serde.
mod reference {
    use super::*;

    pub fn decode_page(status: u16, body: &str) -> Result<ExportJobsPage, Failure> {
        if !(200..300).contains(&status) {
            return Err(Failure::Api(Box::new(match parse_json::<ApiError>(body) {
                Ok(error) => ApiFailure::from_api_error(status, error),
                Err(_) => ApiFailure::from_foreign_body(status, body.to_owned()),
            })));
        }
        parse_json::<ExportJobsPage>(body).map_err(|(path, problem)| {
            Failure::Decode(DecodeFailure {
                path,
                status,
                problem,
            })
        })
    }

    fn parse_json<T: DeserializeOwned>(body: &str) -> Result<T, (String, String)> {
        if body.trim().is_empty() {
            return Err(("$".to_owned(), "the body is empty".to_owned()));
        }
        let mut deserializer = serde_json::Deserializer::from_str(body);
        let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let mut path = match error.path().to_string().as_str() {
                "." | "" => "$".to_owned(),
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
            (path, problem(&inner))
        })?;
        deserializer
            .end()
            .map_err(|inner| ("$".to_owned(), problem(&inner)))?;
        Ok(value)
    }

    fn problem(error: &serde_json::Error) -> String {
        if error.is_syntax() || error.is_eof() {
            format!("not valid JSON ({error})")
        } else {
            error.to_string()
        }
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

/// serde accepts a JSON array for a struct (its fields by position); the new decoder, like the
/// spec, wants an object. That is the one intended difference.
fn new_refused_an_array_for_a_struct(new: &Result<ExportJobsPage, Failure>) -> bool {
    matches!(new, Err(Failure::Decode(DecodeFailure { problem, .. }))
        if problem.starts_with("invalid type: sequence, expected struct"))
}

fn compare(status: u16, body: &str) {
    let new = decode_page(RawResponse { status, body }, false);
    let old = reference::decode_page(status, body);
    if new_refused_an_array_for_a_struct(&new) {
        return;
    }
    match (&new, &old) {
        (Ok(new), Ok(old)) => assert_eq!(new, old, "{body}"),
        (Err(Failure::Decode(new)), Err(Failure::Decode(old))) => {
            assert_eq!(
                (&new.path, same_floats(&new.problem)),
                (&old.path, same_floats(&old.problem)),
                "{body:?}"
            );
        }
        (Err(Failure::Api(new)), Err(Failure::Api(old))) => {
            // The reference keeps the whole foreign body; the real decoder shortens huge ones.
            assert_eq!(
                (
                    &new.error_code,
                    &new.detail,
                    &new.reason,
                    &new.parameters,
                    &new.bad_request_detail
                ),
                (
                    &old.error_code,
                    &old.detail,
                    &old.reason,
                    &old.parameters,
                    &old.bad_request_detail
                ),
                "{body}"
            );
        }
        _ => panic!("{body}\nnew: {new:?}\nold: {old:?}"),
    }
}

/// serde writes the float of `invalid type: floating point` in Rust's shortest form (`100.0`);
/// the new decoder repeats the body's text (`1e2`): the same number, compared as such.
fn same_floats(problem: &str) -> String {
    let Some((before, rest)) = problem.split_once("floating point `") else {
        return problem.to_owned();
    };
    let Some((number, after)) = rest.split_once('`') else {
        return problem.to_owned();
    };
    format!(
        "{before}floating point {:?}{after}",
        number.parse::<f64>().ok()
    )
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
    "\"\\ud800\"",
    "01",
    "1.",
    "tru",
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

#[test]
fn decodes_every_fixture_as_serde_did() {
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
}

#[test]
fn decodes_every_value_of_another_type_as_serde_did() {
    for body in [
        fixture("seed-200-list.json"),
        rich_page(),
        fixture("seed-404.json"),
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
fn decodes_every_truncation_and_stray_byte_as_serde_did() {
    let body = rich_page();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    for end in (0..body.len()).filter(|&i| body.is_char_boundary(i)) {
        compare(200, &body[..end]);
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
        compare(200, &format!("{}{stray}{}", &body[..at], &body[at..]));
        // And a byte taken out.
        if let Some(c) = body[at..].chars().next() {
            compare(
                200,
                &format!("{}{}", &body[..at], &body[at + c.len_utf8()..]),
            );
        }
    }
}

#[test]
fn decodes_removed_repeated_and_unknown_fields_as_serde_did() {
    let body = rich_page();
    let keys: Vec<(usize, usize)> = {
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
    };
    for &(start, end) in &keys {
        let key = &body[start..end];
        // Renamed (unknown, so the field is missing), repeated, and escaped.
        compare(
            200,
            &format!("{}\"zz{}{}", &body[..start], &key[1..], &body[end..]),
        );
        compare(
            200,
            &format!("{}{key}:null,{key}{}", &body[..start], &body[end..]),
        );
        compare(
            200,
            &format!(
                "{}{key}:{{\"deep\":[[[]]]}},{key}{}",
                &body[..start],
                &body[end..]
            ),
        );
        let escaped = format!("\"\\u00{:02x}{}", key.as_bytes()[1], &key[2..]);
        compare(200, &format!("{}{escaped}{}", &body[..start], &body[end..]));
    }
}

#[test]
fn says_which_pages_are_exactly_their_body() {
    let exact = |body: &str| {
        decode(RawResponse { status: 200, body }, false)
            .unwrap()
            .exact
    };
    assert!(exact(&fixture("seed-200-list.json")));
    assert!(exact(&rich_page()));
    assert!(exact(" {\"results\" : [ ] }\n"));
    // Anything the page would not repeat: an unknown field, a null, or fields out of order.
    assert!(!exact(r#"{"results":[],"extra":1}"#));
    assert!(!exact(r#"{"results":[],"totalCount":null}"#));
    assert!(!exact(r#"{"totalCount":1,"results":[]}"#));
    let enveloped = |body: &str| {
        decode(RawResponse { status: 200, body }, true)
            .unwrap()
            .exact
    };
    assert!(enveloped(r#"{"results":[]}"#));
    assert!(!enveloped(r#"{"status":200,"results":[]}"#));
    assert!(!enveloped(r#"{"status":200,"content":{"results":[]}}"#));
}

#[test]
fn never_overflows_the_stack_on_deep_nesting() {
    let deep = format!(
        r#"{{"results":[],"x":{}{}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(decode_page(
        RawResponse {
            status: 200,
            body: &deep
        },
        false
    )
    .is_ok());
    let deep_error = format!(
        r#"{{"error":400,"errorCode":"X","parameters":[{}{}]}}"#,
        "[".repeat(1_000),
        "]".repeat(1_000)
    );
    compare(400, &deep_error);
}
