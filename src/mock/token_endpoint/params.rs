//! Reading a token request: its method, its parameters, and whether its body
//! is encoded the way the profile documents for its grant.
//!
//! The parameters are read before the grant is known (the grant is one of
//! them), so any encoding is read here and the one the grant needs is
//! checked once it is known.

use crate::profile::{ClientAuth, Encoding};

use crate::mock::faults::ServerFault;
use crate::mock::http::{MockRequest, MockResponse};
use crate::mock::state::MockState;

/// RFC 6749 §3.2: the client MUST use POST. A server that issues tokens for
/// GET reads that request's parameters from the query string.
pub(super) fn accepts_method(state: &MockState, req: &MockRequest) -> bool {
    req.method == "POST" || (req.method == "GET" && state.breaks(ServerFault::IssuesTokensForGet))
}

/// The parameters of a token request, those sent without a value left out
/// (RFC 6749 §3.2: treated as omitted) unless the server breaks that rule.
pub(super) fn read(
    state: &MockState,
    req: &MockRequest,
) -> Result<Vec<(String, String)>, MockResponse> {
    let mut params = read_all(req)?;
    if !state.breaks(ServerFault::KeepsEmptyParameters) {
        params.retain(|(_, v)| !v.is_empty());
    }
    Ok(params)
}

/// RFC 6749 §3.2: no parameter is included more than once, and §5.2 calls
/// a request that repeats one `invalid_request`. `resource` may be repeated
/// (RFC 8707 §2). A faulty server reads the first and ignores the rest.
pub(super) fn refuse_repeated(
    state: &MockState,
    params: &[(String, String)],
) -> Result<(), MockResponse> {
    if state.breaks(ServerFault::TakesFirstOfRepeatedParameter) {
        return Ok(());
    }
    let repeated = params.iter().enumerate().find(|(i, (k, _))| {
        k != "resource" && params[..*i].iter().any(|(earlier, _)| earlier == k)
    });
    match repeated {
        Some((_, (name, _))) => Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            &format!("The parameter {name} is repeated"),
        )),
        None => Ok(()),
    }
}

/// The parameters a token endpoint knows: RFC 6749's, RFC 7636's and those
/// the profile documents.
const KNOWN: [&str; 10] = [
    "grant_type",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "scope",
    "client_id",
    "client_secret",
    "username",
    "password",
];

/// RFC 6749 §3.2: unrecognised parameters are ignored. A faulty server
/// refuses them.
pub(super) fn refuse_unknown(
    state: &MockState,
    params: &[(String, String)],
) -> Result<(), MockResponse> {
    if !state.breaks(ServerFault::RefusesUnknownParameters) {
        return Ok(());
    }
    let profile = &state.profile;
    let documented: Vec<String> = profile
        .token_params()
        .into_iter()
        .map(|(k, _)| k)
        .chain(profile.token.optional_params.iter().cloned())
        .collect();
    match params
        .iter()
        .find(|(k, _)| !KNOWN.contains(&k.as_str()) && !documented.contains(k))
    {
        Some((name, _)) => Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            &format!("Unknown parameter {name}"),
        )),
        None => Ok(()),
    }
}

/// Reads a form or JSON body. A GET (only served while the server issues
/// tokens for GET) has its parameters in the query string.
fn read_all(req: &MockRequest) -> Result<Vec<(String, String)>, MockResponse> {
    if req.method == "GET" {
        return Ok(req.query_pairs());
    }
    if content_type(req).starts_with("application/json") {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&req.body)
            .map_err(|_| {
                MockResponse::oauth_error(400, "invalid_request", "The body is not a JSON object")
            })?;
        return Ok(map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
            .collect());
    }
    Ok(form_urlencoded::parse(&req.body).into_owned().collect())
}

/// The body encoding the profile documents for this grant; anything else is
/// refused.
pub(super) fn expect_encoding(
    state: &MockState,
    req: &MockRequest,
    grant_type: &str,
) -> Result<(), MockResponse> {
    if req.method == "GET" {
        // No body to encode: the parameters came in the query string.
        return Ok(());
    }
    let json_expected = state.profile.client_auth_for(grant_type) == ClientAuth::Json
        || (grant_type == "client_credentials" && state.profile.token.encoding == Encoding::Json);
    let wanted = if json_expected {
        "application/json"
    } else {
        "application/x-www-form-urlencoded"
    };
    if content_type(req).starts_with(wanted) {
        Ok(())
    } else {
        Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            &format!("The body must be {wanted}"),
        ))
    }
}

/// The request's media type, lower-cased (media types are case-insensitive,
/// RFC 9110 §8.3.1); empty when there is none.
fn content_type(req: &MockRequest) -> String {
    req.header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase()
}
