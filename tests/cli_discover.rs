//! `profile discover` end to end: against the embedded mock's metadata it
//! prints a profile that loads and, used as written, runs the RFC
//! scenarios the metadata makes possible with no failure.

mod common;

use common::cli::{Identities, cli, counts, sandbox_env, text};
use oauth_conformance::clock::Clock;
use oauth_conformance::mock::{MOCK_REDIRECT_URI, MOCK_USERNAME, MockAuthServer};
use oauth_conformance::profile::{Need, Profile};

#[test]
fn a_profile_discovered_from_the_mock_runs_its_rfc_scenarios_without_a_failure() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let served = Profile::load("rfc6749").unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&served, Clock::system()));
    let client = mock.register_random_client();
    let second = mock.register_second_client();
    let restricted = mock.register_restricted_client();
    let password = mock.user().unwrap().password;

    let discovered = cli(
        &["profile", "discover", &mock.issuer(), "--name", "found"],
        &[],
    );
    let shown = text(&discovered);
    assert_eq!(discovered.status.code(), Some(0), "{shown}");
    let toml = String::from_utf8(discovered.stdout).unwrap();
    let profile =
        Profile::from_toml(&toml, "discovered.toml").unwrap_or_else(|e| panic!("{e}\n{toml}"));
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

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("discovered.toml");
    std::fs::write(&file, &toml).unwrap();
    let json = dir.path().join("results.json");
    let env = sandbox_env(
        &mock.base_url(),
        &Identities {
            client: &client,
            second: &second,
            restricted: &restricted,
            redirect_uri: MOCK_REDIRECT_URI,
            username: MOCK_USERNAME,
            password: &password,
        },
    );
    let run = cli(
        &[
            "run",
            "--profile",
            file.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
        ],
        &env,
    );
    let shown = text(&run);
    let [passed, failed, _skipped, not_run] = counts(&shown);
    assert_eq!(run.status.code(), Some(0), "{shown}");
    assert_eq!(failed, 0, "{shown}");
    assert_eq!(
        not_run, 0,
        "every credential the mock has was given: {shown}"
    );
    assert!(
        passed >= 25,
        "the token, code flow, PKCE, refresh and metadata scenarios ran: {shown}"
    );
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
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
