//! The JavaScript surface: the only `#[wasm_bindgen]` exports of the crate.

use wasm_bindgen::prelude::*;

use crate::context::Context;
use crate::error::ValidationError;
use crate::js_error::AtlasError;
use crate::js_value::input_record;
use crate::options::CallOptions;
use crate::paging::{PagingOptions, PAGING_KEYS};
use crate::params::ListExportJobsParams;
use crate::walk::{list_all, on_progress, Listing, PageWalk};

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
    Context::one_off(call_options, options)
        .list(&params)
        .await?
        .into_js()
}

/// Checks `listExportJobs`'s arguments without sending anything: the validation error it would
/// reject with, or `undefined`. For forms that flag a field as the user types.
#[wasm_bindgen(js_name = checkListExportJobs, unchecked_return_type = "Error | undefined")]
pub fn check_list_export_jobs(
    #[wasm_bindgen(unchecked_param_type = "ListExportJobsParams")] params: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListExportJobsOptions")] options: JsValue,
) -> JsValue {
    match check(&params, &options) {
        Ok(_) => JsValue::UNDEFINED,
        Err(error) => AtlasError::from(error).into(),
    }
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

/// The arguments of a listing: the call's, plus the paging options.
fn check_listing(params: &JsValue, options: &JsValue) -> Result<Listing, AtlasError> {
    let params = ListExportJobsParams::from_input(&input_record(params, "params", false)?)?;
    let (paging, call) = input_record(options, "options", true)?.split_off(&PAGING_KEYS);
    let call_options = CallOptions::from_input(&call)?;
    let paging = PagingOptions::from_input(&paging)?;
    Ok(Listing {
        params,
        context: Context::one_off(call_options, options),
        paging,
    })
}

/// Lists every export job of a cluster, lazily: an async iterable of jobs in the server's order,
/// whose `.pages()` gives the pages instead. A page is fetched only when the loop wants it, so
/// `break` sends no further request. Invalid arguments throw at once.
#[wasm_bindgen(js_name = iterateExportJobs, unchecked_return_type = "ExportJobIterable")]
pub fn iterate_export_jobs(
    #[wasm_bindgen(
        unchecked_param_type = "ListExportJobsParams",
        param_description = "the project, the cluster, and the first page and page size"
    )]
    params: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "IterateExportJobsOptions",
        param_description = "listExportJobs's options, plus maxPages, maxItems and concurrency"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let listing = check_listing(&params, &options)?;
    Ok(PageWalk::new(listing).into_iterable())
}

/// Lists every export job of a cluster into one array, calling `onProgress` after each page.
#[wasm_bindgen(js_name = listAllExportJobs, unchecked_return_type = "ExportJob[]")]
pub async fn list_all_export_jobs(
    #[wasm_bindgen(
        unchecked_param_type = "ListExportJobsParams",
        param_description = "the project, the cluster, and the first page and page size"
    )]
    params: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "IterateExportJobsOptions",
        param_description = "listExportJobs's options, plus maxPages, maxItems, concurrency and onProgress"
    )]
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let listing = check_listing(&params, &options)?;
    let on_progress = listing
        .paging
        .has_on_progress
        .then(|| on_progress(&options))
        .flatten();
    list_all(listing, on_progress).await
}
