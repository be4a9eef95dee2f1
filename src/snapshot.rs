//! Reads a caller's argument once, through `js/snapshot.js`, into the core's plain input values.
//! The functions and signals in it are kept here by their path (`retry.onRetry`), as is what an
//! unreadable value threw; nothing is read from the caller's object again.

use alloc::{borrow::ToOwned, string::String, vec::Vec};
use js_sys::{Array, Function};
use wasm_bindgen::prelude::*;

use atlas_export_jobs_core::error::{Failure, Found, Problem, ValidationError};
use atlas_export_jobs_core::rules::input::{InputRecord, InputValue};

use crate::js_error::Rejection;

#[wasm_bindgen(module = "/src/js/snapshot.js")]
extern "C" {
    // `catch` although it never throws: a JS exception must never unwind through wasm.
    #[wasm_bindgen(catch)]
    fn snapshot(value: &JsValue) -> Result<Array, JsValue>;
}

// The kinds js/snapshot.js reports.
const UNDEFINED: u32 = 0;
const NULL: u32 = 1;
const BOOLEAN: u32 = 2;
const NUMBER: u32 = 3;
const STRING: u32 = 4;
const SIGNAL: u32 = 5;
const FUNCTION: u32 = 6;
const RECORD: u32 = 7;
const OTHER: u32 = 8;
const LIST: u32 = 10;

/// The JavaScript values of a snapshot that the core cannot hold, by path.
#[derive(Debug, Clone, Default)]
pub struct Handles(Vec<(String, JsValue)>);

impl Handles {
    pub fn get(&self, path: &str) -> Option<&JsValue> {
        self.0.iter().find(|(p, _)| p == path).map(|(_, v)| v)
    }

    pub fn function(&self, path: &str) -> Option<Function> {
        self.get(path)
            .and_then(|value| value.dyn_ref::<Function>().cloned())
    }

    /// These handles but those whose path `dropped` picks.
    pub fn without(&self, dropped: impl Fn(&str) -> bool) -> Handles {
        Handles(
            self.0
                .iter()
                .filter(|(path, _)| !dropped(path))
                .cloned()
                .collect(),
        )
    }

    pub fn extend(&mut self, other: &Handles) {
        self.0.extend(other.0.iter().cloned());
    }

    /// The rejection of a failure the core found in this argument, with what reading a value
    /// threw as the cause where that is what failed.
    pub fn refuse(&self, failure: Failure) -> Rejection {
        let cause = match &failure {
            Failure::Validation(ValidationError {
                field,
                problem: Problem::Unreadable,
            }) => self.get(field).cloned(),
            _ => None,
        };
        Rejection::new(failure, cause)
    }

    /// The rejection of `error`, found in this argument.
    pub fn reject(&self, error: ValidationError) -> Rejection {
        self.refuse(error.into())
    }
}

/// An argument, read.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub record: InputRecord,
    pub handles: Handles,
}

/// Reads `value`, the argument called `name`; `undefined` reads as an empty record when `optional`.
pub fn read(value: &JsValue, name: &str, optional: bool) -> Result<Snapshot, Rejection> {
    let mut handles = Handles::default();
    let read = snapshot(value).unwrap_or_else(|error| Array::of2(&9.into(), &error));
    let kind = read.get(0).as_f64().unwrap_or(-1.0) as u32;
    let payload = read.get(1);
    if kind == UNDEFINED && optional {
        return Ok(Snapshot::default());
    }
    if kind != RECORD {
        handles.0.push((name.to_owned(), payload.clone()));
        let problem = match value_of(kind, payload, name, &mut handles) {
            InputValue::Unreadable => Problem::Unreadable,
            other => Problem::NotAnObject {
                found: Found::from(other),
            },
        };
        return Err(handles.reject(ValidationError::new(name, problem)));
    }
    let record = record_of(&payload.unchecked_into(), "", &mut handles);
    Ok(Snapshot { record, handles })
}

fn record_of(flat: &Array, prefix: &str, handles: &mut Handles) -> InputRecord {
    let mut entries = Vec::new();
    let mut at = 0;
    while at + 2 < flat.length() {
        let key = flat.get(at).as_string().unwrap_or_default();
        let kind = flat.get(at + 1).as_f64().unwrap_or(-1.0) as u32;
        let mut path = prefix.to_owned();
        path.push_str(&key);
        let value = value_of(kind, flat.get(at + 2), &path, handles);
        entries.push((key, value));
        at += 3;
    }
    InputRecord::new(entries)
}

fn value_of(kind: u32, payload: JsValue, path: &str, handles: &mut Handles) -> InputValue {
    let mut keep = |payload: JsValue| handles.0.push((path.to_owned(), payload));
    match kind {
        UNDEFINED => InputValue::Undefined,
        NULL => InputValue::Null,
        BOOLEAN => InputValue::Bool(payload.as_bool().unwrap_or(false)),
        NUMBER => InputValue::Number(payload.as_f64().unwrap_or(f64::NAN)),
        STRING => InputValue::String(payload.as_string().unwrap_or_default()),
        SIGNAL => {
            keep(payload);
            InputValue::AbortSignal
        }
        FUNCTION => {
            keep(payload);
            InputValue::Function
        }
        RECORD => {
            let mut prefix = path.to_owned();
            prefix.push('.');
            InputValue::Record(record_of(&payload.unchecked_into(), &prefix, handles))
        }
        #[cfg(not(feature = "watch"))]
        LIST => InputValue::Other("array"),
        #[cfg(feature = "watch")]
        LIST => {
            let flat: Array = payload.unchecked_into();
            let length = flat.get(0).as_f64().unwrap_or(0.0) as u64;
            let mut items = Vec::new();
            let mut at = 1;
            while at + 1 < flat.length() {
                let kind = flat.get(at).as_f64().unwrap_or(-1.0) as u32;
                items.push(value_of(kind, flat.get(at + 1), path, handles));
                at += 2;
            }
            InputValue::List(length, items)
        }
        OTHER => InputValue::Other(match payload.as_string().as_deref() {
            Some("bigint") => "bigint",
            Some("symbol") => "symbol",
            Some("array") => "array",
            _ => "object",
        }),
        _ => {
            keep(payload);
            InputValue::Unreadable
        }
    }
}
