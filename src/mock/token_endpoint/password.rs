//! The resource owner password credentials grant (RFC 6749 §4.3), which
//! RFC 9700 §2.4 says MUST NOT be used: the conforming mock does not
//! support it (`unsupported_grant_type`), and only a server that breaks
//! that rule gets here, trading the user's password for a token.

use crate::mock::http::{MockResponse, param};
use crate::mock::state::MockState;

use super::{mint, responses};

/// A token for the user whose username and password the client sent, or
/// `invalid_grant`.
pub(super) fn grant(
    state: &mut MockState,
    client_id: &str,
    params: &[(String, String)],
) -> MockResponse {
    let known = state.users.iter().any(|u| {
        Some(u.username.as_str()) == param(params, "username")
            && Some(u.password.as_str()) == param(params, "password")
    });
    if !known {
        return responses::invalid_grant("Wrong username or password");
    }
    let granted = state.profile.mock.default_scope.clone().unwrap_or_default();
    match mint::issue_access_token(state, client_id, &granted, None, None) {
        Ok((_, body)) => responses::token_response(state, body, None, &granted, true),
        Err(response) => response,
    }
}
