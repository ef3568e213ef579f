//! Builders the mock's unit tests share: a mock on a manual clock with its
//! clients registered, requests as a client sends them, and what an answer
//! says. The handlers are plain functions, so the tests call them directly.

use crate::client::ClientCredentials;
use crate::clock::Clock;
use crate::profile::Profile;

use super::MOCK_REDIRECT_URI;
use super::http::{MockRequest, MockResponse};
use super::state::{MockClient, MockState};

/// A header as the tests write it: lower-case name, value.
pub type Header = (&'static str, String);

/// A mock of `profile` with these clients (id, secret) registered, each
/// allowed every scope of the profile and [`MOCK_REDIRECT_URI`]. The clock is
/// manual, so lifetimes pass in no real time.
pub fn state(profile: &str, clients: &[(&str, &str)]) -> MockState {
    let profile = Profile::load(profile).unwrap_or_else(|e| panic!("{e}"));
    let mut state = MockState::new(profile, Clock::manual());
    for (id, secret) in clients {
        state.clients.push(MockClient {
            id: (*id).into(),
            secret: (*secret).into(),
            scopes: state.profile.mock.scopes.clone(),
            redirect_uris: vec![MOCK_REDIRECT_URI.into()],
            grants: Vec::new(),
            auth_method: None,
        });
    }
    state
}

/// A request as it reaches a handler; the path is `path_and_query` without
/// its query.
pub fn request(
    method: &str,
    path_and_query: &str,
    headers: Vec<Header>,
    body: &str,
) -> MockRequest {
    MockRequest {
        method: method.into(),
        path: path_and_query.split('?').next().unwrap_or_default().into(),
        path_and_query: path_and_query.into(),
        headers: headers
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

/// A form-encoded POST of `body` to the token endpoint, with these headers.
pub fn form(headers: Vec<Header>, body: &str) -> MockRequest {
    let mut headers = headers;
    headers.push(form_type());
    request("POST", "/api/o/token/", headers, body)
}

pub fn form_type() -> Header {
    ("content-type", "application/x-www-form-urlencoded".into())
}

/// HTTP Basic client authentication (RFC 6749 §2.3.1), encoded as the
/// client encodes it.
pub fn basic(id: &str, secret: &str) -> Header {
    (
        "authorization",
        ClientCredentials::new(id, secret).basic_authorization(),
    )
}

/// The JSON body of `response`; a body that is not JSON fails the test with it.
pub fn json(response: &MockResponse) -> serde_json::Value {
    serde_json::from_slice(&response.body).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}",
            String::from_utf8_lossy(&response.body)
        )
    })
}

/// (status, error code) of a JSON refusal.
pub fn error_of(response: &MockResponse) -> (u16, String) {
    let error = json(response)["error"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (response.status, error)
}
