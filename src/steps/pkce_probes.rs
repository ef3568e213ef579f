//! The server's side of PKCE (RFC 7636 §4.4-§4.6): a code_challenge_method
//! no server supports, the challenge kept out of what the client receives,
//! and the matching verifier accepted. The refusals of a wrong or missing
//! verifier are in [`super::code_exchange`].

use cucumber::{then, when};

use super::authorization::{AuthorizeVariant, approve, authorize_with, last_attempt};
use super::world::{ConformanceWorld, StepResult};
use crate::checks::{CheckOutcome, catalogue::PKCE_CHALLENGE_NOT_EXPOSED, pkce};

#[when(expr = "the user logs in and approves access with the code_challenge_method {string}")]
async fn approve_with_method(w: &mut ConformanceWorld, method: String) -> StepResult {
    let user = w.user()?;
    let variant = AuthorizeVariant::ChallengeMethod(method);
    authorize_with(w, approve(None), user, variant).await
}

#[then(
    "the authorization server redirected invalid_request for the unsupported code_challenge_method"
)]
async fn unsupported_method_refused(w: &mut ConformanceWorld) -> StepResult {
    let attempt = last_attempt(w)?;
    let method = attempt
        .url
        .query_pairs()
        .find(|(k, _)| k == "code_challenge_method")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    w.record_one(pkce::judge_unsupported_method(
        &attempt.redirect,
        &attempt.request.redirect_uri,
        &method,
    ))
}

#[then("the redirect with the code does not reveal the code challenge")]
async fn challenge_not_exposed(w: &mut ConformanceWorld) -> StepResult {
    let attempt = last_attempt(w)?;
    let challenge = attempt
        .request
        .pkce
        .as_ref()
        .map(|p| p.challenge.clone())
        .ok_or("the authorization request carried no PKCE challenge")?;
    let verdict = match &attempt.redirect {
        Ok(location) => pkce::check_challenge_not_exposed(location, &challenge),
        Err(e) => CheckOutcome::not_run(
            &PKCE_CHALLENGE_NOT_EXPOSED,
            format!(
                "no verdict on the code challenge: the user never reached the redirect URI: {e}"
            ),
        ),
    };
    w.record_one(verdict)
}

#[then("the token endpoint accepted the matching code verifier")]
async fn matching_verifier_accepted(w: &mut ConformanceWorld) -> StepResult {
    w.record_one(pkce::judge_matching_verifier(
        &w.last_token_attempt()?.outcome,
    ))
}

#[then("the authorization server redirected invalid_request for the missing code_challenge")]
async fn missing_challenge_refused(w: &mut ConformanceWorld) -> StepResult {
    let attempt = last_attempt(w)?;
    w.record_one(pkce::judge_missing_challenge(
        &attempt.redirect,
        &attempt.request.redirect_uri,
    ))
}
