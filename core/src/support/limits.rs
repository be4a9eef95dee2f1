//! The sizes several layers share. A leaf, so that no layer imports another only for a number.

/// How much of a value found instead of the expected one an error quotes.
pub const FOUND_TEXT_LIMIT: usize = 64;

/// How much of a foreign error body is kept: enough to recognise a proxy's page.
pub const FOREIGN_BODY_LIMIT: usize = 16 * 1024;

/// How much more than they keep the decoders capture, so that a secret cut by the limit is
/// still whole when it is scrubbed; what is kept is cut to the limit afterwards. Longer than any
/// token, key or header this client sends.
pub const SECRET_MARGIN: usize = 8 * 1024;

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// The most items a list option holds (`jobIds`); the shell reads no more than one past it.
pub const MAX_LIST_ITEMS: u64 = 1000;
