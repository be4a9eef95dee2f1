//! Turns a response (status and body text) into a page or a failure. Lenient where the spec is
//! (unknown fields, unknown states), strict on types, and total: every input gets an answer.

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{ApiFailure, DecodeFailure, Failure};
use crate::model::{ApiError, ExportJobsPage};

/// How much of a foreign error body is kept: enough to recognise a proxy's page.
const FOREIGN_BODY_LIMIT: usize = 16 * 1024;

/// A response as the transport read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawResponse<'a> {
    pub status: u16,
    pub body: &'a str,
}

/// `envelope=true` bodies: `{status, ...page}` for lists, `{status, content}` for single entities.
#[derive(Deserialize)]
struct Envelope<'a> {
    status: Option<i64>,
    #[serde(borrow)]
    content: Option<&'a RawValue>,
}

/// A 2xx body is the page; anything else is an error, described as far as the body allows.
/// With `enveloped`, the status in the body decides, whatever the transport's, and a `content`
/// wrapper is unwrapped.
pub fn decode_page(response: RawResponse<'_>, enveloped: bool) -> Result<ExportJobsPage, Failure> {
    let (status, body) = if enveloped {
        unwrap_envelope(response)
    } else {
        (response.status, response.body)
    };
    if !(200..300).contains(&status) {
        return Err(Failure::Api(Box::new(decode_error_body(RawResponse {
            status,
            body,
        }))));
    }
    parse_json::<ExportJobsPage>(body).map_err(|(path, problem)| {
        // An enveloped error may come as a bare ApiError with no status of its own.
        match parse_json::<ApiError>(body) {
            Ok(error) if enveloped => {
                let status = u16::try_from(error.error).unwrap_or(status);
                Failure::Api(Box::new(ApiFailure::from_api_error(status, error)))
            }
            _ => Failure::Decode(DecodeFailure {
                path,
                status,
                problem,
            }),
        }
    })
}

/// The status and body an envelope carries; a body that is no envelope is taken as it is.
fn unwrap_envelope(response: RawResponse<'_>) -> (u16, &str) {
    let Ok(envelope) = serde_json::from_str::<Envelope<'_>>(response.body) else {
        return (response.status, response.body);
    };
    let status = envelope
        .status
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
        .unwrap_or(response.status);
    let body = envelope.content.map_or(response.body, RawValue::get);
    (status, body)
}

fn decode_error_body(response: RawResponse<'_>) -> ApiFailure {
    match parse_json::<ApiError>(response.body) {
        Ok(error) => ApiFailure::from_api_error(response.status, error),
        Err(_) => ApiFailure::from_foreign_body(response.status, shortened(response.body)),
    }
}

/// Parses `body`, or says where (a JSON path) and what went wrong.
fn parse_json<T: DeserializeOwned>(body: &str) -> Result<T, (String, String)> {
    if body.trim().is_empty() {
        return Err(("$".to_owned(), "the body is empty".to_owned()));
    }
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let mut path = json_path(&error.path().to_string());
        let inner = error.into_inner();
        // serde names a missing field only in its message; put it in the path, where it belongs.
        if let Some(field) = missing_field(&inner) {
            path = format!("{path}.{field}");
        }
        (path, problem(&inner))
    })?;
    // Trailing content after the document is as wrong as a truncated one.
    deserializer
        .end()
        .map_err(|inner| ("$".to_owned(), problem(&inner)))?;
    Ok(value)
}

fn missing_field(error: &serde_json::Error) -> Option<String> {
    let message = error.to_string();
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_owned)
}

fn problem(error: &serde_json::Error) -> String {
    if error.is_syntax() || error.is_eof() {
        format!("not valid JSON ({error})")
    } else {
        error.to_string()
    }
}

/// serde_path_to_error writes `.` for the root and `results[0].id` below it.
fn json_path(path: &str) -> String {
    match path {
        "." | "" => "$".to_owned(),
        below => format!("$.{below}"),
    }
}

fn shortened(body: &str) -> String {
    if body.len() <= FOREIGN_BODY_LIMIT {
        return body.to_owned();
    }
    let mut end = FOREIGN_BODY_LIMIT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.get(..end).unwrap_or_default().to_owned()
}
