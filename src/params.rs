//! The seven parameters of the endpoint and every rule about them (ATLAS-API.md, "Parameters").
//! A parameter the caller did not set stays unset, so it is not sent and Atlas applies its default.

use crate::error::ValidationError;
use crate::input::{quoted, InputRecord, MAX_SAFE_INTEGER};

/// The keys `listExportJobs` accepts in its first argument.
pub const PARAM_KEYS: [&str; 7] = [
    "groupId",
    "clusterName",
    "itemsPerPage",
    "pageNum",
    "includeCount",
    "envelope",
    "pretty",
];

/// Atlas's page size limit.
pub const MAX_ITEMS_PER_PAGE: u64 = 500;

/// Parameters that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListExportJobsParams {
    pub group_id: String,
    pub cluster_name: String,
    pub items_per_page: Option<u64>,
    pub page_num: Option<u64>,
    pub include_count: Option<bool>,
    pub envelope: Option<bool>,
    pub pretty: Option<bool>,
}

impl ListExportJobsParams {
    /// Checks every parameter; the first broken rule is the error.
    pub fn from_input(input: &InputRecord) -> Result<Self, ValidationError> {
        input.reject_unknown_keys(&PARAM_KEYS, "parameter")?;
        let group_id = input.required_string("groupId")?;
        check_group_id(group_id)?;
        let cluster_name = input.required_string("clusterName")?;
        check_cluster_name(cluster_name)?;
        Ok(ListExportJobsParams {
            group_id: group_id.to_owned(),
            cluster_name: cluster_name.to_owned(),
            items_per_page: input.integer("itemsPerPage", 1.0, MAX_ITEMS_PER_PAGE as f64)?,
            page_num: input.integer("pageNum", 1.0, MAX_SAFE_INTEGER)?,
            include_count: input.bool("includeCount")?,
            envelope: input.bool("envelope")?,
            pretty: input.bool("pretty")?,
        })
    }

    /// The query string pairs for the parameters that were set, in the spec's order.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        let flags = [
            ("envelope", self.envelope),
            ("pretty", self.pretty),
            ("includeCount", self.include_count),
        ];
        let numbers = [
            ("itemsPerPage", self.items_per_page),
            ("pageNum", self.page_num),
        ];
        flags
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v.to_string())))
            .chain(
                numbers
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k, v.to_string()))),
            )
            .collect()
    }
}

/// `^([a-f0-9]{24})$`: lowercase only, as the spec says.
pub fn check_group_id(value: &str) -> Result<(), ValidationError> {
    let ok = value.len() == 24
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            "groupId",
            format!(
                "groupId {} must be 24 lowercase hex characters",
                quoted(value)
            ),
        ))
    }
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
            format!(
                "clusterName {} must start with a letter or digit and hold only letters, digits and hyphens",
                quoted(value)
            ),
        ))
    }
}
