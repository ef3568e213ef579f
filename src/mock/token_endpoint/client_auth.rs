//! Client authentication at the token endpoint (RFC 6749 §2.3), and the
//! challenges of its refusals (§5.2).
//!
//! The client authenticates in the one way the profile documents for the
//! grant; a refusal after HTTP Basic carries a `WWW-Authenticate` challenge
//! naming the scheme the client used.

use crate::client::credentials::decode_basic;
use crate::mock::faults::ServerFault;
use crate::mock::http::{MockRequest, MockResponse, param};
use crate::mock::state::MockState;
use crate::profile::ClientAuth;

const REALM: &str = "oauth-conformance mock";

/// RFC 6749 §2.3: the client authenticates in the one way the profile
/// documents; a wrong secret is `invalid_client`, with a Basic challenge when
/// Basic was used (§5.2). The authenticated client's id.
pub(super) fn authenticate(
    state: &MockState,
    req: &MockRequest,
    params: &[(String, String)],
    grant_type: &str,
) -> Result<String, MockResponse> {
    let header = req.header("authorization");
    let body_secret = param(params, "client_secret").map(str::to_owned);
    let body_id = param(params, "client_id").map(str::to_owned);
    // RFC 6749 §2.3.1: HTTP Basic is supported for every client issued a
    // password, whatever way the guide documents; a faulty server accepts it
    // only where its guide documents it.
    let basic = state.profile.client_auth_for(grant_type) == ClientAuth::Basic
        || (header.is_some() && !state.breaks(ServerFault::BasicOnlyWhereDocumented));
    if header.is_some()
        && body_secret.is_some()
        && !state.breaks(ServerFault::AcceptsTwoAuthMethods)
    {
        return Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            "The client used more than one authentication method",
        ));
    }
    let unauthorized = |description: &str, challenge: Option<String>| {
        challenged(
            MockResponse::oauth_error(401, "invalid_client", description),
            challenge,
        )
    };
    let in_query = match (header, &body_secret) {
        (None, None) => credentials_in_query(state, req),
        _ => None,
    };
    // A request whose query names a client tried to authenticate there.
    let query_names_client = req.query_pairs().iter().any(|(k, _)| k == "client_id");
    if in_query.is_none()
        && !query_names_client
        && let Some(id) =
            unauthenticated_but_accepted(state, header, &body_id, &body_secret, grant_type)
    {
        return Ok(id);
    }
    let (id, secret, used_basic) = if let Some((id, secret)) = in_query {
        (id, secret, false)
    } else if basic {
        let Some(header) = header else {
            return Err(unauthorized(
                "Client authentication with HTTP Basic is required",
                Some(basic_challenge()),
            ));
        };
        let (id, secret) = decode_basic(header)
            .map_err(|e| unauthorized(&e.to_string(), Some(challenge_after_basic(state))))?;
        (id, secret, true)
    } else {
        match (body_id, body_secret) {
            (Some(id), Some(secret)) => (id, secret, false),
            _ => {
                return Err(unauthorized(
                    "client_id and client_secret are required in the body",
                    None,
                ));
            }
        }
    };
    let challenge = used_basic.then(|| challenge_after_basic(state));
    let used = if used_basic {
        ClientAuth::Basic
    } else {
        state.profile.client_auth_for(grant_type)
    };
    match state.client(&id) {
        Some(client) if client.auth_method.is_some_and(|m| m != used) => Err(unauthorized(
            &format!(
                "The client is registered for {}, not {}",
                client.auth_method.map_or("", ClientAuth::registered_name),
                used.registered_name()
            ),
            challenge,
        )),
        Some(client) if client.secret == secret => Ok(id),
        Some(_) if state.breaks(ServerFault::AcceptsWrongSecret) => Ok(id),
        Some(_) => Err(wrong_secret(state, challenge)),
        None if state.breaks(ServerFault::IssuesTokensToUnknownClients) => Ok(id),
        None => Err(unauthorized("Client authentication failed", challenge)),
    }
}

/// RFC 6749 §3.2.1: a confidential client authenticates on every token
/// request. Faulty servers let a code or a refresh token be redeemed with
/// the client's id alone, or issue client credentials tokens to a request
/// that names no client at all, or only its id (as if the client were
/// public, which §4.4 rules out for this grant).
fn unauthenticated_but_accepted(
    state: &MockState,
    header: Option<&str>,
    body_id: &Option<String>,
    body_secret: &Option<String>,
    grant_type: &str,
) -> Option<String> {
    if header.is_some() || body_secret.is_some() {
        return None;
    }
    let fault = match (grant_type, body_id) {
        ("authorization_code", Some(_)) => ServerFault::RedeemsCodeWithoutSecret,
        ("refresh_token", Some(_)) => ServerFault::RefreshesWithoutSecret,
        ("client_credentials", None) => ServerFault::IssuesTokensWithoutClientAuthentication,
        ("client_credentials", Some(_)) => ServerFault::IssuesClientCredentialsForClientIdAlone,
        _ => return None,
    };
    state
        .breaks(fault)
        .then(|| body_id.clone().unwrap_or_else(|| "anonymous".to_owned()))
}

/// RFC 6749 §2.3.1: credentials MUST NOT be accepted in the request URI. A
/// server that breaks the rule takes `client_id` and `client_secret` from the
/// query string of a request that carries no other client authentication.
fn credentials_in_query(state: &MockState, req: &MockRequest) -> Option<(String, String)> {
    if !state.breaks(ServerFault::AcceptsCredentialsInQuery) {
        return None;
    }
    let query = req.query_pairs();
    Some((
        param(&query, "client_id")?.to_owned(),
        param(&query, "client_secret")?.to_owned(),
    ))
}

/// The challenge inviting a client to authenticate with HTTP Basic.
fn basic_challenge() -> String {
    format!("Basic realm=\"{REALM}\"")
}

/// The challenge of a 401 answering HTTP Basic credentials: RFC 6749 §5.2
/// wants the scheme the client used, which a faulty server gets wrong.
fn challenge_after_basic(state: &MockState) -> String {
    if state.breaks(ServerFault::BearerChallengeAfterBasic) {
        format!("Bearer realm=\"{REALM}\", error=\"invalid_client\"")
    } else {
        basic_challenge()
    }
}

/// A known client with a wrong secret: 401 `invalid_client` (RFC 6749 §5.2),
/// or the wrong code from a server that calls it `unauthorized_client`.
fn wrong_secret(state: &MockState, challenge: Option<String>) -> MockResponse {
    let error = if state.breaks(ServerFault::WrongSecretAsUnauthorizedClient) {
        "unauthorized_client"
    } else {
        "invalid_client"
    };
    challenged(
        MockResponse::oauth_error(401, error, "Client authentication failed"),
        challenge,
    )
}

/// The refusal with its `WWW-Authenticate` challenge, if it has one.
fn challenged(response: MockResponse, challenge: Option<String>) -> MockResponse {
    match challenge {
        Some(challenge) => response.header("www-authenticate", challenge),
        None => response,
    }
}
