//! The embedded mock authorization server.
//!
//! One per scenario, on 127.0.0.1, from httpmock's pool: scenarios run
//! concurrently and never see each other's tokens. It behaves as the
//! profile's provider documents: the token endpoint accepts only the
//! documented request shape and credentials, the API probe accepts only live
//! tokens it issued. It reads time from a shared [`Clock`], so a 60-minute
//! token expires in no real time. httpmock only routes; the behaviour lives in
//! plain functions ([`token_endpoint::handle`], [`api_probe::handle`]).

pub mod api_probe;
pub mod faults;
pub mod http;
pub mod jwt;
pub mod state;
pub mod token_endpoint;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use httpmock::MockServer;

use crate::client::ClientCredentials;
use crate::clock::Clock;
use crate::profile::Profile;

pub use faults::{AccessTokenFault, ApiFault, TokenEndpointFault};
use http::MockRequest;
pub use jwt::SigningAlg;
use state::{MockClient, MockState};

/// A running mock authorization server for one profile.
pub struct MockAuthServer {
    server: MockServer,
    state: Arc<Mutex<MockState>>,
}

impl std::fmt::Debug for MockAuthServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockAuthServer")
            .field("base_url", &self.server.base_url())
            .finish_non_exhaustive()
    }
}

impl MockAuthServer {
    pub async fn start(profile: &Profile, clock: Clock) -> Self {
        let server = MockServer::start_async().await;
        let state = Arc::new(Mutex::new(MockState::new(profile.clone(), clock)));

        // A slow token endpoint is a route of its own, matched first while
        // the fault is on, so the delay is httpmock's (async) and not a
        // thread sleeping inside a handler.
        let is_slow = {
            let state = state.clone();
            move |_: &httpmock::HttpMockRequest| {
                lock(&state).fault == Some(TokenEndpointFault::Slow)
            }
        };
        let token_handler = {
            let state = state.clone();
            move |req: &httpmock::HttpMockRequest| {
                token_endpoint::handle(&mut lock(&state), &MockRequest::from_httpmock(req))
                    .into_httpmock()
            }
        };
        server
            .mock_async(|when, then| {
                when.path(profile.token.path.as_str()).is_true(is_slow);
                then.delay(Duration::from_millis(SLOW_DELAY_MS))
                    .respond_with(token_handler.clone());
            })
            .await;
        server
            .mock_async(|when, then| {
                when.path(profile.token.path.as_str());
                then.respond_with(token_handler);
            })
            .await;
        let api_state = state.clone();
        server
            .mock_async(|when, then| {
                when.path(profile.api.probe_path.as_str());
                then.respond_with(move |req: &httpmock::HttpMockRequest| {
                    api_probe::handle(&mut lock(&api_state), &MockRequest::from_httpmock(req))
                        .into_httpmock()
                });
            })
            .await;
        // The provider's JWKS (RFC 7517 §5), for clients that validate
        // access tokens before use (seed 003).
        let jwks = match jwt::jwks() {
            Ok(set) => http::MockResponse::json(200, &serde_json::json!(set)),
            Err(e) => http::MockResponse::oauth_error(500, "server_error", &e),
        };
        server
            .mock_async(|when, then| {
                when.method(httpmock::Method::GET).path(jwt::JWKS_PATH);
                then.respond_with(move |_: &httpmock::HttpMockRequest| {
                    jwks.clone().into_httpmock()
                });
            })
            .await;
        Self { server, state }
    }

    pub fn base_url(&self) -> url::Url {
        // httpmock's base URL is always a valid http://127.0.0.1:port.
        url::Url::parse(&self.server.base_url())
            .unwrap_or_else(|_| url::Url::parse("http://127.0.0.1/").expect("static URL"))
    }

    /// Registers a client allowed every scope of the profile.
    pub fn register_client(&self, credentials: &ClientCredentials) {
        let mut state = lock(&self.state);
        let scopes = state.profile.mock.scopes.clone();
        state.clients.retain(|c| c.id != credentials.id);
        state.clients.push(MockClient {
            id: credentials.id.clone(),
            secret: credentials.secret.expose().to_owned(),
            scopes,
        });
    }

    /// Registers a client with a fresh random secret and returns it.
    pub fn register_random_client(&self) -> ClientCredentials {
        let credentials = ClientCredentials::new(
            format!(
                "conformance-client-{}",
                &token_endpoint::random_token()[..8]
            ),
            token_endpoint::random_token(),
        );
        self.register_client(&credentials);
        credentials
    }

    pub fn set_fault(&self, fault: Option<TokenEndpointFault>) {
        lock(&self.state).fault = fault;
    }

    /// Makes the token endpoint issue a bad access token (validation scenarios).
    pub fn set_token_fault(&self, fault: Option<AccessTokenFault>) {
        lock(&self.state).token_fault = fault;
    }

    pub fn set_api_fault(&self, fault: Option<ApiFault>) {
        lock(&self.state).api_fault = fault;
    }

    pub fn set_signing_alg(&self, alg: SigningAlg) {
        lock(&self.state).signing_alg = alg;
    }

    /// Puts the server's clock `offset_ms` ahead of the shared clock
    /// (negative: behind), as a provider with a skewed clock would be.
    pub fn set_clock_offset_ms(&self, offset_ms: i64) {
        lock(&self.state).clock_offset_ms = offset_ms;
    }

    /// Forgets every access token issued so far, as a provider that revoked
    /// them would: the API answers 401 `invalid_token` to each.
    pub fn revoke_all_tokens(&self) {
        lock(&self.state).tokens.clear();
    }

    /// Forgets every registered client, as a provider that deleted the
    /// registration (or rotated the secret) would: token requests then fail
    /// with `invalid_client`.
    pub fn remove_clients(&self) {
        lock(&self.state).clients.clear();
    }

    /// How many requests reached the protected API.
    pub fn api_requests(&self) -> usize {
        lock(&self.state).api_requests
    }

    /// How many requests reached the token endpoint.
    pub fn token_requests(&self) -> usize {
        lock(&self.state).token_requests
    }

    pub fn state(&self) -> MutexGuard<'_, MockState> {
        lock(&self.state)
    }
}

/// How long the slow route waits: longer than any timeout a scenario sets.
pub const SLOW_DELAY_MS: u64 = 3_000;

/// A poisoned lock means a handler panicked; the state is still usable for a
/// test double, and refusing would turn one failure into many.
fn lock(state: &Mutex<MockState>) -> MutexGuard<'_, MockState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}
