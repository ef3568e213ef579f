//! Which of the mock's handlers answers a request: the same routes as
//! `mock::routes` gives httpmock, read from the profile, for `serve`'s own
//! HTTP server. The behaviour stays in the mock's handlers.

use crate::mock::http::{MockRequest, MockResponse};
use crate::mock::login_pages::{
    ABORT_SUFFIX, CONSENT_PAGE_SUFFIX, CONSENT_SUFFIX, CONTINUE_SUFFIX, DENY_SUFFIX, LOGIN_SUFFIX,
};
use crate::mock::state::MockState;
use crate::mock::{
    MOVED_API_PATH, api_probe, authorize_endpoint, introspection, jwt, metadata, revocation,
    token_endpoint,
};
use crate::profile::Profile;

/// What a request was for, as the judge and the faults on cue see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    Token,
    /// The authorization request itself (`GET <authorize_path>`).
    Authorize,
    /// The login and consent pages behind it.
    LoginPage,
    Api,
    ConnectionSuccess,
    Jwks,
    Metadata,
    /// Token revocation (RFC 7009), where the profile names its path.
    Revocation,
    /// Token introspection (RFC 7662), where the profile names its path.
    Introspection,
    /// Nothing the provider serves.
    Unknown,
}

impl Endpoint {
    /// The protected API and the calls that take an access token.
    pub fn takes_access_token(self) -> bool {
        matches!(self, Endpoint::Api | Endpoint::ConnectionSuccess)
    }
}

/// The paths the profile's provider serves, on the server's one origin.
#[derive(Clone, Debug)]
pub struct Paths {
    pub token: String,
    pub authorize: Option<String>,
    pub connection_success: Option<String>,
    pub api: Option<String>,
    pub scoped_api: Option<(String, String)>,
    pub revocation: Option<String>,
    pub introspection: Option<String>,
}

impl Paths {
    pub fn of(profile: &Profile) -> Self {
        let ac = profile.authorization_code.as_ref();
        Self {
            token: profile.token.path.clone(),
            authorize: ac.map(|ac| ac.authorize_path.clone()),
            connection_success: ac.and_then(|ac| ac.connection_success_path.clone()),
            api: profile.api.as_ref().map(|a| a.probe_path.clone()),
            scoped_api: profile
                .api
                .as_ref()
                .and_then(|a| a.scoped_probe())
                .map(|(p, s)| (p.to_owned(), s.to_owned())),
            revocation: profile.revocation_path.clone(),
            introspection: profile.introspection_path.clone(),
        }
    }

    /// Which endpoint `method` `path` is.
    pub fn endpoint(&self, method: &str, path: &str) -> Endpoint {
        if path == self.token {
            return Endpoint::Token;
        }
        if self.api.as_deref() == Some(path)
            || self.scoped_api.as_ref().is_some_and(|(p, _)| p == path)
            || path == MOVED_API_PATH
        {
            return Endpoint::Api;
        }
        if self.connection_success.as_deref() == Some(path) {
            return Endpoint::ConnectionSuccess;
        }
        // Every method reaches them; their handlers refuse all but POST.
        if self.revocation.as_deref() == Some(path) {
            return Endpoint::Revocation;
        }
        if self.introspection.as_deref() == Some(path) {
            return Endpoint::Introspection;
        }
        if let Some(authorize) = &self.authorize {
            if path == authorize && method == "GET" {
                return Endpoint::Authorize;
            }
            if let Some(suffix) = path.strip_prefix(authorize.as_str())
                && page(method, suffix).is_some()
            {
                return Endpoint::LoginPage;
            }
        }
        if method == "GET" && path == jwt::JWKS_PATH {
            return Endpoint::Jwks;
        }
        if method == "GET" && (path == metadata::path() || path == metadata::openid_path()) {
            return Endpoint::Metadata;
        }
        Endpoint::Unknown
    }
}

/// The login pages' handlers, by method and the suffix after the
/// authorization endpoint's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Page {
    Login,
    Consent,
    Deny,
    ToConsent,
}

fn page(method: &str, suffix: &str) -> Option<Page> {
    match (method, suffix) {
        ("POST", LOGIN_SUFFIX) => Some(Page::Login),
        ("POST", CONSENT_SUFFIX) => Some(Page::Consent),
        ("POST", DENY_SUFFIX) | ("GET", ABORT_SUFFIX) => Some(Page::Deny),
        ("POST", CONTINUE_SUFFIX) | ("GET", CONSENT_PAGE_SUFFIX) => Some(Page::ToConsent),
        _ => None,
    }
}

/// The mock's answer to `req`, which is for `endpoint`; `port`: where the
/// server listens (the moved API's other origin is on it).
pub fn answer(
    state: &mut MockState,
    paths: &Paths,
    endpoint: Endpoint,
    req: &MockRequest,
    port: u16,
) -> MockResponse {
    match endpoint {
        Endpoint::Token => token_endpoint::handle(state, req),
        Endpoint::Api if req.path == MOVED_API_PATH => {
            // Another origin: the same server under another host name.
            let elsewhere = format!("http://localhost:{port}/conformance/elsewhere");
            MockResponse {
                status: 307,
                headers: vec![("location".into(), elsewhere)],
                body: Vec::new(),
            }
        }
        Endpoint::Api => match &paths.scoped_api {
            Some((path, scope)) if *path == req.path => api_probe::handle_scoped(state, req, scope),
            _ => api_probe::handle(state, req),
        },
        Endpoint::ConnectionSuccess => api_probe::connection_success(state, req),
        Endpoint::Authorize | Endpoint::LoginPage => {
            let authorize = paths.authorize.clone().unwrap_or_default();
            let suffix = req.path.strip_prefix(authorize.as_str()).unwrap_or("");
            let response = match page(&req.method, suffix) {
                None => authorize_endpoint::start(state, req, &authorize),
                Some(Page::Login) => authorize_endpoint::login(state, req, &authorize),
                Some(Page::Consent) => authorize_endpoint::consent(state, req),
                Some(Page::Deny) => authorize_endpoint::deny(state, req),
                Some(Page::ToConsent) => authorize_endpoint::to_consent(state, req, &authorize),
            };
            // What the pages say to a browser (frame protection, no CORS),
            // as the embedded mock's page routes add it.
            authorize_endpoint::browser_headers::add(state, response)
        }
        Endpoint::Revocation => revocation::handle(state, req),
        Endpoint::Introspection => introspection::handle(state, req),
        Endpoint::Jwks => match jwt::jwks() {
            Ok(set) => MockResponse::json(200, &serde_json::json!(set)),
            Err(e) => MockResponse::oauth_error(500, "server_error", &e.to_string()),
        },
        Endpoint::Metadata if req.path == metadata::openid_path() => {
            metadata::handle_openid(state, req)
        }
        Endpoint::Metadata => metadata::handle(state, req),
        Endpoint::Unknown => MockResponse::json(
            404,
            &serde_json::json!({
                "error": "not_found",
                "error_description": "The provider serves nothing at this path",
            }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_profile_paths_name_their_endpoints() {
        let profile = Profile::load("401go").unwrap().on_one_origin();
        let paths = Paths::of(&profile);
        assert_eq!(paths.endpoint("POST", "/api/o/token/"), Endpoint::Token);
        assert_eq!(paths.endpoint("GET", "/api/o/token/"), Endpoint::Token);
        assert_eq!(
            paths.endpoint("GET", "/api/o/authorize/"),
            Endpoint::Authorize
        );
        assert_eq!(
            paths.endpoint("POST", "/api/o/authorize/login"),
            Endpoint::LoginPage
        );
        assert_eq!(
            paths.endpoint("GET", "/api/o/authorize/login"),
            Endpoint::Unknown
        );
        assert_eq!(
            paths.endpoint("GET", "/api/example-endpoint"),
            Endpoint::Api
        );
        assert_eq!(
            paths.endpoint("GET", "/api/o/connection-success/"),
            Endpoint::ConnectionSuccess
        );
        assert_eq!(paths.endpoint("GET", jwt::JWKS_PATH), Endpoint::Jwks);
        assert_eq!(paths.endpoint("GET", &metadata::path()), Endpoint::Metadata);
        assert_eq!(
            paths.endpoint("POST", "/api/o/revoke_token/"),
            Endpoint::Revocation
        );
        assert_eq!(
            paths.endpoint("POST", "/api/o/introspect/"),
            Endpoint::Introspection
        );
        assert_eq!(paths.endpoint("GET", "/nothing"), Endpoint::Unknown);
    }
}
