//! What the mock authorization server remembers.

use std::collections::HashMap;

use crate::clock::Clock;
use crate::profile::Profile;

use super::faults::TokenEndpointFault;

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
        }
    }

    pub fn client(&self, id: &str) -> Option<&MockClient> {
        self.clients.iter().find(|c| c.id == id)
    }
}
