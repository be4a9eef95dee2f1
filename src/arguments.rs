//! What a call's arguments come to once read and checked: the core's parameters and options, the
//! caller's functions and signal, and the walk they start. Shared by the free functions and
//! `AtlasClient`.

use alloc::rc::Rc;

use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::error::{Failure, Internal};
use atlas_export_jobs_core::machines::call::CallPlan;
use atlas_export_jobs_core::machines::listing::Listing;
use atlas_export_jobs_core::machines::paging::{PagingOptions, PAGING_KEYS};
use atlas_export_jobs_core::rules::input::InputRecord;
use atlas_export_jobs_core::rules::options::CallOptions;
use atlas_export_jobs_core::rules::params::ListExportJobsParams;

use crate::driver::{Caller, Shared};
use crate::js_error::Rejection;
use crate::snapshot::{self, Handles, Snapshot};
use crate::walk::Walk;

pub use atlas_export_jobs_core::machines::listing::Mode;

/// The mode the package's JavaScript named by its code (facts.js); any other code is its bug.
pub fn mode_of(code: u8) -> Result<Mode, Rejection> {
    Mode::of(code).ok_or_else(|| Rejection::new(Failure::Internal(Internal::HelperFailed), None))
}

/// A call's arguments, checked.
pub struct Checked {
    pub params: ListExportJobsParams,
    pub options: CallOptions,
    pub paging: PagingOptions,
    pub mode: Mode,
}

impl Checked {
    /// The caller's signal and `onRetry`, as `handles` hold them.
    pub fn caller(&self, handles: &Handles) -> Caller {
        Caller {
            signal: handles
                .get("signal")
                .filter(|_| self.options.has_signal)
                .cloned(),
            on_retry: handles
                .function("retry.onRetry")
                .filter(|_| self.options.has_on_retry),
        }
    }

    /// Checks the first request's URL (its length), so a bad one is a validation error.
    pub fn check_request(&self, handles: &Handles) -> Result<(), Rejection> {
        CallPlan::new(&self.params, &self.options)
            .map(|_| ())
            .map_err(|error| handles.reject(error))
    }

    /// The listing of all pages these arguments name (a watch's round).
    #[cfg(feature = "watch")]
    pub fn listing(self) -> Listing {
        Listing::new(self.params, self.options, self.paging).for_watch()
    }

    /// The walk of these arguments, with `shared`'s credentials and the functions in `handles`.
    pub fn walk(self, shared: Rc<Shared>, handles: &Handles) -> Result<Walk, Rejection> {
        self.check_request(handles)?;
        let caller = self.caller(handles);
        let on_progress = handles
            .function("onProgress")
            .filter(|_| self.mode == Mode::All && self.paging.has_on_progress);
        let caller = Rc::new(caller);
        Ok(match self.mode {
            Mode::Page => Walk::new(
                Listing::single(self.params, self.options),
                shared,
                caller,
                on_progress,
            ),
            // Each loop over the iterable restarts it (`api.js`), with a signal of its own.
            Mode::Iterate => Walk::new(
                Listing::new(self.params, self.options, self.paging),
                shared,
                caller,
                on_progress,
            ),
            Mode::All => Walk::owning(
                Listing::new(self.params, self.options, self.paging),
                shared,
                caller,
                on_progress,
            ),
        })
    }
}

/// `params`, read and checked.
pub fn params(value: &JsValue) -> Result<(ListExportJobsParams, Handles), Rejection> {
    let Snapshot { record, handles } = snapshot::read(value, "params", false)?;
    let params = ListExportJobsParams::from_input(&record).map_err(|e| handles.reject(e))?;
    Ok((params, handles))
}

/// A listing's options split into the paging ones and the call's.
pub fn split_paging(record: &InputRecord, mode: Mode) -> (InputRecord, InputRecord) {
    match mode {
        Mode::Page => (InputRecord::default(), record.clone()),
        _ => record.split_off(&PAGING_KEYS),
    }
}

/// How a call's options are split into its own (a watch's, checked), the paging ones and the
/// call's: for a listing, nothing of its own.
pub fn listing_split(
    mode: Mode,
) -> impl FnOnce(&InputRecord, &Handles) -> Result<((), InputRecord, InputRecord), Rejection> {
    move |record, _| {
        let (paging, call) = split_paging(record, mode);
        Ok(((), paging, call))
    }
}

/// Checks `call` (the call's options, over whatever defaults they were merged with) and `paging`.
pub fn check(
    params: ListExportJobsParams,
    call: &InputRecord,
    paging: &InputRecord,
    handles: &Handles,
    mode: Mode,
) -> Result<Checked, Rejection> {
    Ok(Checked {
        params,
        options: CallOptions::from_input(call).map_err(|e| handles.reject(e))?,
        paging: PagingOptions::from_input(paging).map_err(|e| handles.reject(e))?,
        mode,
    })
}
