//! The free functions of the JavaScript surface, as the package's entries (`api.js`) call them.
//! Every argument is read once, through a snapshot; every failure, a hostile argument included,
//! is an `AtlasError`, thrown from here and turned into a rejected promise by the entry where
//! the public function returns one.

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::auth::client::one_off_credentials;

use crate::arguments::{self, Mode};
use crate::driver::Shared;
use crate::js_error::Rejection;
use crate::snapshot;
use crate::walk::Walk;

/// Reads and checks a free function's arguments: its credentials are `accessToken`, if any.
fn one_off(params: &JsValue, options: &JsValue, mode: Mode) -> Result<Walk, Rejection> {
    let (params, _) = arguments::params(params)?;
    let options = snapshot::read(options, "options", true)?;
    let (paging, call) = arguments::split_paging(&options.record, mode);
    let checked = arguments::check(params, &call, &paging, &options.handles, mode)?;
    let credentials =
        one_off_credentials(&checked.options).map_err(|error| options.handles.reject(error))?;
    let fetch = options
        .handles
        .function("fetch")
        .filter(|_| checked.options.has_fetch);
    let shared = Rc::new(Shared::new(credentials, fetch, None));
    checked.walk(shared, &options.handles)
}

/// The walk of `listExportJobs` (mode 0), `iterateExportJobs` (1) or `listAllExportJobs` (2);
/// throws the `AtlasError` of an argument that breaks a rule, before anything is sent.
#[wasm_bindgen]
pub fn start(params: JsValue, options: JsValue, mode: u8) -> Result<Walk, JsValue> {
    arguments::mode_of(mode)
        .and_then(|mode| one_off(&params, &options, mode))
        .map_err(Rejection::into_js)
}

/// The validation error `listExportJobs` would reject with, or `undefined`: nothing is sent.
#[wasm_bindgen]
pub fn check(params: JsValue, options: JsValue) -> JsValue {
    match one_off(&params, &options, Mode::Page) {
        Ok(_) => JsValue::UNDEFINED,
        Err(rejection) => rejection.into_js(),
    }
}

/// `listExportJobs` for Rust callers (and the wasm tests): the one-page walk, run to its page.
pub async fn list_export_jobs(params: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    start(params, options, 0)?.single_page().await
}
