//! The refresh token grant (RFC 6749 §6): a live refresh token of this client
//! gets a new access token; whether it also gets a new refresh token is the
//! server's choice (rotation, switchable per scenario).

use crate::mock::faults::ServerFault;
use crate::mock::http::{MockResponse, param};
use crate::mock::state::{IssuedRefresh, IssuedToken, MockState};

use super::mint;
use super::responses::{self, invalid_grant};

/// RFC 6749 §6: a live refresh token of this client gets a new access token;
/// with rotation, a new refresh token too, and the old one stops working.
pub(super) fn refresh(
    state: &mut MockState,
    client_id: &str,
    params: &[(String, String)],
) -> MockResponse {
    let Some(token) = param(params, "refresh_token").map(str::to_owned) else {
        return MockResponse::oauth_error(
            400,
            "invalid_request",
            "Missing refresh_token parameter",
        );
    };
    let issued = match state.refresh_tokens.get(&token).cloned() {
        Some(issued) => issued,
        None if state.breaks(ServerFault::AcceptsUnknownRefreshToken) => {
            invent_refresh_token(state, &token, client_id)
        }
        None => return invalid_grant("Unknown refresh token"),
    };
    if issued.revoked {
        // RFC 9700 §4.14.2: a rotated (invalidated) refresh token presented
        // again tells of a breach; the server revokes the active one (the
        // whole grant here). A faulty server keeps it.
        if state.rotated_away.contains(&token)
            && !state.breaks(ServerFault::KeepsActiveRefreshTokenOnReuse)
            && let Some(grant) = state.grants.get(&token).cloned()
        {
            state.revoke_grant(&grant);
        }
        return invalid_grant("The refresh token was revoked");
    }
    if issued.client_id != client_id
        && !state.breaks(ServerFault::AcceptsRefreshTokenOfAnotherClient)
    {
        return invalid_grant("The refresh token was issued to another client");
    }
    if state.now_ms() >= issued.expires_at_ms {
        return invalid_grant("The refresh token expired");
    }
    let scope = match refreshed_scope(state, &issued, param(params, "scope")) {
        Ok(scope) => scope,
        Err(refusal) => return refusal,
    };
    let requested = param(params, "scope").map(str::to_owned);
    // RFC 6749 §6: a new refresh token has the scope of the one it replaces,
    // whatever the refresh asked for; a faulty server narrows it.
    let kept_scope = match state.breaks(ServerFault::NarrowsRotatedRefreshToken) {
        true => scope.clone(),
        false => issued.scope.clone(),
    };
    let issued = IssuedRefresh { scope, ..issued };
    let new_access = if state.breaks(ServerFault::RefreshReturnsSameAccessToken) {
        Ok(renew_access_token(state, &issued))
    } else {
        mint::issue_access_token(
            state,
            client_id,
            &issued.scope,
            issued.account.clone(),
            None,
        )
    };
    let (access, mut body) = match new_access {
        Ok(issued) => issued,
        Err(response) => return response,
    };
    if let Some(grant) = state.grants.get(&token).cloned() {
        state.grants.insert(access.clone(), grant);
    }
    let rotates =
        state.rotate_refresh_tokens && !state.breaks(ServerFault::StopsRotatingRefreshTokens);
    if rotates {
        // RFC 9700 §4.14.2: the previous refresh token is invalidated; a
        // faulty server lets it work on.
        let keeps_old = state.breaks(ServerFault::AcceptsRotatedRefreshToken);
        if !keeps_old {
            state.rotated_away.insert(token.clone());
        }
        if let Some(old) = state.refresh_tokens.get_mut(&token)
            && !keeps_old
        {
            old.revoked = true;
        }
        let new = mint::issue_refresh_token(
            state,
            client_id,
            &kept_scope,
            issued.account.clone(),
            &access,
        );
        body["refresh_token"] = serde_json::Value::String(new);
    } else if let Some(kept) = state.refresh_tokens.get_mut(&token) {
        kept.access_token = access;
    }
    responses::token_response(state, body, requested.as_deref(), &issued.scope, true)
}

/// RFC 6749 §6: the requested scope must not include any scope the grant did
/// not have; omitted, it is the grant's scope. A faulty server widens it.
fn refreshed_scope(
    state: &MockState,
    issued: &IssuedRefresh,
    requested: Option<&str>,
) -> Result<String, MockResponse> {
    let Some(requested) = requested else {
        return Ok(issued.scope.clone());
    };
    let granted: Vec<&str> = issued.scope.split(' ').collect();
    let wider = requested.split(' ').any(|s| !granted.contains(&s));
    if wider && !state.breaks(ServerFault::WidensScopeOnRefresh) {
        return Err(MockResponse::oauth_error(
            400,
            "invalid_scope",
            "The requested scope exceeds the scope originally granted",
        ));
    }
    Ok(requested.to_owned())
}

/// What a server that accepts refresh tokens it never issued makes of one:
/// a grant of the presenting client with the code flow's default scope.
fn invent_refresh_token(state: &mut MockState, token: &str, client_id: &str) -> IssuedRefresh {
    let scope = state
        .profile
        .authorization_code
        .as_ref()
        .and_then(|a| a.default_scope.clone())
        .unwrap_or_default();
    let invented = IssuedRefresh {
        client_id: client_id.to_owned(),
        scope,
        account: None,
        expires_at_ms: i64::MAX / 2,
        revoked: false,
        access_token: String::new(),
    };
    state
        .refresh_tokens
        .insert(token.to_owned(), invented.clone());
    invented
}

/// What a server that answers a refresh with the access token the grant
/// already holds hands out: that same string, alive for a full lifetime
/// again, so the §5.1 response it comes in is otherwise true. (Its JWT
/// claims, if any, are not re-signed: no profile with refresh uses JWTs.)
fn renew_access_token(state: &mut MockState, grant: &IssuedRefresh) -> (String, serde_json::Value) {
    let access_token = grant.access_token.clone();
    let expires_at_ms = state.now_ms() + mint::real_lifetime_ms(state);
    state.tokens.insert(
        access_token.clone(),
        IssuedToken {
            client_id: grant.client_id.clone(),
            scope: grant.scope.clone(),
            expires_at_ms,
            account: grant.account.clone(),
            revoked: false,
        },
    );
    let body = mint::token_body(state, &access_token);
    (access_token, body)
}
