//! The time, as the machines take it: two readings of one moment that must not be mixed up. Waits,
//! deadlines and a token's lifetime run on the monotonic clock, which no one sets; the wall clock
//! (which an administrator, NTP or a test may step by an hour either way) is read only where a
//! server states a time in it, an HTTP date.

/// What the clocks read at one moment. The shell reads both before each step of a machine; a test
/// moves them as it likes, together or apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Now {
    /// Milliseconds on a clock that only moves forward at the pace of real time, from any origin
    /// (`performance.now()`): every wait, deadline and token lifetime is measured on it.
    pub monotonic_ms: f64,
    /// Unix time in milliseconds (`Date.now()`), or NaN when it cannot be read: only to turn an
    /// HTTP date into a delay.
    pub wall_ms: f64,
}
