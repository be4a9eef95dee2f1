//! The core's view of what a JavaScript caller passed: plain values, no wasm types, so every
//! rule about caller input can be tested natively (including `NaN`, which JSON cannot express).

/// One value as JavaScript sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum InputValue {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// An `AbortSignal` instance.
    AbortSignal,
    /// A function.
    Function,
    /// A plain object nested in an argument (`options.retry`), read one level deep.
    Record(InputRecord),
    /// Anything else, named by its JavaScript kind ("bigint", "array", "object", "function", ...).
    Other(&'static str),
}

impl InputValue {
    /// The JavaScript kind, as error messages name it.
    pub fn kind(&self) -> &'static str {
        match self {
            InputValue::Undefined => "undefined",
            InputValue::Null => "null",
            InputValue::Bool(_) => "boolean",
            InputValue::Number(n) if n.is_nan() => "NaN",
            InputValue::Number(_) => "number",
            InputValue::String(_) => "string",
            InputValue::AbortSignal => "AbortSignal",
            InputValue::Function => "function",
            InputValue::Record(_) => "object",
            InputValue::Other(kind) => kind,
        }
    }
}

/// The own enumerable properties of a plain object, in their JavaScript order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InputRecord {
    pub entries: Vec<(String, InputValue)>,
    /// How errors name this record's keys: `""` at the top, `"retry."` inside `options.retry`.
    prefix: String,
}

impl InputRecord {
    pub fn new(entries: Vec<(String, InputValue)>) -> Self {
        InputRecord {
            entries,
            prefix: String::new(),
        }
    }

    /// This record as the value of `key` in an outer one, so errors name `key.inner`.
    pub fn nested_in(mut self, key: &str) -> Self {
        self.prefix = format!("{key}.");
        self
    }

    /// Splits into the entries under `keys` and the rest, so one options object can serve two readers.
    pub fn split_off(&self, keys: &[&str]) -> (InputRecord, InputRecord) {
        let (taken, rest) = self
            .entries
            .iter()
            .cloned()
            .partition(|(k, _)| keys.contains(&k.as_str()));
        (
            InputRecord {
                entries: taken,
                prefix: self.prefix.clone(),
            },
            InputRecord {
                entries: rest,
                prefix: self.prefix.clone(),
            },
        )
    }

    /// The field name errors use for `key`.
    pub fn field(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    /// The value under `key`; a property set to `undefined` counts as absent, as in most JS APIs.
    pub fn get(&self, key: &str) -> Option<&InputValue> {
        self.entries
            .iter()
            .find(|(k, v)| k == key && *v != InputValue::Undefined)
            .map(|(_, v)| v)
    }

    /// The first key that is not in `known`, for typo detection.
    pub fn first_unknown_key(&self, known: &[&str]) -> Option<&str> {
        self.entries
            .iter()
            .map(|(k, _)| k.as_str())
            .find(|k| !known.contains(k))
    }
}

impl<const N: usize> From<[(&str, InputValue); N]> for InputRecord {
    fn from(entries: [(&str, InputValue); N]) -> Self {
        InputRecord::new(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }
}

use crate::error::ValidationError;

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Typed reads of a record. Each names the field in its error and says what was found instead.
impl InputRecord {
    /// Rejects the first key not in `known`, suggesting the closest known one (`itemPerPage`).
    pub fn reject_unknown_keys(
        &self,
        known: &[&str],
        of_what: &str,
    ) -> Result<(), ValidationError> {
        match self.first_unknown_key(known) {
            None => Ok(()),
            Some(key) => {
                let hint = closest(key, known)
                    .map(|k| format!("; did you mean {k}?"))
                    .unwrap_or_default();
                let field = self.field(key);
                Err(ValidationError::new(
                    &field,
                    format!("{} is not a known {of_what}{hint}", quoted(&field)),
                ))
            }
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, ValidationError> {
        match self.get(key) {
            None => Ok(None),
            Some(InputValue::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(wrong_type(&self.field(key), "a boolean", other)),
        }
    }

    /// A plain object, whose errors name its keys `key.inner`.
    pub fn record(&self, key: &str) -> Result<Option<InputRecord>, ValidationError> {
        match self.get(key) {
            None => Ok(None),
            Some(InputValue::Record(record)) => {
                Ok(Some(record.clone().nested_in(&self.field(key))))
            }
            Some(other) => Err(wrong_type(&self.field(key), "an object", other)),
        }
    }

    /// Whether a function is there; the shell reads the function itself.
    pub fn has_function(&self, key: &str) -> Result<bool, ValidationError> {
        match self.get(key) {
            None => Ok(false),
            Some(InputValue::Function) => Ok(true),
            Some(other) => Err(wrong_type(&self.field(key), "a function", other)),
        }
    }

    pub fn string(&self, key: &str) -> Result<Option<&str>, ValidationError> {
        match self.get(key) {
            None => Ok(None),
            Some(InputValue::String(s)) => Ok(Some(s)),
            Some(other) => Err(wrong_type(&self.field(key), "a string", other)),
        }
    }

    pub fn required_string(&self, key: &str) -> Result<&str, ValidationError> {
        let field = self.field(key);
        self.string(key)?
            .ok_or_else(|| ValidationError::new(&field, format!("{field} is required")))
    }

    /// An integer number within `min..=max` (both within the safe-integer range).
    pub fn integer(&self, key: &str, min: f64, max: f64) -> Result<Option<u64>, ValidationError> {
        let field = self.field(key);
        let n = match self.get(key) {
            None => return Ok(None),
            Some(InputValue::Number(n)) => *n,
            Some(other) => return Err(wrong_type(&field, "an integer", other)),
        };
        let key = &field;
        if !n.is_finite() || n.fract() != 0.0 {
            return Err(ValidationError::new(
                key,
                format!("{key} must be an integer, got {}", number_text(n)),
            ));
        }
        if n < min || n > max {
            let range = if max >= MAX_SAFE_INTEGER {
                format!("at least {}", number_text(min))
            } else {
                format!("from {} to {}", number_text(min), number_text(max))
            };
            return Err(ValidationError::new(
                key,
                format!("{key} must be {range}, got {}", number_text(n)),
            ));
        }
        // In range and integral, so the conversion is exact.
        Ok(Some(n as u64))
    }
}

fn wrong_type(key: &str, expected: &str, found: &InputValue) -> ValidationError {
    let shown = match found {
        InputValue::String(s) => format!("the string {}", quoted(s)),
        InputValue::Number(n) if !n.is_nan() => format!("the number {}", number_text(*n)),
        other => other.kind().to_owned(),
    };
    ValidationError::new(key, format!("{key} must be {expected}, got {shown}"))
}

/// A number as JavaScript writes it: integers in full, others in their shortest form (`1.5`,
/// `1e-7`). zmij is a few hundred bytes of the .wasm; Rust's own float formatting was 20 KB.
fn number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n.fract() == 0.0 && n.abs() < 9.2e18 {
        // Exact: integral and within i64 (`-0` is written `0`, as in JavaScript).
        (n as i64).to_string()
    } else {
        zmij::Buffer::new().format_finite(n).to_owned()
    }
}

/// A caller's string in a message: quoted, control characters escaped, long values shortened.
pub fn quoted(value: &str) -> String {
    const LIMIT: usize = 64;
    let mut shown: String = value
        .chars()
        .take(LIMIT)
        .flat_map(char::escape_debug)
        .collect();
    if value.chars().count() > LIMIT {
        shown.push('…');
    }
    format!("\"{shown}\"")
}

/// The known key within two edits of `key`, ignoring case, if there is one. The known keys are
/// ASCII, so ASCII case is all there is to ignore (Unicode's case tables would add 8 KB).
fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let key = key.to_ascii_lowercase();
    known
        .iter()
        .map(|k| (edit_distance(&key, &k.to_ascii_lowercase()), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != *cb));
            let delete = previous
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = current
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}
