//! The rules of MongoDB Atlas's "Return All Cloud Backup Snapshot Export Jobs", as plain Rust with
//! no I/O: what a caller may pass, the requests to send, what a response means, when to retry,
//! how a listing walks its pages and how each auth scheme signs a request. [`machines::call::Call`],
//! [`machines::listing::Listing`] and [`machines::revoke::Revocation`] are state machines that say
//! what to do next and take what happened, with the time as an argument (a monotonic and a wall
//! clock reading, [`support::clock::Now`]), so `cargo test` checks every rule natively with a fake
//! clock. The wasm shell (the crate above this one) only executes what they decide.
//!
//! The modules are layers, each importing only from itself and the layers listed after it
//! (`tests/layers.rs` holds the crate to this, and to having no import cycle):
//! - [`machines`]: the call, the listing's walk, paging, retries and revocation;
//! - [`auth`]: the schemes, and the credentials calls share;
//! - [`wire`]: the request, header values, JSON, the decoders, the model and the response's facts;
//! - [`rules`]: what a caller may pass (parameters, options, API version, base URL, retry policy);
//! - [`error`]: every failure as facts, and the scrubbing of secrets from them;
//! - [`support`]: leaves that import nothing of the crate (the clocks' reading, limits, numbers,
//!   text, randomness, secrets).

#![no_std]
#![forbid(unsafe_code)]

// Plain `core` and `alloc`: the wasm build links no `std`, so a panic is a trap with no
// formatting machinery behind it.
extern crate alloc;

pub mod auth;
pub mod error;
pub mod machines;
pub mod rules;
pub mod support;
pub mod wire;
