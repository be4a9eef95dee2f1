//! Every parameter rule of the endpoint, with passing and failing cases.

#![allow(clippy::panic)] // a failed expectation in a test helper is a test failure

mod common;

use atlas_export_jobs::input::{InputRecord, InputValue};
use atlas_export_jobs::params::ListExportJobsParams;
use common::{params_with, s, GROUP};

use InputValue::{Bool, Null, Number, Other, Undefined};

fn field_of_error(input: &InputRecord) -> String {
    match ListExportJobsParams::from_input(input) {
        Ok(params) => panic!("expected a validation error, got {params:?}"),
        Err(error) => {
            assert!(!error.message.is_empty());
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
    assert!(params.query_pairs().is_empty());
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

#[test]
fn rejects_unknown_keys_and_suggests_the_known_one() {
    let input = params_with(&[("itemPerPage", Number(10.0))]);
    let error = ListExportJobsParams::from_input(&input).unwrap_err();
    assert_eq!(error.field, "itemPerPage");
    assert!(
        error.message.contains("did you mean itemsPerPage?"),
        "{}",
        error.message
    );

    let error =
        ListExportJobsParams::from_input(&params_with(&[("groupid", s(GROUP))])).unwrap_err();
    assert!(
        error.message.contains("did you mean groupId?"),
        "{}",
        error.message
    );

    let error =
        ListExportJobsParams::from_input(&params_with(&[("limit", Number(5.0))])).unwrap_err();
    assert_eq!(error.field, "limit");
    assert!(!error.message.contains("did you mean"), "{}", error.message);
}

#[test]
fn names_the_bad_value_in_the_message() {
    let input = InputRecord::from([("groupId", s("ABC")), ("clusterName", s("c"))]);
    let error = ListExportJobsParams::from_input(&input).unwrap_err();
    assert_eq!(
        error.message,
        "groupId \"ABC\" must be 24 lowercase hex characters"
    );

    let error = ListExportJobsParams::from_input(&params_with(&[("itemsPerPage", Number(501.0))]))
        .unwrap_err();
    assert_eq!(error.message, "itemsPerPage must be from 1 to 500, got 501");

    let error =
        ListExportJobsParams::from_input(&params_with(&[("itemsPerPage", s("10"))])).unwrap_err();
    assert_eq!(
        error.message,
        "itemsPerPage must be an integer, got the string \"10\""
    );
}

#[test]
fn shortens_and_escapes_long_or_odd_values_in_messages() {
    let long = format!("{}\u{7}", "x".repeat(300));
    let input = InputRecord::from([("groupId", s(&long)), ("clusterName", s("c"))]);
    let error = ListExportJobsParams::from_input(&input).unwrap_err();
    assert!(error.message.len() < 200, "{}", error.message);
    assert!(error.message.contains('…'));

    let input = InputRecord::from([("groupId", s("a\nb")), ("clusterName", s("c"))]);
    let error = ListExportJobsParams::from_input(&input).unwrap_err();
    assert!(error.message.contains("a\\nb"), "{}", error.message);
}
