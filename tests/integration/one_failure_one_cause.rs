//! One failure, one cause: a server that refuses one kind of request is
//! failed once, by the check whose rule the refusal breaks, and the
//! scenarios that needed what that request would have given are not run,
//! naming that check, instead of failing at a step.

use oauth_conformance::mock::ServerFault;
use oauth_conformance::profile::Profile;
use oauth_conformance::report::Verdict;
use oauth_conformance::runner::{self, RunOptions};

/// The rfc6749 profile as `profile discover` writes it for a server whose
/// metadata lists no scopes: no `token.scope` to ask for.
fn rfc6749_without_scope() -> Profile {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/rfc6749.toml"
    ))
    .unwrap();
    let as_built = "scope = \"read write\"\n";
    assert!(text.contains(as_built), "{text}");
    Profile::from_toml(&text.replacen(as_built, "", 1), "rfc6749-unscoped.toml").unwrap()
}

/// RFC 6749 §3.3: a request without `scope` gets a default scope or
/// `invalid_scope`. A server that answers every one with an empty 403 breaks
/// that rule once; for a profile that names no scope, every token request
/// the suite sends as the profile says is such a request, and every
/// scenario that needed its token is not run, naming the check.
#[test]
fn an_empty_403_to_every_request_without_scope_is_one_failure() {
    // Without @mock: what a run against a real server selects.
    let options = RunOptions {
        tags: Some("@rfc and not @mock and (@token_endpoint or @protected_api)".into()),
        profile: Some(rfc6749_without_scope()),
        print_steps: false,
        server_fault: Some(ServerFault::RefusesEveryRequestWithoutScope),
        ..RunOptions::defaults()
    };
    let report = runner::run_blocking(options).unwrap_or_else(|e| panic!("{e}"));
    let failed: Vec<_> = report
        .scenarios
        .iter()
        .filter(|s| matches!(s.outcome(), Verdict::Fail(_)))
        .map(|s| s.name.clone())
        .collect();
    assert_eq!(
        failed,
        ["A token request without scope gets a default scope or invalid_scope"],
        "{failed:#?}"
    );
    let failed_checks: Vec<_> = report
        .scenarios
        .iter()
        .flat_map(|s| &s.checks)
        .filter(|c| c.failed())
        .map(|c| c.check.id)
        .collect();
    assert_eq!(failed_checks, ["token-endpoint-omitted-scope"]);
    let not_run: Vec<String> = report
        .scenarios
        .iter()
        .filter_map(|s| match s.outcome() {
            Verdict::NotRun(why) => Some(why),
            _ => None,
        })
        .collect();
    assert!(
        not_run.len() >= 5,
        "the API and §5.1 scenarios: {not_run:#?}"
    );
    for why in &not_run {
        assert!(why.contains("token-endpoint-omitted-scope"), "{why}");
    }
}
