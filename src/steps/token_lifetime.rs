//! Living with expiring tokens: the token manager, virtual time, server
//! clock skew, revocation and renewal failures.

use std::sync::Arc;

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, Use, ensure};
use crate::checks::{bearer, client_behaviour};
use crate::client::token_manager::{Authorized, CachedToken};
use crate::client::{
    ApiAttempt, HttpAnswer, ManagerConfig, Presentation, RenewalError, TokenManager,
};
use crate::mock::{AccessTokenFault, ApiFault};
use crate::profile::Endpoint;

fn manager(w: &ConformanceWorld) -> Result<TokenManager, String> {
    w.lifetime
        .manager
        .clone()
        .ok_or_else(|| "no token manager: add `Given the application uses a token manager`".into())
}

fn answer(attempt: &ApiAttempt) -> Result<&HttpAnswer, String> {
    attempt
        .outcome
        .as_ref()
        .map_err(|e| format!("the API call failed: {e}"))
}

fn use_manager(w: &mut ConformanceWorld, config: ManagerConfig) -> StepResult {
    let client = w.client()?.clone();
    w.lifetime.manager = Some(TokenManager::new(client, w.clock.clone(), config));
    Ok(())
}

#[given("the application uses a token manager")]
async fn uses_manager(w: &mut ConformanceWorld) -> StepResult {
    use_manager(w, ManagerConfig::default())
}

#[given(expr = "the application uses a token manager that renews {int} seconds before expiry")]
async fn uses_manager_margin(w: &mut ConformanceWorld, seconds: u64) -> StepResult {
    use_manager(
        w,
        ManagerConfig {
            margin: std::time::Duration::from_secs(seconds),
            ..ManagerConfig::default()
        },
    )
}

#[given("the application uses a token manager that validates tokens against the provider's JWKS")]
async fn uses_validating_manager(w: &mut ConformanceWorld) -> StepResult {
    let validator = w.validator().await?;
    use_manager(
        w,
        ManagerConfig {
            validator: Some(validator),
            ..ManagerConfig::default()
        },
    )
}

#[given(
    regex = r"^the provider's clock runs (\d+) (seconds?|minutes?) (ahead of|behind) the client's$"
)]
async fn provider_clock_skew(
    w: &mut ConformanceWorld,
    amount: i64,
    unit: String,
    direction: String,
) -> StepResult {
    let unit_ms = if unit.starts_with("minute") {
        60_000
    } else {
        1_000
    };
    let sign = if direction == "behind" { -1 } else { 1 };
    w.mock()?.set_clock_offset_ms(sign * amount * unit_ms);
    Ok(())
}

#[given(expr = "the provider's JWT access tokens say they expire after {int} minutes")]
async fn exp_disagrees(w: &mut ConformanceWorld, minutes: u64) -> StepResult {
    w.mock()?
        .set_access_token_fault(Some(AccessTokenFault::ExpDisagrees {
            exp_after_s: minutes * 60,
        }));
    Ok(())
}

#[given("the API rejects every access token")]
async fn api_rejects_all(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_api_fault(Some(ApiFault::RejectEveryToken));
    Ok(())
}

#[given("the API forbids every request for insufficient scope")]
async fn api_forbids_all(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_api_fault(Some(ApiFault::ForbidEveryRequest));
    Ok(())
}

#[when("the provider revokes every access token it issued")]
async fn revoke_all(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.revoke_all_tokens();
    Ok(())
}

#[when("the provider forgets the client's registration")]
async fn forget_client(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.remove_clients();
    Ok(())
}

#[when("the token endpoint works again")]
async fn endpoint_works(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_token_endpoint_fault(None);
    Ok(())
}

#[when("the application asks the token manager for an access token")]
async fn ask(w: &mut ConformanceWorld) -> StepResult {
    let outcome = manager(w)?.current().await;
    w.lifetime.uses.push(Use::Ask(outcome));
    Ok(())
}

#[when("the application calls the API through the token manager")]
async fn call(w: &mut ConformanceWorld) -> StepResult {
    let outcome = manager(w)?.call_api().await;
    w.lifetime.uses.push(Use::Call(outcome));
    Ok(())
}

#[when(expr = "the application calls the API through the token manager {int} times")]
async fn call_times(w: &mut ConformanceWorld, times: usize) -> StepResult {
    let manager = manager(w)?;
    for _ in 0..times {
        let outcome = manager.call_api().await;
        w.lifetime.uses.push(Use::Call(outcome));
    }
    Ok(())
}

/// Starts `tasks` copies of `job` at once and awaits them together. Each
/// job joins the token manager's queue when it is created (the manager reads
/// its cache or joins the renewal on the call, not on the first poll), so all
/// of them are waiting before any answer can arrive: the situation seed 002's
/// queue is about. The library's unit tests and the benchmark also run tasks
/// on several threads.
async fn at_once<F, Fut>(w: &mut ConformanceWorld, tasks: usize, job: F) -> StepResult
where
    F: Fn(TokenManager) -> Fut,
    Fut: std::future::Future<Output = Use>,
{
    let manager = manager(w)?;
    let batch = futures::future::join_all((0..tasks).map(|_| job(manager.clone()))).await;
    w.lifetime.uses.extend(batch.iter().cloned());
    w.lifetime.batch = batch;
    Ok(())
}

#[when(expr = "{int} tasks ask the token manager for an access token at once")]
async fn tasks_ask(w: &mut ConformanceWorld, tasks: usize) -> StepResult {
    at_once(w, tasks, |m| {
        let token = m.current();
        async move { Use::Ask(token.await) }
    })
    .await
}

#[when(expr = "{int} tasks call the API through the token manager at once")]
async fn tasks_call(w: &mut ConformanceWorld, tasks: usize) -> StepResult {
    at_once(w, tasks, |m| {
        let call = m.call_api();
        async move { Use::Call(call.await) }
    })
    .await
}

#[when("the client calls the API with the token manager's previous access token")]
async fn call_with_previous(w: &mut ConformanceWorld) -> StepResult {
    let (previous, _) = last_two_asks(w)?;
    let attempt = w
        .client()?
        .call_api(&Presentation::Bearer(previous.token.expose().to_owned()))
        .await;
    w.api_attempts.push(attempt);
    Ok(())
}

#[when("the client calls the API with the token manager's current access token")]
async fn call_with_current(w: &mut ConformanceWorld) -> StepResult {
    let (_, current) = last_two_asks(w)?;
    let attempt = w
        .client()?
        .call_api(&Presentation::Bearer(current.token.expose().to_owned()))
        .await;
    w.api_attempts.push(attempt);
    Ok(())
}

fn asks(
    w: &ConformanceWorld,
) -> impl DoubleEndedIterator<Item = &Result<Arc<CachedToken>, RenewalError>> {
    w.lifetime.uses.iter().filter_map(|u| match u {
        Use::Ask(r) => Some(r),
        Use::Call(_) => None,
    })
}

fn last_two_asks(w: &ConformanceWorld) -> Result<(Arc<CachedToken>, Arc<CachedToken>), String> {
    let mut recent = asks(w).rev();
    let (Some(last), Some(before)) = (recent.next(), recent.next()) else {
        return Err(
            "the application asked the token manager for a token fewer than two times".into(),
        );
    };
    let ok = |r: &Result<Arc<CachedToken>, RenewalError>| {
        r.clone()
            .map_err(|e| format!("the token manager failed: {e}"))
    };
    Ok((ok(before)?, ok(last)?))
}

fn last_ask(w: &ConformanceWorld) -> Result<Arc<CachedToken>, String> {
    asks(w)
        .next_back()
        .ok_or("the application has not asked the token manager for a token")?
        .clone()
        .map_err(|e| format!("the token manager failed: {e}"))
}

fn calls(w: &ConformanceWorld) -> Vec<&Result<Authorized<ApiAttempt>, RenewalError>> {
    w.lifetime
        .uses
        .iter()
        .filter_map(|u| match u {
            Use::Call(r) => Some(r),
            Use::Ask(_) => None,
        })
        .collect()
}

fn last_call(w: &ConformanceWorld) -> Result<&Authorized<ApiAttempt>, String> {
    calls(w)
        .last()
        .ok_or("the application has not called the API through the token manager")?
        .as_ref()
        .map_err(|e| format!("the token manager failed: {e}"))
}

#[then("the token manager handed out the same access token as before")]
async fn same_token(w: &mut ConformanceWorld) -> StepResult {
    let (before, last) = last_two_asks(w)?;
    w.record_one(client_behaviour::reuses_token(&before, &last))
}

#[then("the token manager handed out a new access token")]
async fn new_token(w: &mut ConformanceWorld) -> StepResult {
    let (before, last) = last_two_asks(w)?;
    let now_ms = w.clock.now_ms();
    w.record_one(client_behaviour::renews_before_expiry(
        &before, &last, now_ms,
    ))
}

#[then("the renewal repeated the first token request")]
async fn renewal_repeated(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client()?;
    let sent: Vec<_> = client
        .sent()
        .into_iter()
        .filter(|r| client.is_at(&r.url, Endpoint::Token))
        .collect();
    ensure(sent.len() >= 2, || {
        format!("{} token requests were sent, not two", sent.len())
    })?;
    let (first, last) = (&sent[0], &sent[sent.len() - 1]);
    ensure(first == last, || {
        format!(
            "first:\n{}\nrenewal:\n{}",
            first.snapshot_text(),
            last.snapshot_text()
        )
    })
}

#[then(expr = "the token manager took the expiry from {string}")]
async fn expiry_source(w: &mut ConformanceWorld, source: String) -> StepResult {
    let token = last_ask(w)?;
    let actual = token.expiry.source.to_string();
    ensure(actual == source, || {
        format!("the token manager took the expiry from {actual}")
    })
}

#[then(expr = "the token manager expects the token to expire {int} minutes after it was requested")]
async fn expiry_minutes(w: &mut ConformanceWorld, minutes: i64) -> StepResult {
    let token = last_ask(w)?;
    let lifetime_ms = token.expiry.expires_at_ms - token.expiry.issued_at_ms;
    // exp has whole seconds while the request time has milliseconds.
    ensure((lifetime_ms - minutes * 60_000).abs() < 1_000, || {
        format!(
            "the token manager expects the token to expire {} s after it was requested ({})",
            lifetime_ms / 1000,
            token.expiry.source
        )
    })
}

#[then("every task got the same access token")]
async fn batch_same_token(w: &mut ConformanceWorld) -> StepResult {
    let batch = &w.lifetime.batch;
    ensure(!batch.is_empty(), || "no tasks ran".into())?;
    if let Some(e) = batch.iter().find_map(Use::error) {
        return Err(format!("a task got an error: {e}"));
    }
    let tokens: Vec<Option<String>> = batch.iter().map(Use::token).collect();
    w.record_one(client_behaviour::single_flight_token(&tokens))
}

#[then(expr = "every task got the same error naming {string}")]
async fn batch_same_error(w: &mut ConformanceWorld, needle: String) -> StepResult {
    let batch = &w.lifetime.batch;
    ensure(!batch.is_empty(), || "no tasks ran".into())?;
    let errors: Vec<Option<String>> = batch.iter().map(Use::error).collect();
    let first = errors[0].clone().ok_or("the first task got no error")?;
    w.record_one(client_behaviour::single_flight_error(&first, &errors))?;
    ensure(first.contains(&needle), || {
        format!("the error does not name {needle:?}: {first}")
    })
}

#[then(expr = "the token manager failed naming {string}")]
async fn failed_naming(w: &mut ConformanceWorld, needle: String) -> StepResult {
    let last = w
        .lifetime
        .uses
        .last()
        .ok_or("the token manager was not used")?;
    let error = last.error().ok_or("the token manager handed out a token")?;
    ensure(error.contains(&needle), || {
        format!("the error does not name {needle:?}: {error}")
    })
}

#[then("the API call through the token manager was accepted")]
async fn call_accepted(w: &mut ConformanceWorld) -> StepResult {
    let last = last_call(w)?.last();
    let outcomes = bearer::check_accepted(&last.request, answer(last)?);
    w.record(outcomes)
}

#[then("every API call through the token manager was accepted")]
async fn every_call_accepted(w: &mut ConformanceWorld) -> StepResult {
    let calls = calls(w);
    ensure(!calls.is_empty(), || {
        "the application has not called the API through the token manager".into()
    })?;
    let mut refused = Vec::new();
    for call in &calls {
        let call = call
            .as_ref()
            .map_err(|e| format!("the token manager failed: {e}"))?;
        let answer = answer(call.last())?;
        if !(200..300).contains(&answer.status) {
            refused.push(answer.describe());
        }
    }
    ensure(refused.is_empty(), || {
        format!(
            "{} of {} calls were refused, e.g. {}",
            refused.len(),
            calls.len(),
            refused[0]
        )
    })
}

#[then("every task's API call carried the same renewed access token")]
async fn batch_same_renewed(w: &mut ConformanceWorld) -> StepResult {
    let previous = asks(w)
        .next_back()
        .and_then(|r| r.as_ref().ok())
        .map(|t| t.token.expose().to_owned())
        .ok_or("the application has not asked the token manager for a token before")?;
    let batch = &w.lifetime.batch;
    ensure(!batch.is_empty(), || "no tasks ran".into())?;
    let tokens: Vec<Option<String>> = batch.iter().map(Use::token).collect();
    w.record_one(client_behaviour::single_flight_renewed(&tokens, &previous))
}

#[then("the API call was retried once with a renewed access token")]
async fn retried_once(w: &mut ConformanceWorld) -> StepResult {
    let call = last_call(w)?;
    let outcome = client_behaviour::renews_on_invalid_token(call);
    // The retry carries the renewed, valid token; without a retry the last
    // answer is the refusal of the bad one, which says nothing of §2.1.
    let accepted = match call.retried() {
        true => bearer::check_accepted(&call.last().request, answer(call.last())?),
        false => Vec::new(),
    };
    w.record(std::iter::once(outcome).chain(accepted).collect())
}

#[then("the API call was not retried")]
async fn not_retried(w: &mut ConformanceWorld) -> StepResult {
    let call = last_call(w)?;
    ensure(!call.retried(), || {
        format!("the call was sent {} times", call.attempts.len())
    })
}

#[then(expr = "the API call through the token manager ended with status {int}")]
async fn call_status(w: &mut ConformanceWorld, status: u16) -> StepResult {
    let got = answer(last_call(w)?.last())?.status;
    ensure(got == status, || {
        format!("the call ended with status {got}")
    })
}

#[then("the API call ended with the API's refusal after one retry")]
async fn refused_after_retry(w: &mut ConformanceWorld) -> StepResult {
    let call = last_call(w)?;
    let status = answer(call.last())?.status;
    w.record_one(client_behaviour::gives_up_after_one_retry(call, status))
}

#[then(regex = r"^the mock received (\d+) API calls?$")]
async fn mock_api_count(w: &mut ConformanceWorld, expected: usize) -> StepResult {
    let got = w.mock()?.api_requests();
    ensure(got == expected, || {
        format!("the mock received {got} API calls")
    })
}
