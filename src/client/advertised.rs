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

/// What the authorization endpoint did with `response_type=token` (the
/// implicit grant, RFC 6749 §4.2.2: the access token in the fragment; an
/// error in the fragment or, from a server that does not know the response
/// type, the query).
pub fn implicit_answer(attempt: &super::code_flow::AuthorizationAttempt) -> Answer {
    let location = match &attempt.redirect {
        Ok(location) => location,
        Err(e) => return Answer::Unread(format!("the user never reached the redirect URI: {e}")),
    };
    let Ok(url) = url::Url::parse(location) else {
        return Answer::Unread("a redirect that is not a URL".into());
    };
    let mut params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    if let Some(fragment) = url.fragment() {
        params.extend(form_urlencoded::parse(fragment.as_bytes()).into_owned());
    }
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v);
    match (param("access_token"), param("error")) {
        (Some(_), _) => Answer::Issued,
        (None, Some(error)) => Answer::Refused(error.clone()),
        (None, None) => Answer::Unread(
            "a redirect with neither access_token nor error in its query or fragment".into(),
        ),
    }
}

/// The endpoint members of RFC 8414 §2 the suite can compare with a
/// profile field, the endpoint, and the method that reaches it.
const ENDPOINT_MEMBERS: [(&str, crate::profile::Endpoint, &str); 5] = [
    (
        "authorization_endpoint",
        crate::profile::Endpoint::Authorization,
        "GET",
    ),
    ("token_endpoint", crate::profile::Endpoint::Token, "POST"),
    (
        "revocation_endpoint",
        crate::profile::Endpoint::Revocation,
        "POST",
    ),
    (
        "introspection_endpoint",
        crate::profile::Endpoint::Introspection,
        "POST",
    ),
    ("jwks_uri", crate::profile::Endpoint::Jwks, "GET"),
];

/// Each endpoint the metadata lists that the profile names too (its
/// `jwks` by default `/.well-known/jwks.json`), compared with the URL the
/// run uses; a listed URL that differs is called once (an empty POST to a
/// token, revocation or introspection endpoint, a GET otherwise, no
/// credentials) to see whether anything answers there.
pub async fn listed_endpoints(
    client: &OAuthClient,
    doc: &serde_json::Map<String, serde_json::Value>,
) -> Vec<crate::checks::advertised::ListedEndpoint> {
    use crate::checks::advertised::ListedEndpoint;
    let mut found = Vec::new();
    for (member, endpoint, method) in ENDPOINT_MEMBERS {
        let Some(listed) = doc.get(member).and_then(serde_json::Value::as_str) else {
            continue;
        };
        let location = match endpoint {
            crate::profile::Endpoint::Jwks => Some(
                client
                    .profile
                    .jwks
                    .as_deref()
                    .unwrap_or(super::jwks::DEFAULT_JWKS_PATH),
            ),
            _ => client.profile.location(endpoint),
        };
        let Some(used) =
            location.and_then(|l| crate::profile::endpoints::resolve(&client.base_url, l).ok())
        else {
            continue;
        };
        let answer = match url::Url::parse(listed) {
            Ok(url) if url == used => None,
            Ok(url) => Some(call(client, method, url).await),
            Err(e) => Some(Err(format!("not a URL: {e}"))),
        };
        found.push(ListedEndpoint {
            member,
            listed: listed.to_owned(),
            used: used.to_string(),
            answer,
        });
    }
    found
}

async fn call(client: &OAuthClient, method: &str, url: url::Url) -> Result<u16, String> {
    let post = method == "POST";
    let request = super::HttpRequest {
        method: method.to_owned(),
        url,
        headers: match post {
            true => vec![(
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            )],
            false => Vec::new(),
        },
        body: post.then(Vec::new),
    };
    client
        .send(&request)
        .await
        .map(|answer| answer.status)
        .map_err(|e| e.to_string())
}
