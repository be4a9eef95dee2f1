//! The response types of "Return All Cloud Backup Snapshot Export Jobs", field for field as in the
//! official OpenAPI schemas (named in each doc comment), for Rust callers and tests. Absent fields
//! stay absent (`None` is not serialised), unknown fields are ignored, and timestamps stay the
//! server's ISO 8601 strings. The client itself never builds these: `decode` checks a body
//! against the same fields (its tables are tested to agree with these types and with the spec)
//! and JavaScript parses the checked text. An error document is `error::ApiFailure`.

use alloc::{string::String, vec::Vec};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One page of export jobs (`PaginatedApiAtlasDiskBackupExportJobView`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportJobsPage {
    /// Links to this page (`self`) and its neighbours (`next`, absent on the last page;
    /// `previous`, absent on the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// The export jobs on this page.
    pub results: Vec<ExportJob>,
    /// How many jobs there are in all: an estimate, absent when the request set `includeCount: false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i32>,
}

/// One snapshot export job (`DiskBackupExportJob`). Only `exportBucketId` is required by the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportJob {
    /// One entry per shard of a sharded cluster: the export of each replica set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<ExportComponent>>,
    /// When a user or Atlas created the job: ISO 8601 in UTC, as Atlas sent it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Key/value pairs written into the metadata file Atlas uploads when the job finishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Vec<CustomDatum>>,
    /// The export bucket the job writes to: 24 hexadecimal characters. The only field the spec requires.
    pub export_bucket_id: String,
    /// How many collections have been exported so far.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_status: Option<ExportStatus>,
    /// When the job completed: ISO 8601 in UTC, absent while the job is still running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    /// The export job's own id: 24 hexadecimal characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Links to this job and related resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// The prefix of every blob-storage object the job uploads, as Atlas sent it (real prefixes do not
    /// match the spec's documented pattern, so it is not checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The snapshot being exported: 24 hexadecimal characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    /// Where the job is in its life: `Queued`, `InProgress`, `Successful`, `Failed` or `Cancelled`
    /// (or a newer state, kept as Atlas named it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ExportState>,
    /// Why the job failed; set when `state` is `Failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_reason: Option<StateReason>,
}

/// The state of an export job. The API may add states, so an unknown one is kept as its string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExportState {
    Queued,
    InProgress,
    Successful,
    Failed,
    Cancelled,
    Unknown(String),
}

impl ExportState {
    /// The states the API documents, in a job's order of life.
    pub const KNOWN: [ExportState; 5] = [
        ExportState::Queued,
        ExportState::InProgress,
        ExportState::Successful,
        ExportState::Failed,
        ExportState::Cancelled,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            ExportState::Queued => "Queued",
            ExportState::InProgress => "InProgress",
            ExportState::Successful => "Successful",
            ExportState::Failed => "Failed",
            ExportState::Cancelled => "Cancelled",
            ExportState::Unknown(other) => other,
        }
    }

    /// The state called `name`; only a state the package does not know is copied.
    pub fn named(name: &str) -> Self {
        match name {
            "Queued" => ExportState::Queued,
            "InProgress" => ExportState::InProgress,
            "Successful" => ExportState::Successful,
            "Failed" => ExportState::Failed,
            "Cancelled" => ExportState::Cancelled,
            _ => ExportState::Unknown(name.into()),
        }
    }

    /// Whether the job can no longer change.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            ExportState::Successful | ExportState::Failed | ExportState::Cancelled
        )
    }
}

impl From<String> for ExportState {
    fn from(value: String) -> Self {
        match value.as_str() {
            "Queued" => ExportState::Queued,
            "InProgress" => ExportState::InProgress,
            "Successful" => ExportState::Successful,
            "Failed" => ExportState::Failed,
            "Cancelled" => ExportState::Cancelled,
            _ => ExportState::Unknown(value),
        }
    }
}

impl Serialize for ExportState {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ExportState {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(ExportState::from)
    }
}

/// Progress of an export job (`ExportStatus`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportStatus {
    /// Collections whose documents have been exported to the bucket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_collections: Option<i32>,
    /// Collections the job will export in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_collections: Option<i32>,
}

/// Why a job is in its state (`StateReason`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateReason {
    /// A code for the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// The reason in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The export of one shard of a sharded cluster (`DiskBackupExportMember`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportComponent {
    /// The export job of this shard: 24 hexadecimal characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_id: Option<String>,
    /// The name of the shard's replica set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_set_name: Option<String>,
}

/// One key/value pair of custom metadata (`BackupLabel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomDatum {
    /// The metadata key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The metadata value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A related resource (`Link`, RFC 5988). `href` names the server's host, which may differ from
/// the base URL the client used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The related resource's URL (usually under `https://cloud.mongodb.com/api/atlas`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// How it relates: `self`, `next`, `previous`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}
