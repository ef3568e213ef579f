//! The authorization code grant's exchange (RFC 6749 §4.1.3): a code the
//! authorization endpoint issued becomes an access token and a refresh
//! token, once, for the client and redirect URI it was issued to.

use crate::mock::faults::ServerFault;
use crate::mock::http::{MockResponse, param};
use crate::mock::state::{IssuedCode, MockState};
use crate::mock::tokens::CODE_LIFETIME_MS;

use super::mint;
use super::responses::{self, invalid_grant};

/// RFC 6749 §4.1.3 (and RFC 7636 §4.6): the code must exist, be unused,
/// unexpired, issued to this client for this exact redirect_uri, and match
/// the PKCE challenge it was issued with.
pub(super) fn exchange(
    state: &mut MockState,
    client_id: &str,
    params: &[(String, String)],
) -> MockResponse {
    let get = |name: &str| param(params, name).map(str::to_owned);
    let Some(code) = get("code") else {
        return MockResponse::oauth_error(400, "invalid_request", "Missing code parameter");
    };
    let now = state.now_ms();
    let issued = match state.codes.get(&code).cloned() {
        Some(issued) => issued,
        None if state.breaks(ServerFault::AcceptsUnknownCode) => invent_code(
            state,
            &code,
            client_id,
            get("redirect_uri"),
            get("code_verifier"),
        ),
        None => return unknown_code(state),
    };
    if issued.used {
        revoke_tokens_of_reused_code(state, &issued);
        if !state.breaks(ServerFault::AcceptsReusedCode) {
            return invalid_grant("The authorization code was already used");
        }
    }
    if issued.client_id != client_id && !state.breaks(ServerFault::AcceptsCodeOfAnotherClient) {
        return invalid_grant("The authorization code was issued to another client");
    }
    if now >= issued.expires_at_ms && !state.breaks(ServerFault::AcceptsExpiredCodes) {
        return invalid_grant("The authorization code expired");
    }
    if let Err(refusal) = check_redirect_uri(state, &issued, get("redirect_uri").as_deref()) {
        return refusal;
    }
    if let Err(refusal) = check_verifier(state, &issued, get("code_verifier").as_deref()) {
        return refusal;
    }
    if let Some(c) = state.codes.get_mut(&code) {
        c.used = true;
    }
    let (access, mut body) = match mint::issue_access_token(
        state,
        client_id,
        &issued.scope,
        issued.account.clone(),
        None,
    ) {
        Ok(issued) => issued,
        Err(response) => return response,
    };
    let refresh = mint::issue_refresh_token(
        state,
        client_id,
        &issued.scope,
        issued.account.clone(),
        &access,
    );
    body["refresh_token"] = serde_json::Value::String(refresh.clone());
    if let Some(c) = state.codes.get_mut(&code) {
        c.issued.extend([access, refresh]);
    }
    match issued.scope_unsaid {
        // As though the authorization request had been granted as asked.
        true => responses::token_response(state, body, Some(&issued.scope), &issued.scope, false),
        false => responses::token_response(state, body, None, &issued.scope, true),
    }
}

/// RFC 6749 §4.1.3: redirect_uri is REQUIRED when the authorization request
/// carried one, and must be identical. A faulty server ignores a different
/// one, or accepts a missing one.
fn check_redirect_uri(
    state: &MockState,
    issued: &IssuedCode,
    sent: Option<&str>,
) -> Result<(), MockResponse> {
    match sent {
        None if state.breaks(ServerFault::AcceptsExchangeWithoutRedirectUri) => Ok(()),
        None => Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            "Missing redirect_uri parameter",
        )),
        Some(uri) if uri == issued.redirect_uri => Ok(()),
        Some(_) if state.breaks(ServerFault::IgnoresRedirectUriAtExchange) => Ok(()),
        Some(_) => Err(invalid_grant(
            "redirect_uri does not match the authorization request",
        )),
    }
}

/// RFC 7636 §4.6 and RFC 9700 §2.1.1: a code issued with a challenge needs
/// the verifier that hashes (S256) to it; a code issued without one takes no
/// verifier at all (a downgrade). Faulty servers let the verifier be left
/// out, compare it with the challenge as text, take one nobody asked for,
/// or refuse even the verifier that matches.
fn check_verifier(
    state: &MockState,
    issued: &IssuedCode,
    verifier: Option<&str>,
) -> Result<(), MockResponse> {
    match (&issued.code_challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) if state.breaks(ServerFault::AcceptsVerifierWithoutChallenge) => Ok(()),
        (None, Some(_)) => Err(invalid_grant(
            "A code_verifier was sent for a code issued without a code_challenge",
        )),
        (Some(_), None) if state.breaks(ServerFault::IgnoresCodeVerifier) => Ok(()),
        (Some(challenge), Some(v))
            if state.breaks(ServerFault::ComparesVerifierAsText) && v == challenge =>
        {
            Ok(())
        }
        (Some(challenge), Some(v))
            if crate::client::authorize::s256(v) == *challenge
                && !state.breaks(ServerFault::RefusesMatchingVerifier) =>
        {
            Ok(())
        }
        (Some(_), _) => Err(invalid_grant(
            "The code_verifier does not match the code_challenge",
        )),
    }
}

/// A code the server never issued: `invalid_grant` (RFC 6749 §5.2), or the
/// wrong code from a server that calls it `invalid_request`.
fn unknown_code(state: &MockState) -> MockResponse {
    if state.breaks(ServerFault::UnknownCodeAsInvalidRequest) {
        MockResponse::oauth_error(400, "invalid_request", "Unknown authorization code")
    } else {
        invalid_grant("Unknown authorization code")
    }
}

/// What a server that accepts codes it never issued makes of one: a fresh
/// code of the presenting client, for the redirect URI it names and the
/// flow's default scope, remembered from now on (so it is single-use like
/// any other).
fn invent_code(
    state: &mut MockState,
    code: &str,
    client_id: &str,
    redirect_uri: Option<String>,
    verifier: Option<String>,
) -> IssuedCode {
    let scope = state
        .profile
        .authorization_code
        .as_ref()
        .and_then(|a| a.default_scope.clone())
        .unwrap_or_default();
    let invented = IssuedCode {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.unwrap_or_default(),
        scope,
        scope_unsaid: false,
        account: None,
        // Whatever verifier comes along is taken to match: the code is
        // invented to fit the request.
        code_challenge: verifier.map(|v| crate::client::authorize::s256(&v)),
        expires_at_ms: state.now_ms() + CODE_LIFETIME_MS,
        used: false,
        issued: Vec::new(),
    };
    state.codes.insert(code.to_owned(), invented.clone());
    invented
}

/// RFC 6749 §4.1.2 / §10.5: the tokens already issued from a replayed code
/// SHOULD be revoked; a faulty server keeps them working.
fn revoke_tokens_of_reused_code(state: &mut MockState, code: &IssuedCode) {
    if state.breaks(ServerFault::KeepsTokensOfReusedCode) {
        return;
    }
    for token in &code.issued {
        if let Some(t) = state.tokens.get_mut(token) {
            t.revoked = true;
        }
        if let Some(r) = state.refresh_tokens.get_mut(token) {
            r.revoked = true;
        }
    }
}
