//! The pre-flight's rule on each kind of answer, its plan per profile, and
//! the pre-flight itself against the embedded mock served as a target.

use super::*;
use crate::checks::test_support::{JSON, answer, attempt, authorization_attempt};
use crate::client::Limits;
use crate::client::login::LoginError;
use crate::clock::Clock;
use crate::mock::{MOCK_REDIRECT_URI, MOCK_USERNAME, MockAuthServer};
use crate::profile::ClientAuth;

fn oauth_error(status: u16, body: &str) -> Finding {
    judge_client(&attempt(None, Some(answer(status, &[JSON], body))))
}

#[test]
fn invalid_client_or_a_401_is_a_refusal_of_the_client() {
    assert_eq!(
        oauth_error(
            401,
            r#"{"error":"invalid_client","error_description":"bad secret"}"#
        ),
        Finding::Refused("401 invalid_client (bad secret)".into())
    );
    // RFC 6749 §5.2 lets the server answer invalid_client with 400.
    assert_eq!(
        oauth_error(400, r#"{"error":"invalid_client"}"#),
        Finding::Refused("400 invalid_client".into())
    );
    // A 401 is about authentication whatever code it names.
    assert!(matches!(
        oauth_error(401, r#"{"error":"unauthorized_client"}"#),
        Finding::Refused(_)
    ));
    // A 401 with a body that is no OAuth error (a proxy's page).
    let page = judge_client(&attempt(
        None,
        Some(answer(
            401,
            &[("content-type", "text/html")],
            "<h1>Denied</h1>",
        )),
    ));
    assert!(
        matches!(&page, Finding::Refused(m) if m.contains("status 401") && m.contains("Denied")),
        "{page:?}"
    );
}

#[test]
fn a_token_or_another_oauth_error_shows_the_client_authenticated() {
    let token = judge_client(&attempt(
        None,
        Some(crate::checks::test_support::token_answer()),
    ));
    assert_eq!(token, Finding::Accepted("a token".into()));
    for code in [
        "invalid_grant",
        "unauthorized_client",
        "invalid_scope",
        "invalid_request",
        "unsupported_grant_type",
    ] {
        let finding = oauth_error(400, &format!(r#"{{"error":"{code}"}}"#));
        assert!(
            matches!(&finding, Finding::Accepted(m) if m.starts_with(&format!("400 {code}"))),
            "{code}: {finding:?}"
        );
    }
    assert!(matches!(
        oauth_error(403, r#"{"error":"unauthorized_client"}"#),
        Finding::Accepted(_)
    ));
}

#[test]
fn no_answer_or_an_answer_that_is_no_oauth_error_tells_nothing() {
    let timeout = judge_client(&attempt(None, None));
    assert!(
        matches!(&timeout, Finding::Undetermined(m) if m.starts_with("no answer")),
        "{timeout:?}"
    );
    for (status, body) in [
        (403, ""),
        (404, "<html>Not Found</html>"),
        (500, "<html>Oops</html>"),
        (200, "{\"token_type\":\"Bearer\"}"),
    ] {
        let finding = judge_client(&attempt(
            None,
            Some(answer(status, &[("content-type", "text/html")], body)),
        ));
        assert!(
            matches!(finding, Finding::Undetermined(_)),
            "{status} {body}: {finding:?}"
        );
    }
    // A 5xx that names an OAuth error is still no verdict on the client.
    assert!(matches!(
        oauth_error(503, r#"{"error":"temporarily_unavailable"}"#),
        Finding::Undetermined(_)
    ));
}

#[test]
fn only_the_login_form_again_is_a_refusal_of_the_user() {
    let trip = |redirect| judge_login(&authorization_attempt("http://127.0.0.1:1/a", redirect));
    assert!(matches!(
        trip(Ok("http://127.0.0.1:9/cb?code=c".into())),
        Finding::Accepted(_)
    ));
    let refused = trip(Err(LoginError::LoginRefused {
        url: "http://127.0.0.1:1/login".into(),
        status: 200,
    }));
    assert!(
        matches!(&refused, Finding::Refused(m) if m.contains("the login form came back")),
        "{refused:?}"
    );
    for undrivable in [
        LoginError::CannotDrive {
            url: "u".into(),
            status: 200,
            why: "no form".into(),
            seen: "nothing".into(),
        },
        LoginError::ErrorPage {
            url: "u".into(),
            status: 500,
            described: "oops".into(),
        },
        LoginError::Transport("refused".into()),
    ] {
        assert!(matches!(trip(Err(undrivable)), Finding::Undetermined(_)));
    }
}

fn settings(pairs: &[(Setting, &str)]) -> TargetSettings {
    let mut s = TargetSettings::default();
    for (setting, value) in pairs {
        s.set(*setting, *value, "test");
    }
    s
}

const EVERY_IDENTITY: [(Setting, &str); 9] = [
    (Setting::ClientId, "c"),
    (Setting::ClientSecret, "plan-client-secret"),
    (Setting::SecondClientId, "c2"),
    (Setting::SecondClientSecret, "plan-second-secret"),
    (Setting::RestrictedClientId, "c3"),
    (Setting::RestrictedClientSecret, "plan-restricted-secret"),
    (Setting::RedirectUri, "https://app.example/cb"),
    (Setting::Username, "u"),
    (Setting::Password, "plan-password"),
];

#[test]
fn each_identity_is_tried_the_way_its_scenarios_use_it() {
    let all = settings(&EVERY_IDENTITY);
    // RFC 6749 profile: Basic for every grant, so one request for the client.
    let rfc = Profile::load("rfc6749").unwrap();
    assert_eq!(
        plan(&rfc, &all),
        vec![
            (Identity::Client, Probe::ClientCredentials),
            (Identity::SecondClient, Probe::MadeUpCode),
            (Identity::RestrictedClient, Probe::MadeUpCode),
            (Identity::User, Probe::Login),
        ]
    );
    // 401GO: the code exchange puts the secret in the body, so the client
    // is tried with both methods.
    let go = Profile::load("401go").unwrap();
    assert_eq!(
        plan(&go, &all)[..2],
        [
            (Identity::Client, Probe::ClientCredentials),
            (Identity::Client, Probe::MadeUpCode),
        ]
    );
    // Without a code flow, only the client: the others serve no scenario.
    let mut cc_only = rfc.clone();
    cc_only.authorization_code = None;
    assert_eq!(
        plan(&cc_only, &all),
        vec![(Identity::Client, Probe::ClientCredentials)]
    );
    // An identity not given (or half given) is not tried.
    let half = settings(&[
        (Setting::ClientId, "c"),
        (Setting::SecondClientId, "c2"),
        (Setting::Username, "u"),
        (Setting::Password, "plan-password"),
    ]);
    assert_eq!(plan(&rfc, &half), Vec::new());
}

fn check(identity: Identity, finding: Finding) -> IdentityCheck {
    IdentityCheck {
        identity,
        profile: "rfc6749".into(),
        tried: "a code exchange with a made-up code".into(),
        method: Some("client_secret_basic"),
        finding,
    }
}

#[test]
fn a_refusal_names_the_variables_the_answer_and_the_method() {
    let preflight = Preflight {
        checks: vec![
            check(Identity::Client, Finding::Accepted("a token".into())),
            check(
                Identity::SecondClient,
                Finding::Refused("401 invalid_client".into()),
            ),
            check(Identity::User, Finding::Undetermined("no answer".into())),
        ],
    };
    let why = preflight
        .refusal(Identity::SecondClient, "rfc6749")
        .unwrap();
    for part in [
        "set-up: the second client",
        "OAUTH_CONFORMANCE_SECOND_CLIENT_ID and OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET",
        "401 invalid_client",
        "registered for client_secret_basic",
        "not run",
    ] {
        assert!(why.contains(part), "{part}: {why}");
    }
    assert_eq!(preflight.refusal(Identity::Client, "rfc6749"), None);
    assert_eq!(preflight.refusal(Identity::User, "rfc6749"), None);
    assert_eq!(preflight.refusal(Identity::SecondClient, "401go"), None);
    assert_eq!(preflight.checks[0].line(), None);
    assert!(
        preflight.checks[2]
            .line()
            .unwrap()
            .contains("its scenarios run as usual")
    );
}

/// The mock as a real target: its base URL and the given identities.
fn sandbox_of(mock: &MockAuthServer, pairs: &[(Setting, String)]) -> Target {
    let mut s = TargetSettings::default();
    s.set(Setting::Target, mock.base_url().to_string(), "test");
    for (setting, value) in pairs {
        s.set(*setting, value.clone(), "test");
    }
    Target::from_settings(s).unwrap()
}

#[tokio::test]
async fn on_a_server_a_client_of_another_method_and_a_wrong_password_are_refused() {
    let profile = Profile::load("rfc6749").unwrap();
    let mock = MockAuthServer::start(&profile, Clock::system()).await;
    let client = mock.register_random_client();
    let second = mock.register_second_client_for(ClientAuth::Post);
    let restricted = mock.register_restricted_client();
    let password = mock.user().unwrap().password;
    let target = sandbox_of(
        &mock,
        &[
            (Setting::ClientId, client.id.clone()),
            (Setting::ClientSecret, client.secret.expose().into()),
            (Setting::SecondClientId, second.id.clone()),
            (Setting::SecondClientSecret, second.secret.expose().into()),
            (Setting::RestrictedClientId, restricted.id.clone()),
            (
                Setting::RestrictedClientSecret,
                restricted.secret.expose().into(),
            ),
            (Setting::RedirectUri, MOCK_REDIRECT_URI.into()),
            (Setting::Username, MOCK_USERNAME.into()),
            (Setting::Password, format!("{password}-not-it")),
        ],
    );
    let transport = Transport::new(Limits::default()).unwrap();
    let preflight = run(&target, &transport, std::slice::from_ref(&profile)).await;
    let finding = |identity| {
        preflight
            .checks
            .iter()
            .find(|c| c.identity == identity)
            .map(|c| c.finding.clone())
            .unwrap()
    };
    assert_eq!(
        finding(Identity::Client),
        Finding::Accepted("a token".into())
    );
    assert!(
        matches!(finding(Identity::RestrictedClient), Finding::Accepted(m) if m.starts_with("400 invalid_grant"))
    );
    assert!(
        matches!(finding(Identity::SecondClient), Finding::Refused(m) if m.contains("401 invalid_client") && m.contains("registered for client_secret_post")),
        "{preflight:?}"
    );
    assert!(
        matches!(finding(Identity::User), Finding::Refused(m) if m.contains("the login was refused")),
        "{preflight:?}"
    );
    // One token request per client (the login goes to the authorization
    // endpoint).
    assert_eq!(mock.token_requests(), 3);
    let shown = format!("{preflight:?}");
    for secret in [
        client.secret.expose(),
        second.secret.expose(),
        restricted.secret.expose(),
        password.as_str(),
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    // Nothing on the mock target.
    let none = run(&Target::Mock, &transport, std::slice::from_ref(&profile)).await;
    assert!(none.checks.is_empty());
}
