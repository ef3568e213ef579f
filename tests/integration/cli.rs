//! The CLI end to end: exit codes, reports, selection and errors. What no
//! output may hold is tests/cli_secrets.rs's.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::cli::{cli_in as run_cli_env, manifest_dir, text, write_feature};

fn run_cli(args: &[&str], cwd: &Path) -> Output {
    run_cli_env(args, cwd, &[])
}

#[test]
fn a_target_that_is_down_fails_fast_naming_the_url() {
    // A port that was free a moment ago.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let out = run_cli(
        &["run", "--profile", "401go", "--target", &url],
        manifest_dir(),
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains(&format!("the target {url}/ is unreachable")),
        "{shown}"
    );
    assert!(
        shown.contains("--target"),
        "the message names where the URL came from: {shown}"
    );
}

#[test]
fn a_target_without_a_profile_is_refused_naming_the_variable() {
    let out = run_cli_env(
        &["run"],
        manifest_dir(),
        &[("OAUTH_CONFORMANCE_TARGET", "http://127.0.0.1:9")],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("OAUTH_CONFORMANCE_PROFILE"), "{shown}");
}

#[test]
fn against_a_target_without_credentials_nothing_is_checked_and_the_run_says_what_to_set() {
    // Any HTTP server will do as a target here: no scenario gets as far as
    // a request, because the client credentials are not configured.
    let server = httpmock::MockServer::start();
    server.mock(|when, then| {
        when.any_request();
        then.status(404);
    });
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("results.json");
    let out = run_cli_env(
        &["run", "--json", json.to_str().unwrap()],
        manifest_dir(),
        &[
            ("OAUTH_CONFORMANCE_TARGET", &server.base_url()),
            ("OAUTH_CONFORMANCE_PROFILE", "401go"),
        ],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(3), "nothing was checked: {shown}");
    assert!(shown.contains("\n0 passed, 0 failed, "), "{shown}");
    assert!(shown.contains("NOTHING WAS CHECKED"), "{shown}");
    assert!(
        shown.contains("scenario(s): OAUTH_CONFORMANCE_CLIENT_ID is not set"),
        "the closing section names the variable: {shown}"
    );
    assert!(shown.contains("skipped: tagged @mock"), "{shown}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(results["target"], format!("{}/", server.base_url()));
    assert_eq!(results["succeeded"], false);
    assert_eq!(results["status"], "nothing_checked");
}

#[test]
fn the_real_features_pass_and_junit_is_valid_xml() {
    let tmp = tempfile::tempdir().unwrap();
    let junit = tmp.path().join("junit.xml");
    let json = tmp.path().join("results.json");
    let html = tmp.path().join("report.html");
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    let out = run_cli(
        &[
            "run",
            "--profile",
            "401go",
            "--features",
            features.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains("Results by source"), "{shown}");
    assert!(
        shown.contains("] RFC 6749 "),
        "one line per source document: {shown}"
    );
    assert!(shown.contains(" 0 failed, "), "{shown}");
    assert!(
        shown.contains("\nNext: open "),
        "the last line says what to do next: {shown}"
    );

    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("JUnit output is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert!(cases >= 20, "only {cases} test cases");
    assert_eq!(
        root.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        0
    );

    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let scenarios = results["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 20);
    // Only 401go scenarios ran. (Sources are no proxy for profiles: seed
    // 002's token lifetime advice is exercised with the 401go profile too.)
    for scenario in scenarios {
        let tags = scenario["tags"].as_array().unwrap();
        assert!(
            tags.iter().any(|t| t == "401go"),
            "{} ran without the 401go tag",
            scenario["scenario"]
        );
        // Passed, or skipped because the 401go profile lacks what it needs
        // (PKCE), with that reason, or because a near-miss shape does not
        // apply to the mock's loopback redirect URI (RFC 8252 §7.3), or
        // because the 401go mock does not rotate refresh tokens (RFC 6749
        // §6 lets it keep the old one: no new token's scope to compare), or
        // because the mock's http issuer on loopback shows nothing of RFC
        // 8414 §2's https (a scenario passes only when something was judged).
        let skipped_for_the_profile = scenario["status"] == "skipped"
            && scenario["reason"].as_str().is_some_and(|r| {
                r.starts_with("profile 401go ")
                    || r.contains("RFC 8252 §7.3")
                    || r.contains("the server issued no new refresh token")
                    || r.contains("not judged on a loopback test server")
            });
        assert!(
            scenario["status"] == "passed" || skipped_for_the_profile,
            "{scenario}"
        );
    }
    // Checks are grouped by source with MUST and SHOULD counted apart.
    let by_source = results["by_source"].as_array().unwrap();
    let s52 = by_source
        .iter()
        .find(|g| g["source"] == "RFC 6749 §5.2")
        .expect("RFC 6749 §5.2 is reported");
    assert!(s52["must"]["passed"].as_u64().unwrap() > 0, "{s52}");
    assert_eq!(s52["must"]["failed"], 0);
    let check = &scenarios
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .next()
        .expect("some check ran");
    for field in ["id", "level", "source", "status"] {
        assert!(check.get(field).is_some(), "{field} in {check}");
    }
    // The HTML page holds every scenario of the run, once, and loads nothing.
    let page = std::fs::read_to_string(&html).unwrap();
    common::html::assert_self_contained(&page);
    let mut shown = common::html::run_locations(&page);
    let mut ran: Vec<&str> = scenarios
        .iter()
        .map(|s| s["location"].as_str().unwrap())
        .collect();
    shown.sort();
    ran.sort();
    assert_eq!(shown, ran, "the page shows every scenario of the run");
}

/// Runs `feature` (one scenario whose only failure is of a check that binds
/// only a strict run) without and with `--strict`: the first run succeeds and
/// shows `summary_line`, the strict one fails naming `failure`.
fn binds_only_a_strict_run(feature: &str, summary_line: &str, failure: &str) {
    let tmp = tempfile::tempdir().unwrap();
    write_feature(tmp.path(), "strict-only.feature", feature);
    let out = run_cli(&["run"], tmp.path());
    let shown = text(&out);
    assert!(out.status.success(), "{shown}");
    assert!(shown.contains(summary_line), "{shown}");
    assert!(shown.contains("Reported, not failing the run"), "{shown}");
    let strict = run_cli(&["run", "--strict"], tmp.path());
    let shown = text(&strict);
    assert_eq!(strict.status.code(), Some(1), "{shown}");
    assert!(shown.contains(failure), "{shown}");
}

#[test]
fn a_failed_should_is_reported_and_fails_the_run_only_with_strict() {
    binds_only_a_strict_run(
        "@mock\nFeature: a SHOULD\n  Scenario: tokens of a reused code stay valid\n    Given the provider profile \"401go\"\n    And the server keeps the tokens of a reused code\n    And the client has tokens from the authorization code flow\n    When the client exchanges the code again\n    Then the access token issued from the reused code no longer works\n",
        "! code-reuse-revokes-tokens SHOULD RFC 6749 §4.1.2 failed 1 time(s)",
        "code-reuse-revokes-tokens SHOULD RFC 6749 §4.1.2: ",
    );
}

#[test]
fn a_failed_derived_check_is_reported_apart_and_fails_the_run_only_with_strict() {
    binds_only_a_strict_run(
        "@mock\nFeature: a derived rule\n  Scenario: grant_type twice gets a token\n    Given the provider profile \"401go\"\n    And the server takes the first of a repeated token request parameter\n    When the client sends a token request with grant_type twice\n    Then the token endpoint refuses with error \"invalid_request\"\n",
        "! token-endpoint-refuses-repeated-param DERIVED RFC 6749 §5.2 failed 1 time(s)",
        "token-endpoint-refuses-repeated-param DERIVED RFC 6749 §5.2: ",
    );
}

#[test]
fn a_wrong_expectation_fails_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    write_feature(
        tmp.path(),
        "wrong.feature",
        "@401go @seed_000\nFeature: wrong\n  Scenario: the lifetime is not what this says\n    \
         Given the provider profile \"401go\"\n    When the client requests an access token\n    \
         Then the access token lifetime is 60 seconds\n",
    );
    let junit = tmp.path().join("junit.xml");
    let out = run_cli(&["run", "--junit", junit.to_str().unwrap()], tmp.path());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("expires_in is Some(3600)"), "{shown}");
    assert!(shown.contains("0 passed, 1 failed"), "{shown}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("failure"))
            .count(),
        1
    );
}

#[test]
fn an_unknown_step_fails_loudly_instead_of_passing() {
    let tmp = tempfile::tempdir().unwrap();
    write_feature(
        tmp.path(),
        "typo.feature",
        "Feature: typo\n  Scenario: a step nobody implemented\n    \
         Given the provider profile \"401go\"\n    Then the moon is made of cheese\n",
    );
    let out = run_cli(&["run"], tmp.path());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(shown.contains("0 passed, 1 failed"), "{shown}");
}

#[test]
fn a_broken_feature_file_names_the_file_and_fails() {
    let tmp = tempfile::tempdir().unwrap();
    write_feature(
        tmp.path(),
        "broken.feature",
        "Feature: broken\n  Scenario: x\n    Given\n  Oops this is not gherkin\n",
    );
    let out = run_cli(&["run"], tmp.path());
    let shown = text(&out);
    assert_ne!(out.status.code(), Some(0), "{shown}");
    assert!(shown.contains("broken.feature"), "{shown}");
}

#[test]
fn bad_arguments_are_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_cli(&["run", "--profile", "nope"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("401go, json-body, login3, rfc6749"));
    let out = run_cli(&["run", "--features", "/does/not/exist"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("/does/not/exist"));
    let out = run_cli(&["run", "--tags", "@a and and"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("invalid tag expression"));
}

#[test]
fn a_run_that_selects_nothing_exits_2_naming_the_filter() {
    let out = run_cli(&["run", "--tags", "@no-such-tag"], manifest_dir());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("no scenario was selected"), "{shown}");
    assert!(
        shown.contains("the tag expression \"@no-such-tag\" removed"),
        "{shown}"
    );
}

/// The RFC scenarios a profile runs depend on what it declares, never on
/// its name: a copy of each built-in profile under another name selects
/// the same RFC scenarios, with the same results, but for the snapshots,
/// which belong to the built-in name.
#[test]
fn a_renamed_copy_of_a_built_in_profile_runs_the_same_rfc_scenarios() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["401go", "json-body", "login3", "rfc6749"] {
        let toml_text =
            std::fs::read_to_string(manifest_dir().join(format!("profiles/{name}.toml")))
                .unwrap()
                .replace(&format!("name = \"{name}\""), "name = \"acme\"");
        let copy = tmp.path().join(format!("acme-{name}.toml"));
        std::fs::write(&copy, toml_text).unwrap();
        let run = |profile: &str, out: &str| {
            let json = tmp.path().join(out);
            let output = run_cli(
                &[
                    "run",
                    "--profile",
                    profile,
                    "--tags",
                    "@rfc",
                    "--json",
                    json.to_str().unwrap(),
                ],
                manifest_dir(),
            );
            assert!(output.status.success(), "{profile}: {}", text(&output));
            let results: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
            results["scenarios"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let location = s["location"].as_str().unwrap();
                    let place = location.split(" [").next().unwrap().to_owned();
                    let snapshot = s["tags"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| t == "needs_snapshots");
                    (
                        place,
                        s["scenario"].as_str().unwrap().to_owned(),
                        s["status"].as_str().unwrap().to_owned(),
                        snapshot,
                        s["reason"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect::<std::collections::BTreeSet<_>>()
        };
        let original = run(name, &format!("{name}.json"));
        let renamed = run(copy.to_str().unwrap(), &format!("acme-{name}.json"));
        assert_eq!(original.len(), renamed.len(), "{name}");
        assert!(
            original.iter().any(|s| s.2 == "passed"),
            "{name} ran nothing"
        );
        for ((place, scenario, status, snapshot, _), (place2, scenario2, status2, _, reason2)) in
            original.iter().zip(&renamed)
        {
            assert_eq!((place, scenario), (place2, scenario2), "{name}");
            if *snapshot && status == "passed" {
                assert_eq!(status2, "skipped", "{name}: {scenario}");
                assert!(reason2.contains("no request snapshots"), "{reason2}");
            } else {
                assert_eq!(status, status2, "{name}: {scenario}");
            }
        }
    }
}

#[test]
fn bad_output_paths_and_timeouts_fail_before_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run_cli(&["run", "--json", "/no/such/dir/results.json"], tmp.path());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("/no/such/dir/results.json"), "{shown}");
    assert!(
        !shown.contains("Results by source"),
        "the run did not start: {shown}"
    );
    for timeout in ["0", "301", "99999999999"] {
        let out = run_cli(&["run", "--timeout", timeout], tmp.path());
        let shown = text(&out);
        assert_eq!(out.status.code(), Some(2), "{timeout}: {shown}");
        assert!(shown.contains("1..=300"), "{timeout}: {shown}");
    }
}

#[test]
fn coverage_prints_the_matrix_as_json_and_refuses_a_broken_requirements_file() {
    let out = run_cli(&["coverage", "--json"], manifest_dir());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    let matrix: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = matrix["requirements"].as_array().unwrap();
    let row = |id: &str| rows.iter().find(|r| r["id"] == id).unwrap().clone();
    for field in [
        "id",
        "source",
        "level",
        "bucket",
        "side",
        "party",
        "status",
        "left_out",
        "checks",
        "scenarios",
        "faults",
    ] {
        assert!(row("A39").get(field).is_some(), "{field} in {}", row("A39"));
    }
    let reuse = row("A39");
    assert_eq!(reuse["status"], "covered", "{reuse}");
    assert_eq!(reuse["faults"][0], "accepts a code twice", "{reuse}");
    assert!(
        reuse["scenarios"][0]
            .as_str()
            .unwrap()
            .contains("A code works once"),
        "{reuse}"
    );
    assert_eq!(row("U01")["status"], "untestable");
    // A row whose sentence has a clause no check tests is partial, naming it.
    let consent = row("A90");
    assert_eq!(consent["status"], "partial", "{consent}");
    assert!(
        consent["left_out"]
            .as_str()
            .unwrap()
            .contains("no consent page"),
        "{consent}"
    );
    assert_eq!(reuse["left_out"], serde_json::Value::Null, "{reuse}");
    // The servers' MUSTs and the client's are counted apart, derived rows
    // in a bucket of their own.
    let rfcs = &matrix["totals"]["rfcs"];
    assert_eq!(
        (reuse["party"].as_str(), row("A25")["party"].as_str()),
        (Some("server"), Some("client"))
    );
    for party in ["server", "client"] {
        let must = &rfcs[party]["MUST"];
        assert!(must["total"].as_u64().unwrap() > 20, "{party}: {rfcs}");
    }
    assert!(
        rfcs["server"]["DERIVED"]["total"].as_u64().unwrap() > 10,
        "{rfcs}"
    );
    assert_eq!(row("A67")["bucket"], "DERIVED");

    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("requirements.toml");
    let text_of_spec =
        std::fs::read_to_string(manifest_dir().join("spec/requirements.toml")).unwrap();
    std::fs::write(
        &broken,
        text_of_spec.replacen(
            "checks = [\"code-single-use\"]",
            "checks = [\"code-single-usage\"]",
            1,
        ),
    )
    .unwrap();
    let out = run_cli(
        &["coverage", "--requirements", broken.to_str().unwrap()],
        manifest_dir(),
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("requirement A39: field `checks`") && shown.contains("code-single-usage"),
        "{shown}"
    );
}
