//! The mock's token introspection endpoint (RFC 7662), strict: the caller
//! authenticates (§2.1: "the endpoint MUST also require some form of
//! authorization"), a live access token of the caller is `active: true`
//! with the members §2.2 names, and a revoked, expired, unknown or
//! tampered one is `{"active": false}` and nothing more (§2.2). Each rule a
//! [`ServerFault`] can break.

use super::endpoint_auth::{self, Caller};
use super::faults::ServerFault;
use super::http::{MockRequest, MockResponse, param};
use super::state::MockState;

/// `POST` to the introspection endpoint.
pub fn handle(state: &mut MockState, req: &MockRequest) -> MockResponse {
    if req.method != "POST" {
        return MockResponse::oauth_error(
            405,
            "invalid_request",
            "Introspection accepts only POST",
        )
        .header("allow", "POST");
    }
    let params = endpoint_auth::form_params(req);
    let caller = match endpoint_auth::authenticate(state, req, &params) {
        Ok(Caller::Client(id)) => Some(id),
        Ok(Caller::Anonymous) if state.breaks(ServerFault::IntrospectsForAnybody) => None,
        Ok(Caller::Anonymous) => {
            return MockResponse::oauth_error(
                401,
                "invalid_client",
                "The introspection endpoint requires client authentication",
            )
            .header("www-authenticate", "Basic realm=\"oauth-conformance mock\"");
        }
        Err(refusal) => return refusal,
    };
    let Some(token) = param(&params, "token") else {
        return MockResponse::oauth_error(400, "invalid_request", "Missing token parameter");
    };
    let live = state.tokens.get(token).filter(|t| {
        let revoked = t.revoked && !state.breaks(ServerFault::IntrospectsRevokedTokensAsActive);
        let mine = caller.as_deref().is_none_or(|c| c == t.client_id);
        !revoked && mine && state.now_ms() < t.expires_at_ms
    });
    let body = match live {
        Some(issued) => {
            let client_id = if state.breaks(ServerFault::IntrospectionNamesAnotherClient) {
                "another-client".to_owned()
            } else {
                issued.client_id.clone()
            };
            let active = if state.breaks(ServerFault::IntrospectionActiveAsString) {
                serde_json::json!("true")
            } else {
                serde_json::json!(true)
            };
            let mut body = serde_json::json!({
                "active": active,
                "client_id": client_id,
                "exp": issued.expires_at_ms / 1000,
            });
            // The token type its token responses state, faults and all.
            if !state.breaks(ServerFault::OmitsTokenType) {
                let token_type = match state.breaks(ServerFault::TokenTypeMac) {
                    true => "mac",
                    false => "Bearer",
                };
                body["token_type"] = token_type.into();
            }
            if !issued.scope.is_empty() {
                body["scope"] = issued.scope.clone().into();
            }
            if let Some(account) = &issued.account {
                body["sub"] = account.clone().into();
            }
            body
        }
        None if state.breaks(ServerFault::SaysWhyTokenIsInactive) => {
            serde_json::json!({"active": false, "error_description": "The token expired or was revoked"})
        }
        None => serde_json::json!({"active": false}),
    };
    let response = MockResponse::json(200, &body).header("cache-control", "no-store");
    if state.breaks(ServerFault::IntrospectionAsText) {
        response.replace_header("content-type", "text/plain")
    } else {
        response
    }
}
