//! Runs the core's machines: executes each action they ask for (a request, a wait, a call to the
//! token broker) and hands back what happened. No rule lives here; the time (both clocks) and
//! the randomness are read here and given to the machines. Every JavaScript call is made before
//! or after a step of a machine, never while the state it shares with other calls is borrowed.
//! What the shell reports is what happened: a state its own code should never reach is an
//! internal failure, never passed off as the network's or the caller's doing.

use core::cell::RefCell;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use atlas_export_jobs_core::auth::credentials::Credentials;
use atlas_export_jobs_core::error::{Failure, Internal};
use atlas_export_jobs_core::machines::call::{Action, Call, Event, Outcome, Transport};
#[cfg(feature = "secret-schemes")]
use atlas_export_jobs_core::machines::revoke::{Revocation, RevokeAction};
use atlas_export_jobs_core::support::clock::Now;

use crate::fetch;
use crate::js_error::object_of;
#[cfg(feature = "secret-schemes")]
use crate::js_error::Rejection;

#[wasm_bindgen(module = "/src/js/wait.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    pub fn wait(
        ms: u32,
        signal: Option<&JsValue>,
        until: Option<&Promise>,
    ) -> Result<Promise, JsValue>;

    type Notifier;

    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<Notifier, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn notify(this: &Notifier) -> Result<(), JsValue>;

    #[wasm_bindgen(method, catch, js_name = wait)]
    fn wait_for_change(
        this: &Notifier,
        ms: u32,
        signal: Option<&JsValue>,
    ) -> Result<Promise, JsValue>;
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
    fn get_token(
        provider: &Function,
        ms: u32,
        signal: Option<&JsValue>,
    ) -> Result<Promise, JsValue>;

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
    credentials: RefCell<Credentials>,
    /// What making js/wait.js's `Notifier` threw, if it did (it never does).
    notifier: Result<Notifier, JsValue>,
    pub fetch: Option<Function>,
    pub provider: Option<Function>,
}

impl Shared {
    pub fn new(
        credentials: Credentials,
        fetch: Option<Function>,
        provider: Option<Function>,
    ) -> Self {
        Shared {
            credentials: RefCell::new(credentials),
            notifier: Notifier::new(),
            fetch,
            provider,
        }
    }

    /// Runs `step` on the credentials, then wakes the calls waiting for them if it changed them.
    /// Steps never nest (none awaits or calls JavaScript), so the credentials are always free;
    /// `None` would mean they were not.
    pub fn with_credentials<T>(&self, step: impl FnOnce(&mut Credentials) -> T) -> Option<T> {
        let (result, changed) = {
            let mut credentials = self.credentials.try_borrow_mut().ok()?;
            let before = credentials.epoch();
            let result = step(&mut credentials);
            (result, credentials.epoch() != before)
        };
        if let (true, Ok(notifier)) = (changed, &self.notifier) {
            let _ = notifier.notify();
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
    pub fn failed(failure: Failure, cause: Option<JsValue>) -> Self {
        Finished {
            outcome: Outcome {
                result: Err(failure),
                info: Default::default(),
            },
            cause,
        }
    }
}

/// What became of an action: the event for the machine, or the internal failure that stopped it
/// from being carried out; and the JavaScript value behind either, when there is one.
pub type Happened = (Result<Event, Internal>, Option<JsValue>);

/// Drives `call` to its outcome.
pub async fn run_call(mut call: Call, shared: &Shared, caller: &Caller) -> Finished {
    let mut cause = None;
    // What became of the last action, for the next step of the machine.
    let mut happened: Result<Option<Event>, Internal> = Ok(None);
    loop {
        let now = clocks().map_err(|thrown| {
            cause = Some(thrown);
            Internal::HelperFailed
        });
        let last = core::mem::replace(&mut happened, Ok(None));
        let action = shared.with_credentials(|credentials| match (now, last) {
            (Ok(now), Ok(event)) => {
                if let Some(event) = event {
                    call.handle(now, credentials, event);
                }
                call.poll(now, credentials)
            }
            (Err(internal), _) | (_, Err(internal)) => {
                Action::Done(call.end(Failure::Internal(internal), credentials))
            }
        });
        let Some(action) = action else {
            return Finished::failed(Failure::Internal(Internal::StateInUse), cause);
        };
        let (event, event_cause) = match action {
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
                let waiting = match &shared.notifier {
                    Ok(notifier) => notifier.wait_for_change(ms, caller.signal.as_ref()),
                    Err(thrown) => Err(thrown.clone()),
                };
                waited(waiting, caller).await
            }
            // Every action above is answered before the machine is asked again, so it always
            // has one: the next step ends the call.
            Action::Idle => (Err(Internal::NothingToDo), None),
        };
        if event_cause.is_some() {
            cause = event_cause;
        }
        happened = event.map(Some);
    }
}

/// The end of a wait: `Woken`, or `Aborted` with the signal's reason.
async fn waited(wait: Result<Promise, JsValue>, caller: &Caller) -> Happened {
    let ended = match wait {
        Ok(promise) => JsFuture::from(promise).await,
        Err(thrown) => Err(thrown),
    };
    match ended.map(|ended| ended.as_bool()) {
        Ok(Some(true)) => (Ok(Event::Woken), None),
        Ok(Some(false)) => (
            Ok(Event::Aborted),
            caller.signal.as_ref().map(signal_reason),
        ),
        // js/wait.js resolves with a boolean and never rejects.
        Ok(None) => (Err(Internal::HelperFailed), None),
        Err(thrown) => (Err(Internal::HelperFailed), Some(thrown)),
    }
}

fn signal_reason(signal: &JsValue) -> JsValue {
    js_sys::Reflect::get(signal, &"reason".into()).unwrap_or(JsValue::UNDEFINED)
}

/// Asks the token broker, within `timeout_ms` and the caller's signal.
async fn provide(shared: &Shared, caller: &Caller, timeout_ms: u32) -> Happened {
    // The machine asks only when the options held a broker, which was kept.
    let Some(provider) = &shared.provider else {
        return (Err(Internal::MissingFunction), None);
    };
    let answer = match get_token(provider, timeout_ms, caller.signal.as_ref()) {
        Ok(promise) => JsFuture::from(promise).await,
        Err(thrown) => Err(thrown),
    };
    // js/callbacks.js's getToken never rejects: whatever the broker does is in its answer.
    let answer = match answer {
        Ok(answer) => answer,
        Err(thrown) => return (Err(Internal::HelperFailed), Some(thrown)),
    };
    let field =
        |key: &str| js_sys::Reflect::get(&answer, &key.into()).unwrap_or(JsValue::UNDEFINED);
    if let Some(token) = field("token").as_string() {
        return (Ok(Event::Provided(Some(token))), None);
    }
    let cause = Some(field("cause"));
    let event = match field("failure").as_string().as_deref() {
        Some("aborted") => Event::Aborted,
        Some("timeout") => Event::Failed(Transport::TimedOut),
        // It threw or rejected.
        _ => Event::Provided(None),
    };
    (Ok(event), cause)
}

/// Revokes what `shared`'s credentials hold: a service account's token, which only the full
/// build has.
#[cfg(feature = "secret-schemes")]
pub async fn run_revocation(shared: &Shared) -> Result<(), Rejection> {
    let internal = |internal, cause| Rejection::new(Failure::Internal(internal), cause);
    let Some(mut revocation) = shared.with_credentials(Revocation::new) else {
        return Err(internal(Internal::StateInUse, None));
    };
    let mut cause = None;
    loop {
        match revocation.poll() {
            RevokeAction::Done(result) => {
                return result.map_err(|failure| Rejection::new(failure, cause));
            }
            RevokeAction::Send(outgoing) => {
                let (event, event_cause) =
                    fetch::execute(&outgoing, None, shared.fetch.as_ref()).await;
                cause = event_cause;
                match event {
                    Ok(event) => revocation.handle(event),
                    Err(failure) => return Err(internal(failure, cause)),
                }
            }
            // Its one request is answered before it is asked again, so it always has an action.
            RevokeAction::Idle => return Err(internal(Internal::NothingToDo, None)),
        }
    }
}
