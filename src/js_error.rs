//! Builds the JavaScript `AtlasError` for every failure: the core's, and the transport's, which
//! carry the platform's original rejection as `cause`.

use js_sys::{Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{Failure, ValidationError};
use crate::to_js::to_js;
use crate::transport::TransportFailure;

#[wasm_bindgen(module = "/src/js/atlas-error.js")]
extern "C" {
    /// `class AtlasError extends Error`, exported from the package as is.
    #[wasm_bindgen(extends = js_sys::Error, reexport)]
    pub type AtlasError;

    #[wasm_bindgen(constructor)]
    fn new(kind: &str, message: &str, fields: &JsValue) -> AtlasError;

    /// Whether a value is an `AtlasError`, from this copy of the package or another.
    #[wasm_bindgen(reexport, js_name = isAtlasError)]
    fn is_atlas_error(value: &JsValue) -> bool;
}

impl From<Failure> for AtlasError {
    fn from(failure: Failure) -> Self {
        let fields = match &failure {
            Failure::Validation(error) => facts(error),
            Failure::Api(api) => facts(api),
            Failure::Decode(decode) => facts(decode),
            Failure::Paging(paging) => facts(paging),
            Failure::Auth(auth) => facts(auth),
        };
        AtlasError::new(failure.kind(), &failure.message(), &fields)
    }
}

impl From<ValidationError> for AtlasError {
    fn from(error: ValidationError) -> Self {
        Failure::from(error).into()
    }
}

impl From<TransportFailure> for AtlasError {
    fn from(failure: TransportFailure) -> Self {
        let (kind, message, cause) = match failure {
            TransportFailure::Network(cause) => (
                "network",
                format!("the request could not be completed: {}", describe(&cause)),
                cause,
            ),
            TransportFailure::Timeout { cause, ms, limit } => (
                "timeout",
                format!("no complete response within {ms} ms ({limit})"),
                cause,
            ),
            TransportFailure::Aborted(cause) => (
                "aborted",
                "the caller's AbortSignal aborted the request".to_owned(),
                cause,
            ),
        };
        let fields = Object::new();
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&fields, &"cause".into(), &cause);
        AtlasError::new(kind, &message, &fields)
    }
}

/// The fields of a failure as a plain object; `{}` if they cannot be converted.
fn facts<T: Serialize>(value: &T) -> JsValue {
    to_js(value).unwrap_or_else(|_| Object::new().into())
}

/// A short description of a rejection: an Error's message and its cause's code (Node's
/// `ECONNREFUSED`, say), or the value itself.
fn describe(rejection: &JsValue) -> String {
    let Some(error) = rejection.dyn_ref::<js_sys::Error>() else {
        return rejection
            .as_string()
            .unwrap_or_else(|| "the fetch call was rejected".to_owned());
    };
    let message = String::from(error.message());
    // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a TLS error) is its cause.
    let cause = Reflect::get(error, &"cause".into())
        .ok()
        .filter(JsValue::is_object);
    let cause_fact = |key: &str| {
        cause
            .as_ref()
            .and_then(|c| Reflect::get(c, &key.into()).ok())
            .and_then(|v| v.as_string())
            .filter(|v| !v.is_empty())
    };
    match cause_fact("code").or_else(|| cause_fact("message")) {
        Some(fact) => format!("{message} ({fact})"),
        None => message,
    }
}
