//! The core's view of what a JavaScript caller passed: plain values, no wasm types, so every
//! rule about caller input can be tested natively (including `NaN`, which JSON cannot express).
//! The shell reads each caller object once into these; nothing is read from the caller again.

use crate::error::{Problem, ValidationError};
use crate::num;
use alloc::{borrow::ToOwned, string::String, vec::Vec};

/// One value as JavaScript sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum InputValue {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    /// A genuine `AbortSignal` (checked by its brand, not by `instanceof`).
    AbortSignal,
    /// A function.
    Function,
    /// A plain object nested in an argument (`options.retry`), read one level deep.
    Record(InputRecord),
    /// Anything else, named by its JavaScript kind ("bigint", "array", "object", ...).
    Other(&'static str),
    /// Reading it threw: a getter, or a Proxy trap. What it threw stays with the shell.
    Unreadable,
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
            InputValue::Unreadable => "unreadable",
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
        self.prefix = key.to_owned();
        self.prefix.push('.');
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

    /// This record's entries with `overrides`' on top (a client's defaults under a call's options).
    pub fn overridden_by(&self, overrides: &InputRecord) -> InputRecord {
        let mut entries: Vec<(String, InputValue)> = self
            .entries
            .iter()
            .filter(|(k, _)| overrides.get(k).is_none())
            .cloned()
            .collect();
        entries.extend(overrides.entries.iter().cloned());
        InputRecord {
            entries,
            prefix: self.prefix.clone(),
        }
    }

    /// The field name errors use for `key`.
    pub fn field(&self, key: &str) -> String {
        let mut field = self.prefix.clone();
        field.push_str(key);
        field
    }

    /// The value under `key`; a property set to `undefined` counts as absent, as in most JS APIs.
    pub fn get(&self, key: &str) -> Option<&InputValue> {
        self.entries
            .iter()
            .find(|(k, v)| k == key && !matches!(v, InputValue::Undefined))
            .map(|(_, v)| v)
    }

    /// The first key that is not in `known`, for typo detection.
    pub fn first_unknown_key(&self, known: &[&str]) -> Option<&str> {
        self.entries
            .iter()
            .map(|(k, _)| k.as_str())
            .find(|k| !known.contains(k))
    }

    fn error(&self, key: &str, problem: Problem) -> ValidationError {
        ValidationError::new(&self.field(key), problem)
    }
}

/// The largest integer a JavaScript number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Which set of keys an unknown key was checked against, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySet {
    Parameter,
    Option,
    CallOption,
    RetryOption,
    AuthOption,
}

impl KeySet {
    pub fn code(self) -> &'static str {
        match self {
            KeySet::Parameter => "parameter",
            KeySet::Option => "option",
            KeySet::CallOption => "call option",
            KeySet::RetryOption => "retry option",
            KeySet::AuthOption => "auth option",
        }
    }
}

/// Typed reads of a record. Each names the field in its error and says what was found instead.
impl InputRecord {
    /// Rejects the first key not in `known`, suggesting the closest known one (`itemPerPage`).
    /// A value that could not be read is reported first: nothing about it can be trusted.
    pub fn reject_unknown_keys(
        &self,
        known: &[&'static str],
        set: KeySet,
    ) -> Result<(), ValidationError> {
        self.reject_unreadable()?;
        match self.first_unknown_key(known) {
            None => Ok(()),
            Some(key) => Err(self.error(
                key,
                Problem::UnknownKey {
                    set,
                    suggestion: closest(key, known),
                },
            )),
        }
    }

    /// The first property whose read threw, as a validation error naming it.
    pub fn reject_unreadable(&self) -> Result<(), ValidationError> {
        match self
            .entries
            .iter()
            .find(|(_, v)| matches!(v, InputValue::Unreadable))
        {
            Some((key, _)) => Err(self.error(key, Problem::Unreadable)),
            None => Ok(()),
        }
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, ValidationError> {
        match self.get(key) {
            None => Ok(None),
            Some(InputValue::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.wrong_type(key, "a boolean", other)),
        }
    }

    /// A plain object, whose errors name its keys `key.inner`.
    pub fn record(&self, key: &str) -> Result<Option<InputRecord>, ValidationError> {
        match self.get(key) {
            None => Ok(None),
            Some(InputValue::Record(record)) => {
                Ok(Some(record.clone().nested_in(&self.field(key))))
            }
            Some(other) => Err(self.wrong_type(key, "an object", other)),
        }
    }

    /// Whether a function is there; the shell keeps the function itself.
    pub fn has_function(&self, key: &str) -> Result<bool, ValidationError> {
        match self.get(key) {
            None => Ok(false),
            Some(InputValue::Function) => Ok(true),
            Some(other) => Err(self.wrong_type(key, "a function", other)),
        }
    }

    /// Whether a genuine `AbortSignal` is there; the shell keeps the signal itself.
    pub fn has_signal(&self, key: &str) -> Result<bool, ValidationError> {
        match self.get(key) {
            None => Ok(false),
            Some(InputValue::AbortSignal) => Ok(true),
            Some(other) => Err(self.wrong_type(key, "an AbortSignal", other)),
        }
    }

    pub fn string(&self, key: &str) -> Result<Option<&str>, ValidationError> {
        match self.get(key) {
            None => Ok(None),
            Some(InputValue::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    pub fn required_string(&self, key: &str) -> Result<&str, ValidationError> {
        self.string(key)?
            .ok_or_else(|| self.error(key, Problem::Required))
    }

    /// An integer number within `min..=max` (both within the safe-integer range).
    pub fn integer(&self, key: &str, min: f64, max: f64) -> Result<Option<u64>, ValidationError> {
        let n = match self.get(key) {
            None => return Ok(None),
            Some(InputValue::Number(n)) => *n,
            Some(other) => return Err(self.wrong_type(key, "an integer", other)),
        };
        if !num::is_whole(n) {
            return Err(self.error(key, Problem::NotInteger { value: n }));
        }
        if n < min || n > max {
            return Err(self.error(
                key,
                Problem::OutOfRange {
                    min,
                    max: (max < MAX_SAFE_INTEGER).then_some(max),
                    value: n,
                },
            ));
        }
        // In range and integral, so the conversion is exact.
        Ok(Some(n as u64))
    }

    /// A whole number of milliseconds within `min..=max`, or `default`.
    pub fn millis(
        &self,
        key: &str,
        min: u32,
        max: u32,
        default: u32,
    ) -> Result<u32, ValidationError> {
        Ok(self
            .integer(key, f64::from(min), f64::from(max))?
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(default))
    }

    pub fn wrong_type(
        &self,
        key: &str,
        expected: &'static str,
        found: &InputValue,
    ) -> ValidationError {
        self.error(
            key,
            Problem::WrongType {
                expected,
                found: found.clone().into(),
            },
        )
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

/// The known key within two edits of `key`, ignoring case, if there is one. The known keys are
/// ASCII, so ASCII case is all there is to ignore (Unicode's case tables would add 8 KB).
pub fn closest(key: &str, known: &[&'static str]) -> Option<&'static str> {
    if key.len() > 64 {
        return None;
    }
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
        let mut current = Vec::with_capacity(b.len().saturating_add(1));
        current.push(i.saturating_add(1));
        for (j, cb) in b.iter().enumerate() {
            let at = |row: &[usize], k: usize| row.get(k).copied().unwrap_or(usize::MAX);
            let substitute = at(&previous, j).saturating_add(usize::from(ca != *cb));
            let delete = at(&previous, j.saturating_add(1)).saturating_add(1);
            let insert = at(&current, j).saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}
