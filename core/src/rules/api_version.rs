//! Which Atlas Administration API a caller chose, and what that means on the wire: the path's
//! prefix and the Accept header.

use crate::error::{Problem, ValidationError};
use alloc::borrow::ToOwned;

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
    /// Both versions, the current one first.
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V2, ApiVersion::V1_0];

    /// The name callers give it (`apiVersion`) and its path holds: `v2` or `v1.0`.
    pub fn name(self) -> &'static str {
        match self {
            ApiVersion::V2 => "v2",
            ApiVersion::V1_0 => "v1.0",
        }
    }

    /// The version named `name`, if there is one.
    pub fn named(name: &str) -> Option<Self> {
        ApiVersion::ALL
            .into_iter()
            .find(|version| version.name() == name)
    }

    pub fn parse(value: &str) -> Result<Self, ValidationError> {
        ApiVersion::named(value).ok_or_else(|| {
            ValidationError::new(
                "apiVersion",
                Problem::Pattern {
                    rule: "apiVersion",
                    value: Some(value.to_owned()),
                },
            )
        })
    }

    pub fn path_prefix(self) -> &'static str {
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
