//! The response types of "Return All Cloud Backup Snapshot Export Jobs", field for field as in the
//! official OpenAPI schemas (named in each doc comment). Absent fields stay absent (`None` is not
//! serialised), unknown fields are ignored, and timestamps stay the server's ISO 8601 strings.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One page of export jobs (`PaginatedApiAtlasDiskBackupExportJobView`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportJobsPage {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    pub results: Vec<ExportJob>,
    /// An estimate; absent when the request set `includeCount=false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i32>,
}

/// One snapshot export job (`DiskBackupExportJob`). Only `exportBucketId` is required by the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportJob {
    /// One entry per shard of a sharded cluster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components: Option<Vec<ExportComponent>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_data: Option<Vec<CustomDatum>>,
    pub export_bucket_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_status: Option<ExportStatus>,
    /// Absent while the job is still running.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Vec<Link>>,
    /// Blob-storage prefix. Not checked against the spec's pattern: real responses do not match it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<ExportState>,
    /// Set when `state` is `Failed`.
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_collections: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_collections: Option<i32>,
}

/// Why a job is in its state (`StateReason`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StateReason {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The export of one shard of a sharded cluster (`DiskBackupExportMember`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportComponent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub export_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replica_set_name: Option<String>,
}

/// One key/value pair of custom metadata (`BackupLabel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomDatum {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A related resource (`Link`, RFC 5988). `href` names the server's host, which may differ from
/// the base URL the client used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rel: Option<String>,
}

/// Atlas's error document (`ApiError`). `detail`, `reason` and `badRequestDetail` are nullable in
/// the spec; null and absent both decode to `None`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// The HTTP status Atlas meant.
    pub error: i32,
    pub error_code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Facts about the error; real bodies hold strings and numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bad_request_detail: Option<BadRequestDetail>,
}

/// What was wrong with a request (`BadRequestDetail`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRequestDetail {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldViolation>>,
}

/// One violated rule (`FieldViolation`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldViolation {
    pub field: String,
    pub description: String,
}
