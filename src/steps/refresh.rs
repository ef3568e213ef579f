//! Refreshing the access token, with and without rotation (seed 001,
//! RFC 6749 §6, RFC 9700 §4.14.2).

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::{code_flow, grant_request, scope_premise};
use crate::client::code_flow::{Refresh, next_refresh_token};
use crate::client::{Secret, TokenRequest};

#[given(regex = r"^refresh tokens (rotate|do not rotate)$")]
async fn rotation(w: &mut ConformanceWorld, mode: String) -> StepResult {
    w.mock()?.set_refresh_rotation(mode == "rotate");
    Ok(())
}

/// The refresh token the client holds now.
fn held_refresh_token(w: &ConformanceWorld) -> Result<Secret, String> {
    w.code_flow
        .refresh_token
        .clone()
        .ok_or_else(|| "the client holds no refresh token".into())
}

#[when("the client refreshes the access token")]
async fn refresh(w: &mut ConformanceWorld) -> StepResult {
    let current = held_refresh_token(w)?;
    w.code_flow.refreshed_with = Some(current.clone());
    let attempt = w.client()?.refresh(&current).await;
    if let Ok(token) = &attempt.outcome {
        // Whether the server rotated is its fact; what to keep, the client's.
        let (_, rotated) = next_refresh_token(&current, token);
        let next = w.client()?.keep_refresh_token(&current, token);
        w.code_flow.previous_refresh_token = Some(current);
        w.code_flow.refresh_token = Some(next);
        w.code_flow.rotated = Some(rotated);
    }
    w.token_attempts.push(attempt);
    Ok(())
}

#[when("the client refreshes with the previous refresh token")]
async fn refresh_previous(w: &mut ConformanceWorld) -> StepResult {
    let previous = w
        .code_flow
        .previous_refresh_token
        .clone()
        .ok_or("no previous refresh token")?;
    // A replay to see the server refuse it: a probe for `serve`.
    let replay = TokenRequest::refresh_token(previous.expose())
        .probe("the previous refresh token, replaced by rotation, again");
    let attempt = w.client()?.request_token(&replay).await;
    w.token_attempts.push(attempt);
    Ok(())
}

/// Refreshes the way `refresh` says, with the refresh token the client holds.
async fn refresh_as(w: &mut ConformanceWorld, refresh: Refresh) -> StepResult {
    let held = held_refresh_token(w)?;
    let attempt = w.client()?.refresh_as(&held, &refresh).await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[when("the client refreshes without its client secret")]
async fn refresh_without_secret(w: &mut ConformanceWorld) -> StepResult {
    refresh_as(w, Refresh::WithoutSecret).await
}

/// Asks for more than the grant: beyond the scope the code exchange
/// granted, or, when that is unknown, a scope the client may not have.
#[when("the client refreshes asking for a wider scope")]
async fn refresh_wider(w: &mut ConformanceWorld) -> StepResult {
    let granted = w.code_flow.granted_scope.clone();
    let profile = w.profile()?;
    let Some(wider) = crate::profile::wider_scope(granted.as_deref(), profile) else {
        let name = profile.name.clone();
        let fields = match granted {
            Some(_) => "token.scope or token.denied_scope",
            None => "token.denied_scope, as the grant's own scope is unknown",
        };
        return Err(w.skip(format!(
            "profile {name} names no scope beyond the grant's to ask for on refresh ({fields})"
        )));
    };
    refresh_as(w, Refresh::WiderScope(wider)).await
}

#[when(expr = "the client refreshes with the made-up refresh token {string}")]
async fn refresh_made_up(w: &mut ConformanceWorld, token: String) -> StepResult {
    refresh_as(w, Refresh::MadeUpToken(token)).await
}

#[when("a second registered client refreshes with the client's refresh token")]
async fn second_refreshes(w: &mut ConformanceWorld) -> StepResult {
    let current = held_refresh_token(w)?;
    let client = w.second_client()?;
    let attempt = client.refresh_with_foreign_token(&current).await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[then("the refresh gave a new access token")]
async fn refresh_gave_new_token(w: &mut ConformanceWorld) -> StepResult {
    let (last, earlier) = w
        .token_attempts
        .split_last()
        .ok_or("no token request was made yet")?;
    let earlier: Vec<&str> = earlier
        .iter()
        .filter_map(|a| a.outcome.as_ref().ok())
        .map(|t| t.access_token.expose())
        .collect();
    let outcome = code_flow::refresh_gave_new_access_token(&earlier, &last.outcome);
    w.record_one(outcome)
}

#[then(regex = r"^the server (rotated|kept) the refresh token$")]
async fn rotated(w: &mut ConformanceWorld, what: String) -> StepResult {
    let rotated = w.code_flow.rotated.ok_or("no refresh happened")?;
    ensure(rotated == (what == "rotated"), || {
        format!("rotated: {rotated}")
    })
}

#[then("the refresh sent the refresh token the server rotated to")]
async fn sent_rotated(w: &mut ConformanceWorld) -> StepResult {
    let [.., rotation, next] = w.token_attempts.as_slice() else {
        return Err("two refreshes are needed: the one that rotated, and the next".into());
    };
    let issued = rotation
        .outcome
        .as_ref()
        .ok()
        .and_then(|t| t.refresh_token.clone())
        .ok_or("the first refresh issued no refresh token")?;
    let outcome = code_flow::refresh_token_replaced(issued.expose(), &next.request);
    w.record_one(outcome)
}

#[then("the refresh carries the refresh token the client holds")]
async fn refresh_params(w: &mut ConformanceWorld) -> StepResult {
    let held = w
        .code_flow
        .refreshed_with
        .clone()
        .ok_or("the client has not refreshed")?;
    let outcome = grant_request::refresh(&w.last_token_attempt()?.request, held.expose());
    w.record_one(outcome)
}

#[then("the refresh asks for no scope beyond the grant")]
async fn refresh_scope(w: &mut ConformanceWorld) -> StepResult {
    let granted = w.code_flow.granted_scope.clone();
    let outcome = grant_request::refresh_scope_within_grant(
        &w.last_token_attempt()?.request,
        granted.as_deref(),
    );
    w.record_one(outcome)
}

/// The grant's scope, or the scenario skipped when it is unknown.
fn granted_scope(w: &mut ConformanceWorld) -> Result<String, String> {
    match w.code_flow.granted_scope.clone() {
        Some(granted) => Ok(granted),
        None => Err(w.skip(
            "neither the code exchange's answer nor the authorization request named a scope, so the grant's scope is unknown (authorization_code.default_scope names one to ask for)",
        )),
    }
}

/// Asks for less than the grant, or skips naming what would let it: with a
/// grant of one scope there is no less to ask for (see
/// [`scope_premise::part_of_grant`]).
#[when("the client refreshes asking for part of the grant's scope")]
async fn refresh_part(w: &mut ConformanceWorld) -> StepResult {
    let part = scope_premise::part_of_grant(w.code_flow.granted_scope.as_deref());
    let refresh = Refresh::WithScope(part.map_err(|why| w.skip(why))?);
    let current = held_refresh_token(w)?;
    let attempt = w.client()?.refresh_as(&current, &refresh).await;
    let outcome = attempt.outcome.clone();
    w.token_attempts.push(attempt);
    let token = match outcome {
        Ok(token) => token,
        Err(e) => {
            return Err(w.not_run(format!(
                "the refresh asking for part of the grant got no token: {e}"
            )));
        }
    };
    let (next, rotated) = next_refresh_token(&current, &token);
    if !rotated {
        return Err(w.skip(
            "the server issued no new refresh token (RFC 6749 §6 lets it keep the old one): there is no new token whose scope to compare",
        ));
    }
    w.code_flow.previous_refresh_token = Some(current);
    w.code_flow.refresh_token = Some(next);
    Ok(())
}

#[when("the client refreshes with the new refresh token asking for the whole grant")]
async fn refresh_whole(w: &mut ConformanceWorld) -> StepResult {
    let granted = granted_scope(w)?;
    refresh_as(w, Refresh::WithScope(granted)).await
}

#[then("the new refresh token kept the scope of the grant")]
async fn rotated_scope_kept(w: &mut ConformanceWorld) -> StepResult {
    let granted = granted_scope(w)?;
    let judged = code_flow::rotated_refresh_scope_identical(w.last_token_attempt()?, &granted);
    w.record_one(judged)
}
