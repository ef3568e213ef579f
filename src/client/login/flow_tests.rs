//! The driver's navigation, request by request: the headers a browser
//! sends with a form, which answers are redirects, what a 307 repeats and
//! where the answer to a password leads. Each local server answers only the
//! request a browser would send: any other request gets httpmock's 404, and
//! the login fails.

use httpmock::MockServer;

use super::tests::approve;
use super::*;

/// Never fetched: the driver stops at the redirect URI.
const CB: &str = "http://127.0.0.1:9/cb";

/// A consent page whose form posts `keep=k` to `action`.
fn consent_page(action: &str) -> String {
    format!(
        r#"<form method=post action="{action}"><input type=hidden name=keep value=k><button type=submit name=allow value=yes>Authorize</button></form>"#
    )
}

const LOGIN_PAGE: &str = r#"<form method=post action=/login><input name=username><input type=password name=password><button type=submit>Sign in</button></form>"#;

#[tokio::test]
async fn a_form_sends_the_pages_referer_and_origin_and_a_redirect_elsewhere_only_the_origin() {
    let a = MockServer::start_async().await;
    let b = MockServer::start_async().await;
    let page = a.url("/page");
    let origin_a = a.base_url();
    let body = consent_page("/go");
    a.mock_async(|when, then| {
        when.method("GET").path("/page").header_missing("referer");
        then.status(200).body(&body);
    })
    .await;
    // The form's POST: the full page URL to its own origin, and `Origin`.
    let next = b.url("/next");
    a.mock_async(|when, then| {
        when.method("POST")
            .path("/go")
            .header("referer", &page)
            .header("origin", &origin_a);
        then.status(302).header("location", &next);
    })
    .await;
    // The redirect to another origin: a GET, with only the origin as
    // referer and no `Origin`.
    b.mock_async(|when, then| {
        when.method("GET")
            .path("/next")
            .header("referer", format!("{origin_a}/"))
            .header_missing("origin");
        then.status(302).header("location", format!("{CB}?code=c"));
    })
    .await;
    let trip = approve(5000, &page, CB).await;
    assert_eq!(trip.redirect.unwrap(), format!("{CB}?code=c"));
}

#[tokio::test]
async fn only_a_3xx_with_a_location_is_a_redirect() {
    let a = MockServer::start_async().await;
    a.mock_async(|when, then| {
        when.path("/authorize");
        then.status(500)
            .header("location", format!("{CB}?code=c"))
            .body("<h1>Server error</h1>");
    })
    .await;
    let trip = approve(5000, &a.url("/authorize"), CB).await;
    assert!(
        matches!(
            trip.redirect,
            Err(LoginError::ErrorPage { status: 500, .. })
        ),
        "an error page is not a redirect, whatever its headers: {:?}",
        trip.redirect
    );
}

#[tokio::test]
async fn a_307_after_a_form_repeats_the_post_with_its_body() {
    let a = MockServer::start_async().await;
    let body = consent_page("/go");
    a.mock_async(|when, then| {
        when.method("GET").path("/page");
        then.status(200).body(&body);
    })
    .await;
    a.mock_async(|when, then| {
        when.method("POST").path("/go");
        then.status(307).header("location", "/go2");
    })
    .await;
    a.mock_async(|when, then| {
        when.method("POST")
            .path("/go2")
            .form_urlencoded_tuple("keep", "k");
        then.status(302).header("location", format!("{CB}?code=c"));
    })
    .await;
    let trip = approve(5000, &a.url("/page"), CB).await;
    assert_eq!(trip.redirect.unwrap(), format!("{CB}?code=c"));
}

/// The answers to the password when the login POST redirects to `to`.
async fn password_answers(to: impl Fn(&MockServer) -> String) -> Vec<PasswordAnswer> {
    let a = MockServer::start_async().await;
    a.mock_async(|when, then| {
        when.method("GET").path("/authorize");
        then.status(200).body(LOGIN_PAGE);
    })
    .await;
    let target = to(&a);
    a.mock_async(|when, then| {
        when.method("POST").path("/login");
        then.status(302).header("location", &target);
    })
    .await;
    let trip = approve(5000, &a.url("/authorize"), CB).await;
    trip.journey.password_answers
}

#[tokio::test]
async fn the_answer_to_the_password_says_whether_it_leads_to_another_origin() {
    let here = password_answers(|a| format!("{}?x=1", a.url("/consent"))).await;
    assert_eq!(here.len(), 1);
    assert_eq!(here[0].status, 302);
    assert!(!here[0].elsewhere, "same origin");
    assert!(
        here[0]
            .to
            .as_deref()
            .is_some_and(|t| t.ends_with("/consent"))
    );

    let other = MockServer::start_async().await;
    let there = password_answers(|_| other.url("/consent")).await;
    assert!(there[0].elsewhere, "another port is another origin");
}

#[tokio::test]
async fn only_a_page_with_nothing_to_act_on_asks_for_a_browser() {
    let server = MockServer::start_async().await;
    let script = r#"<div id=app>Loading…</div><form><input type=hidden name=s value=1></form><script>render()</script>"#;
    let ambiguous = r#"<form method=post><input name=a><input name=b><input type=password name=password><button>Go</button></form>"#;
    for (path, body) in [("/script", script), ("/ambiguous", ambiguous)] {
        server
            .mock_async(|when, then| {
                when.path(path);
                then.status(200)
                    .header("content-type", "text/html")
                    .body(body);
            })
            .await;
    }
    // Never in a browser here: the unit tests run none.
    let never = LoginSettings {
        browser: crate::profile::BrowserUse::Never,
        ..LoginSettings::default()
    };
    let trip = |path: &str| {
        let url = server.url(path);
        let never = never.clone();
        async move {
            authorize(
                &super::tests::transport(5000),
                &url.parse().unwrap(),
                CB,
                &UserLogin {
                    username: "u".into(),
                    password: crate::client::Secret::new("p-not-real-1234"),
                },
                &Decision::Approve { account: None },
                &never,
                false,
            )
            .await
        }
    };
    let script_trip = trip("/script").await;
    assert!(script_trip.journey.not_understood, "{script_trip:?}");
    let ambiguous_trip = trip("/ambiguous").await;
    assert!(
        matches!(ambiguous_trip.redirect, Err(LoginError::CannotDrive { .. })),
        "{ambiguous_trip:?}"
    );
    assert!(!ambiguous_trip.journey.not_understood, "{ambiguous_trip:?}");
}
