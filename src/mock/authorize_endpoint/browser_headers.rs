//! What the authorization endpoint's answers say to a browser: its pages
//! may not be framed by another site (RFC 9700 §4.16: `X-Frame-Options`
//! and CSP `frame-ancestors`), and no other site's script may read them
//! (RFC 9700 §2.6: no CORS). Each rule has its fault.

use super::super::faults::ServerFault;
use super::super::http::{MockRequest, MockResponse};
use super::super::state::MockState;

/// `response` with the headers the conforming mock sends: frame protection
/// on every HTML page; CORS headers only from the server that breaks
/// RFC 9700 §2.6 (on every answer, as one server tried does).
pub fn add(state: &MockState, response: MockResponse) -> MockResponse {
    let html = response
        .get_header("content-type")
        .is_some_and(|c| c.starts_with("text/html"));
    let mut response = response;
    if html && !state.breaks(ServerFault::PagesWithoutFrameProtection) {
        response = response.header("x-frame-options", "DENY");
        if !state.breaks(ServerFault::PagesWithoutCsp) {
            response = response.header("content-security-policy", "frame-ancestors 'none'");
        }
    }
    if state.breaks(ServerFault::AuthorizationEndpointAllowsCors) {
        response = response
            .header("access-control-allow-origin", "*")
            .header("access-control-allow-credentials", "true");
    }
    response
}

/// `OPTIONS <authorize_path>`: the methods the endpoint serves, and no CORS
/// (a preflight gets no `Access-Control-Allow-*`), unless the fault says so.
pub fn options(state: &mut MockState, _req: &MockRequest) -> MockResponse {
    let response = MockResponse {
        status: 204,
        headers: vec![("allow".into(), "GET, POST".into())],
        body: Vec::new(),
    };
    if state.breaks(ServerFault::AuthorizationEndpointAllowsCors) {
        return add(state, response)
            .header("access-control-allow-methods", "GET, POST")
            .header("access-control-allow-headers", "content-type");
    }
    response
}
