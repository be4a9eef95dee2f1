//! The catalogue of failure codes (`error::codes`) against what the failures can describe: every
//! failure the core builds has its code in the catalogue, and every catalogued code is one the
//! core emits. The package's tests give each catalogued code to the message writer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)] // test code

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use atlas_export_jobs_core::error::codes::{self, BASE_URL_RULES, PATTERN_RULES, SYNTAX_CODES};
use atlas_export_jobs_core::error::facts::{Fact, FactList};
use atlas_export_jobs_core::error::json::{Error as JsonError, Problem as JsonProblem};
use atlas_export_jobs_core::error::{
    ApiFailure, AuthFailure, AuthProblem, DecodeFailure, Failure, Found, Internal, KeySet, Limit,
    NetworkProblem, PagingFailure, PagingReason, Problem, ValidationError,
};

#[cfg(feature = "watch")]
use atlas_export_jobs_core::error::{WaitFailure, WaitProblem};

fn validation(problem: Problem) -> Failure {
    Failure::Validation(ValidationError::new("groupId", problem))
}

/// One failure of every variant of every kind. The matches have no wildcard, so a new variant
/// does not compile until it has a sample here.
fn samples() -> Vec<Failure> {
    let problems = vec![
        Problem::Required,
        Problem::NotAnObject {
            found: Found::Kind("null"),
        },
        Problem::UnknownKey {
            set: KeySet::Option,
            suggestion: None,
        },
        Problem::WrongType {
            expected: "a string",
            found: Found::Number(1.0),
        },
        Problem::NotInteger { value: 1.5 },
        Problem::OutOfRange {
            min: 1.0,
            max: Some(500.0),
            value: 0.0,
        },
        Problem::Pattern {
            rule: "groupId",
            value: Some("x".into()),
        },
        Problem::BaseUrl {
            rule: "absolute",
            url: "x".into(),
        },
        Problem::TooLong { max: 8192 },
        #[cfg(feature = "watch")]
        Problem::Count {
            min: 1,
            max: 1000,
            count: 0,
        },
        Problem::Conflict {
            other: "accessToken",
        },
        Problem::Repeated,
        Problem::NoAuth,
        Problem::Unreadable,
        Problem::NotInThisBuild { scheme: "digest" },
    ];
    for problem in &problems {
        match problem {
            Problem::Required
            | Problem::NotAnObject { .. }
            | Problem::UnknownKey { .. }
            | Problem::WrongType { .. }
            | Problem::NotInteger { .. }
            | Problem::OutOfRange { .. }
            | Problem::Pattern { .. }
            | Problem::BaseUrl { .. }
            | Problem::TooLong { .. }
            | Problem::Conflict { .. }
            | Problem::Repeated
            | Problem::NoAuth
            | Problem::Unreadable
            | Problem::NotInThisBuild { .. } => {}
            #[cfg(feature = "watch")]
            Problem::Count { .. } => {}
        }
    }
    let mut all: Vec<Failure> = problems.into_iter().map(validation).collect();
    let api = |status: u16, error_code: Option<&str>, body: Option<&str>| {
        Failure::Api(Box::new(ApiFailure {
            status,
            error_code: error_code.map(Into::into),
            body: body.map(Into::into),
            ..ApiFailure::default()
        }))
    };
    all.extend([
        api(302, None, None),
        api(0, None, None),
        api(404, Some("CLUSTER_NOT_FOUND"), None),
        api(502, None, Some("<html>bad gateway</html>")),
        api(500, None, None),
    ]);
    let json_problems = [
        JsonProblem::Syntax("eofValue"),
        JsonProblem::Type {
            expected: "a string",
            found: "number",
            text: (0, 1),
        },
        JsonProblem::OutOfRange {
            expected: "u32",
            text: (0, 1),
        },
        JsonProblem::Duplicate { field: "id" },
        JsonProblem::Missing { field: "id" },
    ];
    for problem in json_problems {
        match problem {
            JsonProblem::Syntax(_)
            | JsonProblem::Type { .. }
            | JsonProblem::OutOfRange { .. }
            | JsonProblem::Duplicate { .. }
            | JsonProblem::Missing { .. } => {}
        }
        all.push(Failure::Decode(DecodeFailure {
            status: 200,
            error: Box::new(JsonError {
                path: "$".into(),
                offset: 0,
                line: 1,
                column: 1,
                problem,
            }),
            found: None,
        }));
    }
    for reason in [
        PagingReason::MaxPages,
        PagingReason::MaxItems,
        PagingReason::SamePage,
        PagingReason::NoNewJobs,
        PagingReason::TooManyPages,
    ] {
        match reason {
            PagingReason::MaxPages
            | PagingReason::MaxItems
            | PagingReason::SamePage
            | PagingReason::NoNewJobs
            | PagingReason::TooManyPages => {}
        }
        all.push(Failure::Paging(PagingFailure {
            reason,
            pages_fetched: 1,
            items_yielded: 1,
            page: 2,
            limit: Some(1),
        }));
    }
    for problem in [
        AuthProblem::TokenRefused,
        AuthProblem::NoAccessToken,
        AuthProblem::TokenRedirect,
        AuthProblem::ProviderFailed,
        AuthProblem::ProviderBadToken,
        AuthProblem::SecretInBrowser,
        AuthProblem::RevokeRefused,
    ] {
        match problem {
            AuthProblem::TokenRefused
            | AuthProblem::NoAccessToken
            | AuthProblem::TokenRedirect
            | AuthProblem::ProviderFailed
            | AuthProblem::ProviderBadToken
            | AuthProblem::SecretInBrowser
            | AuthProblem::RevokeRefused => {}
        }
        all.push(Failure::Auth(AuthFailure::new(problem)));
    }
    for problem in [
        NetworkProblem::Failed,
        NetworkProblem::NotAResponse,
        NetworkProblem::RefusedHeader,
    ] {
        match problem {
            NetworkProblem::Failed
            | NetworkProblem::NotAResponse
            | NetworkProblem::RefusedHeader => {}
        }
        all.push(Failure::Network(problem));
    }
    for limit in [Limit::Attempt, Limit::Deadline] {
        match limit {
            Limit::Attempt | Limit::Deadline => {}
        }
        all.push(Failure::Timeout { limit, ms: 1000 });
    }
    for internal in [
        Internal::StateInUse,
        Internal::NothingToDo,
        Internal::HelperFailed,
        Internal::MissingFunction,
    ] {
        match internal {
            Internal::StateInUse
            | Internal::NothingToDo
            | Internal::HelperFailed
            | Internal::MissingFunction => {}
        }
        all.push(Failure::Internal(internal));
    }
    #[cfg(feature = "watch")]
    for problem in [
        WaitProblem::NeverListed,
        WaitProblem::Removed,
        WaitProblem::NotFinished,
    ] {
        match problem {
            WaitProblem::NeverListed | WaitProblem::Removed | WaitProblem::NotFinished => {}
        }
        all.push(Failure::Wait(WaitFailure {
            problem,
            export_job_id: "32b6e34b3d91647abb20e7b8".into(),
            ms: Some(1000),
            rounds: 1,
            state: None,
        }));
    }
    all.push(Failure::Aborted);
    all.push(Failure::TooLarge {
        status: 200,
        max_body_bytes: 1024,
    });
    for failure in &all {
        match failure {
            Failure::Validation(_)
            | Failure::Api(_)
            | Failure::Decode(_)
            | Failure::Paging(_)
            | Failure::Auth(_)
            | Failure::Network(_)
            | Failure::Timeout { .. }
            | Failure::Aborted
            | Failure::TooLarge { .. }
            | Failure::Internal(_) => {}
            #[cfg(feature = "watch")]
            Failure::Wait(_) => {}
        }
    }
    all
}

fn text_of(facts: &FactList, key: &str) -> Option<String> {
    match facts.get(key) {
        Some(Fact::Text(text)) => Some(text.clone()),
        _ => None,
    }
}

/// The catalogue entry whose facts `failure` states.
fn entry_of(failure: &Failure) -> Option<(&'static str, Vec<(&'static str, &'static str)>)> {
    let facts = FactList::of(failure);
    codes::all().into_iter().find(|(kind, selecting)| {
        *kind == failure.kind()
            && selecting
                .iter()
                .all(|(key, value)| text_of(&facts, key).as_deref() == Some(*value))
    })
}

#[test]
fn every_failure_the_core_builds_has_a_catalogued_code() {
    for failure in samples() {
        assert!(
            entry_of(&failure).is_some(),
            "no catalogue entry for {failure:?}: {:?}",
            FactList::of(&failure)
        );
    }
}

#[test]
fn every_catalogued_code_is_one_the_core_emits() {
    let emitted: BTreeSet<_> = samples().iter().filter_map(entry_of).collect();
    for entry in codes::all() {
        let finer = entry
            .1
            .iter()
            .any(|(key, _)| *key == "rule" || *key == "syntax");
        // Rules and syntax codes are checked against the source below.
        assert!(
            finer || emitted.contains(&entry),
            "{entry:?} is catalogued but no failure states it"
        );
    }
}

/// The string literals in `dir`'s Rust sources that follow `before` and end at `"`.
fn literals(dir: &str, before: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir);
    for entry in fs::read_dir(&root).unwrap().flatten() {
        let text = fs::read_to_string(entry.path()).unwrap_or_default();
        for line in text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
        {
            for (at, _) in line.match_indices(before) {
                let rest = &line[at + before.len()..];
                if let Some(end) = rest.find('"') {
                    found.insert(rest[..end].to_owned());
                }
            }
        }
    }
    found
}

fn set(values: &[&str]) -> BTreeSet<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

#[test]
fn the_pattern_rules_are_the_ones_the_rules_name() {
    let mut named = literals("rules", "rule: \"");
    named.extend(literals("auth", "rule: \""));
    assert_eq!(named, set(&PATTERN_RULES));
}

#[test]
fn the_base_url_rules_are_the_ones_the_base_url_check_names() {
    assert_eq!(literals("rules", "invalid(\""), set(&BASE_URL_RULES));
}

#[test]
fn the_syntax_codes_are_the_ones_the_json_reader_and_decoder_name() {
    let mut named = literals("wire", "syntax(\"");
    named.extend(literals("wire", "syntax_ahead(\""));
    named.extend(literals("wire", "Syntax(\""));
    for code in &named {
        assert!(
            SYNTAX_CODES.contains(&code.as_str()),
            "{code} is not catalogued"
        );
    }
    // Some are chosen from a table (`("expectedCommaOrBrace", "eofObject")`): each catalogued one
    // is a literal of the reader's.
    let every_literal = literals("wire", "\"");
    for code in SYNTAX_CODES {
        assert!(
            every_literal.contains(code),
            "{code} is catalogued but the reader never names it"
        );
    }
}
