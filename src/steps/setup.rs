//! Arranging a scenario: profile, client registration, server faults, time.

use std::time::Duration;

use cucumber::given;
use cucumber::when;

use super::world::{ConformanceWorld, StepResult};
use crate::client::{ClientCredentials, Limits};
use crate::mock::TokenEndpointFault;

#[given(expr = "the provider profile {string}")]
async fn provider_profile(w: &mut ConformanceWorld, name: String) -> StepResult {
    w.use_profile(&name).await
}

#[given("the profile under test")]
async fn profile_under_test(w: &mut ConformanceWorld) -> StepResult {
    let name = w.profile_under_test()?;
    w.use_profile(&name).await
}

#[given(expr = "the client is registered with id {string} and secret {string}")]
async fn registered_with(w: &mut ConformanceWorld, id: String, secret: String) -> StepResult {
    w.register_client(ClientCredentials::new(id, secret))
}

#[given("the client uses a wrong client secret")]
async fn wrong_secret(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client_mut()?;
    *client = client.clone().with_wrong_secret();
    Ok(())
}

#[given(
    regex = r"^the token endpoint (answers with an HTML error page|answers with a body that is not JSON|answers with a truncated JSON body|answers 500 with an empty body|answers with a body of (\d+) bytes|answers only after 3 seconds)$"
)]
async fn token_endpoint_fault(w: &mut ConformanceWorld, what: String, size: String) -> StepResult {
    let fault = match what.as_str() {
        "answers with an HTML error page" => TokenEndpointFault::HtmlErrorPage,
        "answers with a body that is not JSON" => TokenEndpointFault::NotJson,
        "answers with a truncated JSON body" => TokenEndpointFault::TruncatedJson,
        "answers 500 with an empty body" => TokenEndpointFault::EmptyServerError,
        "answers only after 3 seconds" => TokenEndpointFault::Slow,
        _ => TokenEndpointFault::HugeBody(
            size.parse()
                .map_err(|e| format!("body size {size:?}: {e}"))?,
        ),
    };
    w.mock()?.set_token_endpoint_fault(Some(fault));
    Ok(())
}

#[given("the mock publishes its metadata only as OpenID Connect discovery")]
async fn openid_only(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_openid_only(true);
    Ok(())
}

#[given(
    "the token endpoint narrows a requested scope to the ones the client was given, and says so"
)]
async fn narrows_scopes(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_scope_narrowing(true);
    Ok(())
}

#[given("the authorization endpoint sends its error responses in the redirect URI's fragment")]
async fn errors_in_fragment(w: &mut ConformanceWorld) -> StepResult {
    w.mock()?.set_errors_in_fragment(true);
    Ok(())
}

#[given(expr = "the client gives up after {int} milliseconds")]
async fn client_timeout(w: &mut ConformanceWorld, ms: u64) -> StepResult {
    let client = w.client_mut()?;
    let limits = Limits {
        timeout: Duration::from_millis(ms),
        ..client.transport().limits()
    };
    let transport = client.transport().with_limits(limits);
    *client = client.clone().with_transport(transport);
    Ok(())
}

#[given("the token endpoint is unreachable")]
async fn unreachable(w: &mut ConformanceWorld) -> StepResult {
    // A port that was free a moment ago and has no listener now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("could not find a free local port: {e}"))?
        .port();
    let client = w.client_mut()?;
    client.base_url = format!("http://127.0.0.1:{port}/")
        .parse()
        .map_err(|e| format!("{e}"))?;
    Ok(())
}

/// How far past a lifetime the expiry checks look: a minute, room for the
/// clock leeway servers commonly allow, so a server that honours the
/// lifetime with some leeway is not judged early.
const PAST_EXPIRY: Duration = Duration::from_secs(60);

/// Lets `by` pass: virtual time on the mock; on a real server a real wait,
/// only as long as the profile's `max_wait_s` allows, else the scenario is
/// skipped naming that setting (it applies, but the profile did not allow
/// the wait).
async fn let_pass(w: &mut ConformanceWorld, by: Duration, what: &str) -> StepResult {
    let allowed = Duration::from_secs(w.profile()?.max_wait_s);
    // Shown only for a real wait, on a terminal.
    let _waiting = (!w.clock.is_manual() && by <= allowed)
        .then(|| w.ctx().map(|ctx| ctx.progress.waiting(what, by)).ok())
        .flatten();
    match w.clock.pass(by, allowed).await {
        Ok(()) => Ok(()),
        Err(e @ crate::clock::ClockError::WaitTooLong { .. }) => Err(w.skip(format!(
            "{what}: {e}; set max_wait_s in the profile to let the suite wait"
        ))),
        Err(e) => Err(e.to_string()),
    }
}

/// The lifetime the profile documents, else the one the last token
/// response stated (`expires_in`).
#[when("the access token's lifetime has passed")]
async fn lifetime_passes(w: &mut ConformanceWorld) -> StepResult {
    let stated = w.last_token().ok().and_then(|t| t.expires_in);
    let lifetime = match w.profile()?.token.expected_lifetime_s.or(stated) {
        Some(lifetime) => lifetime,
        None => {
            return Err(w.not_run(
                "neither the profile (token.expected_lifetime_s) nor the token response (expires_in) says how long the token lives",
            ));
        }
    };
    let by = Duration::from_secs(lifetime) + PAST_EXPIRY;
    let_pass(w, by, &format!("the access token lives {lifetime} s")).await
}

/// The code lifetime the profile documents, else the 10 minutes RFC 6749
/// §4.1.2 recommends as the maximum.
#[when("the code's lifetime has passed")]
async fn code_lifetime_passes(w: &mut ConformanceWorld) -> StepResult {
    let lifetime = w
        .profile()?
        .authorization_code
        .as_ref()
        .and_then(|flow| flow.code_lifetime_s)
        .unwrap_or(RECOMMENDED_MAX_CODE_LIFETIME_S);
    let by = Duration::from_secs(lifetime) + PAST_EXPIRY;
    let_pass(w, by, &format!("the code lives {lifetime} s")).await
}

/// RFC 6749 §4.1.2: "A maximum authorization code lifetime of 10 minutes is
/// RECOMMENDED."
const RECOMMENDED_MAX_CODE_LIFETIME_S: u64 = 600;

#[when(regex = r"^(\d+) (minute|minutes|second|seconds|day|days) pass(?:es)?$")]
async fn time_passes(w: &mut ConformanceWorld, amount: u64, unit: String) -> StepResult {
    let seconds = match unit.trim_end_matches('s') {
        "minute" => 60,
        "day" => 86_400,
        _ => 1,
    };
    w.mock()?;
    w.clock
        .advance(Duration::from_secs(amount * seconds))
        .map_err(|e| e.to_string())
}
