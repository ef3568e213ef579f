//! The mock authorization endpoint: login, account choice, consent, redirect.
//!
//! It models seed 001 with real HTML forms (so the same login driver that
//! meets a real provider is exercised here): the user logs in, chooses one
//! of their accounts (participant, company, advisor), approves or denies, and
//! is redirected to the registered `redirect_uri` with a code bound to the
//! chosen account, or with `error=access_denied`, always with the `state`
//! (RFC 6749 §4.1.2, §4.1.2.1). An unknown client or an unregistered
//! `redirect_uri` gets an error page and is never redirected to (§3.1.2.4).
//! The authorization faults of [`ServerFault`] each bend one of these rules
//! where it is enforced.
//!
//! The pages come in the shapes real servers use ([`LoginPages`]); the
//! login may be on a second origin ([`login_origin`]). Like
//! a real server, the mock binds the authorization in progress to a session
//! cookie (`mock_session`, path-scoped to the authorization endpoint) and
//! refuses a step that comes without it; it notes the cookies and fields
//! each origin received, so a scenario can show what crossed. The consent
//! form carries a CSRF token ([`pages::CSRF_FIELD`]) that an approval must
//! return (RFC 6749 §10.12), the way Django's forms do, and the session
//! cookie is `SameSite=Lax`.

pub mod browser_headers;
pub mod login_origin;
mod response;

use response::{code_redirect, error_redirect};

use super::faults::ServerFault;
use super::http::{MockRequest, MockResponse, param};
use super::login_pages::{self as pages, LOGIN_SUFFIX, LoginPages};
use super::state::{
    IssuedCode, MockClient, MockState, PendingAuthorization, Received, Side, UnknownScopeAlone,
};
use super::tokens::{CODE_LIFETIME_MS, random_token};

/// The target's session cookie.
pub const SESSION_COOKIE: &str = "mock_session";

pub(super) fn html(status: u16, body: String) -> MockResponse {
    MockResponse {
        status,
        headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
        body: format!("<!doctype html><html><head><title>Mock authorization</title></head><body>{body}</body></html>").into_bytes(),
    }
}

/// RFC 6749 §3.1.2.2-4, RFC 9700 §2.1: only a registered redirect URI,
/// matched exactly, may be redirected to. One faulty server matches by
/// prefix (a near miss that extends a registered URI's path or query
/// passes); another takes a URI unlike any registered one (its path neither
/// extends nor is extended by a registered path, ignoring case and trailing
/// slashes) and still refuses near misses; another compares without the
/// fragment (RFC 6749 §3.1.2: a redirection URI has none); another allowed
/// the client's http redirect URI on a host that is not loopback (RFC 9700
/// §2.6), so each breaks exactly one check.
fn redirect_uri_accepted(state: &MockState, client: &MockClient, redirect_uri: &str) -> bool {
    let registered = &client.redirect_uris;
    registered.iter().any(|r| r == redirect_uri)
        || (state.breaks(ServerFault::MatchesRedirectUriByPrefix)
            && !redirect_uri.contains('#')
            && registered
                .iter()
                .any(|r| redirect_uri.starts_with(r.as_str())))
        || (state.breaks(ServerFault::IgnoresRedirectUriFragment)
            && redirect_uri
                .split_once('#')
                .is_some_and(|(bare, _)| registered.iter().any(|r| r == bare)))
        || (state.breaks(ServerFault::AllowsHttpRedirectUri)
            && redirect_uri == super::MOCK_HTTP_REDIRECT_URI)
        || (!redirect_uri.is_empty()
            && state.breaks(ServerFault::RedirectsToUnregisteredUri)
            && registered.iter().all(|r| unlike(r, redirect_uri)))
}

/// Whether `uri`'s path neither extends nor is extended by `registered`'s.
fn unlike(registered: &str, uri: &str) -> bool {
    let path = |u: &str| {
        url::Url::parse(u).map_or_else(
            |_| u.to_ascii_lowercase(),
            |u| u.path().trim_end_matches('/').to_ascii_lowercase(),
        )
    };
    let (r, u) = (path(registered), path(uri));
    !r.starts_with(&u) && !u.starts_with(&r)
}

/// The parameters an authorization request may carry: RFC 6749's and RFC
/// 7636's.
const KNOWN: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

/// RFC 6749 §3.1: unrecognised parameters are ignored. A faulty server
/// names the first one it does not know (neither RFC 6749's, RFC 7636's nor
/// one the profile documents) and refuses the request.
fn refused_unknown(state: &MockState, p: &[(String, String)]) -> Option<String> {
    if !state.breaks(ServerFault::RefusesUnknownAuthorizationParameters) {
        return None;
    }
    let documented = state.profile.authorization_code.as_ref();
    p.iter()
        .map(|(k, _)| k)
        .find(|k| {
            !KNOWN.contains(&k.as_str())
                && !documented.is_some_and(|ac| ac.extra_params.contains_key(*k))
        })
        .cloned()
}

fn params(req: &MockRequest) -> Vec<(String, String)> {
    if req.method == "GET" {
        req.query_pairs()
    } else {
        form_urlencoded::parse(&req.body).into_owned().collect()
    }
}

/// The value of cookie `name` in the request's `Cookie` header.
pub(super) fn cookie<'a>(req: &'a MockRequest, name: &str) -> Option<&'a str> {
    req.header("cookie")?
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

/// Notes what an origin received, for the cross-origin scenarios.
pub(super) fn note(state: &mut MockState, side: Side, req: &MockRequest) {
    let query = req.path_and_query.split_once('?').map_or("", |(_, q)| q);
    state.received.push(Received {
        side,
        path: req.path.clone(),
        cookie: req.header("cookie").unwrap_or_default().to_owned(),
        fields: format!("{query}&{}", String::from_utf8_lossy(&req.body)),
    });
}

fn expired() -> MockResponse {
    html(
        400,
        "<h1>Session expired</h1><p>Start again from the application.</p>".into(),
    )
}

/// The authorization in progress that `req` continues: its session must be
/// known and its session cookie present, as a browser would send it.
fn pending(
    state: &MockState,
    req: &MockRequest,
) -> Result<(String, PendingAuthorization), MockResponse> {
    let p = params(req);
    let mut session = param(&p, "session").unwrap_or_default().to_owned();
    // The server without CSRF protection finds the authorization by the
    // session cookie alone, so its forms' session field guards nothing; so
    // does one whose consent form carries no token (nor session field).
    if !state.sessions.contains_key(&session)
        && (state.breaks(ServerFault::ConsentWithoutCsrfProtection) || !state.consent_has_token())
        && let Some((found, _)) = state
            .sessions
            .iter()
            .find(|(_, s)| cookie(req, SESSION_COOKIE) == Some(s.cookie.as_str()))
    {
        session = found.clone();
    }
    let pending = state.sessions.get(&session).cloned().ok_or_else(expired)?;
    if cookie(req, SESSION_COOKIE) != Some(pending.cookie.as_str()) {
        return Err(html(
            400,
            "<h1>Session cookie missing</h1><p>Enable cookies and start again.</p>".into(),
        ));
    }
    Ok((session, pending))
}

/// Whether `username` and `password` are a user's (RFC 6749 §3.1: the
/// server verifies the resource owner's identity); a faulty server takes
/// any password for a user name it knows.
pub(super) fn check_login(state: &MockState, p: &[(String, String)]) -> Option<String> {
    let any = state.breaks(ServerFault::AcceptsAnyPassword);
    state
        .users
        .iter()
        .find(|u| {
            Some(u.username.as_str()) == param(p, "username")
                && (any || Some(u.password.as_str()) == param(p, "password"))
        })
        .map(|u| u.username.clone())
}

fn accounts_of(state: &MockState, username: &str) -> Vec<String> {
    state
        .users
        .iter()
        .find(|u| u.username == username)
        .map(|u| u.accounts.clone())
        .unwrap_or_default()
}

/// `GET <authorize_path>?response_type=code&…`
pub fn start(state: &mut MockState, req: &MockRequest, authorize_path: &str) -> MockResponse {
    note(state, Side::Target, req);
    if state.breaks(ServerFault::ServesAuthorizationByPostOnly) {
        return MockResponse::oauth_error(405, "invalid_request", "use POST")
            .replace_header("content-type", "text/plain")
            .header("allow", "POST");
    }
    let p = params(req);
    let Some(client_id) = param(&p, "client_id") else {
        if state.breaks(ServerFault::RedirectsWithoutClientId)
            && let Some(redirect_uri) = param(&p, "redirect_uri")
        {
            let st = param(&p, "state");
            return error_redirect(
                state,
                redirect_uri,
                "invalid_request",
                "client_id is missing",
                st,
            );
        }
        return html(
            400,
            "<h1>Invalid request</h1><p>client_id is missing.</p>".into(),
        );
    };
    let Some(client) = state.client(client_id).cloned() else {
        if state.breaks(ServerFault::RedirectsUnknownClient)
            && let Some(redirect_uri) = param(&p, "redirect_uri")
        {
            let st = param(&p, "state");
            return error_redirect(state, redirect_uri, "invalid_request", "Unknown client", st);
        }
        return html(
            400,
            "<h1>Invalid client</h1><p>Unknown client_id.</p>".into(),
        );
    };
    let redirect_uri = param(&p, "redirect_uri").unwrap_or("");
    if !redirect_uri_accepted(state, &client, redirect_uri) {
        // Never redirect to an unregistered URI (§3.1.2.4, §4.1.2.1).
        return html(
            400,
            "<h1>Invalid request</h1><p>redirect_uri is not registered for this client.</p>".into(),
        );
    }
    let st = param(&p, "state");
    let refuse = |error: &str, description: &str| {
        error_redirect(state, redirect_uri, error, description, st)
    };
    if param(&p, "response_type") != Some("code") {
        // §3.1.1: an error redirect (§4.1.2.1); a faulty server shows a page.
        if state.breaks(ServerFault::ResponseTypeErrorPage) {
            return html(
                400,
                "<h1>Unsupported response type</h1><p>Only response_type=code is supported.</p>"
                    .into(),
            );
        }
        // §4.1.2.1: a missing parameter is invalid_request; a value the
        // server does not support is unsupported_response_type.
        return match param(&p, "response_type") {
            None => refuse("invalid_request", "response_type is missing"),
            Some(_) => refuse(
                "unsupported_response_type",
                "Only response_type=code is supported",
            ),
        };
    }
    if let Some(unknown) = refused_unknown(state, &p) {
        return refuse("invalid_request", &format!("Unknown parameter {unknown}"));
    }
    let pkce_required = state
        .profile
        .authorization_code
        .as_ref()
        .is_some_and(|a| a.pkce || a.pkce_required);
    let challenge = param(&p, "code_challenge").map(str::to_owned);
    let method = param(&p, "code_challenge_method");
    // RFC 7636 §4.4.1: a method the server does not support is refused with
    // invalid_request; a faulty server ignores one it has never heard of
    // (neither plain nor S256) and binds the challenge as S256.
    let ignored = !matches!(method, None | Some("plain"))
        && state.breaks(ServerFault::IgnoresUnknownChallengeMethod);
    if challenge.is_some() && method != Some("S256") && !ignored {
        return refuse(
            "invalid_request",
            "Only code_challenge_method=S256 is supported",
        );
    }
    // RFC 7636 §4.4.1: a server that requires PKCE refuses a request
    // without a challenge; a faulty one issues a code all the same.
    if pkce_required
        && challenge.is_none()
        && !state.breaks(ServerFault::IssuesCodeWithoutRequiredChallenge)
    {
        return refuse("invalid_request", "code_challenge is required");
    }
    let requested = param(&p, "scope").filter(|s| !s.is_empty());
    let unknown = |s: &&str| !s.is_empty() && !client.scopes.iter().any(|a| a == s);
    let all_unknown =
        requested.is_some_and(|r| r.split(' ').filter(|s| !s.is_empty()).all(|s| unknown(&s)));
    let lone = state.unknown_scope_alone;
    let (scope, scope_unsaid) = match requested {
        // RFC 6749 §3.3: without scope, the pre-defined default; and so for
        // a lone unknown scope, from a server that ignores it.
        None => (state.default_scope_for(&client), false),
        Some(_) if all_unknown && lone.grants_default() => (
            state.default_scope_for(&client),
            lone == UnknownScopeAlone::DefaultUnsaid,
        ),
        Some(scope) => (scope.to_owned(), false),
    };
    if scope.split(' ').any(|s| unknown(&s)) {
        return refuse("invalid_scope", "The requested scope is not allowed");
    }
    let session = random_token();
    let pending = PendingAuthorization {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.to_owned(),
        scope,
        scope_unsaid,
        state: st.map(str::to_owned),
        code_challenge: challenge,
        user: None,
        cookie: random_token(),
        login_cookie: None,
        csrf_token: random_token(),
    };
    // Scoped to the authorize path's directory, where the pages post
    // (`/authorize` -> `/`, `/api/o/authorize/` -> itself): RFC 6265 §5.1.4
    // would not send a cookie of path `/authorize` to `/authorizelogin`.
    let cookie_path = authorize_path
        .rfind('/')
        .map_or("/", |i| &authorize_path[..=i]);
    // SameSite=Lax (or Strict) keeps the cookie off a cross-site POST:
    // CSRF protection of its own, which the server without any drops.
    let same_site = state
        .session_same_site()
        .map(|s| format!("; SameSite={s}"))
        .unwrap_or_default();
    let set_cookie = format!(
        "{SESSION_COOKIE}={}; Path={cookie_path}; HttpOnly{same_site}",
        pending.cookie
    );
    state
        .cookies_set
        .push((Side::Target, pending.cookie.clone()));
    state.sessions.insert(session.clone(), pending);
    first_page(state, &session, authorize_path).header("set-cookie", set_cookie)
}

/// What the user sees first: the login page, the login origin, or (already
/// logged in) the consent page or the code.
fn first_page(state: &mut MockState, session: &str, authorize_path: &str) -> MockResponse {
    match state.login_pages {
        LoginPages::NoLogin => {
            let user = state.users.first().map(|u| u.username.clone());
            if let Some(s) = state.sessions.get_mut(session) {
                s.user = user.clone();
            }
            let accounts = user.map(|u| accounts_of(state, &u)).unwrap_or_default();
            if accounts.len() > 1 {
                return consent_page(state, session, authorize_path);
            }
            let Some(pending) = state.sessions.remove(session) else {
                return expired();
            };
            issue_code(state, pending, accounts.first().cloned())
        }
        LoginPages::SecondOrigin => match &state.login_origin {
            Some(login_page) => MockResponse {
                status: 302,
                headers: vec![("location".into(), format!("{login_page}?session={session}"))],
                body: Vec::new(),
            },
            None => html(500, "<h1>No login origin is running</h1>".into()),
        },
        pages => html(
            200,
            pages::login_form(
                pages,
                &format!("{authorize_path}{LOGIN_SUFFIX}"),
                session,
                "Log in to authorize the application.",
            ),
        ),
    }
}

/// The consent page for the session's user.
pub(super) fn consent_page(state: &MockState, session: &str, authorize_path: &str) -> MockResponse {
    let Some(pending) = state.sessions.get(session) else {
        return expired();
    };
    let Some(user) = &pending.user else {
        return html(400, "<h1>Not logged in</h1>".into());
    };
    let accounts = accounts_of(state, user);
    html(
        200,
        pages::consent(
            state.login_pages,
            &pages::Consent {
                authorize_path,
                session,
                csrf_token: state
                    .consent_has_token()
                    .then_some(pending.csrf_token.as_str()),
                client_id: &pending.client_id,
                scope: &pending.scope,
                accounts: &accounts,
            },
        ),
    )
}

/// `POST <authorize_path>login`: check the password, then show the consent
/// page (or the interstitial before it).
pub fn login(state: &mut MockState, req: &MockRequest, authorize_path: &str) -> MockResponse {
    note(state, Side::Target, req);
    let (session, _) = match pending(state, req) {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    let Some(user) = check_login(state, &params(req)) else {
        let action = format!("{authorize_path}{LOGIN_SUFFIX}");
        return html(
            200,
            pages::login_form(
                state.login_pages,
                &action,
                &session,
                "Wrong username or password.",
            ),
        );
    };
    if let Some(s) = state.sessions.get_mut(&session) {
        s.user = Some(user);
    }
    if state.breaks(ServerFault::LoginAnswered307) {
        // RFC 9700 §4.12: a 307 has the browser repeat this POST, password
        // and all, at its target (here the server's own consent step).
        return MockResponse {
            status: 307,
            headers: vec![(
                "location".into(),
                format!("{authorize_path}{}", pages::CONTINUE_SUFFIX),
            )],
            body: Vec::new(),
        };
    }
    if state.login_pages == LoginPages::Interstitial {
        return html(200, pages::interstitial(authorize_path, &session));
    }
    consent_page(state, &session, authorize_path)
}

/// `POST <authorize_path>continue` (the interstitial) and `GET
/// <authorize_path>consent-page` (back from the login origin): the consent
/// page.
pub fn to_consent(state: &mut MockState, req: &MockRequest, authorize_path: &str) -> MockResponse {
    note(state, Side::Target, req);
    match pending(state, req) {
        Ok((session, _)) => consent_page(state, &session, authorize_path),
        Err(refused) => refused,
    }
}

/// `POST <authorize_path>consent`: approve or deny, as the page's shape
/// submits it.
pub fn consent(state: &mut MockState, req: &MockRequest) -> MockResponse {
    note(state, Side::Target, req);
    let (session, pending) = match pending(state, req) {
        Ok(found) => found,
        Err(refused) => return refused,
    };
    state.sessions.remove(&session);
    let Some(username) = pending.user.clone() else {
        return html(400, "<h1>Not logged in</h1>".into());
    };
    let p = params(req);
    if !state.login_pages.approved(&p) {
        return denied(state, &pending);
    }
    if state.consent_has_token()
        && param(&p, pages::CSRF_FIELD) != Some(pending.csrf_token.as_str())
        && !state.breaks(ServerFault::ConsentWithoutCsrfProtection)
    {
        return html(
            403,
            "<h1>Forbidden</h1><p>CSRF token missing or incorrect. Start again.</p>".into(),
        );
    }
    let accounts = accounts_of(state, &username);
    let account = param(&p, "account").map(str::to_owned);
    if account.as_ref().is_none_or(|a| !accounts.contains(a)) {
        return html(400, "<h1>Choose one of your accounts</h1>".into());
    }
    issue_code(state, pending, account)
}

/// `POST <authorize_path>deny` (a second form) and `GET
/// <authorize_path>abort` (a link): the user denies.
pub fn deny(state: &mut MockState, req: &MockRequest) -> MockResponse {
    note(state, Side::Target, req);
    match pending(state, req) {
        Ok((session, pending)) => {
            state.sessions.remove(&session);
            denied(state, &pending)
        }
        Err(refused) => refused,
    }
}

fn denied(state: &MockState, pending: &PendingAuthorization) -> MockResponse {
    let error = if state.breaks(ServerFault::DenialAsServerError) {
        "server_error"
    } else {
        "access_denied"
    };
    error_redirect(
        state,
        &pending.redirect_uri,
        error,
        "The user denied access",
        pending.state.as_deref(),
    )
}

fn issue_code(
    state: &mut MockState,
    pending: PendingAuthorization,
    account: Option<String>,
) -> MockResponse {
    let code = code_for(state, pending.code_challenge.as_deref());
    state.codes.insert(
        code.clone(),
        IssuedCode {
            client_id: pending.client_id.clone(),
            redirect_uri: pending.redirect_uri.clone(),
            scope: pending.scope.clone(),
            scope_unsaid: pending.scope_unsaid,
            account,
            code_challenge: pending.code_challenge.clone(),
            expires_at_ms: state.now_ms() + CODE_LIFETIME_MS,
            used: false,
            issued: Vec::new(),
        },
    );
    code_redirect(
        state,
        &pending.redirect_uri,
        &code,
        pending.state.as_deref(),
    )
}

/// A fresh code. RFC 7636 §4.4: the challenge is kept on the server, never
/// in the code; a faulty server writes it into the code, as a JWT-like
/// base64url segment anyone can decode.
fn code_for(state: &MockState, challenge: Option<&str>) -> String {
    use base64::Engine;
    let code = random_token();
    match challenge {
        Some(challenge) if state.breaks(ServerFault::PutsChallengeInCode) => {
            let claims = serde_json::json!({
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            });
            let segment =
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
            format!("{code}.{segment}")
        }
        _ => code,
    }
}
