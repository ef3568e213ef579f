//! The mock's protected API: accepts a valid bearer token, refuses the rest
//! the way RFC 6750 §3 says (unless a [`ServerFault`] bends one rule).

use super::faults::{ApiFault, ServerFault};
use super::http::{MockRequest, MockResponse};
use super::state::{IssuedToken, MockState};

const REALM: &str = "oauth-conformance mock api";

pub fn handle(state: &mut MockState, req: &MockRequest) -> MockResponse {
    state.api_requests += 1;
    match authorized(state, req) {
        Ok(issued) => MockResponse::json(
            200,
            &serde_json::json!({
                "ok": true,
                "client_id": issued.client_id,
                "scope": issued.scope,
                "account": issued.account,
            }),
        ),
        Err(refusal) => bend_challenge(state, refusal),
    }
}

/// RFC 6750 §3's form of a challenge, as a faulty server breaks it: the
/// realm attribute named twice; a bare `Bearer` with no auth-param (to a
/// request without a token); a `"` in an error_description (escaped in its
/// quoted-string, so the header still parses).
fn bend_challenge(state: &MockState, refusal: MockResponse) -> MockResponse {
    let Some(value) = refusal.get_header("www-authenticate").map(str::to_owned) else {
        return refusal;
    };
    let bent = if state.breaks(ServerFault::RepeatsRealm) {
        format!("{value}, realm=\"{REALM}\"")
    } else if state.breaks(ServerFault::BareBearerChallenge) && !value.contains("error=") {
        "Bearer".to_owned()
    } else if state.breaks(ServerFault::QuoteInChallengeDescription) {
        value.replace(
            "error_description=\"",
            "error_description=\"\\\"quoted\\\" ",
        )
    } else {
        return refusal;
    };
    refusal.replace_header("www-authenticate", bent)
}

/// A resource that needs `scope`: a valid token without it gets 403 with a
/// Bearer challenge saying `insufficient_scope` and the scope (RFC 6750
/// §3.1; RFC 6749 §7: the resource server ensures the token's scope covers
/// the request). Faulty servers ignore the scope, or answer 401
/// `invalid_token` as if the token were bad.
pub fn handle_scoped(state: &mut MockState, req: &MockRequest, scope: &str) -> MockResponse {
    state.api_requests += 1;
    let issued = match authorized(state, req) {
        Ok(issued) => issued,
        Err(refusal) => return refusal,
    };
    let covered = scope
        .split(' ')
        .all(|needed| issued.scope.split(' ').any(|s| s == needed));
    if covered || state.breaks(ServerFault::IgnoresTokenScope) {
        return MockResponse::json(
            200,
            &serde_json::json!({ "ok": true, "scope": issued.scope }),
        );
    }
    if state.breaks(ServerFault::MissingScopeAsInvalidToken) {
        return invalid_token(state, "The access token is not valid");
    }
    let mut response = challenge(Some(("insufficient_scope", "The token lacks the scope")))
        .replace_header(
            "www-authenticate",
            format!(
                "Bearer realm=\"{REALM}\", error=\"insufficient_scope\", error_description=\"The token lacks the scope\", scope=\"{scope}\""
            ),
        );
    response.status = 403;
    response
}

/// The optional connection-success call (seed 001): `client_id` as form data,
/// not JSON, with a valid token of that client.
pub fn connection_success(state: &mut MockState, req: &MockRequest) -> MockResponse {
    let issued = match authorized(state, req) {
        Ok(issued) => issued,
        Err(refusal) => return refusal,
    };
    let content_type = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return MockResponse::json(
            415,
            &serde_json::json!({ "error": "unsupported_media_type", "error_description": "Send client_id as form data, not JSON" }),
        );
    }
    let client_id = form_urlencoded::parse(&req.body)
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.into_owned());
    if client_id.as_deref() != Some(issued.client_id.as_str()) {
        return MockResponse::json(
            400,
            &serde_json::json!({ "error": "invalid_request", "error_description": "client_id is missing or not the token's client" }),
        );
    }
    state.connection_successes.push(issued.client_id.clone());
    MockResponse::json(200, &serde_json::json!({ "connected": true }))
}

/// The issued token a request presents, or the RFC 6750 §3 refusal.
fn authorized(state: &MockState, req: &MockRequest) -> Result<IssuedToken, MockResponse> {
    let token = req.header("authorization").and_then(|value| {
        let (scheme, token) = value.trim().split_once(' ')?;
        // Auth schemes are case-insensitive (RFC 9110 §11.1), unless the
        // server breaks that rule.
        let bearer = match state.breaks(ServerFault::SchemeCaseSensitive) {
            true => scheme == "Bearer",
            false => scheme.eq_ignore_ascii_case("bearer"),
        };
        bearer.then(|| token.trim().to_owned())
    });
    let Some(token) = token else {
        return Err(no_token(state));
    };
    match state.faults.api {
        Some(ApiFault::RejectEveryToken) => {
            return Err(invalid_token(state, "The access token is not valid"));
        }
        Some(ApiFault::ForbidEveryRequest) => {
            let mut response = challenge(Some(("insufficient_scope", "The token lacks the scope")));
            response.status = 403;
            return Err(response);
        }
        None => {}
    }
    let issued = match state.tokens.get(&token) {
        Some(issued) => issued.clone(),
        // A fall-through to another validator for tokens unlike its own (a
        // legacy key path): one the length of an issued token is still looked
        // up, so a tampered token is the other fault's (ComparesTokenPrefix).
        None if state.breaks(ServerFault::AcceptsUnknownTokens)
            && !state.tokens.keys().any(|t| t.len() == token.len()) =>
        {
            return Ok(anybody());
        }
        None if state.breaks(ServerFault::ComparesTokenPrefix) => {
            match state
                .tokens
                .iter()
                .find(|(issued, _)| same_first_half(issued, &token))
            {
                Some((_, issued)) => issued.clone(),
                None => return Err(invalid_token(state, "The access token is not valid")),
            }
        }
        None => return Err(invalid_token(state, "The access token is not valid")),
    };
    if issued.revoked {
        return Err(invalid_token(state, "The access token was revoked"));
    }
    if state.now_ms() >= issued.expires_at_ms && !state.breaks(ServerFault::AcceptsExpiredTokens) {
        return Err(invalid_token(state, "The access token expired"));
    }
    Ok(issued)
}

/// What a faulty server compares: only the first half of the token.
fn same_first_half(issued: &str, presented: &str) -> bool {
    let half = issued.len() / 2;
    issued.len() == presented.len() && issued.get(..half) == presented.get(..half)
}

/// A 401 with a Bearer challenge (RFC 6750 §3), with an error code or not.
fn challenge(error: Option<(&str, &str)>) -> MockResponse {
    let value = match error {
        None => format!("Bearer realm=\"{REALM}\""),
        Some((code, description)) => {
            format!(
                "Bearer realm=\"{REALM}\", error=\"{code}\", error_description=\"{description}\""
            )
        }
    };
    let body = match error {
        None => serde_json::json!({ "error": "unauthorized" }),
        Some((code, description)) => {
            serde_json::json!({ "error": code, "error_description": description })
        }
    };
    MockResponse::json(401, &body).header("www-authenticate", value)
}

/// RFC 6750 §3 / §3.1: a request without any authentication gets 401 and a
/// Bearer challenge with no error code. A faulty server answers 403 (still
/// with the challenge), leaves the challenge out, or puts an error code in
/// it.
fn no_token(state: &MockState) -> MockResponse {
    if state.breaks(ServerFault::NoTokenChallengeWithError) {
        return challenge(Some(("invalid_token", "No access token was sent")));
    }
    let mut response = challenge(None);
    if state.breaks(ServerFault::NoTokenGets403) {
        response.status = 403;
    }
    if state.breaks(ServerFault::NoTokenWithoutChallenge) {
        response = response.without_header("www-authenticate");
    }
    response
}

/// RFC 6750 §3 and §3.1: a wrong, revoked or expired token gets 401 with
/// `WWW-Authenticate: Bearer error="invalid_token"`. A faulty server leaves
/// the challenge out (a MUST, §3), or the error code (a SHOULD, §3.1).
fn invalid_token(state: &MockState, description: &str) -> MockResponse {
    if state.breaks(ServerFault::InvalidTokenWithoutErrorCode) {
        return challenge(None);
    }
    let response = challenge(Some(("invalid_token", description)));
    if state.breaks(ServerFault::InvalidTokenWithoutChallenge) {
        response.without_header("www-authenticate")
    } else {
        response
    }
}

/// Who a server that accepts tokens it never issued thinks is calling: no
/// client, no scope, no account.
fn anybody() -> IssuedToken {
    IssuedToken {
        client_id: String::new(),
        scope: String::new(),
        expires_at_ms: i64::MAX,
        account: None,
        revoked: false,
    }
}
