//! The client behind `AtlasClient`: one base URL, one set of credentials and one set of defaults,
//! shared by all its calls, so a service account's token or a digest nonce is obtained once, not
//! per call.

use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
#[cfg(feature = "secret-schemes")]
use wasm_bindgen_futures::future_to_promise;

use atlas_export_jobs_core::auth::client::ClientSetup;
use atlas_export_jobs_core::error::KeySet;
use atlas_export_jobs_core::rules::input::InputRecord;
use atlas_export_jobs_core::rules::options::CALL;

use crate::arguments::{self, Checked, Mode};
#[cfg(feature = "secret-schemes")]
use crate::driver::run_revocation;
use crate::driver::{in_browser, Shared};
use crate::js_error::Rejection;
use crate::snapshot::{self, Handles, Snapshot};
use crate::walk::Walk;
#[cfg(feature = "watch")]
use crate::watch;

/// A client for one Atlas (or proxy), with its credentials and defaults. The package's
/// `AtlasClient` (`api.js`) wraps it.
// Declared by hand where public (index.d.ts).
#[wasm_bindgen(skip_typescript)]
pub struct Client {
    /// The constructor's options but `auth`: defaults a call may override with `CALL_KEYS`.
    defaults: InputRecord,
    handles: Handles,
    shared: Rc<Shared>,
}

#[wasm_bindgen]
impl Client {
    /// Checks the options (nothing is sent) and keeps them for every call of this client; throws
    /// the `AtlasError` of an option that breaks a rule.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Client, JsValue> {
        Self::build(&options).map_err(Rejection::into_js)
    }

    /// The walk of a call with the client's credentials and defaults (see the free `start`).
    pub fn start(&self, params: JsValue, call_options: JsValue, mode: u8) -> Result<Walk, JsValue> {
        arguments::mode_of(mode)
            .and_then(|mode| self.walk(&params, &call_options, mode))
            .map_err(Rejection::into_js)
    }

    /// A watch or a wait with the client's credentials and defaults (see the free `watch`).
    #[cfg(feature = "watch")]
    pub fn watch(
        &self,
        params: JsValue,
        call_options: JsValue,
        job: JsValue,
    ) -> Result<JsValue, JsValue> {
        self.watcher(&params, &call_options, &job)
            .map_err(Rejection::into_js)
    }

    /// Ends the client: a service account's token is revoked, and a refusal rejects. Other
    /// schemes have nothing to end.
    #[cfg(feature = "secret-schemes")]
    pub fn close(&self) -> Promise {
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            run_revocation(&shared).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Ends the client. Only a service account's token is revoked, and this build has none.
    #[cfg(not(feature = "secret-schemes"))]
    pub fn close(&self) -> Promise {
        Promise::resolve(&JsValue::UNDEFINED)
    }
}

impl Client {
    fn build(options: &JsValue) -> Result<Client, Rejection> {
        let Snapshot { record, handles } = snapshot::read(options, "options", false)?;
        let setup = ClientSetup::from_input(record, in_browser())
            .map_err(|failure| handles.refuse(failure))?;
        let fetch = handles.function("fetch").filter(|_| setup.has_fetch);
        let provider = handles.function("auth.getToken");
        Ok(Client {
            defaults: setup.defaults,
            shared: Rc::new(Shared::new(setup.credentials, fetch, provider)),
            handles,
        })
    }

    /// A call's arguments, read and checked, its options split by `split` (a listing's, or a
    /// watch's, which has options of its own, `T`): the client's defaults with the call's own
    /// `CALL_KEYS` on top.
    fn arguments<T>(
        &self,
        params: &JsValue,
        call_options: &JsValue,
        mode: Mode,
        split: impl FnOnce(&InputRecord, &Handles) -> Result<(T, InputRecord, InputRecord), Rejection>,
    ) -> Result<(Checked, Handles, T), Rejection> {
        let (params, _) = arguments::params(params)?;
        let call = snapshot::read(call_options, "callOptions", true)?;
        let (following, paging, own) = split(&call.record, &call.handles)?;
        own.check(&CALL, KeySet::CallOption)
            .map_err(|e| call.handles.reject(e))?;
        let merged = self.defaults.overridden_by(&own);
        // Each function or signal comes from where its key came from: the call, or the client.
        let handles = merge_handles(&self.handles, &call.handles, &own);
        let checked = arguments::check(params, &merged, &paging, &handles, mode)?;
        Ok((checked, handles, following))
    }

    fn walk(
        &self,
        params: &JsValue,
        call_options: &JsValue,
        mode: Mode,
    ) -> Result<Walk, Rejection> {
        let (checked, handles, ()) =
            self.arguments(params, call_options, mode, arguments::listing_split(mode))?;
        checked.walk(Rc::clone(&self.shared), &handles)
    }

    #[cfg(feature = "watch")]
    fn watcher(
        &self,
        params: &JsValue,
        call_options: &JsValue,
        job: &JsValue,
    ) -> Result<JsValue, Rejection> {
        let (checked, handles, following) =
            self.arguments(params, call_options, Mode::Iterate, watch::split(job))?;
        watch::start(checked, following, Rc::clone(&self.shared), &handles)
    }
}

/// The client's handles with the call's replacing those under the keys the call set.
fn merge_handles(client: &Handles, call: &Handles, own: &InputRecord) -> Handles {
    let mut merged = client.without(|path| {
        own.entries.iter().any(|(key, _)| {
            path.strip_prefix(key.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    });
    merged.extend(call);
    merged
}
