//! The optional connection-success call of seed 001: the client's id as form
//! data, not JSON, with the access token.

use cucumber::{then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::client::ApiAttempt;
use crate::client::api::{BodyEncoding, connection_success_request};

async fn connection_success(w: &mut ConformanceWorld, encoding: BodyEncoding) -> StepResult {
    let client = w.client()?;
    let token = w.last_token()?.access_token.expose().to_owned();
    let request = connection_success_request(
        &client.profile,
        &client.base_url,
        &client.credentials.id,
        &token,
        encoding,
    )?;
    let outcome = client.send(&request).await;
    w.code_flow
        .connection_attempts
        .push(ApiAttempt { request, outcome });
    Ok(())
}

#[when("the client confirms the connection")]
async fn confirm(w: &mut ConformanceWorld) -> StepResult {
    connection_success(w, BodyEncoding::Form).await
}

#[when("the client confirms the connection with a JSON body")]
async fn confirm_json(w: &mut ConformanceWorld) -> StepResult {
    connection_success(w, BodyEncoding::Json).await
}

fn last_connection(w: &ConformanceWorld) -> Result<&ApiAttempt, String> {
    w.code_flow
        .connection_attempts
        .last()
        .ok_or_else(|| "the client has not confirmed the connection".into())
}

#[then(expr = "the connection-success call is answered {int}")]
async fn connection_status(w: &mut ConformanceWorld, status: u16) -> StepResult {
    let answer = last_connection(w)?
        .outcome
        .clone()
        .map_err(|e| e.to_string())?;
    ensure(answer.status == status, || answer.describe())
}

#[then(expr = "the connection-success request carries {string} as form data")]
async fn connection_form(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = &last_connection(w)?.request;
    ensure(
        request.header("content-type") == Some("application/x-www-form-urlencoded")
            && request.body_param(&name).is_some(),
        || {
            format!(
                "content type {:?}, body has {name}: {}",
                request.header("content-type"),
                request.body_param(&name).is_some()
            )
        },
    )
}

#[then(expr = "the connection-success request matches the snapshot {string}")]
async fn connection_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = last_connection(w)?.request.clone();
    super::snapshot::assert_snapshot(w, &name, &request)
}
