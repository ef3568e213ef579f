//! Rules the client breaks on purpose.
//!
//! A server check needs requests a well-behaved client never sends: a token
//! request as a GET, a reused code, another client's refresh token. Each such
//! request is labelled with the [`Misstep`] it makes, and the label travels
//! with the request into its [`super::TokenAttempt`]. The check that judges
//! the server's answer is the one that misstep tests (see
//! `checks::refusal`), whatever happened earlier in the scenario.

use super::credentials::ClientCredentials;
use super::recording::HttpRequest;

/// One deliberate misstep of the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Misstep {
    /// Authenticates with a wrong client secret (RFC 6749 §3.2.1).
    WrongSecret,
    /// Sends the token request as a GET (RFC 6749 §3.2 requires POST).
    TokenRequestAsGet,
    /// Puts the client id and secret in the URL query instead of the header
    /// or body (RFC 6749 §2.3.1 forbids credentials in the request URI).
    CredentialsInQuery,
    /// Exchanges a code a second time (RFC 6749 §4.1.2).
    ReusedCode,
    /// Exchanges a code issued to another client (RFC 6749 §4.1.3).
    CodeOfAnotherClient,
    /// Exchanges a code naming another redirect URI than its authorization
    /// request did (RFC 6749 §4.1.3).
    OtherRedirectUri,
    /// Exchanges a code without the PKCE verifier (RFC 7636 §4.5).
    VerifierOmitted,
    /// Exchanges a code with a verifier that does not match its challenge
    /// (RFC 7636 §4.6).
    WrongVerifier,
    /// Exchanges a code the server never issued (RFC 6749 §4.1.3).
    MadeUpCode,
    /// Refreshes with a refresh token issued to another client (RFC 6749 §6).
    RefreshTokenOfAnotherClient,
    /// Exchanges a code without the redirect URI its authorization request
    /// carried (RFC 6749 §4.1.3).
    RedirectUriOmitted,
    /// Exchanges a code with its `client_id` only, no secret (RFC 6749
    /// §3.2.1, §4.1.3).
    CodeWithoutSecret,
    /// Sends a `code_verifier` for a code whose authorization request carried
    /// no challenge (RFC 9700 §2.1.1).
    VerifierWithoutChallenge,
    /// Sends the S256 challenge itself as the verifier (RFC 7636 §4.6).
    ChallengeAsVerifier,
    /// Refreshes with its `client_id` only, no secret (RFC 6749 §6).
    RefreshWithoutSecret,
    /// Refreshes asking for a scope the grant did not have (RFC 6749 §6).
    WiderScopeOnRefresh,
    /// Refreshes with a refresh token the server never issued (RFC 6749 §6).
    MadeUpRefreshToken,
    /// Asks for a token with no client authentication at all (RFC 6749
    /// §3.2.1, §5.2).
    NoClientAuthentication,
    /// Asks for a grant the client is not registered for (RFC 6749 §5.2
    /// `unauthorized_client`).
    UnregisteredGrant,
    /// Exchanges a code after its lifetime has passed (RFC 6749 §4.1.2).
    ExpiredCode,
    /// Asks for a client credentials token with its `client_id` only, no
    /// secret, as a public client would (RFC 6749 §4.4, §3.2.1).
    ClientCredentialsWithoutSecret,
    /// Sends `grant_type` twice (RFC 6749 §3.2: no parameter more than once;
    /// §5.2 `invalid_request`).
    RepeatedParameter,
    /// Authenticates with HTTP Basic and with `client_id` and
    /// `client_secret` in the body at once (RFC 6749 §2.3, §5.2
    /// `invalid_request`).
    TwoAuthMethods,
    /// Authenticates as a client id the server never issued (RFC 6749 §5.2
    /// `invalid_client`).
    UnknownClient,
    /// Asks for a token with the resource owner password credentials grant
    /// (RFC 9700 §2.4: MUST NOT be used).
    PasswordGrant,
}

impl Misstep {
    /// Bends the built request out of shape for the missteps that are a
    /// shape (a GET, credentials in the query). The others live in the
    /// request's values (a wrong secret, a reused code) and leave it as built.
    pub fn reshape(self, mut http: HttpRequest, credentials: &ClientCredentials) -> HttpRequest {
        match self {
            Misstep::TokenRequestAsGet => {
                let params = http.body_params();
                {
                    let mut q = http.url.query_pairs_mut();
                    for (k, v) in &params {
                        q.append_pair(k, v);
                    }
                }
                http.method = "GET".into();
                http.body = None;
                http.headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            }
            Misstep::CredentialsInQuery => {
                http.headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
                let kept: Vec<(String, String)> = http
                    .body_params()
                    .into_iter()
                    .filter(|(k, _)| k != "client_id" && k != "client_secret")
                    .collect();
                http.body = Some(
                    form_urlencoded::Serializer::new(String::new())
                        .extend_pairs(&kept)
                        .finish()
                        .into_bytes(),
                );
                http.headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
                http.headers.push((
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
                http.url
                    .query_pairs_mut()
                    .append_pair("client_id", &credentials.id)
                    .append_pair("client_secret", credentials.secret.expose());
            }
            Misstep::CodeWithoutSecret
            | Misstep::RefreshWithoutSecret
            | Misstep::ClientCredentialsWithoutSecret => {
                http = without_client_authentication(http);
                http = with_body_param(http, "client_id", &credentials.id);
            }
            Misstep::NoClientAuthentication => {
                http = without_client_authentication(http);
            }
            Misstep::RepeatedParameter => {
                let mut params = http.body_params();
                if let Some(grant) = params.iter().find(|(k, _)| k == "grant_type").cloned() {
                    params.push(grant);
                }
                http = http.with_body_params(&params);
            }
            Misstep::TwoAuthMethods => {
                http = without_client_authentication(http);
                http = with_body_param(http, "client_id", &credentials.id);
                http = with_body_param(http, "client_secret", credentials.secret.expose());
                http.headers
                    .push(("authorization".into(), credentials.basic_authorization()));
            }
            Misstep::UnknownClient | Misstep::PasswordGrant => {}
            _ => {}
        }
        http
    }
}

/// The request without its client authentication: no Authorization header,
/// no `client_id` or `client_secret` in the body.
fn without_client_authentication(mut http: HttpRequest) -> HttpRequest {
    http.headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
    let kept: Vec<(String, String)> = http
        .body_params()
        .into_iter()
        .filter(|(k, _)| k != "client_id" && k != "client_secret")
        .collect();
    http.with_body_params(&kept)
}

/// The request with `name=value` added to its body (form or JSON).
fn with_body_param(http: HttpRequest, name: &str, value: &str) -> HttpRequest {
    let mut params = http.body_params();
    params.push((name.to_owned(), value.to_owned()));
    http.with_body_params(&params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::TokenRequest;
    use crate::profile::Profile;

    #[test]
    fn shape_missteps_move_parameters_and_credentials_into_the_query() {
        let profile = Profile::load("401go").unwrap();
        let base: url::Url = "http://127.0.0.1:1/".parse().unwrap();
        let creds = ClientCredentials::new("cid", "csecret-misshape");
        let http = TokenRequest::client_credentials()
            .scope("read")
            .build(&profile, &base, &creds)
            .unwrap();
        let get = Misstep::TokenRequestAsGet.reshape(http.clone(), &creds);
        assert_eq!(get.method, "GET");
        assert!(get.body.is_none());
        assert_eq!(
            get.url.query(),
            Some("grant_type=client_credentials&scope=read")
        );
        assert!(get.header("authorization").is_some());
        let query = Misstep::CredentialsInQuery.reshape(http.clone(), &creds);
        assert_eq!(query.method, "POST");
        assert!(query.header("authorization").is_none());
        assert_eq!(
            query.url.query(),
            Some("client_id=cid&client_secret=csecret-misshape")
        );
        assert_eq!(query.body_param("client_secret"), None);
        // A misstep in the values leaves the shape alone.
        assert_eq!(Misstep::ReusedCode.reshape(http.clone(), &creds), http);
    }

    #[test]
    fn unauthenticated_missteps_leave_out_the_secret_or_everything() {
        let profile = Profile::load("401go").unwrap();
        let base: url::Url = "http://127.0.0.1:1/".parse().unwrap();
        // Registered for redaction in the whole test process: no English
        // word of 8 letters in it ("authenticate" would go from every text).
        let creds = ClientCredentials::new("cid", "csecret-unauth-Qx7");
        let basic = TokenRequest::client_credentials()
            .build(&profile, &base, &creds)
            .unwrap();
        let none = Misstep::NoClientAuthentication.reshape(basic.clone(), &creds);
        assert!(none.header("authorization").is_none());
        assert_eq!(none.body_text(), "grant_type=client_credentials");
        let id_only = Misstep::CodeWithoutSecret.reshape(basic, &creds);
        assert!(id_only.header("authorization").is_none());
        assert_eq!(id_only.body_param("client_id").as_deref(), Some("cid"));
        assert_eq!(id_only.body_param("client_secret"), None);
        let post = TokenRequest::refresh_token("r")
            .build(&profile, &base, &creds)
            .unwrap();
        assert!(
            post.body_param("client_secret").is_some(),
            "401go refreshes with the secret in the body"
        );
        let id_only = Misstep::RefreshWithoutSecret.reshape(post, &creds);
        assert_eq!(id_only.body_param("client_secret"), None);
        assert_eq!(id_only.body_param("client_id").as_deref(), Some("cid"));
        assert_eq!(id_only.body_param("refresh_token").as_deref(), Some("r"));
    }
}
