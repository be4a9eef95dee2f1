//! What a call needs beyond its parameters: checked options, the caller's signal and callbacks,
//! the credentials and the fetch to use. Free functions make one per call; an `AtlasClient`
//! shares its credentials across its calls.

use std::rc::Rc;

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use crate::auth::AuthScheme;
use crate::call::{Call, PageReceived};
use crate::credentials::Credentials;
use crate::options::CallOptions;
use crate::params::ListExportJobsParams;
use crate::transport::Fetcher;

#[derive(Clone)]
pub struct Context {
    pub options: CallOptions,
    pub signal: Option<AbortSignal>,
    pub on_retry: Option<Function>,
    pub credentials: Rc<Credentials>,
    pub fetcher: Fetcher,
}

impl Context {
    /// A one-off call's context: `accessToken` is its only credential, fetch the platform's.
    pub fn one_off(options: CallOptions, options_js: &JsValue) -> Self {
        let fetcher = Fetcher::default();
        let credentials = match &options.access_token {
            Some(token) => Credentials::new(
                AuthScheme::Bearer(token.clone()),
                None,
                &options.base_url,
                &fetcher,
            ),
            None => Credentials::None,
        };
        Context {
            on_retry: options.has_on_retry.then(|| on_retry(options_js)).flatten(),
            signal: signal(options_js),
            options,
            credentials: Rc::new(credentials),
            fetcher,
        }
    }

    pub async fn list(&self, params: &ListExportJobsParams) -> Result<PageReceived, JsValue> {
        Call {
            params,
            options: &self.options,
            signal: self.signal.as_ref(),
            on_retry: self.on_retry.as_ref(),
            credentials: &self.credentials,
            fetcher: &self.fetcher,
        }
        .run()
        .await
    }
}

/// `options.signal`, once the core has checked it is an AbortSignal.
pub fn signal(options: &JsValue) -> Option<AbortSignal> {
    property(options, "signal")?.dyn_into().ok()
}

/// `options.retry.onRetry`, once the core has checked it is a function.
pub fn on_retry(options: &JsValue) -> Option<Function> {
    property(&property(options, "retry")?, "onRetry")?
        .dyn_into()
        .ok()
}

pub fn property(object: &JsValue, key: &str) -> Option<JsValue> {
    if !object.is_object() {
        return None;
    }
    Reflect::get(object, &key.into())
        .ok()
        .filter(|v| !v.is_undefined())
}
