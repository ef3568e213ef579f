//! The embedded mock authorization server.
//!
//! One per scenario, on 127.0.0.1, from httpmock's pool: scenarios run
//! concurrently and never see each other's tokens. It behaves as the
//! profile's provider documents: the token endpoint accepts only the
//! documented request shape and credentials, the API probe accepts only live
//! tokens it issued. It reads time from a shared [`Clock`], so a 60-minute
//! token expires in no real time. httpmock only routes (`routes.rs`); the
//! behaviour lives in plain functions ([`token_endpoint::handle`],
//! [`api_probe::handle`]).

pub mod api_probe;
pub mod authorize_endpoint;
pub mod endpoint_auth;
pub mod faults;
pub mod http;
pub mod introspection;
pub mod jwt;
pub mod login_pages;
pub mod metadata;
pub mod revocation;
mod routes;
#[cfg(test)]
mod server_fault_tests;
pub mod state;
#[cfg(test)]
mod test_support;
pub mod token_endpoint;
pub mod tokens;
pub mod untrusted_tls;

use std::sync::{Arc, Mutex, MutexGuard};

use httpmock::MockServer;

use crate::client::ClientCredentials;
use crate::clock::Clock;
use crate::profile::{ClientAuth, Profile};

pub use faults::{AccessTokenFault, ApiFault, SLOW_DELAY_MS, ServerFault, TokenEndpointFault};
pub use jwt::SigningAlg;
pub use login_pages::LoginPages;
pub use state::UnknownScopeAlone;
use state::{MockClient, MockState, SharedState, lock};

/// A running mock authorization server for one profile.
pub struct MockAuthServer {
    server: MockServer,
    state: SharedState,
}

impl std::fmt::Debug for MockAuthServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockAuthServer")
            .field("base_url", &self.server.base_url())
            .finish_non_exhaustive()
    }
}

impl MockAuthServer {
    /// Starts a mock for `profile`, with the routes the profile documents
    /// and, for the code flow, its user.
    pub async fn start(profile: &Profile, clock: Clock) -> Self {
        // The mock serves every endpoint on its own origin, revocation and
        // introspection for every profile.
        let profile = &profile.for_mock();
        if profile.authorization_code.is_some() {
            // Before taking a server of our own: see login_origin::shared.
            authorize_endpoint::login_origin::shared().await;
        }
        let server = MockServer::start_async().await;
        let mut initial = MockState::new(profile.clone(), clock);
        initial.base_url = server.base_url().trim_end_matches('/').to_owned();
        let state = Arc::new(Mutex::new(initial));
        routes::token_endpoint(&server, &state, &profile.token.path).await;
        if let Some(api) = &profile.api {
            routes::api(&server, &state, &api.probe_path).await;
            if let Some((path, scope)) = api.scoped_probe() {
                routes::scoped_api(&server, &state, path, scope).await;
            }
            // Another origin: the same loopback server under another host name.
            let elsewhere = format!("http://localhost:{}/conformance/elsewhere", server.port());
            routes::moved_api(&server, &elsewhere).await;
        }
        if let Some(ac) = &profile.authorization_code {
            routes::authorization(&server, &state, &ac.authorize_path).await;
            if let Some(path) = &ac.connection_success_path {
                routes::connection_success(&server, &state, path).await;
            }
            lock(&state).users.push(mock_user(&ac.accounts));
        }
        routes::jwks(&server).await;
        routes::metadata(&server, &state).await;
        if let Some(path) = &profile.revocation_path {
            routes::post_endpoint(&server, &state, path, revocation::handle).await;
        }
        if let Some(path) = &profile.introspection_path {
            routes::post_endpoint(&server, &state, path, introspection::handle).await;
        }
        Self { server, state }
    }

    /// Serves the login and consent pages in the shape `pages` says; the
    /// second-origin shape puts the login page on the login origin (another
    /// loopback port), at a path of this mock's own.
    pub async fn set_login_pages(&mut self, pages: LoginPages) {
        let authorize_path = {
            let mut state = lock(&self.state);
            state.login_pages = pages;
            if pages != LoginPages::SecondOrigin || state.login_origin.is_some() {
                return;
            }
            state
                .profile
                .authorization_code
                .as_ref()
                .map(|ac| ac.authorize_path.clone())
        };
        let Some(authorize_path) = authorize_path else {
            return;
        };
        let origin = authorize_endpoint::login_origin::shared().await;
        let login_path = format!("/{}/login", &tokens::random_token()[..12]);
        routes::login_origin(origin, &self.state, &login_path, &authorize_path).await;
        let mut state = lock(&self.state);
        state.login_origin = url::Url::parse(&origin.url(&login_path)).ok();
        state.target_origin = Some(self.server.base_url());
    }

    /// The login page's URL on the login origin, when it serves one.
    pub fn login_origin(&self) -> Option<url::Url> {
        lock(&self.state).login_origin.clone()
    }

    /// What each origin received at the authorization endpoint and the
    /// login page.
    pub fn received(&self) -> Vec<state::Received> {
        lock(&self.state).received.clone()
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

    /// Makes the token endpoint narrow a request for scopes the client was
    /// not given to those it was, and say so (RFC 6749 §3.3).
    pub fn set_scope_narrowing(&self, narrows: bool) {
        lock(&self.state).narrows_scopes = narrows;
    }

    /// Makes the authorization endpoint send its error responses in the
    /// redirect URI's fragment (see [`MockState::errors_in_fragment`]).
    pub fn set_errors_in_fragment(&self, in_fragment: bool) {
        lock(&self.state).errors_in_fragment = in_fragment;
    }

    /// How a request whose every scope is one the client was not given is
    /// answered at both endpoints (see [`UnknownScopeAlone`]).
    pub fn set_unknown_scope_alone(&self, answer: UnknownScopeAlone) {
        lock(&self.state).unknown_scope_alone = answer;
    }

    /// Leaves `scopes_supported` out of the metadata (RFC 8414 §2:
    /// RECOMMENDED only), as many servers do; the scopes stay as they are.
    pub fn set_scopes_listed(&self, listed: bool) {
        lock(&self.state).lists_scopes = listed;
    }

    /// Makes the metadata name every endpoint under `host` (on the mock's
    /// port) instead of `127.0.0.1`: another origin for a client, served
    /// by this same mock. `None`: its own base URL.
    pub fn set_endpoint_host(&self, host: Option<&str>) {
        lock(&self.state).publication.endpoint_host = host.map(str::to_owned);
    }

    /// Makes the mock publish its metadata only as OpenID Connect discovery
    /// (`/.well-known/openid-configuration`), answering 404 at the RFC 8414
    /// URI; `false`: only at the RFC 8414 URI, as by default.
    pub fn set_openid_only(&self, openid_only: bool) {
        lock(&self.state).publication.openid_only = openid_only;
    }

    /// Serves a consent form without a CSRF token (nor any other
    /// per-request value), bound to the session cookie alone.
    pub fn set_consent_without_token(&self, without: bool) {
        lock(&self.state).consent_without_token = without;
    }

    /// The session cookie's `SameSite` attribute (`None`: none at all).
    pub fn set_session_same_site(&self, same_site: Option<&str>) {
        lock(&self.state).session_same_site = same_site.map(str::to_owned);
    }

    pub fn set_refresh_rotation(&self, rotate: bool) {
        lock(&self.state).rotate_refresh_tokens = rotate;
    }

    pub fn base_url(&self) -> url::Url {
        // httpmock's base URL is always a valid http://127.0.0.1:port.
        url::Url::parse(&self.server.base_url())
            .unwrap_or_else(|_| url::Url::parse("http://127.0.0.1/").expect("static URL"))
    }

    /// The mock's issuer identifier (RFC 8414 §2): its base URL without a
    /// trailing `/`, unless it breaks that rule on purpose.
    pub fn issuer(&self) -> String {
        metadata::issuer(&lock(&self.state))
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
            grants: Vec::new(),
            auth_method: None,
        });
    }

    /// Registers a client for the authorization code grant only (and
    /// refresh), with a fresh random secret.
    pub fn register_restricted_client(&self) -> ClientCredentials {
        let credentials =
            ClientCredentials::new("code-only-conformance-client", tokens::random_token());
        self.register_client(&credentials);
        if let Some(client) = lock(&self.state)
            .clients
            .iter_mut()
            .find(|c| c.id == credentials.id)
        {
            client.grants = vec!["authorization_code".into(), "refresh_token".into()];
        }
        credentials
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

    /// Registers a client with a fresh random id and secret and no default
    /// scope: its requests without scope are failed with `invalid_scope`
    /// (RFC 6749 §3.3 lets a server choose that over a default).
    pub fn register_client_without_default_scope(&self) -> ClientCredentials {
        let credentials = self.register_random_client();
        lock(&self.state)
            .without_default_scope
            .push(credentials.id.clone());
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

    /// Registers the second client for one authentication method only, as
    /// a server's admin may have set it up (RFC 7591 §2
    /// `token_endpoint_auth_method`): a token request of its with another
    /// method is refused with `invalid_client` (RFC 6749 §5.2: "unsupported
    /// authentication method"). What a run given a client registered for
    /// another method than the profile's meets.
    pub fn register_second_client_for(&self, method: ClientAuth) -> ClientCredentials {
        let credentials = self.register_second_client();
        if let Some(client) = lock(&self.state)
            .clients
            .iter_mut()
            .find(|c| c.id == credentials.id)
        {
            client.auth_method = Some(method);
        }
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
/// An API resource that has moved to another origin: the mock answers a
/// 307 redirect to the same server under the host name `localhost`, which
/// is another origin than `127.0.0.1` (RFC 6454), so a client that follows
/// it with its token is seen leaking it (RFC 6750 §5.3).
pub const MOVED_API_PATH: &str = "/conformance/moved";

pub const MOCK_USERNAME: &str = "conformance-user";

/// The redirect URI every mock client registers. Nothing listens there: the
/// login driver stops at the redirect and never fetches it.
pub const MOCK_REDIRECT_URI: &str = "http://127.0.0.1:9/redirect_url/";

/// An http redirect URI on a host that is not loopback, which every mock
/// client tries to register beside [`MOCK_REDIRECT_URI`] (its path is the
/// same). A conforming mock never allows it (RFC 9700 §2.6), so it is never
/// redirected to; the `.test` host is never contacted.
pub const MOCK_HTTP_REDIRECT_URI: &str = "http://client.mock.test/redirect_url/";

/// The user who logs in at the authorization endpoint, with a fresh random
/// password, and the profile's accounts to choose from (one "default" when
/// the profile names none).
fn mock_user(accounts: &[String]) -> state::MockUser {
    state::MockUser {
        username: MOCK_USERNAME.to_owned(),
        password: tokens::random_token(),
        accounts: if accounts.is_empty() {
            vec!["default".to_owned()]
        } else {
            accounts.to_vec()
        },
    }
}
