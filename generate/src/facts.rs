//! `facts.js`: what the package's JavaScript needs to know of the protocol, written from the core
//! when the package is built. The proxy, the command, the entries and the demo read these names
//! instead of restating them; the core stays the one place each fact is decided.

use std::fmt::Write;

use atlas_export_jobs_core::auth::{AUTH_KEYS, AUTH_TYPES, SECRET_AUTH_TYPES};
use atlas_export_jobs_core::error::{codes, is_redirect};
use atlas_export_jobs_core::machines::listing::{Mode, POLL_END};
use atlas_export_jobs_core::machines::paging::PAGING_KEYS;
use atlas_export_jobs_core::rules::api_version::ApiVersion;
use atlas_export_jobs_core::rules::base_url::PAGE_RELATIVE;
use atlas_export_jobs_core::rules::options::{CALL_KEYS, OPTION_KEYS, RETRY_KEYS};
use atlas_export_jobs_core::rules::params::PARAM_KEYS;
use atlas_export_jobs_core::rules::watch_options::{INTERVAL_KEYS, WAIT_KEYS, WATCH_KEYS};
use atlas_export_jobs_core::wire::model::ExportState;
use atlas_export_jobs_core::wire::request::ENDPOINT_PATH;

/// A JSON string literal (every fact is ASCII without quotes or backslashes, but escape anyway).
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_ascii_graphic() || c == ' ' => out.push(c),
            c => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
        }
    }
    out.push('"');
    out
}

/// `/* @__PURE__ */ Object.freeze([...])`: frozen, and dropped by a bundler where unused.
fn frozen_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quoted).collect();
    format!("/* @__PURE__ */ Object.freeze([{}])", items.join(", "))
}

fn frozen_object(entries: impl IntoIterator<Item = (String, String)>) -> String {
    let entries: Vec<String> = entries
        .into_iter()
        .map(|(key, value)| format!("{}: {value}", quoted(&key)))
        .collect();
    format!(
        "/* @__PURE__ */ Object.freeze({{ {} }})",
        entries.join(", ")
    )
}

/// The statuses `is_redirect` accepts, as a JavaScript condition on `status`: the rule is
/// evaluated, not restated.
fn redirect_condition() -> String {
    let mut ranges: Vec<(u16, u16)> = Vec::new();
    for status in 0..=999u16 {
        if !is_redirect(status) {
            continue;
        }
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == status => *end = status,
            _ => ranges.push((status, status)),
        }
    }
    let tests: Vec<String> = ranges
        .iter()
        .map(|&(start, end)| {
            if start == end {
                format!("status === {start}")
            } else {
                format!("(status >= {start} && status <= {end})")
            }
        })
        .collect();
    tests.join(" || ")
}

/// The text of `facts.js`.
pub fn javascript() -> String {
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&text);
        out.push('\n');
    };
    line("// The protocol's facts as the Rust core states them, written by generate/src/facts.rs when the".into());
    line("// package is built. The package's JavaScript reads them from here rather than restating them.".into());
    line(String::new());

    line("/** The API versions a call may name as `apiVersion`. */".into());
    line(format!(
        "export const API_VERSIONS = {};",
        frozen_list(ApiVersion::ALL.map(ApiVersion::name))
    ));
    line(
        "/** The media type each version's requests accept and its answers are labelled with. */"
            .into(),
    );
    line(format!(
        "export const MEDIA_TYPES = {};",
        frozen_object(ApiVersion::ALL.map(|v| (v.name().to_owned(), quoted(v.accept()))))
    ));
    let prefix = ApiVersion::V2
        .path_prefix()
        .replace(ApiVersion::V2.name(), "{apiVersion}");
    let [groups, clusters, exports] = ENDPOINT_PATH;
    line("/** The endpoint's path, with its three path parameters in braces. */".into());
    line(format!(
        "export const ENDPOINT_PATH = {};",
        quoted(&format!(
            "{prefix}{groups}{{groupId}}{clusters}{{clusterName}}{exports}"
        ))
    ));
    line(String::new());

    line("/** The export job states the API documents, in a job's order of life; it may add others. */".into());
    line(format!(
        "export const EXPORT_STATES = {};",
        frozen_list(ExportState::KNOWN.iter().map(ExportState::as_str))
    ));
    line("/** The states a job never leaves. */".into());
    line(format!(
        "export const TERMINAL_STATES = {};",
        frozen_list(
            ExportState::KNOWN
                .iter()
                .filter(|s| s.is_terminal())
                .map(ExportState::as_str)
        )
    ));
    line(String::new());

    let all = codes::all();
    let mut kinds: Vec<&str> = Vec::new();
    for (kind, _) in &all {
        if !kinds.contains(kind) {
            kinds.push(kind);
        }
    }
    line("/** The kinds of AtlasError. */".into());
    line(format!(
        "export const ERROR_KINDS = {};",
        frozen_list(kinds.iter().copied())
    ));
    line("/** Every failure the core can describe: its kind and the facts that choose its message. */".into());
    let entries: Vec<String> = all
        .iter()
        .map(|(kind, facts)| {
            let facts: Vec<String> = facts
                .iter()
                .map(|(k, v)| format!("{}: {}", quoted(k), quoted(v)))
                .collect();
            let facts = if facts.is_empty() {
                "{}".to_owned()
            } else {
                format!("{{ {} }}", facts.join(", "))
            };
            format!("  [{}, {facts}],", quoted(kind))
        })
        .collect();
    line(format!(
        "export const FAILURE_CODES = /* @__PURE__ */ Object.freeze([\n{}\n]);",
        entries.join("\n")
    ));
    line("/** Whether an answer's status is a redirect, which is never followed. */".into());
    line(format!(
        "export function isRedirect(status) {{\n  return {};\n}}",
        redirect_condition()
    ));
    line(String::new());

    line("/** Which function a walk serves, as the module's `start` takes it. */".into());
    line(format!(
        "export const WALK_MODES = {};",
        frozen_object(Mode::ALL.map(|mode| (mode.name().to_owned(), mode.code().to_string())))
    ));
    line("/** What a walk's `poll()` answers at the end; otherwise a page to fetch, or minus the page to await. */".into());
    line(format!("export const POLL_END = {POLL_END};"));
    line(String::new());

    line("/** The names each argument accepts. */".into());
    for (name, keys) in [
        ("PARAM_KEYS", &PARAM_KEYS[..]),
        ("OPTION_KEYS", &OPTION_KEYS[..]),
        ("CALL_OPTION_KEYS", &CALL_KEYS[..]),
        ("RETRY_OPTION_KEYS", &RETRY_KEYS[..]),
        ("PAGING_OPTION_KEYS", &PAGING_KEYS[..]),
        ("WATCH_OPTION_KEYS", &WATCH_KEYS[..]),
        ("WAIT_OPTION_KEYS", &WAIT_KEYS[..]),
        ("INTERVAL_OPTION_KEYS", &INTERVAL_KEYS[..]),
        ("AUTH_KEYS", &AUTH_KEYS[..]),
        ("AUTH_TYPES", &AUTH_TYPES[..]),
    ] {
        line(format!(
            "export const {name} = {};",
            frozen_list(keys.iter().copied())
        ));
    }
    line("/** The auth types that hold a long-lived secret: only in the full build, and in a browser only when allowed. */".into());
    line(format!(
        "export const SECRET_AUTH_TYPES = {};",
        frozen_list(SECRET_AUTH_TYPES)
    ));
    let relative: Vec<String> = PAGE_RELATIVE.iter().map(|p| quoted(p)).collect();
    line("/** Whether a base URL is relative to the page that runs the code (`/api/atlas`, `./atlas`). */".into());
    line(format!(
        "export function isPageRelative(url) {{\n  return typeof url === \"string\" && !url.startsWith(\"//\") && [{}].some((start) => url.startsWith(start));\n}}",
        relative.join(", ")
    ));
    out
}
