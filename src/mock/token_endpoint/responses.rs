//! How the token endpoint's answers leave it: a §5.1 token response, a §5.2
//! refusal, or the bad answer a [`TokenEndpointFault`] asks for instead.
//!
//! The [`ServerFault`]s that bend the form of a response (status, media type,
//! headers, description) are applied here and nowhere else, so every token
//! response and every refusal carries them, whichever rule produced it.

use crate::mock::faults::{ServerFault, TokenEndpointFault};
use crate::mock::http::{MockRequest, MockResponse};
use crate::mock::state::MockState;

/// The refusal of a bad code or refresh token (RFC 6749 §5.2).
pub(super) fn invalid_grant(description: &str) -> MockResponse {
    MockResponse::oauth_error(400, "invalid_grant", description)
}

/// A 200 token response. RFC 6749 §5.1: scope is OPTIONAL if identical to
/// the request, REQUIRED otherwise; the response is JSON and not cacheable
/// (`Cache-Control: no-store`, `Pragma: no-cache`) unless the server breaks
/// one of those rules.
pub(super) fn token_response(
    state: &MockState,
    mut body: serde_json::Value,
    requested: Option<&str>,
    granted: &str,
    always_scope: bool,
) -> MockResponse {
    let says_scope = always_scope || requested != Some(granted);
    if says_scope && !state.breaks(ServerFault::NarrowsScopeSilently) {
        body["scope"] = serde_json::Value::String(granted.to_owned());
    }
    let status = if state.breaks(ServerFault::AnswersTokensWith201) {
        201
    } else {
        200
    };
    let mut response = MockResponse::json(status, &body);
    if state.breaks(ServerFault::TokenAsText) {
        response = response.replace_header("content-type", "text/plain");
    }
    if !state.breaks(ServerFault::OmitsNoStore) {
        response = response.header("cache-control", "no-store");
    }
    if !state.breaks(ServerFault::OmitsPragma) {
        response = response.header("pragma", "no-cache");
    }
    response
}

/// A refusal as the server sends it. RFC 6749 §5.2 wants status 400 (401 for
/// `invalid_client`), a JSON body and descriptions in a restricted character
/// set; the error faults each break one of those on every refusal. The
/// status fault spares `invalid_client`, whose 401 after HTTP Basic is a
/// MUST of its own (`error-response-www-authenticate`), so that it breaks
/// only §5.2's derived "400 unless specified otherwise".
pub(super) fn finish_error(state: &MockState, response: MockResponse) -> MockResponse {
    let mut response = with_error_uri(state, response);
    if state.breaks(ServerFault::ErrorsWithStatus500) && error_code(&response) != "invalid_client" {
        response.status = 500;
    }
    if state.breaks(ServerFault::ErrorsAsHtml) {
        response = as_html_page(response);
    }
    if state.breaks(ServerFault::QuoteInErrorDescription) {
        response = with_quoted_description(response);
    }
    response
}

/// The `error` member of a refusal's JSON body, or "" without one.
fn error_code(response: &MockResponse) -> String {
    serde_json::from_slice::<serde_json::Value>(&response.body)
        .ok()
        .and_then(|body| body["error"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Where the mock documents its token errors: every refusal names the page
/// of its code in `error_uri` (RFC 6749 §5.2: OPTIONAL, a URI-reference).
const ERROR_DOCS: &str = "https://mock.oauth-conformance.test/docs/token-errors";

/// The refusal with its `error_uri`: a URI-reference, or, from a server
/// that breaks §5.2's rule, one with a space in it.
fn with_error_uri(state: &MockState, mut response: MockResponse) -> MockResponse {
    let Ok(mut body) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
        return response;
    };
    let Some(code) = body["error"].as_str().map(str::to_owned) else {
        return response;
    };
    let docs = if state.breaks(ServerFault::SpaceInErrorUri) {
        ERROR_DOCS.replace("token-errors", "token errors")
    } else {
        ERROR_DOCS.to_owned()
    };
    body["error_uri"] = format!("{docs}#{code}").into();
    response.body = serde_json::to_vec(&body).unwrap_or_default();
    response
}

/// The same refusal as an HTML page, as web frameworks render errors.
fn as_html_page(response: MockResponse) -> MockResponse {
    let error = serde_json::from_slice::<serde_json::Value>(&response.body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "error".to_owned());
    let mut response = response.replace_header("content-type", "text/html; charset=utf-8");
    response.body = format!(
        "<!doctype html><html><head><title>{status}</title></head>\
         <body><h1>{status}</h1><p>{error}</p></body></html>",
        status = response.status,
    )
    .into_bytes();
    response
}

/// The same refusal with its `error_description` in double quotes: a
/// character RFC 6749 §5.2 leaves out of the set.
fn with_quoted_description(mut response: MockResponse) -> MockResponse {
    let Ok(mut body) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
        return response;
    };
    let description = body["error_description"].as_str().unwrap_or_default();
    body["error_description"] = format!("\"{description}\"").into();
    response.body = serde_json::to_vec(&body).unwrap_or_default();
    response
}

/// The fault's answer, or `None` when the fault is served elsewhere (delay).
pub(super) fn faulty_answer(fault: &TokenEndpointFault, req: &MockRequest) -> Option<MockResponse> {
    let text = |status: u16, content_type: &str, body: Vec<u8>| MockResponse {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body,
    };
    Some(match fault {
        TokenEndpointFault::HtmlErrorPage => text(
            500,
            "text/html; charset=utf-8",
            format!(
                "<html><head><title>Server Error (500)</title></head><body><h1>Server Error</h1>\
                 <pre>Authorization: {}\nPOST body: {}</pre></body></html>",
                req.header("authorization").unwrap_or("-"),
                String::from_utf8_lossy(&req.body)
            )
            .into_bytes(),
        ),
        TokenEndpointFault::NotJson => text(200, "text/plain", b"OK: token issued".to_vec()),
        TokenEndpointFault::TruncatedJson => text(
            200,
            "application/json",
            br#"{"access_token": "abcdefghijklmnop", "token_type": "Bea"#.to_vec(),
        ),
        TokenEndpointFault::EmptyServerError => text(500, "text/plain", Vec::new()),
        TokenEndpointFault::HugeBody(size) => {
            let mut body = br#"{"access_token":""#.to_vec();
            body.resize(*size, b'a');
            body.extend_from_slice(br#"","token_type":"Bearer"}"#);
            text(200, "application/json", body)
        }
        TokenEndpointFault::Slow => return None,
    })
}
