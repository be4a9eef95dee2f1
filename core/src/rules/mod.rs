//! What a caller may pass: the endpoint's parameters, the client's and each call's options, and
//! the base URL, each checked before any request exists.

pub mod api_version;
pub mod base_url;
pub mod input;
pub mod options;
pub mod params;
pub mod retry_policy;
#[cfg(feature = "watch")]
pub mod watch_options;
