//! The authorization code flow (RFC 6749 §4.1) end to end, as library calls:
//! build the authorization request, let a user agent log in and decide, read
//! the redirect, exchange the code, refresh.

use super::authorize::AuthorizationRequest;
use super::callback::{AuthorizationCode, CallbackError, parse_callback};
use super::credentials::Secret;
use super::token_request::TokenRequest;
use super::token_response::TokenResponse;
use super::user_agent::{self, Decision, LoginError, UserLogin};
use super::{OAuthClient, TokenAttempt};

/// One trip through the authorization endpoint.
#[derive(Clone, Debug)]
pub struct AuthorizationAttempt {
    pub request: AuthorizationRequest,
    pub url: url::Url,
    /// Where the server finally redirected the user agent.
    pub redirect: Result<String, LoginError>,
}

impl AuthorizationAttempt {
    /// The redirect read as RFC 6749 §4.1.2 says, checking `state` (§10.12).
    pub fn callback(&self) -> Result<Result<AuthorizationCode, CallbackError>, LoginError> {
        let location = self.redirect.clone()?;
        Ok(parse_callback(
            &location,
            &self.request.redirect_uri,
            self.request.state.as_ref().map(Secret::expose),
        ))
    }
}

/// The refresh token to use next: a rotating server sends a new one (which
/// replaces the old), a non-rotating one sends none or the same one (RFC 6749
/// §6). Returns whether the server rotated.
pub fn next_refresh_token(current: &Secret, response: &TokenResponse) -> (Secret, bool) {
    match &response.refresh_token {
        Some(new) if new != current => (new.clone(), true),
        _ => (current.clone(), false),
    }
}

impl OAuthClient {
    /// A fresh authorization request (new state, PKCE if the profile asks).
    pub fn authorization_request(
        &self,
        redirect_uri: &str,
        scope: Option<String>,
    ) -> AuthorizationRequest {
        AuthorizationRequest::new(&self.profile, &self.credentials.id, redirect_uri, scope)
    }

    /// Sends a user agent through the authorization endpoint.
    pub async fn authorize(
        &self,
        request: AuthorizationRequest,
        user: &UserLogin,
        decision: &Decision,
    ) -> Result<AuthorizationAttempt, String> {
        let url = request.url(&self.profile, &self.base_url)?;
        let forms = self
            .profile
            .authorization_code
            .as_ref()
            .map(|ac| ac.forms.clone())
            .unwrap_or_default();
        let redirect = user_agent::authorize(
            self.transport(),
            &url,
            &request.redirect_uri,
            user,
            decision,
            &forms,
        )
        .await;
        Ok(AuthorizationAttempt {
            request,
            url,
            redirect,
        })
    }

    /// Exchanges a code (RFC 6749 §4.1.3) for the request it came from.
    pub async fn exchange_code(&self, request: &AuthorizationRequest, code: &str) -> TokenAttempt {
        let verifier = request.pkce.as_ref().map(|p| p.verifier.expose());
        self.request_token(&TokenRequest::authorization_code(
            code,
            &request.redirect_uri,
            verifier,
        ))
        .await
    }

    /// Asks for a new access token with a refresh token (RFC 6749 §6).
    pub async fn refresh(&self, refresh_token: &Secret) -> TokenAttempt {
        self.request_token(&TokenRequest::refresh_token(refresh_token.expose()))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(refresh: Option<&str>) -> TokenResponse {
        TokenResponse {
            access_token: Secret::new("a-token"),
            token_type: "Bearer".into(),
            expires_in: Some(3600),
            scope: None,
            refresh_token: refresh.map(Secret::new),
            raw: Default::default(),
        }
    }

    #[test]
    fn rotation_and_non_rotation_are_both_handled() {
        let current = Secret::new("refresh-1");
        assert_eq!(
            next_refresh_token(&current, &response(Some("refresh-2"))),
            (Secret::new("refresh-2"), true)
        );
        assert_eq!(
            next_refresh_token(&current, &response(Some("refresh-1"))),
            (current.clone(), false)
        );
        assert_eq!(
            next_refresh_token(&current, &response(None)),
            (current.clone(), false)
        );
    }
}
