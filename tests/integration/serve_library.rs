//! README, "In a Rust test" (tests/integration/cli_docs.rs checks the
//! README shows this file verbatim): a client tested against
//! `ProviderDouble` in `cargo test`.

use std::time::Duration;

use oauth_conformance::{profile::Profile, serve::ProviderDouble};

/// The client under test: one client credentials token, kept for every
/// call, renewed once when the API refuses it.
struct MyClient {
    http: reqwest::Client,
    token_url: String,
    api_url: String,
    id: String,
    secret: String,
    token: Option<String>,
}

impl MyClient {
    async fn new_token(&self) -> String {
        let answer: serde_json::Value = self
            .http
            .post(&self.token_url)
            .basic_auth(&self.id, Some(&self.secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["access_token"].as_str().unwrap().to_owned()
    }

    /// A GET of the API: the kept token; after a 401, a new one, once.
    async fn call_api(&mut self) -> u16 {
        for _ in 0..2 {
            let token = match self.token.clone() {
                Some(token) => token,
                None => self.new_token().await,
            };
            self.token = Some(token.clone());
            let status = self
                .http
                .get(&self.api_url)
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16();
            if status != 401 {
                return status;
            }
            self.token = None;
        }
        401
    }
}

#[tokio::test]
async fn my_client_keeps_its_token_and_renews_it_when_refused() {
    // This crate builds reqwest without a default TLS provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let profile = Profile::load("401go").unwrap();
    let mut double = ProviderDouble::start(&profile).await.unwrap();
    let endpoint = |name: &str| {
        let found = double.endpoints().into_iter().find(|(n, _)| *n == name);
        found.unwrap().1
    };
    let creds = double.credentials();
    let mut client = MyClient {
        http: reqwest::Client::new(),
        token_url: endpoint("token"),
        api_url: endpoint("api"),
        id: creds.id.clone(),
        secret: creds.secret.expose().to_owned(),
        token: None,
    };
    for _ in 0..3 {
        assert_eq!(client.call_api().await, 200);
    }
    // The API refuses the next token it sees (401 invalid_token).
    double.fault("api_token_rejected", Some(1)).unwrap();
    assert_eq!(client.call_api().await, 200);
    // An hour later by the server's clock the token has expired.
    double.advance_clock(Duration::from_secs(3601));
    assert_eq!(client.call_api().await, 200);

    let report = double.report();
    assert_eq!(report.requests, 10, "3 tokens, 7 API calls");
    for check in [
        "token-request-client-authenticated",
        "api-request-bearer-header",
        "client-reuses-token",
        "client-renews-on-invalid-token",
    ] {
        assert_eq!(report.status(check), Some("passed"), "{check}");
    }
    assert!(report.binding_failures(false).is_empty());
    double.stop().await;
}
