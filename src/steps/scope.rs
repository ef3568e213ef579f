//! A scope the client was not given (RFC 6749 §3.3): asked for at the
//! token endpoint alone and alongside the scopes it was given, and alone at
//! the authorization endpoint; the mock's ways of answering a lone one, and
//! the proofs that a server answering it badly is failed.

use cucumber::{given, then, when};

use super::authorization::{AuthorizeVariant, approve, authorize_with, last_attempt};
use super::code_exchange::exchange;
use super::token::request;
use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::scope_premise::{self, DeniedScope};
use crate::checks::{CheckOutcome, authorization, token_response};
use crate::client::TokenRequest;
use crate::client::code_flow::CodeExchange;
use crate::mock::UnknownScopeAlone;

/// Asks the token endpoint for a scope the client was not given, as `how`
/// says, or skips naming the profile field that is missing.
async fn request_denied(w: &mut ConformanceWorld, how: DeniedScope) -> StepResult {
    let asked = scope_premise::denied_scope_request(w.profile()?, how);
    let scope = asked.map_err(|why| w.skip(why))?;
    request(w, TokenRequest::client_credentials().scope(scope)).await
}

#[when("the client requests an access token with a scope it was given and one it was not")]
async fn requests_given_and_denied(w: &mut ConformanceWorld) -> StepResult {
    request_denied(w, DeniedScope::WithGiven).await
}

#[when("the client requests an access token with only a scope it was not given")]
async fn requests_denied_alone(w: &mut ConformanceWorld) -> StepResult {
    request_denied(w, DeniedScope::Alone).await
}

/// Sends the user to approve a request for only a scope the client was not
/// given; a code that comes back is exchanged, so that what it was granted
/// for can be judged.
#[when(
    "the user approves a request for only a scope the client was not given, and any code is exchanged"
)]
async fn authorizes_denied_alone(w: &mut ConformanceWorld) -> StepResult {
    let asked = scope_premise::denied_scope_request(w.profile()?, DeniedScope::Alone);
    let scope = asked.map_err(|why| w.skip(why))?;
    let user = w.user()?;
    authorize_with(w, approve(None), user, AuthorizeVariant::Scope(scope)).await?;
    let coded = last_attempt(w)?
        .redirect
        .as_deref()
        .is_ok_and(|location| authorization::query_param(location, "code").is_some());
    match coded {
        true => exchange(w, CodeExchange::as_sent()).await,
        false => Ok(()),
    }
}

/// Where a scope the client was not given was asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Endpoint {
    Token,
    Authorization,
}

/// The verdicts on whether the scope the client was not given was granted,
/// at `endpoint`; `Err` when there is nothing to judge.
fn judge_denied(w: &ConformanceWorld, endpoint: Endpoint) -> Result<Vec<CheckOutcome>, String> {
    let denied =
        w.profile()?.token.denied_scope.clone().ok_or(
            "the profile names no scope the client may not be granted (token.denied_scope)",
        )?;
    match endpoint {
        Endpoint::Token => Ok(token_response::denied_scope_not_granted(
            w.last_token_attempt()?,
            &denied,
        )),
        Endpoint::Authorization => token_response::denied_scope_not_granted_at_authorization(
            &last_attempt(w)?.redirect,
            w.token_attempts.last(),
            &denied,
        ),
    }
}

#[then("the token endpoint does not grant the scope it was not given")]
async fn token_endpoint_did_not_grant(w: &mut ConformanceWorld) -> StepResult {
    let outcomes = judge_denied(w, Endpoint::Token)?;
    w.record(outcomes)
}

#[then("the authorization server did not grant the scope it was not given")]
async fn authorization_server_did_not_grant(w: &mut ConformanceWorld) -> StepResult {
    match judge_denied(w, Endpoint::Authorization) {
        Ok(outcomes) => w.record(outcomes),
        Err(why) => Err(w.not_run(why)),
    }
}

/// The mock answers a request for only scopes the client was not given
/// with its default scope, in `scope` or (breaking RFC 6749 §3.3) not.
#[given(
    regex = r"^the authorization server answers a request for only scopes the client was not given with its default scope, (saying so|without saying so)$"
)]
async fn answers_lone_unknown_scope(w: &mut ConformanceWorld, how: String) -> StepResult {
    let answer = match how.as_str() {
        "saying so" => UnknownScopeAlone::DefaultSaid,
        _ => UnknownScopeAlone::DefaultUnsaid,
    };
    w.mock()?.set_unknown_scope_alone(answer);
    Ok(())
}

/// A proof: the verdict the scenario's Then step would record fails
/// `check`. Nothing is recorded, so the proof scenario passes exactly when
/// the suite would fail the server.
#[then(
    regex = r#"^the check "([^"]+)" fails on whether the (token endpoint|authorization server) granted the scope it was not given$"#
)]
async fn denied_scope_verdict_fails(
    w: &mut ConformanceWorld,
    check: String,
    endpoint: String,
) -> StepResult {
    let endpoint = match endpoint.as_str() {
        "token endpoint" => Endpoint::Token,
        _ => Endpoint::Authorization,
    };
    let outcomes = judge_denied(w, endpoint)?;
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.failed())
        .map(|o| o.check.id)
        .collect();
    ensure(failed == [check.as_str()], || {
        format!("expected exactly {check} to fail; failed: {failed:?}; outcomes: {outcomes:?}")
    })
}
