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

use super::faults::ServerFault;
use super::http::{MockRequest, MockResponse, param};
use super::state::{IssuedCode, MockClient, MockState, PendingAuthorization};
use super::tokens::{CODE_LIFETIME_MS, random_token};

/// Suffixes of the authorize path where the forms are posted.
pub const LOGIN_SUFFIX: &str = "login";
pub const CONSENT_SUFFIX: &str = "consent";

fn html(status: u16, body: String) -> MockResponse {
    MockResponse {
        status,
        headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
        body: format!("<!doctype html><html><head><title>Mock authorization</title></head><body>{body}</body></html>").into_bytes(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn redirect(redirect_uri: &str, params: &[(&str, &str)]) -> MockResponse {
    let mut url = redirect_uri.to_owned();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(&query);
    MockResponse {
        status: 302,
        headers: vec![("location".into(), url)],
        body: Vec::new(),
    }
}

/// An error redirect (RFC 6749 §4.1.2.1): the error, and the client's state
/// unchanged, unless the server drops it.
fn error_redirect(
    state: &MockState,
    redirect_uri: &str,
    error: &str,
    description: &str,
    client_state: Option<&str>,
) -> MockResponse {
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(client_state) = client_state
        && !state.breaks(ServerFault::DropsStateOnError)
    {
        params.push(("state", client_state));
    }
    redirect(redirect_uri, &params)
}

/// The success redirect (RFC 6749 §4.1.2): the code, and the client's state
/// unchanged, unless the server alters it.
fn code_redirect(
    state: &MockState,
    redirect_uri: &str,
    code: &str,
    client_state: Option<&str>,
) -> MockResponse {
    let echoed = client_state.map(|s| {
        if state.breaks(ServerFault::AltersState) {
            format!("{s}x")
        } else {
            s.to_owned()
        }
    });
    let mut params = vec![("code", code)];
    params.extend(echoed.as_deref().map(|s| ("state", s)));
    redirect(redirect_uri, &params)
}

/// RFC 6749 §3.1.2.2-4: only a registered redirect URI, matched exactly, may
/// be redirected to. A faulty server takes any URI it is given.
fn redirect_uri_accepted(state: &MockState, client: &MockClient, redirect_uri: &str) -> bool {
    client.redirect_uris.iter().any(|r| r == redirect_uri)
        || (!redirect_uri.is_empty() && state.breaks(ServerFault::RedirectsToUnregisteredUri))
}

fn params(req: &MockRequest) -> Vec<(String, String)> {
    if req.method == "GET" {
        req.query_pairs()
    } else {
        form_urlencoded::parse(&req.body).into_owned().collect()
    }
}

fn login_page(authorize_path: &str, session: &str, message: &str) -> MockResponse {
    html(
        200,
        format!(
            "<h1>Log in</h1><p>{message}</p>\
             <form method=\"post\" action=\"{authorize_path}{LOGIN_SUFFIX}\">\
             <input type=\"hidden\" name=\"session\" value=\"{session}\">\
             <label>Username <input name=\"username\"></label>\
             <label>Password <input type=\"password\" name=\"password\"></label>\
             <button type=\"submit\">Log in</button></form>"
        ),
    )
}

/// `GET <authorize_path>?response_type=code&…`
pub fn start(state: &mut MockState, req: &MockRequest, authorize_path: &str) -> MockResponse {
    let p = params(req);
    let Some(client_id) = param(&p, "client_id") else {
        return html(
            400,
            "<h1>Invalid request</h1><p>client_id is missing.</p>".into(),
        );
    };
    let Some(client) = state.client(client_id).cloned() else {
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
        return refuse(
            "unsupported_response_type",
            "Only response_type=code is supported",
        );
    }
    let pkce_required = state
        .profile
        .authorization_code
        .as_ref()
        .is_some_and(|a| a.pkce);
    let challenge = param(&p, "code_challenge").map(str::to_owned);
    if challenge.is_some() && param(&p, "code_challenge_method") != Some("S256") {
        return refuse(
            "invalid_request",
            "Only code_challenge_method=S256 is supported",
        );
    }
    if pkce_required && challenge.is_none() {
        return refuse("invalid_request", "code_challenge is required");
    }
    let scope = param(&p, "scope").unwrap_or_default().to_owned();
    if scope
        .split(' ')
        .any(|s| !s.is_empty() && !client.scopes.iter().any(|a| a == s))
    {
        return refuse("invalid_scope", "The requested scope is not allowed");
    }
    let session = random_token();
    state.sessions.insert(
        session.clone(),
        PendingAuthorization {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            scope,
            state: st.map(str::to_owned),
            code_challenge: challenge,
            user: None,
        },
    );
    login_page(
        authorize_path,
        &session,
        "Log in to authorize the application.",
    )
}

/// `POST <authorize_path>login`: check the password, then show the consent page.
pub fn login(state: &mut MockState, req: &MockRequest, authorize_path: &str) -> MockResponse {
    let p = params(req);
    let session = param(&p, "session").unwrap_or_default().to_owned();
    let Some(pending) = state.sessions.get(&session).cloned() else {
        return html(
            400,
            "<h1>Session expired</h1><p>Start again from the application.</p>".into(),
        );
    };
    let user = state
        .users
        .iter()
        .find(|u| {
            Some(u.username.as_str()) == param(&p, "username")
                && Some(u.password.as_str()) == param(&p, "password")
        })
        .cloned();
    let Some(user) = user else {
        return login_page(authorize_path, &session, "Wrong username or password.");
    };
    if let Some(s) = state.sessions.get_mut(&session) {
        s.user = Some(user.username.clone());
    }
    // Several accounts: the user must choose one (seed 001). One: no choice.
    let accounts = if user.accounts.len() > 1 {
        let options: String = user
            .accounts
            .iter()
            .map(|a| format!("<option value=\"{a}\">{a}</option>", a = escape(a)))
            .collect();
        format!("<label>Account <select name=\"account\">{options}</select></label>")
    } else {
        let only = user
            .accounts
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        format!(
            "<input type=\"hidden\" name=\"account\" value=\"{}\">",
            escape(only)
        )
    };
    html(
        200,
        format!(
            "<h1>Authorize {client}</h1><p>{client} asks for: {scope}</p>\
             <form method=\"post\" action=\"{authorize_path}{CONSENT_SUFFIX}\">\
             <input type=\"hidden\" name=\"session\" value=\"{session}\">{accounts}\
             <input type=\"submit\" value=\"Cancel\">\
             <input type=\"submit\" name=\"allow\" value=\"Authorize\"></form>",
            client = escape(&pending.client_id),
            scope = escape(&pending.scope),
        ),
    )
}

/// `POST <authorize_path>consent`: approve (with `allow`) or deny.
pub fn consent(state: &mut MockState, req: &MockRequest) -> MockResponse {
    let p = params(req);
    let session = param(&p, "session").unwrap_or_default().to_owned();
    let Some(pending) = state.sessions.remove(&session) else {
        return html(
            400,
            "<h1>Session expired</h1><p>Start again from the application.</p>".into(),
        );
    };
    let Some(username) = pending.user.clone() else {
        return html(400, "<h1>Not logged in</h1>".into());
    };
    if param(&p, "allow").is_none() {
        let error = if state.breaks(ServerFault::DenialAsServerError) {
            "server_error"
        } else {
            "access_denied"
        };
        return error_redirect(
            state,
            &pending.redirect_uri,
            error,
            "The user denied access",
            pending.state.as_deref(),
        );
    }
    let accounts = state
        .users
        .iter()
        .find(|u| u.username == username)
        .map(|u| u.accounts.clone())
        .unwrap_or_default();
    let account = param(&p, "account").map(str::to_owned);
    if account.as_ref().is_none_or(|a| !accounts.contains(a)) {
        return html(400, "<h1>Choose one of your accounts</h1>".into());
    }
    let code = random_token();
    state.codes.insert(
        code.clone(),
        IssuedCode {
            client_id: pending.client_id.clone(),
            redirect_uri: pending.redirect_uri.clone(),
            scope: pending.scope.clone(),
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
