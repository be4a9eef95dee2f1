//! Builders shared by the native tests.

#![allow(dead_code)] // each test crate uses some of these

use atlas_export_jobs::input::{InputRecord, InputValue};

pub const GROUP: &str = "32b6e34b3d91647abb20e7b8";

pub fn s(value: &str) -> InputValue {
    InputValue::String(value.to_owned())
}

/// A record of `entries`, as a JS object literal would give.
pub fn record(entries: &[(&str, InputValue)]) -> InputRecord {
    InputRecord::new(
        entries
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

/// The two required parameters plus `extra`.
pub fn params_with(extra: &[(&str, InputValue)]) -> InputRecord {
    let mut entries = vec![("groupId", s(GROUP)), ("clusterName", s("Cluster0"))];
    entries.extend(extra.iter().cloned());
    record(&entries)
}
