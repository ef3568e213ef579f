//! The login page on a second origin ([`LoginPages::SecondOrigin`]).
//!
//! Real providers often log users in on another host than their
//! authorization endpoint. Here a second mock server on another loopback
//! port serves the login form, sets a cookie of its own (`login_csrf`), and
//! after a good login sends the user back to the authorization endpoint's
//! consent page. Both origins note what they received, so a scenario can
//! show that neither origin's cookies reached the other and whether the
//! password went to the login origin at all.
//!
//! The second server is one per process ([`shared`]), each mock's login page
//! at a path of its own: httpmock hands out servers from a bounded pool, and
//! scenarios that each held one server while waiting for a second would
//! wait for each other forever.

use super::{check_login, cookie, html, note};
use crate::mock::http::{MockRequest, MockResponse, param};
use httpmock::MockServer;
use tokio::sync::OnceCell;

use crate::mock::login_pages::{self as pages, CONSENT_PAGE_SUFFIX, LoginPages};
use crate::mock::state::{MockState, Side};
use crate::mock::tokens::random_token;

/// The login origin's own cookie.
pub const LOGIN_COOKIE: &str = "login_csrf";

static SHARED: OnceCell<MockServer> = OnceCell::const_new();

/// The process's login origin server, started on first use. Call it before
/// taking a mock server of one's own (see the module's note).
pub async fn shared() -> &'static MockServer {
    SHARED.get_or_init(MockServer::start_async).await
}

/// The login page's path: where its form posts and its cookie is scoped.
fn login_path(state: &MockState) -> String {
    state
        .login_origin
        .as_ref()
        .map_or_else(|| "/login".to_owned(), |u| u.path().to_owned())
}

fn session_of(req: &MockRequest) -> String {
    let p = if req.method == "GET" {
        req.query_pairs()
    } else {
        form_urlencoded::parse(&req.body).into_owned().collect()
    };
    param(&p, "session").unwrap_or_default().to_owned()
}

fn form(state: &MockState, session: &str, message: &str) -> MockResponse {
    html(
        200,
        pages::login_form(LoginPages::Standard, &login_path(state), session, message)
            .replace("<h1>Log in</h1>", "<h1>Log in at the login origin</h1>"),
    )
}

/// `GET /login?session=…` on the login origin.
pub fn page(state: &mut MockState, req: &MockRequest) -> MockResponse {
    note(state, Side::LoginOrigin, req);
    let session = session_of(req);
    let value = random_token();
    let Some(pending) = state.sessions.get_mut(&session) else {
        return html(400, "<h1>Unknown session</h1>".into());
    };
    pending.login_cookie = Some(value.clone());
    state.cookies_set.push((Side::LoginOrigin, value.clone()));
    form(state, &session, "Log in to authorize the application.").header(
        "set-cookie",
        format!(
            "{LOGIN_COOKIE}={value}; Path={}; HttpOnly; SameSite=Lax",
            login_path(state)
        ),
    )
}

/// `POST /login` on the login origin: a good login goes back to the
/// authorization endpoint's consent page.
pub fn submit(state: &mut MockState, req: &MockRequest, authorize_path: &str) -> MockResponse {
    note(state, Side::LoginOrigin, req);
    let session = session_of(req);
    let Some(pending) = state.sessions.get(&session).cloned() else {
        return html(400, "<h1>Unknown session</h1>".into());
    };
    if pending.login_cookie.is_none()
        || pending.login_cookie.as_deref() != cookie(req, LOGIN_COOKIE)
    {
        return html(400, "<h1>Login cookie missing</h1>".into());
    }
    let p: Vec<(String, String)> = form_urlencoded::parse(&req.body).into_owned().collect();
    let Some(user) = check_login(state, &p) else {
        return form(state, &session, "Wrong username or password.");
    };
    if let Some(s) = state.sessions.get_mut(&session) {
        s.user = Some(user);
    }
    let target = state.target_origin.clone().unwrap_or_default();
    MockResponse {
        status: 302,
        headers: vec![(
            "location".into(),
            format!("{target}{authorize_path}{CONSENT_PAGE_SUFFIX}?session={session}"),
        )],
        body: Vec::new(),
    }
}
