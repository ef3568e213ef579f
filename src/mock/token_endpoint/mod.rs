//! The mock token endpoint: accepts only the request shape and credentials the
//! profile documents, and refuses everything else the way RFC 6749 §5.2 says.
//!
//! A request passes the same gates in order, whatever its grant: method,
//! parameters, grant type, body encoding, client authentication; only then
//! does its grant's own module (`client_credentials`, `authorization_code`,
//! `refresh`) decide, minting tokens through `mint`.
//!
//! A [`ServerFault`] is consulted where the rule it breaks is enforced; only
//! the faults in the form of a response (headers, media type, status) are
//! applied where responses are finished, in `responses`: on tokens and on
//! refusals.

mod authorization_code;
mod client_auth;
mod client_credentials;
mod mint;
mod params;
mod password;
mod refresh;
mod responses;
#[cfg(test)]
mod tests;

use crate::mock::faults::ServerFault;
use crate::mock::http::{MockRequest, MockResponse, param};
use crate::mock::state::MockState;

/// Handles one request to the token endpoint.
pub fn handle(state: &mut MockState, req: &MockRequest) -> MockResponse {
    state.token_requests += 1;
    if let Some(fault) = state.faults.token_endpoint.clone()
        && let Some(response) = responses::faulty_answer(&fault, req)
    {
        return response;
    }
    // Every refusal, whichever rule it enforces, leaves through finish_error.
    let response = answer(state, req);
    if response.status >= 400 {
        responses::finish_error(state, response)
    } else {
        response
    }
}

/// The token endpoint's answer to one request, before error faults apply.
fn answer(state: &mut MockState, req: &MockRequest) -> MockResponse {
    if !params::accepts_method(state, req) {
        // RFC 6749 §3.2: the client MUST use POST.
        return MockResponse::oauth_error(
            405,
            "invalid_request",
            "The token endpoint accepts only POST",
        )
        .header("allow", "POST");
    }
    let params = match params::read(state, req) {
        Ok(p) => p,
        Err(response) => return response,
    };
    if let Err(response) = params::refuse_repeated(state, &params) {
        return response;
    }
    if let Err(response) = params::refuse_unknown(state, &params) {
        return response;
    }
    let grant_type = match grant_type(state, &params) {
        Ok(grant_type) => grant_type,
        Err(response) => return response,
    };
    if let Err(response) = params::expect_encoding(state, req, grant_type) {
        return response;
    }
    let client_id = match client_auth::authenticate(state, req, &params, grant_type) {
        Ok(id) => id,
        Err(response) => return response,
    };
    if let Err(response) = registered_for(state, &client_id, grant_type) {
        return response;
    }
    match grant_type {
        "authorization_code" => authorization_code::exchange(state, &client_id, &params),
        "refresh_token" => refresh::refresh(state, &client_id, &params),
        "password" => password::grant(state, &client_id, &params),
        _ => client_credentials::grant(state, &client_id, &params),
    }
}

/// RFC 6749 §5.2: a client may use only the grants it is registered for;
/// another is `unauthorized_client`. A faulty server issues the token.
fn registered_for(
    state: &MockState,
    client_id: &str,
    grant_type: &str,
) -> Result<(), MockResponse> {
    let allowed = state
        .client(client_id)
        .is_none_or(|c| c.grants.is_empty() || c.grants.iter().any(|g| g == grant_type));
    if allowed || state.breaks(ServerFault::IssuesTokensForUnregisteredGrants) {
        return Ok(());
    }
    Err(MockResponse::oauth_error(
        400,
        "unauthorized_client",
        "The client is not registered for this grant type",
    ))
}

/// RFC 6749 §4.4.2 / §5.2: grant_type is required and must be one the
/// profile supports (the code flow's grants only where it documents the
/// code flow).
fn grant_type<'a>(
    state: &MockState,
    params: &'a [(String, String)],
) -> Result<&'a str, MockResponse> {
    let Some(grant_type) = param(params, "grant_type") else {
        let error = if state.breaks(ServerFault::MissingGrantTypeAsUnsupported) {
            "unsupported_grant_type"
        } else {
            "invalid_request"
        };
        return Err(MockResponse::oauth_error(
            400,
            error,
            "Missing grant_type parameter",
        ));
    };
    let has_code_flow = state.profile.authorization_code.is_some();
    let supported = grant_type == "client_credentials"
        || (has_code_flow && matches!(grant_type, "authorization_code" | "refresh_token"))
        // RFC 9700 §2.4: the password grant MUST NOT be used.
        || (grant_type == "password" && state.breaks(ServerFault::IssuesTokensForPasswordGrant));
    if supported {
        return Ok(grant_type);
    }
    let error = if state.breaks(ServerFault::UnknownGrantTypeAsInvalidRequest) {
        "invalid_request"
    } else {
        "unsupported_grant_type"
    };
    Err(MockResponse::oauth_error(
        400,
        error,
        "The grant type is not supported",
    ))
}
