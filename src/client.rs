//! `AtlasClient`: one base URL, one set of credentials and one set of defaults, shared by all its
//! calls, so a service account's token or a digest nonce is obtained once, not per call.

use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::auth::AuthScheme;
use crate::context::{on_retry, property, signal, Context};
use crate::credentials::{check_secret_placement, Credentials};
use crate::error::{Failure, ValidationError};
use crate::input::InputRecord;
use crate::js_error::AtlasError;
use crate::js_value::input_record;
use crate::options::{CallOptions, CALL_KEYS};
use crate::paging::{PagingOptions, PAGING_KEYS};
use crate::params::ListExportJobsParams;
use crate::transport::Fetcher;
use crate::walk::{list_all, on_progress, Listing, PageWalk};

/// What a client's constructor takes beyond `listExportJobs`'s options.
const CLIENT_ONLY_KEYS: [&str; 2] = ["auth", "fetch"];

/// A client for one Atlas (or proxy), with its credentials and defaults.
// Declared by hand where public (index.d.ts); wasm-bindgen's declaration needs lib esnext.
#[wasm_bindgen(skip_typescript)]
pub struct AtlasClient {
    state: Rc<ClientState>,
}

struct ClientState {
    /// The constructor's options other than `auth` and `fetch`, which calls may override.
    defaults: InputRecord,
    options_js: JsValue,
    credentials: Rc<Credentials>,
    fetcher: Fetcher,
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
        Self::build(options).map_err(JsValue::from)
    }

    /// Lists one page, with the client's credentials and defaults.
    #[wasm_bindgen(js_name = listExportJobs, unchecked_return_type = "Promise<ExportJobsPage>")]
    pub fn list_export_jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListExportJobsParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientCallOptions")] call_options: JsValue,
    ) -> Promise {
        let prepared = self.prepare(&params, &call_options, false);
        future_to_promise(async move {
            let (params, context, _) = prepared?;
            context.list(&params).await?.into_js()
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
        let (params, context, paging) = self.prepare(&params, &call_options, true)?;
        Ok(PageWalk::new(Listing {
            params,
            context,
            paging,
        })
        .into_iterable())
    }

    /// Lists every job into one array, like the free `listAllExportJobs`.
    #[wasm_bindgen(js_name = listAllExportJobs, unchecked_return_type = "Promise<ExportJob[]>")]
    pub fn list_all_export_jobs(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ListExportJobsParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ClientListingOptions")]
        call_options: JsValue,
    ) -> Promise {
        let prepared = self.prepare(&params, &call_options, true);
        let progress = on_progress(&call_options);
        future_to_promise(async move {
            let (params, context, paging) = prepared?;
            let progress = progress.filter(|_| paging.has_on_progress);
            list_all(
                Listing {
                    params,
                    context,
                    paging,
                },
                progress,
            )
            .await
        })
    }

    /// Ends the client: a service account's token is revoked. Other schemes have nothing to end.
    pub fn close(&self) -> Promise {
        let credentials = Rc::clone(&self.state.credentials);
        future_to_promise(async move {
            credentials.close().await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

impl AtlasClient {
    fn build(options: JsValue) -> Result<AtlasClient, AtlasError> {
        let record = input_record(&options, "options", false)?;
        let (extra, defaults) = record.split_off(&CLIENT_ONLY_KEYS);
        let base = CallOptions::from_input(&defaults)?;
        let (scheme, allow_in_browser) = match extra.record("auth")? {
            Some(auth) => {
                if base.access_token.is_some() {
                    return Err(
                        ValidationError::new("auth", "set auth or accessToken, not both").into(),
                    );
                }
                AuthScheme::from_input(&auth)?
            }
            None => match &base.access_token {
                Some(token) => (AuthScheme::Bearer(token.clone()), false),
                None => {
                    return Err(ValidationError::new(
                        "auth",
                        "a client needs auth (or accessToken) to authenticate its calls",
                    )
                    .into())
                }
            },
        };
        check_secret_placement(&scheme, allow_in_browser)
            .map_err(|failure| AtlasError::from(Failure::Auth(failure)))?;
        let fetcher = Fetcher {
            custom: extra
                .has_function("fetch")?
                .then(|| property(&options, "fetch").and_then(|f| f.dyn_into::<Function>().ok()))
                .flatten(),
        };
        let provider = property(&options, "auth")
            .and_then(|auth| property(&auth, "getToken"))
            .and_then(|f| f.dyn_into::<Function>().ok());
        let credentials = Credentials::new(scheme, provider, &base.base_url, &fetcher);
        Ok(AtlasClient {
            state: Rc::new(ClientState {
                defaults,
                options_js: options,
                credentials: Rc::new(credentials),
                fetcher,
            }),
        })
    }

    /// The checked parameters and the call's context: the client's defaults with the call's
    /// own `signal`, `timeoutMs`, `deadlineMs` and `retry` on top.
    fn prepare(
        &self,
        params: &JsValue,
        call_options: &JsValue,
        listing: bool,
    ) -> Result<(ListExportJobsParams, Context, PagingOptions), JsValue> {
        let prepared = (|| -> Result<_, ValidationError> {
            let params = ListExportJobsParams::from_input(&input_record(params, "params", false)?)?;
            let record = input_record(call_options, "callOptions", true)?;
            let (paging, call) = if listing {
                record.split_off(&PAGING_KEYS)
            } else {
                (InputRecord::default(), record)
            };
            call.reject_unknown_keys(&CALL_KEYS, "call option")?;
            let state = &self.state;
            let mut merged: Vec<(String, crate::input::InputValue)> = state
                .defaults
                .entries
                .iter()
                .filter(|(k, _)| call.get(k).is_none())
                .cloned()
                .collect();
            merged.extend(call.entries.iter().cloned());
            let options = CallOptions::from_input(&InputRecord::new(merged))?;
            let paging = PagingOptions::from_input(&paging)?;
            Ok((params, options, paging))
        })();
        let (params, options, paging) =
            prepared.map_err(|error| JsValue::from(AtlasError::from(error)))?;
        let state = &self.state;
        let context = Context {
            on_retry: on_retry(call_options)
                .or_else(|| on_retry(&state.options_js))
                .filter(|_| options.has_on_retry),
            signal: signal(call_options).or_else(|| signal(&state.options_js)),
            options,
            credentials: Rc::clone(&state.credentials),
            fetcher: state.fetcher.clone(),
        };
        Ok((params, context, paging))
    }
}
