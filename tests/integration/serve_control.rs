//! The control API and the library double: faults on cue, the clock, the
//! report, and bad input (a 400 that says why; the server keeps serving).

use std::time::Duration;

use oauth_conformance::profile::Profile;
use oauth_conformance::serve::ProviderDouble;
use serde_json::{Value, json};

struct Fixture {
    double: ProviderDouble,
    http: reqwest::Client,
}

impl Fixture {
    async fn start(profile: &str) -> Self {
        let profile = Profile::load(profile).unwrap();
        let _ = rustls::crypto::ring::default_provider().install_default();
        Self {
            double: ProviderDouble::start(&profile).await.unwrap(),
            http: reqwest::Client::new(),
        }
    }

    fn url(&self, path: &str) -> String {
        self.double.base_url().join(path).unwrap().to_string()
    }

    async fn control(&self, path: &str, body: &str) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(&format!("_conformance/{path}")))
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    /// A client credentials request as the profile documents it (401go:
    /// Basic), its status and body.
    async fn token(&self) -> (u16, Value) {
        let creds = self.double.credentials();
        let r = self
            .http
            .post(self.url("api/o/token/"))
            .basic_auth(&creds.id, Some(creds.secret.expose()))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn api(&self, token: &str) -> u16 {
        self.http
            .get(self.url("api/example-endpoint"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

#[tokio::test]
async fn a_fault_on_cue_applies_to_the_next_matching_requests_only() {
    let f = Fixture::start("401go").await;
    let (status, body) = f
        .control("faults", r#"{"fault": "token_unavailable", "times": 2}"#)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(f.token().await.0, 503);
    assert_eq!(f.token().await.0, 503);
    let (status, body) = f.token().await;
    assert_eq!(status, 200, "the third is answered: {body}");
    // A server fault of the table, until reset.
    f.control("faults", r#"{"fault": "omits_no_store"}"#).await;
    let r = f
        .http
        .post(f.url("api/o/token/"))
        .basic_auth(
            &f.double.credentials().id,
            Some(f.double.credentials().secret.expose()),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("cache-control").is_none());
    assert_eq!(f.control("reset", "").await.0, 200);
    let r = f
        .http
        .post(f.url("api/o/token/"))
        .basic_auth(
            &f.double.credentials().id,
            Some(f.double.credentials().secret.expose()),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("cache-control").unwrap(), "no-store");
}

#[tokio::test]
async fn moving_the_clock_expires_tokens() {
    let f = Fixture::start("401go").await;
    let (_, body) = f.token().await;
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(f.api(&token).await, 200);
    let (status, body) = f.control("clock", r#"{"advance_s": 3601}"#).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(f.api(&token).await, 401, "expired by the server's clock");
    // The library does the same.
    let (_, body) = f.token().await;
    let token = body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(f.api(&token).await, 200);
    f.double.advance_clock(Duration::from_secs(3601));
    assert_eq!(f.api(&token).await, 401);
    // The client that sent the expired token was told by a 401 and renewed:
    // after the refusal, its next call carries another token.
    let (_, body) = f.token().await;
    assert_eq!(f.api(body["access_token"].as_str().unwrap()).await, 200);
    let report = f.double.report();
    assert_eq!(
        report.status("client-renews-on-invalid-token"),
        Some("passed")
    );
}

#[tokio::test]
async fn bad_control_input_is_a_400_that_says_why_and_the_server_keeps_serving() {
    let f = Fixture::start("401go").await;
    let cases = [
        ("faults", r#"{"fault": "no_such_fault"}"#, "unknown fault"),
        ("faults", r#"{"times": 1}"#, "needs \"fault\""),
        (
            "faults",
            r#"{"fault": "token_unavailable", "times": 0}"#,
            "times must be",
        ),
        (
            "faults",
            r#"{"fault": "token_slow", "seconds": -3}"#,
            "seconds must be",
        ),
        ("faults", "{not json", "not JSON"),
        ("faults", "[1]", "JSON object"),
        ("clock", r#"{"advance_s": -5}"#, "only moves forward"),
        ("clock", r#"{"advance_s": "soon"}"#, "number of seconds"),
        ("clock", "", "not JSON"),
        ("clock", "{}", "needs \"advance_s\""),
    ];
    for (path, body, says) in cases {
        let (status, answer) = f.control(path, body).await;
        assert_eq!(status, 400, "{path} {body}: {answer}");
        assert!(
            answer["error"].as_str().unwrap().contains(says),
            "{path} {body}: {answer}"
        );
    }
    let (_, answer) = f.control("faults", r#"{"fault": "no_such_fault"}"#).await;
    let known = answer["known"].as_array().unwrap();
    assert!(known.iter().any(|k| k == "token_slow") && known.iter().any(|k| k == "omits_no_store"));
    let r = f
        .http
        .get(f.url("_conformance/nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = f
        .http
        .get(f.url("_conformance/clock"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(f.token().await.0, 200, "still serving");
}

#[tokio::test]
async fn the_report_endpoint_judges_what_came_so_far_without_secrets() {
    let f = Fixture::start("401go").await;
    let creds = f.double.credentials().clone();
    // The secret in the query: a MUST NOT of RFC 6749 §2.3.1.
    f.http
        .post(format!(
            "{}?client_id={}&client_secret={}",
            f.url("api/o/token/"),
            creds.id,
            creds.secret.expose()
        ))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let r = f
        .http
        .get(f.url("_conformance/report"))
        .send()
        .await
        .unwrap();
    let text = r.text().await.unwrap();
    assert!(!text.contains(creds.secret.expose()), "{text}");
    let report: Value = serde_json::from_str(&text).unwrap();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "token-request-no-secret-in-url")
        .unwrap();
    assert_eq!(check["status"], "failed", "{check}");
    assert!(
        !check["failed"][0]["exchanges"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(report["requests"], json!(1));
    let info: Value = f
        .http
        .get(f.url("_conformance/"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(info["client_id"], json!(creds.id));
    assert!(!info.to_string().contains(creds.secret.expose()));
}

#[tokio::test]
async fn a_slow_token_answer_shows_whether_the_client_renews_once() {
    let f = Fixture::start("401go").await;
    f.control(
        "faults",
        r#"{"fault": "token_slow", "seconds": 1, "times": 2}"#,
    )
    .await;
    // Two token requests at once: a client that does not single-flight.
    let (a, b) = tokio::join!(f.token(), f.token());
    assert_eq!((a.0, b.0), (200, 200));
    assert_eq!(
        f.double.report().status("client-single-flight-renewal"),
        Some("failed")
    );
}
