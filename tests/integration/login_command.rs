//! A login command drives the code flow: `examples/login-command/mock-login.sh`
//! (plain `curl`) logs the user in on the embedded mock's pages for every
//! code-flow scenario of the 401GO profile, given as a user gives it
//! (`OAUTH_CONFORMANCE_LOGIN_COMMAND`). Nothing may fail and nothing may be
//! "not run"; what only the suite's own driver can see (the pages' framing
//! headers, the answer to the password, a forged consent) is skipped, saying
//! the login command did the login. The command's failures (exit 1, a
//! timeout, garbage) are each proven "not run" in
//! `src/client/login/command_tests.rs`.

use super::common::cli::{cli, counts, text};

/// The scenarios that go through a login (as `code_flow_login_pages`).
const TAGS: &str = "(@needs_authorization_code or @needs_refresh_token or @seed_001) and not @fault_proof and not @login_pages";

fn has_curl() -> bool {
    std::process::Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_example_login_command_drives_the_code_flow_on_the_mock() {
    if !has_curl() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "CI must have curl for the login command test"
        );
        eprintln!("skipped: curl is not installed, and the example login command needs it");
        return;
    }
    let script = super::common::cli::manifest_dir().join("examples/login-command/mock-login.sh");
    let out = cli(
        &["run", "--profile", "401go", "--tags", TAGS, "-v"],
        &[(
            "OAUTH_CONFORMANCE_LOGIN_COMMAND",
            script.display().to_string(),
        )],
    );
    let shown = text(&out);
    let [passed, failed, _skipped, not_run] = counts(&shown);
    assert_eq!((failed, not_run), (0, 0), "{shown}");
    assert!(passed >= 70, "only {passed} passed:\n{shown}");
    assert!(
        shown.contains("the login command ") && shown.contains("did the login"),
        "the skips name the login command:\n{shown}"
    );
}
