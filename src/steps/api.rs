//! Calling the protected API and checking what happened (RFC 6750).

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::bearer::{self, HeaderRule, RefusedToken};
use crate::checks::code_flow;
use crate::client::{Presentation, TokenAttempt};

async fn call(w: &mut ConformanceWorld, presentation: Presentation) -> StepResult {
    let attempt = w.client()?.call_api(&presentation).await;
    w.api_attempts.push(attempt);
    Ok(())
}

fn token_of(attempt: &TokenAttempt) -> Result<String, String> {
    attempt
        .outcome
        .as_ref()
        .map(|t| t.access_token.expose().to_owned())
        .map_err(|e| format!("the token request failed: {e}"))
}

#[when("the client calls the API with the access token")]
async fn with_token(w: &mut ConformanceWorld) -> StepResult {
    let token = token_of(w.last_token_attempt()?)?;
    call(w, Presentation::Bearer(token)).await
}

#[when("the client calls the API with the first access token")]
async fn with_first_token(w: &mut ConformanceWorld) -> StepResult {
    call_with_first_token(w).await
}

/// Calls the API with the access token of the scenario's first token request.
async fn call_with_first_token(w: &mut ConformanceWorld) -> StepResult {
    let first = w
        .token_attempts
        .first()
        .ok_or("no token request was made yet")?;
    let token = token_of(first)?;
    call(w, Presentation::Bearer(token)).await
}

#[when("the client calls the API with the access token changed in one character")]
async fn with_tampered(w: &mut ConformanceWorld) -> StepResult {
    let token = token_of(w.last_token_attempt()?)?;
    call(
        w,
        Presentation::Bearer(crate::client::api::tampered(&token)),
    )
    .await
}

#[then("the API refuses the tampered token")]
async fn refuses_tampered(w: &mut ConformanceWorld) -> StepResult {
    let answer = w.last_api_attempt()?.outcome.as_ref().ok().cloned();
    w.record_one(crate::checks::tampered_token::tampered_token_refused(
        answer.as_ref(),
    ))
}

#[when("the client calls the API without a token")]
async fn without_token(w: &mut ConformanceWorld) -> StepResult {
    call(w, Presentation::Nothing).await
}

#[when(expr = "the client calls the API with the made-up token {string}")]
async fn with_made_up(w: &mut ConformanceWorld, token: String) -> StepResult {
    call(w, Presentation::Bearer(token)).await
}

#[when(expr = "the client calls the API with the access token and the scheme written {string}")]
async fn with_scheme(w: &mut ConformanceWorld, scheme: String) -> StepResult {
    let token = token_of(w.last_token_attempt()?)?;
    call(w, Presentation::Scheme { scheme, token }).await
}

fn last_answer(w: &ConformanceWorld) -> Result<crate::client::HttpAnswer, String> {
    w.last_api_attempt()?
        .outcome
        .clone()
        .map_err(|e| format!("the API call failed: {e}"))
}

#[then("the API accepts the request")]
async fn accepts(w: &mut ConformanceWorld) -> StepResult {
    let answer = last_answer(w)?;
    let request = w.last_api_attempt()?.request.clone();
    w.record(bearer::check_accepted(&request, &answer))
}

#[then("the API request presents the access token as a Bearer token")]
async fn presents_bearer(w: &mut ConformanceWorld) -> StepResult {
    presents_token(w, HeaderRule::Rfc)
}

#[then("the API request presents the access token as a Bearer token, as the guide documents")]
async fn presents_bearer_as_documented(w: &mut ConformanceWorld) -> StepResult {
    presents_token(w, HeaderRule::Guide)
}

/// The last API call presented the token the client was last issued, as
/// `rule` asks.
fn presents_token(w: &mut ConformanceWorld, rule: HeaderRule) -> StepResult {
    let token = w
        .token_attempts
        .iter()
        .rev()
        .find_map(|a| a.outcome.as_ref().ok())
        .map(|t| t.access_token.expose().to_owned())
        .ok_or("the client was issued no access token")?;
    let request = w.last_api_attempt()?.request.clone();
    let outcomes = bearer::check_request(&request, &token, rule);
    w.record(outcomes)
}

#[then(expr = "the API request has the header {string} = {string}")]
async fn api_header(w: &mut ConformanceWorld, name: String, value: String) -> StepResult {
    let req = &w.last_api_attempt()?.request;
    let sent = req.header(&name);
    ensure(sent == Some(value.as_str()), || {
        format!("{name} is {sent:?}")
    })
}

#[then("the API request has the content type the profile documents")]
async fn api_content_type(w: &mut ConformanceWorld) -> StepResult {
    let documented = w
        .profile()?
        .api
        .as_ref()
        .ok_or("this profile names no API probe ([api]): tag the scenario @needs_api")?
        .content_type
        .clone();
    api_header(w, "Content-Type".into(), documented).await
}

#[given("the client has an access token without the scope the scoped API needs")]
async fn token_without_scope(w: &mut ConformanceWorld) -> StepResult {
    let scope = w.profile()?.scope_without_scoped_probe().ok_or(
        "the profile names no scope the client may have without the scoped API's (token.scope)",
    )?;
    let attempt = w
        .client()?
        .request_token(&crate::client::TokenRequest::client_credentials().scope(scope))
        .await;
    w.token_attempts.push(attempt);
    w.last_token().map(|_| ())
}

#[when("the client calls the scoped API with the access token")]
async fn call_scoped(w: &mut ConformanceWorld) -> StepResult {
    let token = token_of(w.last_token_attempt()?)?;
    let (path, _) = w
        .profile()?
        .api
        .as_ref()
        .and_then(crate::profile::Api::scoped_probe)
        .ok_or("the profile names no scoped API resource (api.scoped_probe_path)")?;
    let path = path.to_owned();
    let attempt = w
        .client()?
        .call_api_at(&path, &Presentation::Bearer(token))
        .await;
    w.api_attempts.push(attempt);
    Ok(())
}

#[then("the API refuses the token for insufficient scope")]
async fn refuses_scope(w: &mut ConformanceWorld) -> StepResult {
    let answer = last_answer(w)?;
    w.record(bearer::check_insufficient_scope(&answer))
}

#[then("the API refuses the request as unauthenticated")]
async fn refuses_missing(w: &mut ConformanceWorld) -> StepResult {
    let answer = last_answer(w)?;
    w.record(bearer::check_no_token(&answer))
}

#[then(regex = r"^the API refuses the (made-up|expired) token$")]
async fn refuses_kind(w: &mut ConformanceWorld, kind: String) -> StepResult {
    let answer = last_answer(w)?;
    let token = if kind == "expired" {
        RefusedToken::Expired
    } else {
        RefusedToken::MadeUp
    };
    w.record(bearer::check_refused_token(&answer, token))
}

#[then("the API still accepts the token within its documented lifetime")]
async fn accepts_within_lifetime(w: &mut ConformanceWorld) -> StepResult {
    let answer = last_answer(w)?;
    w.record_one(bearer::accepted_within_lifetime(&answer))
}

#[then("the access token issued from the reused code no longer works")]
async fn reused_code_tokens_revoked(w: &mut ConformanceWorld) -> StepResult {
    call_with_first_token(w).await?;
    let answer = last_answer(w)?;
    w.record_one(code_flow::tokens_of_reused_code_revoked(&answer))
}

#[when("the client calls an API resource that has moved to another origin")]
async fn call_moved(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?;
    let token = token_of(w.last_token_attempt()?)?;
    let attempt = w
        .client()?
        .call_api_at(crate::mock::MOVED_API_PATH, &Presentation::Bearer(token))
        .await;
    w.api_attempts.push(attempt);
    Ok(())
}

#[then("the access token went to no other origin")]
async fn token_stayed(w: &mut ConformanceWorld) -> StepResult {
    let token = token_of(w.last_token_attempt()?)?;
    let client = w.client()?;
    let outcome = crate::checks::token_origin::token_stays_at_origin(
        &client.sent(),
        &token,
        &client.profile.token_origins(&client.base_url),
    );
    w.record_one(outcome)
}

/// The API request, sent to a loopback server whose self-signed certificate
/// no trusted authority issued; judged at once, while the server still runs
/// to tell whether anything came through.
#[when("the client calls an API over TLS whose certificate no trusted authority issued")]
async fn call_untrusted_tls(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?;
    let token = token_of(w.last_token_attempt()?)?;
    let server = crate::mock::untrusted_tls::UntrustedTlsServer::start().await?;
    let client = w.client()?;
    let api = client
        .profile
        .api
        .as_ref()
        .ok_or("the profile names no API probe ([api] probe_path)")?;
    let request = crate::client::api::probe_request(
        api,
        &server.url,
        &api.probe_path,
        &Presentation::Bearer(token),
    )
    .map_err(|e| e.to_string())?;
    let outcome = client.send(&request).await;
    let verdict = crate::checks::client_security::tls_validated(&outcome, server.reached());
    w.api_attempts
        .push(crate::client::ApiAttempt { request, outcome });
    w.untrusted_tls = Some(verdict);
    Ok(())
}

#[then("the client refused that server before sending its token")]
async fn refused_untrusted(w: &mut ConformanceWorld) -> StepResult {
    let outcome = w
        .untrusted_tls
        .take()
        .ok_or("the client has not called a server with an untrusted certificate yet")?;
    w.record_one(outcome)
}
