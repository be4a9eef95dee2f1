//! A client for MongoDB Atlas's "Return All Cloud Backup Snapshot Export Jobs" endpoint.
//!
//! The core (every module but the wasm ones) is plain Rust with no I/O: it validates what the caller
//! passed, builds the request and decodes the response, so every rule of the API is a function
//! tested natively. The wasm shell (`bindings`, `transport`, `js_value`, `js_error`) only converts
//! JavaScript values and moves bytes through the platform's `fetch`.

pub mod auth;
pub mod base_url;
pub mod decode;
pub mod error;
pub mod input;
pub mod json;
pub mod model;
pub mod options;
pub mod paging;
pub mod params;
pub mod request;
pub mod response_info;
pub mod retry;
pub mod secret;

#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod call;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod context;
#[cfg(target_arch = "wasm32")]
mod credentials;
#[cfg(target_arch = "wasm32")]
mod js_error;
#[cfg(target_arch = "wasm32")]
mod js_value;
#[cfg(target_arch = "wasm32")]
mod to_js;
#[cfg(target_arch = "wasm32")]
mod transport;
#[cfg(target_arch = "wasm32")]
mod typescript;
#[cfg(target_arch = "wasm32")]
mod walk;

#[cfg(target_arch = "wasm32")]
pub use bindings::list_export_jobs;
