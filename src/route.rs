//! The route of the package's proxy (`atlas-export-jobs/server`), decided by the core
//! (`wire::route`) and handed to JavaScript as a plain object:
//! `{apiVersion, mediaType, params}` for a request to forward, `{status: 404}` for a path that is
//! not the endpoint's, `{status: 400, error}` (a validation `AtlasError` naming the parameter)
//! for a parameter that breaks a rule. Not part of the documented API.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::error::Failure;
use atlas_export_jobs_core::wire::route::{self, Refusal};

use crate::js_error::{object_of, Rejection};

/// The decision for a request's `path` (the URL's pathname below the proxy's prefix) and `query`
/// (its search, without the `?`). Anything but two strings is no request for the endpoint.
#[wasm_bindgen]
pub fn route(path: JsValue, query: JsValue) -> JsValue {
    let answer = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&answer, &key.into(), value);
    };
    let decided = match (path.as_string(), query.as_string()) {
        (Some(path), Some(query)) => route::route(&path, &query),
        _ => Err(Refusal::NotFound),
    };
    match decided {
        Ok(route) => {
            set("apiVersion", &route.api_version.name().into());
            set("mediaType", &route.api_version.accept().into());
            set("params", &object_of(&route.params));
        }
        Err(refusal) => {
            set("status", &refusal.status().into());
            if let Refusal::Invalid(error) = refusal {
                set(
                    "error",
                    &Rejection::new(Failure::Validation(error), None).into_js(),
                );
            }
        }
    }
    answer.into()
}
