//! The free functions of the JavaScript surface, as the package's entries (`api.js`) call them.
//! Every argument is read once, through a snapshot; every failure, a hostile argument included,
//! is an `AtlasError`, thrown from here and turned into a rejected promise by the entry where
//! the public function returns one.

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::auth::client::one_off_credentials;
use atlas_export_jobs_core::rules::input::InputRecord;

use crate::arguments::{self, Checked, Mode};
use crate::driver::Shared;
use crate::js_error::Rejection;
use crate::snapshot::{self, Handles, Snapshot};
use crate::walk::Walk;
#[cfg(feature = "watch")]
use crate::watch;

/// A free function's arguments, read and checked, its options split by `split` (a listing's, or
/// a watch's, which has options of its own, `T`), with the credentials they hold: `accessToken`,
/// if any.
fn one_off<T>(
    params: &JsValue,
    options: &JsValue,
    mode: Mode,
    split: impl FnOnce(&InputRecord, &Handles) -> Result<(T, InputRecord, InputRecord), Rejection>,
) -> Result<(Checked, Rc<Shared>, Handles, T), Rejection> {
    let (params, _) = arguments::params(params)?;
    let Snapshot { record, handles } = snapshot::read(options, "options", true)?;
    let (own, paging, call) = split(&record, &handles)?;
    let checked = arguments::check(params, &call, &paging, &handles, mode)?;
    let credentials =
        one_off_credentials(&checked.options).map_err(|error| handles.reject(error))?;
    let fetch = handles
        .function("fetch")
        .filter(|_| checked.options.has_fetch);
    let shared = Rc::new(Shared::new(credentials, fetch, None));
    Ok((checked, shared, handles, own))
}

/// A watch (`watchExportJobs`, `job` undefined) or a wait for one job (`waitForExportJob`, `job`
/// being `{exportJobId}`); throws the `AtlasError` of an argument that breaks a rule, before
/// anything is sent.
#[cfg(feature = "watch")]
#[wasm_bindgen]
pub fn watch(params: JsValue, options: JsValue, job: JsValue) -> Result<JsValue, JsValue> {
    one_off(&params, &options, Mode::Iterate, watch::split(&job))
        .and_then(|(checked, shared, handles, following)| {
            watch::start(checked, following, shared, &handles)
        })
        .map_err(Rejection::into_js)
}

/// The walk of a free function's arguments.
fn one_off_walk(params: &JsValue, options: &JsValue, mode: Mode) -> Result<Walk, Rejection> {
    let (checked, shared, handles, ()) =
        one_off(params, options, mode, arguments::listing_split(mode))?;
    checked.walk(shared, &handles)
}

/// The walk of `listExportJobs` (mode 0), `iterateExportJobs` (1) or `listAllExportJobs` (2);
/// throws the `AtlasError` of an argument that breaks a rule, before anything is sent.
#[wasm_bindgen]
pub fn start(params: JsValue, options: JsValue, mode: u8) -> Result<Walk, JsValue> {
    arguments::mode_of(mode)
        .and_then(|mode| one_off_walk(&params, &options, mode))
        .map_err(Rejection::into_js)
}

/// The validation error `listExportJobs` would reject with, or `undefined`: nothing is sent.
#[wasm_bindgen]
pub fn check(params: JsValue, options: JsValue) -> JsValue {
    match one_off_walk(&params, &options, Mode::Page) {
        Ok(_) => JsValue::UNDEFINED,
        Err(rejection) => rejection.into_js(),
    }
}

/// `listExportJobs` for Rust callers (and the wasm tests): the one-page walk, run to its page.
pub async fn list_export_jobs(params: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    start(params, options, 0)?.single_page().await
}
