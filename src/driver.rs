//! Runs the core's machines: executes each action they ask for (a request, a wait, a call to the
//! token broker) and hands back what happened. No rule lives here; the time (both clocks) and
//! the randomness are read here, before any shared state is borrowed, and given to the machines.

use core::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use atlas_export_jobs_core::machines::call::{Action, Call, Event, Outcome, Transport};
use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::error::{Failure, Internal};
use atlas_export_jobs_core::machines::revoke::{RevokeAction, Revocation};
use atlas_export_jobs_core::support::clock::Now;

use crate::fetch;
use crate::js_error::{object_of, Rejection};

#[wasm_bindgen(module = "/src/js/wait.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    fn wait(ms: u32, signal: Option<&JsValue>, until: Option<&Promise>) -> Result<Promise, JsValue>;

    type Notifier;

    #[wasm_bindgen(constructor)]
    fn new() -> Notifier;

    #[wasm_bindgen(method, catch)]
    fn notify(this: &Notifier) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = wait)]
    fn wait_for_change(this: &Notifier, ms: u32, signal: Option<&JsValue>) -> Result<Promise, JsValue>;
}

#[wasm_bindgen(module = "/src/js/clock.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = monotonicNow)]
    fn monotonic_now() -> Result<f64, JsValue>;

    #[wasm_bindgen(catch, js_name = wallNow)]
    fn wall_now() -> Result<f64, JsValue>;

    #[wasm_bindgen(catch, js_name = randomSeed)]
    fn random_seed() -> Result<f64, JsValue>;
}

#[wasm_bindgen(module = "/src/js/callbacks.js")]
extern "C" {
    /// Calls a caller's callback, ignoring whatever it throws or returns.
    #[wasm_bindgen(catch, js_name = callQuietly)]
    pub fn call_quietly(function: &Function, argument: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_name = getToken)]
    fn get_token(provider: &Function, ms: u32, signal: Option<&JsValue>) -> Result<Promise, JsValue>;

    #[wasm_bindgen(catch, js_name = inBrowser)]
    fn in_browser_js() -> Result<bool, JsValue>;
}

/// Whether this is a page or a worker rather than a server runtime.
pub fn in_browser() -> bool {
    in_browser_js().unwrap_or(false)
}

/// What the clocks read now: the monotonic one for waits and deadlines, the wall one for HTTP
/// dates. js/clock.js never throws; what it threw, if it did, is the error.
pub fn clocks() -> Result<Now, JsValue> {
    Ok(Now {
        monotonic_ms: monotonic_now()?,
        wall_ms: wall_now()?,
    })
}

/// A fresh seed for a machine's jitter and nonces, which need to be fresh, not secret: where
/// `Math.random` fails, the monotonic clock's reading stands in.
pub fn seed(now: Now) -> u64 {
    match random_seed() {
        Ok(seed) if seed.is_finite() => seed as u64,
        _ => now.monotonic_ms.to_bits(),
    }
}

/// What the calls of one client (or one free call) share: the credentials' state, the way to
/// wake calls waiting for it, and the functions that stand in for the platform's.
pub struct Shared {
    pub credentials: RefCell<Credentials>,
    notifier: Notifier,
    pub fetch: Option<Function>,
    pub provider: Option<Function>,
}

impl Shared {
    pub fn new(credentials: Credentials, fetch: Option<Function>, provider: Option<Function>) -> Self {
        Shared {
            credentials: RefCell::new(credentials),
            notifier: Notifier::new(),
            fetch,
            provider,
        }
    }

    /// Runs `step` on the credentials, waking waiting calls if it changed them. Steps never
    /// nest (none awaits), so the credentials are always free; `None` would mean they were not.
    fn with_credentials<T>(&self, step: impl FnOnce(&mut Credentials) -> T) -> Option<T> {
        let mut credentials = self.credentials.try_borrow_mut().ok()?;
        let before = credentials.epoch();
        let result = step(&mut credentials);
        if credentials.epoch() != before {
            let _ = self.notifier.notify();
        }
        Some(result)
    }
}

/// What one call of the caller's brings: its signal and `onRetry`.
#[derive(Clone, Default)]
pub struct Caller {
    pub signal: Option<JsValue>,
    pub on_retry: Option<Function>,
}

/// How a call ended, with the JavaScript value behind a failure.
pub struct Finished {
    pub outcome: Outcome,
    pub cause: Option<JsValue>,
}

impl Finished {
    /// A call that ended before it could start.
    pub fn failed(failure: Failure) -> Self {
        Finished {
            outcome: Outcome {
                result: Err(failure),
                info: Default::default(),
            },
            cause: None,
        }
    }
}

/// Drives `call` to its outcome.
pub async fn run_call(mut call: Call, shared: &Shared, caller: &Caller) -> Finished {
    let mut cause = None;
    loop {
        let now = match clocks() {
            Ok(now) => now,
            Err(thrown) => return end(&mut call, shared, thrown),
        };
        let action = shared.with_credentials(|credentials| call.poll(now, credentials));
        let (event, event_cause) = match action.unwrap_or(Action::Idle) {
            Action::Done(outcome) => return Finished { outcome, cause },
            Action::Send(outgoing) => {
                fetch::execute(&outgoing, caller.signal.as_ref(), shared.fetch.as_ref()).await
            }
            Action::GetToken { timeout_ms } => provide(shared, caller, timeout_ms).await,
            Action::Wait { ms, retry } => {
                if let (Some(on_retry), Some(event)) = (&caller.on_retry, retry) {
                    let _ = call_quietly(on_retry, &object_of(&event));
                }
                waited(wait(ms, caller.signal.as_ref(), None), caller).await
            }
            Action::WaitForCredentials { ms } => {
                waited(shared.notifier.wait_for_change(ms, caller.signal.as_ref()), caller).await
            }
            // Every action above is answered before polling again.
            Action::Idle => (Event::Aborted, None),
        };
        if event_cause.is_some() {
            cause = event_cause;
        }
        let now = match clocks() {
            Ok(now) => now,
            Err(thrown) => return end(&mut call, shared, thrown),
        };
        shared.with_credentials(|credentials| call.handle(now, credentials, event));
    }
}

/// Ends `call` because one of the package's helpers threw `thrown`.
fn end(call: &mut Call, shared: &Shared, thrown: JsValue) -> Finished {
    let failure = || Failure::Internal(Internal::HelperThrew);
    let outcome = shared
        .with_credentials(|credentials| call.end(failure(), credentials))
        .unwrap_or_else(|| Finished::failed(failure()).outcome);
    Finished {
        outcome,
        cause: Some(thrown),
    }
}

/// The end of a wait: `Woken`, or `Aborted` with the signal's reason.
async fn waited(wait: Result<Promise, JsValue>, caller: &Caller) -> (Event, Option<JsValue>) {
    let ended = match wait {
        Ok(promise) => JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    match ended {
        Some(false) => (Event::Aborted, caller.signal.as_ref().map(signal_reason)),
        _ => (Event::Woken, None),
    }
}

fn signal_reason(signal: &JsValue) -> JsValue {
    js_sys::Reflect::get(signal, &"reason".into()).unwrap_or(JsValue::UNDEFINED)
}

/// Asks the token broker, within `timeout_ms` and the caller's signal.
async fn provide(shared: &Shared, caller: &Caller, timeout_ms: u32) -> (Event, Option<JsValue>) {
    let Some(provider) = &shared.provider else {
        return (Event::Provided(None), None);
    };
    let answer = match get_token(provider, timeout_ms, caller.signal.as_ref()) {
        Ok(promise) => JsFuture::from(promise).await,
        Err(error) => Err(error),
    };
    let Ok(answer) = answer else {
        return (Event::Provided(None), None);
    };
    let field = |key: &str| js_sys::Reflect::get(&answer, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(token) = field("token").as_string() {
        return (Event::Provided(Some(token)), None);
    }
    let cause = Some(field("cause"));
    let event = match field("failure").as_string().as_deref() {
        Some("aborted") => Event::Aborted,
        Some("timeout") => Event::Failed(Transport::TimedOut),
        _ => Event::Provided(None),
    };
    (event, cause)
}

/// Revokes what `shared`'s credentials hold.
pub async fn run_revocation(shared: &Shared) -> Result<(), Rejection> {
    let Some(mut revocation) = shared.with_credentials(Revocation::new) else {
        return Ok(());
    };
    let mut cause = None;
    loop {
        match revocation.poll() {
            RevokeAction::Done(result) => {
                return result.map_err(|failure| Rejection::new(failure, cause));
            }
            RevokeAction::Send(outgoing) => {
                let (event, event_cause) = fetch::execute(&outgoing, None, shared.fetch.as_ref()).await;
                cause = event_cause;
                revocation.handle(event);
            }
            RevokeAction::Idle => return Ok(()),
        }
    }
}
