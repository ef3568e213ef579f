//! What the mock authorization server remembers.

use std::collections::HashMap;

use crate::clock::Clock;
use crate::profile::Profile;

use super::faults::{AccessTokenFault, ApiFault, TokenEndpointFault};
use super::jwt::SigningAlg;

/// A client registered at the mock.
#[derive(Clone, Debug)]
pub struct MockClient {
    pub id: String,
    pub secret: String,
    /// Scopes this client may be granted.
    pub scopes: Vec<String>,
}

/// An access token the mock issued.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub client_id: String,
    pub scope: String,
    pub expires_at_ms: i64,
}

#[derive(Debug)]
pub struct MockState {
    pub profile: Profile,
    pub clock: Clock,
    pub clients: Vec<MockClient>,
    pub tokens: HashMap<String, IssuedToken>,
    /// Token requests received (every one, refused or not).
    pub token_requests: usize,
    pub fault: Option<TokenEndpointFault>,
    /// A bad access token to issue instead of a good one.
    pub token_fault: Option<AccessTokenFault>,
    pub api_fault: Option<ApiFault>,
    /// Requests that reached the protected API.
    pub api_requests: usize,
    /// How JWT access tokens are signed.
    pub signing_alg: SigningAlg,
    /// How far the server's clock is ahead of the shared clock (negative:
    /// behind), for clock skew scenarios.
    pub clock_offset_ms: i64,
}

impl MockState {
    pub fn new(profile: Profile, clock: Clock) -> Self {
        Self {
            profile,
            clock,
            clients: Vec::new(),
            tokens: HashMap::new(),
            token_requests: 0,
            fault: None,
            token_fault: None,
            api_fault: None,
            api_requests: 0,
            signing_alg: SigningAlg::Rs256,
            clock_offset_ms: 0,
        }
    }

    /// The server's own time: the shared clock plus its skew.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms() + self.clock_offset_ms
    }

    pub fn client(&self, id: &str) -> Option<&MockClient> {
        self.clients.iter().find(|c| c.id == id)
    }
}
