//! Declared deviations end to end: against the embedded mock started as a
//! real target with one rule broken, a deviations file turns that failure
//! into a known deviation (the run passes), a declared check that never
//! fails is reported "unexpectedly passed" (the run fails), and without the
//! file the same failure fails the run. `cargo test` loads the file, so a
//! `Deviations` that lost its entries cannot pass unnoticed.

use crate::common;

use std::path::Path;
use std::process::Output;

use common::cli::{cli, text};
use oauth_conformance::clock::Clock;
use oauth_conformance::mock::{MockAuthServer, ServerFault};
use oauth_conformance::profile::Profile;

/// Runs the RFC 6749 §5.1 token response scenario against `mock` as a
/// target, with `deviations` (a file's text) when given.
fn run_against(mock: &MockAuthServer, deviations: Option<&str>, dir: &Path) -> Output {
    let client = mock.register_random_client();
    let mut env = vec![
        ("OAUTH_CONFORMANCE_TARGET", mock.base_url().to_string()),
        ("OAUTH_CONFORMANCE_PROFILE", "rfc6749".to_owned()),
        ("OAUTH_CONFORMANCE_CLIENT_ID", client.id.clone()),
        (
            "OAUTH_CONFORMANCE_CLIENT_SECRET",
            client.secret.expose().to_owned(),
        ),
    ];
    if let Some(text) = deviations {
        let file = dir.join("deviations.toml");
        std::fs::write(&file, text).unwrap();
        env.push(("OAUTH_CONFORMANCE_DEVIATIONS", file.display().to_string()));
    }
    cli(
        &[
            "run",
            "--name",
            "A token response is uncacheable JSON naming the token type and its lifetime in seconds",
        ],
        &env,
    )
}

const PRAGMA: &str = r#"
target = "the mock without Pragma"
[[deviation]]
check = "token-response-pragma"
reason = "sends tokens without Pragma: no-cache"
"#;

#[test]
fn a_declared_failure_is_a_known_deviation_and_a_stale_declaration_fails_the_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let profile = Profile::load("rfc6749").unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&profile, Clock::system()));
    mock.set_broken_rule(Some(ServerFault::OmitsPragma));
    let dir = tempfile::tempdir().unwrap();

    let undeclared = run_against(&mock, None, dir.path());
    let shown = text(&undeclared);
    assert_eq!(undeclared.status.code(), Some(1), "{shown}");
    assert!(shown.contains("token-response-pragma"), "{shown}");
    assert!(!shown.contains("known deviation"), "{shown}");

    let declared = run_against(&mock, Some(PRAGMA), dir.path());
    let shown = text(&declared);
    assert_eq!(declared.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains("token-response-pragma") && shown.contains("known deviation"),
        "{shown}"
    );
    assert!(shown.contains("sends tokens without Pragma"), "{shown}");

    let stale = format!(
        "{PRAGMA}\n[[deviation]]\ncheck = \"token-response-no-store\"\nreason = \"once sent no Cache-Control\"\n"
    );
    let with_stale = run_against(&mock, Some(&stale), dir.path());
    let shown = text(&with_stale);
    assert_eq!(with_stale.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("token-response-no-store") && shown.contains("unexpectedly passed"),
        "{shown}"
    );
}

#[test]
fn a_deviations_file_naming_an_unknown_check_stops_the_run_naming_the_file() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let profile = Profile::load("rfc6749").unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&profile, Clock::system()));
    let dir = tempfile::tempdir().unwrap();
    let typo = "target = \"the mock\"\n[[deviation]]\ncheck = \"token-response-pragmaa\"\nreason = \"typo\"\n";
    let run = run_against(&mock, Some(typo), dir.path());
    let shown = text(&run);
    assert_eq!(run.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("deviations.toml") && shown.contains("token-response-pragmaa"),
        "{shown}"
    );
}
