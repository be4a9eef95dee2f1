//! One call of `listExportJobs`: attempts, waits and the retry decision, until a page, a final
//! failure, the deadline or the caller's abort. Each rule is the core's; this only sequences them.

use gloo_net::http::Method;
use js_sys::{Date, Function, Math, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::credentials::Credentials;
use crate::decode::{decode, Decoded, RawResponse};
use crate::error::{DecodeFailure, Failure};
use crate::js_error::AtlasError;
use crate::model::ExportJobsPage;
use crate::options::{CallOptions, RetryEvent};
use crate::params::ListExportJobsParams;
use crate::request::HttpRequest;
use crate::response_info::{RateLimitHeaders, ResponseInfo};
use crate::retry::{decide, AttemptOutcome, Decision};
use crate::to_js::{self, to_js};
use crate::transport::{Fetcher, Outgoing, TransportFailure};

#[wasm_bindgen(module = "/src/js/sleep.js")]
extern "C" {
    fn sleep(ms: f64, signal: Option<&AbortSignal>) -> Promise;
}

#[wasm_bindgen(module = "/src/js/response-info.js")]
extern "C" {
    #[wasm_bindgen(js_name = attachResponseInfo)]
    fn attach_response_info(target: &JsValue, info: &JsValue) -> JsValue;

    /// The `ResponseInfo` of a page or an `AtlasError`, or `undefined`.
    #[wasm_bindgen(reexport, js_name = responseInfo)]
    fn response_info(value: &JsValue) -> JsValue;
}

/// What the caller passed, checked.
pub struct Call<'a> {
    pub params: &'a ListExportJobsParams,
    pub options: &'a CallOptions,
    pub signal: Option<&'a AbortSignal>,
    pub on_retry: Option<&'a Function>,
    pub credentials: &'a Credentials,
    pub fetcher: &'a Fetcher,
}

/// A page as received, with what the call learned about the response.
pub struct PageReceived {
    pub page: ExportJobsPage,
    pub info: ResponseInfo,
    /// The body, while the page is exactly that JSON: JavaScript then parses it itself.
    pub exact_body: Option<String>,
}

impl PageReceived {
    /// The page as a JS object carrying its `ResponseInfo`.
    pub fn into_js(self) -> Result<JsValue, JsValue> {
        let status = self.info.status.unwrap_or_default();
        let page = match &self.exact_body {
            Some(text) => to_js::parse(text),
            None => to_js(&self.page),
        }
        .map_err(|error| {
            let failure = Failure::Decode(DecodeFailure {
                path: "$".to_owned(),
                status,
                problem: String::from(js_sys::Error::from(error).message()),
            });
            with_info(AtlasError::from(failure).into(), &self.info)
        })?;
        Ok(with_info(page, &self.info))
    }
}

impl Call<'_> {
    /// The page, or the final error carrying its `ResponseInfo`.
    pub async fn run(&self) -> Result<PageReceived, JsValue> {
        if let Some(signal) = self.signal.filter(|s| s.aborted()) {
            return Err(with_info(
                AtlasError::from(TransportFailure::Aborted(signal.reason())).into(),
                &ResponseInfo::default(),
            ));
        }
        let request = HttpRequest::list_export_jobs(
            self.params,
            &self.options.base_url,
            self.options.api_version,
        );
        let deadline = Date::now() + f64::from(self.options.deadline_ms);
        let mut attempts = 0;
        // A 401 may be answered once by renewing the credentials (a fresh token, a digest challenge).
        let mut renewed = false;
        loop {
            attempts += 1;
            let remaining = deadline - Date::now();
            let (timeout_ms, limit) = if remaining < f64::from(self.options.timeout_ms) {
                (remaining.max(1.0) as u32, "deadlineMs")
            } else {
                (self.options.timeout_ms, "timeoutMs")
            };
            let authorization =
                self.credentials
                    .authorization(&request.url)
                    .await
                    .map_err(|error| {
                        with_info(
                            error,
                            &ResponseInfo::new(attempts - 1, None, &RateLimitHeaders::default()),
                        )
                    })?;
            let outgoing = Outgoing {
                method: Method::GET,
                url: &request.url,
                accept: request.accept,
                authorization: authorization.as_ref(),
                form: None,
            };
            let attempt = self
                .fetcher
                .send(&outgoing, self.signal, timeout_ms, limit)
                .await;
            let (failure, info, retry_after) = match attempt {
                Ok(received)
                    if received.status == 401
                        && !renewed
                        && self
                            .credentials
                            .renew_after_unauthorized(&received, authorization.as_ref()) =>
                {
                    renewed = true;
                    continue;
                }
                Ok(received) => {
                    let info =
                        ResponseInfo::new(attempts, Some(received.status), &received.rate_limit);
                    match decode(
                        RawResponse {
                            status: received.status,
                            body: &received.body,
                        },
                        self.params.envelope == Some(true),
                    ) {
                        Ok(Decoded { page, exact }) => {
                            return Ok(PageReceived {
                                page,
                                info,
                                exact_body: exact.then_some(received.body),
                            })
                        }
                        Err(failure) => (
                            Attempt::Failed(failure),
                            info,
                            received.rate_limit.retry_after,
                        ),
                    }
                }
                Err(transport) => {
                    let info = ResponseInfo::new(attempts, None, &RateLimitHeaders::default());
                    (Attempt::NoResponse(transport), info, None)
                }
            };
            let outcome = match &failure {
                Attempt::Failed(Failure::Api(api)) => AttemptOutcome::Answered {
                    status: api.status,
                    retry_after: retry_after.as_deref(),
                    error: Some(api),
                },
                // A decode failure: the status was a success, which is never retried.
                Attempt::Failed(_) => AttemptOutcome::Answered {
                    status: info.status.unwrap_or_default(),
                    retry_after: None,
                    error: None,
                },
                Attempt::NoResponse(TransportFailure::Network(_)) => AttemptOutcome::NoAnswer,
                Attempt::NoResponse(TransportFailure::Timeout {
                    limit: "timeoutMs", ..
                }) => AttemptOutcome::TimedOut,
                // The deadline or the caller ended it: nothing more to try.
                Attempt::NoResponse(_) => return Err(with_info(failure.into_error(), &info)),
            };
            match decide(
                &self.options.retry,
                attempts,
                outcome,
                Date::now(),
                deadline - Date::now(),
                Math::random(),
            ) {
                Decision::Stop => return Err(with_info(failure.into_error(), &info)),
                Decision::RetryAfterMs(delay_ms) => {
                    self.notify(RetryEvent {
                        attempt: attempts,
                        delay_ms,
                        kind: failure.kind(),
                        status: failure.status().or(info.status),
                        error_code: failure.error_code(),
                    });
                    JsFuture::from(sleep(delay_ms as f64, self.signal))
                        .await
                        .map_err(|reason| {
                            with_info(
                                AtlasError::from(TransportFailure::Aborted(reason)).into(),
                                &info,
                            )
                        })?;
                }
            }
        }
    }

    /// Tells `onRetry`; what it throws is ignored, since it must not change the call's outcome.
    fn notify(&self, event: RetryEvent) {
        if let (Some(callback), Ok(event)) = (self.on_retry, to_js(&event)) {
            let _ = callback.call1(&JsValue::UNDEFINED, &event);
        }
    }
}

/// How an attempt failed.
enum Attempt {
    Failed(Failure),
    NoResponse(TransportFailure),
}

impl Attempt {
    fn kind(&self) -> &'static str {
        match self {
            Attempt::Failed(failure) => failure.kind(),
            Attempt::NoResponse(TransportFailure::Network(_)) => "network",
            Attempt::NoResponse(TransportFailure::Timeout { .. }) => "timeout",
            Attempt::NoResponse(TransportFailure::Aborted(_)) => "aborted",
        }
    }

    /// The status the failure reports (an envelope's, when there is one).
    fn status(&self) -> Option<u16> {
        match self {
            Attempt::Failed(Failure::Api(api)) => Some(api.status),
            _ => None,
        }
    }

    fn error_code(&self) -> Option<String> {
        match self {
            Attempt::Failed(Failure::Api(api)) => api.error_code.clone(),
            _ => None,
        }
    }

    fn into_error(self) -> JsValue {
        match self {
            Attempt::Failed(failure) => AtlasError::from(failure).into(),
            Attempt::NoResponse(transport) => AtlasError::from(transport).into(),
        }
    }
}

pub fn with_info(target: JsValue, info: &ResponseInfo) -> JsValue {
    match to_js(info) {
        Ok(info) => attach_response_info(&target, &info),
        Err(_) => target,
    }
}
