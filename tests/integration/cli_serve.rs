//! `oauth-conformance serve -- CMD` end to end: a conforming curl client
//! passes every client check it exercises; a broken one fails exactly the
//! rules it breaks, each with its exchange; no secret reaches any output.

use crate::common;

use std::process::Output;

use common::cli::{cli_in, manifest_dir, text};

fn script(name: &str) -> String {
    manifest_dir()
        .join("tests/integration/serve_clients")
        .join(name)
        .display()
        .to_string()
}

/// `serve --profile 401go --json F --html F --env-file F -- script`, with
/// the client secret and password given, so the test knows them.
fn serve(client: &str, dir: &std::path::Path) -> (Output, serde_json::Value, String) {
    let json = dir.join("r.json");
    let html = dir.join("r.html");
    let env = dir.join("client.env");
    let out = cli_in(
        &[
            "serve",
            "--profile",
            "401go",
            "--json",
            json.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
            "--env-file",
            env.to_str().unwrap(),
            "--",
            &script(client),
        ],
        manifest_dir(),
        &[
            ("OAUTH_CONFORMANCE_CLIENT_SECRET", SECRET),
            ("OAUTH_CONFORMANCE_PASSWORD", PASSWORD),
        ],
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let html = std::fs::read_to_string(&html).unwrap();
    let env = std::fs::read_to_string(&env).unwrap();
    assert!(
        env.contains(&format!("OAUTH_CONFORMANCE_CLIENT_SECRET={SECRET}"))
            && env.contains("OAUTH_CONFORMANCE_TARGET=http://127.0.0.1:"),
        "the env file holds what a client needs"
    );
    (out, report, html)
}

const SECRET: &str = "serve-test-client-secret-0123456789";
const PASSWORD: &str = "serve-test-user-password-9876543210";

/// Each client check's status in the JSON report.
fn statuses(report: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    report["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let check = &s["checks"][0];
            (
                check["id"].as_str().unwrap().to_owned(),
                check["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn assert_no_secret(out: &Output, report: &serde_json::Value, html: &str) {
    let shown = format!("{}{}{html}", text(out), report);
    for secret in [SECRET, PASSWORD] {
        assert!(!shown.contains(secret), "a secret in the output");
        assert!(
            !shown.contains(&secret[..12]),
            "a piece of a secret in the output"
        );
    }
}

#[test]
fn a_conforming_client_passes_every_check_it_exercises() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report, html) = serve("conforming.sh", dir.path());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(0), "{shown}");
    let statuses = statuses(&report);
    assert!(!statuses.values().any(|s| s == "failed"), "{statuses:?}");
    for id in [
        "token-request-post",
        "token-request-client-authenticated",
        "token-request-no-secret-in-url",
        "authorization-state-fresh",
        "pkce-challenge-s256",
        "pkce-verifier-sent",
        "code-exchange-params",
        "refresh-request-params",
        "api-request-bearer-header",
        "api-token-stays-at-origin",
        "client-reuses-token",
        "client-renews-on-invalid-token",
        "callback-ignores-unknown-params",
    ] {
        assert_eq!(statuses[id], "passed", "{id}: {shown}");
    }
    assert_eq!(statuses["callback-state-checked"], "skipped");
    assert!(shown.contains("not judged by serve"), "{shown}");
    assert!(shown.contains("client checks: "), "{shown}");
    assert_no_secret(&out, &report, &html);
}

#[test]
fn a_broken_client_fails_the_rules_it_breaks_each_with_its_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let (out, report, html) = serve("broken.sh", dir.path());
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    let statuses = statuses(&report);
    for id in [
        "token-request-no-secret-in-url",
        "authorization-state-fresh",
        "client-reuses-token",
        "api-token-stays-at-origin",
    ] {
        assert_eq!(statuses[id], "failed", "{id}: {shown}");
        let scenario = report["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["checks"][0]["id"] == id)
            .unwrap();
        assert!(
            !scenario["exchanges"].as_array().unwrap().is_empty(),
            "{id} has the exchanges behind it"
        );
    }
    // The secret went in the query: the report shows the request, redacted.
    assert!(
        report.to_string().contains("client_secret=[REDACTED]"),
        "{report}"
    );
    assert!(shown.contains("the client failed: "), "{shown}");
    assert_no_secret(&out, &report, &html);
}

#[test]
fn an_unknown_fault_is_refused_before_serving() {
    let out = cli_in(
        &[
            "serve",
            "--profile",
            "401go",
            "--fault",
            "no_such_fault",
            "--for",
            "1",
        ],
        manifest_dir(),
        &[],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("unknown fault \"no_such_fault\""), "{shown}");
    assert!(
        shown.contains("token_unavailable"),
        "lists the known: {shown}"
    );
}

#[test]
fn a_failing_command_fails_the_session() {
    let out = cli_in(
        &["serve", "--profile", "rfc6749", "--", "sh", "-c", "exit 7"],
        manifest_dir(),
        &[],
    );
    assert_eq!(out.status.code(), Some(7), "{}", text(&out));
}
