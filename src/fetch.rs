//! Executes a machine's `Send`: the one binding to `js/fetch.js`, which calls the platform's fetch
//! (or the caller's), never follows a redirect and stops reading past the body limit.

use alloc::vec::Vec;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use atlas_export_jobs_core::error::{Internal, NetworkProblem};
use atlas_export_jobs_core::machines::call::{Event, Outgoing, Response, Transport};
use atlas_export_jobs_core::wire::response_info::ResponseHeaders;

use crate::driver::Happened;

#[wasm_bindgen(module = "/src/js/fetch.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    #[allow(clippy::too_many_arguments)]
    fn send(
        method: &str,
        url: &str,
        accept: &str,
        authorization: Option<&str>,
        form: Option<&str>,
        timeout_ms: u32,
        max_body_bytes: u32,
        signal: Option<&JsValue>,
        custom_fetch: Option<&Function>,
    ) -> Result<Promise, JsValue>;

    /// Copies a body `send` read into wasm memory (js-sys's own copy asserts on the lengths,
    /// which links `core::fmt` into the .wasm).
    #[wasm_bindgen(catch, js_name = copyBody)]
    fn copy_body(source: &Uint8Array, target: &mut [u8]) -> Result<(), JsValue>;
}

/// A property of an object `js/fetch.js` made (plain data: reading it runs no caller code).
fn field(outcome: &JsValue, key: &str) -> JsValue {
    Reflect::get(outcome, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Sends `outgoing`; the event for the machine, and the platform's error when there was one.
pub async fn execute(
    outgoing: &Outgoing,
    signal: Option<&JsValue>,
    custom_fetch: Option<&Function>,
) -> Happened {
    let request = &outgoing.request;
    let sent = send(
        request.method.as_str(),
        &request.url,
        request.accept,
        request.authorization.as_ref().map(|a| a.expose()),
        request.form.as_ref().map(|f| f.expose()),
        outgoing.timeout_ms,
        outgoing.max_body_bytes,
        signal,
        custom_fetch,
    );
    let outcome = match sent {
        Ok(promise) => JsFuture::from(promise).await,
        Err(error) => Err(error),
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        // js/fetch.js never rejects: whatever fetch does is in its answer.
        Err(thrown) => return (Err(Internal::HelperFailed), Some(thrown)),
    };
    let text = |key: &str| field(&outcome, key).as_string();
    let status = || field(&outcome, "status").as_f64().map_or(0, |s| s as u16);
    if let Some(failure) = text("failure") {
        let cause = Some(field(&outcome, "cause"));
        let event = match failure.as_str() {
            "aborted" => Event::Aborted,
            "timeout" => Event::Failed(Transport::TimedOut),
            "tooLarge" => Event::Failed(Transport::TooLarge { status: status() }),
            "notAResponse" => Event::Failed(Transport::Network(NetworkProblem::NotAResponse)),
            "refusedHeader" => {
                return (
                    Ok(Event::Failed(Transport::Network(
                        NetworkProblem::RefusedHeader,
                    ))),
                    None,
                )
            }
            _ => Event::Failed(Transport::Network(NetworkProblem::Failed)),
        };
        return (Ok(event), cause);
    }
    let body = match field(&outcome, "body").dyn_into::<Uint8Array>() {
        Ok(bytes) => {
            let mut body = alloc::vec![0u8; bytes.length() as usize];
            if let Err(thrown) = copy_body(&bytes, &mut body) {
                return (Err(Internal::HelperFailed), Some(thrown));
            }
            body
        }
        Err(_) => Vec::new(),
    };
    let response = Response {
        status: status(),
        headers: ResponseHeaders {
            rate_limit_limit: text("rateLimitLimit"),
            rate_limit_remaining: text("rateLimitRemaining"),
            retry_after: text("retryAfter"),
            www_authenticate: text("wwwAuthenticate"),
            location: text("location"),
        },
        body,
    };
    (Ok(Event::Response(response)), None)
}
