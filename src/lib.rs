//! The wasm shell of atlas-export-jobs: the JavaScript surface around `atlas-export-jobs-core`,
//! which holds every rule. The shell reads each caller argument once (`snapshot`), runs the
//! core's machines (`driver`, `walk`), sends requests through the one fetch binding (`fetch`) and
//! hands pages and `AtlasError`s back (`js_error`); `route` hands the proxy the core's decision
//! about each request it is asked to forward. Every JavaScript function it calls that could
//! run a caller's code, or throw, is bound with `catch`, so no JS exception unwinds through wasm.

// The release wasm links no `std` (see the `std` feature): a panic, which no code path should
// reach, is then a trap, with none of std's panic and formatting machinery in the .wasm.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]
// A `Rejection` is returned at most once per call, and moved straight into JavaScript.
#![allow(clippy::result_large_err)]

extern crate alloc;

#[cfg(target_arch = "wasm32")]
mod arguments;
#[cfg(target_arch = "wasm32")]
mod bindings;
#[cfg(target_arch = "wasm32")]
mod client;
#[cfg(target_arch = "wasm32")]
mod driver;
#[cfg(target_arch = "wasm32")]
mod fetch;
#[cfg(target_arch = "wasm32")]
mod js_error;
#[cfg(all(target_arch = "wasm32", feature = "proxy"))]
mod route;
#[cfg(target_arch = "wasm32")]
mod snapshot;
#[cfg(target_arch = "wasm32")]
mod walk;
#[cfg(all(target_arch = "wasm32", feature = "watch"))]
mod watch;

#[cfg(target_arch = "wasm32")]
pub use bindings::list_export_jobs;

// A smaller allocator than the standard one (dlmalloc), and as fast here; wasm32 without atomics
// is single-threaded, which is what it assumes.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
