//! Turns a response (status and body text) into a page or a failure. Lenient where the spec is
//! (unknown fields, unknown states), strict on types, and total: every input gets an answer.

use crate::error::{ApiFailure, DecodeFailure, Failure};
use crate::json::{self, Reader};
use crate::model::{
    ApiError, BadRequestDetail, CustomDatum, ExportComponent, ExportJob, ExportJobsPage,
    ExportStatus, FieldViolation, Link, StateReason,
};

/// How much of a foreign error body is kept: enough to recognise a proxy's page.
const FOREIGN_BODY_LIMIT: usize = 16 * 1024;

/// A response as the transport read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawResponse<'a> {
    pub status: u16,
    pub body: &'a str,
}

/// A page, and whether it is exactly the body's JSON: nothing unknown skipped, no `null` read as
/// absent, no envelope, fields in the documented order. Such a body can be handed to JavaScript as
/// it is, without writing the page out again.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub page: ExportJobsPage,
    pub exact: bool,
}

/// A 2xx body is the page; anything else is an error, described as far as the body allows.
/// With `enveloped`, the status in the body decides, whatever the transport's, and a `content`
/// wrapper is unwrapped.
pub fn decode_page(response: RawResponse<'_>, enveloped: bool) -> Result<ExportJobsPage, Failure> {
    decode(response, enveloped).map(|decoded| decoded.page)
}

/// [`decode_page`], telling also whether the page is exactly the body.
pub fn decode(response: RawResponse<'_>, enveloped: bool) -> Result<Decoded, Failure> {
    let (status, body, unwrapped) = if enveloped {
        unwrap_envelope(response)
    } else {
        (response.status, response.body, false)
    };
    if !(200..300).contains(&status) {
        return Err(Failure::Api(Box::new(decode_error_body(RawResponse {
            status,
            body,
        }))));
    }
    match parse(body, page) {
        Ok((page, exact)) => Ok(Decoded {
            page,
            exact: exact && !unwrapped,
        }),
        // An enveloped error may come as a bare ApiError with no status of its own.
        Err((path, problem)) => match parse(body, api_error) {
            Ok((error, _)) if enveloped => {
                let status = u16::try_from(error.error).unwrap_or(status);
                Err(Failure::Api(Box::new(ApiFailure::from_api_error(
                    status, error,
                ))))
            }
            _ => Err(Failure::Decode(DecodeFailure {
                path,
                status,
                problem,
            })),
        },
    }
}

/// The status and body an envelope (`{status, ...page}` for lists, `{status, content}` for single
/// entities) carries, and whether a `content` wrapper was taken off; a body that is no envelope is
/// taken as it is.
fn unwrap_envelope(response: RawResponse<'_>) -> (u16, &str, bool) {
    const FIELDS: [&str; 2] = ["status", "content"];
    let (mut status, mut content) = (None, None);
    let envelope = json::read_all(response.body, |reader| {
        reader.object("struct Envelope", &FIELDS, &mut |r, i| {
            if i == 0 {
                status = r.option(Reader::i64)?;
            } else {
                content = r.option(Reader::raw)?;
            }
            Ok(())
        })
    });
    if envelope.is_err() {
        return (response.status, response.body, false);
    }
    let status = status
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| (100..600).contains(s))
        .unwrap_or(response.status);
    match content {
        Some(content) => (status, content, true),
        None => (status, response.body, false),
    }
}

fn decode_error_body(response: RawResponse<'_>) -> ApiFailure {
    match parse(response.body, api_error) {
        Ok((error, _)) => ApiFailure::from_api_error(response.status, error),
        Err(_) => ApiFailure::from_foreign_body(response.status, shortened(response.body)),
    }
}

/// Reads the whole `body` with `read`, or says where (a JSON path) and what went wrong; also
/// whether the value is exactly the body.
fn parse<T>(
    body: &str,
    read: fn(&mut Reader<'_>) -> Result<T, json::Error>,
) -> Result<(T, bool), (String, String)> {
    if body.trim().is_empty() {
        return Err(("$".to_owned(), "the body is empty".to_owned()));
    }
    json::read_all(body, read).map_err(|error| {
        let problem = if error.syntax {
            format!("not valid JSON ({})", error.message)
        } else {
            error.message
        };
        (error.path, problem)
    })
}

// ---- the documented types, field for field (model.rs) -------------------------------------------

const PAGE: [&str; 3] = ["links", "results", "totalCount"];

fn page(r: &mut Reader<'_>) -> Result<ExportJobsPage, json::Error> {
    let mut page = ExportJobsPage {
        links: None,
        results: Vec::new(),
        total_count: None,
    };
    let seen = r.object("struct ExportJobsPage", &PAGE, &mut |r, i| {
        match i {
            0 => page.links = r.option(links)?,
            1 => page.results = r.array(job)?,
            _ => page.total_count = r.option(Reader::i32)?,
        }
        Ok(())
    })?;
    r.require(seen, &PAGE, 1)?;
    Ok(page)
}

const JOB: [&str; 12] = [
    "components",
    "createdAt",
    "customData",
    "exportBucketId",
    "exportStatus",
    "finishedAt",
    "id",
    "links",
    "prefix",
    "snapshotId",
    "state",
    "stateReason",
];

fn job(r: &mut Reader<'_>) -> Result<ExportJob, json::Error> {
    let mut job = ExportJob {
        components: None,
        created_at: None,
        custom_data: None,
        export_bucket_id: String::new(),
        export_status: None,
        finished_at: None,
        id: None,
        links: None,
        prefix: None,
        snapshot_id: None,
        state: None,
        state_reason: None,
    };
    let string = |r: &mut Reader<'_>| r.option(Reader::string);
    let seen = r.object("struct ExportJob", &JOB, &mut |r, i| {
        match i {
            0 => {
                job.components = r.option(|r| {
                    r.array(|r| {
                        pair(r, "struct ExportComponent", ["exportId", "replicaSetName"]).map(
                            |(export_id, replica_set_name)| ExportComponent {
                                export_id,
                                replica_set_name,
                            },
                        )
                    })
                })?
            }
            1 => job.created_at = string(r)?,
            2 => {
                job.custom_data = r.option(|r| {
                    r.array(|r| {
                        pair(r, "struct CustomDatum", ["key", "value"])
                            .map(|(key, value)| CustomDatum { key, value })
                    })
                })?
            }
            3 => job.export_bucket_id = r.string()?,
            4 => job.export_status = r.option(export_status)?,
            5 => job.finished_at = string(r)?,
            6 => job.id = string(r)?,
            7 => job.links = r.option(links)?,
            8 => job.prefix = string(r)?,
            9 => job.snapshot_id = string(r)?,
            10 => job.state = string(r)?.map(Into::into),
            _ => {
                job.state_reason = r.option(|r| {
                    pair(r, "struct StateReason", ["errorCode", "message"]).map(
                        |(error_code, message)| StateReason {
                            error_code,
                            message,
                        },
                    )
                })?
            }
        }
        Ok(())
    })?;
    r.require(seen, &JOB, 3)?;
    Ok(job)
}

fn export_status(r: &mut Reader<'_>) -> Result<ExportStatus, json::Error> {
    let mut status = ExportStatus {
        exported_collections: None,
        total_collections: None,
    };
    r.object(
        "struct ExportStatus",
        &["exportedCollections", "totalCollections"],
        &mut |r, i| {
            let count = r.option(Reader::i32)?;
            if i == 0 {
                status.exported_collections = count;
            } else {
                status.total_collections = count;
            }
            Ok(())
        },
    )?;
    Ok(status)
}

fn links(r: &mut Reader<'_>) -> Result<Vec<Link>, json::Error> {
    r.array(|r| pair(r, "struct Link", ["href", "rel"]).map(|(href, rel)| Link { href, rel }))
}

/// The many small types of two optional strings.
fn pair(
    r: &mut Reader<'_>,
    expected: &str,
    fields: [&'static str; 2],
) -> Result<(Option<String>, Option<String>), json::Error> {
    let (mut first, mut second) = (None, None);
    r.object(expected, &fields, &mut |r, i| {
        let value = r.option(Reader::string)?;
        if i == 0 {
            first = value;
        } else {
            second = value;
        }
        Ok(())
    })?;
    Ok((first, second))
}

const API_ERROR: [&str; 6] = [
    "error",
    "errorCode",
    "detail",
    "reason",
    "parameters",
    "badRequestDetail",
];

fn api_error(r: &mut Reader<'_>) -> Result<ApiError, json::Error> {
    let mut error = ApiError {
        error: 0,
        error_code: String::new(),
        detail: None,
        reason: None,
        parameters: None,
        bad_request_detail: None,
    };
    let seen = r.object("struct ApiError", &API_ERROR, &mut |r, i| {
        match i {
            0 => error.error = r.i32()?,
            1 => error.error_code = r.string()?,
            2 => error.detail = r.option(Reader::string)?,
            3 => error.reason = r.option(Reader::string)?,
            4 => error.parameters = r.option(|r| r.array(Reader::value))?,
            _ => error.bad_request_detail = r.option(bad_request_detail)?,
        }
        Ok(())
    })?;
    r.require(seen, &API_ERROR, 0)?;
    r.require(seen, &API_ERROR, 1)?;
    Ok(error)
}

fn bad_request_detail(r: &mut Reader<'_>) -> Result<BadRequestDetail, json::Error> {
    let mut detail = BadRequestDetail { fields: None };
    r.object("struct BadRequestDetail", &["fields"], &mut |r, _| {
        detail.fields = r.option(|r| r.array(field_violation))?;
        Ok(())
    })?;
    Ok(detail)
}

fn field_violation(r: &mut Reader<'_>) -> Result<FieldViolation, json::Error> {
    const FIELDS: [&str; 2] = ["field", "description"];
    let (mut field, mut description) = (String::new(), String::new());
    let seen = r.object("struct FieldViolation", &FIELDS, &mut |r, i| {
        let value = r.string()?;
        if i == 0 {
            field = value;
        } else {
            description = value;
        }
        Ok(())
    })?;
    r.require(seen, &FIELDS, 0)?;
    r.require(seen, &FIELDS, 1)?;
    Ok(FieldViolation { field, description })
}

fn shortened(body: &str) -> String {
    if body.len() <= FOREIGN_BODY_LIMIT {
        return body.to_owned();
    }
    let mut end = FOREIGN_BODY_LIMIT;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.get(..end).unwrap_or_default().to_owned()
}
