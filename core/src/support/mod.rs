//! Leaves: nothing here imports anything else of the crate, so every layer may use them.

pub mod clock;
pub mod key_map;
pub mod limits;
pub mod num;
pub mod rng;
pub mod secret;
pub mod text;
