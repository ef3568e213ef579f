//! The mock token endpoint: accepts only the request shape and credentials the
//! profile documents, and refuses everything else the way RFC 6749 §5.2 says.
//!
//! A [`ServerFault`] is consulted where the rule it breaks is enforced; only
//! the faults in the form of a response (headers, media type, status) are
//! applied where responses are finished: [`token_response`] for tokens,
//! [`finish_error`] for refusals.

use base64::Engine as _;
use rand::RngCore as _;

use crate::client::credentials::decode_basic;
use crate::profile::{ClientAuth, Encoding, TokenFormat};

use super::faults::{AccessTokenFault, ServerFault, TokenEndpointFault};
use super::http::{MockRequest, MockResponse, param};
use super::jwt;
use super::state::{IssuedCode, IssuedRefresh, IssuedToken, MockState};

const REALM: &str = "oauth-conformance mock";

/// Handles one request to the token endpoint.
pub fn handle(state: &mut MockState, req: &MockRequest) -> MockResponse {
    state.token_requests += 1;
    if let Some(fault) = state.fault.clone()
        && let Some(response) = faulty_answer(&fault, req)
    {
        return response;
    }
    // Every refusal, whichever rule it enforces, leaves through finish_error.
    let response = answer(state, req);
    if response.status >= 400 {
        finish_error(state, response)
    } else {
        response
    }
}

/// The token endpoint's answer to one request, before error faults apply.
fn answer(state: &mut MockState, req: &MockRequest) -> MockResponse {
    if !accepts_method(state, req) {
        // RFC 6749 §3.2: the client MUST use POST.
        return MockResponse::oauth_error(
            405,
            "invalid_request",
            "The token endpoint accepts only POST",
        )
        .header("allow", "POST");
    }
    let params = match read_params(state, req) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let get = |name: &str| param(&params, name);

    // RFC 6749 §4.4.2 / §5.2: grant_type is required and must be one we support.
    let Some(grant_type) = get("grant_type") else {
        let error = if state.breaks(ServerFault::MissingGrantTypeAsUnsupported) {
            "unsupported_grant_type"
        } else {
            "invalid_request"
        };
        return MockResponse::oauth_error(400, error, "Missing grant_type parameter");
    };
    let has_code_flow = state.profile.authorization_code.is_some();
    let supported = grant_type == "client_credentials"
        || (has_code_flow && matches!(grant_type, "authorization_code" | "refresh_token"));
    if !supported {
        let error = if state.breaks(ServerFault::UnknownGrantTypeAsInvalidRequest) {
            "invalid_request"
        } else {
            "unsupported_grant_type"
        };
        return MockResponse::oauth_error(400, error, "The grant type is not supported");
    }
    let grant_type = grant_type.to_owned();
    if let Err(response) = expect_encoding(state, req, &grant_type) {
        return response;
    }
    let client_id = match authenticate(state, req, &params, &grant_type) {
        Ok(id) => id,
        Err(response) => return response,
    };
    match grant_type.as_str() {
        "authorization_code" => return exchange_code(state, &client_id, &params),
        "refresh_token" => return refresh(state, &client_id, &params),
        _ => {}
    }
    for (name, expected) in &state.profile.token.extra_params {
        match get(name) {
            None => {
                return MockResponse::oauth_error(
                    400,
                    "invalid_request",
                    &format!("Missing {name} parameter"),
                );
            }
            Some(v) if v != expected => {
                return MockResponse::oauth_error(
                    400,
                    "invalid_request",
                    &format!("Unknown {name}"),
                );
            }
            Some(_) => {}
        }
    }
    let requested = get("scope");
    let granted = match grant_scope(state, &client_id, requested) {
        Ok(s) => s,
        Err(response) => return response,
    };
    let (_, body) = match issue_access_token(state, &client_id, &granted, None, get("organization"))
    {
        Ok(issued) => issued,
        Err(response) => return response,
    };
    let always_scope = state.profile.mock.returns_scope;
    token_response(state, body, requested, &granted, always_scope)
}

/// RFC 6749 §3.2: the client MUST use POST. A server that issues tokens for
/// GET reads that request's parameters from the query string.
fn accepts_method(state: &MockState, req: &MockRequest) -> bool {
    req.method == "POST" || (req.method == "GET" && state.breaks(ServerFault::IssuesTokensForGet))
}

/// The body encoding the profile documents for this grant; anything else is
/// refused.
fn expect_encoding(
    state: &MockState,
    req: &MockRequest,
    grant_type: &str,
) -> Result<(), MockResponse> {
    if req.method == "GET" {
        // No body to encode: the parameters came in the query string.
        return Ok(());
    }
    let json_expected = state.profile.client_auth_for(grant_type) == ClientAuth::Json
        || (grant_type == "client_credentials" && state.profile.token.encoding == Encoding::Json);
    let content_type = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    let (ok, wanted) = if json_expected {
        (
            content_type.starts_with("application/json"),
            "application/json",
        )
    } else {
        (
            content_type.starts_with("application/x-www-form-urlencoded"),
            "application/x-www-form-urlencoded",
        )
    };
    if ok {
        Ok(())
    } else {
        Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            &format!("The body must be {wanted}"),
        ))
    }
}

fn invalid_grant(description: &str) -> MockResponse {
    MockResponse::oauth_error(400, "invalid_grant", description)
}

/// Reads a form or JSON body; which one the grant needs is checked once the
/// grant is known. A GET (only served while the server issues tokens for
/// GET) has its parameters in the query string.
fn read_params(
    _state: &MockState,
    req: &MockRequest,
) -> Result<Vec<(String, String)>, MockResponse> {
    if req.method == "GET" {
        return Ok(req.query_pairs());
    }
    let content_type = req
        .header("content-type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&req.body)
            .map_err(|_| {
                MockResponse::oauth_error(400, "invalid_request", "The body is not a JSON object")
            })?;
        return Ok(map
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_owned())))
            .collect());
    }
    Ok(form_urlencoded::parse(&req.body).into_owned().collect())
}

/// RFC 6749 §2.3: the client authenticates in the one way the profile
/// documents; a wrong secret is `invalid_client`, with a Basic challenge when
/// Basic was used (§5.2).
fn authenticate(
    state: &MockState,
    req: &MockRequest,
    params: &[(String, String)],
    grant_type: &str,
) -> Result<String, MockResponse> {
    let header = req.header("authorization");
    let body_secret = param(params, "client_secret").map(str::to_owned);
    let body_id = param(params, "client_id").map(str::to_owned);
    let basic = state.profile.client_auth_for(grant_type) == ClientAuth::Basic;
    if header.is_some() && body_secret.is_some() {
        return Err(MockResponse::oauth_error(
            400,
            "invalid_request",
            "The client used more than one authentication method",
        ));
    }
    let unauthorized = |description: &str, challenge: Option<String>| {
        challenged(
            MockResponse::oauth_error(401, "invalid_client", description),
            challenge,
        )
    };
    let in_query = match (header, &body_secret) {
        (None, None) => credentials_in_query(state, req),
        _ => None,
    };
    let (id, secret, used_basic) = if let Some((id, secret)) = in_query {
        (id, secret, false)
    } else if basic {
        let Some(header) = header else {
            return Err(unauthorized(
                "Client authentication with HTTP Basic is required",
                Some(basic_challenge()),
            ));
        };
        let (id, secret) = decode_basic(header)
            .map_err(|e| unauthorized(&e.to_string(), Some(challenge_after_basic(state))))?;
        (id, secret, true)
    } else {
        match (body_id, body_secret) {
            (Some(id), Some(secret)) => (id, secret, false),
            _ => {
                return Err(unauthorized(
                    "client_id and client_secret are required in the body",
                    None,
                ));
            }
        }
    };
    let challenge = used_basic.then(|| challenge_after_basic(state));
    match state.client(&id) {
        Some(client) if client.secret == secret => Ok(id),
        Some(_) if state.breaks(ServerFault::AcceptsWrongSecret) => Ok(id),
        Some(_) => Err(wrong_secret(state, challenge)),
        None => Err(unauthorized("Client authentication failed", challenge)),
    }
}

/// RFC 6749 §2.3.1: credentials MUST NOT be accepted in the request URI. A
/// server that breaks the rule takes `client_id` and `client_secret` from the
/// query string of a request that carries no other client authentication.
fn credentials_in_query(state: &MockState, req: &MockRequest) -> Option<(String, String)> {
    if !state.breaks(ServerFault::AcceptsCredentialsInQuery) {
        return None;
    }
    let query = req.query_pairs();
    Some((
        param(&query, "client_id")?.to_owned(),
        param(&query, "client_secret")?.to_owned(),
    ))
}

/// The challenge inviting a client to authenticate with HTTP Basic.
fn basic_challenge() -> String {
    format!("Basic realm=\"{REALM}\"")
}

/// The challenge of a 401 answering HTTP Basic credentials: RFC 6749 §5.2
/// wants the scheme the client used, which a faulty server gets wrong.
fn challenge_after_basic(state: &MockState) -> String {
    if state.breaks(ServerFault::BearerChallengeAfterBasic) {
        format!("Bearer realm=\"{REALM}\", error=\"invalid_client\"")
    } else {
        basic_challenge()
    }
}

/// A known client with a wrong secret: 401 `invalid_client` (RFC 6749 §5.2),
/// or the wrong code from a server that calls it `unauthorized_client`.
fn wrong_secret(state: &MockState, challenge: Option<String>) -> MockResponse {
    let error = if state.breaks(ServerFault::WrongSecretAsUnauthorizedClient) {
        "unauthorized_client"
    } else {
        "invalid_client"
    };
    challenged(
        MockResponse::oauth_error(401, error, "Client authentication failed"),
        challenge,
    )
}

/// The refusal with its `WWW-Authenticate` challenge, if it has one.
fn challenged(response: MockResponse, challenge: Option<String>) -> MockResponse {
    match challenge {
        Some(challenge) => response.header("www-authenticate", challenge),
        None => response,
    }
}

/// The scope to grant, or `invalid_scope` (RFC 6749 §3.3, §5.2).
fn grant_scope(
    state: &MockState,
    client_id: &str,
    requested: Option<&str>,
) -> Result<String, MockResponse> {
    let allowed = state
        .client(client_id)
        .map(|c| c.scopes.clone())
        .unwrap_or_default();
    match requested {
        None => Ok(state
            .profile
            .mock
            .default_scope
            .clone()
            .unwrap_or_else(|| allowed.join(" "))),
        Some("*") if state.profile.mock.star_means_all => Ok(allowed.join(" ")),
        Some(requested) => {
            let unknown: Vec<&str> = requested
                .split(' ')
                .filter(|s| !allowed.iter().any(|a| a == s))
                .collect();
            if requested.is_empty() {
                Err(bad_scope(state, ""))
            } else if unknown.is_empty() || state.breaks(ServerFault::GrantsUnknownScope) {
                Ok(requested.to_owned())
            } else {
                Err(bad_scope(state, &unknown.join(" ")))
            }
        }
    }
}

/// A scope the client may not have: `invalid_scope` (RFC 6749 §5.2), or the
/// wrong code from a server that calls it `invalid_request`.
fn bad_scope(state: &MockState, unknown: &str) -> MockResponse {
    let error = if state.breaks(ServerFault::BadScopeAsInvalidRequest) {
        "invalid_request"
    } else {
        "invalid_scope"
    };
    MockResponse::oauth_error(
        400,
        error,
        &format!("Scope not allowed for this client: {unknown}"),
    )
}

/// RFC 6749 §4.1.3 (and RFC 7636 §4.6): the code must exist, be unused,
/// unexpired, issued to this client for this exact redirect_uri, and match
/// the PKCE challenge it was issued with.
fn exchange_code(
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
        None if state.breaks(ServerFault::AcceptsUnknownCode) => {
            invent_code(state, &code, client_id, get("redirect_uri"))
        }
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
    if now >= issued.expires_at_ms {
        return invalid_grant("The authorization code expired");
    }
    if get("redirect_uri").as_deref() != Some(issued.redirect_uri.as_str())
        && !state.breaks(ServerFault::IgnoresRedirectUriAtExchange)
    {
        return invalid_grant("redirect_uri does not match the authorization request");
    }
    if let Some(challenge) = &issued.code_challenge
        && !state.breaks(ServerFault::IgnoresCodeVerifier)
    {
        let verified =
            get("code_verifier").is_some_and(|v| crate::client::authorize::s256(&v) == *challenge);
        if !verified {
            return invalid_grant("The code_verifier does not match the code_challenge");
        }
    }
    if let Some(c) = state.codes.get_mut(&code) {
        c.used = true;
    }
    let (access, mut body) = match issue_access_token(
        state,
        client_id,
        &issued.scope,
        issued.account.clone(),
        None,
    ) {
        Ok(issued) => issued,
        Err(response) => return response,
    };
    let refresh = issue_refresh_token(
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
    token_response(state, body, None, &issued.scope, true)
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
) -> IssuedCode {
    let scope = state
        .profile
        .authorization_code
        .as_ref()
        .map(|a| a.default_scope.clone())
        .unwrap_or_default();
    let invented = IssuedCode {
        client_id: client_id.to_owned(),
        redirect_uri: redirect_uri.unwrap_or_default(),
        scope,
        account: None,
        code_challenge: None,
        expires_at_ms: state.now_ms() + super::authorize_endpoint::CODE_LIFETIME_MS,
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

/// RFC 6749 §6: a live refresh token of this client gets a new access token;
/// with rotation, a new refresh token too, and the old one stops working.
fn refresh(state: &mut MockState, client_id: &str, params: &[(String, String)]) -> MockResponse {
    let Some(token) = param(params, "refresh_token").map(str::to_owned) else {
        return MockResponse::oauth_error(
            400,
            "invalid_request",
            "Missing refresh_token parameter",
        );
    };
    let Some(issued) = state.refresh_tokens.get(&token).cloned() else {
        return invalid_grant("Unknown refresh token");
    };
    if issued.revoked {
        return invalid_grant("The refresh token was revoked");
    }
    if issued.client_id != client_id
        && !state.breaks(ServerFault::AcceptsRefreshTokenOfAnotherClient)
    {
        return invalid_grant("The refresh token was issued to another client");
    }
    if state.now_ms() >= issued.expires_at_ms {
        return invalid_grant("The refresh token expired");
    }
    let new_access = if state.breaks(ServerFault::RefreshReturnsSameAccessToken) {
        Ok(renew_access_token(state, &issued))
    } else {
        issue_access_token(
            state,
            client_id,
            &issued.scope,
            issued.account.clone(),
            None,
        )
    };
    let (access, mut body) = match new_access {
        Ok(issued) => issued,
        Err(response) => return response,
    };
    if state.rotate_refresh_tokens {
        if let Some(old) = state.refresh_tokens.get_mut(&token) {
            old.revoked = true;
        }
        let new = issue_refresh_token(
            state,
            client_id,
            &issued.scope,
            issued.account.clone(),
            &access,
        );
        body["refresh_token"] = serde_json::Value::String(new);
    } else if let Some(kept) = state.refresh_tokens.get_mut(&token) {
        kept.access_token = access;
    }
    token_response(state, body, None, &issued.scope, true)
}

/// What a server that answers a refresh with the access token the grant
/// already holds hands out: that same string, alive for a full lifetime
/// again, so the §5.1 response it comes in is otherwise true. (Its JWT
/// claims, if any, are not re-signed: no profile with refresh uses JWTs.)
fn renew_access_token(state: &mut MockState, grant: &IssuedRefresh) -> (String, serde_json::Value) {
    let access_token = grant.access_token.clone();
    let expires_at_ms = state.now_ms() + real_lifetime_ms(state);
    state.tokens.insert(
        access_token.clone(),
        IssuedToken {
            client_id: grant.client_id.clone(),
            scope: grant.scope.clone(),
            expires_at_ms,
            account: grant.account.clone(),
            revoked: false,
        },
    );
    let body = token_body(state, &access_token);
    (access_token, body)
}

/// Issues a refresh token for the grant whose current access token is
/// `access_token`.
fn issue_refresh_token(
    state: &mut MockState,
    client_id: &str,
    scope: &str,
    account: Option<String>,
    access_token: &str,
) -> String {
    let days = state
        .profile
        .authorization_code
        .as_ref()
        .map(|a| a.refresh_lifetime_days)
        .unwrap_or(30);
    let token = random_token();
    state.refresh_tokens.insert(
        token.clone(),
        IssuedRefresh {
            client_id: client_id.to_owned(),
            scope: scope.to_owned(),
            account,
            expires_at_ms: state.now_ms() + i64::try_from(days).unwrap_or(30) * 86_400_000,
            revoked: false,
            access_token: access_token.to_owned(),
        },
    );
    token
}

/// Issues an access token and returns it with the §5.1 body.
fn issue_access_token(
    state: &mut MockState,
    client_id: &str,
    granted: &str,
    account: Option<String>,
    organization: Option<&str>,
) -> Result<(String, serde_json::Value), MockResponse> {
    let lifetime_s = documented_lifetime_s(state);
    let now_ms = state.now_ms();
    let mut expires_at_ms = now_ms + real_lifetime_ms(state);
    let access_token = match state.profile.token.access_token_format {
        TokenFormat::Opaque => random_token(),
        TokenFormat::Jwt => {
            let audience = state
                .profile
                .token
                .extra_params
                .get("audience")
                .cloned()
                .unwrap_or_else(|| state.profile.mock.issuer.clone());
            let now_s = now_ms.div_euclid(1000);
            let mut claims = serde_json::json!({
                "iss": state.profile.mock.issuer,
                "sub": format!("{client_id}@clients"),
                "aud": audience,
                "iat": now_s,
                "nbf": now_s,
                "exp": now_s + lifetime_s,
                "jti": random_token(),
                "client_id": client_id,
                "scope": granted,
            });
            if let Some(org) = organization {
                claims["org_id"] = serde_json::Value::String(org.to_owned());
            }
            if let Some(AccessTokenFault::ExpDisagrees { exp_after_s }) = state.token_fault {
                let exp_after_s = i64::try_from(exp_after_s).unwrap_or(lifetime_s);
                claims["exp"] = (now_s + exp_after_s).into();
                expires_at_ms = now_ms + exp_after_s * 1000;
            }
            sign_access_token(state, &mut claims).map_err(|e| {
                MockResponse::oauth_error(500, "server_error", &format!("mock could not sign: {e}"))
            })?
        }
    };
    state.tokens.insert(
        access_token.clone(),
        IssuedToken {
            client_id: client_id.to_owned(),
            scope: granted.to_owned(),
            expires_at_ms,
            account,
            revoked: false,
        },
    );
    let body = token_body(state, &access_token);
    Ok((access_token, body))
}

/// The access token lifetime the profile documents, in seconds.
fn documented_lifetime_s(state: &MockState) -> i64 {
    i64::try_from(state.profile.token.expected_lifetime_s).unwrap_or(i64::MAX / 4_000)
}

/// How long an access token really works: the documented lifetime, unless
/// the server cuts it short without saying so.
fn real_lifetime_ms(state: &MockState) -> i64 {
    if state.breaks(ServerFault::ExpiresTokensAfter30Minutes) {
        30 * 60 * 1000
    } else {
        documented_lifetime_s(state) * 1000
    }
}

/// The RFC 6749 §5.1 members that describe the access token, as the server
/// states them (a faulty server misstates one).
fn token_body(state: &MockState, access_token: &str) -> serde_json::Value {
    let mut body = serde_json::json!({ "access_token": access_token });
    if !state.breaks(ServerFault::OmitsTokenType) {
        let token_type = if state.breaks(ServerFault::TokenTypeMac) {
            "mac"
        } else {
            "Bearer"
        };
        body["token_type"] = token_type.into();
    }
    let expires_in = if state.breaks(ServerFault::SaysExpiresIn7200) {
        7200
    } else {
        documented_lifetime_s(state)
    };
    body["expires_in"] = if state.breaks(ServerFault::ExpiresInAsString) {
        expires_in.to_string().into()
    } else {
        expires_in.into()
    };
    body
}

/// A 200 token response. RFC 6749 §5.1: scope is OPTIONAL if identical to
/// the request, REQUIRED otherwise; the response is JSON and not cacheable
/// (`Cache-Control: no-store`, `Pragma: no-cache`) unless the server breaks
/// one of those rules.
fn token_response(
    state: &MockState,
    mut body: serde_json::Value,
    requested: Option<&str>,
    granted: &str,
    always_scope: bool,
) -> MockResponse {
    if always_scope || requested != Some(granted) {
        body["scope"] = serde_json::Value::String(granted.to_owned());
    }
    let mut response = MockResponse::json(200, &body);
    if state.breaks(ServerFault::TokenAsText) {
        response = response.replace_header("content-type", "text/plain");
    }
    if !state.breaks(ServerFault::OmitsNoStore) {
        response = response.header("cache-control", "no-store");
    }
    if !state.breaks(ServerFault::OmitsPragma) {
        response = response.header("pragma", "no-cache");
    }
    response
}

/// A refusal as the server sends it. RFC 6749 §5.2 wants status 400 (401 for
/// `invalid_client`), a JSON body and descriptions in a restricted character
/// set; the error faults each break one of those on every refusal.
fn finish_error(state: &MockState, response: MockResponse) -> MockResponse {
    let mut response = response;
    if state.breaks(ServerFault::ErrorsWithStatus500) {
        response.status = 500;
    }
    if state.breaks(ServerFault::ErrorsAsHtml) {
        response = as_html_page(response);
    }
    if state.breaks(ServerFault::QuoteInErrorDescription) {
        response = with_quoted_description(response);
    }
    response
}

/// The same refusal as an HTML page, as web frameworks render errors.
fn as_html_page(response: MockResponse) -> MockResponse {
    let error = serde_json::from_slice::<serde_json::Value>(&response.body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_else(|| "error".to_owned());
    let mut response = response.replace_header("content-type", "text/html; charset=utf-8");
    response.body = format!(
        "<!doctype html><html><head><title>{status}</title></head>\
         <body><h1>{status}</h1><p>{error}</p></body></html>",
        status = response.status,
    )
    .into_bytes();
    response
}

/// The same refusal with its `error_description` in double quotes: a
/// character RFC 6749 §5.2 leaves out of the set.
fn with_quoted_description(mut response: MockResponse) -> MockResponse {
    let Ok(mut body) = serde_json::from_slice::<serde_json::Value>(&response.body) else {
        return response;
    };
    let description = body["error_description"].as_str().unwrap_or_default();
    body["error_description"] = format!("\"{description}\"").into();
    response.body = serde_json::to_vec(&body).unwrap_or_default();
    response
}

/// Signs the JWT access token, or builds the bad token the scenario asked
/// for (the claims are adjusted in place for the claim faults).
fn sign_access_token(state: &MockState, claims: &mut serde_json::Value) -> Result<String, String> {
    let alg = state.signing_alg;
    let now_s = state.now_ms().div_euclid(1000);
    let Some(fault) = state.token_fault else {
        return jwt::sign_with(alg, claims);
    };
    match fault {
        AccessTokenFault::AlgNone => return Ok(jwt::unsigned(claims)),
        AccessTokenFault::Hs256WithPublicKey => return jwt::hs256_with_public_key(claims),
        AccessTokenFault::UnknownKid => {
            return jwt::sign_with_kid(alg, jwt::UNKNOWN_KEY_ID, claims);
        }
        AccessTokenFault::TamperedClaims => {
            let mut escalated = claims.clone();
            escalated["scope"] = "admin".into();
            return jwt::tampered(alg, claims, &escalated);
        }
        AccessTokenFault::WrongAudience => {
            claims["aud"] = "https://another-api.mock.test/".into();
        }
        AccessTokenFault::WrongIssuer => {
            claims["iss"] = "https://impostor.mock.test/".into();
        }
        AccessTokenFault::Expired => {
            claims["iat"] = (now_s - 7_200).into();
            claims["nbf"] = (now_s - 7_200).into();
            claims["exp"] = (now_s - 3_600).into();
        }
        AccessTokenFault::NotYetValid => {
            claims["nbf"] = (now_s + 3_600).into();
        }
        AccessTokenFault::ExpDisagrees { .. } => {}
    }
    jwt::sign_with(alg, claims)
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The fault's answer, or `None` when the fault is served elsewhere (delay).
fn faulty_answer(fault: &TokenEndpointFault, req: &MockRequest) -> Option<MockResponse> {
    let text = |status: u16, content_type: &str, body: Vec<u8>| MockResponse {
        status,
        headers: vec![("content-type".into(), content_type.into())],
        body,
    };
    Some(match fault {
        TokenEndpointFault::HtmlErrorPage => text(
            500,
            "text/html; charset=utf-8",
            format!(
                "<html><head><title>Server Error (500)</title></head><body><h1>Server Error</h1>\
                 <pre>Authorization: {}\nPOST body: {}</pre></body></html>",
                req.header("authorization").unwrap_or("-"),
                String::from_utf8_lossy(&req.body)
            )
            .into_bytes(),
        ),
        TokenEndpointFault::NotJson => text(200, "text/plain", b"OK: token issued".to_vec()),
        TokenEndpointFault::TruncatedJson => text(
            200,
            "application/json",
            br#"{"access_token": "abcdefghijklmnop", "token_type": "Bea"#.to_vec(),
        ),
        TokenEndpointFault::EmptyServerError => text(500, "text/plain", Vec::new()),
        TokenEndpointFault::HugeBody(size) => {
            let mut body = br#"{"access_token":""#.to_vec();
            body.resize(*size, b'a');
            body.extend_from_slice(br#"","token_type":"Bearer"}"#);
            text(200, "application/json", body)
        }
        TokenEndpointFault::Slow => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::mock::state::MockClient;
    use crate::profile::Profile;

    fn state(profile: &str) -> MockState {
        let mut s = MockState::new(Profile::load(profile).unwrap(), Clock::manual());
        let scopes = s.profile.mock.scopes.clone();
        s.clients.push(MockClient {
            id: "c 1".into(),
            secret: "s:1".into(),
            scopes,
            redirect_uris: Vec::new(),
        });
        s
    }

    fn basic(id: &str, secret: &str) -> (String, String) {
        (
            "authorization".into(),
            crate::client::ClientCredentials::new(id, secret).basic_authorization(),
        )
    }

    fn form(headers: Vec<(String, String)>, body: &str) -> MockRequest {
        let mut headers = headers;
        headers.push((
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
        MockRequest {
            method: "POST".into(),
            path: "/api/o/token/".into(),
            headers,
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    fn error_of(r: &MockResponse) -> (u16, String) {
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        (r.status, v["error"].as_str().unwrap_or_default().to_owned())
    }

    #[test]
    fn basic_client_credentials_succeed_with_the_documented_lifetime() {
        let mut s = state("401go");
        let r = handle(
            &mut s,
            &form(
                vec![basic("c 1", "s:1")],
                "grant_type=client_credentials&scope=read",
            ),
        );
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["expires_in"], 3600);
        assert_eq!(v["scope"], "read");
        assert_eq!(r.get_header("cache-control"), Some("no-store"));
        assert_eq!(s.tokens.len(), 1);
    }

    #[test]
    fn refusals_follow_rfc6749_5_2() {
        let mut s = state("401go");
        let r = handle(
            &mut s,
            &form(vec![basic("c 1", "wrong")], "grant_type=client_credentials"),
        );
        assert_eq!(error_of(&r), (401, "invalid_client".into()));
        assert!(
            r.get_header("www-authenticate")
                .unwrap()
                .starts_with("Basic")
        );
        let r = handle(
            &mut s,
            &form(vec![basic("c 1", "s:1")], "grant_type=password"),
        );
        assert_eq!(error_of(&r), (400, "unsupported_grant_type".into()));
        let r = handle(&mut s, &form(vec![basic("c 1", "s:1")], "scope=read"));
        assert_eq!(error_of(&r), (400, "invalid_request".into()));
        let r = handle(
            &mut s,
            &form(
                vec![basic("c 1", "s:1")],
                "grant_type=client_credentials&scope=admin",
            ),
        );
        assert_eq!(error_of(&r), (400, "invalid_scope".into()));
        let r = handle(
            &mut s,
            &form(
                vec![basic("c 1", "s:1")],
                "grant_type=client_credentials&client_secret=s%3A1",
            ),
        );
        assert_eq!(error_of(&r), (400, "invalid_request".into()));
        let mut get = form(vec![basic("c 1", "s:1")], "");
        get.method = "GET".into();
        assert_eq!(handle(&mut s, &get).status, 405);
        assert_eq!(s.token_requests, 6);
    }

    #[test]
    fn json_profile_grants_all_scopes_for_star_and_issues_a_jwt() {
        let mut s = state("json-body");
        let body = r#"{"grant_type":"client_credentials","client_id":"c 1","client_secret":"s:1","scope":"*"}"#;
        let req = MockRequest {
            method: "POST".into(),
            path: "/access-token".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            ..Default::default()
        };
        let r = handle(&mut s, &req);
        assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(v["scope"], "shipments.read shipments.write carriers.read");
        assert_eq!(v["access_token"].as_str().unwrap().split('.').count(), 3);
        // The same request form-encoded is refused.
        let r = handle(
            &mut s,
            &form(
                vec![],
                "grant_type=client_credentials&client_id=c+1&client_secret=s%3A1",
            ),
        );
        assert_eq!(error_of(&r), (400, "invalid_request".into()));
    }

    #[test]
    fn login3_requires_its_audience() {
        let mut s = state("login3");
        let r = handle(
            &mut s,
            &form(
                vec![],
                "grant_type=client_credentials&client_id=c+1&client_secret=s%3A1",
            ),
        );
        assert_eq!(error_of(&r), (400, "invalid_request".into()));
    }
}
