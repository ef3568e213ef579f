//! Advertised equals enforced (RFC 8414 §2): each scenario fetches the
//! metadata, exercises what it claims at the server's own endpoints, and
//! judges the one against the other ([`crate::checks::advertised`]).

use cucumber::{then, when};
use serde_json::{Map, Value};

use super::authorization::{AuthorizeVariant, approve, attempt, last_attempt};
use super::world::{ConformanceWorld, StepResult};
use crate::checks::CheckOutcome;
use crate::checks::advertised as checks;
use crate::client::advertised as probes;
use crate::client::metadata;
use crate::profile::Grant;

/// The document the fetch found (the OpenID Connect one on a server that
/// publishes only that), or not run naming why.
fn document(w: &ConformanceWorld) -> Result<Option<Map<String, Value>>, String> {
    let fetch = w
        .metadata
        .as_ref()
        .ok_or("the metadata was not fetched yet")?;
    let published = crate::checks::metadata::Published {
        rfc8414: &fetch.answer,
        openid: fetch.openid.as_ref(),
    };
    Ok(metadata::document(published.judged()))
}

/// Records a judgement; without a document, the scenario is not run.
fn record(
    w: &mut ConformanceWorld,
    judged: impl FnOnce(Option<&Map<String, Value>>) -> CheckOutcome,
) -> StepResult {
    let doc = document(w)?;
    let outcome = judged(doc.as_ref());
    if doc.is_none() {
        w.record_one(outcome)?;
        return Err(w.not_run("no metadata document to judge (see metadata-response)"));
    }
    w.record_one(outcome)
}

#[when("the client tries each grant type at the token endpoint")]
async fn try_grants(w: &mut ConformanceWorld) -> StepResult {
    let redirect_uri = w.redirect_uri()?;
    let scope = w.profile()?.token.scope.clone();
    let (found, attempts) = probes::try_grants(w.client()?, &redirect_uri, scope.as_deref()).await;
    w.advertised.grants = found;
    w.token_attempts.extend(attempts);
    Ok(())
}

#[then("the token endpoint answers the grant types as the metadata lists them")]
async fn grants_judged(w: &mut ConformanceWorld) -> StepResult {
    let found = std::mem::take(&mut w.advertised.grants);
    record(w, |doc| checks::grant_types(doc, &found))
}

#[then("every response type the metadata lists is a response type")]
async fn response_types_judged(w: &mut ConformanceWorld) -> StepResult {
    record(w, checks::response_types)
}

#[when("the client authenticates with each method at the token endpoint")]
async fn try_auth_methods(w: &mut ConformanceWorld) -> StepResult {
    let redirect_uri = w.redirect_uri()?;
    let profile = w.profile()?;
    let scope = profile.token.scope.clone();
    let requests = probes::auth_probe_requests(
        profile.has_grant(Grant::ClientCredentials),
        profile.has_grant(Grant::AuthorizationCode),
        &redirect_uri,
        scope.as_deref(),
    );
    for (request, sent) in requests {
        let (found, attempts) = probes::try_auth_methods(w.client()?, &request, sent).await;
        w.advertised.auth_methods.extend(found);
        w.token_attempts.extend(attempts);
    }
    Ok(())
}

#[then("the token endpoint authenticates the client as the metadata lists the methods")]
async fn auth_methods_judged(w: &mut ConformanceWorld) -> StepResult {
    let found = std::mem::take(&mut w.advertised.auth_methods);
    record(w, |doc| checks::auth_methods(doc, &found))
}

/// At most this many listed scopes are asked for.
const SCOPE_LIMIT: usize = 8;

#[when("the client asks for each scope the metadata lists")]
async fn try_scopes(w: &mut ConformanceWorld) -> StepResult {
    let doc = document(w)?;
    let profile = w.profile()?;
    let denied = profile.token.denied_scope.clone();
    let (scopes, not_asked) = if profile.has_grant(Grant::ClientCredentials) {
        checks::scopes_to_probe(doc.as_ref(), denied.as_deref(), SCOPE_LIMIT)
    } else {
        (
            Vec::new(),
            "the test client is not registered for the client credentials grant (token.grants), with which the scopes are asked for".to_owned(),
        )
    };
    let (found, attempts) = probes::try_scopes(w.client()?, &scopes).await;
    w.advertised.scopes = found;
    w.advertised.scopes_not_asked = not_asked;
    w.token_attempts.extend(attempts);
    Ok(())
}

#[then("the token endpoint grants the scopes the metadata lists")]
async fn scopes_judged(w: &mut ConformanceWorld) -> StepResult {
    let found = std::mem::take(&mut w.advertised.scopes);
    let not_asked = std::mem::take(&mut w.advertised.scopes_not_asked);
    record(w, |doc| checks::scopes(doc, &found, &not_asked))
}

#[when(expr = "the user logs in and approves access once with each code_challenge_method {string}")]
async fn try_pkce_methods(w: &mut ConformanceWorld, methods: String) -> StepResult {
    for method in methods.split(", ") {
        let user = w.user()?;
        let variant = AuthorizeVariant::ChallengeMethod(method.to_owned());
        attempt(w, approve(None), user, variant).await?;
        let answer = probes::method_answer(last_attempt(w)?);
        w.advertised.pkce_methods.push((method.to_owned(), answer));
    }
    Ok(())
}

#[then("the authorization endpoint answers the code_challenge_methods as the metadata lists them")]
async fn pkce_methods_judged(w: &mut ConformanceWorld) -> StepResult {
    let found = std::mem::take(&mut w.advertised.pkce_methods);
    record(w, |doc| checks::pkce_methods(doc, &found))
}

#[when("the user logs in and approves access with response_type token")]
async fn try_implicit(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    let variant = AuthorizeVariant::ResponseType(Some("token".into()));
    attempt(w, approve(None), user, variant).await?;
    w.advertised.implicit = Some(probes::implicit_answer(last_attempt(w)?));
    Ok(())
}

#[then("the authorization endpoint answers response_type token as the metadata lists it")]
async fn implicit_judged(w: &mut ConformanceWorld) -> StepResult {
    let answer = w
        .advertised
        .implicit
        .take()
        .ok_or("no authorization request with response_type=token was sent")?;
    record(w, |doc| checks::implicit(doc, &answer))
}

#[when("the client calls each endpoint the metadata lists")]
async fn call_listed_endpoints(w: &mut ConformanceWorld) -> StepResult {
    let Some(doc) = document(w)? else {
        return Ok(());
    };
    let found = probes::listed_endpoints(w.client()?, &doc).await;
    w.advertised.endpoints = found;
    Ok(())
}

#[then("every endpoint the metadata lists is the run's or answers")]
async fn endpoints_judged(w: &mut ConformanceWorld) -> StepResult {
    let found = std::mem::take(&mut w.advertised.endpoints);
    record(w, |doc| checks::endpoints(doc, &found))
}
