//! The free functions of the JavaScript surface. Every argument is read once, through a snapshot,
//! and every failure, a hostile argument included, is an `AtlasError` in a rejected promise
//! (`iterateExportJobs`, which returns no promise, throws it).

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::auth::AuthScheme;
use atlas_export_jobs_core::call::Call;
use atlas_export_jobs_core::credentials::Credentials;
use atlas_export_jobs_core::listing::Listing;

use crate::arguments::{self, Arguments};
use crate::driver::{now, run_call, seed, Shared};
use crate::js_error::{with_info, Rejection};
use crate::snapshot::{self, Handles};
use crate::walk::{list_all, PageWalk};

/// Reads and checks a free function's arguments; its credentials are `accessToken`, if any.
fn one_off(
    params: &JsValue,
    options: &JsValue,
    listing: bool,
) -> Result<(Arguments, Rc<Shared>, Handles), Rejection> {
    let (params, _) = arguments::params(params)?;
    let options = snapshot::read(options, "options", true)?;
    let (paging, call) = arguments::split_paging(&options.record, listing);
    let arguments = arguments::check(params, &call, &paging, &options.handles)?;
    let scheme = match &arguments.options.access_token {
        Some(token) => AuthScheme::Bearer(token.clone()),
        None => AuthScheme::None,
    };
    let credentials = Credentials::new(scheme, &arguments.options.base_url)
        .map_err(|error| options.handles.reject(error))?;
    let fetch = options
        .handles
        .function("fetch")
        .filter(|_| arguments.options.has_fetch);
    let shared = Rc::new(Shared::new(credentials, fetch, None));
    Ok((arguments, shared, options.handles))
}

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
    let (arguments, shared, handles) = one_off(&params, &options, false)?;
    let plan = arguments.plan(&handles)?;
    list_one(plan, &shared, &arguments).await
}

/// Runs one call to its page, or to its `AtlasError`.
pub async fn list_one(
    plan: atlas_export_jobs_core::call::CallPlan,
    shared: &Shared,
    arguments: &Arguments,
) -> Result<JsValue, JsValue> {
    let call = {
        let Ok(mut credentials) = shared.credentials.try_borrow_mut() else {
            return Err(JsValue::UNDEFINED);
        };
        Call::new(plan, &mut credentials, now(), seed())
    };
    let finished = run_call(call, shared, &arguments.caller).await;
    let info = finished.outcome.info;
    match finished.outcome.result {
        Ok(page) => {
            let page = js_sys::JSON::parse(&page.json(&[]))?;
            Ok(with_info(page, &info))
        }
        Err(failure) => Err(Rejection {
            failure,
            cause: finished.cause,
            info: Some(info),
        }
        .into()),
    }
}

/// Checks `listExportJobs`'s arguments without sending anything: the validation error it would
/// reject with, or `undefined`. For forms that flag a field as the user types.
#[wasm_bindgen(js_name = checkListExportJobs, unchecked_return_type = "Error | undefined")]
pub fn check_list_export_jobs(
    #[wasm_bindgen(unchecked_param_type = "ListExportJobsParams")] params: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ListExportJobsOptions")] options: JsValue,
) -> JsValue {
    match one_off(&params, &options, false).and_then(|(arguments, _, handles)| arguments.plan(&handles)) {
        Ok(_) => JsValue::UNDEFINED,
        Err(rejection) => rejection.into_js(),
    }
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
    Ok(walk(&params, &options)?.0.into_iterable())
}

fn walk(params: &JsValue, options: &JsValue) -> Result<(PageWalk, Arguments), Rejection> {
    let (arguments, shared, handles) = one_off(params, options, true)?;
    arguments.plan(&handles)?;
    let listing = Listing::new(
        arguments.params.clone(),
        arguments.options.clone(),
        arguments.paging,
    );
    let walk = PageWalk::new(listing, shared, Rc::clone(&arguments.caller));
    Ok((walk, arguments))
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
    let (walk, arguments) = walk(&params, &options)?;
    list_all(walk, arguments.on_progress).await
}
