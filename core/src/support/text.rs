//! Substring search without `str`'s general pattern machinery, which is kilobytes of the `.wasm`
//! for the few short needles the core looks for (`://`, a secret, "retry after ").

use alloc::string::String;

/// The byte offset of the first `needle` in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    if needle.is_empty() {
        return Some(0);
    }
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The text before and after the first `needle`.
pub fn split_once<'a>(text: &'a str, needle: &str) -> Option<(&'a str, &'a str)> {
    let at = find(text, needle)?;
    Some((
        text.get(..at)?,
        text.get(at.saturating_add(needle.len())..)?,
    ))
}

/// `text` with every `needle` replaced by `with`.
pub fn replace_all(text: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = split_once(rest, needle).filter(|_| !needle.is_empty()) {
        out.push_str(before);
        out.push_str(with);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Writes `value` in decimal: the core's one integer formatter, so that `core::fmt` stays out of
/// the places that build URLs and headers.
pub fn push_decimal(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut n = value;
    let mut start = digits.len();
    loop {
        start = start.saturating_sub(1);
        if let Some(slot) = digits.get_mut(start) {
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &digit in digits.get(start..).unwrap_or_default() {
        out.push(char::from(digit));
    }
}

/// `value` in decimal.
pub fn decimal(value: u64) -> String {
    let mut out = String::new();
    push_decimal(&mut out, value);
    out
}

/// Lowercase hexadecimal of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digit = |n: u8| char::from(DIGITS.get(usize::from(n & 15)).copied().unwrap_or(b'0'));
    let mut out = String::with_capacity(bytes.len().saturating_mul(2));
    for byte in bytes {
        out.push(digit(byte >> 4));
        out.push(digit(*byte));
    }
    out
}
