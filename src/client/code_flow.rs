//! The authorization code flow (RFC 6749 §4.1) end to end, as library calls:
//! build the authorization request, let a user agent log in and decide, read
//! the redirect, exchange the code, refresh.

use super::authorize::{AuthorizationRequest, Pkce};
use super::callback::{AuthorizationCode, CallbackError, parse_callback};
use super::credentials::Secret;
use super::fault::ClientFault;
use super::login::{self, Decision, Journey, LoginError, UserLogin};
use super::misstep::Misstep;
use super::token_request::TokenRequest;
use super::token_response::TokenResponse;
use super::{OAuthClient, TokenAttempt};

/// One trip through the authorization endpoint.
#[derive(Clone, Debug)]
pub struct AuthorizationAttempt {
    pub request: AuthorizationRequest,
    pub url: url::Url,
    /// Where the server finally redirected the user agent.
    pub redirect: Result<String, LoginError>,
    /// What the user agent saw and did on the way.
    pub journey: Journey,
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

/// A code exchange (RFC 6749 §4.1.3) for an authorization request, as the
/// client makes it or bent on purpose: each bend labels the exchange with its
/// [`Misstep`], so the refusal it should meet is judged by the right check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeExchange {
    code: Option<String>,
    redirect_uri: Option<String>,
    verifier: VerifierChoice,
    misstep: Option<Misstep>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
enum VerifierChoice {
    #[default]
    AsSent,
    Omitted,
    Wrong,
    /// A fresh verifier even though the request carried no challenge.
    Unasked,
    /// The challenge string itself.
    TheChallenge,
}

impl CodeExchange {
    /// The exchange the authorization request calls for.
    pub fn as_sent() -> Self {
        Self::default()
    }

    /// The same code, a second time.
    pub fn again() -> Self {
        Self::as_sent().labelled(Misstep::ReusedCode)
    }

    /// The code as issued, once its lifetime has passed.
    pub fn expired() -> Self {
        Self::as_sent().labelled(Misstep::ExpiredCode)
    }

    /// With another redirect URI than the authorization request's.
    pub fn with_redirect_uri(uri: impl Into<String>) -> Self {
        Self {
            redirect_uri: Some(uri.into()),
            ..Self::as_sent().labelled(Misstep::OtherRedirectUri)
        }
    }

    /// Without the PKCE verifier.
    pub fn without_verifier() -> Self {
        Self {
            verifier: VerifierChoice::Omitted,
            ..Self::as_sent().labelled(Misstep::VerifierOmitted)
        }
    }

    /// With a fresh verifier that matches no challenge.
    pub fn with_wrong_verifier() -> Self {
        Self {
            verifier: VerifierChoice::Wrong,
            ..Self::as_sent().labelled(Misstep::WrongVerifier)
        }
    }

    /// With a code the server never issued.
    pub fn with_made_up_code(code: impl Into<String>) -> Self {
        Self {
            code: Some(code.into()),
            ..Self::as_sent().labelled(Misstep::MadeUpCode)
        }
    }

    /// Without the redirect URI the authorization request carried.
    pub fn without_redirect_uri() -> Self {
        Self {
            redirect_uri: Some(String::new()),
            ..Self::as_sent().labelled(Misstep::RedirectUriOmitted)
        }
    }

    /// With the client's id and no secret.
    pub fn without_secret() -> Self {
        Self::as_sent().labelled(Misstep::CodeWithoutSecret)
    }

    /// With a code verifier although the authorization request sent no
    /// challenge (a PKCE downgrade).
    pub fn with_verifier_without_challenge() -> Self {
        Self {
            verifier: VerifierChoice::Unasked,
            ..Self::as_sent().labelled(Misstep::VerifierWithoutChallenge)
        }
    }

    /// With the S256 challenge itself as the verifier (method confusion).
    pub fn with_challenge_as_verifier() -> Self {
        Self {
            verifier: VerifierChoice::TheChallenge,
            ..Self::as_sent().labelled(Misstep::ChallengeAsVerifier)
        }
    }

    /// The code, presented by another client than the one it was issued to
    /// (the caller sends it with that client).
    pub fn by_another_client() -> Self {
        Self::as_sent().labelled(Misstep::CodeOfAnotherClient)
    }

    fn labelled(mut self, misstep: Misstep) -> Self {
        self.misstep = Some(misstep);
        self
    }

    /// The token request exchanging `issued_code` (the code the redirect
    /// carried) for `request`.
    pub fn token_request(&self, request: &AuthorizationRequest, issued_code: &str) -> TokenRequest {
        let code = self.code.as_deref().unwrap_or(issued_code);
        let redirect_uri = self
            .redirect_uri
            .as_deref()
            .unwrap_or(&request.redirect_uri);
        let fresh;
        let verifier = match (&self.verifier, &request.pkce) {
            (VerifierChoice::AsSent, Some(p)) => Some(p.verifier.expose()),
            (VerifierChoice::TheChallenge, Some(p)) => Some(p.challenge.as_str()),
            (VerifierChoice::Wrong, Some(_)) | (VerifierChoice::Unasked, None) => {
                fresh = Pkce::new();
                Some(fresh.verifier.expose())
            }
            _ => None,
        };
        let mut token_request = TokenRequest::authorization_code(code, redirect_uri, verifier);
        if redirect_uri.is_empty() {
            token_request
                .grant_params
                .retain(|(k, _)| k != "redirect_uri");
        }
        match self.misstep {
            Some(m) => token_request.misstep(m),
            None => token_request,
        }
    }
}

/// A refresh (RFC 6749 §6), as the client makes it or bent on purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// With the client's id and no secret.
    WithoutSecret,
    /// Asking for this scope, wider than the grant's.
    WiderScope(String),
    /// Asking for this scope, no wider than the grant's (§6 allows it).
    WithScope(String),
    /// With a refresh token the server never issued.
    MadeUpToken(String),
}

impl Refresh {
    /// The token request refreshing with `held`.
    pub fn token_request(&self, held: &Secret) -> TokenRequest {
        let plain = TokenRequest::refresh_token(held.expose());
        match self {
            Refresh::WithoutSecret => plain.misstep(Misstep::RefreshWithoutSecret),
            Refresh::WiderScope(scope) => plain.scope(scope).misstep(Misstep::WiderScopeOnRefresh),
            Refresh::WithScope(scope) => plain.scope(scope),
            Refresh::MadeUpToken(token) => {
                TokenRequest::refresh_token(token).misstep(Misstep::MadeUpRefreshToken)
            }
        }
    }
}

impl OAuthClient {
    /// A fresh authorization request (new state, PKCE if the profile asks).
    pub fn authorization_request(
        &self,
        redirect_uri: &str,
        scope: Option<String>,
    ) -> AuthorizationRequest {
        let mut request =
            AuthorizationRequest::new(&self.profile, &self.credentials.id, redirect_uri, scope);
        if self.has_fault(ClientFault::ReusesPkceVerifier)
            && let Some(pkce) = &mut request.pkce
        {
            let mut kept = self.kept_pkce.lock().unwrap_or_else(|e| e.into_inner());
            *pkce = kept.get_or_insert_with(|| pkce.clone()).clone();
        }
        if self.has_fault(ClientFault::BadCharacterVerifier)
            && let Some(pkce) = &mut request.pkce
        {
            // Fresh and long enough, with its own S256 challenge: only the
            // character set of RFC 7636 §4.1 is broken.
            let verifier = format!("{}!", pkce.verifier.expose());
            pkce.challenge = super::authorize::s256(&verifier);
            pkce.verifier = Secret::new(verifier);
        }
        if self.has_fault(ClientFault::ReusesState) {
            let mut kept = self.kept_state.lock().unwrap_or_else(|e| e.into_inner());
            let fresh = request.state.clone();
            let state =
                kept.get_or_insert_with(|| fresh.unwrap_or_else(super::authorize::new_state));
            request.state = Some(state.clone());
        }
        request
    }

    /// Sends a user agent through the authorization endpoint.
    pub async fn authorize(
        &self,
        request: AuthorizationRequest,
        user: &UserLogin,
        decision: &Decision,
    ) -> Result<AuthorizationAttempt, String> {
        let url = request.url(&self.profile, &self.base_url)?;
        let url = match self.fault() {
            Some(fault) => {
                let verifier = request.pkce.as_ref().map(|p| p.verifier.expose());
                self.note_url_bend(&url, fault.bend_authorization_url(url.clone(), verifier))
            }
            None => url,
        };
        let settings = self
            .profile
            .authorization_code
            .as_ref()
            .map(|ac| ac.login.clone())
            .unwrap_or_default();
        let trip = login::authorize(
            self.transport(),
            &url,
            &request.redirect_uri,
            user,
            decision,
            &settings,
            self.profile.allow_plain_http,
        )
        .await;
        Ok(AuthorizationAttempt {
            request,
            url,
            redirect: trip.redirect,
            journey: trip.journey,
        })
    }

    /// Reads the redirect the way a client that acts on it must: the state
    /// checked against the request's (RFC 6749 §10.12), and consumed, so the
    /// same callback is refused if it comes again (RFC 9700 §2.1).
    pub fn accept_callback(
        &self,
        location: &str,
        request: &AuthorizationRequest,
    ) -> Result<AuthorizationCode, CallbackError> {
        let expected = match self.has_fault(ClientFault::IgnoresCallbackState) {
            true => None,
            false => request.state.as_ref().map(Secret::expose),
        };
        let code = parse_callback(location, &request.redirect_uri, expected)?;
        if let Some(state) = &code.state {
            let mut used = self.used_states.lock().unwrap_or_else(|e| e.into_inner());
            if !used.insert(state.clone()) && !self.has_fault(ClientFault::AcceptsReplayedCallback)
            {
                return Err(CallbackError::Replayed);
            }
        }
        // RFC 9207 §2.4: an iss that is not the issuer, or none from a
        // server that says it sends one, is a mix-up.
        if !self.has_fault(ClientFault::IgnoresCallbackIss) {
            let promised = self
                .profile
                .authorization_code
                .as_ref()
                .is_some_and(|ac| ac.iss_parameter_supported);
            super::callback::check_iss(location, self.issuer(), promised)?;
        }
        // Only a callback it would otherwise accept: the fault breaks no
        // other rule (a forged state or a replay is still refused as such).
        if self.has_fault(ClientFault::RefusesUnknownCallbackParams)
            && let Some(name) = super::callback::unknown_params(location).into_iter().next()
        {
            return Err(CallbackError::UnknownParameter(name));
        }
        Ok(code)
    }

    /// The refresh token to keep after a refresh answered `response`: the new
    /// one when the server issued one (RFC 6749 §6: the old one is discarded).
    pub fn keep_refresh_token(&self, current: &Secret, response: &TokenResponse) -> Secret {
        if self.has_fault(ClientFault::KeepsOldRefreshToken) {
            // Keeping a replaced token bends the next refresh: what a server
            // answers to it judges no server.
            if next_refresh_token(current, response).1 {
                self.struck.store(true, std::sync::atomic::Ordering::SeqCst);
            }
            return current.clone();
        }
        next_refresh_token(current, response).0
    }

    /// Exchanges a code (RFC 6749 §4.1.3) for the request it came from.
    pub async fn exchange_code(&self, request: &AuthorizationRequest, code: &str) -> TokenAttempt {
        self.exchange(request, code, &CodeExchange::as_sent()).await
    }

    /// Exchanges a code the way `exchange` says (see [`CodeExchange`]).
    pub async fn exchange(
        &self,
        request: &AuthorizationRequest,
        code: &str,
        exchange: &CodeExchange,
    ) -> TokenAttempt {
        self.request_token(&exchange.token_request(request, code))
            .await
    }

    /// Asks for a new access token with a refresh token (RFC 6749 §6).
    pub async fn refresh(&self, refresh_token: &Secret) -> TokenAttempt {
        self.request_token(&TokenRequest::refresh_token(refresh_token.expose()))
            .await
    }

    /// Refreshes the way `refresh` says (see [`Refresh`]).
    pub async fn refresh_as(&self, held: &Secret, refresh: &Refresh) -> TokenAttempt {
        self.request_token(&refresh.token_request(held)).await
    }

    /// Refreshes with a refresh token that was issued to another client.
    pub async fn refresh_with_foreign_token(&self, refresh_token: &Secret) -> TokenAttempt {
        let request = TokenRequest::refresh_token(refresh_token.expose())
            .misstep(Misstep::RefreshTokenOfAnotherClient);
        self.request_token(&request).await
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
    fn each_bent_exchange_carries_its_misstep_and_its_bend() {
        let profile = crate::profile::Profile::load("rfc6749").unwrap();
        let request = AuthorizationRequest::new(&profile, "c", "http://127.0.0.1:9/cb", None);
        let verifier = request.pkce.as_ref().unwrap().verifier.expose().to_owned();
        let param = |r: &TokenRequest, name: &str| {
            r.grant_params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let plain = CodeExchange::as_sent().token_request(&request, "issued");
        assert_eq!(plain.misstep, None);
        assert_eq!(param(&plain, "code").as_deref(), Some("issued"));
        assert_eq!(param(&plain, "code_verifier"), Some(verifier.clone()));
        let other = CodeExchange::with_redirect_uri("http://127.0.0.1:9/other")
            .token_request(&request, "issued");
        assert_eq!(other.misstep, Some(Misstep::OtherRedirectUri));
        assert_eq!(
            param(&other, "redirect_uri").as_deref(),
            Some("http://127.0.0.1:9/other")
        );
        let none = CodeExchange::without_verifier().token_request(&request, "issued");
        assert_eq!(param(&none, "code_verifier"), None);
        let wrong = CodeExchange::with_wrong_verifier().token_request(&request, "issued");
        assert!(param(&wrong, "code_verifier").is_some_and(|v| v != verifier));
        let made_up = CodeExchange::with_made_up_code("x").token_request(&request, "issued");
        assert_eq!(param(&made_up, "code").as_deref(), Some("x"));
        assert_eq!(made_up.misstep, Some(Misstep::MadeUpCode));
        assert_eq!(
            CodeExchange::again()
                .token_request(&request, "issued")
                .misstep,
            Some(Misstep::ReusedCode)
        );
        let expired = CodeExchange::expired().token_request(&request, "issued");
        assert_eq!(expired.misstep, Some(Misstep::ExpiredCode));
        assert_eq!(param(&expired, "code").as_deref(), Some("issued"));
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
