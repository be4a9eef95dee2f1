//! The HTTP requests the client sends: the page request (path and Accept header per API version,
//! query from the parameters that were set) and the OAuth form POSTs. The `Authorization` header
//! is the credentials' to add.

use crate::error::{Problem, ValidationError};
use crate::rules::api_version::ApiVersion;
use crate::rules::base_url::BaseUrl;
use crate::rules::params::ListExportJobsParams;
use crate::support::secret::Secret;
use crate::support::text;
use alloc::string::String;

/// The longest request URL sent. Nothing in the API comes near it, but `clusterName` has no
/// maximum in the spec, and servers and proxies refuse URLs past a few kilobytes anyway.
pub const MAX_URL_LENGTH: usize = 8192;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One request to send, as fetch takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub accept: &'static str,
    pub authorization: Option<Secret>,
    /// A form body (`application/x-www-form-urlencoded`), for the OAuth endpoints.
    pub form: Option<Secret>,
}

impl HttpRequest {
    /// The page request, without its `Authorization`.
    pub fn list_export_jobs(
        params: &ListExportJobsParams,
        base_url: &BaseUrl,
        version: ApiVersion,
    ) -> Result<Self, ValidationError> {
        // groupId and clusterName passed their patterns, so they need no percent-encoding.
        let mut url = String::with_capacity(base_url.as_str().len().saturating_add(128));
        for part in [
            base_url.as_str(),
            version.path_prefix(),
            "/groups/",
            &params.group_id,
            "/clusters/",
            &params.cluster_name,
            "/backup/exports",
        ] {
            url.push_str(part);
        }
        params.push_query(&mut url);
        if url.len() > MAX_URL_LENGTH {
            return Err(ValidationError::new(
                "clusterName",
                Problem::TooLong {
                    max: MAX_URL_LENGTH as u64,
                },
            ));
        }
        Ok(HttpRequest {
            method: Method::Get,
            url,
            accept: version.accept(),
            authorization: None,
            form: None,
        })
    }

    /// A form POST with Basic credentials, to one of the OAuth endpoints.
    pub fn form_post(url: String, authorization: Secret, body: Secret) -> Self {
        HttpRequest {
            method: Method::Post,
            url,
            accept: "application/json",
            authorization: Some(authorization),
            form: Some(body),
        }
    }

    /// The request-target a digest response covers: the URL's path and query.
    pub fn target(&self) -> &str {
        let after_scheme = text::split_once(&self.url, "://").map_or(&*self.url, |(_, rest)| rest);
        after_scheme
            .find('/')
            .and_then(|at| after_scheme.get(at..))
            .unwrap_or("/")
    }
}
