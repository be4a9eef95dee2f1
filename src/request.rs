//! The HTTP request for one page: path and Accept header per API version, query from the
//! parameters that were set, and the Authorization header.

use crate::base_url::BaseUrl;
use crate::error::ValidationError;
use crate::input::quoted;
use crate::params::ListExportJobsParams;

/// Which Atlas Administration API the request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiVersion {
    /// `/api/atlas/v2`, versioned by the Accept header (the current API).
    #[default]
    V2,
    /// `/api/atlas/v1.0`, the deprecated API of the original curl example.
    V1_0,
}

impl ApiVersion {
    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        match value {
            "v2" => Ok(ApiVersion::V2),
            "v1.0" => Ok(ApiVersion::V1_0),
            other => Err(ValidationError::new(
                "apiVersion",
                format!("apiVersion {} must be \"v2\" or \"v1.0\"", quoted(other)),
            )),
        }
    }

    fn path_prefix(self) -> &'static str {
        match self {
            ApiVersion::V2 => "/api/atlas/v2",
            ApiVersion::V1_0 => "/api/atlas/v1.0",
        }
    }

    /// v2 names its resource version in the media type; this operation has only `2023-01-01`.
    pub fn accept(self) -> &'static str {
        match self {
            ApiVersion::V2 => "application/vnd.atlas.2023-01-01+json",
            ApiVersion::V1_0 => "application/json",
        }
    }
}

/// A GET request, ready for fetch but for its `Authorization`, which the auth scheme adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub url: String,
    pub accept: &'static str,
}

impl HttpRequest {
    pub fn list_export_jobs(
        params: &ListExportJobsParams,
        base_url: &BaseUrl,
        version: ApiVersion,
    ) -> Self {
        // groupId and clusterName passed their patterns, so they need no percent-encoding,
        // and neither do the query values (digits and booleans).
        let mut url = format!(
            "{}{}/groups/{}/clusters/{}/backup/exports",
            base_url.as_str(),
            version.path_prefix(),
            params.group_id,
            params.cluster_name
        );
        for (i, (key, value)) in params.query_pairs().iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            url.push_str(value);
        }
        HttpRequest {
            url,
            accept: version.accept(),
        }
    }
}
