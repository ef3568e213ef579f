//! Reading a token endpoint's answer into a typed value, or a precise error.
//!
//! Three outcomes matter to a conformance tool and must not be confused: a
//! token (RFC 6749 §5.1), a well-formed refusal (§5.2), and an answer that is
//! neither (an HTML error page, a truncated body). The last one is the
//! server's bug, and the error says what arrived.

use serde::Deserialize;

use super::credentials::Secret;
use super::transport::{HttpAnswer, TransportError};

/// A successful token response (RFC 6749 §5.1). Unknown members are kept.
#[derive(Clone)]
pub struct TokenResponse {
    pub access_token: Secret,
    pub token_type: String,
    /// Seconds, when the server sent a number.
    pub expires_in: Option<u64>,
    pub scope: Option<String>,
    pub refresh_token: Option<Secret>,
    /// The whole JSON object, for checks on members beyond the typed ones.
    pub raw: serde_json::Map<String, serde_json::Value>,
}

/// `Debug` shows the shape, never a token: the raw JSON holds the access and
/// refresh tokens, so only its member names are printed.
impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .field("refresh_token", &self.refresh_token)
            .field("members", &self.raw.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl TokenResponse {
    /// The access token's claims, read *without* verifying the signature.
    /// Enough to learn `exp` where the provider says to (seed 002); a token is
    /// validated separately before anything trusts it.
    pub fn jwt_claims(&self) -> Result<serde_json::Map<String, serde_json::Value>, String> {
        jsonwebtoken::dangerous::insecure_decode::<serde_json::Map<String, serde_json::Value>>(
            self.access_token.expose(),
        )
        .map(|data| data.claims)
        .map_err(|e| format!("the access token is not a readable JWT: {e}"))
    }
}

/// An error response (RFC 6749 §5.2).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct OAuthError {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_uri: Option<String>,
}

#[derive(Clone, Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the token endpoint refused the request: {status} {}{}", error.error,
        error.error_description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused { status: u16, error: OAuthError },
    #[error(
        "the token endpoint at {url} sent an answer that is neither a token nor an OAuth error ({problem}): {described}"
    )]
    BadAnswer {
        url: String,
        problem: String,
        described: String,
    },
}

impl TokenError {
    pub fn oauth_error(&self) -> Option<(&OAuthError, u16)> {
        match self {
            Self::Refused { status, error } => Some((error, *status)),
            _ => None,
        }
    }
}

/// The members of a successful token response this client understands
/// (RFC 6749 §5.1); any other is an extension it ignores.
pub const KNOWN_MEMBERS: [&str; 5] = [
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
];

/// Interprets an answer from the token endpoint.
pub fn parse_token_answer(answer: &HttpAnswer) -> Result<TokenResponse, TokenError> {
    let bad = |problem: &str| TokenError::BadAnswer {
        url: answer.url.to_string(),
        problem: problem.to_owned(),
        described: answer.describe(),
    };
    let value: serde_json::Value = match serde_json::from_slice(&answer.body) {
        Ok(v) => v,
        // Checked first: serde reports an empty body as an early end too.
        Err(_) if answer.body.is_empty() => return Err(bad("the body is empty")),
        Err(e) if e.is_eof() => return Err(bad("the JSON body is truncated")),
        Err(_) => return Err(bad("the body is not JSON")),
    };
    let serde_json::Value::Object(map) = value else {
        return Err(bad("the JSON body is not an object"));
    };
    if answer.status != 200 {
        return match serde_json::from_value::<OAuthError>(serde_json::Value::Object(map)) {
            Ok(error) => Err(TokenError::Refused {
                status: answer.status,
                error,
            }),
            Err(_) => Err(bad("an error status without an OAuth `error` member")),
        };
    }
    let access_token = match map.get("access_token") {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Secret::new(s.clone()),
        _ => return Err(bad("no `access_token` string in a 200 answer")),
    };
    let token_type = map
        .get("token_type")
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned();
    let expires_in = map.get("expires_in").and_then(|v| v.as_u64());
    let scope = map.get("scope").and_then(|v| v.as_str()).map(str::to_owned);
    let refresh_token = map
        .get("refresh_token")
        .and_then(|v| v.as_str())
        .map(|s| Secret::new(s.to_owned()));
    Ok(TokenResponse {
        access_token,
        token_type,
        expires_in,
        scope,
        refresh_token,
        raw: map,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, content_type: &str, body: &str) -> HttpAnswer {
        HttpAnswer {
            url: "http://127.0.0.1:1/token".parse().unwrap(),
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn a_token_is_typed() {
        let t = parse_token_answer(&answer(
            200,
            "application/json",
            r#"{"access_token":"tok-123456","token_type":"Bearer","expires_in":3600,"scope":"read write"}"#,
        ))
        .unwrap();
        assert_eq!(t.access_token.expose(), "tok-123456");
        assert_eq!(t.expires_in, Some(3600));
        assert_eq!(t.scope.as_deref(), Some("read write"));
    }

    #[test]
    fn debug_never_shows_a_token() {
        let t = parse_token_answer(&answer(
            200,
            "application/json",
            r#"{"access_token":"debug-secret-access","token_type":"Bearer","refresh_token":"debug-secret-refresh"}"#,
        ))
        .unwrap();
        let shown = format!("{t:?}");
        assert!(!shown.contains("debug-secret"), "{shown}");
        assert!(shown.contains("refresh_token"), "{shown}");
    }

    #[test]
    fn a_refusal_is_an_oauth_error() {
        let e = parse_token_answer(&answer(
            401,
            "application/json",
            r#"{"error":"invalid_client","error_description":"bad secret"}"#,
        ))
        .unwrap_err();
        let (err, status) = e.oauth_error().unwrap();
        assert_eq!((err.error.as_str(), status), ("invalid_client", 401));
    }

    #[test]
    fn html_truncated_and_tokenless_answers_say_what_arrived() {
        let e = parse_token_answer(&answer(500, "text/html", "<html>Oops</html>")).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("not JSON")
                && msg.contains("500")
                && msg.contains("text/html")
                && msg.contains("<html>Oops"),
            "{msg}"
        );
        let e = parse_token_answer(&answer(200, "application/json", r#"{"access_token": "abc"#))
            .unwrap_err();
        assert!(e.to_string().contains("truncated"), "{e}");
        let e = parse_token_answer(&answer(
            200,
            "application/json",
            r#"{"token_type":"Bearer"}"#,
        ))
        .unwrap_err();
        assert!(e.to_string().contains("no `access_token`"), "{e}");
        let e = parse_token_answer(&answer(500, "text/plain", "")).unwrap_err();
        assert!(e.to_string().contains("(the body is empty)"), "{e}");
    }
}
