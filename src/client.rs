//! `AtlasClient`: one base URL, one set of credentials and one set of defaults, shared by all its
//! calls, so a service account's token or a digest nonce is obtained once, not per call.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use atlas_export_jobs_core::auth::{check_secret_placement, AuthScheme};
use atlas_export_jobs_core::credentials::Credentials;
use atlas_export_jobs_core::error::{Failure, Problem, ValidationError};
use atlas_export_jobs_core::input::{InputRecord, KeySet};
use atlas_export_jobs_core::listing::Listing;
use atlas_export_jobs_core::options::{CallOptions, CALL_KEYS};

use crate::arguments::{self, Arguments};
use crate::bindings::list_one;
use crate::driver::{in_browser, run_revocation, Shared};
use crate::js_error::Rejection;
use crate::snapshot::{self, Handles, Snapshot};
use crate::walk::{list_all, PageWalk};

/// A client for one Atlas (or proxy), with its credentials and defaults.
// Declared by hand where public (index.d.ts); wasm-bindgen's declaration needs lib esnext.
#[wasm_bindgen(skip_typescript)]
pub struct AtlasClient {
    /// The constructor's options but `auth`: defaults a call may override with `CALL_KEYS`.
    defaults: InputRecord,
    handles: Handles,
    shared: Rc<Shared>,
}

#[wasm_bindgen]
impl AtlasClient {
    /// Checks the options (nothing is sent) and keeps them for every call of this client.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(
            unchecked_param_type = "AtlasClientOptions",
            param_description = "where Atlas is, how to authenticate, and defaults for every call"
        )]
        options: JsValue,
    ) -> Result<AtlasClient, JsValue> {
        Self::build(&options).map_err(Rejection::into_js)
    }

    /// Lists one page, with the client's credentials and defaults.
    #[wasm_bindgen(js_name = listExportJobs, unchecked_return_type = "Promise<ExportJobsPage>")]
    pub fn list_export_jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListExportJobsParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientCallOptions")] call_options: JsValue,
    ) -> Promise {
        // Read now, so a caller's later change to the objects is not seen; failures reject.
        let prepared = self
            .prepare(&params, &call_options, false)
            .and_then(|(arguments, handles)| Ok((arguments.plan(&handles)?, arguments)));
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            let (plan, arguments) = prepared?;
            list_one(plan, &shared, &arguments).await
        })
    }

    /// Lists every job lazily, like the free `iterateExportJobs`, with the client's credentials.
    #[wasm_bindgen(js_name = iterateExportJobs, unchecked_return_type = "ExportJobIterable")]
    pub fn iterate_export_jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListExportJobsParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientListingOptions")]
        call_options: JsValue,
    ) -> Result<JsValue, JsValue> {
        Ok(self.walk(&params, &call_options)?.0.into_iterable())
    }

    /// Lists every job into one array, like the free `listAllExportJobs`.
    #[wasm_bindgen(js_name = listAllExportJobs, unchecked_return_type = "Promise<ExportJob[]>")]
    pub fn list_all_export_jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListExportJobsParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientListingOptions")]
        call_options: JsValue,
    ) -> Promise {
        let walk = self.walk(&params, &call_options);
        future_to_promise(async move {
            let (walk, arguments) = walk?;
            list_all(walk, arguments.on_progress).await
        })
    }

    /// Ends the client: a service account's token is revoked, and a refusal rejects. Other
    /// schemes have nothing to end.
    pub fn close(&self) -> Promise {
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            run_revocation(&shared).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl AtlasClient {
    fn build(options: &JsValue) -> Result<AtlasClient, Rejection> {
        let Snapshot { record, handles } = snapshot::read(options, "options", false)?;
        let (auth, defaults) = record.split_off(&["auth"]);
        let reject = |error: ValidationError| handles.reject(error);
        let base = CallOptions::from_input(&defaults).map_err(reject)?;
        let (scheme, allow_in_browser) = match auth.record("auth").map_err(reject)? {
            Some(auth) => {
                if base.access_token.is_some() {
                    return Err(reject(ValidationError::new(
                        "auth",
                        Problem::Conflict {
                            other: "accessToken",
                        },
                    )));
                }
                AuthScheme::from_input(&auth).map_err(reject)?
            }
            None => match &base.access_token {
                Some(token) => (AuthScheme::Bearer(token.clone()), false),
                None => return Err(reject(ValidationError::new("auth", Problem::NoAuth))),
            },
        };
        check_secret_placement(&scheme, allow_in_browser, in_browser())
            .map_err(|failure| Rejection::new(Failure::Auth(failure), None))?;
        let credentials = Credentials::new(scheme, &base.base_url).map_err(reject)?;
        let fetch = handles.function("fetch").filter(|_| base.has_fetch);
        let provider = handles.function("auth.getToken");
        Ok(AtlasClient {
            defaults,
            shared: Rc::new(Shared::new(credentials, fetch, provider)),
            handles,
        })
    }

    /// The call's arguments: the client's defaults with the call's own `CALL_KEYS` on top.
    fn prepare(
        &self,
        params: &JsValue,
        call_options: &JsValue,
        listing: bool,
    ) -> Result<(Arguments, Handles), Rejection> {
        let (params, _) = arguments::params(params)?;
        let call = snapshot::read(call_options, "callOptions", true)?;
        let (paging, own) = arguments::split_paging(&call.record, listing);
        own.reject_unknown_keys(&CALL_KEYS, KeySet::CallOption)
            .map_err(|e| call.handles.reject(e))?;
        let merged = self.defaults.overridden_by(&own);
        // Each function or signal comes from where its key came from: the call, or the client.
        let handles = merge_handles(&self.handles, &call.handles, &own);
        Ok((arguments::check(params, &merged, &paging, &handles)?, handles))
    }

    fn walk(&self, params: &JsValue, call_options: &JsValue) -> Result<(PageWalk, Arguments), Rejection> {
        let (arguments, handles) = self.prepare(params, call_options, true)?;
        arguments.plan(&handles)?;
        let listing = Listing::new(
            arguments.params.clone(),
            arguments.options.clone(),
            arguments.paging,
        );
        let walk = PageWalk::new(listing, Rc::clone(&self.shared), Rc::clone(&arguments.caller));
        Ok((walk, arguments))
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
