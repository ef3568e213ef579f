//! Client authentication at the endpoints beside the token endpoint:
//! revocation (RFC 7009 §2.1: "The client also includes its authentication
//! credentials as described in Section 2.3. of [RFC6749]") and
//! introspection (RFC 7662 §2.1: client authentication is one way the
//! endpoint requires authorization).
//!
//! Kept apart from the token endpoint's, whose faults bend only token
//! requests: HTTP Basic or `client_id` and `client_secret` in the form body,
//! one of them (RFC 6749 §2.3), checked against the registered clients.

use super::http::{MockRequest, MockResponse, param};
use super::state::MockState;
use crate::client::credentials::decode_basic;

/// How a request tried to authenticate its client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The registered client it proved to be.
    Client(String),
    /// No client authentication at all.
    Anonymous,
}

/// The caller of a request with form `params`, or the 401 `invalid_client`
/// refusal of a failed authentication (RFC 6749 §5.2, with a Basic
/// challenge when Basic was tried).
pub fn authenticate(
    state: &MockState,
    req: &MockRequest,
    params: &[(String, String)],
) -> Result<Caller, MockResponse> {
    let header = req.header("authorization");
    let body_secret = param(params, "client_secret");
    let refuse = |basic: bool| {
        let response =
            MockResponse::oauth_error(401, "invalid_client", "Client authentication failed");
        match basic {
            true => response.header("www-authenticate", "Basic realm=\"oauth-conformance mock\""),
            false => response,
        }
    };
    let (id, secret, basic) = match (header, body_secret) {
        (Some(_), Some(_)) => {
            return Err(MockResponse::oauth_error(
                400,
                "invalid_request",
                "The client used more than one authentication method",
            ));
        }
        (Some(header), None) => {
            let (id, secret) = decode_basic(header).map_err(|_| refuse(true))?;
            (id, secret, true)
        }
        (None, Some(secret)) => match param(params, "client_id") {
            Some(id) => (id.to_owned(), secret.to_owned(), false),
            None => return Err(refuse(false)),
        },
        (None, None) => return Ok(Caller::Anonymous),
    };
    match state.client(&id) {
        Some(client) if client.secret == secret => Ok(Caller::Client(id)),
        _ => Err(refuse(basic)),
    }
}

/// The form parameters of a POST, those without a value left out (RFC 6749
/// §3.2's rule for its endpoints, which RFC 7009 and RFC 7662 build on).
pub fn form_params(req: &MockRequest) -> Vec<(String, String)> {
    form_urlencoded::parse(&req.body)
        .into_owned()
        .filter(|(_, v)| !v.is_empty())
        .collect()
}
