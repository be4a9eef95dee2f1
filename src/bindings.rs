//! The JavaScript surface: the only `#[wasm_bindgen]` exports of the crate.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::call::Call;
use crate::error::ValidationError;
use crate::js_error::AtlasError;
use crate::js_value::input_record;
use crate::options::CallOptions;
use crate::params::ListExportJobsParams;

/// Lists one page of a cluster's Cloud Backup snapshot export jobs.
///
/// Every failure rejects with an `AtlasError`; invalid parameters or options are rejected before
/// any request is sent.
#[wasm_bindgen(js_name = listExportJobs, unchecked_return_type = "ExportJobsPage")]
pub async fn list_export_jobs(
    #[wasm_bindgen(
        unchecked_param_type = "ListExportJobsParams",
        param_description = "the project, the cluster and which page"
    )]
    params: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "ListExportJobsOptions",
        param_description = "where Atlas is, the token, the API version, an AbortSignal and the timeout"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    list(&params, &options).await
}

async fn list(params: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let (params, call_options) =
        check(params, options).map_err(|error| JsValue::from(AtlasError::from(error)))?;
    let on_retry = call_options
        .has_on_retry
        .then(|| on_retry(options))
        .flatten();
    Call {
        params: &params,
        options: &call_options,
        signal: caller_signal(options).as_ref(),
        on_retry: on_retry.as_ref(),
    }
    .run()
    .await
}

/// Every rule about the arguments, before anything is sent.
fn check(
    params: &JsValue,
    options: &JsValue,
) -> Result<(ListExportJobsParams, CallOptions), ValidationError> {
    let params = ListExportJobsParams::from_input(&input_record(params, "params", false)?)?;
    let options = CallOptions::from_input(&input_record(options, "options", true)?)?;
    Ok((params, options))
}

/// The caller's `options.signal`; the core has already checked that it is an AbortSignal.
fn caller_signal(options: &JsValue) -> Option<AbortSignal> {
    if !options.is_object() {
        return None;
    }
    Reflect::get(options, &"signal".into())
        .ok()?
        .dyn_into::<AbortSignal>()
        .ok()
}

/// `options.retry.onRetry`; the core has already checked that it is a function.
fn on_retry(options: &JsValue) -> Option<Function> {
    let retry = Reflect::get(options, &"retry".into()).ok()?;
    Reflect::get(&retry, &"onRetry".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()
}
