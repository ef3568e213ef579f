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
pub mod authorize_endpoint;
pub mod faults;
pub mod http;
pub mod jwt;
#[cfg(test)]
mod server_fault_tests;
pub mod state;
#[cfg(test)]
mod test_support;
pub mod token_endpoint;
pub mod tokens;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use httpmock::MockServer;

use crate::client::ClientCredentials;
use crate::clock::Clock;
use crate::profile::Profile;

pub use faults::{AccessTokenFault, ApiFault, ServerFault, TokenEndpointFault};
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
                lock(&state).faults.token_endpoint == Some(TokenEndpointFault::Slow)
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
        if let Some(ac) = &profile.authorization_code {
            let authorize_path = ac.authorize_path.clone();
            let route = |suffix: &'static str| {
                let state = state.clone();
                let authorize_path = authorize_path.clone();
                move |req: &httpmock::HttpMockRequest| {
                    let req = MockRequest::from_httpmock(req);
                    let mut state = lock(&state);
                    match suffix {
                        authorize_endpoint::LOGIN_SUFFIX => {
                            authorize_endpoint::login(&mut state, &req, &authorize_path)
                        }
                        authorize_endpoint::CONSENT_SUFFIX => {
                            authorize_endpoint::consent(&mut state, &req)
                        }
                        _ => authorize_endpoint::start(&mut state, &req, &authorize_path),
                    }
                    .into_httpmock()
                }
            };
            for suffix in [
                authorize_endpoint::LOGIN_SUFFIX,
                authorize_endpoint::CONSENT_SUFFIX,
            ] {
                let path = format!("{authorize_path}{suffix}");
                let handler = route(suffix);
                server
                    .mock_async(|when, then| {
                        when.method(httpmock::Method::POST).path(path.as_str());
                        then.respond_with(handler);
                    })
                    .await;
            }
            let handler = route("");
            server
                .mock_async(|when, then| {
                    when.method(httpmock::Method::GET)
                        .path(authorize_path.as_str());
                    then.respond_with(handler);
                })
                .await;
            if let Some(path) = &ac.connection_success_path {
                let cs_state = state.clone();
                server
                    .mock_async(|when, then| {
                        when.path(path.as_str());
                        then.respond_with(move |req: &httpmock::HttpMockRequest| {
                            api_probe::connection_success(
                                &mut lock(&cs_state),
                                &MockRequest::from_httpmock(req),
                            )
                            .into_httpmock()
                        });
                    })
                    .await;
            }
            let accounts = ac.accounts.clone();
            lock(&state).users.push(state::MockUser {
                username: MOCK_USERNAME.to_owned(),
                password: tokens::random_token(),
                accounts: if accounts.is_empty() {
                    vec!["default".to_owned()]
                } else {
                    accounts
                },
            });
        }
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

    /// The mock's user: name, password and accounts.
    pub fn user(&self) -> Option<state::MockUser> {
        lock(&self.state).users.first().cloned()
    }

    /// Replaces the accounts the mock's user may choose between.
    pub fn set_user_accounts(&self, accounts: Vec<String>) {
        if let Some(user) = lock(&self.state).users.first_mut() {
            user.accounts = accounts;
        }
    }

    pub fn set_refresh_rotation(&self, rotate: bool) {
        lock(&self.state).rotate_refresh_tokens = rotate;
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
            redirect_uris: vec![MOCK_REDIRECT_URI.to_owned()],
        });
    }

    /// Registers a client with a fresh random secret and returns it.
    pub fn register_random_client(&self) -> ClientCredentials {
        let credentials = ClientCredentials::new(
            format!("conformance-client-{}", &tokens::random_token()[..8]),
            tokens::random_token(),
        );
        self.register_client(&credentials);
        credentials
    }

    /// Registers the second client of the "refused for another client"
    /// scenarios, with a fresh random secret.
    pub fn register_second_client(&self) -> ClientCredentials {
        let credentials =
            ClientCredentials::new("second-conformance-client", tokens::random_token());
        self.register_client(&credentials);
        credentials
    }

    /// Makes the token endpoint answer badly (`None`: it answers normally).
    pub fn set_token_endpoint_fault(&self, fault: Option<TokenEndpointFault>) {
        lock(&self.state).faults.token_endpoint = fault;
    }

    /// Makes the token endpoint issue a bad access token (validation scenarios).
    pub fn set_access_token_fault(&self, fault: Option<AccessTokenFault>) {
        lock(&self.state).faults.access_token = fault;
    }

    /// Makes the protected API misbehave (`None`: it behaves).
    pub fn set_api_fault(&self, fault: Option<ApiFault>) {
        lock(&self.state).faults.api = fault;
    }

    /// Makes the server break one conformance rule (`None`: it conforms).
    pub fn set_broken_rule(&self, rule: Option<ServerFault>) {
        lock(&self.state).faults.broken_rule = rule;
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

/// The user who logs in at the mock's authorization endpoint.
pub const MOCK_USERNAME: &str = "conformance-user";

/// The redirect URI every mock client registers. Nothing listens there: the
/// login driver stops at the redirect and never fetches it.
pub const MOCK_REDIRECT_URI: &str = "http://127.0.0.1:9/redirect_url/";

/// How long the slow route waits: longer than any timeout a scenario sets.
pub const SLOW_DELAY_MS: u64 = 3_000;

/// A poisoned lock means a handler panicked; the state is still usable for a
/// test double, and refusing would turn one failure into many.
fn lock(state: &Mutex<MockState>) -> MutexGuard<'_, MockState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}
