//! `profile discover` end to end: against the embedded mock's metadata it
//! prints a profile that loads and, used as written, runs the RFC
//! scenarios the metadata makes possible with no failure.

use crate::common;

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
        (
            "OAUTH_CONFORMANCE_HTTP_REDIRECT_URI",
            oauth_conformance::mock::MOCK_HTTP_REDIRECT_URI.to_owned(),
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

/// Runs the profile `toml` against the mock as a real target and asserts it
/// ended passed: what the terminal showed, and the JSON report.
fn run_against(mock: &MockAuthServer, toml: &str) -> (String, serde_json::Value) {
    let (shown, code, results) = run_with(mock, toml, &[]);
    assert_eq!(code, Some(0), "{shown}");
    (shown, results)
}

/// The profile the mock serves: the RFC's own.
fn served() -> Profile {
    Profile::load("rfc6749").unwrap()
}

/// Asserts that a scenario of each of `features` passed.
fn assert_ran(results: &serde_json::Value, features: &[&str], shown: &str) {
    for feature in features {
        let passed = results["scenarios"].as_array().unwrap().iter().any(|s| {
            s["location"].as_str().is_some_and(|l| l.contains(feature)) && s["status"] == "passed"
        });
        assert!(passed, "no scenario of {feature} passed: {shown}");
    }
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
    assert_ran(
        &results,
        &[
            "rfc/token_endpoint.feature",
            "rfc/authorization_endpoint.feature",
            "rfc/code_exchange.feature",
            "rfc/pkce.feature",
            "rfc/refresh.feature",
            "rfc/metadata.feature",
            // RFC 7009 / RFC 7662 endpoints from the metadata: run unedited.
            "rfc/revocation.feature",
            "rfc/introspection.feature",
        ],
        &shown,
    );
    assert!(
        shown.contains("names no bearer-protected API to probe ([api]"),
        "the API scenarios are skipped naming the field: {shown}"
    );
    drop(mock);
}

/// A popular mock server: reached as 127.0.0.1, its OpenID Connect
/// discovery document (it has no RFC 8414 one) names every endpoint under
/// `localhost`, another origin.
#[test]
fn endpoints_the_metadata_puts_on_another_origin_are_discovered_and_run() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&served(), Clock::system()));
    mock.set_endpoint_host(Some("localhost"));
    mock.set_openid_only(true);
    let elsewhere = format!("http://localhost:{}", mock.base_url().port().unwrap());
    let (toml, profile) = discover(&mock, "found");
    assert!(
        profile.source.starts_with("OpenID Connect discovery"),
        "{}",
        profile.source
    );
    assert_eq!(profile.token.path, format!("{elsewhere}/token"));
    let ac = profile.authorization_code.as_ref().unwrap();
    assert_eq!(ac.authorize_path, format!("{elsewhere}/authorize"));
    assert_eq!(
        profile.jwks.as_deref(),
        Some(format!("{elsewhere}/.well-known/jwks.json").as_str())
    );
    assert!(
        toml.contains(&format!(
            "#   {elsewhere} (token_endpoint, authorization_endpoint, jwks_uri, revocation_endpoint, introspection_endpoint)"
        )),
        "{toml}"
    );

    let (shown, results) = run_against(&mock, &toml);
    let [passed, failed, _skipped, not_run] = counts(&shown);
    assert_eq!(failed, 0, "{shown}");
    assert_eq!(not_run, 0, "{shown}");
    assert!(passed >= 25, "{shown}");
    assert_ran(
        &results,
        &[
            "rfc/token_endpoint.feature",
            "rfc/authorization_endpoint.feature",
            "rfc/code_exchange.feature",
            "rfc/refresh.feature",
            "rfc/metadata.feature",
            // RFC 7009 / RFC 7662 endpoints from the metadata: run unedited.
            "rfc/revocation.feature",
            "rfc/introspection.feature",
        ],
        &shown,
    );
    // The report names each origin it talked to, with what is declared there.
    let target = mock.base_url().origin().ascii_serialization();
    let origins = results["origins_contacted"].as_array().unwrap();
    let declared_at = |origin: &str| -> Vec<String> {
        let o = origins
            .iter()
            .find(|o| o["origin"] == origin)
            .unwrap_or_else(|| panic!("{origin} not contacted: {origins:?}"));
        assert!(o["requests"].as_u64().unwrap() > 0);
        serde_json::from_value(o["declared_as"].clone()).unwrap()
    };
    assert_eq!(
        declared_at(&elsewhere),
        [
            "token endpoint",
            "authorization endpoint",
            "JWKS",
            "revocation endpoint",
            "introspection endpoint"
        ]
    );
    assert_eq!(declared_at(&target), ["the target", "issuer (metadata)"]);
    assert_eq!(origins.len(), 2, "no other origin: {origins:?}");
    assert!(
        shown.contains(&format!(
            "Origins contacted:\n  {target} (the target, issuer (metadata); "
        )) && shown.contains(&format!(
            "  {elsewhere} (token endpoint, authorization endpoint, JWKS, revocation endpoint, introspection endpoint; "
        )),
        "{shown}"
    );
    // The 404 at the RFC 8414 URI is no failure: the document is OpenID's.
    let response = results["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .find(|c| c["id"] == "metadata-response")
        .unwrap_or_else(|| panic!("metadata-response was not recorded: {shown}"));
    assert_eq!(response["status"], "skipped", "{response}");
    assert!(
        response["reason"]
            .as_str()
            .unwrap()
            .contains("OpenID Connect discovery document"),
        "{response}"
    );
    drop(mock);
}

/// A hand-written profile: the token endpoint and the API on another
/// origin (absolute URLs), the authorization endpoint a path as before.
#[test]
fn a_hand_written_profile_with_absolute_endpoint_urls_runs() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&served(), Clock::system()));
    let elsewhere = format!("http://localhost:{}", mock.base_url().port().unwrap());
    let toml = oauth_conformance::profile::BUILT_IN
        .iter()
        .find(|(name, _)| *name == "rfc6749")
        .unwrap()
        .1
        .replace("name = \"rfc6749\"", "name = \"spread\"")
        .replace(
            "path = \"/token\"",
            &format!("path = \"{elsewhere}/token\""),
        )
        .replace(
            "probe_path = \"/resource\"",
            &format!("probe_path = \"{elsewhere}/resource\""),
        );
    let profile = Profile::from_toml(&toml, "spread.toml").unwrap();
    assert_eq!(profile.token.path, format!("{elsewhere}/token"), "{toml}");
    assert_eq!(
        profile.api.as_ref().unwrap().probe_path,
        format!("{elsewhere}/resource"),
        "{toml}"
    );

    let (shown, results) = run_against(&mock, &toml);
    let [passed, failed, _skipped, _not_run] = counts(&shown);
    assert_eq!(failed, 0, "{shown}");
    assert!(passed >= 25, "{shown}");
    assert_ran(
        &results,
        &[
            "rfc/token_endpoint.feature",
            "rfc/authorization_endpoint.feature",
            "rfc/code_exchange.feature",
            "rfc/protected_api.feature",
        ],
        &shown,
    );
    assert!(mock.api_requests() > 0, "the API on localhost was called");
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
