//! The seven parameters of the endpoint and every rule about them (ATLAS-API.md, "Parameters").
//! A parameter the caller did not set stays unset, so it is not sent and Atlas applies its default.

use crate::error::facts::{Describe, Facts};
use crate::error::KeySet;
use crate::error::{Problem, ValidationError};
use crate::rules::input::{names, InputRecord, Key, Rule};
use crate::support::limits::MAX_SAFE_INTEGER;
use crate::support::text::push_decimal;
use alloc::{borrow::ToOwned, string::String};

/// Atlas's page size limit.
pub const MAX_ITEMS_PER_PAGE: u64 = 500;

/// The keys `listExportJobs` accepts in its first argument, and what each may hold.
pub static PARAMS: [Key; 7] = [
    Key::new("groupId", Rule::RequiredText),
    Key::new("clusterName", Rule::RequiredText),
    Key::new(
        "itemsPerPage",
        Rule::Integer {
            min: 1.0,
            max: MAX_ITEMS_PER_PAGE as f64,
        },
    ),
    Key::new(
        "pageNum",
        Rule::Integer {
            min: 1.0,
            max: MAX_SAFE_INTEGER,
        },
    ),
    Key::new("includeCount", Rule::Boolean),
    Key::new("envelope", Rule::Boolean),
    Key::new("pretty", Rule::Boolean),
];

pub const PARAM_KEYS: [&str; 7] = names(&PARAMS);

/// Where in [`PARAMS`] the parameters a query string holds are: all but the two in the path.
pub const QUERY_PARAMS: core::ops::RangeFrom<usize> = 2..;

/// The first argument of `listExportJobs`: which cluster's export jobs, and which page of them.
/// Only `groupId` and `clusterName` are required; a parameter left out is not sent, and Atlas
/// applies its default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListExportJobsParams {
    /// The project (group) id: 24 lowercase hexadecimal characters.
    pub group_id: String,
    /// The cluster's name: letters, digits and hyphens, starting with a letter or digit.
    pub cluster_name: String,
    /// Jobs per page: an integer from 1 to 500 (Atlas's default: 100).
    pub items_per_page: Option<u64>,
    /// Which page: an integer from 1 (Atlas's default: 1).
    pub page_num: Option<u64>,
    /// Whether the page carries `totalCount` (Atlas's default: true).
    pub include_count: Option<bool>,
    /// Whether Atlas wraps the response in an envelope with its status; the page you get is the
    /// same either way (Atlas's default: false).
    pub envelope: Option<bool>,
    /// Whether Atlas pretty-prints the body (Atlas's default: false).
    pub pretty: Option<bool>,
}

impl ListExportJobsParams {
    /// Checks every parameter; the first broken rule is the error.
    pub fn from_input(input: &InputRecord) -> Result<Self, ValidationError> {
        input.check(&PARAMS, KeySet::Parameter)?;
        let group_id = input.required("groupId");
        check_group_id(group_id)?;
        let cluster_name = input.required("clusterName");
        check_cluster_name(cluster_name)?;
        Ok(ListExportJobsParams {
            group_id: group_id.to_owned(),
            cluster_name: cluster_name.to_owned(),
            items_per_page: input.whole("itemsPerPage"),
            page_num: input.whole("pageNum"),
            include_count: input.flag("includeCount"),
            envelope: input.flag("envelope"),
            pretty: input.flag("pretty"),
        })
    }

    /// Appends the query string for the parameters that were set, in the spec's order. The
    /// values are digits and booleans, so nothing needs percent-encoding.
    pub fn push_query(&self, url: &mut String) {
        let flags = [
            ("envelope", self.envelope),
            ("pretty", self.pretty),
            ("includeCount", self.include_count),
        ];
        let numbers = [
            ("itemsPerPage", self.items_per_page),
            ("pageNum", self.page_num),
        ];
        let mut separator = '?';
        let mut key = |url: &mut String, key: &str| {
            url.push(separator);
            separator = '&';
            url.push_str(key);
            url.push('=');
        };
        for (name, value) in flags {
            if let Some(value) = value {
                key(url, name);
                url.push_str(if value { "true" } else { "false" });
            }
        }
        for (name, value) in numbers {
            if let Some(value) = value {
                key(url, name);
                push_decimal(url, value);
            }
        }
    }
}

/// The parameters as facts under the names callers give them, the unset ones left out: what the
/// proxy's route hands `listExportJobs`.
impl Describe for ListExportJobsParams {
    fn describe(&self, facts: &mut dyn Facts) {
        facts.text("groupId", &self.group_id);
        facts.text("clusterName", &self.cluster_name);
        for (key, value) in [
            ("itemsPerPage", self.items_per_page),
            ("pageNum", self.page_num),
        ] {
            if let Some(value) = value {
                facts.number(key, value as f64);
            }
        }
        for (key, value) in [
            ("includeCount", self.include_count),
            ("envelope", self.envelope),
            ("pretty", self.pretty),
        ] {
            if let Some(value) = value {
                facts.flag(key, value);
            }
        }
    }
}

/// `^([a-f0-9]{24})$`: lowercase only, as the spec says.
pub fn check_group_id(value: &str) -> Result<(), ValidationError> {
    if is_hex_id(value) {
        Ok(())
    } else {
        Err(ValidationError::new(
            "groupId",
            Problem::Pattern {
                rule: "groupId",
                value: Some(value.to_owned()),
            },
        ))
    }
}

/// Whether `value` is an Atlas id as the spec writes every one (a project's, an export job's):
/// `^([a-f0-9]{24})$`.
pub fn is_hex_id(value: &str) -> bool {
    value.len() == 24
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `^[a-zA-Z0-9][a-zA-Z0-9-]*$`. The spec sets no maximum length, so neither do we.
pub fn check_cluster_name(value: &str) -> Result<(), ValidationError> {
    let mut bytes = value.bytes();
    let ok = bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            "clusterName",
            Problem::Pattern {
                rule: "clusterName",
                value: Some(value.to_owned()),
            },
        ))
    }
}
