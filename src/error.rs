//! The failures the core can report. Network, timeout and abort failures carry a JavaScript
//! `cause`, so they are made by the wasm shell; everything else is decided here.

use serde::Serialize;

use crate::auth::AuthFailure;
use crate::model::{ApiError, BadRequestDetail};
use crate::paging::PagingFailure;

/// A caller mistake, found before any request is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify),
    tsify(rename = "ValidationErrorFields")
)]
pub struct ValidationError {
    /// The parameter or option at fault, as the caller spelled it.
    pub field: String,
    #[serde(skip)]
    pub message: String,
}

impl ValidationError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        ValidationError {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

/// Atlas, or something in front of it, answered with an error status.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify),
    tsify(rename = "ApiErrorFields")
)]
#[serde(rename_all = "camelCase")]
pub struct ApiFailure {
    /// The HTTP status of the response.
    pub status: u16,
    /// Atlas's code for the error (`CLUSTER_NOT_FOUND`); absent when the body was not an Atlas error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The status's reason phrase (`Not Found`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What exactly went wrong, in Atlas's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Facts about the error (the names and values involved).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "JsonValue[]"))]
    pub parameters: Option<Vec<serde_json::Value>>,
    /// Which request fields broke which rule (on 400 responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<BadRequestDetail>,
    /// The body text when it was not an Atlas error document (a proxy's HTML page, say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl ApiFailure {
    pub fn from_api_error(status: u16, error: ApiError) -> Self {
        ApiFailure {
            status,
            error_code: Some(error.error_code),
            reason: error.reason,
            detail: error.detail,
            parameters: error.parameters,
            bad_request_detail: error.bad_request_detail,
            body: None,
        }
    }

    pub fn from_foreign_body(status: u16, body: String) -> Self {
        ApiFailure {
            status,
            error_code: None,
            reason: None,
            detail: None,
            parameters: None,
            bad_request_detail: None,
            body: Some(body),
        }
    }
}

/// A response that does not have the shape the API documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    target_arch = "wasm32",
    derive(tsify::Tsify),
    tsify(rename = "DecodeErrorFields")
)]
pub struct DecodeFailure {
    /// Where in the body it went wrong, as a JSON path (`$.results[3].state`).
    pub path: String,
    /// The HTTP status of the response.
    pub status: u16,
    #[serde(skip)]
    pub problem: String,
}

/// Every failure the core decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Validation(ValidationError),
    /// Boxed: the largest variant, and the rarest.
    Api(Box<ApiFailure>),
    Decode(DecodeFailure),
    /// A listing stopped by a guard of the caller's or by a misbehaving server.
    Paging(PagingFailure),
    Auth(AuthFailure),
}

impl Failure {
    /// The `kind` the JavaScript `AtlasError` carries.
    pub fn kind(&self) -> &'static str {
        match self {
            Failure::Validation(_) => "validation",
            Failure::Api(_) => "api",
            Failure::Decode(_) => "decode",
            Failure::Paging(_) => "paging",
            Failure::Auth(_) => "auth",
        }
    }

    /// One sentence: what happened, with the facts that explain it.
    pub fn message(&self) -> String {
        match self {
            Failure::Validation(error) => error.message.clone(),
            Failure::Api(api) => api_message(api),
            Failure::Paging(paging) => paging.message.clone(),
            Failure::Auth(auth) => auth.message.clone(),
            Failure::Decode(decode) => format!(
                "the {} response does not match the documented shape at {}: {}",
                decode.status, decode.path, decode.problem
            ),
        }
    }
}

fn api_message(api: &ApiFailure) -> String {
    match (&api.error_code, &api.detail) {
        (Some(code), Some(detail)) => format!("Atlas answered {} {}: {}", api.status, code, detail),
        (Some(code), None) => match &api.reason {
            Some(reason) => format!("Atlas answered {} {}: {}", api.status, code, reason),
            None => format!("Atlas answered {} {}", api.status, code),
        },
        (None, _) if api.body.as_deref().is_some_and(|b| !b.trim().is_empty()) => format!(
            "the server answered {} with a body that is not an Atlas error (a proxy or gateway may have answered)",
            api.status
        ),
        (None, _) => format!("the server answered {} with an empty body", api.status),
    }
}

impl From<ValidationError> for Failure {
    fn from(error: ValidationError) -> Self {
        Failure::Validation(error)
    }
}
