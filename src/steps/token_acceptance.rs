//! Token requests a server must accept: one authenticated with HTTP Basic,
//! whatever way the guide documents (RFC 6749 §2.3.1), and one without
//! `scope` (§3.3: a default scope, or `invalid_scope`).

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult};
use crate::checks::parameters;
use crate::client::code_flow::next_refresh_token;
use crate::client::{OAuthClient, TokenAttempt, TokenRequest};
use crate::profile::{ClientAuth, Encoding};

/// The client, authenticating with HTTP Basic at every grant. Seed 002's
/// JSON token API is outside RFC 6749's request format: skipped there.
fn basic_client(w: &mut ConformanceWorld) -> Result<OAuthClient, String> {
    let profile = w.profile()?;
    if profile.encoding_for("client_credentials") == Encoding::Json {
        let name = profile.name.clone();
        return Err(w.skip(format!(
            "profile {name} sends its token requests as JSON; RFC 6749 §2.3.1's HTTP Basic is for the form-encoded token request"
        )));
    }
    let mut client = w.client()?.clone();
    client.profile.token.client_auth = ClientAuth::Basic;
    if let Some(ac) = client.profile.authorization_code.as_mut() {
        ac.client_auth = ClientAuth::Basic;
    }
    // A second token request to compare with the documented one, in
    // another way than the guide's perhaps: a probe for `serve`.
    let probing = client
        .transport()
        .probing("a second token request, with HTTP Basic");
    Ok(client.with_transport(probing))
}

#[when("the client requests an access token authenticating with HTTP Basic")]
async fn requests_with_basic(w: &mut ConformanceWorld) -> StepResult {
    let client = basic_client(w)?;
    let attempt = client
        .request_token(&TokenRequest::client_credentials())
        .await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[when("the client refreshes the access token authenticating with HTTP Basic")]
async fn refreshes_with_basic(w: &mut ConformanceWorld) -> StepResult {
    let client = basic_client(w)?;
    let held = w
        .code_flow
        .refresh_token
        .clone()
        .ok_or("the client holds no refresh token")?;
    let attempt = client.refresh(&held).await;
    if let Ok(token) = &attempt.outcome {
        let (_, rotated) = next_refresh_token(&held, token);
        let next = w.client()?.keep_refresh_token(&held, token);
        w.code_flow.previous_refresh_token = Some(held);
        w.code_flow.refresh_token = Some(next);
        w.code_flow.rotated = Some(rotated);
    }
    w.token_attempts.push(attempt);
    Ok(())
}

/// The last two token requests: the documented one, then the same with
/// HTTP Basic.
fn documented_then_basic(w: &ConformanceWorld) -> Result<(&TokenAttempt, &TokenAttempt), String> {
    match w.token_attempts.as_slice() {
        [.., plain, basic] => Ok((plain, basic)),
        _ => Err(
            "two token requests are needed: the documented one, then the same with HTTP Basic"
                .into(),
        ),
    }
}

#[then("the token endpoint accepted HTTP Basic as it accepted the documented authentication")]
async fn accepted_basic(w: &mut ConformanceWorld) -> StepResult {
    let (plain, basic) = documented_then_basic(w)?;
    w.record_one(parameters::basic_supported(plain, basic))
}

#[given("the client is registered without a default scope")]
async fn without_default_scope(w: &mut ConformanceWorld) -> StepResult {
    let credentials = w.mock()?.register_client_without_default_scope();
    let client = w.client_mut()?;
    *client = client.clone().with_credentials(credentials);
    Ok(())
}

#[when("the client requests an access token without scope")]
async fn requests_without_scope(w: &mut ConformanceWorld) -> StepResult {
    let profile = w.profile()?;
    if profile.encoding_for("client_credentials") == Encoding::Json {
        let name = profile.name.clone();
        return Err(w.skip(format!(
            "profile {name} sends its token requests as JSON, outside RFC 6749's request format; its guide (seed 002) requires scope"
        )));
    }
    let attempt = w
        .client()?
        .request_token(&TokenRequest::client_credentials())
        .await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[then("the token endpoint used a default scope or refused with invalid_scope")]
async fn default_or_invalid_scope(w: &mut ConformanceWorld) -> StepResult {
    w.record_one(parameters::omitted_scope_answered(w.last_token_attempt()?))
}
