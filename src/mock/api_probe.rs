//! The mock's protected API: accepts a valid bearer token, refuses the rest
//! the way RFC 6750 §3 says.

use super::faults::ApiFault;
use super::http::{MockRequest, MockResponse};
use super::state::MockState;

const REALM: &str = "oauth-conformance mock api";

pub fn handle(state: &mut MockState, req: &MockRequest) -> MockResponse {
    state.api_requests += 1;
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
        return challenge(None);
    };
    match state.api_fault {
        Some(ApiFault::RejectEveryToken) => {
            return challenge(Some(("invalid_token", "The access token is not valid")));
        }
        Some(ApiFault::ForbidEveryRequest) => {
            let mut response = challenge(Some(("insufficient_scope", "The token lacks the scope")));
            response.status = 403;
            return response;
        }
        None => {}
    }
    let Some(issued) = state.tokens.get(&token) else {
        return challenge(Some(("invalid_token", "The access token is not valid")));
    };
    if state.now_ms() >= issued.expires_at_ms {
        return challenge(Some(("invalid_token", "The access token expired")));
    }
    MockResponse::json(
        200,
        &serde_json::json!({ "ok": true, "client_id": issued.client_id, "scope": issued.scope }),
    )
}
