//! The only code that calls `fetch`. It sends one request, reads the whole body, and
//! tells a network failure from our timeout and from the caller's abort.

use gloo_net::http::{Method, Response};
use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestInit};

use crate::response_info::RateLimitHeaders;
use crate::secret::Secret;

#[wasm_bindgen]
extern "C" {
    // Our own binding, not gloo-net's `send()`: gloo traps when fetch rejects with a value that is
    // not an Error (`controller.abort("reason")` does that) and drops the rejection's `cause`.
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &RequestInit) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_signal_timeout(ms: u32) -> AbortSignal;

    #[wasm_bindgen(js_namespace = AbortSignal, js_name = any)]
    fn abort_signal_any(signals: &Array) -> AbortSignal;
}

/// A body's bytes as text, decoded as `Response.text()` decodes them: UTF-8, a leading byte order
/// mark dropped, and each invalid sequence replaced by U+FFFD. Reading bytes and copying them into
/// wasm memory at once is cheaper than `text()` followed by passing the string in, which means
/// decoding it in JavaScript only to encode it again.
fn text_of(bytes: Vec<u8>) -> String {
    let mut text = String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    text
}

/// The request's headers. A header the platform refuses fails with a message of our own: the
/// platform's would quote the value, which may be a secret.
fn headers(outgoing: &Outgoing<'_>) -> Result<Headers, TransportFailure> {
    let refused = |name: &str| {
        TransportFailure::Network(
            js_sys::Error::new(&format!("the platform refused the {name} header's value")).into(),
        )
    };
    let headers = Headers::new().map_err(TransportFailure::Network)?;
    let set = |name: &str, value: &str| headers.set(name, value).map_err(|_| refused(name));
    set("Accept", outgoing.accept)?;
    if let Some(authorization) = outgoing.authorization {
        set("Authorization", authorization.expose())?;
    }
    if outgoing.form.is_some() {
        set("Content-Type", "application/x-www-form-urlencoded")?;
    }
    Ok(headers)
}

/// One request to send.
pub struct Outgoing<'a> {
    pub method: Method,
    pub url: &'a str,
    pub accept: &'a str,
    pub authorization: Option<&'a Secret>,
    /// A form body (`application/x-www-form-urlencoded`), for the OAuth endpoints.
    pub form: Option<&'a Secret>,
}

/// Where requests go: the platform's `fetch`, or the caller's own (a proxy, a test double).
#[derive(Clone, Default)]
pub struct Fetcher {
    pub custom: Option<Function>,
}

/// A whole response.
pub struct Received {
    pub status: u16,
    pub body: String,
    pub rate_limit: RateLimitHeaders,
    pub www_authenticate: Option<String>,
}

/// Why no whole response arrived; each keeps the platform's original value.
pub enum TransportFailure {
    Network(JsValue),
    /// `limit` names the option that set the time: `timeoutMs` or `deadlineMs`.
    Timeout {
        cause: JsValue,
        ms: u32,
        limit: &'static str,
    },
    Aborted(JsValue),
}

impl Fetcher {
    /// The platform's fetch takes the URL and init as they are; a custom one gets them as the
    /// `Request` its contract promises. Building that `Request` only for a custom fetch saves the
    /// platform a second one (in Node each costs a new `AbortSignal` that follows ours).
    fn call(&self, url: &str, init: &RequestInit) -> Result<Promise, JsValue> {
        match &self.custom {
            None => global_fetch(url, init),
            Some(fetch) => fetch
                .call1(
                    &JsValue::UNDEFINED,
                    web_sys::Request::new_with_str_and_init(url, init)?.as_ref(),
                )
                // A fetch that returns a plain value rather than a promise is treated as resolved.
                .map(|value| {
                    value
                        .dyn_into::<Promise>()
                        .unwrap_or_else(|value| Promise::resolve(&value))
                }),
        }
    }

    /// Sends `outgoing`, giving up after `timeout_ms` (a timeout reported as `limit`).
    pub async fn send(
        &self,
        outgoing: &Outgoing<'_>,
        caller_signal: Option<&AbortSignal>,
        timeout_ms: u32,
        limit: &'static str,
    ) -> Result<Received, TransportFailure> {
        let timeout_signal = abort_signal_timeout(timeout_ms);
        // One signal for fetch and body alike; afterwards the two sources say which one fired.
        // Without a caller's signal the timeout's serves alone: in Node each combined signal
        // costs about as much as decoding a small page.
        let combined =
            caller_signal.map(|caller| abort_signal_any(&Array::of2(&timeout_signal, caller)));
        let signal = combined.as_ref().unwrap_or(&timeout_signal);
        let classify = |rejection: JsValue| match caller_signal {
            Some(caller) if caller.aborted() => TransportFailure::Aborted(caller.reason()),
            _ if timeout_signal.aborted() => TransportFailure::Timeout {
                cause: timeout_signal.reason(),
                ms: timeout_ms,
                limit,
            },
            _ => TransportFailure::Network(rejection),
        };

        let init = RequestInit::new();
        init.set_method(outgoing.method.as_str());
        init.set_signal(Some(signal));
        init.set_headers(headers(outgoing)?.as_ref());
        if let Some(form) = outgoing.form {
            init.set_body(&JsValue::from_str(form.expose()));
        }

        let promise = self.call(outgoing.url, &init).map_err(classify)?;
        let response: web_sys::Response = JsFuture::from(promise)
            .await
            .map_err(classify)?
            .dyn_into()
            .map_err(|_| {
                TransportFailure::Network(
                    js_sys::Error::new("fetch resolved with something other than a Response")
                        .into(),
                )
            })?;
        let response = Response::from(response);
        let status = response.status();
        let headers = response.headers();
        let rate_limit = RateLimitHeaders {
            limit: headers.get("RateLimit-Limit"),
            remaining: headers.get("RateLimit-Remaining"),
            retry_after: headers.get("Retry-After"),
        };
        let www_authenticate = headers.get("WWW-Authenticate");
        let bytes = web_sys::Response::from(response)
            .array_buffer()
            .map_err(classify)?;
        let bytes = JsFuture::from(bytes).await.map_err(classify)?;
        Ok(Received {
            status,
            body: text_of(Uint8Array::new(&bytes).to_vec()),
            rate_limit,
            www_authenticate,
        })
    }
}
