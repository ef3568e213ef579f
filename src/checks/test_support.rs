//! Builders the checks' unit tests share: answers, requests and attempts as
//! a server or a client would produce them.

use crate::client::{
    HttpAnswer, HttpRequest, Misstep, TokenAttempt, TransportError, parse_token_answer,
};

/// An answer with `status`, these headers (names as given) and `body`.
pub fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> HttpAnswer {
    HttpAnswer {
        url: "http://127.0.0.1:1/t".parse().expect("static URL"),
        status,
        headers: headers
            .iter()
            .map(|(a, b)| (a.to_ascii_lowercase(), b.to_string()))
            .collect(),
        body: body.as_bytes().to_vec(),
    }
}

pub const JSON: (&str, &str) = ("content-type", "application/json");

/// A conforming §5.1 token answer.
pub fn token_answer() -> HttpAnswer {
    answer(
        200,
        &[JSON, ("cache-control", "no-store"), ("pragma", "no-cache")],
        r#"{"access_token":"t0k","token_type":"Bearer","expires_in":3600}"#,
    )
}

/// A request as the client sent it.
pub fn request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> HttpRequest {
    HttpRequest {
        method: method.into(),
        url: url.parse().expect("test URL"),
        headers: headers
            .iter()
            .map(|(a, b)| (a.to_ascii_lowercase(), b.to_string()))
            .collect(),
        body: body.map(|b| b.as_bytes().to_vec()),
    }
}

/// A token attempt that made `misstep` and got `answer` (none: the request
/// timed out).
pub fn attempt(misstep: Option<Misstep>, answer: Option<HttpAnswer>) -> TokenAttempt {
    let outcome = match &answer {
        Some(a) => parse_token_answer(a),
        None => Err(TransportError::Timeout {
            url: "http://127.0.0.1:1/t".into(),
            limit: std::time::Duration::from_secs(1),
        }
        .into()),
    };
    TokenAttempt {
        request: request("POST", "http://127.0.0.1:1/t", &[], Some("grant_type=x")),
        misstep,
        answer,
        outcome,
    }
}

/// An authorization request sent to `url` (its query says what was asked),
/// redirecting back to `http://127.0.0.1:9/cb`, and where it led.
pub fn authorization_attempt(
    url: &str,
    redirect: Result<String, crate::client::login::LoginError>,
) -> crate::client::code_flow::AuthorizationAttempt {
    crate::client::code_flow::AuthorizationAttempt {
        request: crate::client::authorize::AuthorizationRequest {
            client_id: "c".into(),
            redirect_uri: "http://127.0.0.1:9/cb".into(),
            scope: None,
            state: None,
            pkce: None,
            departures: Vec::new(),
        },
        url: url.parse().expect("a test URL"),
        redirect,
        journey: Default::default(),
    }
}
