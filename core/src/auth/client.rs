//! The rules of a client's options and of a free call's: which credentials they make, and which
//! options conflict. The shell reads the caller's values and only carries out what this decides.

use crate::auth::credentials::Credentials;
use crate::auth::{check_secret_placement, AuthScheme};
use crate::error::{Failure, KeySet, Problem, ValidationError};
use crate::rules::base_url::is_relative;
use crate::rules::input::{InputRecord, Key, Rule};
use crate::rules::options::CallOptions;

/// A checked `AtlasClient`'s options: the defaults its calls start from and its credentials.
#[derive(Debug)]
pub struct ClientSetup {
    /// The options but `auth`, which each call may override with the call options.
    pub defaults: InputRecord,
    pub credentials: Credentials,
    /// Whether the caller's `fetch` is to be used.
    pub has_fetch: bool,
}

impl ClientSetup {
    /// Checks a client's options; `in_browser` says whether this runs in a page or worker, where a
    /// long-lived secret is refused unless the caller allowed it.
    pub fn from_input(record: InputRecord, in_browser: bool) -> Result<Self, Failure> {
        let (auth, defaults) = record.split_off(&["auth"]);
        // A base URL relative to a page that is not there (a client made while a server renders
        // the page) is refused by each call, not by the constructor; the rest is checked now.
        let page_relative = defaults.text("baseUrl").is_some_and(is_relative);
        let base = if page_relative {
            CallOptions::from_input(&defaults.split_off(&["baseUrl"]).1)
        } else {
            CallOptions::from_input(&defaults)
        }?;
        auth.check(&[Key::new("auth", Rule::Object)], KeySet::Option)?;
        let (scheme, allow_in_browser) = match auth.nested("auth") {
            Some(_) if base.access_token.is_some() => {
                return Err(ValidationError::new(
                    "auth",
                    Problem::Conflict {
                        other: "accessToken",
                    },
                )
                .into());
            }
            Some(auth) => AuthScheme::from_input(&auth)?,
            None => match &base.access_token {
                Some(token) => (AuthScheme::Bearer(token.clone()), false),
                None => return Err(ValidationError::new("auth", Problem::NoAuth).into()),
            },
        };
        check_secret_placement(&scheme, allow_in_browser, in_browser).map_err(Failure::Auth)?;
        let credentials = Credentials::new(scheme, &base.base_url)?;
        Ok(ClientSetup {
            defaults,
            credentials,
            has_fetch: base.has_fetch,
        })
    }
}

/// The credentials of a free call (`listExportJobs(params, options)`): `accessToken` if it names
/// one, else none (a proxy in front adds them).
pub fn one_off_credentials(options: &CallOptions) -> Result<Credentials, ValidationError> {
    let scheme = match &options.access_token {
        Some(token) => AuthScheme::Bearer(token.clone()),
        None => AuthScheme::None,
    };
    Credentials::new(scheme, &options.base_url)
}
