//! The mock's protected API: accepts a valid bearer token, refuses the rest
//! the way RFC 6750 §3 says.

use super::faults::ApiFault;
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
        Err(refusal) => refusal,
    }
}

/// The optional connection-success call (seed 001): `client_id` as form data,
/// not JSON, with a valid token of that client.
pub fn connection_success(state: &mut MockState, req: &MockRequest) -> MockResponse {
    let issued = match authorized(state, req) {
        Ok(issued) => issued.clone(),
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
fn authorized<'a>(
    state: &'a MockState,
    req: &MockRequest,
) -> Result<&'a IssuedToken, MockResponse> {
    let challenge = |error: Option<(&str, &str)>| {
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
    };
    let token = req.header("authorization").and_then(|value| {
        let (scheme, token) = value.trim().split_once(' ')?;
        // Auth schemes are case-insensitive (RFC 7235 §2.1).
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_owned())
    });
    // RFC 6750 §3.1: no credentials at all -> no error code.
    let Some(token) = token else {
        return Err(challenge(None));
    };
    match state.api_fault {
        Some(ApiFault::RejectEveryToken) => {
            return Err(challenge(Some((
                "invalid_token",
                "The access token is not valid",
            ))));
        }
        Some(ApiFault::ForbidEveryRequest) => {
            let mut response = challenge(Some(("insufficient_scope", "The token lacks the scope")));
            response.status = 403;
            return Err(response);
        }
        None => {}
    }
    let Some(issued) = state.tokens.get(&token) else {
        return Err(challenge(Some((
            "invalid_token",
            "The access token is not valid",
        ))));
    };
    if issued.revoked {
        return Err(challenge(Some((
            "invalid_token",
            "The access token was revoked",
        ))));
    }
    if state.now_ms() >= issued.expires_at_ms {
        return Err(challenge(Some((
            "invalid_token",
            "The access token expired",
        ))));
    }
    Ok(issued)
}
