//! The proxy's route: a request's path and query read as a call of this endpoint (its API version
//! and its parameters, typed and checked by `listExportJobs`'s own rules), or refused: 404 for any
//! other path, 400 naming the parameter that breaks a rule. Nothing is percent-decoded.

#![allow(clippy::unwrap_used, clippy::panic)] // test code

mod common;

use atlas_export_jobs_core::error::facts::{Fact, FactList};
use atlas_export_jobs_core::error::{KeySet, Problem, ValidationError};
use atlas_export_jobs_core::rules::api_version::ApiVersion;
use atlas_export_jobs_core::rules::params::ListExportJobsParams;
use atlas_export_jobs_core::wire::route::{route, Refusal, Route};
use common::GROUP;

fn path(version: &str) -> String {
    format!("/api/atlas/{version}/groups/{GROUP}/clusters/Cluster0/backup/exports")
}

fn params() -> ListExportJobsParams {
    ListExportJobsParams {
        group_id: GROUP.to_owned(),
        cluster_name: "Cluster0".to_owned(),
        items_per_page: None,
        page_num: None,
        include_count: None,
        envelope: None,
        pretty: None,
    }
}

fn invalid(refusal: Refusal) -> ValidationError {
    match refusal {
        Refusal::Invalid(error) => error,
        other => panic!("expected a 400, got {other:?}"),
    }
}

#[test]
fn routes_the_endpoint_in_either_version() {
    for (version, api_version, accept) in [
        (
            "v2",
            ApiVersion::V2,
            "application/vnd.atlas.2023-01-01+json",
        ),
        ("v1.0", ApiVersion::V1_0, "application/json"),
    ] {
        let routed = route(&path(version), "").unwrap();
        assert_eq!(
            routed,
            Route {
                api_version,
                params: params()
            }
        );
        assert_eq!(routed.api_version.name(), version);
        assert_eq!(routed.api_version.accept(), accept);
    }
}

#[test]
fn reads_each_query_parameter_as_its_type() {
    let routed = route(
        &path("v1.0"),
        "itemsPerPage=5&pageNum=0002&includeCount=false&envelope=true&pretty=false",
    )
    .unwrap();
    assert_eq!(
        routed.params,
        ListExportJobsParams {
            items_per_page: Some(5),
            page_num: Some(2),
            include_count: Some(false),
            envelope: Some(true),
            pretty: Some(false),
            ..params()
        }
    );
    let facts = FactList::of(&routed.params);
    assert_eq!(facts.text("groupId"), Some(GROUP));
    assert_eq!(facts.text("clusterName"), Some("Cluster0"));
    assert_eq!(facts.number("itemsPerPage"), Some(5.0));
    assert_eq!(facts.number("pageNum"), Some(2.0));
    assert_eq!(facts.get("includeCount"), Some(&Fact::Flag(false)));
    assert_eq!(facts.get("envelope"), Some(&Fact::Flag(true)));
    assert_eq!(
        FactList::of(&params()).0.len(),
        2,
        "unset parameters are left out"
    );
}

#[test]
fn reads_an_empty_query_and_empty_pairs_as_nothing() {
    for query in ["", "&", "&&"] {
        assert_eq!(
            route(&path("v2"), query).unwrap().params,
            params(),
            "{query:?}"
        );
    }
    for query in ["pageNum=1&&", "&pageNum=1", "&&pageNum=1&"] {
        let routed = route(&path("v2"), query).unwrap();
        assert_eq!(routed.params.page_num, Some(1), "{query:?}");
    }
}

#[test]
fn refuses_any_other_path_as_not_found() {
    let endpoint = path("v2");
    for other in [
        "",
        "/",
        "//",
        "/api/atlas/v2",
        "/api/atlas/v1/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports",
        "/api/atlas/V2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports",
        "/api/atlas/v1.5/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports",
        "api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports",
        "//api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports",
        "/api/atlas/v2/groups//clusters/Cluster0/backup/exports",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters//backup/exports",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports/",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports/x",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/snapshots",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup//exports",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/backup/exports",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0%2Fbackup/backup/exports",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/%2e%2e/backup/exports",
        "/api/atlas/v1%2E0/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports",
        "/api/oauth/token",
        "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/backup/exports?x=1",
        &format!("/prefix{endpoint}"),
        &format!("{endpoint}#x"),
    ] {
        let refusal = route(other, "").unwrap_err();
        assert_eq!(refusal, Refusal::NotFound, "{other:?}");
        assert_eq!(refusal.status(), 404);
    }
    // A path refusal comes first, whatever the query holds.
    assert_eq!(route("/elsewhere", "foo=1").unwrap_err(), Refusal::NotFound);
}

#[test]
fn refuses_a_query_parameter_that_breaks_a_rule_naming_it() {
    for (query, field, code) in [
        ("foo=1", "foo", "unknownKey"),
        ("baseUrl=https://evil.test", "baseUrl", "unknownKey"),
        ("groupId=0123456789abcdef01234567", "groupId", "unknownKey"),
        ("clusterName=Other0", "clusterName", "unknownKey"),
        ("item%73PerPage=5", "item%73PerPage", "unknownKey"),
        ("pageNum=1&pageNum=2", "pageNum", "repeated"),
        ("pretty=true&pretty=true", "pretty", "repeated"),
        ("itemsPerPage=%35", "itemsPerPage", "wrongType"),
        ("itemsPerPage=+5", "itemsPerPage", "wrongType"),
        ("itemsPerPage=", "itemsPerPage", "wrongType"),
        ("itemsPerPage", "itemsPerPage", "wrongType"),
        ("itemsPerPage=1.5", "itemsPerPage", "wrongType"),
        ("itemsPerPage=-1", "itemsPerPage", "wrongType"),
        (
            "itemsPerPage=12345678901234567",
            "itemsPerPage",
            "wrongType",
        ),
        ("itemsPerPage=0", "itemsPerPage", "outOfRange"),
        ("itemsPerPage=501", "itemsPerPage", "outOfRange"),
        ("pageNum=0", "pageNum", "outOfRange"),
        ("pageNum=9007199254740992", "pageNum", "outOfRange"),
        ("includeCount=yes", "includeCount", "wrongType"),
        ("includeCount=True", "includeCount", "wrongType"),
        ("envelope=1", "envelope", "wrongType"),
        ("pretty=tru%65", "pretty", "wrongType"),
        ("pretty", "pretty", "wrongType"),
    ] {
        for version in ["v2", "v1.0"] {
            let refusal = route(&path(version), query).unwrap_err();
            assert_eq!(refusal.status(), 400, "{query}");
            let error = invalid(refusal);
            assert_eq!(error.field, field, "{query}");
            assert_eq!(FactList::of(&error).text("code"), Some(code), "{query}");
        }
    }
}

#[test]
fn names_the_query_parameter_meant_and_the_one_given_twice() {
    let error = invalid(route(&path("v2"), "itemPerPage=5").unwrap_err());
    assert_eq!(
        error,
        ValidationError::new(
            "itemPerPage",
            Problem::UnknownKey {
                set: KeySet::QueryParameter,
                suggestion: Some("itemsPerPage")
            }
        )
    );
    assert_eq!(FactList::of(&error).text("keySet"), Some("query parameter"));
    let error = invalid(route(&path("v2"), "pageNum=1&itemsPerPage=2&pageNum=1").unwrap_err());
    assert_eq!(error, ValidationError::new("pageNum", Problem::Repeated));
}

#[test]
fn refuses_a_project_or_cluster_that_breaks_its_rule_naming_it() {
    for (group, cluster, field) in [
        ("ABC", "Cluster0", "groupId"),
        ("32B6E34B3D91647ABB20E7B8", "Cluster0", "groupId"),
        (GROUP, "-cluster", "clusterName"),
        (GROUP, "Cluster_0", "clusterName"),
        (GROUP, "..", "clusterName"),
    ] {
        let path = format!("/api/atlas/v2/groups/{group}/clusters/{cluster}/backup/exports");
        let error = invalid(route(&path, "").unwrap_err());
        assert_eq!(error.field, field, "{path}");
        assert_eq!(FactList::of(&error).text("code"), Some("pattern"));
    }
}
