//! The pre-flight end to end: the embedded mock started as a real target,
//! set up the way a user's sandbox can be wrong. A second client registered
//! for `client_secret_post` while the profile says `basic` (the case the
//! pre-flight was made for: that server binds codes and refresh tokens
//! correctly, and the suite used to fail two MUSTs for it), and a test user
//! whose password is not theirs: the scenarios that need the identity are
//! not run, naming its variables and what the server answered, nothing
//! fails, and every report says so first, without a secret.

use crate::common;

use std::path::Path;

use common::cli::{Identities, cli, counts, sandbox_env, text};
use common::html::decoded_text;
use oauth_conformance::client::ClientCredentials;
use oauth_conformance::clock::Clock;
use oauth_conformance::mock::{MOCK_REDIRECT_URI, MOCK_USERNAME, MockAuthServer};
use oauth_conformance::profile::{ClientAuth, Profile};

/// How the identities of the run are wrong.
#[derive(Clone, Copy, PartialEq)]
enum Wrong {
    /// The second client is registered for client_secret_post only.
    SecondClientMethod,
    /// The user's password is not theirs.
    Password,
    /// The client's secret is not its own.
    ClientSecret,
}

/// The mock's secrets, to look for in every output.
struct Run {
    shown: String,
    json: serde_json::Value,
    junit: String,
    html: String,
    secrets: Vec<String>,
}

/// Every RFC scenario of the rfc6749 profile against the mock as a target,
/// with every identity given and one of them wrong; the reports written
/// under `dir`. The run must end with `exit_code`.
fn run_with(wrong: Wrong, dir: &Path, exit_code: i32) -> Run {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let profile = Profile::load("rfc6749").unwrap();
    let mock = runtime.block_on(MockAuthServer::start(&profile, Clock::system()));
    let client = mock.register_random_client();
    let second = match wrong {
        Wrong::SecondClientMethod => mock.register_second_client_for(ClientAuth::Post),
        _ => mock.register_second_client(),
    };
    let given_secret = match wrong {
        Wrong::ClientSecret => format!("{}-not-its-own", client.secret.expose()),
        _ => client.secret.expose().to_owned(),
    };
    let restricted = mock.register_restricted_client();
    let password = mock.user().unwrap().password;
    let given_password = match wrong {
        Wrong::Password => format!("{password}-not-theirs"),
        _ => password.clone(),
    };
    let given_client = ClientCredentials::new(client.id.clone(), given_secret.clone());
    let mut env = sandbox_env(
        &mock.base_url(),
        &Identities {
            client: &given_client,
            second: &second,
            restricted: &restricted,
            redirect_uri: MOCK_REDIRECT_URI,
            username: MOCK_USERNAME,
            password: &given_password,
        },
    );
    env.push(("OAUTH_CONFORMANCE_PROFILE", "rfc6749".to_owned()));
    let (json, junit, html) = (
        dir.join("results.json"),
        dir.join("results.xml"),
        dir.join("results.html"),
    );
    let output = cli(
        &[
            "run",
            "--json",
            json.to_str().unwrap(),
            "--junit",
            junit.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ],
        &env,
    );
    let shown = text(&output);
    assert_eq!(output.status.code(), Some(exit_code), "{shown}");
    drop(mock);
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    Run {
        json: serde_json::from_str(&read(&json)).unwrap(),
        junit: read(&junit),
        html: read(&html),
        shown,
        secrets: vec![
            client.secret.expose().to_owned(),
            second.secret.expose().to_owned(),
            restricted.secret.expose().to_owned(),
            password,
            given_password,
            given_secret,
        ],
    }
}

/// The scenarios of the run whose name matches `name`, with their status
/// and reason.
fn scenarios<'a>(json: &'a serde_json::Value, name: &str) -> Vec<&'a serde_json::Value> {
    json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["scenario"].as_str().is_some_and(|n| n.contains(name)))
        .collect()
}

/// The set-up line is first in the terminal summary, in JSON's `set_up`,
/// in JUnit's `set-up` suite and on the HTML page, with `parts`; no report
/// holds a secret.
fn assert_reported(run: &Run, parts: &[&str]) {
    let summary_start = run.shown.find("\nResults by source").expect("a summary");
    let first = run.shown[..summary_start]
        .lines()
        .rev()
        .find(|l| l.starts_with("SET-UP: "))
        .unwrap_or_else(|| panic!("no SET-UP line before the results:\n{}", run.shown));
    let set_up = run.json["set_up"].as_array().unwrap();
    let refused: Vec<&serde_json::Value> =
        set_up.iter().filter(|c| c["status"] == "refused").collect();
    assert_eq!(refused.len(), 1, "{set_up:?}");
    let line = refused[0]["line"].as_str().unwrap();
    assert_eq!(first, format!("SET-UP: {line}"));
    assert!(
        set_up.iter().filter(|c| c["status"] == "accepted").count() >= 2,
        "the other identities were tried and accepted: {set_up:?}"
    );
    let doc = roxmltree::Document::parse(&run.junit).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("set-up"), "first suite");
    let property = suite
        .descendants()
        .find(|n| n.has_tag_name("property"))
        .unwrap();
    assert_eq!(property.attribute("value"), Some(line));
    let page = decoded_text(&run.html);
    assert!(page.contains(line), "the HTML page shows the line");
    for part in parts {
        assert!(line.contains(part), "{part}: {line}");
    }
    for secret in &run.secrets {
        for (what, output) in [
            ("terminal", run.shown.as_str()),
            ("JSON", &run.json.to_string()),
            ("JUnit", &run.junit),
            ("HTML", &run.html),
        ] {
            assert!(!output.contains(secret.as_str()), "{what} leaks a secret");
        }
    }
}

#[test]
fn a_second_client_of_another_method_makes_its_scenarios_not_run_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_with(Wrong::SecondClientMethod, dir.path(), 0);
    let [passed, failed, skipped, not_run] = counts(&run.shown);
    eprintln!(
        "second client of another method: {passed} passed, {failed} failed, {skipped} skipped, {not_run} not run"
    );
    assert_eq!(failed, 0, "{}", run.shown);
    let variables = "OAUTH_CONFORMANCE_SECOND_CLIENT_ID and OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET";
    for name in [
        "A code is refused for another client",
        "A refresh token is refused for another client",
        "An http redirect URI on a host that is not loopback is never redirected to",
    ] {
        let found = scenarios(&run.json, name);
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(found[0]["status"], "not_run", "{name}: {}", found[0]);
        let reason = found[0]["reason"].as_str().unwrap();
        for part in [variables, "401 invalid_client", "client_secret_post"] {
            assert!(reason.contains(part), "{name}: {part}: {reason}");
        }
    }
    assert_eq!(
        not_run, 3,
        "only the second client's scenarios: {}",
        run.shown
    );
    assert!(passed >= 25, "the rest ran: {}", run.shown);
    assert_reported(
        &run,
        &[
            "the second client",
            variables,
            "401 invalid_client (The client is registered for client_secret_post, not client_secret_basic)",
            "registered for client_secret_basic",
        ],
    );
}

#[test]
fn a_wrong_password_makes_the_code_flow_scenarios_not_run_not_failed() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_with(Wrong::Password, dir.path(), 0);
    let [passed, failed, skipped, not_run] = counts(&run.shown);
    eprintln!(
        "wrong password: {passed} passed, {failed} failed, {skipped} skipped, {not_run} not run"
    );
    assert_eq!(failed, 0, "{}", run.shown);
    let variables = "OAUTH_CONFORMANCE_USERNAME and OAUTH_CONFORMANCE_PASSWORD";
    for name in [
        "A code is refused for another client",
        "A refresh token is refused for another client",
        "A wrong password does not get past the login page",
        "The password grant is not used",
    ] {
        let found = scenarios(&run.json, name);
        assert_eq!(found.len(), 1, "{name}");
        assert_eq!(found[0]["status"], "not_run", "{name}: {}", found[0]);
        let reason = found[0]["reason"].as_str().unwrap();
        assert!(
            reason.contains(variables) && reason.contains("the login form came back"),
            "{name}: {reason}"
        );
    }
    // The client credentials scenarios need no user, and ran.
    let token = scenarios(&run.json, "A token response is uncacheable JSON");
    assert_eq!(token[0]["status"], "passed", "{}", token[0]);
    assert!(passed >= 10, "{}", run.shown);
    assert!(not_run >= 20, "the code flow needs the user: {}", run.shown);
    assert_reported(&run, &["the test user", variables, "the login was refused"]);
}

#[test]
fn a_wrong_client_secret_makes_every_scenario_not_run_and_checks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = run_with(Wrong::ClientSecret, dir.path(), 3);
    let [passed, failed, skipped, not_run] = counts(&run.shown);
    eprintln!(
        "wrong client secret: {passed} passed, {failed} failed, {skipped} skipped, {not_run} not run"
    );
    assert_eq!((passed, failed), (0, 0), "{}", run.shown);
    assert!(not_run >= 80, "{}", run.shown);
    assert!(run.shown.contains("NOTHING WAS CHECKED"), "{}", run.shown);
    let variables = "OAUTH_CONFORMANCE_CLIENT_ID and OAUTH_CONFORMANCE_CLIENT_SECRET";
    let token = scenarios(&run.json, "A token response is uncacheable JSON");
    let reason = token[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains(variables) && reason.contains("401 invalid_client"),
        "{reason}"
    );
    assert_reported(
        &run,
        &[
            "the client (",
            variables,
            "a client credentials request",
            "401 invalid_client",
        ],
    );
}
