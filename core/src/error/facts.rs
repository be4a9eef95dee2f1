//! How a failure or an event hands its facts to whoever shows them. The core names each fact and
//! gives its value; the wasm shell turns them into a JavaScript object, where the message is
//! written. Sentences are not built here: a code and its values are all a caller needs to act
//! on, and `format!` at every failure site was a tenth of the `.wasm`.

use alloc::{borrow::ToOwned, string::String, vec::Vec};
/// Receives facts one at a time, each under a key the receiver knows.
pub trait Facts {
    fn text(&mut self, key: &'static str, value: &str);
    fn number(&mut self, key: &'static str, value: f64);
    fn flag(&mut self, key: &'static str, value: bool);
    /// A JSON text, to be parsed by the receiver (Atlas's `parameters`, say).
    fn json(&mut self, key: &'static str, value: &str);
}

/// Something that can describe itself as facts.
pub trait Describe {
    fn describe(&self, facts: &mut dyn Facts);
}

/// Facts collected into a list, for tests and native callers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactList(pub Vec<(&'static str, Fact)>);

/// One collected fact.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    Text(String),
    Number(f64),
    Flag(bool),
    Json(String),
}

impl FactList {
    pub fn of(value: &dyn Describe) -> Self {
        let mut list = FactList::default();
        value.describe(&mut list);
        list
    }

    pub fn get(&self, key: &str) -> Option<&Fact> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }

    /// The text fact under `key`, if there is one.
    pub fn text(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Fact::Text(text) | Fact::Json(text)) => Some(text),
            _ => None,
        }
    }

    pub fn number(&self, key: &str) -> Option<f64> {
        match self.get(key) {
            Some(Fact::Number(n)) => Some(*n),
            _ => None,
        }
    }
}

impl Facts for FactList {
    fn text(&mut self, key: &'static str, value: &str) {
        self.0.push((key, Fact::Text(value.to_owned())));
    }
    fn number(&mut self, key: &'static str, value: f64) {
        self.0.push((key, Fact::Number(value)));
    }
    fn flag(&mut self, key: &'static str, value: bool) {
        self.0.push((key, Fact::Flag(value)));
    }
    fn json(&mut self, key: &'static str, value: &str) {
        self.0.push((key, Fact::Json(value.to_owned())));
    }
}
