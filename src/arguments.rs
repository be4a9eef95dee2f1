//! What a call's arguments come to once read and checked: the core's parameters and options, and
//! the caller's functions and signal. Shared by the free functions and `AtlasClient`.

use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::call::CallPlan;
use atlas_export_jobs_core::input::InputRecord;
use atlas_export_jobs_core::options::CallOptions;
use atlas_export_jobs_core::paging::{PagingOptions, PAGING_KEYS};
use atlas_export_jobs_core::params::ListExportJobsParams;

use crate::driver::Caller;
use crate::js_error::Rejection;
use crate::snapshot::{self, Handles, Snapshot};

/// A call's arguments, checked.
pub struct Arguments {
    pub params: ListExportJobsParams,
    pub options: CallOptions,
    pub paging: PagingOptions,
    pub caller: Rc<Caller>,
    pub on_progress: Option<Function>,
}

impl Arguments {
    /// The plan of the call's (first) request; its URL's length is checked here too.
    pub fn plan(&self, handles: &Handles) -> Result<CallPlan, Rejection> {
        CallPlan::new(&self.params, &self.options).map_err(|error| handles.reject(error))
    }
}

/// `params`, read and checked.
pub fn params(value: &JsValue) -> Result<(ListExportJobsParams, Handles), Rejection> {
    let Snapshot { record, handles } = snapshot::read(value, "params", false)?;
    let params = ListExportJobsParams::from_input(&record).map_err(|e| handles.reject(e))?;
    Ok((params, handles))
}

/// A listing's options split into the paging ones and the call's.
pub fn split_paging(record: &InputRecord, listing: bool) -> (InputRecord, InputRecord) {
    if listing {
        record.split_off(&PAGING_KEYS)
    } else {
        (InputRecord::default(), record.clone())
    }
}

/// Checks `call` (the call's options, over whatever defaults they were merged with) and picks the
/// caller's functions from `handles`.
pub fn check(
    params: ListExportJobsParams,
    call: &InputRecord,
    paging: &InputRecord,
    handles: &Handles,
) -> Result<Arguments, Rejection> {
    let options = CallOptions::from_input(call).map_err(|e| handles.reject(e))?;
    let paging_options = PagingOptions::from_input(paging).map_err(|e| handles.reject(e))?;
    let caller = Caller {
        signal: handles.get("signal").filter(|_| options.has_signal).cloned(),
        on_retry: handles
            .function("retry.onRetry")
            .filter(|_| options.has_on_retry),
    };
    Ok(Arguments {
        params,
        on_progress: handles
            .function("onProgress")
            .filter(|_| paging_options.has_on_progress),
        options,
        paging: paging_options,
        caller: Rc::new(caller),
    })
}
