//! httpmock's side of the mock: which request reaches which handler.
//!
//! httpmock only routes. Every route locks the shared state and hands a plain
//! [`MockRequest`] to a handler that answers a plain [`MockResponse`], so the
//! behaviour stays in functions the unit tests call without a server.

use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, Method, MockServer};

use super::authorize_endpoint::{self, CONSENT_SUFFIX, LOGIN_SUFFIX};
use super::faults::{SLOW_DELAY_MS, TokenEndpointFault};
use super::http::{MockRequest, MockResponse};
use super::state::{MockState, SharedState, lock};
use super::{api_probe, jwt, metadata, token_endpoint};

/// The token endpoint. A slow token endpoint is a route of its own, matched
/// first while the fault is on, so the delay is httpmock's (async) and not a
/// thread sleeping inside a handler.
pub(super) async fn token_endpoint(server: &MockServer, state: &SharedState, path: &str) {
    let is_slow = {
        let state = state.clone();
        move |_: &HttpMockRequest| {
            lock(&state).faults.token_endpoint == Some(TokenEndpointFault::Slow)
        }
    };
    let slow = handler(state, token_endpoint::handle);
    server
        .mock_async(|when, then| {
            when.path(path).is_true(is_slow);
            then.delay(Duration::from_millis(SLOW_DELAY_MS))
                .respond_with(slow);
        })
        .await;
    let normal = handler(state, token_endpoint::handle);
    server
        .mock_async(|when, then| {
            when.path(path);
            then.respond_with(normal);
        })
        .await;
}

/// The protected API's probe path.
pub(super) async fn api(server: &MockServer, state: &SharedState, path: &str) {
    let probe = handler(state, api_probe::handle);
    server
        .mock_async(|when, then| {
            when.path(path);
            then.respond_with(probe);
        })
        .await;
}

/// A probe that needs a scope of its own.
pub(super) async fn scoped_api(server: &MockServer, state: &SharedState, path: &str, scope: &str) {
    let scope = scope.to_owned();
    let probe = handler(state, move |state, req| {
        api_probe::handle_scoped(state, req, &scope)
    });
    server
        .mock_async(|when, then| {
            when.path(path);
            then.respond_with(probe);
        })
        .await;
}

/// The authorization endpoint: the authorization request (GET), and the
/// login and consent forms it serves, posted to paths of their own.
pub(super) async fn authorization(server: &MockServer, state: &SharedState, authorize_path: &str) {
    let path = authorize_path.to_owned();
    let login = handler(state, move |state, req| {
        authorize_endpoint::login(state, req, &path)
    });
    post(server, &format!("{authorize_path}{LOGIN_SUFFIX}"), login).await;
    let consent = handler(state, authorize_endpoint::consent);
    post(
        server,
        &format!("{authorize_path}{CONSENT_SUFFIX}"),
        consent,
    )
    .await;
    let path = authorize_path.to_owned();
    let start = handler(state, move |state, req| {
        authorize_endpoint::start(state, req, &path)
    });
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path(authorize_path);
            then.respond_with(start);
        })
        .await;
}

/// The optional connection-success call (seed 001).
pub(super) async fn connection_success(server: &MockServer, state: &SharedState, path: &str) {
    let connected = handler(state, api_probe::connection_success);
    server
        .mock_async(|when, then| {
            when.path(path);
            then.respond_with(connected);
        })
        .await;
}

/// The provider's JWKS (RFC 7517 §5), for clients that validate access
/// tokens before use (seed 003). The keys never change, so the answer is
/// built once.
pub(super) async fn jwks(server: &MockServer) {
    let jwks = match jwt::jwks() {
        Ok(set) => MockResponse::json(200, &serde_json::json!(set)),
        Err(e) => MockResponse::oauth_error(500, "server_error", &e.to_string()),
    };
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path(jwt::JWKS_PATH);
            then.respond_with(move |_: &HttpMockRequest| jwks.clone().into_httpmock());
        })
        .await;
}

/// The authorization server metadata (RFC 8414 §3.1) at the well-known
/// URI of the mock's issuer, its base URL.
pub(super) async fn metadata(server: &MockServer, state: &SharedState) {
    let document = handler(state, metadata::handle);
    server
        .mock_async(|when, then| {
            when.method(Method::GET).path(metadata::path());
            then.respond_with(document);
        })
        .await;
}

/// A route for form posts to `path`.
async fn post(
    server: &MockServer,
    path: &str,
    respond: impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static,
) {
    server
        .mock_async(|when, then| {
            when.method(Method::POST).path(path);
            then.respond_with(respond);
        })
        .await;
}

/// `handle` as httpmock calls it: with the state locked and the request
/// in the mock's plain form.
fn handler(
    state: &SharedState,
    handle: impl Fn(&mut MockState, &MockRequest) -> MockResponse + Send + Sync + 'static,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let state = state.clone();
    move |req| handle(&mut lock(&state), &MockRequest::from_httpmock(req)).into_httpmock()
}
