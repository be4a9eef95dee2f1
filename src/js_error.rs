//! Hands the core's facts to JavaScript: failures become `AtlasError`s (their messages are written
//! by `js/messages.js`), and events and response info become plain objects.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::error::facts::{Describe, Facts};
use atlas_export_jobs_core::error::{AuthProblem, Failure, Internal, Problem};
use atlas_export_jobs_core::wire::response_info::ResponseInfo;

#[wasm_bindgen(module = "/src/js/atlas-error.js")]
extern "C" {
    /// `class AtlasError extends Error`, exported from the package as is.
    #[wasm_bindgen(extends = js_sys::Error, reexport)]
    pub type AtlasError;

    /// Whether a value is an `AtlasError`, from this copy of the package or another.
    #[wasm_bindgen(reexport, js_name = isAtlasError)]
    fn is_atlas_error(value: &JsValue) -> bool;
}

#[wasm_bindgen(module = "/src/js/messages.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = atlasError)]
    fn atlas_error(
        kind: &str,
        facts: &JsValue,
        with_cause: bool,
        cause: &JsValue,
    ) -> Result<JsValue, JsValue>;
}

#[wasm_bindgen(module = "/src/js/response-info.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = attachResponseInfo)]
    fn attach_response_info(target: &JsValue, info: &JsValue) -> Result<JsValue, JsValue>;

    /// The `ResponseInfo` of a page or an `AtlasError`, or `undefined`.
    #[wasm_bindgen(reexport, js_name = responseInfo)]
    fn response_info(value: &JsValue) -> JsValue;
}

/// Facts as the properties of a fresh plain object (setting those cannot throw).
struct ObjectFacts(Object);

impl Facts for ObjectFacts {
    fn text(&mut self, key: &'static str, value: &str) {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
    }
    fn number(&mut self, key: &'static str, value: f64) {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
    }
    fn flag(&mut self, key: &'static str, value: bool) {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
    }
    fn json(&mut self, key: &'static str, value: &str) {
        let parsed = JSON::parse(value).unwrap_or_else(|_| value.into());
        let _ = Reflect::set(&self.0, &key.into(), &parsed);
    }
}

/// `value`'s facts as a plain JavaScript object.
pub fn object_of(value: &dyn Describe) -> JsValue {
    let mut facts = ObjectFacts(Object::new());
    value.describe(&mut facts);
    facts.0.into()
}

/// Whether a failure of this kind keeps the JavaScript value behind it as its `cause`.
fn carries_cause(failure: &Failure) -> bool {
    match failure {
        Failure::Network(_) | Failure::Timeout { .. } | Failure::Aborted => true,
        Failure::Auth(auth) => matches!(auth.problem, AuthProblem::ProviderFailed),
        Failure::Validation(error) => matches!(error.problem, Problem::Unreadable),
        Failure::Internal(internal) => matches!(internal, Internal::HelperFailed),
        _ => false,
    }
}

/// A failure on its way to the caller: the core's facts, the JavaScript value behind them, and
/// what the last response said.
#[derive(Debug)]
pub struct Rejection {
    pub failure: Failure,
    pub cause: Option<JsValue>,
    pub info: Option<ResponseInfo>,
}

impl Rejection {
    pub fn new(failure: Failure, cause: Option<JsValue>) -> Self {
        Rejection {
            failure,
            cause,
            info: None,
        }
    }

    /// The `AtlasError`.
    pub fn into_js(self) -> JsValue {
        let with_cause = carries_cause(&self.failure);
        let facts = object_of(&self.failure);
        let cause = self.cause.unwrap_or(JsValue::UNDEFINED);
        let error = atlas_error(self.failure.kind(), &facts, with_cause, &cause)
            .unwrap_or_else(|thrown| thrown);
        match &self.info {
            Some(info) => with_info(error, info),
            None => error,
        }
    }
}

impl From<Rejection> for JsValue {
    fn from(rejection: Rejection) -> Self {
        rejection.into_js()
    }
}

/// `target` carrying `info`, read back with `responseInfo(target)`.
pub fn with_info(target: JsValue, info: &ResponseInfo) -> JsValue {
    attach_response_info(&target, &object_of(info)).unwrap_or(target)
}
