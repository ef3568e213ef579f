//! Introspecting tokens (RFC 7662): the steps ask the introspection
//! endpoint; `checks::introspection` judges.

use cucumber::{then, when};

use super::world::{ConformanceWorld, StepResult};
use crate::checks::afterwards::Afterwards;
use crate::checks::catalogue::REVOCATION_ACCESS_TOKEN;
use crate::checks::{CheckOutcome, introspection};
use crate::client::ApiAttempt;
use crate::client::form_post::{Authentication, TokenForm};

async fn introspect(w: &mut ConformanceWorld, form: TokenForm) -> StepResult {
    let attempt = w.client()?.introspect(&form).await;
    w.lifecycle.introspections.push(attempt);
    Ok(())
}

fn access_token(w: &ConformanceWorld) -> Result<String, String> {
    w.last_token().map(|t| t.access_token.expose().to_owned())
}

fn last(w: &ConformanceWorld) -> Result<&ApiAttempt, String> {
    w.lifecycle
        .introspections
        .last()
        .ok_or_else(|| "no introspection was sent yet".into())
}

#[when("the client introspects the access token")]
async fn introspects(w: &mut ConformanceWorld) -> StepResult {
    let token = access_token(w)?;
    introspect(w, TokenForm::new(token)).await
}

#[when("the client introspects the access token changed in one character")]
async fn introspects_tampered(w: &mut ConformanceWorld) -> StepResult {
    let token = crate::client::api::tampered(&access_token(w)?);
    introspect(w, TokenForm::new(token)).await
}

#[when(expr = "the client introspects the made-up token {string}")]
async fn introspects_made_up(w: &mut ConformanceWorld, token: String) -> StepResult {
    introspect(w, TokenForm::new(token)).await
}

#[when("the client introspects the access token without authenticating")]
async fn introspects_anonymously(w: &mut ConformanceWorld) -> StepResult {
    let token = access_token(w)?;
    introspect(
        w,
        TokenForm::new(token).authenticated(Authentication::Anonymous),
    )
    .await
}

#[when("the client introspects the access token with a wrong client secret")]
async fn introspects_wrong_secret(w: &mut ConformanceWorld) -> StepResult {
    let token = access_token(w)?;
    introspect(
        w,
        TokenForm::new(token).authenticated(Authentication::WrongSecret),
    )
    .await
}

#[then("the introspection says the token is active, in a JSON object")]
async fn says_active(w: &mut ConformanceWorld) -> StepResult {
    let attempt = last(w)?;
    let outcomes = vec![introspection::active(attempt), introspection::json(attempt)];
    w.record(outcomes)
}

#[then("the introspection's members agree with the token response")]
async fn members_agree(w: &mut ConformanceWorld) -> StepResult {
    let token = w.last_token()?.clone();
    let issued = introspection::Issued {
        client_id: w.client()?.credentials.id.clone(),
        scope: w.last_token_attempt()?.granted_scope(),
        token_type: token.token_type.clone(),
        expires_in: token.expires_in,
        asked_at_s: w.lifecycle.asked_at_ms.unwrap_or_else(|| w.clock.now_ms()) / 1000,
        now_s: w.clock.now_ms() / 1000,
    };
    let outcome = introspection::members_consistent(last(w)?, &issued);
    w.record_one(outcome)
}

/// `what` is inactive, and the answer says nothing more.
fn judge_inactive(w: &mut ConformanceWorld, what: &str) -> StepResult {
    let attempt = last(w)?;
    let outcomes = vec![
        introspection::inactive(attempt, what),
        introspection::inactive_says_nothing_more(attempt),
    ];
    w.record(outcomes)
}

#[then(
    regex = r"^the introspection says the (expired|made-up|tampered) token is inactive and nothing more$"
)]
async fn says_inactive(w: &mut ConformanceWorld, what: String) -> StepResult {
    judge_inactive(w, &format!("a {what} access token"))
}

/// The revoked token: inactive, once the API showed the revocation took
/// (else its introspection proves nothing: revocation-access-token judges
/// a server that keeps it).
#[then("the introspection says the revoked token is inactive and nothing more")]
async fn says_revoked_inactive(w: &mut ConformanceWorld) -> StepResult {
    match Afterwards::of_api(w.last_api_attempt()?) {
        Afterwards::Refused(_) => judge_inactive(w, "a revoked access token"),
        Afterwards::Worked(what) => Err(w.not_run(format!(
            "the revoked access token still works at the API ({what}): judged once, by {}",
            REVOCATION_ACCESS_TOKEN.id
        ))),
        Afterwards::Untold(why) => Err(w.not_run(why)),
    }
}

#[then("the unauthenticated introspections learned nothing")]
async fn learned_nothing(w: &mut ConformanceWorld) -> StepResult {
    let [.., anonymous, wrong] = w.lifecycle.introspections.as_slice() else {
        return Err(
            "two introspections are needed: without authentication, and with a wrong secret".into(),
        );
    };
    let outcomes: Vec<CheckOutcome> = vec![
        introspection::unauthorized_learns_nothing(anonymous, "without client authentication"),
        introspection::unauthorized_learns_nothing(wrong, "with a wrong client secret"),
    ];
    w.record(outcomes)
}
