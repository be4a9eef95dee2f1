//! The core's view of what a JavaScript caller passed: plain values, no wasm types, so every
//! rule about caller input can be tested natively (including `NaN`, which JSON cannot express).
//! The shell reads each caller object once into these; nothing is read from the caller again.

use crate::error::{Found, KeySet, Problem, ValidationError};
pub use crate::support::limits::MAX_LIST_ITEMS;
use crate::support::limits::MAX_SAFE_INTEGER;
use crate::support::num;
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
    #[cfg(feature = "watch")]
    /// An array at the top of an argument (`options.jobIds`): its length, and its first items
    /// (no more than [`MAX_LIST_ITEMS`] and one are read).
    List(u64, Vec<InputValue>),
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
            #[cfg(feature = "watch")]
            InputValue::List(..) => "array",
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

    fn error(&self, key: &str, problem: Problem) -> ValidationError {
        ValidationError::new(&self.field(key), problem)
    }
}

/// What a key of an argument may hold: the rule tables of `params`, `options`, `paging` and
/// `auth` list their keys with one of these, and [`InputRecord::check`] applies them all.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    Boolean,
    Text,
    /// A string that must be there.
    RequiredText,
    /// An integer from `min` to `max` (both within the safe-integer range).
    Integer {
        min: f64,
        max: f64,
    },
    Function,
    /// A genuine `AbortSignal`.
    Signal,
    /// A plain object, which its reader checks against its own table.
    Object,
    /// `true`, `false` or a plain object (`retry`).
    BooleanOrObject,
    /// An array of 1 to `max` strings.
    #[cfg(feature = "watch")]
    TextList {
        max: u64,
    },
}

/// One key of an argument and its rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    pub name: &'static str,
    pub rule: Rule,
}

impl Key {
    pub const fn new(name: &'static str, rule: Rule) -> Self {
        Key { name, rule }
    }
}

/// The names of a table's keys.
// Evaluated at compile time, where an index out of range fails the build.
#[allow(clippy::indexing_slicing)]
pub const fn names<const N: usize>(keys: &[Key; N]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = keys[i].name;
        i += 1;
    }
    names
}

impl InputRecord {
    /// Checks the record against `keys`, the first broken rule being the error: a value that
    /// could not be read, then a key not in the table (with the closest one suggested, as for
    /// `itemPerPage`), then each key's type and range, in the table's order.
    pub fn check(&self, keys: &[Key], set: KeySet) -> Result<(), ValidationError> {
        if let Some((key, _)) = self
            .entries
            .iter()
            .find(|(_, v)| matches!(v, InputValue::Unreadable))
        {
            return Err(self.error(key, Problem::Unreadable));
        }
        if let Some((key, _)) = self
            .entries
            .iter()
            .find(|(k, _)| !keys.iter().any(|known| known.name == k))
        {
            let suggestion = closest(key, keys);
            return Err(self.error(key, Problem::UnknownKey { set, suggestion }));
        }
        for key in keys {
            self.check_value(key.name, key.rule)?;
        }
        Ok(())
    }

    fn check_value(&self, key: &str, rule: Rule) -> Result<(), ValidationError> {
        let Some(value) = self.get(key) else {
            return match rule {
                Rule::RequiredText => Err(self.error(key, Problem::Required)),
                _ => Ok(()),
            };
        };
        let expected = match (rule, value) {
            (Rule::Boolean, InputValue::Bool(_))
            | (Rule::Text | Rule::RequiredText, InputValue::String(_))
            | (Rule::Function, InputValue::Function)
            | (Rule::Signal, InputValue::AbortSignal)
            | (Rule::Object, InputValue::Record(_))
            | (Rule::BooleanOrObject, InputValue::Bool(_) | InputValue::Record(_)) => return Ok(()),
            #[cfg(feature = "watch")]
            (Rule::TextList { max }, InputValue::List(count, items)) => {
                if *count == 0 || *count > max {
                    let problem = Problem::Count {
                        min: 1,
                        max,
                        count: *count,
                    };
                    return Err(self.error(key, problem));
                }
                for (index, item) in items.iter().enumerate() {
                    if !matches!(item, InputValue::String(_)) {
                        let mut field = self.field(key);
                        field.push('[');
                        field.push_str(&crate::support::text::decimal(index as u64));
                        field.push(']');
                        let found = item.clone().into();
                        let problem = Problem::WrongType {
                            expected: "a string",
                            found,
                        };
                        return Err(ValidationError::new(&field, problem));
                    }
                }
                return Ok(());
            }
            (Rule::Integer { min, max }, InputValue::Number(n)) => {
                let n = *n;
                if !num::is_whole(n) {
                    return Err(self.error(key, Problem::NotInteger { value: n }));
                }
                if n < min || n > max {
                    let max = (max < MAX_SAFE_INTEGER).then_some(max);
                    return Err(self.error(key, Problem::OutOfRange { min, max, value: n }));
                }
                return Ok(());
            }
            (Rule::Boolean, _) => "a boolean",
            (Rule::Text | Rule::RequiredText, _) => "a string",
            (Rule::Integer { .. }, _) => "an integer",
            (Rule::Function, _) => "a function",
            (Rule::Signal, _) => "an AbortSignal",
            (Rule::Object, _) => "an object",
            (Rule::BooleanOrObject, _) => "a boolean or an object",
            #[cfg(feature = "watch")]
            (Rule::TextList { .. }, _) => "an array of strings",
        };
        Err(self.wrong_type(key, expected, value))
    }

    // Reads of a checked record: the value is of the type its rule says, or absent.

    pub fn flag(&self, key: &str) -> Option<bool> {
        match self.get(key) {
            Some(InputValue::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn text(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(InputValue::String(s)) => Some(s),
            _ => None,
        }
    }

    /// A string the table requires; `""` only if the record was not checked.
    pub fn required(&self, key: &str) -> &str {
        self.text(key).unwrap_or_default()
    }

    /// An integer, exact since the check found it whole and in range.
    pub fn whole(&self, key: &str) -> Option<u64> {
        match self.get(key) {
            Some(InputValue::Number(n)) => Some(*n as u64),
            _ => None,
        }
    }

    /// A whole number (of milliseconds, say) whose range fits `u32`, or `default`.
    pub fn whole_or(&self, key: &str, default: u32) -> u32 {
        self.whole(key)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(default)
    }

    /// The strings of a list, checked to hold only strings.
    #[cfg(feature = "watch")]
    pub fn texts(&self, key: &str) -> Option<Vec<&str>> {
        match self.get(key) {
            Some(InputValue::List(_, items)) => Some(
                items
                    .iter()
                    .filter_map(|item| match item {
                        InputValue::String(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// Whether a function or a signal is there; the shell keeps the value itself.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A plain object, whose errors name its keys `key.inner`.
    pub fn nested(&self, key: &str) -> Option<InputRecord> {
        match self.get(key) {
            Some(InputValue::Record(record)) => Some(record.clone().nested_in(&self.field(key))),
            _ => None,
        }
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

/// The known key within two edits of `key`, ignoring ASCII case (the known keys are ASCII).
pub fn closest(key: &str, known: &[Key]) -> Option<&'static str> {
    if key.len() > 64 {
        return None;
    }
    known
        .iter()
        .map(|k| (edit_distance(key.as_bytes(), k.name.as_bytes()), k.name))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance between two byte strings, ignoring ASCII case.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = Vec::with_capacity(b.len().saturating_add(1));
    for (i, ca) in a.iter().enumerate() {
        current.clear();
        current.push(i.saturating_add(1));
        for (j, cb) in b.iter().enumerate() {
            let at = |row: &[usize], k: usize| row.get(k).copied().unwrap_or(usize::MAX);
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            let substitute = at(&previous, j).saturating_add(cost);
            let delete = at(&previous, j.saturating_add(1)).saturating_add(1);
            let insert = at(&current, j).saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        core::mem::swap(&mut previous, &mut current);
    }
    previous.last().copied().unwrap_or(0)
}

impl From<InputValue> for Found {
    fn from(value: InputValue) -> Self {
        match value {
            InputValue::String(s) => Found::String(s),
            InputValue::Number(n) if !n.is_nan() => Found::Number(n),
            other => Found::Kind(other.kind()),
        }
    }
}
