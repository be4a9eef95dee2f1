//! Rounding for the few floats the core handles (milliseconds, seconds, a caller's numbers).
//! `f64::floor` and `ceil` live in `std`, which the wasm build does not link.

/// Past this, every f64 is a whole number.
const WHOLE: f64 = 4_503_599_627_370_496.0; // 2^52

pub fn floor(x: f64) -> f64 {
    if x.is_nan() || x.abs() >= WHOLE {
        return x;
    }
    let truncated = x as i64 as f64;
    if truncated > x {
        truncated - 1.0
    } else {
        truncated
    }
}

pub fn ceil(x: f64) -> f64 {
    -floor(-x)
}

/// Whether `x` is finite and has no fractional part.
pub fn is_whole(x: f64) -> bool {
    x.is_finite() && floor(x) == x
}

/// The value of a run of ASCII digits, if it fits.
pub fn digits(text: &str) -> Option<u64> {
    text.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(10)?
            .checked_add(u64::from(b.checked_sub(b'0')?))
    })
}
