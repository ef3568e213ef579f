//! The mock's token revocation endpoint (RFC 7009), strict: the client
//! authenticates (§2.1), a token of another client is left alone, the token
//! is found whatever its hint says (§2.1: "it MUST extend its search across
//! all of its supported token types"), an unknown hint value is ignored
//! (§2.2), a revoked refresh token takes the access tokens of its grant with
//! it (§2.1, SHOULD), and the answer is 200 for a revoked, unknown or
//! already revoked token (§2.2). Each rule a [`ServerFault`] can break.

use super::endpoint_auth::{self, Caller};
use super::faults::ServerFault;
use super::http::{MockRequest, MockResponse, param};
use super::state::MockState;

/// `POST` to the revocation endpoint.
pub fn handle(state: &mut MockState, req: &MockRequest) -> MockResponse {
    if req.method != "POST" {
        // RFC 7009 §2: "an HTTP POST request".
        return MockResponse::oauth_error(405, "invalid_request", "Revocation accepts only POST")
            .header("allow", "POST");
    }
    let params = endpoint_auth::form_params(req);
    // §2.1: the client's credentials are validated first. A faulty server
    // acts on a wrong secret as for anybody (an empty caller).
    let caller = match endpoint_auth::authenticate(state, req, &params) {
        Ok(Caller::Client(id)) => id,
        Ok(Caller::Anonymous) => {
            return MockResponse::oauth_error(
                401,
                "invalid_client",
                "The revocation endpoint requires client authentication",
            );
        }
        Err(_) if state.breaks(ServerFault::RevokesForWrongSecret) => String::new(),
        Err(refusal) => return refusal,
    };
    let Some(token) = param(&params, "token").map(str::to_owned) else {
        return MockResponse::oauth_error(400, "invalid_request", "Missing token parameter");
    };
    let hint = param(&params, "token_type_hint");
    let known_hint = matches!(hint, Some("access_token" | "refresh_token"));
    if hint.is_some() && !known_hint && state.breaks(ServerFault::RefusesUnknownTokenTypeHint) {
        return MockResponse::oauth_error(
            400,
            "unsupported_token_type",
            "The token_type_hint is not one this server knows",
        );
    }
    // §2.1: the hint only orders the search; a faulty server stops at it.
    let only_hinted = known_hint && state.breaks(ServerFault::RevocationSearchesOnlyHintedType);
    let as_access = hint != Some("refresh_token") || !only_hinted;
    let as_refresh = hint != Some("access_token") || !only_hinted;
    let owner = |client: &str| {
        client == caller
            || caller.is_empty()
            || state.breaks(ServerFault::RevokesTokensOfOtherClients)
    };
    if as_refresh && let Some(issued) = state.refresh_tokens.get(&token) {
        if !owner(&issued.client_id) {
            return revoked();
        }
        if !state.breaks(ServerFault::KeepsRevokedRefreshTokens)
            && let Some(issued) = state.refresh_tokens.get_mut(&token)
        {
            issued.revoked = true;
        }
        if !state.breaks(ServerFault::KeepsAccessTokensOfRevokedGrant)
            && let Some(grant) = state.grants.get(&token).cloned()
        {
            state.revoke_grant(&grant);
            if state.breaks(ServerFault::KeepsRevokedRefreshTokens)
                && let Some(issued) = state.refresh_tokens.get_mut(&token)
            {
                issued.revoked = false;
            }
        }
        return revoked();
    }
    if as_access && let Some(issued) = state.tokens.get(&token) {
        if owner(&issued.client_id)
            && !state.breaks(ServerFault::KeepsRevokedAccessTokens)
            && let Some(issued) = state.tokens.get_mut(&token)
        {
            issued.revoked = true;
        }
        return revoked();
    }
    // §2.2: an invalid token is answered 200 too; a faulty server refuses.
    if state.breaks(ServerFault::RefusesRevocationOfUnknownTokens) {
        return MockResponse::oauth_error(400, "invalid_request", "Unknown token");
    }
    revoked()
}

/// RFC 7009 §2.2: 200; the body is ignored by the client.
fn revoked() -> MockResponse {
    MockResponse {
        status: 200,
        headers: vec![("cache-control".into(), "no-store".into())],
        body: Vec::new(),
    }
}
