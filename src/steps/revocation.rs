//! Revoking tokens (RFC 7009): the steps send revocations and present the
//! tokens again; `checks::revocation` judges.

use cucumber::{then, when};

use super::world::{ConformanceWorld, StepResult};
use crate::checks::afterwards::Afterwards;
use crate::checks::catalogue::*;
use crate::checks::{Check, revocation};
use crate::client::form_post::{Authentication, TokenForm};
use crate::client::revocation::ACCESS_TOKEN_HINT;
use crate::client::{ApiAttempt, OAuthClient, Presentation};

/// Sends `form` to the revocation endpoint as `client`.
async fn revoke_as(w: &mut ConformanceWorld, client: OAuthClient, form: TokenForm) -> StepResult {
    let attempt = client.revoke(&form).await;
    w.lifecycle.revocations.push(attempt);
    Ok(())
}

async fn revoke(w: &mut ConformanceWorld, form: TokenForm) -> StepResult {
    let client = w.client()?.clone();
    revoke_as(w, client, form).await
}

fn refresh_token(w: &ConformanceWorld) -> Result<String, String> {
    w.code_flow
        .refresh_token
        .as_ref()
        .map(|t| t.expose().to_owned())
        .ok_or_else(|| "the client holds no refresh token".into())
}

fn access_token(w: &ConformanceWorld) -> Result<String, String> {
    w.last_token().map(|t| t.access_token.expose().to_owned())
}

fn first_access_token(w: &ConformanceWorld) -> Result<String, String> {
    w.token_attempts
        .iter()
        .find_map(|a| a.outcome.as_ref().ok())
        .map(|t| t.access_token.expose().to_owned())
        .ok_or_else(|| "no token request of the scenario got a token".into())
}

fn last_revocation(w: &ConformanceWorld) -> Result<&ApiAttempt, String> {
    w.lifecycle
        .revocations
        .last()
        .ok_or_else(|| "no revocation was sent yet".into())
}

#[when("the client revokes its refresh token")]
async fn revokes_refresh(w: &mut ConformanceWorld) -> StepResult {
    let token = refresh_token(w)?;
    revoke(w, TokenForm::new(token)).await
}

#[when(expr = "the client revokes its refresh token with token_type_hint {string}")]
async fn revokes_refresh_hinted(w: &mut ConformanceWorld, hint: String) -> StepResult {
    let token = refresh_token(w)?;
    revoke(w, TokenForm::new(token).hint(hint)).await
}

#[when("the client revokes its refresh token with a wrong client secret")]
async fn revokes_wrong_secret(w: &mut ConformanceWorld) -> StepResult {
    let token = refresh_token(w)?;
    revoke(
        w,
        TokenForm::new(token).authenticated(Authentication::WrongSecret),
    )
    .await
}

#[when("a second registered client revokes the client's refresh token")]
async fn second_revokes(w: &mut ConformanceWorld) -> StepResult {
    let token = refresh_token(w)?;
    let client = w.second_client()?;
    revoke_as(w, client, TokenForm::new(token)).await
}

#[when("the client revokes its access token")]
async fn revokes_access(w: &mut ConformanceWorld) -> StepResult {
    let token = access_token(w)?;
    revoke(w, TokenForm::new(token)).await
}

#[when(expr = "the client revokes its access token with token_type_hint {string}")]
async fn revokes_access_hinted(w: &mut ConformanceWorld, hint: String) -> StepResult {
    let token = access_token(w)?;
    revoke(w, TokenForm::new(token).hint(hint)).await
}

#[when(expr = "the client revokes the made-up token {string}")]
async fn revokes_made_up(w: &mut ConformanceWorld, token: String) -> StepResult {
    revoke(w, TokenForm::new(token)).await
}

/// Revokes the newest access token and presents it to the API: whether the
/// server revokes access tokens at all, the premise of the grant check.
#[when("the client revokes its newest access token and presents it to the API")]
async fn probes_access_revocation(w: &mut ConformanceWorld) -> StepResult {
    let token = access_token(w)?;
    revoke(w, TokenForm::new(token.clone()).hint(ACCESS_TOKEN_HINT)).await?;
    let attempt = w.client()?.call_api(&Presentation::Bearer(token)).await;
    w.lifecycle.access_revocation = Some(Afterwards::of_api(&attempt));
    w.api_attempts.push(attempt);
    Ok(())
}

#[when("the client presents its first access token to the API")]
async fn presents_first(w: &mut ConformanceWorld) -> StepResult {
    let token = first_access_token(w)?;
    let attempt = w.client()?.call_api(&Presentation::Bearer(token)).await;
    if w.lifecycle.before_revocation.is_none() {
        w.lifecycle.before_revocation = Some(Afterwards::of_api(&attempt));
    }
    w.api_attempts.push(attempt);
    Ok(())
}

/// How the refresh token fared at its last refresh.
fn refresh_afterwards(w: &ConformanceWorld) -> Result<Afterwards, String> {
    Ok(Afterwards::of_refresh(w.last_token_attempt()?))
}

fn judge_revoked(
    w: &mut ConformanceWorld,
    check: &'static Check,
    afterwards: Afterwards,
) -> StepResult {
    let outcome = revocation::revoked(check, last_revocation(w)?, &afterwards);
    w.record_one(outcome)
}

#[then("the refresh token is revoked")]
async fn refresh_revoked(w: &mut ConformanceWorld) -> StepResult {
    let afterwards = refresh_afterwards(w)?;
    judge_revoked(w, &REVOCATION_REFRESH_TOKEN, afterwards)
}

/// A refresh token revoked with an odd hint: judged by `check` when the
/// hint is what kept it alive. A token that still works is revoked once
/// more without a hint, as a control: if that does not take either, the
/// server keeps revoked refresh tokens whatever the hint (one cause, judged
/// by revocation-refresh-token), and `check` is not run.
async fn judge_hinted(w: &mut ConformanceWorld, check: &'static Check) -> StepResult {
    let afterwards = refresh_afterwards(w)?;
    let Afterwards::Worked(_) = afterwards else {
        return judge_revoked(w, check, afterwards);
    };
    let hinted = last_revocation(w)?.clone();
    let token = refresh_token(w)?;
    revoke(w, TokenForm::new(token.clone())).await?;
    let control = w
        .client()?
        .refresh(&crate::client::Secret::new(token))
        .await;
    let control_afterwards = Afterwards::of_refresh(&control);
    w.token_attempts.push(control);
    match control_afterwards {
        Afterwards::Refused(_) => {
            let outcome = revocation::revoked(check, &hinted, &afterwards);
            w.record_one(outcome)
        }
        Afterwards::Worked(_) => Err(w.not_run(format!(
            "the refresh token survives a revocation without a hint too: judged once, by {}",
            REVOCATION_REFRESH_TOKEN.id
        ))),
        Afterwards::Untold(why) => Err(w.not_run(why)),
    }
}

#[then("the refresh token is revoked though its hint named another type")]
async fn refresh_revoked_despite_hint(w: &mut ConformanceWorld) -> StepResult {
    judge_hinted(w, &REVOCATION_HINT_SEARCH_EXTENDED).await
}

#[then("the refresh token is revoked and the unknown hint ignored")]
async fn refresh_revoked_hint_ignored(w: &mut ConformanceWorld) -> StepResult {
    judge_hinted(w, &REVOCATION_UNKNOWN_HINT_IGNORED).await
}

#[then("the access token is revoked")]
async fn access_revoked(w: &mut ConformanceWorld) -> StepResult {
    let afterwards = Afterwards::of_api(w.last_api_attempt()?);
    judge_revoked(w, &REVOCATION_ACCESS_TOKEN, afterwards)
}

#[then("the revocation is answered 200")]
async fn answered_200(w: &mut ConformanceWorld) -> StepResult {
    let outcome = revocation::invalid_token_answered_200(last_revocation(w)?);
    w.record_one(outcome)
}

#[then("the revocation with a wrong secret revoked nothing")]
async fn wrong_secret_revoked_nothing(w: &mut ConformanceWorld) -> StepResult {
    let afterwards = refresh_afterwards(w)?;
    let outcome = revocation::wrong_secret_refused(last_revocation(w)?, &afterwards);
    w.record_one(outcome)
}

#[then("the other client's revocation revoked nothing")]
async fn other_revoked_nothing(w: &mut ConformanceWorld) -> StepResult {
    let afterwards = refresh_afterwards(w)?;
    let outcome = revocation::other_client_could_not_revoke(last_revocation(w)?, &afterwards);
    w.record_one(outcome)
}

#[then("the access tokens of the revoked refresh token's grant are revoked")]
async fn grant_revoked(w: &mut ConformanceWorld) -> StepResult {
    let supports = w
        .lifecycle
        .access_revocation
        .clone()
        .ok_or("no access token was revoked and presented yet")?;
    let before = w
        .lifecycle
        .before_revocation
        .clone()
        .ok_or("the first access token was not presented before the revocation")?;
    let after = Afterwards::of_api(w.last_api_attempt()?);
    let outcome =
        revocation::grant_access_tokens_revoked(&supports, &before, last_revocation(w)?, &after);
    w.record_one(outcome)
}

#[then("the revocation request was an authenticated form POST with the token")]
async fn request_shape(w: &mut ConformanceWorld) -> StepResult {
    let outcome = revocation::request_shape(&last_revocation(w)?.request);
    w.record_one(outcome)
}
