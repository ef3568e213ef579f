//! Requests another site's script would make to the authorization endpoint
//! (RFC 9700 §2.6: "CORS MUST NOT be supported at the Authorization
//! Endpoint"): a preflight, and a GET with that site's `Origin`, each sent
//! once, without cookies and without following a redirect.

use super::login::forgery::CROSS_SITE_ORIGIN;
use super::recording::HttpRequest;
use super::transport::Transport;
use crate::redact::redact;

/// One answer of the authorization endpoint to a request from another
/// site's script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsAnswer {
    /// "OPTIONS http://host/authorize (preflight)", redacted.
    pub request: String,
    /// The status, or why no answer came.
    pub status: Result<u16, String>,
    pub allow_origin: Option<String>,
    pub allow_credentials: Option<String>,
}

/// Sends the preflight (`OPTIONS` asking to `POST` with a JSON
/// `Content-Type`, which no simple request may carry) and the simple `GET`
/// of `authorize_url` from [`CROSS_SITE_ORIGIN`].
pub async fn probe(transport: &Transport, authorize_url: &url::Url) -> Vec<CorsAnswer> {
    let origin = ("origin".to_owned(), CROSS_SITE_ORIGIN.to_owned());
    let preflight = HttpRequest {
        method: "OPTIONS".into(),
        url: authorize_url.clone(),
        headers: vec![
            origin.clone(),
            ("access-control-request-method".into(), "POST".into()),
            (
                "access-control-request-headers".into(),
                "content-type".into(),
            ),
        ],
        body: None,
    };
    let simple = HttpRequest {
        method: "GET".into(),
        url: authorize_url.clone(),
        headers: vec![origin, ("accept".into(), "*/*".into())],
        body: None,
    };
    let mut answers = Vec::new();
    for (request, what) in [(preflight, "preflight"), (simple, "simple request")] {
        let mut shown = request.url.clone();
        shown.set_query(None);
        let described = redact(&format!("{} {shown} ({what})", request.method));
        answers.push(match transport.send(&request).await {
            Ok(answer) => CorsAnswer {
                request: described,
                status: Ok(answer.status),
                allow_origin: answer
                    .header("access-control-allow-origin")
                    .map(str::to_owned),
                allow_credentials: answer
                    .header("access-control-allow-credentials")
                    .map(str::to_owned),
            },
            Err(e) => CorsAnswer {
                request: described,
                status: Err(redact(&e.to_string())),
                allow_origin: None,
                allow_credentials: None,
            },
        });
    }
    answers
}
