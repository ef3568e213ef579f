//! Exchanging the code for tokens, as the client should and in each of the
//! ways a server must refuse (seed 001, RFC 6749 §4.1.3, RFC 7636 §4.5-4.6).

use cucumber::{given, then, when};

use super::authorization::{go_through_authorization, last_attempt, read_callback};
use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::login::Intent;
use crate::checks::{client_security, code_flow, grant_request};
use crate::client::callback::CallbackError;
use crate::client::code_flow::CodeExchange;

/// Exchanges the code the redirect carried, the way `exchange` says, with
/// the scenario's client. The plain exchange accepts the callback as a
/// client does (consuming its state); a deliberate misstep only reads it.
pub(super) async fn exchange(w: &mut ConformanceWorld, exchange: CodeExchange) -> StepResult {
    let request = last_attempt(w)?.request.clone();
    let got = if exchange == CodeExchange::as_sent() {
        let location = redirect_location(w)?;
        let accepted = w.client()?.accept_callback(&location, &request);
        // A redirect refused for its iss is judged once, by
        // authorize-response-iss: nothing is exchanged.
        if let Err(e @ (CallbackError::IssMismatch { .. } | CallbackError::MissingIss)) = &accepted
        {
            return Err(w.not_run(format!(
                "the client refused the redirect ({e}): authorize-response-iss judges it"
            )));
        }
        let judged = code_flow::unknown_callback_params_ignored(&location, &accepted);
        if matches!(judged.verdict, crate::checks::Verdict::Skip(_)) {
            // A redirect without a parameter the client does not know (most
            // real servers') is no premise of the scenario that gets its
            // tokens this way: the skip is reported, the scenario goes on.
            w.checks.push(judged);
        } else {
            w.record_one(judged)?;
        }
        accepted
    } else {
        read_callback(w)?
    }
    .map_err(|e| format!("no code to exchange: {e}"))?;
    let attempt = w
        .client()?
        .exchange(&request, got.code.expose(), &exchange)
        .await;
    if let Ok(token) = &attempt.outcome {
        w.code_flow.refresh_token = token.refresh_token.clone();
        w.code_flow.granted_scope = token.scope.clone().or(request.scope.clone());
    }
    w.token_attempts.push(attempt);
    Ok(())
}

/// The redirect the client was handed.
fn redirect_location(w: &ConformanceWorld) -> Result<String, String> {
    w.code_flow
        .redirect
        .clone()
        .ok_or_else(|| "the user never reached the redirect URI".into())
}

#[when("the client exchanges the code")]
async fn exchange_code(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::as_sent()).await
}

#[when("the same redirect reaches the client again")]
async fn replayed_redirect(w: &mut ConformanceWorld) -> StepResult {
    let request = last_attempt(w)?.request.clone();
    let location = redirect_location(w)?;
    let client = w.client()?.clone();
    // What a client does with a callback: accept it, then exchange its code.
    let accepted = client.accept_callback(&location, &request);
    let mut sent = 0;
    if let Ok(code) = &accepted {
        let attempt = client.exchange_code(&request, code.code.expose()).await;
        w.token_attempts.push(attempt);
        sent = 1;
    }
    w.code_flow.replay = Some((accepted, sent));
    Ok(())
}

#[then("the client refuses the replayed redirect and sends no token request")]
async fn replay_refused(w: &mut ConformanceWorld) -> StepResult {
    let (replay, sent) = w
        .code_flow
        .replay
        .clone()
        .ok_or("the redirect was not handed to the client again")?;
    w.record_one(client_security::replay_refused(&replay, sent))
}

#[when("the client exchanges the expired code")]
async fn exchange_expired(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::expired()).await
}

#[when("the client exchanges the code again")]
async fn exchange_again(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::again()).await
}

#[when(expr = "the client exchanges the code with the redirect URI {string}")]
async fn exchange_other_redirect(w: &mut ConformanceWorld, uri: String) -> StepResult {
    exchange(w, CodeExchange::with_redirect_uri(uri)).await
}

#[when("the client exchanges the code without the code verifier")]
async fn exchange_no_verifier(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::without_verifier()).await
}

#[when("the client exchanges the code with a wrong code verifier")]
async fn exchange_wrong_verifier(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::with_wrong_verifier()).await
}

#[when(expr = "the client exchanges the made-up code {string}")]
async fn exchange_made_up(w: &mut ConformanceWorld, code: String) -> StepResult {
    exchange(w, CodeExchange::with_made_up_code(code)).await
}

#[when("the client exchanges the code without the redirect URI")]
async fn exchange_no_redirect(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::without_redirect_uri()).await
}

#[when("the client exchanges the code without its client secret")]
async fn exchange_no_secret(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::without_secret()).await
}

#[when("the client exchanges the code with a code verifier nobody asked for")]
async fn exchange_unasked_verifier(w: &mut ConformanceWorld) -> StepResult {
    // A server that requires PKCE issues no code without a challenge: there
    // is no downgrade to try, and nothing wrong with that.
    if let Err(CallbackError::Refused { error, .. }) = read_callback(w)?
        && error == "invalid_request"
    {
        return Err(w.skip(
            "the server refused an authorization request without a PKCE challenge (error=invalid_request): it requires PKCE, so no code can be downgraded",
        ));
    }
    exchange(w, CodeExchange::with_verifier_without_challenge()).await
}

#[when("the client exchanges the code with the challenge as the verifier")]
async fn exchange_challenge_as_verifier(w: &mut ConformanceWorld) -> StepResult {
    exchange(w, CodeExchange::with_challenge_as_verifier()).await
}

#[when("a second registered client exchanges the code")]
async fn second_exchanges(w: &mut ConformanceWorld) -> StepResult {
    let got = read_callback(w)?.map_err(|e| format!("no code to exchange: {e}"))?;
    let request = last_attempt(w)?.request.clone();
    let client = w.second_client()?;
    let attempt = client
        .exchange(
            &request,
            got.code.expose(),
            &CodeExchange::by_another_client(),
        )
        .await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[given(
    regex = r#"^the client has tokens from the authorization code flow(?: for the "([^"]+)" account)?$"#
)]
async fn has_code_tokens(w: &mut ConformanceWorld, account: String) -> StepResult {
    let account = (!account.is_empty()).then_some(account);
    go_through_authorization(w, Intent::Approve { account }).await?;
    exchange(w, CodeExchange::as_sent()).await?;
    w.last_token().map(|_| ())
}

#[then("the token request body carries the registered redirect URI")]
async fn body_redirect_uri(w: &mut ConformanceWorld) -> StepResult {
    let registered = w.redirect_uri()?;
    let sent = w.last_token_attempt()?.request.body_param("redirect_uri");
    ensure(sent.as_deref() == Some(registered.as_str()), || {
        format!("redirect_uri is {sent:?}, the registered one is {registered:?}")
    })
}

#[then("the code exchange carries the code and the redirect URI of its authorization request")]
async fn exchange_params(w: &mut ConformanceWorld) -> StepResult {
    let sent_uri = last_attempt(w)?
        .url
        .query_pairs()
        .find(|(k, _)| k == "redirect_uri")
        .map(|(_, v)| v.into_owned());
    let code = read_callback(w)?.map_err(|e| format!("the redirect carried no code: {e}"))?;
    let outcome = grant_request::code_exchange(
        &w.last_token_attempt()?.request,
        code.code.expose(),
        sent_uri.as_deref(),
    );
    w.record_one(outcome)
}

#[then("the token request body has the code verifier of the authorization request")]
async fn body_verifier(w: &mut ConformanceWorld) -> StepResult {
    let verifier = last_attempt(w)?
        .request
        .pkce
        .as_ref()
        .map(|p| p.verifier.expose().to_owned())
        .ok_or("the authorization request had no PKCE verifier")?;
    let sent = &w.last_token_attempt()?.request;
    let outcome = client_security::verifier_sent(&verifier, sent);
    w.record_one(outcome)
}

#[then("the token response carries a refresh token")]
async fn has_refresh(w: &mut ConformanceWorld) -> StepResult {
    ensure(w.last_token()?.refresh_token.is_some(), || {
        "no refresh_token in the response".into()
    })
}

#[then(expr = "the API says the token acts for the {string} account")]
async fn acts_for(w: &mut ConformanceWorld, account: String) -> StepResult {
    let answer = w
        .last_api_attempt()?
        .outcome
        .clone()
        .map_err(|e| e.to_string())?;
    let body: serde_json::Value = serde_json::from_slice(&answer.body)
        .map_err(|e| format!("the API answer is not JSON: {e}"))?;
    ensure(body["account"].as_str() == Some(account.as_str()), || {
        format!("the token acts for {}", body["account"])
    })
}
