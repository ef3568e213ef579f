//! An authenticated form POST to an endpoint beside the token endpoint:
//! token revocation (RFC 7009 §2.1) and introspection (RFC 7662 §2.1) are
//! both `application/x-www-form-urlencoded` POSTs carrying `token`, an
//! optional `token_type_hint`, and the client's authentication as RFC 6749
//! §2.3 describes it. The client authenticates as it does for the grant
//! that issued the tokens it holds (the refresh grant's method).

use super::credentials::ClientCredentials;
use super::recording::HttpRequest;
use super::token_request::{FORM, JSON};
use crate::profile::{ClientAuth, Profile};

/// How a request to such an endpoint authenticates the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Authentication {
    /// The client's own credentials, the way the profile says.
    Client,
    /// The client's id with a secret that is not its own.
    WrongSecret,
    /// None at all.
    Anonymous,
}

/// What to send: the token, its hint, and how the client authenticates.
#[derive(Clone, Debug)]
pub struct TokenForm {
    pub token: String,
    pub hint: Option<String>,
    pub authentication: Authentication,
}

impl TokenForm {
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            hint: None,
            authentication: Authentication::Client,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn authenticated(mut self, authentication: Authentication) -> Self {
        self.authentication = authentication;
        self
    }

    /// The POST to `url`.
    pub fn build(
        &self,
        profile: &Profile,
        url: url::Url,
        credentials: &ClientCredentials,
    ) -> HttpRequest {
        let mut params = vec![("token".to_owned(), self.token.clone())];
        if let Some(hint) = &self.hint {
            params.push(("token_type_hint".into(), hint.clone()));
        }
        let mut headers = Vec::new();
        let credentials = match self.authentication {
            Authentication::Client => Some(credentials.clone()),
            Authentication::WrongSecret => Some(ClientCredentials::new(
                credentials.id.clone(),
                format!("{}-wrong", credentials.secret.expose()),
            )),
            Authentication::Anonymous => None,
        };
        if let Some(credentials) = credentials {
            match profile.client_auth_for("refresh_token") {
                ClientAuth::Basic => {
                    headers.push(("authorization".into(), credentials.basic_authorization()));
                }
                // Both endpoints take a form body: JSON credentials go in it.
                ClientAuth::Post | ClientAuth::Json => {
                    params.push(("client_id".into(), credentials.id.clone()));
                    params.push((
                        "client_secret".into(),
                        credentials.secret.expose().to_owned(),
                    ));
                }
            }
        }
        headers.push(("content-type".into(), FORM.into()));
        headers.push(("accept".into(), JSON.into()));
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&params)
            .finish()
            .into_bytes();
        HttpRequest {
            method: "POST".into(),
            url,
            headers,
            body: Some(body),
        }
    }
}

impl super::OAuthClient {
    /// Sends `form` to `endpoint`, recorded like every request; a profile
    /// that names no such endpoint, or a URL it may not send to, is an
    /// attempt without an answer that says so.
    pub(super) async fn post_token_form(
        &self,
        endpoint: crate::profile::Endpoint,
        form: &TokenForm,
    ) -> super::ApiAttempt {
        let url = match self.endpoint(endpoint) {
            Ok(url) => url,
            Err(detail) => {
                return super::ApiAttempt {
                    request: self.placeholder_request(),
                    outcome: Err(super::TransportError::Other {
                        url: self.base_url.to_string(),
                        detail,
                    }),
                };
            }
        };
        let built = form.build(&self.profile, url, &self.credentials);
        let http = match self.fault {
            Some(fault) if endpoint == crate::profile::Endpoint::Revocation => {
                self.note_bend(&built, fault.bend_revocation_request(built.clone()))
            }
            _ => built,
        };
        if let Err(e) = self.may_send_to(&http.url) {
            return super::ApiAttempt {
                request: http,
                outcome: Err(e),
            };
        }
        self.recorder.record(&http);
        let outcome = self.transport.send(&http).await;
        super::ApiAttempt {
            request: http,
            outcome,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_and_the_refresh_grants_authentication_go_in_a_form_post() {
        let profile = Profile::load("401go").unwrap();
        let creds = ClientCredentials::new("c", "s3cret");
        let url: url::Url = "http://127.0.0.1:9/revoke".parse().unwrap();
        let req = TokenForm::new("t0k")
            .hint("refresh_token")
            .build(&profile, url.clone(), &creds);
        assert_eq!(req.method, "POST");
        assert_eq!(req.header("content-type"), Some(FORM));
        assert_eq!(
            req.body_text(),
            "token=t0k&token_type_hint=refresh_token&client_id=c&client_secret=s3cret"
        );
        let basic = Profile::load("rfc6749").unwrap();
        let req = TokenForm::new("t").build(&basic, url.clone(), &creds);
        assert!(req.header("authorization").unwrap().starts_with("Basic "));
        assert_eq!(req.body_text(), "token=t");
        let req = TokenForm::new("t")
            .authenticated(Authentication::Anonymous)
            .build(&basic, url.clone(), &creds);
        assert!(req.header("authorization").is_none());
        let req = TokenForm::new("t")
            .authenticated(Authentication::WrongSecret)
            .build(&profile, url, &creds);
        assert!(req.body_text().contains("client_secret=s3cret-wrong"));
    }
}
