//! `profile discover` end to end: against the embedded mock's metadata it
//! prints a profile that loads and, used as written, runs the RFC
//! scenarios the metadata makes possible with no failure.

mod common;

use common::cli::{cli, text};
use oauth_conformance::clock::Clock;
use oauth_conformance::mock::{MOCK_REDIRECT_URI, MOCK_USERNAME, MockAuthServer};
use oauth_conformance::profile::{Need, Profile};

/// The closing "N passed, N failed, N skipped, N not run" line, as numbers.
fn counts(shown: &str) -> [usize; 4] {
    let line = shown
        .lines()
        .rev()
        .find(|l| l.contains(" passed, ") && l.contains(" not run"))
        .unwrap_or_else(|| panic!("no closing line in:\n{shown}"));
    let numbers: Vec<usize> = line
        .split(", ")
        .map(|part| part.split(' ').next().unwrap().parse().unwrap())
        .collect();
    [numbers[0], numbers[1], numbers[2], numbers[3]]
}

/// The settings of a run against `mock` with a client, a second client, a
/// client registered for the code flow only and the user, all registered
/// now, as a user exports them.
fn run_env(mock: &MockAuthServer) -> Vec<(&'static str, String)> {
    let client = mock.register_random_client();
    let second = mock.register_second_client();
    let restricted = mock.register_restricted_client();
    let password = mock.user().unwrap().password;
    vec![
        ("OAUTH_CONFORMANCE_TARGET", mock.base_url().to_string()),
        ("OAUTH_CONFORMANCE_CLIENT_ID", client.id.clone()),
        (
            "OAUTH_CONFORMANCE_CLIENT_SECRET",
            client.secret.expose().to_owned(),
        ),
        ("OAUTH_CONFORMANCE_SECOND_CLIENT_ID", second.id.clone()),
        (
            "OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET",
            second.secret.expose().to_owned(),
        ),
        (
            "OAUTH_CONFORMANCE_RESTRICTED_CLIENT_ID",
            restricted.id.clone(),
        ),
        (
            "OAUTH_CONFORMANCE_RESTRICTED_CLIENT_SECRET",
            restricted.secret.expose().to_owned(),
        ),
        (
            "OAUTH_CONFORMANCE_REDIRECT_URI",
            MOCK_REDIRECT_URI.to_owned(),
        ),
        ("OAUTH_CONFORMANCE_USERNAME", MOCK_USERNAME.to_owned()),
        ("OAUTH_CONFORMANCE_PASSWORD", password),
    ]
}

/// `profile discover` against `mock`: the profile it printed, as text and
/// loaded.
fn discover(mock: &MockAuthServer, name: &str) -> (String, Profile) {
    let discovered = cli(
        &["profile", "discover", &mock.issuer(), "--name", name],
        &[],
    );
    let shown = text(&discovered);
    assert_eq!(discovered.status.code(), Some(0), "{shown}");
    let toml = String::from_utf8(discovered.stdout).unwrap();
    let profile =
        Profile::from_toml(&toml, "discovered.toml").unwrap_or_else(|e| panic!("{e}\n{toml}"));
    (toml, profile)
}

/// What a run with the profile `toml` against `mock` printed, its exit code
/// and its JSON results; `args` are the run's further options.
fn run_with(
    mock: &MockAuthServer,
    toml: &str,
    args: &[&str],
) -> (String, Option<i32>, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("discovered.toml");
    std::fs::write(&file, toml).unwrap();
    let json = dir.path().join("results.json");
    let mut all = vec![
        "run",
        "--profile",
        file.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let run = cli(&all, &run_env(mock));
    let results = std::fs::read_to_string(&json).unwrap_or_default();
    let results = serde_json::from_str(&results).unwrap_or_default();
    (text(&run), run.status.code(), results)
}

#[test]
fn a_profile_discovered_from_the_mock_runs_its_rfc_scenarios_without_a_failure() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let served = Profile::load("rfc6749").unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&served, Clock::system()));
    let (toml, profile) = discover(&mock, "found");
    assert_eq!(profile.name, "found");
    assert_eq!(profile.issuer.as_deref(), Some(mock.issuer().as_str()));
    assert_eq!(profile.token.path, served.token.path);
    assert_eq!(profile.jwks.as_deref(), Some("/.well-known/jwks.json"));
    let ac = profile.authorization_code.as_ref().unwrap();
    assert_eq!(ac.authorize_path, "/authorize");
    assert!(ac.pkce);
    for need in [
        Need::ClientCredentials,
        Need::AuthorizationCode,
        Need::RefreshToken,
        Need::Pkce,
    ] {
        assert_eq!(profile.lacks(need), None, "{need:?}");
    }
    assert!(profile.lacks(Need::Api).is_some(), "metadata names no API");

    let (shown, code, results) = run_with(&mock, &toml, &[]);
    let [passed, failed, _skipped, not_run] = counts(&shown);
    assert_eq!(code, Some(0), "{shown}");
    assert_eq!(failed, 0, "{shown}");
    assert_eq!(
        not_run, 0,
        "every credential the mock has was given: {shown}"
    );
    assert!(
        passed >= 25,
        "the token, code flow, PKCE, refresh and metadata scenarios ran: {shown}"
    );
    let scenarios = results["scenarios"].as_array().unwrap();
    let ran = |feature: &str| {
        scenarios.iter().any(|s| {
            s["location"].as_str().is_some_and(|l| l.contains(feature)) && s["status"] == "passed"
        })
    };
    for feature in [
        "rfc/token_endpoint.feature",
        "rfc/authorization_endpoint.feature",
        "rfc/code_exchange.feature",
        "rfc/pkce.feature",
        "rfc/refresh.feature",
        "rfc/metadata.feature",
    ] {
        assert!(ran(feature), "no scenario of {feature} passed: {shown}");
    }
    assert!(
        shown.contains("names no bearer-protected API to probe ([api]"),
        "the API scenarios are skipped naming the field: {shown}"
    );
    drop(mock);
}

#[test]
fn a_server_without_metadata_is_reported_with_every_url_asked() {
    let server = httpmock::MockServer::start();
    server.mock(|when, then| {
        when.any_request();
        then.status(404).body("no such page");
    });
    let given = format!("{}/tenant", server.base_url());
    let out = cli(&["profile", "discover", &given, "--name", "x"], &[]);
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    for path in [
        "/.well-known/oauth-authorization-server/tenant",
        "/tenant/.well-known/openid-configuration",
        "/tenant/.well-known/oauth-authorization-server",
    ] {
        assert!(shown.contains(path), "{path} not in {shown}");
    }
    assert!(out.stdout.is_empty(), "nothing on stdout");
}

#[test]
fn a_catch_all_json_answer_is_no_metadata() {
    let server = httpmock::MockServer::start();
    server.mock(|when, then| {
        when.any_request();
        then.status(200)
            .header("content-type", "application/json")
            .body("{}");
    });
    let out = cli(
        &["profile", "discover", &server.base_url(), "--name", "x"],
        &[],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(
        shown.contains("neither issuer nor token_endpoint"),
        "{shown}"
    );
}

#[test]
fn a_token_endpoint_on_another_origin_is_refused_with_the_reason() {
    let server = httpmock::MockServer::start();
    server.mock(|when, then| {
        when.path("/.well-known/oauth-authorization-server");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(serde_json::json!({
                "issuer": server.base_url(),
                "token_endpoint": "https://elsewhere.example/token",
                "response_types_supported": ["code"],
            }));
    });
    let out = cli(
        &["profile", "discover", &server.base_url(), "--name", "x"],
        &[],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(2), "{shown}");
    assert!(shown.contains("https://elsewhere.example/token"), "{shown}");
    assert!(shown.contains("another origin"), "{shown}");
}

/// RFC 6749 §4.1.1: `scope` is OPTIONAL. A server whose metadata lists no
/// scopes (`scopes_supported` is only RECOMMENDED, RFC 8414 §2) gets a
/// starter profile without `default_scope`, and its code flow and refresh
/// run as written: the authorization requests carry no scope and the server
/// grants its default.
#[test]
fn metadata_without_scopes_gives_a_profile_whose_code_flow_runs() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let served = Profile::load("rfc6749").unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&served, Clock::system()));
    mock.set_scopes_listed(false);

    let (toml, profile) = discover(&mock, "unscoped");
    assert_eq!(
        profile.authorization_code.as_ref().unwrap().default_scope,
        None,
        "{toml}"
    );
    assert_eq!(profile.token.scope, None, "{toml}");
    for need in [
        Need::AuthorizationCode,
        Need::RefreshToken,
        Need::ClientCredentials,
    ] {
        assert_eq!(profile.lacks(need), None, "{need:?}");
    }

    let tags = "@authorization_endpoint or @code_exchange or @refresh or @token_endpoint";
    let (shown, code, results) = run_with(&mock, &toml, &["--tags", tags]);
    let [passed, failed, _skipped, not_run] = counts(&shown);
    assert_eq!((failed, not_run), (0, 0), "{shown}");
    assert_eq!(code, Some(0), "{shown}");
    assert!(passed >= 40, "{shown}");
    let scenarios = results["scenarios"].as_array().unwrap();
    let status = |name: &str| {
        scenarios
            .iter()
            .find(|s| s["scenario"].as_str().is_some_and(|n| n.ends_with(name)))
            .map(|s| s["status"].as_str().unwrap().to_owned())
            .unwrap_or_else(|| panic!("no scenario {name:?}: {shown}"))
    };
    for name in [
        "The authorization URL asks for a code for the client, its registered redirect URI and scope, with a state",
        "The code exchange is a form-encoded POST with the code and the redirect URI, answered with a token",
        "A refresh is a form-encoded POST with the refresh token, answered with a token",
        "A code works once",
        "A refresh token is refused for another client",
        "The token request is a form-encoded POST to the token endpoint, authenticated once as the profile says",
    ] {
        assert_eq!(status(name), "passed", "{name}: {shown}");
    }
    assert!(
        !shown.contains("authorization_code.default_scope"),
        "no scenario waits for a scope: {shown}"
    );
    drop(mock);
}
