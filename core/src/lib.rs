//! The rules of MongoDB Atlas's "Return All Cloud Backup Snapshot Export Jobs", as plain Rust with
//! no I/O: what a caller may pass, the requests to send, what a response means, when to retry,
//! how a listing walks its pages and how each auth scheme signs a request. [`call::Call`],
//! [`listing::Listing`] and [`revoke::Revocation`] are state machines that say what to do next and
//! take what happened, with the time as an argument, so `cargo test` checks every rule natively
//! with a fake clock. The wasm shell (the crate above this one) only executes what they decide.

#![no_std]
#![forbid(unsafe_code)]

// Plain `core` and `alloc`: the wasm build links no `std`, so a panic is a trap with no
// formatting machinery behind it.
extern crate alloc;

pub mod auth;
pub mod base_url;
pub mod call;
pub mod credentials;
pub mod decode;
pub mod error;
pub mod facts;
pub mod input;
pub mod json;
pub mod listing;
pub mod model;
pub mod num;
pub mod options;
pub mod paging;
pub mod params;
pub mod redact;
pub mod request;
pub mod response_info;
pub mod retry;
pub mod revoke;
pub mod rng;
pub mod secret;
pub mod text;
