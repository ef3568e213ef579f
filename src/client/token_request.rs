//! Token requests, built the way a profile says.
//!
//! A [`TokenRequest`] says *what* to ask for (grant, scope, parameters); the
//! profile says *how* (client authentication, body encoding, extra
//! parameters). [`TokenRequest::build`] joins the two into the exact
//! [`HttpRequest`] that goes on the wire, in a stable parameter order so
//! snapshots do not churn.

use crate::profile::{ClientAuth, Encoding, Profile};

use super::credentials::ClientCredentials;
use super::misstep::Misstep;
use super::recording::HttpRequest;

pub const FORM: &str = "application/x-www-form-urlencoded";
pub const JSON: &str = "application/json";

/// The `grant_type` parameter. Conformance tests must also send what a
/// well-behaved client never would, so "none" and "anything" are grants too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrantType {
    /// `client_credentials` (RFC 6749 §4.4.2).
    ClientCredentials,
    /// `authorization_code` (RFC 6749 §4.1.3).
    AuthorizationCode,
    /// `refresh_token` (RFC 6749 §6).
    RefreshToken,
    /// Any other value, sent as given (e.g. an unknown grant type).
    Other(String),
    /// No `grant_type` parameter at all.
    Omitted,
}

impl GrantType {
    /// One of the grants the client sends when it means to be right (not an
    /// unknown or omitted one, which only server checks send).
    pub fn is_known(&self) -> bool {
        matches!(
            self,
            Self::ClientCredentials | Self::AuthorizationCode | Self::RefreshToken
        )
    }

    pub fn as_param(&self) -> Option<&str> {
        match self {
            Self::ClientCredentials => Some("client_credentials"),
            Self::AuthorizationCode => Some("authorization_code"),
            Self::RefreshToken => Some("refresh_token"),
            Self::Other(value) => Some(value),
            Self::Omitted => None,
        }
    }
}

/// What to ask the token endpoint for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRequest {
    pub grant: GrantType,
    /// Space-separated scopes, or `*`; `None` sends no `scope` parameter.
    pub scope: Option<String>,
    /// The grant's own parameters (`code`, `refresh_token`, …), sent right
    /// after `grant_type` as the guides show them.
    pub grant_params: Vec<(String, String)>,
    /// Further parameters, sent after the profile's own.
    pub params: Vec<(String, String)>,
    /// The rule this request breaks on purpose, if any.
    pub misstep: Option<Misstep>,
    /// Why the suite sends it besides the client's own requests (a second
    /// token to compare answers with), if it does: marked as a probe for
    /// `serve` (see [`super::wire_mark`]), which does not judge it.
    pub probe: Option<&'static str>,
}

impl TokenRequest {
    pub fn client_credentials() -> Self {
        Self {
            grant: GrantType::ClientCredentials,
            scope: None,
            grant_params: Vec::new(),
            params: Vec::new(),
            misstep: None,
            probe: None,
        }
    }

    /// Exchanging a code (RFC 6749 §4.1.3), with the PKCE verifier when one
    /// was used (RFC 7636 §4.5).
    pub fn authorization_code(code: &str, redirect_uri: &str, code_verifier: Option<&str>) -> Self {
        let mut grant_params = vec![
            ("code".to_owned(), code.to_owned()),
            ("redirect_uri".to_owned(), redirect_uri.to_owned()),
        ];
        if let Some(verifier) = code_verifier {
            grant_params.push(("code_verifier".to_owned(), verifier.to_owned()));
        }
        Self {
            grant: GrantType::AuthorizationCode,
            scope: None,
            grant_params,
            params: Vec::new(),
            misstep: None,
            probe: None,
        }
    }

    /// Refreshing an access token (RFC 6749 §6).
    pub fn refresh_token(refresh_token: &str) -> Self {
        Self {
            grant: GrantType::RefreshToken,
            scope: None,
            grant_params: vec![("refresh_token".to_owned(), refresh_token.to_owned())],
            params: Vec::new(),
            misstep: None,
            probe: None,
        }
    }

    pub fn grant(mut self, grant: GrantType) -> Self {
        self.grant = grant;
        self
    }

    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    /// Labels the request as one the suite sends only to compare answers
    /// (see [`Self::probe`]).
    pub fn probe(mut self, why: &'static str) -> Self {
        self.probe = Some(why);
        self
    }

    /// Labels the request with the rule it breaks on purpose; a shape
    /// misstep (GET, credentials in the query) also reshapes it when sent.
    pub fn misstep(mut self, misstep: Misstep) -> Self {
        self.misstep = Some(misstep);
        self
    }

    /// The request as the profile's provider expects it:
    /// `grant_type`, client credentials (unless Basic), `scope`, the profile's
    /// extra parameters, then this request's own parameters.
    pub fn build(
        &self,
        profile: &Profile,
        base_url: &url::Url,
        credentials: &ClientCredentials,
    ) -> Result<HttpRequest, url::ParseError> {
        let url = base_url.join(&profile.token.path)?;
        let mut params: Vec<(String, String)> = Vec::new();
        if let Some(grant) = self.grant.as_param() {
            params.push(("grant_type".into(), grant.into()));
        }
        params.extend(self.grant_params.iter().cloned());
        let mut headers: Vec<(String, String)> = Vec::new();
        let client_auth = profile.client_auth_for(self.grant.as_param().unwrap_or_default());
        match client_auth {
            ClientAuth::Basic => {
                headers.push(("authorization".into(), credentials.basic_authorization()));
            }
            ClientAuth::Post | ClientAuth::Json => {
                params.push(("client_id".into(), credentials.id.clone()));
                params.push((
                    "client_secret".into(),
                    credentials.secret.expose().to_owned(),
                ));
            }
        }
        if let Some(scope) = &self.scope {
            params.push(("scope".into(), scope.clone()));
        }
        if self.grant == GrantType::ClientCredentials {
            params.extend(profile.token_params());
        }
        params.extend(self.params.iter().cloned());

        let encoding = profile.encoding_for(self.grant.as_param().unwrap_or_default());
        let body = match encoding {
            Encoding::Form => {
                headers.push(("content-type".into(), FORM.into()));
                form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(&params)
                    .finish()
                    .into_bytes()
            }
            Encoding::Json => {
                headers.push(("content-type".into(), JSON.into()));
                let map: serde_json::Map<String, serde_json::Value> = params
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect();
                serde_json::to_vec(&map).unwrap_or_default()
            }
        };
        headers.push(("accept".into(), JSON.into()));
        Ok(HttpRequest {
            method: "POST".into(),
            url,
            headers,
            body: Some(body),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    fn build(profile: &str, request: TokenRequest) -> HttpRequest {
        let profile = Profile::load(profile).unwrap();
        let creds = ClientCredentials::new("my client", "p@ss:word%");
        request
            .build(&profile, &"http://127.0.0.1:9/".parse().unwrap(), &creds)
            .unwrap()
    }

    #[test]
    fn basic_profile_puts_credentials_in_the_header_only() {
        let req = build(
            "401go",
            TokenRequest::client_credentials().scope("read write"),
        );
        assert_eq!(req.url.as_str(), "http://127.0.0.1:9/api/o/token/");
        assert_eq!(req.method, "POST");
        let auth = req.header("authorization").unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.strip_prefix("Basic ").unwrap())
            .unwrap();
        assert_eq!(decoded, b"my+client:p%40ss%3Aword%25");
        assert_eq!(req.header("content-type"), Some(FORM));
        assert_eq!(
            req.body_text(),
            "grant_type=client_credentials&scope=read+write"
        );
    }

    #[test]
    fn post_profile_puts_credentials_and_audience_in_the_form() {
        let req = build(
            "login3",
            TokenRequest::client_credentials().param("organization", "org_1"),
        );
        assert!(req.header("authorization").is_none());
        assert_eq!(
            req.body_text(),
            "grant_type=client_credentials&client_id=my+client&client_secret=p%40ss%3Aword%25\
             &audience=https%3A%2F%2Fapi.login3.mock.test%2F&organization=org_1"
        );
    }

    #[test]
    fn json_profile_sends_a_json_object_in_documented_order() {
        let req = build("json-body", TokenRequest::client_credentials().scope("*"));
        assert_eq!(req.header("content-type"), Some(JSON));
        assert_eq!(
            req.body_text(),
            r#"{"grant_type":"client_credentials","client_id":"my client","client_secret":"p@ss:word%","scope":"*"}"#
        );
    }

    #[test]
    fn code_exchange_and_refresh_follow_seed_001() {
        let req = build(
            "401go",
            TokenRequest::authorization_code("c0de", "https://app/cb", None),
        );
        assert!(req.header("authorization").is_none());
        assert_eq!(
            req.body_text(),
            "grant_type=authorization_code&code=c0de&redirect_uri=https%3A%2F%2Fapp%2Fcb\
             &client_id=my+client&client_secret=p%40ss%3Aword%25"
        );
        let req = build("401go", TokenRequest::refresh_token("r1"));
        assert_eq!(
            req.body_text(),
            "grant_type=refresh_token&refresh_token=r1&client_id=my+client&client_secret=p%40ss%3Aword%25"
        );
        let req = build(
            "rfc6749",
            TokenRequest::authorization_code("c0de", "https://app/cb", Some("v")),
        );
        assert!(req.header("authorization").unwrap().starts_with("Basic "));
        assert_eq!(
            req.body_text(),
            "grant_type=authorization_code&code=c0de&redirect_uri=https%3A%2F%2Fapp%2Fcb&code_verifier=v"
        );
    }

    #[test]
    fn omitted_and_unknown_grants_are_sent_as_asked() {
        let req = build(
            "401go",
            TokenRequest::client_credentials().grant(GrantType::Omitted),
        );
        assert_eq!(req.body_text(), "");
        let req = build(
            "401go",
            TokenRequest::client_credentials().grant(GrantType::Other("urn:x".into())),
        );
        assert_eq!(req.body_text(), "grant_type=urn%3Ax");
    }
}
