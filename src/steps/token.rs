//! Requesting tokens and checking requests and responses.

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::{
    error_response, parameters, refusal, scope_premise, token_request, token_response,
};
use crate::client::credentials::decode_basic;
use crate::client::{GrantType, Misstep, TokenAttempt, TokenRequest};
use crate::profile::{ClientAuth, Encoding, Endpoint, endpoints};
use crate::redact::{contains_any, redact};

pub(super) async fn request(w: &mut ConformanceWorld, request: TokenRequest) -> StepResult {
    w.lifecycle.asked_at_ms = Some(w.clock.now_ms());
    let attempt = w.client()?.request_token(&request).await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[when("the client requests an access token")]
async fn requests(w: &mut ConformanceWorld) -> StepResult {
    request(w, TokenRequest::client_credentials()).await
}

/// What the server does with a second token while the first is fresh: a
/// request a client keeping its token would not send (a probe for `serve`).
#[when("the client requests a second access token while the first is fresh")]
async fn requests_second(w: &mut ConformanceWorld) -> StepResult {
    let second =
        TokenRequest::client_credentials().probe("a second token while the first is fresh");
    request(w, second).await
}

#[when(expr = "the client requests an access token with scope {string}")]
async fn requests_scope(w: &mut ConformanceWorld, scope: String) -> StepResult {
    request(w, TokenRequest::client_credentials().scope(scope)).await
}

#[when(expr = "the client requests an access token for organization {string}")]
async fn requests_org(w: &mut ConformanceWorld, org: String) -> StepResult {
    let allowed = w
        .profile()?
        .token
        .optional_params
        .contains(&"organization".to_owned());
    ensure(allowed, || {
        "this profile documents no `organization` parameter".into()
    })?;
    request(
        w,
        TokenRequest::client_credentials().param("organization", org),
    )
    .await
}

#[when(expr = "the client requests an access token with grant type {string}")]
async fn requests_grant(w: &mut ConformanceWorld, grant: String) -> StepResult {
    request(
        w,
        TokenRequest::client_credentials().grant(GrantType::Other(grant)),
    )
    .await
}

#[when("the client sends a token request without a grant type")]
async fn requests_no_grant(w: &mut ConformanceWorld) -> StepResult {
    request(
        w,
        TokenRequest::client_credentials().grant(GrantType::Omitted),
    )
    .await
}

#[given("the client has an access token")]
async fn has_token(w: &mut ConformanceWorld) -> StepResult {
    request(w, TokenRequest::client_credentials()).await?;
    w.last_token().map(|_| ())
}

#[then("the token request succeeded")]
async fn succeeded(w: &mut ConformanceWorld) -> StepResult {
    w.last_token().map(|_| ())
}

#[then(expr = "the token request was sent as {string} to {string}")]
async fn sent_as(w: &mut ConformanceWorld, method: String, path: String) -> StepResult {
    let req = &w.last_token_attempt()?.request;
    ensure(req.method == method && req.url.path() == path, || {
        format!("the token request was {} {}", req.method, req.url.path())
    })
}

#[then("the token request was sent as POST to the token endpoint")]
async fn sent_to_token_endpoint(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client()?;
    let req = &w.last_token_attempt()?.request;
    ensure(
        req.method == "POST" && client.is_at(&req.url, Endpoint::Token),
        || {
            format!(
                "the token request was {} {}, not POST to the token endpoint {}",
                req.method, req.url, client.profile.token.path
            )
        },
    )
}

/// The scope the profile says the test client may be granted.
fn allowed_scope(w: &ConformanceWorld) -> Result<String, String> {
    w.profile()?
        .token
        .scope
        .clone()
        .ok_or_else(|| "the profile names no scope the client may be granted (token.scope)".into())
}

/// Several scopes the client may be granted, or the scenario skipped
/// naming `token.scope` (see [`scope_premise::several_scopes`]).
#[when("the client requests an access token with several scopes it may use")]
async fn requests_several_scopes(w: &mut ConformanceWorld) -> StepResult {
    let several = scope_premise::several_scopes(w.profile()?);
    let scope = several.map_err(|why| w.skip(why))?;
    request(w, TokenRequest::client_credentials().scope(scope)).await
}

#[then("the token request body has the scope it asked for")]
async fn body_has_allowed_scope(w: &mut ConformanceWorld) -> StepResult {
    let scope = allowed_scope(w)?;
    let outcome = token_request::scope_sent(&w.last_token_attempt()?.request, &scope);
    w.record_one(outcome)
}

#[then("the granted scope is the one asked for")]
async fn granted_allowed_scope(w: &mut ConformanceWorld) -> StepResult {
    let scope = allowed_scope(w)?;
    granted_scope(w, scope).await
}

#[then(expr = "the token request has the header {string} = {string}")]
async fn request_header(w: &mut ConformanceWorld, name: String, value: String) -> StepResult {
    let req = &w.last_token_attempt()?.request;
    let sent = req.header(&name);
    ensure(sent == Some(value.as_str()), || {
        format!("{name} is {sent:?}")
    })
}

#[then(expr = "the token request has no {string} header")]
async fn request_no_header(w: &mut ConformanceWorld, name: String) -> StepResult {
    let req = &w.last_token_attempt()?.request;
    ensure(req.header(&name).is_none(), || {
        format!("the request has a {name} header")
    })
}

#[then(expr = "the token request body has {string} = {string}")]
async fn body_param(w: &mut ConformanceWorld, name: String, value: String) -> StepResult {
    let req = &w.last_token_attempt()?.request;
    let sent = req.body_param(&name);
    ensure(sent.as_deref() == Some(value.as_str()), || {
        format!("{name} is {:?} in body {}", sent, redact(&req.body_text()))
    })
}

#[then(expr = "the token request body has no {string}")]
async fn body_no_param(w: &mut ConformanceWorld, name: String) -> StepResult {
    let req = &w.last_token_attempt()?.request;
    ensure(req.body_param(&name).is_none(), || {
        format!("the body has {name}: {}", redact(&req.body_text()))
    })
}

#[then(expr = "the token request body carries the client credentials")]
async fn body_credentials(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client()?;
    let req = &w.last_token_attempt()?.request;
    let id_ok = req.body_param("client_id").as_deref() == Some(client.credentials.id.as_str());
    let secret_ok =
        req.body_param("client_secret").as_deref() == Some(client.credentials.secret.expose());
    ensure(id_ok && secret_ok, || {
        format!("body: {}", redact(&req.body_text()))
    })
}

#[then("the token request body is a JSON object")]
async fn body_json(w: &mut ConformanceWorld) -> StepResult {
    let req = &w.last_token_attempt()?.request;
    let parsed = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(
        req.body.as_deref().unwrap_or_default(),
    );
    ensure(parsed.is_ok(), || {
        format!("body: {}", redact(&req.body_text()))
    })
}

#[then(expr = "the token request conforms to the profile")]
async fn request_conforms(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client()?;
    let outcomes = token_request::check(
        &w.last_token_attempt()?.request,
        &client.profile,
        &client.credentials,
    );
    w.record(outcomes)
}

#[then("the token request authenticates the client with HTTP Basic")]
async fn uses_basic(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client()?;
    ensure(
        client.profile.token.client_auth == ClientAuth::Basic,
        || format!("profile {} does not use HTTP Basic", client.profile.name),
    )?;
    let outcomes = token_request::check(
        &w.last_token_attempt()?.request,
        &client.profile,
        &client.credentials,
    );
    w.record(outcomes)
}

#[then(expr = "the Basic credentials in the token request decode to {string}")]
async fn basic_decodes(w: &mut ConformanceWorld, expected: String) -> StepResult {
    use base64::Engine as _;
    let req = &w.last_token_attempt()?.request;
    let header = req
        .header("authorization")
        .ok_or("no Authorization header")?;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(header.trim_start_matches("Basic "))
        .map_err(|e| format!("not base64: {e}"))?;
    let raw = String::from_utf8_lossy(&raw);
    ensure(raw == expected, || format!("decodes to {raw:?}"))?;
    // And a server following §2.3.1 reads back the registered id and secret.
    let client = w.client()?;
    let (id, secret) = decode_basic(header).map_err(|e| e.to_string())?;
    ensure(
        id == client.credentials.id && secret == client.credentials.secret.expose(),
        || "the header does not decode back to the registered credentials".into(),
    )
}

#[then(regex = r"^the token response conforms to RFC 6749 §5\.1$")]
async fn response_conforms(w: &mut ConformanceWorld) -> StepResult {
    let attempt = w.last_token_attempt()?;
    let answer = attempt.answer.as_ref().ok_or_else(|| {
        refusal::NoAnswer::of(attempt)
            .map(|n| n.to_string())
            .unwrap_or_default()
    })?;
    let mut outcomes = token_response::judge(attempt);
    outcomes.push(token_response::unknown_members_ignored(attempt));
    outcomes.push(token_response::access_token_b64token(answer));
    outcomes.extend(crate::checks::repeated_params::token_response(&answer.body));
    w.record(outcomes)
}

#[then(expr = "the token type is {string}")]
async fn token_type(w: &mut ConformanceWorld, expected: String) -> StepResult {
    let token = w.last_token()?;
    // RFC 6749 §5.1: the token_type value is case insensitive.
    ensure(token.token_type.eq_ignore_ascii_case(&expected), || {
        format!("token_type is {:?}", token.token_type)
    })
}

#[then(expr = "the access token lifetime is {int} seconds")]
async fn lifetime(w: &mut ConformanceWorld, seconds: u64) -> StepResult {
    let token = w.last_token()?;
    ensure(token.expires_in == Some(seconds), || {
        format!("expires_in is {:?}", token.expires_in)
    })
}

#[then("the access token lifetime is the one the profile documents")]
async fn lifetime_profile(w: &mut ConformanceWorld) -> StepResult {
    let documented = w.profile()?.token.expected_lifetime_s.ok_or(
        "this profile documents no access token lifetime (token.expected_lifetime_s): tag the scenario @needs_documented_lifetime",
    )?;
    let outcome = token_response::lifetime_documented(w.last_token()?.expires_in, documented);
    w.record_one(outcome)
}

#[when("the client requests an access token without authenticating")]
async fn requests_unauthenticated(w: &mut ConformanceWorld) -> StepResult {
    request(
        w,
        TokenRequest::client_credentials().misstep(Misstep::NoClientAuthentication),
    )
    .await
}

#[when("the client requests an access token with its client_id alone, without its secret")]
async fn requests_with_client_id_alone(w: &mut ConformanceWorld) -> StepResult {
    request(
        w,
        TokenRequest::client_credentials().misstep(Misstep::ClientCredentialsWithoutSecret),
    )
    .await
}

#[given("the token endpoint is served over plain http by another host")]
async fn plain_http_elsewhere(w: &mut ConformanceWorld) -> StepResult {
    let token = &mut w.client_mut()?.profile.token;
    token.path = format!(
        "http://token-endpoint.invalid{}",
        endpoints::path_of(&token.path)
    );
    Ok(())
}

#[then("the client refused to send its secrets over plain http")]
async fn refused_plain_http(w: &mut ConformanceWorld) -> StepResult {
    let attempt = w.last_token_attempt()?;
    let refusal = match &attempt.outcome {
        Err(crate::client::TokenError::Transport(e)) => Some(e.clone()),
        _ => None,
    };
    let sent = w.client()?.sent();
    let outcome = crate::checks::client_security::refused_plain_http(refusal.as_ref(), &sent);
    w.record_one(outcome)
}

#[when("a client registered only for the authorization code grant requests an access token")]
async fn restricted_requests(w: &mut ConformanceWorld) -> StepResult {
    let client = w.restricted_client()?;
    let attempt = client
        .request_token(&TokenRequest::client_credentials().misstep(Misstep::UnregisteredGrant))
        .await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[when("the client sends its token request as a GET")]
async fn request_as_get(w: &mut ConformanceWorld) -> StepResult {
    request(
        w,
        TokenRequest::client_credentials().misstep(Misstep::TokenRequestAsGet),
    )
    .await
}

#[when("the client sends its client credentials in the URL query")]
async fn credentials_in_query(w: &mut ConformanceWorld) -> StepResult {
    request(
        w,
        TokenRequest::client_credentials().misstep(Misstep::CredentialsInQuery),
    )
    .await
}

#[then("the token endpoint issues no token")]
async fn issues_no_token(w: &mut ConformanceWorld) -> StepResult {
    let outcome = refusal::no_token_issued(w.last_token_attempt()?).map_err(|e| e.to_string())?;
    w.record_one(outcome)
}

#[then(expr = "the granted scope is {string}")]
async fn granted_scope(w: &mut ConformanceWorld, expected: String) -> StepResult {
    w.last_token()?;
    let scope = w.last_token_attempt()?.granted_scope();
    let mut granted: Vec<&str> = scope.as_deref().unwrap_or_default().split(' ').collect();
    let mut wanted: Vec<&str> = expected.split(' ').collect();
    granted.sort_unstable();
    wanted.sort_unstable();
    ensure(granted == wanted, || {
        format!("the granted scope is {scope:?}")
    })
}

#[then("the access token is a JWT")]
async fn is_jwt(w: &mut ConformanceWorld) -> StepResult {
    w.last_token()?.jwt_claims().map(|_| ())
}

#[then(expr = "the access token is a JWT whose {string} is {string}")]
async fn jwt_claim(w: &mut ConformanceWorld, claim: String, expected: String) -> StepResult {
    let claims = w.last_token()?.jwt_claims()?;
    let value = claims.get(&claim);
    let matches = match value {
        Some(serde_json::Value::String(s)) => *s == expected,
        Some(serde_json::Value::Array(items)) => {
            items.iter().any(|i| i.as_str() == Some(expected.as_str()))
        }
        Some(other) => {
            let shown = other.to_string();
            shown == expected
        }
        None => false,
    };
    ensure(matches, || format!("claim {claim} is {value:?}"))
}

#[then("the access token's exp tells when it expires")]
async fn jwt_exp_matches(w: &mut ConformanceWorld) -> StepResult {
    let token = w.last_token()?;
    let claims = token.jwt_claims()?;
    let (Some(exp), Some(iat)) = (
        claims.get("exp").and_then(|v| v.as_i64()),
        claims.get("iat").and_then(|v| v.as_i64()),
    ) else {
        return Err(format!(
            "the JWT lacks a numeric exp or iat: {:?}",
            claims.keys().collect::<Vec<_>>()
        ));
    };
    let expires_in = token.expires_in.ok_or("no expires_in to compare with")?;
    // Issue time and response time may straddle a second boundary.
    ensure(
        (exp - iat - i64::try_from(expires_in).unwrap_or(i64::MAX)).abs() <= 1,
        || format!("exp - iat = {} but expires_in = {expires_in}", exp - iat),
    )
}

#[then(expr = "the token endpoint refuses with {int} and error {string}")]
async fn refuses(w: &mut ConformanceWorld, status: u16, error: String) -> StepResult {
    let attempt = w.last_token_attempt()?;
    let outcomes = error_response::check_attempt(attempt, &error);
    let unexpected = attempt
        .answer
        .as_ref()
        .and_then(|a| error_response::unexpected_status(&outcomes, a.status, status));
    w.record(outcomes)?;
    unexpected.map_or(Ok(()), Err)
}

#[then(expr = "the token endpoint refuses with error {string}")]
async fn refuses_with(w: &mut ConformanceWorld, error: String) -> StepResult {
    let outcomes = error_response::check_attempt(w.last_token_attempt()?, &error);
    w.record(outcomes)
}

#[then(expr = "the token endpoint refuses with error {string} or {string}")]
async fn refuses_with_either(w: &mut ConformanceWorld, one: String, other: String) -> StepResult {
    let outcomes = error_response::check_attempt_either(w.last_token_attempt()?, &one, &other);
    w.record(outcomes)
}

#[then("the refusal carries a Basic challenge")]
async fn refusal_challenge(w: &mut ConformanceWorld) -> StepResult {
    let attempt = w.last_token_attempt()?;
    let answer = attempt.answer.as_ref().ok_or("no answer")?;
    let outcome = error_response::basic_challenge_if_refused(answer);
    w.record_one(outcome)
}

#[then(expr = "the token request fails with an error naming {string}")]
async fn fails_naming(w: &mut ConformanceWorld, needle: String) -> StepResult {
    let attempt = w.last_token_attempt()?;
    let message = match &attempt.outcome {
        Ok(_) => return Err("the token request succeeded".into()),
        Err(e) => e.to_string(),
    };
    ensure(message.contains(&needle), || {
        format!("the error does not name {needle:?}: {message}")
    })
}

#[then("the error does not reveal the client credentials")]
async fn error_redacted(w: &mut ConformanceWorld) -> StepResult {
    let spellings = w.client()?.credentials.secret_spellings();
    let attempt = w.last_token_attempt()?;
    let message = attempt
        .outcome
        .as_ref()
        .err()
        .map(ToString::to_string)
        .ok_or("the token request succeeded")?;
    ensure(!contains_any(&message, &spellings), || {
        "the error message contains the client credentials".into()
    })?;
    // The server's page did contain them: redaction is what removed them.
    let body = attempt
        .answer
        .as_ref()
        .map(|a| String::from_utf8_lossy(&a.body).into_owned())
        .unwrap_or_default();
    ensure(contains_any(&body, &spellings), || {
        "the server's answer did not echo the credentials, so this scenario proves nothing".into()
    })
}

#[then("the client received a new access token")]
async fn new_token(w: &mut ConformanceWorld) -> StepResult {
    let n = w.token_attempts.len();
    ensure(n >= 2, || "fewer than two token requests were made".into())?;
    let a = w.token_attempts[n - 2]
        .outcome
        .as_ref()
        .map_err(|e| e.to_string())?;
    let b = w.token_attempts[n - 1]
        .outcome
        .as_ref()
        .map_err(|e| e.to_string())?;
    ensure(a.access_token != b.access_token, || {
        "the new access token equals the old one".into()
    })
}

#[then("the last two token requests are identical")]
async fn identical_requests(w: &mut ConformanceWorld) -> StepResult {
    let n = w.token_attempts.len();
    ensure(n >= 2, || "fewer than two token requests were made".into())?;
    let (a, b) = (
        &w.token_attempts[n - 2].request,
        &w.token_attempts[n - 1].request,
    );
    ensure(a == b, || {
        format!(
            "first:\n{}\nsecond:\n{}",
            a.snapshot_text(),
            b.snapshot_text()
        )
    })
}

#[then(regex = r"^the mock received (\d+) token requests?$")]
async fn mock_count(w: &mut ConformanceWorld, expected: usize) -> StepResult {
    let got = w.mock()?.token_requests();
    ensure(got == expected, || {
        format!("the mock received {got} token requests")
    })
}

/// A parameter no token endpoint knows (RFC 6749 §3.2: ignored).
const UNKNOWN_PARAM: &str = "x_conformance_extension";

/// RFC 6749 §3.2's parameter rules are about form-encoded requests; a
/// token API that takes JSON (seed 002) is outside them.
pub(super) fn form_encoded_only(w: &mut ConformanceWorld) -> StepResult {
    let profile = w.profile()?;
    if profile.encoding_for("client_credentials") == Encoding::Json {
        let name = profile.name.clone();
        return Err(w.skip(format!(
            "profile {name} sends its token requests as JSON; RFC 6749 §3.2's parameter rules are about form-encoded requests"
        )));
    }
    Ok(())
}

#[when("the client requests an access token with a parameter the server does not know")]
async fn requests_unknown_param(w: &mut ConformanceWorld) -> StepResult {
    form_encoded_only(w)?;
    request(
        w,
        TokenRequest::client_credentials()
            .param(UNKNOWN_PARAM, "1")
            .probe("a second token, with a parameter the server does not know"),
    )
    .await
}

#[when("the client requests an access token with an empty scope")]
async fn requests_empty_scope(w: &mut ConformanceWorld) -> StepResult {
    form_encoded_only(w)?;
    let second = TokenRequest::client_credentials()
        .scope("")
        .probe("a second token, with an empty scope");
    request(w, second).await
}

/// The last two token requests: the plain one, then the same with a change.
fn plain_then_changed(w: &ConformanceWorld) -> Result<(&TokenAttempt, &TokenAttempt), String> {
    match w.token_attempts.as_slice() {
        [.., plain, changed] => Ok((plain, changed)),
        _ => Err("two token requests are needed: the plain one, then the changed one".into()),
    }
}

#[then("the token endpoint answered it as without the unknown parameter")]
async fn unknown_param_ignored(w: &mut ConformanceWorld) -> StepResult {
    let (plain, changed) = plain_then_changed(w)?;
    w.record_one(parameters::unknown_param_ignored(plain, changed))
}

#[then("the token endpoint answered the empty scope as no scope")]
async fn empty_scope_as_none(w: &mut ConformanceWorld) -> StepResult {
    let (plain, changed) = plain_then_changed(w)?;
    w.record_one(parameters::empty_param_omitted(plain, changed))
}
