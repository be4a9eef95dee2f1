//! The internal failure, a bug in the package, reaches a caller as what it is: each of its codes
//! has a sentence in `src/js/messages.js`, and the kind is declared in the package's types.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

use std::fs;
use std::path::Path;

use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::{Failure, Internal};

/// Every internal failure; the match makes a new one fail to compile here until it is listed.
fn every_internal() -> Vec<Internal> {
    let all = [
        Internal::StateInUse,
        Internal::NothingToDo,
        Internal::HelperFailed,
        Internal::MissingFunction,
    ];
    for internal in all {
        match internal {
            Internal::StateInUse
            | Internal::NothingToDo
            | Internal::HelperFailed
            | Internal::MissingFunction => {}
        }
    }
    all.to_vec()
}

fn repo_file(path: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

#[test]
fn every_internal_code_has_a_message() {
    let messages = repo_file("src/js/messages.js");
    let table = messages
        .split("const INTERNAL = {")
        .nth(1)
        .and_then(|rest| rest.split("};").next())
        .unwrap_or_else(|| panic!("src/js/messages.js has no INTERNAL table"));
    for internal in every_internal() {
        let failure = Failure::Internal(internal);
        assert_eq!(failure.kind(), "internal");
        let facts = FactList::of(&failure);
        let code = facts.text("code").unwrap();
        assert_eq!(code, internal.code());
        assert!(
            table.contains(&format!("\n  {code}: ")),
            "no message for internal code {code:?} in src/js/messages.js"
        );
    }
    assert!(
        messages.contains("case \"internal\":"),
        "messageOf has no case for the internal kind"
    );
}

#[test]
fn the_internal_kind_is_declared() {
    let declarations = repo_file("pkg-template/index.d.ts");
    assert!(declarations.contains("readonly kind: \"internal\";"));
    assert!(declarations.contains("| AtlasInternalError"));
}
