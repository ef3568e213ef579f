//! The probes that exercise what a server's metadata claims (RFC 8414 §2):
//! each grant type at the token endpoint, each client authentication
//! method, each listed scope. Made-up codes, refresh tokens and users are
//! refused by any server that supports their grant (`invalid_grant`); a
//! server that does not answers `unsupported_grant_type` (RFC 6749 §5.2).
//! Judged by [`crate::checks::advertised`].

use rand::RngCore as _;

use super::{GrantType, OAuthClient, TokenAttempt, TokenRequest};
use crate::checks::advertised::{Answer, Probe};
use crate::profile::ClientAuth;

/// What a token attempt shows.
pub fn answer(attempt: &TokenAttempt) -> Answer {
    match &attempt.outcome {
        Ok(_) => Answer::Issued,
        Err(e) => match e.oauth_error() {
            Some((error, _)) => Answer::Refused(error.error.clone()),
            None => Answer::Unread(e.to_string()),
        },
    }
}

fn made_up(what: &str) -> String {
    let mut bytes = [0u8; 8];
    rand::rng().fill_bytes(&mut bytes);
    let suffix: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("conformance-made-up-{what}-{suffix}")
}

/// The grant types tried at the token endpoint, whatever the metadata
/// lists: client credentials with the test client's own credentials (and
/// the profile's scope), a made-up code, a made-up refresh token, a made-up
/// user's password.
pub fn grant_requests(
    redirect_uri: &str,
    scope: Option<&str>,
) -> Vec<(&'static str, &'static str, TokenRequest)> {
    let mut cc = TokenRequest::client_credentials();
    if let Some(scope) = scope {
        cc = cc.scope(scope);
    }
    let password = TokenRequest::client_credentials()
        .grant(GrantType::Other("password".into()))
        .param("username", made_up("user"))
        .param("password", made_up("password"));
    vec![
        (
            "client_credentials",
            "the test client's client credentials request",
            cc,
        ),
        (
            "authorization_code",
            "a code exchange with a made-up code",
            TokenRequest::authorization_code(&made_up("code"), redirect_uri, None),
        ),
        (
            "refresh_token",
            "a refresh with a made-up refresh token",
            TokenRequest::refresh_token(&made_up("refresh-token")),
        ),
        ("password", "a password grant for a made-up user", password),
    ]
}

/// Sends each grant request; the probes and the attempts (for the report).
pub async fn try_grants(
    client: &OAuthClient,
    redirect_uri: &str,
    scope: Option<&str>,
) -> (Vec<Probe>, Vec<TokenAttempt>) {
    let mut probes = Vec::new();
    let mut attempts = Vec::new();
    for (grant, sent, request) in grant_requests(redirect_uri, scope) {
        let attempt = client.request_token(&request).await;
        probes.push(Probe::new(grant, sent, answer(&attempt)));
        attempts.push(attempt);
    }
    (probes, attempts)
}

/// The client, authenticating every grant with `auth`.
fn authenticating_with(client: &OAuthClient, auth: ClientAuth) -> OAuthClient {
    let mut client = client.clone();
    client.profile.token.client_auth = auth;
    if let Some(ac) = client.profile.authorization_code.as_mut() {
        ac.client_auth = auth;
    }
    client
}

/// Sends the same request with the test client's correct credentials, once
/// in HTTP Basic and once in the form body (RFC 6749 §2.3.1).
pub async fn try_auth_methods(
    client: &OAuthClient,
    request: &TokenRequest,
    sent: &str,
) -> (Vec<Probe>, Vec<TokenAttempt>) {
    let mut probes = Vec::new();
    let mut attempts = Vec::new();
    for auth in [ClientAuth::Basic, ClientAuth::Post] {
        let attempt = authenticating_with(client, auth)
            .request_token(request)
            .await;
        let method = auth.registered_name();
        let what = format!("{sent}, the client's correct credentials sent as {method}");
        probes.push(Probe::new(method, what, answer(&attempt)));
        attempts.push(attempt);
    }
    (probes, attempts)
}

/// The requests the method probes send: client credentials when the test
/// client is registered for them, and a code exchange with a made-up code
/// (refused `invalid_grant` only after the client authenticated) when it
/// is registered for the code grant.
pub fn auth_probe_requests(
    client_credentials: bool,
    authorization_code: bool,
    redirect_uri: &str,
    scope: Option<&str>,
) -> Vec<(TokenRequest, &'static str)> {
    let mut requests = Vec::new();
    if client_credentials {
        let mut cc = TokenRequest::client_credentials();
        if let Some(scope) = scope {
            cc = cc.scope(scope);
        }
        requests.push((cc, "a client credentials request"));
    }
    if authorization_code {
        requests.push((
            TokenRequest::authorization_code(&made_up("code"), redirect_uri, None),
            "a code exchange with a made-up code",
        ));
    }
    requests
}

/// Asks for each scope with the client credentials grant.
pub async fn try_scopes(
    client: &OAuthClient,
    scopes: &[String],
) -> (Vec<Probe>, Vec<TokenAttempt>) {
    let mut probes = Vec::new();
    let mut attempts = Vec::new();
    for scope in scopes {
        let attempt = client
            .request_token(&TokenRequest::client_credentials().scope(scope.clone()))
            .await;
        let sent = format!("a client credentials request for scope {scope:?}");
        probes.push(Probe::new(scope.clone(), sent, answer(&attempt)));
        attempts.push(attempt);
    }
    (probes, attempts)
}

/// What the authorization endpoint did with a code_challenge_method: the
/// redirect carried a code, or an error, or the trip ended elsewhere.
pub fn method_answer(
    attempt: &super::code_flow::AuthorizationAttempt,
) -> crate::checks::advertised::MethodAnswer {
    use crate::checks::advertised::MethodAnswer;
    let location = match &attempt.redirect {
        Ok(location) => location,
        Err(e) => {
            return MethodAnswer::Unread(format!("the user never reached the redirect URI: {e}"));
        }
    };
    let Ok(url) = url::Url::parse(location) else {
        return MethodAnswer::Unread("a redirect that is not a URL".into());
    };
    let param = |name: &str| {
        url.query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    match (param("code"), param("error")) {
        (Some(_), _) => MethodAnswer::Code,
        (None, Some(error)) => MethodAnswer::Refused(format!("error redirect {error}")),
        (None, None) => {
            MethodAnswer::Unread("a redirect with neither code nor error in its query".into())
        }
    }
}
