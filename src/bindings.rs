//! The JavaScript surface: the only `#[wasm_bindgen]` exports of the crate.

use js_sys::Reflect;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::decode::{decode_page, RawResponse};
use crate::error::{DecodeFailure, Failure};
use crate::js_error::AtlasError;
use crate::js_value::input_record;
use crate::options::CallOptions;
use crate::params::ListExportJobsParams;
use crate::request::HttpRequest;
use crate::transport::{send, TransportFailure};

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
    list(&params, &options).await.map_err(JsValue::from)
}

async fn list(params: &JsValue, options: &JsValue) -> Result<JsValue, AtlasError> {
    let params = ListExportJobsParams::from_input(&input_record(params, "params", false)?)?;
    let call = CallOptions::from_input(&input_record(options, "options", true)?)?;
    let signal = caller_signal(options);
    if let Some(signal) = signal.as_ref().filter(|s| s.aborted()) {
        return Err(TransportFailure::Aborted(signal.reason()).into());
    }
    let request = HttpRequest::list_export_jobs(
        &params,
        &call.base_url,
        call.api_version,
        call.access_token.as_ref(),
    );
    let received = send(&request, signal.as_ref(), call.timeout_ms).await?;
    let page = decode_page(RawResponse {
        status: received.status,
        body: &received.body,
    })?;
    page.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| {
            Failure::Decode(DecodeFailure {
                path: "$".to_owned(),
                status: received.status,
                problem: error.to_string(),
            })
            .into()
        })
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
