//! Which requests the package's proxy (`atlas-export-jobs/server`) forwards: a request's path and
//! query string read as a call of this endpoint, in the API version the path names, with the
//! query's parameters typed and checked by the package's own rules, or refused. The path must be
//! exactly the endpoint's, and nothing is decoded: ids, names and the parameters' values never
//! need a percent-escape, so one is refused rather than read.

use crate::error::{KeySet, Problem, ValidationError};
use crate::rules::api_version::ApiVersion;
use crate::rules::input::{closest, InputRecord, InputValue, Rule};
use crate::rules::params::{ListExportJobsParams, PARAMS, QUERY_PARAMS};
use crate::support::num::digits;
use crate::support::text;
use crate::wire::request::ENDPOINT_PATH;
use alloc::{borrow::ToOwned, string::String};

/// A request for this endpoint: the API version its path names, and its parameters, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub api_version: ApiVersion,
    pub params: ListExportJobsParams,
}

/// Why a request is not forwarded.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// The path is not the endpoint's, in either version, as written: 404.
    NotFound,
    /// The endpoint, with a parameter that breaks a rule (unknown, given twice, of the wrong
    /// type or out of range, escaped): 400, naming it.
    Invalid(ValidationError),
}

impl Refusal {
    /// The HTTP status that answers it.
    pub fn status(&self) -> u16 {
        match self {
            Refusal::NotFound => 404,
            Refusal::Invalid(_) => 400,
        }
    }
}

/// Reads `path` (without a query) and `query` (the text after `?`, without it; empty for none)
/// as `GET /api/atlas/{v2|v1.0}/groups/{groupId}/clusters/{clusterName}/backup/exports?{query}`.
/// Every path problem is [`Refusal::NotFound`]; then the query's keys are checked in order, and
/// then every parameter by `listExportJobs`'s own rules.
pub fn route(path: &str, query: &str) -> Result<Route, Refusal> {
    let (api_version, group_id, cluster_name) = endpoint(path).ok_or(Refusal::NotFound)?;
    let known = PARAMS.get(QUERY_PARAMS).unwrap_or_default();
    let mut record = InputRecord::from([
        ("groupId", InputValue::String(group_id.to_owned())),
        ("clusterName", InputValue::String(cluster_name.to_owned())),
    ]);
    // Empty pairs (`a=1&&b=2`, a trailing `&`) are no parameter, as URLSearchParams reads them.
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = text::split_once(pair, "=").unwrap_or((pair, ""));
        let Some(rule) = known.iter().find(|k| k.name == key).map(|k| k.rule) else {
            let suggestion = closest(key, known);
            let problem = Problem::UnknownKey {
                set: KeySet::QueryParameter,
                suggestion,
            };
            return Err(Refusal::Invalid(ValidationError::new(key, problem)));
        };
        if record.get(key).is_some() {
            return Err(Refusal::Invalid(ValidationError::new(
                key,
                Problem::Repeated,
            )));
        }
        record.entries.push((key.to_owned(), typed(rule, value)));
    }
    let params = ListExportJobsParams::from_input(&record).map_err(Refusal::Invalid)?;
    Ok(Route {
        api_version,
        params,
    })
}

/// The version, project and cluster of the endpoint's path, as the request builder writes it
/// (each version's prefix, then [`ENDPOINT_PATH`] around the two ids); `None` for any other
/// path, a percent-escape or an empty segment anywhere in it included.
fn endpoint(path: &str) -> Option<(ApiVersion, &str, &str)> {
    if path.contains('%') {
        return None;
    }
    let [groups, clusters, exports] = ENDPOINT_PATH;
    let segment = |text: &str| !text.is_empty() && !text.contains('/');
    ApiVersion::ALL.into_iter().find_map(|version| {
        let rest = path
            .strip_prefix(version.path_prefix())?
            .strip_prefix(groups)?;
        let (group_id, rest) = text::split_once(rest, clusters)?;
        let cluster_name = rest.strip_suffix(exports)?;
        (segment(group_id) && segment(cluster_name)).then_some((version, group_id, cluster_name))
    })
}

/// A query value as the parameter's type when it is written as one (`true`/`false`, or digits),
/// else as the text it is, which the parameter's rule then names as the wrong type.
fn typed(rule: Rule, value: &str) -> InputValue {
    let numeral =
        !value.is_empty() && value.len() <= 16 && value.bytes().all(|b| b.is_ascii_digit());
    match (rule, value) {
        (Rule::Boolean, "true") => InputValue::Bool(true),
        (Rule::Boolean, "false") => InputValue::Bool(false),
        (Rule::Integer { .. }, _) if numeral => {
            // At most 16 digits: exact as a double, and the rule's range check does the rest.
            InputValue::Number(digits(value).unwrap_or_default() as f64)
        }
        _ => InputValue::String(String::from(value)),
    }
}
