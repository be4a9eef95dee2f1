//! A client's credentials while it runs: the header for each request, the service account's
//! token (one request in flight however many calls wait), the digest nonce in use, and what to do
//! after a 401. The protocols themselves are the core's `auth` modules.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_net::http::Method;
use js_sys::{Date, Function, Math, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::auth::digest::{choose, parse_challenges, DigestSession};
use crate::auth::service_account::{
    decode_token_response, revoke_request, token_request, FormRequest, IssuedToken,
};
use crate::auth::{bearer_header, AuthFailure, AuthScheme};
use crate::base_url::BaseUrl;
use crate::error::Failure;
use crate::js_error::AtlasError;
use crate::options::DEFAULT_TIMEOUT_MS;
use crate::retry::parse_retry_after;
use crate::secret::Secret;
use crate::transport::{Fetcher, Outgoing, Received};

/// How requests of one client (or one free call) authenticate.
pub enum Credentials {
    None,
    Bearer(Secret),
    Provider(Function),
    ServiceAccount(Rc<ServiceAccount>),
    Digest(Digest),
}

pub struct ServiceAccount {
    client_id: String,
    client_secret: Secret,
    base_url: BaseUrl,
    fetcher: Fetcher,
    token: RefCell<Option<IssuedToken>>,
    /// The token request in flight, shared by every call that needs a token meanwhile.
    pending: RefCell<Option<Promise>>,
}

pub struct Digest {
    public_key: String,
    private_key: Secret,
    session: RefCell<Option<DigestSession>>,
}

impl Credentials {
    pub fn new(
        scheme: AuthScheme,
        provider: Option<Function>,
        base_url: &BaseUrl,
        fetcher: &Fetcher,
    ) -> Self {
        match scheme {
            AuthScheme::Bearer(token) => Credentials::Bearer(bearer_header(&token)),
            AuthScheme::TokenProvider => provider.map_or(Credentials::None, Credentials::Provider),
            AuthScheme::ServiceAccount {
                client_id,
                client_secret,
            } => Credentials::ServiceAccount(Rc::new(ServiceAccount {
                client_id,
                client_secret,
                base_url: base_url.clone(),
                fetcher: fetcher.clone(),
                token: RefCell::new(None),
                pending: RefCell::new(None),
            })),
            AuthScheme::Digest {
                public_key,
                private_key,
            } => Credentials::Digest(Digest {
                public_key,
                private_key,
                session: RefCell::new(None),
            }),
        }
    }

    /// The `Authorization` value for a GET of `url`; `None` when there is nothing to send yet
    /// (no credentials, or digest before its first challenge).
    pub async fn authorization(&self, url: &str) -> Result<Option<Secret>, JsValue> {
        match self {
            Credentials::None => Ok(None),
            Credentials::Bearer(header) => Ok(Some(header.clone())),
            Credentials::Provider(get_token) => provided_token(get_token).await.map(Some),
            Credentials::ServiceAccount(account) => {
                let token = Rc::clone(account).token().await?;
                Ok(Some(bearer_header(&token)))
            }
            Credentials::Digest(digest) => {
                Ok(digest.session.borrow_mut().as_mut().map(|session| {
                    session.authorization(
                        &digest.public_key,
                        &digest.private_key,
                        "GET",
                        request_target(url),
                        &cnonce(),
                    )
                }))
            }
        }
    }

    /// After a 401 to a request sent with `sent`: whether one more try can succeed (a fresh token,
    /// a digest challenge to answer, a stale nonce renewed). Called at most once per call.
    pub fn renew_after_unauthorized(&self, received: &Received, sent: Option<&Secret>) -> bool {
        match self {
            Credentials::ServiceAccount(account) => {
                let mut token = account.token.borrow_mut();
                // Drop the token that failed, unless a newer one has replaced it meanwhile.
                let failed = sent.map(|s| s.expose().trim_start_matches("Bearer ").to_owned());
                if token.as_ref().map(|t| t.token.expose().to_owned()) == failed {
                    *token = None;
                }
                true
            }
            Credentials::Digest(digest) => {
                let challenges =
                    parse_challenges(received.www_authenticate.as_deref().unwrap_or_default());
                let Some(challenge) = choose(&challenges) else {
                    return false;
                };
                let mut session = digest.session.borrow_mut();
                // A wrong key gets a fresh, non-stale challenge: answering it again would only loop.
                if session.is_some() && sent.is_some() && !challenge.stale {
                    return false;
                }
                *session = Some(DigestSession::new(challenge.clone()));
                true
            }
            Credentials::None | Credentials::Bearer(_) | Credentials::Provider(_) => false,
        }
    }

    /// Revokes the service account's token, if one was issued.
    pub async fn close(&self) -> Result<(), JsValue> {
        let Credentials::ServiceAccount(account) = self else {
            return Ok(());
        };
        let Some(issued) = account.token.borrow_mut().take() else {
            return Ok(());
        };
        let request = revoke_request(
            &account.base_url,
            &account.client_id,
            &account.client_secret,
            &issued.token,
        );
        account.post(&request).await?;
        Ok(())
    }
}

impl ServiceAccount {
    async fn token(self: Rc<Self>) -> Result<Secret, JsValue> {
        if let Some(issued) = self
            .token
            .borrow()
            .as_ref()
            .filter(|t| t.is_usable(Date::now()))
        {
            return Ok(issued.token.clone());
        }
        let pending = self.pending.borrow().clone();
        let promise = match pending {
            Some(promise) => promise,
            None => {
                let account = Rc::clone(&self);
                let promise = future_to_promise(async move { account.request_token().await });
                *self.pending.borrow_mut() = Some(promise.clone());
                promise
            }
        };
        let result = JsFuture::from(promise).await;
        self.pending.borrow_mut().take();
        let token = result?.as_string().unwrap_or_default();
        Ok(Secret::new(token))
    }

    /// A form POST to one of the OAuth endpoints.
    async fn post(&self, request: &FormRequest) -> Result<Received, JsValue> {
        let outgoing = Outgoing {
            method: Method::POST,
            url: &request.url,
            accept: "application/json",
            authorization: Some(&request.authorization),
            form: Some(&request.body),
        };
        self.fetcher
            .send(&outgoing, None, DEFAULT_TIMEOUT_MS, "timeoutMs")
            .await
            .map_err(|failure| JsValue::from(AtlasError::from(failure)))
    }

    /// One client-credentials exchange; the token is kept and also resolves the shared promise.
    async fn request_token(&self) -> Result<JsValue, JsValue> {
        let received = self
            .post(&token_request(
                &self.base_url,
                &self.client_id,
                &self.client_secret,
            ))
            .await?;
        let issued = decode_token_response(received.status, &received.body, Date::now()).map_err(
            |mut failure| {
                if received.status == 429 {
                    if let Some(after) = &received.rate_limit.retry_after {
                        failure
                            .message
                            .push_str(&format!("; retry after {after} s"));
                    }
                }
                let error = AtlasError::from(Failure::Auth(failure));
                if let Some(after) = received
                    .rate_limit
                    .retry_after
                    .as_deref()
                    .and_then(|after| parse_retry_after(after, Date::now()))
                {
                    let _ = Reflect::set(&error, &"retryAfterMs".into(), &(after * 1000.0).into());
                }
                JsValue::from(error)
            },
        )?;
        let token = JsValue::from_str(issued.token.expose());
        *self.token.borrow_mut() = Some(issued);
        Ok(token)
    }
}

/// Calls a token broker; what it rejects with, or a non-string, is an auth error.
async fn provided_token(get_token: &Function) -> Result<Secret, JsValue> {
    let auth_error = |message: &str, cause: Option<JsValue>| -> JsValue {
        let failure = AuthFailure {
            status: None,
            error_code: None,
            detail: None,
            message: message.to_owned(),
        };
        let error = AtlasError::from(Failure::Auth(failure));
        if let Some(cause) = cause {
            let _ = Reflect::set(&error, &"cause".into(), &cause);
        }
        error.into()
    };
    let returned = get_token
        .call0(&JsValue::UNDEFINED)
        .map_err(|cause| auth_error("auth.getToken() threw", Some(cause)))?;
    let value = JsFuture::from(Promise::resolve(&returned))
        .await
        .map_err(|cause| auth_error("auth.getToken() rejected", Some(cause)))?;
    match value.as_string() {
        Some(token) if !token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()) => {
            Ok(bearer_header(&Secret::new(token)))
        }
        _ => Err(auth_error(
            "auth.getToken() must resolve to a non-empty token without spaces",
            None,
        )),
    }
}

/// The request-target a digest response covers: the URL's path and query.
fn request_target(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .and_then(|at| after_scheme.get(at..))
        .unwrap_or("/")
}

fn cnonce() -> String {
    (0..4)
        .map(|_| format!("{:08x}", (Math::random() * f64::from(u32::MAX)) as u32))
        .collect()
}

/// Whether this is a page or a worker rather than a server runtime.
pub fn in_browser() -> bool {
    let global = js_sys::global();
    let has = |name: &str| Reflect::has(&global, &name.into()).unwrap_or(false);
    (has("document") || has("WorkerGlobalScope")) && !has("process")
}

/// Refuses a long-lived secret in a browser unless the caller said it knows.
pub fn check_secret_placement(
    scheme: &AuthScheme,
    allow_in_browser: bool,
) -> Result<(), AuthFailure> {
    if scheme.holds_secret() && !allow_in_browser && in_browser() {
        return Err(AuthFailure {
            status: None,
            error_code: None,
            detail: None,
            message: "a service account secret or API private key in a browser is readable by anyone who opens the page; \
                      use a token broker (auth.getToken) or a proxy, or set auth.allowInBrowser: true"
                .to_owned(),
        });
    }
    Ok(())
}
