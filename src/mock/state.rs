//! What the mock authorization server remembers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clock::Clock;
use crate::profile::{ClientAuth, Profile};

use super::faults::{AccessTokenFault, ApiFault, ServerFault, TokenEndpointFault};
use super::jwt::SigningAlg;
use super::login_pages::LoginPages;

/// A client registered at the mock.
#[derive(Clone, Debug)]
pub struct MockClient {
    pub id: String,
    pub secret: String,
    /// Scopes this client may be granted.
    pub scopes: Vec<String>,
    /// Registered redirect URIs (RFC 6749 §3.1.2.2), matched exactly.
    pub redirect_uris: Vec<String>,
    /// The grant types it is registered for; empty: every grant the
    /// profile documents.
    pub grants: Vec<String>,
    /// The one authentication method it is registered for (RFC 7591 §2's
    /// `token_endpoint_auth_method`); `None`: whichever the profile
    /// documents for the grant.
    pub auth_method: Option<ClientAuth>,
}

/// A user who can log in at the mock's authorization endpoint.
#[derive(Clone, Debug)]
pub struct MockUser {
    pub username: String,
    pub password: String,
    /// The accounts this user may grant access to (seed 001: participant,
    /// company, advisor).
    pub accounts: Vec<String>,
}

/// An authorization in progress, between the authorize URL and the redirect.
#[derive(Clone, Debug)]
pub struct PendingAuthorization {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    /// Whether the token response will leave out that `scope` differs from
    /// the request's (see [`UnknownScopeAlone::DefaultUnsaid`]).
    pub scope_unsaid: bool,
    pub state: Option<String>,
    pub code_challenge: Option<String>,
    pub user: Option<String>,
    /// The session cookie's value, which every later step must carry.
    pub cookie: String,
    /// The login origin's own cookie, once it set one.
    pub login_cookie: Option<String>,
    /// The consent form's CSRF token (RFC 6749 §10.12): an approval must
    /// carry it back, so a cross-site POST gets no code.
    pub csrf_token: String,
}

/// How the mock answers a request whose every scope is one the client was
/// not given (a lone unknown scope), at the token and the authorization
/// endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnknownScopeAlone {
    /// `invalid_scope` (RFC 6749 §5.2, §4.1.2.1).
    #[default]
    Refused,
    /// Its default scope instead, saying so in `scope`: RFC 6749 §3.3 lets
    /// a server ignore the scope requested, and asks it to say what it
    /// granted.
    DefaultSaid,
    /// Its default scope instead, with no `scope` in the token response, as
    /// though the request had been granted as asked: §3.3 forbids that.
    DefaultUnsaid,
}

impl UnknownScopeAlone {
    /// Whether a lone unknown scope gets the default scope.
    pub fn grants_default(self) -> bool {
        self != UnknownScopeAlone::Refused
    }
}

/// Which of the mock's origins received a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The authorization server (the target).
    Target,
    /// The second origin that serves the login page.
    LoginOrigin,
}

/// What an origin received at the authorization endpoint or the login page.
#[derive(Clone, Debug)]
pub struct Received {
    pub side: Side,
    pub path: String,
    /// The `Cookie` header, as sent.
    pub cookie: String,
    /// The query string and the form body, as sent.
    pub fields: String,
}

/// An authorization code the mock issued.
#[derive(Clone, Debug)]
pub struct IssuedCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    /// Whether the exchange's token response leaves `scope` out though it
    /// differs from the authorization request's.
    pub scope_unsaid: bool,
    pub account: Option<String>,
    pub code_challenge: Option<String>,
    pub expires_at_ms: i64,
    pub used: bool,
    /// Tokens issued from this code, revoked if the code is replayed (§10.5).
    pub issued: Vec<String>,
}

/// A refresh token the mock issued.
#[derive(Clone, Debug)]
pub struct IssuedRefresh {
    pub client_id: String,
    pub scope: String,
    pub account: Option<String>,
    pub expires_at_ms: i64,
    pub revoked: bool,
    /// The access token issued last in this grant (with this refresh token,
    /// or with the one it rotated from): what a server that answers a
    /// refresh with the same access token hands out again.
    pub access_token: String,
}

/// An access token the mock issued.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    pub client_id: String,
    pub scope: String,
    pub expires_at_ms: i64,
    /// The account the token acts for (authorization code flow).
    pub account: Option<String>,
    pub revoked: bool,
}

/// The faults switched on, one field per family; all `None`: the mock
/// behaves as the profile's provider documents. The families are apart
/// because they serve different scenarios and may be on together.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// A bad answer the token endpoint gives instead of its own (the
    /// client's robustness scenarios).
    pub token_endpoint: Option<TokenEndpointFault>,
    /// A bad access token the token endpoint issues instead of a good one
    /// (the validation scenarios).
    pub access_token: Option<AccessTokenFault>,
    /// A way the protected API misbehaves (renewal scenarios).
    pub api: Option<ApiFault>,
    /// The one conformance rule the server breaks (the fault proofs).
    pub broken_rule: Option<ServerFault>,
}

#[derive(Debug)]
pub struct MockState {
    pub profile: Profile,
    /// Where the mock listens, without a trailing `/` (set when it starts):
    /// its issuer identifier (RFC 8414 §2), and the base of the endpoint
    /// URLs its metadata names.
    pub base_url: String,
    pub clock: Clock,
    pub clients: Vec<MockClient>,
    pub tokens: HashMap<String, IssuedToken>,
    pub users: Vec<MockUser>,
    /// Pending authorizations by session id.
    pub sessions: HashMap<String, PendingAuthorization>,
    pub codes: HashMap<String, IssuedCode>,
    pub refresh_tokens: HashMap<String, IssuedRefresh>,
    /// Whether refresh tokens rotate (the profile's default, switchable).
    pub rotate_refresh_tokens: bool,
    /// Connection-success calls received, by client id.
    pub connection_successes: Vec<String>,
    /// Token requests received (every one, refused or not).
    pub token_requests: usize,
    pub faults: Faults,
    /// Requests that reached the protected API.
    pub api_requests: usize,
    /// How JWT access tokens are signed.
    pub signing_alg: SigningAlg,
    /// How far the server's clock is ahead of the shared clock (negative:
    /// behind), for clock skew scenarios.
    pub clock_offset_ms: i64,
    /// Whether a request naming scopes the client was not given gets a token
    /// for the ones it was given, saying so in `scope` (RFC 6749 §3.3 lets a
    /// server narrow), instead of `invalid_scope`.
    pub narrows_scopes: bool,
    /// Whether error responses at the authorization endpoint come back in
    /// the redirect URI's fragment instead of its query (RFC 6749 §4.1.2.1
    /// adds them to the query): a harness arrangement, not a fault of the
    /// table, as it breaks every error-redirect check at once.
    pub errors_in_fragment: bool,
    /// How a request whose every scope is one the client was not given is
    /// answered, at both endpoints.
    pub unknown_scope_alone: UnknownScopeAlone,
    /// Clients registered without a default scope: a request of theirs
    /// without scope is failed with `invalid_scope` (RFC 6749 §3.3).
    pub without_default_scope: Vec<String>,
    /// Whether the metadata lists the scopes (`scopes_supported`, which
    /// RFC 8414 §2 only RECOMMENDS); many servers leave it out.
    pub lists_scopes: bool,
    /// The shape of the login and consent pages.
    pub login_pages: LoginPages,
    /// The login page's URL on the second origin, once it serves one.
    pub login_origin: Option<url::Url>,
    /// The mock's own base URL, for the login origin's way back.
    pub target_origin: Option<String>,
    /// What the authorization endpoint and the login origin received.
    pub received: Vec<Received>,
    /// The cookie values each origin set.
    pub cookies_set: Vec<(Side, String)>,
    /// How the metadata is published (conforming ways real servers differ).
    pub publication: Publication,
    /// Whether the consent form carries no CSRF token (nor any other
    /// per-request value): the consent is bound to the session cookie
    /// alone, as on servers that rely on SameSite cookies.
    pub consent_without_token: bool,
    /// The session cookie's `SameSite` attribute (`None`: none at all).
    pub session_same_site: Option<String>,
    /// The grant every access and refresh token belongs to (token → grant
    /// id): what a revoked refresh token takes with it (RFC 7009 §2.1) and
    /// what a reused rotated one revokes (RFC 9700 §4.14.2).
    pub grants: HashMap<String, String>,
    /// The refresh tokens rotated away: presented again, they tell of a
    /// breach (RFC 9700 §4.14.2), unlike one the client revoked.
    pub rotated_away: std::collections::HashSet<String>,
}

/// Where the mock's metadata is, and where it says the endpoints are: ways
/// conforming servers differ from the mock's default (RFC 8414 document,
/// endpoints on the mock's own origin).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Publication {
    /// The host name the metadata gives the endpoints, on the mock's port
    /// (`localhost` while the mock is reached as `127.0.0.1`: another
    /// origin, RFC 6454, served by the same server), as a server that
    /// knows itself by another name publishes them.
    pub endpoint_host: Option<String>,
    /// Only the OpenID Connect discovery document
    /// (`/.well-known/openid-configuration`, Discovery 1.0 §4) is served;
    /// the RFC 8414 URI answers 404, as on a server without RFC 8414
    /// metadata (RFC 8414 is optional).
    pub openid_only: bool,
}

impl MockState {
    pub fn new(profile: Profile, clock: Clock) -> Self {
        let rotate_refresh_tokens = profile.mock.rotate_refresh_tokens;
        Self {
            profile,
            base_url: String::new(),
            clock,
            clients: Vec::new(),
            tokens: HashMap::new(),
            users: Vec::new(),
            sessions: HashMap::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            rotate_refresh_tokens,
            connection_successes: Vec::new(),
            token_requests: 0,
            faults: Faults::default(),
            api_requests: 0,
            signing_alg: SigningAlg::Rs256,
            clock_offset_ms: 0,
            narrows_scopes: false,
            errors_in_fragment: false,
            unknown_scope_alone: UnknownScopeAlone::Refused,
            without_default_scope: Vec::new(),
            lists_scopes: true,
            login_pages: LoginPages::default(),
            login_origin: None,
            target_origin: None,
            received: Vec::new(),
            cookies_set: Vec::new(),
            publication: Publication::default(),
            consent_without_token: false,
            session_same_site: Some("Lax".into()),
            grants: HashMap::new(),
            rotated_away: Default::default(),
        }
    }

    /// Whether the consent form carries a CSRF token the approval must
    /// return (RFC 6749 §10.12).
    pub fn consent_has_token(&self) -> bool {
        !self.consent_without_token && !self.breaks(ServerFault::ConsentFormWithoutCsrfToken)
    }

    /// The session cookie's `SameSite` attribute: none on a server that
    /// protects its consent by nothing else either.
    pub fn session_same_site(&self) -> Option<&str> {
        if self.breaks(ServerFault::ConsentWithoutCsrfProtection)
            || self.breaks(ServerFault::ConsentFormWithoutCsrfToken)
        {
            return None;
        }
        self.session_same_site.as_deref()
    }

    /// The server's own time: the shared clock plus its skew.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms() + self.clock_offset_ms
    }

    /// Whether the server was told to break the rule `fault` names. Each
    /// rule's enforcement asks this, so a fault changes that one place only.
    pub fn breaks(&self, fault: ServerFault) -> bool {
        self.faults.broken_rule == Some(fault)
    }

    /// Revokes every access and refresh token of `grant`.
    pub fn revoke_grant(&mut self, grant: &str) {
        let members: Vec<String> = self
            .grants
            .iter()
            .filter(|(_, g)| *g == grant)
            .map(|(t, _)| t.clone())
            .collect();
        for token in members {
            if let Some(t) = self.tokens.get_mut(&token) {
                t.revoked = true;
            }
            if let Some(r) = self.refresh_tokens.get_mut(&token) {
                r.revoked = true;
            }
        }
    }

    pub fn client(&self, id: &str) -> Option<&MockClient> {
        self.clients.iter().find(|c| c.id == id)
    }

    /// The scope a request of `client` that names none is granted: RFC 6749
    /// §3.3's pre-defined default, the profile's `[mock] default_scope`,
    /// else every scope the client may have.
    pub fn default_scope_for(&self, client: &MockClient) -> String {
        self.profile
            .mock
            .default_scope
            .clone()
            .unwrap_or_else(|| client.scopes.join(" "))
    }
}

/// The state as the mock's routes and its owner share it.
pub type SharedState = Arc<Mutex<MockState>>;

/// A poisoned lock means a handler panicked; the state is still usable for a
/// test double, and refusing would turn one failure into many.
pub(super) fn lock(state: &Mutex<MockState>) -> MutexGuard<'_, MockState> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}
