//! The 401GO features against every shape of login and consent pages the
//! mock serves: the same run as `--profile 401go`, once per shape
//! (`--mock-login-pages`). Nothing may fail and nothing may be "not run";
//! a scenario may be skipped only for the profile (PKCE) or because the
//! shape leaves nothing to do (no login page for a wrong password, nothing
//! to deny), each with its reason.
//!
//! `script-only` and `script-leaks` are left out on purpose: only a browser
//! drives them (`features/harness/login_pages.feature` shows the HTML
//! driver's "not run", and the browser's proofs; CI runs the code flow on
//! `script-only` in headless Chromium, `.ci/run`).

use oauth_conformance::mock::LoginPages;
use oauth_conformance::profile::Profile;
use oauth_conformance::report::results::Verdict;
use oauth_conformance::runner::{self, RunOptions};

/// The scenarios that go through a login: the code flow's (and those that
/// build on its tokens) of the RFC features and of the 401GO guide (seed
/// 001). The harness's own page scenarios choose their shapes.
const TAGS: &str = "(@needs_authorization_code or @needs_refresh_token or @seed_001) and not @fault_proof and not @login_pages";

/// Why a shape may skip a scenario, besides the profile.
fn may_skip(pages: LoginPages, reason: &str) -> bool {
    // A near-miss shape that does not apply to the mock's loopback redirect
    // URI (another port: RFC 8252 §7.3) is skipped on every page shape.
    reason.starts_with("profile 401go ")
        || reason.contains("RFC 8252 §7.3")
        // The 401go mock keeps its refresh tokens (it does not rotate them),
        // so the rotated refresh token's scope has nothing to judge.
        || reason.contains("the server issued no new refresh token")
        // The mock's issuer is http on loopback: its https scheme is not
        // judged there (RFC 8414 §2 asks https of the deployed server).
        || reason.contains("not judged on a loopback test server")
        || match pages {
            LoginPages::NoLogin => {
                reason.contains("showed no login page")
                    || reason.contains("there was nothing to deny")
                    || reason.contains("never asked which account")
            }
            LoginPages::NoDeny => reason.contains("no control to deny access"),
            _ => false,
        }
}

#[test]
fn the_401go_features_pass_on_every_login_page_shape() {
    let profile = Profile::load("401go").expect("the built-in 401go profile loads");
    let mut problems = Vec::new();
    for pages in LoginPages::ALL {
        if matches!(pages, LoginPages::ScriptOnly | LoginPages::ScriptLeaks) {
            continue;
        }
        let options = RunOptions {
            profile: Some(profile.clone()),
            tags: Some(TAGS.into()),
            print_steps: false,
            login_pages: Some(pages),
            ..RunOptions::defaults()
        };
        let report = runner::run_blocking(options).expect("the run starts");
        let counts = report.counts();
        println!(
            "{:<16} {} passed, {} failed, {} skipped, {} not run",
            pages.name(),
            counts.passed,
            counts.failed,
            counts.skipped,
            counts.not_run
        );
        if counts.passed < 30 {
            problems.push(format!("{}: only {} passed", pages.name(), counts.passed));
        }
        for scenario in &report.scenarios {
            let problem = match scenario.outcome() {
                Verdict::Pass => None,
                Verdict::Skip(why) if may_skip(pages, &why) => None,
                other => Some(other),
            };
            if let Some(outcome) = problem {
                problems.push(format!(
                    "{}: {} ({}): {outcome:?}",
                    pages.name(),
                    scenario.name,
                    scenario.location()
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn an_unknown_page_shape_is_refused_naming_the_shapes() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oauth-conformance"))
        .args(["run", "--profile", "401go", "--mock-login-pages", "fancy"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("OAUTH_CONFORMANCE_TARGET")
        .output()
        .expect("the CLI binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for shape in LoginPages::ALL {
        assert!(stderr.contains(shape.name()), "{stderr}");
    }
}
