//! A pass needs its premise: a scenario whose premise the profile or the
//! server's answers do not give is skipped, naming the profile field that
//! would give it, never passed. Each test runs a real scenario of the
//! features against the embedded mock, with and without its premise, on a
//! mock that breaks the rule the scenario judges.

use oauth_conformance::mock::ServerFault;
use oauth_conformance::profile::Profile;
use oauth_conformance::report::Verdict;
use oauth_conformance::runner::{self, RunOptions};

/// The outcome of the RFC scenario `name` for `profile`, against mocks that
/// break `fault`'s rule.
fn outcome_of(profile: Profile, fault: ServerFault, name: &str) -> Verdict {
    let options = RunOptions {
        tags: Some("@rfc".into()),
        name: Some(format!("{}$", regex::escape(name))),
        profile: Some(profile),
        print_steps: false,
        server_fault: Some(fault),
        ..RunOptions::defaults()
    };
    let report = runner::run_blocking(options).unwrap_or_else(|e| panic!("{e}"));
    let [scenario] = report.scenarios.as_slice() else {
        panic!("not one scenario {name:?}: {:?}", report.scenarios);
    };
    scenario.outcome()
}

/// The rfc6749 profile, its code flow asking for `default_scope`.
fn rfc6749_asking_for(default_scope: &str) -> Profile {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/rfc6749.toml"
    ))
    .unwrap();
    let as_built = "default_scope = \"read\"";
    assert!(text.contains(as_built), "{text}");
    let asked = text.replace(as_built, &format!("default_scope = {default_scope:?}"));
    Profile::from_toml(&asked, "rfc6749-variant.toml").unwrap()
}

/// RFC 6749 §6: a new refresh token keeps the scope of the one it
/// replaced. The scenario refreshes asking for part of the grant, then for
/// the whole grant with the new refresh token. With a grant of one scope
/// there is no part to ask for: the scenario used to ask for the whole
/// grant and pass on a server that narrows the new token to what its
/// refresh asked for.
#[test]
fn a_one_scope_grant_skips_the_narrowing_scenario_and_a_two_scope_grant_judges_it() {
    let scenario = "A new refresh token keeps the scope of the one it replaced";
    let narrows = ServerFault::NarrowsRotatedRefreshToken;
    match outcome_of(rfc6749_asking_for("read"), narrows, scenario) {
        Verdict::Skip(why) => {
            assert!(why.contains("fewer than two scopes"), "{why}");
            assert!(why.contains("authorization_code.default_scope"), "{why}");
        }
        other => panic!("a one-scope grant: {other:?}"),
    }
    match outcome_of(rfc6749_asking_for("read write"), narrows, scenario) {
        Verdict::Fail(why) => {
            assert!(why.contains("refresh-rotated-scope-identical"), "{why}")
        }
        other => panic!("a two-scope grant: {other:?}"),
    }
}
