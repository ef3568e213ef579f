//! Authorization server metadata (RFC 8414 §2): fetching the document, and
//! reading the members the suite uses, with the defaults RFC 8414 gives
//! for the ones a server leaves out.
//!
//! Reading is lenient: a member of the wrong type is read as absent (the
//! metadata checks judge the document as served; this is what a client
//! makes of it).

use serde_json::{Map, Value};
use url::Url;

use super::recording::HttpRequest;
use super::transport::{HttpAnswer, Transport, TransportError};

/// `grant_types_supported` when the server leaves it out (RFC 8414 §2).
pub const DEFAULT_GRANT_TYPES: [&str; 2] = ["authorization_code", "implicit"];

/// `token_endpoint_auth_methods_supported` when the server leaves it out
/// (RFC 8414 §2).
pub const DEFAULT_AUTH_METHODS: [&str; 1] = ["client_secret_basic"];

/// The members of a metadata document the suite reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerMetadata {
    pub issuer: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub scopes_supported: Option<Vec<String>>,
    pub response_types_supported: Option<Vec<String>>,
    pub grant_types_supported: Option<Vec<String>>,
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    pub code_challenge_methods_supported: Option<Vec<String>>,
    /// RFC 7009 §4 / RFC 8414 §2.
    pub revocation_endpoint: Option<String>,
    /// RFC 7662 §4 / RFC 8414 §2.
    pub introspection_endpoint: Option<String>,
    /// RFC 9207 §3: the server names itself with `iss` in its
    /// authorization responses (omitted: false).
    pub authorization_response_iss_parameter_supported: bool,
}

/// The metadata document an answer carries: the JSON object of a 200
/// answer, whatever its content type says. An error answer is no document,
/// even when its body is a JSON object.
pub fn document(answer: &HttpAnswer) -> Option<Map<String, Value>> {
    if answer.status != 200 {
        return None;
    }
    match serde_json::from_slice(&answer.body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn string(doc: &Map<String, Value>, name: &str) -> Option<String> {
    doc.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn strings(doc: &Map<String, Value>, name: &str) -> Option<Vec<String>> {
    let values = doc.get(name)?.as_array()?;
    Some(
        values
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
    )
}

impl ServerMetadata {
    pub fn from_document(doc: &Map<String, Value>) -> Self {
        Self {
            issuer: string(doc, "issuer"),
            authorization_endpoint: string(doc, "authorization_endpoint"),
            token_endpoint: string(doc, "token_endpoint"),
            jwks_uri: string(doc, "jwks_uri"),
            scopes_supported: strings(doc, "scopes_supported"),
            response_types_supported: strings(doc, "response_types_supported"),
            grant_types_supported: strings(doc, "grant_types_supported"),
            token_endpoint_auth_methods_supported: strings(
                doc,
                "token_endpoint_auth_methods_supported",
            ),
            code_challenge_methods_supported: strings(doc, "code_challenge_methods_supported"),
            revocation_endpoint: string(doc, "revocation_endpoint"),
            introspection_endpoint: string(doc, "introspection_endpoint"),
            authorization_response_iss_parameter_supported: doc
                .get("authorization_response_iss_parameter_supported")
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        }
    }

    /// The grant types the server supports, RFC 8414's default when it
    /// does not say.
    pub fn grant_types(&self) -> Vec<String> {
        self.grant_types_supported
            .clone()
            .unwrap_or_else(|| DEFAULT_GRANT_TYPES.map(str::to_owned).to_vec())
    }

    /// The client authentication methods of the token endpoint, RFC 8414's
    /// default when it does not say.
    pub fn auth_methods(&self) -> Vec<String> {
        self.token_endpoint_auth_methods_supported
            .clone()
            .unwrap_or_else(|| DEFAULT_AUTH_METHODS.map(str::to_owned).to_vec())
    }

    /// Whether the server supports PKCE with S256 (RFC 8414 §2: without
    /// `code_challenge_methods_supported` it does not support PKCE).
    pub fn supports_s256(&self) -> bool {
        self.code_challenge_methods_supported
            .as_ref()
            .is_some_and(|m| m.iter().any(|m| m == "S256"))
    }
}

/// GETs the metadata at `url` (RFC 8414 §3.1), bounded by the transport's
/// limits and following no redirect.
pub async fn fetch(transport: &Transport, url: &Url) -> Result<HttpAnswer, TransportError> {
    let request = HttpRequest {
        method: "GET".into(),
        url: url.clone(),
        headers: vec![("accept".into(), "application/json".into())],
        body: None,
    };
    transport.send(&request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> ServerMetadata {
        let Value::Object(doc) = serde_json::from_str(json).unwrap() else {
            panic!("not an object")
        };
        ServerMetadata::from_document(&doc)
    }

    #[test]
    fn members_are_read_and_defaults_are_rfc_8414s() {
        let m = parse(
            r#"{"issuer":"https://as.example","token_endpoint":"https://as.example/token",
                "grant_types_supported":["client_credentials"],
                "code_challenge_methods_supported":["plain","S256"]}"#,
        );
        assert_eq!(m.issuer.as_deref(), Some("https://as.example"));
        assert_eq!(m.grant_types(), vec!["client_credentials".to_owned()]);
        assert_eq!(m.auth_methods(), vec!["client_secret_basic".to_owned()]);
        assert!(m.supports_s256());
        let bare = parse(r#"{"issuer":"https://as.example"}"#);
        assert_eq!(bare.grant_types(), vec!["authorization_code", "implicit"]);
        assert!(!bare.supports_s256());
    }

    #[test]
    fn a_member_of_the_wrong_type_reads_as_absent() {
        let m = parse(r#"{"issuer":42,"scopes_supported":"read write"}"#);
        assert_eq!(m.issuer, None);
        assert_eq!(m.scopes_supported, None);
    }

    #[test]
    fn only_a_json_object_is_a_document() {
        let answer = |status: u16, body: &str| HttpAnswer {
            url: Url::parse("http://h/").unwrap(),
            status,
            headers: Vec::new(),
            body: body.as_bytes().to_vec(),
        };
        assert!(document(&answer(200, r#"{"issuer":"x"}"#)).is_some());
        assert!(document(&answer(200, "[1]")).is_none());
        assert!(document(&answer(200, "<html>")).is_none());
        assert!(
            document(&answer(404, r#"{"error":"not_found"}"#)).is_none(),
            "an error answer is no document"
        );
    }
}
