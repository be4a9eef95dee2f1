//! Every parameter rule of the endpoint, with passing and failing cases. A failure names the
//! field and the broken rule with its values; the message is written from them in JavaScript.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::error::facts::FactList;
use atlas_export_jobs_core::error::KeySet;
use atlas_export_jobs_core::error::{Found, Problem, ValidationError};
use atlas_export_jobs_core::rules::input::{InputRecord, InputValue};
use atlas_export_jobs_core::rules::params::ListExportJobsParams;
use common::{params_with, s, GROUP};

use InputValue::{Bool, Null, Number, Other, Undefined};

fn field_of_error(input: &InputRecord) -> String {
    match ListExportJobsParams::from_input(input) {
        Ok(params) => panic!("expected a validation error, got {params:?}"),
        Err(error) => {
            // Every failure carries a code the message is written from.
            assert!(FactList::of(&error).text("code").is_some(), "{error:?}");
            error.field
        }
    }
}

#[test]
fn accepts_the_two_required_parameters_and_leaves_the_rest_unset() {
    let params = ListExportJobsParams::from_input(&params_with(&[])).unwrap();
    assert_eq!(params.group_id, GROUP);
    assert_eq!(params.cluster_name, "Cluster0");
    assert_eq!(params.items_per_page, None);
    assert_eq!(params.page_num, None);
    assert_eq!(params.include_count, None);
    assert_eq!(params.envelope, None);
    assert_eq!(params.pretty, None);
    let mut query = String::new();
    params.push_query(&mut query);
    assert_eq!(query, "", "nothing unset is sent");
}

#[test]
fn accepts_every_optional_parameter_at_its_limits() {
    for (items, page) in [(1.0, 1.0), (500.0, 1.0), (100.0, 9_007_199_254_740_991.0)] {
        let params = ListExportJobsParams::from_input(&params_with(&[
            ("itemsPerPage", Number(items)),
            ("pageNum", Number(page)),
            ("includeCount", Bool(false)),
            ("envelope", Bool(true)),
            ("pretty", Bool(false)),
        ]))
        .unwrap();
        assert_eq!(params.items_per_page, Some(items as u64));
        assert_eq!(params.page_num, Some(page as u64));
    }
}

#[test]
fn treats_undefined_as_unset() {
    let params = ListExportJobsParams::from_input(&params_with(&[
        ("itemsPerPage", Undefined),
        ("pageNum", Undefined),
        ("pretty", Undefined),
    ]))
    .unwrap();
    assert_eq!(params.items_per_page, None);
    assert_eq!(params.page_num, None);
    assert_eq!(params.pretty, None);
}

#[test]
fn accepts_group_ids_of_24_lowercase_hex_characters() {
    for group in [
        "32b6e34b3d91647abb20e7b8",
        "000000000000000000000000",
        "abcdefabcdefabcdefabcdef",
    ] {
        let input = InputRecord::from([("groupId", s(group)), ("clusterName", s("c"))]);
        assert!(ListExportJobsParams::from_input(&input).is_ok(), "{group}");
    }
}

#[test]
fn rejects_group_ids_outside_the_pattern() {
    for group in [
        "",
        "ABC",
        "32B6E34B3D91647ABB20E7B8",  // uppercase
        "32b6e34b3d91647abb20e7b",   // 23
        "32b6e34b3d91647abb20e7b80", // 25
        "32b6e34b3d91647abb20e7bg",  // not hex
        " 32b6e34b3d91647abb20e7b8",
        "32b6e34b3d91647abb20e7b8\n",
        "../../../orgs/32b6e34b3d9",
    ] {
        let input = InputRecord::from([("groupId", s(group)), ("clusterName", s("c"))]);
        assert_eq!(field_of_error(&input), "groupId", "{group:?}");
    }
}

#[test]
fn accepts_cluster_names_matching_the_pattern() {
    for name in [
        "c",
        "Cluster0",
        "my-cluster-1",
        "0abc",
        "A-",
        &"a".repeat(200),
    ] {
        let input = InputRecord::from([("groupId", s(GROUP)), ("clusterName", s(name))]);
        assert!(ListExportJobsParams::from_input(&input).is_ok(), "{name}");
    }
}

#[test]
fn rejects_cluster_names_outside_the_pattern() {
    for name in [
        "",
        "-leading",
        "has space",
        "under_score",
        "dot.name",
        "slash/name",
        "é",
        "a?b=c",
        "a%2Fb",
    ] {
        let input = InputRecord::from([("groupId", s(GROUP)), ("clusterName", s(name))]);
        assert_eq!(field_of_error(&input), "clusterName", "{name:?}");
    }
}

#[test]
fn requires_group_id_and_cluster_name() {
    assert_eq!(
        field_of_error(&InputRecord::from([("clusterName", s("c"))])),
        "groupId"
    );
    assert_eq!(
        field_of_error(&InputRecord::from([("groupId", s(GROUP))])),
        "clusterName"
    );
    assert_eq!(
        field_of_error(&InputRecord::from([
            ("groupId", s(GROUP)),
            ("clusterName", Undefined)
        ])),
        "clusterName"
    );
}

#[test]
fn rejects_required_parameters_of_the_wrong_type() {
    for value in [
        Null,
        Number(1.0),
        Bool(true),
        Other("object"),
        Other("array"),
    ] {
        let input = InputRecord::from([("groupId", value.clone()), ("clusterName", s("c"))]);
        assert_eq!(field_of_error(&input), "groupId", "{value:?}");
        let input = InputRecord::from([("groupId", s(GROUP)), ("clusterName", value.clone())]);
        assert_eq!(field_of_error(&input), "clusterName", "{value:?}");
    }
}

#[test]
fn rejects_items_per_page_that_is_not_an_integer_from_1_to_500() {
    for value in [
        Number(0.0),
        Number(501.0),
        Number(-1.0),
        Number(1.5),
        Number(f64::NAN),
        Number(f64::INFINITY),
        s("10"),
        Null,
        Bool(true),
        Other("bigint"),
    ] {
        let input = params_with(&[("itemsPerPage", value.clone())]);
        assert_eq!(field_of_error(&input), "itemsPerPage", "{value:?}");
    }
}

#[test]
fn rejects_page_num_that_is_not_a_safe_integer_of_at_least_1() {
    for value in [
        Number(0.0),
        Number(-3.0),
        Number(2.5),
        Number(9_007_199_254_740_992.0),
        Number(f64::NAN),
        Number(f64::NEG_INFINITY),
        s("2"),
        Null,
    ] {
        let input = params_with(&[("pageNum", value.clone())]);
        assert_eq!(field_of_error(&input), "pageNum", "{value:?}");
    }
}

#[test]
fn rejects_flags_that_are_not_booleans() {
    for key in ["includeCount", "envelope", "pretty"] {
        for value in [
            s("true"),
            s("false"),
            Number(1.0),
            Number(0.0),
            Null,
            Other("object"),
        ] {
            let input = params_with(&[(key, value.clone())]);
            assert_eq!(field_of_error(&input), key, "{key} {value:?}");
        }
    }
}

fn error_of(input: &InputRecord) -> ValidationError {
    ListExportJobsParams::from_input(input).unwrap_err()
}

#[test]
fn rejects_unknown_keys_and_suggests_the_known_one() {
    let error = error_of(&params_with(&[("itemPerPage", Number(10.0))]));
    assert_eq!(error.field, "itemPerPage");
    assert_eq!(
        error.problem,
        Problem::UnknownKey {
            set: KeySet::Parameter,
            suggestion: Some("itemsPerPage")
        }
    );
    let facts = FactList::of(&error);
    assert_eq!(facts.text("code"), Some("unknownKey"));
    assert_eq!(facts.text("suggestion"), Some("itemsPerPage"));
    assert_eq!(facts.text("keySet"), Some("parameter"));

    // Case is ignored when suggesting.
    let error = error_of(&params_with(&[("groupid", s(GROUP))]));
    assert_eq!(
        error.problem,
        Problem::UnknownKey {
            set: KeySet::Parameter,
            suggestion: Some("groupId")
        }
    );

    let error = error_of(&params_with(&[("limit", Number(5.0))]));
    assert_eq!(error.field, "limit");
    assert_eq!(
        error.problem,
        Problem::UnknownKey {
            set: KeySet::Parameter,
            suggestion: None
        }
    );
    assert_eq!(FactList::of(&error).text("suggestion"), None);
}

#[test]
fn names_the_bad_value_and_the_rule() {
    let error = error_of(&InputRecord::from([
        ("groupId", s("ABC")),
        ("clusterName", s("c")),
    ]));
    assert_eq!(error.field, "groupId");
    assert_eq!(
        error.problem,
        Problem::Pattern {
            rule: "groupId",
            value: Some("ABC".into())
        }
    );

    let error = error_of(&params_with(&[("itemsPerPage", Number(501.0))]));
    assert_eq!(
        error.problem,
        Problem::OutOfRange {
            min: 1.0,
            max: Some(500.0),
            value: 501.0
        }
    );
    let facts = FactList::of(&error);
    assert_eq!(
        (
            facts.number("min"),
            facts.number("max"),
            facts.number("value")
        ),
        (Some(1.0), Some(500.0), Some(501.0))
    );

    let error = error_of(&params_with(&[("itemsPerPage", s("10"))]));
    assert_eq!(
        error.problem,
        Problem::WrongType {
            expected: "an integer",
            found: Found::String("10".into())
        }
    );
    let facts = FactList::of(&error);
    assert_eq!(facts.text("found"), Some("string"));
    assert_eq!(facts.text("foundValue"), Some("10"));

    let error = error_of(&params_with(&[("itemsPerPage", Number(1.5))]));
    assert_eq!(error.problem, Problem::NotInteger { value: 1.5 });
    let error = error_of(&params_with(&[("itemsPerPage", Number(f64::NAN))]));
    assert!(matches!(error.problem, Problem::NotInteger { value } if value.is_nan()));
    let error = error_of(&params_with(&[("pretty", Null)]));
    assert_eq!(
        error.problem,
        Problem::WrongType {
            expected: "a boolean",
            found: Found::Kind("null")
        }
    );
    assert_eq!(
        error_of(&InputRecord::from([("groupId", s(GROUP))])).problem,
        Problem::Required
    );
}

#[test]
fn names_no_maximum_for_page_num_past_the_safe_integers() {
    let error = error_of(&params_with(&[(
        "pageNum",
        Number(9_007_199_254_740_992.0),
    )]));
    assert_eq!(
        error.problem,
        Problem::OutOfRange {
            min: 1.0,
            max: None,
            value: 9_007_199_254_740_992.0
        }
    );
}

/// Shortening and escaping a long or odd value is the message's business, in JavaScript; the
/// core hands the value over exactly as the caller gave it.
#[test]
fn hands_long_or_odd_values_over_as_they_are() {
    let long = format!("{}\u{7}", "x".repeat(300));
    let error = error_of(&InputRecord::from([
        ("groupId", s(&long)),
        ("clusterName", s("c")),
    ]));
    assert_eq!(FactList::of(&error).text("value"), Some(long.as_str()));

    let error = error_of(&InputRecord::from([
        ("groupId", s("a\nb")),
        ("clusterName", s("c")),
    ]));
    assert_eq!(FactList::of(&error).text("value"), Some("a\nb"));
}

#[test]
fn reports_an_unreadable_property_before_anything_else() {
    let input = params_with(&[("limit", Number(1.0)), ("pretty", InputValue::Unreadable)]);
    let error = error_of(&input);
    assert_eq!(
        (error.field.as_str(), error.problem),
        ("pretty", Problem::Unreadable)
    );
}

#[test]
fn writes_the_query_in_the_specs_order() {
    let params = ListExportJobsParams::from_input(&params_with(&[
        ("pageNum", Number(2.0)),
        ("itemsPerPage", Number(10.0)),
        ("pretty", Bool(true)),
        ("envelope", Bool(false)),
        ("includeCount", Bool(true)),
    ]))
    .unwrap();
    let mut query = String::new();
    params.push_query(&mut query);
    assert_eq!(
        query,
        "?envelope=false&pretty=true&includeCount=true&itemsPerPage=10&pageNum=2"
    );
}
