//! Reads JavaScript arguments into the core's plain input values.

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::ValidationError;
use crate::input::{InputRecord, InputValue};

pub fn input_value(value: &JsValue) -> InputValue {
    if value.is_undefined() {
        InputValue::Undefined
    } else if value.is_null() {
        InputValue::Null
    } else if let Some(b) = value.as_bool() {
        InputValue::Bool(b)
    } else if let Some(n) = value.as_f64() {
        InputValue::Number(n)
    } else if let Some(s) = value.as_string() {
        InputValue::String(s)
    } else if value.is_instance_of::<web_sys::AbortSignal>() {
        InputValue::AbortSignal
    } else if value.is_function() {
        InputValue::Function
    } else if is_plain_object(value) {
        // One level is all the options have (`retry`); deeper objects stay opaque.
        InputValue::Record(InputRecord::new(entries(value, shallow)))
    } else {
        InputValue::Other(other_kind(value))
    }
}

/// A value inside a nested record: anything but a further level of objects.
fn shallow(value: &JsValue) -> InputValue {
    if is_plain_object(value) {
        InputValue::Other("object")
    } else {
        input_value(value)
    }
}

/// An object literal (or `Object.create(null)`), not an array, class instance or function.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() || Array::is_array(value) {
        return false;
    }
    let prototype = Object::get_prototype_of(value);
    prototype.is_null() || prototype == Object::get_prototype_of(&Object::new())
}

fn entries(value: &JsValue, read: impl Fn(&JsValue) -> InputValue) -> Vec<(String, InputValue)> {
    Object::entries(value.unchecked_ref())
        .iter()
        .filter_map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, read(&pair.get(1))))
        })
        .collect()
}

fn other_kind(value: &JsValue) -> &'static str {
    if value.is_bigint() {
        "bigint"
    } else if value.is_symbol() {
        "symbol"
    } else if value.is_function() {
        "function"
    } else if Array::is_array(value) {
        "array"
    } else {
        "object"
    }
}

/// The own enumerable properties of `value`, which must be a plain object (`undefined` reads as
/// an empty one when `optional`).
pub fn input_record(
    value: &JsValue,
    name: &str,
    optional: bool,
) -> Result<InputRecord, ValidationError> {
    if optional && value.is_undefined() {
        return Ok(InputRecord::default());
    }
    if !value.is_object() || value.is_function() || Array::is_array(value) {
        return Err(ValidationError::new(
            name,
            format!(
                "{name} must be an object, got {}",
                input_value(value).kind()
            ),
        ));
    }
    Ok(InputRecord::new(entries(value, input_value)))
}
