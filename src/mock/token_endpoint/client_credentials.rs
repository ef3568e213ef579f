//! The client credentials grant (RFC 6749 §4.4): the client asks for itself,
//! with the extra parameters its profile documents (an audience, say), and
//! gets the scope it asked for if it was given that scope.

use crate::mock::faults::ServerFault;
use crate::mock::http::{MockResponse, param};
use crate::mock::state::{MockState, UnknownScopeAlone};

use super::{mint, responses};

/// An access token for the authenticated client, or the §5.2 refusal.
pub(super) fn grant(
    state: &mut MockState,
    client_id: &str,
    params: &[(String, String)],
) -> MockResponse {
    let get = |name: &str| param(params, name);
    if let Err(response) = expect_extra_params(state, params) {
        return response;
    }
    let requested = get("scope");
    let (granted, unsaid) = match grant_scope(state, client_id, requested) {
        Ok(granted) => granted,
        Err(response) => return response,
    };
    let (_, body) =
        match mint::issue_access_token(state, client_id, &granted, None, get("organization")) {
            Ok(issued) => issued,
            Err(response) => return response,
        };
    match unsaid {
        // As though the request had been granted as asked.
        true => responses::token_response(state, body, Some(&granted), &granted, false),
        false => {
            let always_scope = state.profile.mock.returns_scope;
            responses::token_response(state, body, requested, &granted, always_scope)
        }
    }
}

/// The profile's extra parameters (login3's `audience`), each present with
/// its documented value, or `invalid_request`.
fn expect_extra_params(state: &MockState, params: &[(String, String)]) -> Result<(), MockResponse> {
    for (name, expected) in &state.profile.token_params() {
        let description = match param(params, name) {
            None => format!("Missing {name} parameter"),
            Some(v) if v != expected => format!("Unknown {name}"),
            Some(_) => continue,
        };
        return Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            &description,
        ));
    }
    Ok(())
}

/// The scope to grant, and whether the response leaves out that it differs
/// from the request (see [`UnknownScopeAlone::DefaultUnsaid`]); or
/// `invalid_scope` (RFC 6749 §3.3, §5.2).
fn grant_scope(
    state: &MockState,
    client_id: &str,
    requested: Option<&str>,
) -> Result<(String, bool), MockResponse> {
    let lone = state.unknown_scope_alone;
    let default = || {
        state
            .client(client_id)
            .map(|c| state.default_scope_for(c))
            .unwrap_or_default()
    };
    match scope_asked(state, client_id, requested) {
        Err(Refusal::AllUnknown(_)) if lone.grants_default() => {
            // RFC 6749 §3.3: the server MAY ignore the scope requested.
            Ok((default(), lone == UnknownScopeAlone::DefaultUnsaid))
        }
        Err(Refusal::AllUnknown(unknown)) => Err(bad_scope(state, &unknown)),
        Err(Refusal::Other(response)) => Err(response),
        Ok(scope) => Ok((scope, false)),
    }
}

/// Why a request's scope is not granted as it stands.
enum Refusal {
    /// Every scope it names is one the client was not given.
    AllUnknown(String),
    /// Any other refusal, as the server sends it.
    Other(MockResponse),
}

/// The scope a request gets by the scopes it names, or why not.
fn scope_asked(
    state: &MockState,
    client_id: &str,
    requested: Option<&str>,
) -> Result<String, Refusal> {
    let client = state.client(client_id);
    let allowed = client.map(|c| c.scopes.clone()).unwrap_or_default();
    match requested {
        // Neither a default scope nor invalid_scope (RFC 6749 §3.3): a 403
        // with no body, as a server that requires scope everywhere answers.
        None if state.breaks(ServerFault::RefusesEveryRequestWithoutScope) => {
            Err(Refusal::Other(MockResponse {
                status: 403,
                headers: Vec::new(),
                body: Vec::new(),
            }))
        }
        None if state.without_default_scope.iter().any(|c| c == client_id) => {
            // RFC 6749 §3.3: no default, so the request fails as an invalid
            // scope; a faulty server calls it a malformed request.
            let error = if state.breaks(ServerFault::OmittedScopeAsInvalidRequest) {
                "invalid_request"
            } else {
                "invalid_scope"
            };
            Err(Refusal::Other(MockResponse::oauth_error(
                400,
                error,
                "This client has no default scope: name the scope it asks for",
            )))
        }
        None => Ok(client
            .map(|c| state.default_scope_for(c))
            .unwrap_or_default()),
        Some("*") if state.profile.mock.star_means_all => Ok(allowed.join(" ")),
        Some(requested) => {
            let unknown: Vec<&str> = requested
                .split(' ')
                .filter(|s| !allowed.iter().any(|a| a == s))
                .collect();
            let narrowed: Vec<&str> = requested
                .split(' ')
                .filter(|s| allowed.iter().any(|a| a == s))
                .collect();
            let narrows = state.narrows_scopes || state.breaks(ServerFault::NarrowsScopeSilently);
            if requested.is_empty() {
                Err(Refusal::Other(bad_scope(state, "")))
            } else if unknown.is_empty() || state.breaks(ServerFault::GrantsUnknownScope) {
                Ok(requested.to_owned())
            } else if narrows && !narrowed.is_empty() {
                // RFC 6749 §3.3: the server MAY ignore part of the request.
                Ok(narrowed.join(" "))
            } else if narrowed.is_empty() {
                Err(Refusal::AllUnknown(unknown.join(" ")))
            } else {
                Err(Refusal::Other(bad_scope(state, &unknown.join(" "))))
            }
        }
    }
}

/// A scope the client may not have: `invalid_scope` (RFC 6749 §5.2), or the
/// wrong code from a server that calls it `invalid_request`.
fn bad_scope(state: &MockState, unknown: &str) -> MockResponse {
    let error = if state.breaks(ServerFault::BadScopeAsInvalidRequest) {
        "invalid_request"
    } else {
        "invalid_scope"
    };
    MockResponse::oauth_error(
        400,
        error,
        &format!("Scope not allowed for this client: {unknown}"),
    )
}
