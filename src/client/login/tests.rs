//! The driver against the page shapes of real servers, and the whole flow
//! against small local servers: timeouts, loops and the size cap.

use std::time::{Duration, Instant};

use super::recognise::{self, Action, Asks, read};
use super::*;
use crate::client::Limits;
use crate::client::transport::Transport;

fn url(s: &str) -> url::Url {
    s.parse().unwrap()
}

fn asks(page_url: &str, html: &str) -> (Page, Asks) {
    let page = super::read::read(&url(page_url), html);
    let asks = read(&page, &LoginSettings::default(), false);
    (page, asks)
}

/// Django's `LoginView`, as the DOT sandbox serves it.
const DJANGO_LOGIN: &str = r#"<form method="post" action="/accounts/login/">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <p><label for="id_username">Username:</label> <input type="text" name="username" autofocus autocapitalize="none" autocomplete="username" maxlength="150" required id="id_username"></p>
  <p><label for="id_password">Password:</label> <input type="password" name="password" autocomplete="current-password" required id="id_password"></p>
  <input type="submit" value="login"><input type="hidden" name="next" value="/api/o/authorize/?x=1">
</form>"#;

/// DOT's consent page with the sandbox's account choice.
const DOT_CONSENT: &str = r#"<form id="authorizationForm" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type='hidden' name='redirect_uri' value='http://127.0.0.1:8765/callback'>
  <input type='hidden' name='client_id' value='c'><input type='hidden' name='state' value='s'>
  <p>Application requires the following permissions</p><ul><li>Reading scope</li></ul>
  <select name="account"><option value="participant">participant</option><option value="company">company</option></select>
  <div class="control-group"><div class="controls">
    <input type="submit" class="btn btn-large" value="Cancel"/>
    <input type="submit" class="btn btn-large btn-primary" name="allow" value="Authorize"/>
  </div></div></form>"#;

/// oidc-provider's devInteractions login page.
const OIDC_LOGIN: &str = r#"<div class="login-card"><h1>Sign-in</h1>
  <form autocomplete="off" action="http://127.0.0.1:8766/interaction/u1" method="post">
    <input type="hidden" name="prompt" value="login"/>
    <input required type="text" name="login" placeholder="Enter any login" autofocus="on">
    <input required type="password" name="password" placeholder="and password" >
    <button type="submit" class="login login-submit">Sign-in</button>
  </form>
  <div class="login-help"><a href="http://127.0.0.1:8766/interaction/u1/abort">[ Cancel ]</a></div></div>"#;

/// oidc-provider's devInteractions consent page.
const OIDC_CONSENT: &str = r#"<div class="login-card"><h1>Authorize</h1>
  <ul><li>http://127.0.0.1:8766/api:</li><ul><li>read</li></ul></ul>
  <form autocomplete="off" action="http://127.0.0.1:8766/interaction/u2" method="post">
    <input type="hidden" name="prompt" value="consent"/>
    <button autofocus type="submit" class="login login-submit">Continue</button>
  </form>
  <div class="login-help"><a href="http://127.0.0.1:8766/interaction/u2/abort">[ Cancel ]</a></div></div>"#;

#[test]
fn django_login_and_dot_consent() {
    let (page, login) = asks("http://127.0.0.1:8765/accounts/login/?next=x", DJANGO_LOGIN);
    let Asks::LogIn {
        form,
        username,
        password,
        submit,
    } = login
    else {
        panic!("{login:?}")
    };
    let f = &page.forms[form];
    assert_eq!(f.controls[username.unwrap()].name, "username");
    assert_eq!(f.controls[password].name, "password");
    assert_eq!(f.controls[submit.unwrap()].label, "login");
    assert_eq!(f.controls[1].label, "Username:");

    let (page, consent) = asks("http://127.0.0.1:8765/api/o/authorize/?x=1", DOT_CONSENT);
    let Asks::Decision(choices) = consent else {
        panic!("{consent:?}")
    };
    assert_eq!(
        page.forms[0].action.as_str(),
        "http://127.0.0.1:8765/api/o/authorize/?x=1"
    );
    assert_eq!(choices.approve_says, "Authorize");
    assert_eq!(choices.deny_says, "Cancel");
    assert_eq!(choices.account_form, Some(0));
}

#[test]
fn oidc_provider_login_and_consent_with_a_cancel_link() {
    let (page, login) = asks("http://127.0.0.1:8766/interaction/u1", OIDC_LOGIN);
    let Asks::LogIn { form, username, .. } = login else {
        panic!("{login:?}")
    };
    // No `username` field: the form's one text field takes the user name.
    assert_eq!(page.forms[form].controls[username.unwrap()].name, "login");

    let (_, consent) = asks("http://127.0.0.1:8766/interaction/u2", OIDC_CONSENT);
    let Asks::Decision(choices) = consent else {
        panic!("{consent:?}")
    };
    assert_eq!(
        choices.approve,
        Some(Action::Press {
            form: 0,
            submit: Some(1)
        })
    );
    assert_eq!(choices.approve_says, "Continue");
    assert_eq!(
        choices.deny,
        Some(Action::Follow(url(
            "http://127.0.0.1:8766/interaction/u2/abort"
        )))
    );
}

#[test]
fn radio_accounts_unnamed_buttons_and_a_deny_form() {
    let (page, consent) = asks(
        "http://127.0.0.1:1/consent",
        r#"<form method=post action=/approve><fieldset>
             <label><input type="radio" name="account" value="participant" checked>Participant</label>
             <label><input type="radio" name="account" value="company">Company</label></fieldset>
             <button type="submit">Authorize</button></form>
           <form method=post action=/deny><button>Decline</button></form>"#,
    );
    let Asks::Decision(choices) = consent else {
        panic!("{consent:?}")
    };
    assert_eq!(
        super::form::offered(&page.forms[0], "account"),
        vec![
            ("participant".to_owned(), "Participant".to_owned()),
            ("company".to_owned(), "Company".to_owned())
        ]
    );
    assert_eq!(
        choices.approve,
        Some(Action::Press {
            form: 0,
            submit: Some(2)
        })
    );
    assert_eq!(
        choices.deny,
        Some(Action::Press {
            form: 1,
            submit: Some(0)
        })
    );
}

#[test]
fn a_consent_page_without_a_deny_control_offers_none() {
    let (_, consent) = asks(
        "http://127.0.0.1:1/consent",
        r#"<form method=post><button>Continue</button></form>"#,
    );
    let Asks::Decision(choices) = consent else {
        panic!("{consent:?}")
    };
    assert!(choices.approve.is_some() && choices.deny.is_none());
}

#[test]
fn a_page_that_moves_on_by_itself_is_continued() {
    let (_, asked) = asks(
        "http://127.0.0.1:1/wait",
        r#"<body onload="document.forms[0].submit()"><form method=post action=/next><input type=hidden name=s value=1><noscript><button>Continue</button></noscript></form>"#,
    );
    assert_eq!(
        asked,
        Asks::Continue(Action::Press {
            form: 0,
            submit: None
        })
    );
    let (_, asked) = asks(
        "http://127.0.0.1:1/wait",
        r#"<meta http-equiv="refresh" content="0; URL='/next?x=1'">"#,
    );
    assert_eq!(
        asked,
        Asks::Continue(Action::Follow(url("http://127.0.0.1:1/next?x=1")))
    );
    // A session-timeout refresh is no step.
    let (_, asked) = asks(
        "http://127.0.0.1:1/wait",
        r#"<meta http-equiv="refresh" content="900; url=/expired">"#,
    );
    assert!(matches!(asked, Asks::Unknown(_)), "{asked:?}");
}

#[test]
fn an_ambiguous_login_form_names_the_setting() {
    let (_, asked) = asks(
        "http://127.0.0.1:1/login",
        r#"<form method=post><input name=first><input name=second><input type=password name=pw></form>"#,
    );
    let Asks::Unknown(why) = asked else {
        panic!("{asked:?}")
    };
    assert!(
        why.contains("username_field") && why.contains("first, second"),
        "{why}"
    );
}

#[test]
fn a_megabyte_of_nested_divs_is_a_page_not_understood() {
    let mut html = String::from("<html><body>");
    while html.len() < 1024 * 1024 {
        html.push_str("<div>");
    }
    // What the driver makes of it; how fast is `cargo bench --bench
    // login_page`'s to say (the quadratic tree builder took minutes).
    let (page, asked) = asks("http://127.0.0.1:1/deep", &html);
    assert!(page.forms.is_empty() && matches!(asked, Asks::Unknown(_)));
}

pub(super) fn transport(timeout_ms: u64) -> Transport {
    Transport::new(Limits {
        timeout: Duration::from_millis(timeout_ms),
        ..Limits::default()
    })
    .unwrap()
}

/// The user approves, starting at `start`, with a transport whose timeout
/// is `timeout_ms`.
pub(super) async fn approve(timeout_ms: u64, start: &str, redirect_uri: &str) -> Trip {
    let approve = Decision::Approve { account: None };
    drive(timeout_ms, start, redirect_uri, &approve).await
}

/// The whole login from `start` with the default settings, as the user
/// decides.
async fn drive(timeout_ms: u64, start: &str, redirect_uri: &str, decision: &Decision) -> Trip {
    authorize(
        &transport(timeout_ms),
        &url(start),
        redirect_uri,
        &user(),
        decision,
        &html_only(),
        false,
    )
    .await
}

/// The default settings without the browser: the unit tests drive the HTML
/// driver alone (the browser's proofs are `@browser` scenarios).
pub(super) fn html_only() -> LoginSettings {
    LoginSettings {
        browser: crate::profile::BrowserUse::Never,
        ..LoginSettings::default()
    }
}

fn user() -> UserLogin {
    UserLogin {
        username: "u".into(),
        password: crate::client::Secret::new("p-not-a-real-password"),
    }
}

#[tokio::test]
async fn the_whole_login_obeys_the_timeout_not_only_each_request() {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/loop");
            then.status(302)
                .header("location", "/loop")
                .delay(Duration::from_millis(150));
        })
        .await;
    let start = Instant::now();
    let trip = approve(500, &server.url("/loop"), "http://127.0.0.1:9/cb").await;
    let took = start.elapsed();
    assert!(
        matches!(&trip.redirect, Err(LoginError::Timeout { url, .. }) if *url == server.url("/loop")),
        "the timeout names the URL it was waiting for: {:?}",
        trip.redirect
    );
    assert!(took < Duration::from_millis(1500), "{took:?}");
}

#[tokio::test]
async fn a_redirect_loop_stops_after_a_bounded_number_of_hops() {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/loop");
            then.status(302).header("location", "/loop");
        })
        .await;
    let trip = approve(5000, &server.url("/loop"), "http://127.0.0.1:9/cb").await;
    let err = trip.redirect.unwrap_err();
    assert!(
        err.is_undrivable() && err.to_string().contains("more than 16"),
        "{err}"
    );
    // What was seen on the way names each request and its answer.
    let hop = format!("GET {} -> 302 redirect", server.url("/loop"));
    assert!(err.to_string().contains(&hop), "{err}");
}

#[tokio::test]
async fn the_redirect_uri_is_never_fetched() {
    let server = httpmock::MockServer::start_async().await;
    let callback = server
        .mock_async(|when, then| {
            when.path("/cb");
            then.status(200);
        })
        .await;
    let cb = server.url("/cb");
    let to_callback = format!("{cb}?code=c&state=s");
    server
        .mock_async(|when, then| {
            when.path("/authorize");
            then.status(302).header("location", &to_callback);
        })
        .await;
    let trip = approve(5000, &server.url("/authorize"), &cb).await;
    assert_eq!(trip.redirect.unwrap(), to_callback);
    assert_eq!(callback.calls_async().await, 0);
    // No page asked for anything: nothing was decided, no login was seen.
    assert!(!trip.journey.login_page && trip.journey.decided.is_none());
}

#[tokio::test]
async fn a_4xx_to_the_password_is_a_refusal_and_a_5xx_the_server_failing() {
    for (status, refused) in [(401, true), (400, true), (500, false)] {
        let server = httpmock::MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method("GET").path("/authorize");
                then.status(200).body(
                    r#"<form method=post action=/login><input name=username><input type=password name=password></form>"#,
                );
            })
            .await;
        server
            .mock_async(|when, then| {
                when.method("POST").path("/login");
                then.status(status).body("<h1>No</h1>");
            })
            .await;
        let trip = approve(5000, &server.url("/authorize"), "http://127.0.0.1:9/cb").await;
        let err = trip.redirect.unwrap_err();
        assert_eq!(
            matches!(err, LoginError::LoginRefused { .. }),
            refused,
            "{status}: {err}"
        );
        assert!(trip.journey.password_sent);
    }
}

#[test]
fn a_page_is_described_by_names_and_texts_never_values_or_queries() {
    let page = super::read::read(
        &url("http://127.0.0.1:1/consent"),
        r#"<form method=post action="/go?session=s3ss10n-v4lue"><input type=hidden name=csrf value=t0k3n-v4lue>
           <button>Allow</button></form><a href="/abort?session=s3ss10n-v4lue#x">Cancel</a>"#,
    );
    let shown = page.describe();
    for value in ["s3ss10n-v4lue", "t0k3n-v4lue"] {
        assert!(!shown.contains(value), "{shown}");
    }
    assert!(
        shown.contains("POST http://127.0.0.1:1/go?…") && shown.contains("csrf (hidden)"),
        "{shown}"
    );
    assert!(
        shown.contains("\"Cancel\" -> http://127.0.0.1:1/abort?…"),
        "{shown}"
    );
    assert!(!shown.contains("more"), "{shown}");
}

#[test]
fn a_page_description_names_choices_and_counts_the_links_it_leaves_out() {
    let links: String = (0..10)
        .map(|i| format!("<a href=/l{i}>link {i}</a>"))
        .collect();
    let page = super::read::read(
        &url("http://127.0.0.1:1/consent"),
        &format!(
            r#"<form method=post><label><input type=radio name=account value=1>Company</label>
               <input type=checkbox name=remember value=y>
               <select name=lang><option>en</option><option>fr</option></select></form>{links}"#
        ),
    );
    let shown = page.describe();
    for part in [
        "account (radio \"Company\")",
        "remember (checkbox)",
        "lang (select of 2)",
        "\"link 7\" -> http://127.0.0.1:1/l7",
        "and 2 more",
    ] {
        assert!(shown.contains(part), "{part}: {shown}");
    }
    assert!(!shown.contains("link 8"), "{shown}");
}

#[test]
fn the_consent_forms_csrf_field_is_found_by_name_or_setting() {
    let found = |html: &str, settings: &LoginSettings| {
        let page = super::read::read(&url("http://127.0.0.1:9/authorize"), html);
        recognise::csrf_fields(&page.forms[0], settings)
            .first()
            .map(|&i| page.forms[0].controls[i].name.clone())
    };
    let default = LoginSettings::default();
    assert_eq!(
        found(DOT_CONSENT, &default).as_deref(),
        Some("csrfmiddlewaretoken")
    );
    assert_eq!(found(OIDC_CONSENT, &default), None);
    for name in [
        "_csrf",
        "authenticity_token",
        "_token",
        "__RequestVerificationToken",
        "XSRF-TOKEN",
    ] {
        let html = format!(
            "<form method=post><input type=hidden name=\"{name}\" value=v><button>Allow</button></form>"
        );
        assert_eq!(found(&html, &default).as_deref(), Some(name), "{name}");
    }
    // Only a hidden field is taken for a token, unless the profile names it.
    let visible = "<form method=post><input name=csrf value=v><button>Allow</button></form>";
    assert_eq!(found(visible, &default), None);
    let named = LoginSettings {
        csrf_field: Some("prompt".into()),
        ..LoginSettings::default()
    };
    assert_eq!(found(OIDC_CONSENT, &named).as_deref(), Some("prompt"));
}

/// A consent page with a CSRF token (and a session in a plain and a
/// `SameSite=Lax` cookie) whose POST answers 403, or the consent page again;
/// the forged approval must come as from another site, with a body matching the pattern `sent`.
async fn forge(forgery: ConsentForgery, sent: &str, consent_again: bool) -> Trip {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/authorize");
            then.status(200)
                .header("set-cookie", "unmarked=1")
                .header("set-cookie", "lax=2; SameSite=Lax")
                .body(
                r#"<form method=post action=/consent><input type=hidden name=csrf_token value=real-tok8n><input type=hidden name=session value=s1><button name=allow value=1>Allow</button></form>"#,
            );
        })
        .await;
    let answer = if consent_again {
        "<form method=post action=/consent><input type=hidden name=csrf_token value=t2><button name=allow value=1>Allow</button></form>"
    } else {
        "<h1>CSRF verification failed</h1>"
    };
    let consent = server
        .mock_async(|when, then| {
            when.method("POST")
                .path("/consent")
                .body_matches(regex::Regex::new(sent).unwrap())
                .body_excludes("real-tok8n")
                .header("origin", super::forgery::CROSS_SITE_ORIGIN)
                .header("cookie", "unmarked=1")
                .header("referer", "https://cross-site.invalid/");
            then.status(if consent_again { 200 } else { 403 })
                .body(answer);
        })
        .await;
    let forged = Decision::ForgeApproval(forgery);
    let trip = drive(
        5000,
        &server.url("/authorize"),
        "http://127.0.0.1:9/cb",
        &forged,
    )
    .await;
    assert_eq!(consent.calls_async().await, 1, "{trip:?}");
    trip
}

#[tokio::test]
async fn a_forged_approval_leaves_out_or_makes_up_only_the_csrf_token() {
    let left = forge(ConsentForgery::Left, "^session=s1&allow=1$", false).await;
    assert!(matches!(
        left.redirect,
        Err(LoginError::ErrorPage { status: 403, .. })
    ));
    assert_eq!(
        left.journey.forged.as_ref().unwrap().csrf_fields,
        ["csrf_token"]
    );
    assert!(left.journey.decided.as_ref().is_some_and(|d| d.approved));
    // Each cookie is reported with its SameSite attribute and whether it went.
    let said = left.journey.forged.as_ref().unwrap().describe();
    assert!(
        said.contains("unmarked (no SameSite attribute, attached"),
        "{said}"
    );
    assert!(said.contains("lax (SameSite=Lax, kept back)"), "{said}");
    let made_up = "^csrf_token=[a-z]{4}-[a-z]{3}[0-9][a-z]&session=s1&allow=1$";
    let again = forge(ConsentForgery::MadeUp, made_up, true).await;
    assert!(
        matches!(again.redirect, Err(LoginError::ConsentAgain { .. })),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_consent_form_without_a_csrf_field_is_sent_cross_site_as_it_is() {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("GET").path("/authorize");
            then.status(200)
                .body(OIDC_CONSENT.replace("http://127.0.0.1:8766", ""));
        })
        .await;
    // No token to make up: not forged, the left-out forgery judges it.
    let made_up = Decision::ForgeApproval(ConsentForgery::MadeUp);
    let trip = drive(
        5000,
        &server.url("/authorize"),
        "http://127.0.0.1:9/cb",
        &made_up,
    )
    .await;
    assert!(
        matches!(trip.redirect, Err(LoginError::NoCsrfField { .. })),
        "{trip:?}"
    );
    assert_eq!(trip.journey.forged, None);
    // Left out: there is nothing to leave out, and the form goes as it is,
    // from another site.
    let posted = server
        .mock_async(|when, then| {
            when.method("POST")
                .header("origin", super::forgery::CROSS_SITE_ORIGIN)
                .header("referer", "https://cross-site.invalid/");
            then.status(403).body("<h1>Forbidden</h1>");
        })
        .await;
    let left = Decision::ForgeApproval(ConsentForgery::Left);
    let trip = drive(
        5000,
        &server.url("/authorize"),
        "http://127.0.0.1:9/cb",
        &left,
    )
    .await;
    assert_eq!(posted.calls_async().await, 1, "{trip:?}");
    let forged = trip.journey.forged.as_ref().unwrap();
    assert!(forged.csrf_fields.is_empty(), "{forged:?}");
}
