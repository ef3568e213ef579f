//! `oauth-conformance serve -- CMD` end to end, with the crate's example
//! client application (`examples/client_app.rs`, reqwest only: nothing a
//! fresh machine lacks): in its conforming mode it passes every client check
//! it exercises; with `--broken` it fails exactly the rules it breaks, each
//! with its exchange; no secret reaches any output.

use crate::common;

use std::process::{Command, Output};
use std::sync::OnceLock;

use common::cli::{cli_in, manifest_dir, text};

/// The built example client, `target/<profile>/examples/client_app`.
///
/// `cargo test` builds the examples before it runs the tests, but `cargo
/// test --test cli_serve` does not, and an example edited since would be
/// stale: so the test asks cargo to build it (a no-op when it is up to
/// date; cargo holds no lock while tests run), into the target directory
/// and profile this test was built in.
fn example_client() -> &'static str {
    static BUILT: OnceLock<String> = OnceLock::new();
    BUILT.get_or_init(|| {
        let exe = std::env::current_exe().expect("the test knows its executable");
        // target/<profile dir>/deps/cli_serve-HASH
        let profile_dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
        let built = profile_dir.join("examples").join("client_app");
        if let Ok(cargo) = std::env::var("CARGO") {
            let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
                Some("debug") | None => "dev",
                Some(other) => other,
            };
            let mut build = Command::new(cargo);
            build
                .args(["build", "--quiet", "--example", "client_app", "--profile"])
                .arg(profile)
                .current_dir(manifest_dir());
            // The variables cargo sets for this test are not the caller's:
            // a build script that watches one (ring's watches
            // CARGO_MANIFEST_DIR) would run again and rebuild half the tree.
            for (name, _) in std::env::vars() {
                let set_for_tests = name.starts_with("CARGO_PKG_")
                    || name.starts_with("CARGO_BIN_")
                    || name.starts_with("CARGO_MANIFEST_")
                    || [
                        "CARGO_CRATE_NAME",
                        "CARGO_TARGET_TMPDIR",
                        "CARGO_PRIMARY_PACKAGE",
                        "CARGO_RUSTC_CURRENT_DIR",
                        "OUT_DIR",
                    ]
                    .contains(&name.as_str());
                if set_for_tests {
                    build.env_remove(name);
                }
            }
            if let Some(target_dir) = profile_dir.parent() {
                build.arg("--target-dir").arg(target_dir);
            }
            let out = build.output().expect("cargo runs");
            assert!(
                out.status.success(),
                "cargo build --example client_app: {}",
                text(&out)
            );
        }
        assert!(
            built.exists(),
            "no {}: run `cargo build --example client_app` first",
            built.display()
        );
        built.display().to_string()
    })
}

/// `serve --profile 401go --json F --html F --env-file F -- client_app
/// MODE…`, with
/// the client secret and password given, so the test knows them.
fn serve(mode: &[&str], dir: &std::path::Path) -> (Output, serde_json::Value, String) {
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
            example_client(),
        ]
        .into_iter()
        .chain(mode.iter().copied())
        .collect::<Vec<_>>(),
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
    let (out, report, html) = serve(&[], dir.path());
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
        "client-single-flight-renewal",
        "pkce-verifier-fresh",
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
    let (out, report, html) = serve(&["--broken"], dir.path());
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

// The suite's own run against `serve` (server and client checks): serve_wire.rs.
