//! The client behind `AtlasClient`: one base URL, one set of credentials and one set of defaults,
//! shared by all its calls, so a service account's token or a digest nonce is obtained once, not
//! per call.

use alloc::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::auth::{check_secret_placement, AuthScheme};
use atlas_export_jobs_core::error::KeySet;
use atlas_export_jobs_core::error::{Failure, Problem, ValidationError};
use atlas_export_jobs_core::rules::base_url::is_relative;
use atlas_export_jobs_core::rules::input::{InputRecord, Key, Rule};
use atlas_export_jobs_core::rules::options::{CallOptions, CALL};

use crate::arguments::{self, Mode};
use crate::driver::{in_browser, run_revocation, Shared};
use crate::js_error::Rejection;
use crate::snapshot::{self, Handles, Snapshot};
use crate::walk::Walk;

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
        self.walk(&params, &call_options, Mode::of(mode))
            .map_err(Rejection::into_js)
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

impl Client {
    fn build(options: &JsValue) -> Result<Client, Rejection> {
        let Snapshot { record, handles } = snapshot::read(options, "options", false)?;
        let (auth, defaults) = record.split_off(&["auth"]);
        let reject = |error: ValidationError| handles.reject(error);
        // A base URL relative to a page that is not there (a client made while a server renders
        // the page) is refused by each call, not by the constructor; the rest is checked now.
        let page_relative = defaults.text("baseUrl").is_some_and(is_relative);
        let base = if page_relative {
            CallOptions::from_input(&defaults.split_off(&["baseUrl"]).1)
        } else {
            CallOptions::from_input(&defaults)
        }
        .map_err(reject)?;
        auth.check(&[Key::new("auth", Rule::Object)], KeySet::Option)
            .map_err(reject)?;
        let (scheme, allow_in_browser) = match auth.nested("auth") {
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
        Ok(Client {
            defaults,
            shared: Rc::new(Shared::new(credentials, fetch, provider)),
            handles,
        })
    }

    /// A call's walk: the client's defaults with the call's own `CALL_KEYS` on top.
    fn walk(
        &self,
        params: &JsValue,
        call_options: &JsValue,
        mode: Mode,
    ) -> Result<Walk, Rejection> {
        let (params, _) = arguments::params(params)?;
        let call = snapshot::read(call_options, "callOptions", true)?;
        let (paging, own) = arguments::split_paging(&call.record, mode);
        own.check(&CALL, KeySet::CallOption)
            .map_err(|e| call.handles.reject(e))?;
        let merged = self.defaults.overridden_by(&own);
        // Each function or signal comes from where its key came from: the call, or the client.
        let handles = merge_handles(&self.handles, &call.handles, &own);
        arguments::check(params, &merged, &paging, &handles, mode)?
            .walk(Rc::clone(&self.shared), &handles)
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
