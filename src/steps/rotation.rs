//! Refresh token rotation and reuse (RFC 9700 §4.14.2), for a server the
//! profile says rotates; `checks::rotation` judges.

use cucumber::then;

use super::world::{ConformanceWorld, StepResult};
use crate::checks::afterwards::Afterwards;
use crate::checks::rotation;

#[then("the refresh issued a new refresh token, as the profile says the server rotates")]
async fn rotated(w: &mut ConformanceWorld) -> StepResult {
    let presented = w
        .code_flow
        .refreshed_with
        .clone()
        .ok_or("the client has not refreshed")?;
    let outcome = rotation::rotated(presented.expose(), w.last_token_attempt()?);
    w.record_one(outcome)
}

#[then("the previous refresh token is refused")]
async fn previous_refused(w: &mut ConformanceWorld) -> StepResult {
    if w.code_flow.rotated == Some(false) {
        return Err(w.not_run(
            "the server did not rotate the refresh token, so there is no previous one (judged once, by refresh-rotates)",
        ));
    }
    let afterwards = Afterwards::of_refresh(w.last_token_attempt()?);
    w.record_one(rotation::old_refused(&afterwards))
}

#[then("the reuse of the rotated refresh token revoked the active one")]
async fn reuse_revoked(w: &mut ConformanceWorld) -> StepResult {
    if w.code_flow.rotated == Some(false) {
        return Err(w.not_run(
            "the server did not rotate the refresh token, so none was reused (judged once, by refresh-rotates)",
        ));
    }
    let [.., reuse, active] = w.token_attempts.as_slice() else {
        return Err(
            "two refreshes are needed: the reuse, and the one with the active token".into(),
        );
    };
    let outcome = rotation::reuse_revoked_active(
        &Afterwards::of_refresh(reuse),
        &Afterwards::of_refresh(active),
    );
    w.record_one(outcome)
}
