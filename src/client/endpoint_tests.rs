//! A profile's endpoints on other origins than the target: requests go
//! where the profile declares them, and the plain-http rule (RFC 6749
//! §10.3, RFC 6750 §5.3) is applied to the endpoint a request goes to, not
//! to the target.

use super::*;
use crate::clock::Clock;
use crate::mock::MockAuthServer;

fn transport() -> Transport {
    Transport::new(Limits::default()).unwrap()
}

fn client(profile: Profile, target: &str) -> OAuthClient {
    OAuthClient::new(
        profile,
        target.parse().unwrap(),
        ClientCredentials::new("id", "a-secret-of-some-length"),
        transport(),
    )
}

#[tokio::test]
async fn a_token_endpoint_on_another_origin_gets_the_token_request() {
    let mut profile = Profile::load("rfc6749").unwrap();
    let mock = MockAuthServer::start(&profile, Clock::manual()).await;
    let credentials = mock.register_random_client();
    // The same loopback server under another host name: another origin.
    let port = mock.base_url().port().unwrap();
    profile.token.path = format!("http://localhost:{port}/token");
    let client = client(profile, mock.base_url().as_str()).with_credentials(credentials);
    let attempt = client
        .request_token(&TokenRequest::client_credentials())
        .await;
    assert_eq!(attempt.request.url.host_str(), Some("localhost"));
    assert!(attempt.outcome.is_ok(), "{:?}", attempt.outcome);
    assert!(client.is_at(&attempt.request.url, Endpoint::Token));
    assert!(
        !client.is_at(&mock.base_url().join("/token").unwrap(), Endpoint::Token),
        "the target's /token is another origin than the declared endpoint"
    );
}

#[tokio::test]
async fn plain_http_is_judged_at_the_endpoint_not_at_the_target() {
    // An https target, the token endpoint over plain http elsewhere: refused
    // before a byte leaves.
    let mut profile = Profile::load("rfc6749").unwrap();
    profile.token.path = "http://token.example.test/token".into();
    let refused = client(profile, "https://as.example.test/")
        .request_token(&TokenRequest::client_credentials())
        .await;
    let err = refused.outcome.unwrap_err().to_string();
    assert!(
        err.contains("plain http") && err.contains("token.example.test"),
        "{err}"
    );
    // A plain-http target on the network, the API on this machine: the
    // API call is not refused for the target's scheme, and goes only to
    // the API.
    let mut profile = Profile::load("rfc6749").unwrap();
    let mock = MockAuthServer::start(&profile, Clock::manual()).await;
    profile.api.as_mut().unwrap().probe_path = mock.base_url().join("/resource").unwrap().into();
    let called = client(profile, "http://as.example.test/")
        .call_api(&Presentation::Bearer("not-a-token".into()))
        .await;
    let answer = called.outcome.expect("sent to the API on loopback");
    assert_eq!(answer.status, 401, "the mock's API answered");
    assert_eq!(mock.api_requests(), 1);
}
