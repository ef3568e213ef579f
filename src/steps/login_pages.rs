//! The login driver's own proofs (`features/harness/login_pages.feature`):
//! the mock's page shapes, what a trip lets a scenario conclude, and that
//! nothing of one origin reaches another.

use cucumber::{given, then, when};

use super::authorization::{AuthorizeVariant, attempt, last_attempt, with_wrong_password};
use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::Verdict;
use crate::checks::login::{self, Intent};
use crate::mock::LoginPages;
use crate::mock::state::{Received, Side};

#[given(expr = "the mock serves its {string} login pages")]
async fn serve(w: &mut ConformanceWorld, name: String) -> StepResult {
    let pages = LoginPages::from_name(&name).ok_or_else(|| {
        let known: Vec<&str> = LoginPages::ALL.iter().map(|p| p.name()).collect();
        format!(
            "no login page shape {name:?}; the shapes are {}",
            known.join(", ")
        )
    })?;
    w.serve_login_pages(pages).await
}

#[given("the profile does not allow the login origin")]
async fn disallow_login_origin(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client_mut()?;
    if let Some(ac) = client.profile.authorization_code.as_mut() {
        ac.login.login_origins.clear();
    }
    Ok(())
}

#[when("the user tries to log in and approve access")]
async fn try_approve(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    let intent = Intent::Approve { account: None };
    attempt(w, intent, user, AuthorizeVariant::AsProfile).await
}

#[when(expr = "the user tries to approve access with the consent form's CSRF token {word} {word}")]
async fn try_forge(w: &mut ConformanceWorld, first: String, second: String) -> StepResult {
    let words = format!("{first} {second}");
    let forgery = crate::client::login::ConsentForgery::from_words(&words)
        .ok_or_else(|| format!("no forgery {words:?}; known: \"left out\", \"made up\""))?;
    let user = w.user()?;
    attempt(
        w,
        Intent::ForgeApproval(forgery),
        user,
        AuthorizeVariant::AsProfile,
    )
    .await
}

#[when("the user tries to deny access")]
async fn try_deny(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    attempt(w, Intent::Deny, user, AuthorizeVariant::AsProfile).await
}

#[when("the user tries to log in with a wrong password")]
async fn try_wrong_password(w: &mut ConformanceWorld) -> StepResult {
    let user = with_wrong_password(w.user()?);
    attempt(w, Intent::WrongPassword, user, AuthorizeVariant::AsProfile).await
}

/// What the last trip lets its scenario conclude (`None`: it goes on).
fn verdict(w: &ConformanceWorld) -> Result<Option<Verdict>, String> {
    let intent = w
        .code_flow
        .intent
        .clone()
        .ok_or("the user has not been through the authorization endpoint yet")?;
    Ok(login::judge(last_attempt(w)?, &intent))
}

#[then(expr = "the scenario would be skipped, naming {string}")]
async fn would_skip(w: &mut ConformanceWorld, needle: String) -> StepResult {
    match verdict(w)? {
        Some(Verdict::Skip(reason)) => {
            ensure(reason.contains(&needle), || format!("skipped: {reason}"))
        }
        other => Err(format!("expected a skip, got {other:?}")),
    }
}

#[then(expr = "the scenario would be not run, naming {string}")]
async fn would_not_run(w: &mut ConformanceWorld, needle: String) -> StepResult {
    match verdict(w)? {
        Some(Verdict::NotRun(reason)) => {
            ensure(reason.contains(&needle), || format!("not run: {reason}"))
        }
        other => Err(format!("expected 'not run', got {other:?}")),
    }
}

#[then(expr = "the user denied with {string}")]
async fn denied_with(w: &mut ConformanceWorld, control: String) -> StepResult {
    let decided = last_attempt(w)?.journey.decided.clone();
    ensure(
        decided
            .as_ref()
            .is_some_and(|d| !d.approved && d.control == control),
        || format!("the user's decision: {decided:?}"),
    )
}

#[then("the mock issued no code")]
async fn no_code(w: &mut ConformanceWorld) -> StepResult {
    let codes = w.mock()?.state().codes.len();
    ensure(codes == 0, || format!("the mock issued {codes} code(s)"))
}

/// The cookie headers or the fields one side received.
fn received(
    w: &ConformanceWorld,
    side: Side,
    what: fn(&Received) -> &str,
) -> Result<Vec<String>, String> {
    Ok(w.mock()?
        .received()
        .iter()
        .filter(|r| r.side == side)
        .map(|r| what(r).to_owned())
        .collect())
}

fn cookies_set_by(w: &ConformanceWorld, side: Side) -> Result<Vec<String>, String> {
    Ok(w.mock()?
        .state()
        .cookies_set
        .iter()
        .filter(|(s, _)| *s == side)
        .map(|(_, v)| v.clone())
        .collect())
}

#[then("no cookie crossed between the origins")]
async fn no_cookie_crossed(w: &mut ConformanceWorld) -> StepResult {
    let target_set = cookies_set_by(w, Side::Target)?;
    let login_set = cookies_set_by(w, Side::LoginOrigin)?;
    let at_login = received(w, Side::LoginOrigin, |r| r.cookie.as_str())?;
    let at_target = received(w, Side::Target, |r| r.cookie.as_str())?;
    ensure(!target_set.is_empty() && !at_login.is_empty(), || {
        "the flow never reached the login origin: nothing to compare".into()
    })?;
    login::nothing_crossed(
        "cookie(s) of the authorization server",
        &target_set,
        &at_login,
    )?;
    login::nothing_crossed("cookie(s) of the login origin", &login_set, &at_target)
}

/// The user's password as the form carries it, raw and form-encoded.
fn password_spellings(w: &ConformanceWorld) -> Result<Vec<String>, String> {
    let user = w.mock()?.user().ok_or("the mock has no user")?;
    let encoded: String = form_urlencoded::byte_serialize(user.password.as_bytes()).collect();
    Ok(vec![user.password, encoded])
}

#[then("the login origin received no password")]
async fn no_password(w: &mut ConformanceWorld) -> StepResult {
    let fields = received(w, Side::LoginOrigin, |r| r.fields.as_str())?;
    ensure(!fields.is_empty(), || {
        "the login origin received nothing at all".into()
    })?;
    login::nothing_crossed("password(s)", &password_spellings(w)?, &fields)
}

#[then("the login origin received the password")]
async fn got_password(w: &mut ConformanceWorld) -> StepResult {
    let fields = received(w, Side::LoginOrigin, |r| r.fields.as_str())?;
    let crossed = login::nothing_crossed("password(s)", &password_spellings(w)?, &fields);
    ensure(crossed.is_err(), || {
        "the login origin never received the password".into()
    })
}

#[given("the mock's consent form carries no CSRF token")]
async fn consent_without_token(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_consent_without_token(true);
    Ok(())
}

#[given(expr = "the mock's session cookie is SameSite={word}")]
async fn session_same_site(w: &mut ConformanceWorld, value: String) -> StepResult {
    w.mock()?.set_session_same_site(Some(&value));
    Ok(())
}

#[given("the mock's session cookie has no SameSite attribute")]
async fn session_without_same_site(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_session_same_site(None);
    Ok(())
}

/// The profile's login settings, to change for one scenario.
fn login_settings(w: &mut ConformanceWorld) -> Result<&mut crate::profile::LoginSettings, String> {
    w.client_mut()?
        .profile
        .authorization_code
        .as_mut()
        .map(|ac| &mut ac.login)
        .ok_or_else(|| "this profile documents no authorization code flow".into())
}

#[given(expr = "the profile {word} uses a browser for the login")]
async fn browser_use(w: &mut ConformanceWorld, when: String) -> StepResult {
    let browser = match when.as_str() {
        "never" => crate::profile::BrowserUse::Never,
        "always" => crate::profile::BrowserUse::Always,
        other => return Err(format!("no browser use {other:?}; known: never, always")),
    };
    login_settings(w)?.browser = browser;
    Ok(())
}

#[given("no Chromium is installed")]
async fn no_chromium(w: &mut ConformanceWorld) -> StepResult {
    login_settings(w)?.chromium = Some("/nonexistent/oauth-conformance/chromium".into());
    Ok(())
}

/// Chromium found, else the scenario is skipped saying so; on CI
/// (`CI=true`), which installs it, a missing Chromium fails.
#[given("headless Chromium is installed")]
async fn chromium_installed(w: &mut ConformanceWorld) -> StepResult {
    let settings = login_settings(w)?.clone();
    match crate::client::login::browser::Chromium::find(&settings) {
        Ok(_) => Ok(()),
        Err(why) if std::env::var("CI").is_ok_and(|v| v == "true") => Err(format!(
            "CI installs Chromium for the browser login proofs, and {why}"
        )),
        Err(why) => Err(w.skip(format!(
            "the browser login is not proven on this machine: {why}"
        ))),
    }
}

/// What the trip reports (its steps, the pages it saw, its error) holds
/// the user's password in no spelling.
#[then("what the login reports shows no password")]
async fn reports_no_password(w: &mut ConformanceWorld) -> StepResult {
    let attempt = last_attempt(w)?;
    let shown = format!(
        "{:?} {:?} {}",
        attempt.journey,
        attempt.redirect,
        attempt
            .redirect
            .as_ref()
            .err()
            .map(ToString::to_string)
            .unwrap_or_default()
    );
    login::nothing_crossed(
        "password(s) in what the login reports",
        &password_spellings(w)?,
        &[shown],
    )
}
