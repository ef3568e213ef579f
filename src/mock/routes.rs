//! httpmock's side of the mock: which request reaches which handler.
//!
//! httpmock only routes. Every route locks the shared state and hands a plain
//! [`MockRequest`] to a handler that answers a plain [`MockResponse`], so the
//! behaviour stays in functions the unit tests call without a server.

use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, Method, MockServer};

use super::authorize_endpoint::{self, login_origin};
use super::faults::{SLOW_DELAY_MS, TokenEndpointFault};
use super::http::{MockRequest, MockResponse};
use super::login_pages::{
    ABORT_SUFFIX, CONSENT_PAGE_SUFFIX, CONSENT_SUFFIX, CONTINUE_SUFFIX, DENY_SUFFIX, LOGIN_SUFFIX,
};
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

/// The API resource that moved to another origin (`super::MOVED_API_PATH`):
/// any request is redirected, with a 307 that keeps the method, to
/// `elsewhere`.
pub(super) async fn moved_api(server: &MockServer, elsewhere: &str) {
    server
        .mock_async(|when, then| {
            when.path(super::MOVED_API_PATH);
            then.status(307).header("location", elsewhere);
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
/// pages it serves, posted to (or linked from) paths of their own.
pub(super) async fn authorization(server: &MockServer, state: &SharedState, authorize_path: &str) {
    let at = |suffix: &str| format!("{authorize_path}{suffix}");
    let path = authorize_path.to_owned();
    let login = page_handler(state, move |state, req| {
        authorize_endpoint::login(state, req, &path)
    });
    route(server, Method::POST, &at(LOGIN_SUFFIX), login).await;
    let consent = page_handler(state, authorize_endpoint::consent);
    route(server, Method::POST, &at(CONSENT_SUFFIX), consent).await;
    let deny = page_handler(state, authorize_endpoint::deny);
    route(server, Method::POST, &at(DENY_SUFFIX), deny).await;
    let abort = page_handler(state, authorize_endpoint::deny);
    route(server, Method::GET, &at(ABORT_SUFFIX), abort).await;
    for (method, suffix) in [
        (Method::POST, CONTINUE_SUFFIX),
        (Method::GET, CONSENT_PAGE_SUFFIX),
    ] {
        let path = authorize_path.to_owned();
        let to_consent = page_handler(state, move |state, req| {
            authorize_endpoint::to_consent(state, req, &path)
        });
        route(server, method, &at(suffix), to_consent).await;
    }
    let path = authorize_path.to_owned();
    let start = page_handler(state, move |state, req| {
        authorize_endpoint::start(state, req, &path)
    });
    route(server, Method::GET, authorize_path, start).await;
    let options = handler(state, authorize_endpoint::browser_headers::options);
    route(server, Method::OPTIONS, authorize_path, options).await;
}

/// The second origin's login page (GET) and its form (POST), at
/// `login_path` on the shared login origin server.
pub(super) async fn login_origin(
    server: &MockServer,
    state: &SharedState,
    login_path: &str,
    authorize_path: &str,
) {
    let page = page_handler(state, login_origin::page);
    route(server, Method::GET, login_path, page).await;
    let path = authorize_path.to_owned();
    let submit = page_handler(state, move |state, req| {
        login_origin::submit(state, req, &path)
    });
    route(server, Method::POST, login_path, submit).await;
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
/// URI of the mock's issuer, its base URL, and OpenID Connect discovery's
/// (Discovery 1.0 §4.1), served when the mock publishes only that.
pub(super) async fn metadata(server: &MockServer, state: &SharedState) {
    route(
        server,
        Method::GET,
        &metadata::path(),
        handler(state, metadata::handle),
    )
    .await;
    route(
        server,
        Method::GET,
        &metadata::openid_path(),
        handler(state, metadata::handle_openid),
    )
    .await;
}

/// An endpoint every method reaches (its handler refuses all but POST):
/// token revocation (RFC 7009) and introspection (RFC 7662).
pub(super) async fn post_endpoint(
    server: &MockServer,
    state: &SharedState,
    path: &str,
    handle: fn(&mut MockState, &super::http::MockRequest) -> MockResponse,
) {
    let respond = handler(state, handle);
    server
        .mock_async(|when, then| {
            when.path(path);
            then.respond_with(respond);
        })
        .await;
}

/// A route for `method` requests to `path`.
async fn route(
    server: &MockServer,
    method: Method,
    path: &str,
    respond: impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static,
) {
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            then.respond_with(respond);
        })
        .await;
}

/// [`handler`] for the authorization endpoint's pages: its answer carries
/// the headers a browser reads (frame protection, CORS; see
/// `authorize_endpoint::browser_headers`).
fn page_handler(
    state: &SharedState,
    handle: impl Fn(&mut MockState, &MockRequest) -> MockResponse + Send + Sync + 'static,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let state = state.clone();
    move |req| {
        let mut state = lock(&state);
        let response = handle(&mut state, &MockRequest::from_httpmock(req));
        authorize_endpoint::browser_headers::add(&state, response).into_httpmock()
    }
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
