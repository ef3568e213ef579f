//! The login command's contract: what it is given, how its answer is read,
//! and each way it can fail, as a clear "not run" with its last lines and
//! never the password.

use super::tests::transport;
use super::*;

const CB: &str = "http://127.0.0.1:9/cb";
const PASSWORD: &str = "cmd-Pa55word-never-shown";

fn user() -> UserLogin {
    UserLogin {
        username: "alice".into(),
        password: crate::client::Secret::new(PASSWORD),
    }
}

/// Runs `script` (sh -c) as the login command, within `timeout_ms`.
async fn run(script: &str, decision: Decision, timeout_ms: u64) -> Trip {
    let settings = LoginSettings {
        command: vec!["sh".into(), "-c".into(), script.into()],
        ..LoginSettings::default()
    };
    authorize(
        &transport(timeout_ms),
        &"http://127.0.0.1:9/authorize?client_id=c".parse().unwrap(),
        CB,
        &user(),
        &decision,
        &settings,
        false,
    )
    .await
}

fn approve() -> Decision {
    Decision::Approve { account: None }
}

/// The not-run message of a trip, which must not show the password.
fn not_run(trip: &Trip) -> String {
    let e = trip.redirect.clone().unwrap_err();
    assert!(e.is_undrivable(), "{e:?}");
    let shown = e.to_string();
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!shown.contains("cmd-Pa55word"), "{shown}");
    shown
}

#[tokio::test]
async fn the_command_is_given_the_login_and_its_last_line_is_the_redirect() {
    let script = r#"echo "working on $OAUTH_CONFORMANCE_LOGIN_URL"
echo "$OAUTH_CONFORMANCE_REDIRECT_URI?code=c1&u=$OAUTH_CONFORMANCE_USERNAME&i=$OAUTH_CONFORMANCE_LOGIN_INTENT&a=${OAUTH_CONFORMANCE_ACCOUNT:-none}&p=${#OAUTH_CONFORMANCE_PASSWORD}""#;
    let trip = run(script, approve(), 5000).await;
    let location = trip.redirect.unwrap();
    assert_eq!(
        location,
        format!("{CB}?code=c1&u=alice&i=approve&a=none&p={}", PASSWORD.len())
    );
    assert_eq!(trip.journey.command.as_deref(), Some("sh"));
    assert!(trip.journey.login_page);
    assert!(trip.journey.decided.as_ref().is_some_and(|d| d.approved));
    let chosen = Decision::Approve {
        account: Some("company".into()),
    };
    let trip = run(script, chosen, 5000).await;
    assert!(trip.redirect.unwrap().contains("&a=company&"));
    assert_eq!(trip.journey.accounts_offered, Some(vec!["company".into()]));
    let trip = run(script, Decision::Deny, 5000).await;
    assert!(trip.redirect.unwrap().contains("&i=deny&"));
    assert!(trip.journey.decided.as_ref().is_some_and(|d| !d.approved));
    let trip = run(script, Decision::WrongPassword, 5000).await;
    assert!(trip.redirect.unwrap().contains("&i=wrong-password&"));
}

#[tokio::test]
async fn refused_is_the_login_form_coming_back() {
    let trip = run("echo refused", Decision::WrongPassword, 5000).await;
    assert!(
        matches!(trip.redirect, Err(LoginError::LoginRefused { .. })),
        "{:?}",
        trip.redirect
    );
}

#[tokio::test]
async fn an_error_page_is_the_servers_answer() {
    let trip = run("echo 'error 403'", approve(), 5000).await;
    assert!(
        matches!(
            trip.redirect,
            Err(LoginError::ErrorPage { status: 403, .. })
        ),
        "{:?}",
        trip.redirect
    );
    not_run(&run("echo 'error 200'", approve(), 5000).await);
}

#[tokio::test]
async fn a_failing_command_is_not_run_with_its_last_lines_redacted() {
    let script = r#"echo "tried with $OAUTH_CONFORMANCE_PASSWORD"; echo "no luck: $OAUTH_CONFORMANCE_PASSWORD" >&2; exit 3"#;
    let shown = not_run(&run(script, approve(), 5000).await);
    assert!(shown.contains("exited with exit status: 3"), "{shown}");
    assert!(shown.contains("stdout: tried with [REDACTED]"), "{shown}");
    assert!(shown.contains("stderr: no luck: [REDACTED]"), "{shown}");
}

#[tokio::test]
async fn output_that_is_not_a_url_under_the_redirect_uri_is_not_run() {
    for script in [
        "echo hello",
        "echo https://elsewhere.example/cb?code=x",
        "true",
    ] {
        let shown = not_run(&run(script, approve(), 5000).await);
        assert!(
            shown.contains("printed no URL under the redirect URI"),
            "{script}: {shown}"
        );
    }
}

#[tokio::test]
async fn a_command_that_outlives_the_timeout_is_stopped_and_not_run() {
    let trip = run("echo started; sleep 30", approve(), 300).await;
    let shown = not_run(&trip);
    assert!(shown.contains("did not finish within 300ms"), "{shown}");
}

#[tokio::test]
async fn a_missing_program_is_not_run_naming_it() {
    let settings = LoginSettings {
        command: vec!["/nonexistent/login-command".into()],
        ..LoginSettings::default()
    };
    let trip = authorize(
        &transport(5000),
        &"http://127.0.0.1:9/authorize".parse().unwrap(),
        CB,
        &user(),
        &approve(),
        &settings,
        false,
    )
    .await;
    let shown = not_run(&trip);
    assert!(
        shown.contains("could not start the login command \"/nonexistent/login-command\""),
        "{shown}"
    );
}

#[tokio::test]
async fn a_forged_approval_is_not_the_commands_to_make() {
    let trip = run(
        "echo never",
        Decision::ForgeApproval(ConsentForgery::Left),
        5000,
    )
    .await;
    assert!(
        matches!(trip.redirect, Err(LoginError::NotWithCommand { .. })),
        "{:?}",
        trip.redirect
    );
}

#[test]
fn the_profile_command_wins_over_the_variable() {
    let env = |name: &str| (name == command::COMMAND_VARIABLE).then(|| "/from/env".to_owned());
    let from_env = command::LoginCommand::configured(&LoginSettings::default(), env).unwrap();
    assert_eq!(from_env.argv, ["/from/env"]);
    assert_eq!(from_env.given_by, command::COMMAND_VARIABLE);
    let settings = LoginSettings {
        command: vec!["/from/profile".into()],
        ..LoginSettings::default()
    };
    let from_profile = command::LoginCommand::configured(&settings, env).unwrap();
    assert_eq!(from_profile.argv, ["/from/profile"]);
    assert!(command::LoginCommand::configured(&LoginSettings::default(), |_| None).is_none());
}

#[tokio::test]
async fn an_account_not_offered_is_the_drivers_no_such_account() {
    let chosen = Decision::Approve {
        account: Some("advisor".into()),
    };
    let trip = run("echo no-account", chosen, 5000).await;
    let e = trip.redirect.unwrap_err();
    assert!(e.to_string().contains("\"advisor\" is not offered"), "{e}");
}
