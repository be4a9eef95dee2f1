//! The state machines: each says what to do next and takes what happened, with the time as an
//! argument. Nothing here performs I/O.

pub mod call;
pub mod listing;
pub mod paging;
pub mod retry;
pub mod revoke;
#[cfg(feature = "watch")]
pub mod watch;
