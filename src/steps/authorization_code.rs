//! The authorization code flow: login and account choice, redirect, code
//! exchange, refresh and the connection-success call (seed 001, RFC 6749 §4.1, §6).

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::CheckOutcome;
use crate::checks::{authorization, catalogue};
use crate::client::api::{BodyEncoding, connection_success_request};
use crate::client::authorize::{is_valid_verifier, s256};
use crate::client::callback::CallbackError;
use crate::client::code_flow::{AuthorizationAttempt, next_refresh_token};
use crate::client::user_agent::{Decision, UserLogin};
use crate::client::{ApiAttempt, ClientCredentials, HttpRequest, OAuthClient, Secret};
use crate::mock::MOCK_REDIRECT_URI;

#[derive(Default)]
pub struct CodeFlowState {
    pub attempts: Vec<AuthorizationAttempt>,
    /// The redirect as the client saw it (possibly tampered with by a step).
    pub redirect: Option<String>,
    pub refresh_token: Option<Secret>,
    pub previous_refresh_token: Option<Secret>,
    pub rotated: Option<bool>,
    pub second_client: Option<OAuthClient>,
    pub connection_attempts: Vec<ApiAttempt>,
}

/// The redirect URI registered for the client: the mock's fixed one, or the
/// configured one on a sandbox.
fn redirect_uri(w: &mut ConformanceWorld) -> Result<String, String> {
    if w.on_mock() {
        return Ok(MOCK_REDIRECT_URI.to_owned());
    }
    w.setting(|s| s.redirect_uri())
}

/// The test user: the mock's, or the configured one on a sandbox.
fn user(w: &mut ConformanceWorld) -> Result<UserLogin, String> {
    if !w.on_mock() {
        let (username, password) = w.setting(|s| s.user())?;
        return Ok(UserLogin { username, password });
    }
    let user = w
        .mock()?
        .user()
        .ok_or("the mock has no user: the profile has no authorization code flow")?;
    Ok(UserLogin {
        username: user.username,
        password: Secret::new(user.password),
    })
}

fn default_scope(w: &ConformanceWorld) -> Result<String, String> {
    Ok(w.profile()?
        .authorization_code
        .as_ref()
        .ok_or("this profile documents no authorization code flow")?
        .default_scope
        .clone())
}

async fn go_through_authorization(
    w: &mut ConformanceWorld,
    decision: Decision,
    user: UserLogin,
) -> StepResult {
    authorize_with(w, decision, user, AuthorizeVariant::AsProfile).await
}

/// How an authorization request departs from the profile's own shape.
enum AuthorizeVariant {
    AsProfile,
    /// With an S256 PKCE challenge even if the profile sends none.
    WithPkce,
    /// To a redirect URI that was never registered.
    RedirectTo(String),
}

/// Sends the user through the authorization endpoint and checks the
/// server's redirect: whatever comes back must carry the state unchanged
/// (RFC 6749 §4.1.2, §4.1.2.1), so a server that alters it is reported here
/// and not as a confusing failure further on.
async fn authorize_with(
    w: &mut ConformanceWorld,
    decision: Decision,
    user: UserLogin,
    variant: AuthorizeVariant,
) -> StepResult {
    let scope = default_scope(w)?;
    let registered = redirect_uri(w)?;
    let client = w.client()?;
    let redirect_uri = match &variant {
        AuthorizeVariant::RedirectTo(uri) => uri.clone(),
        _ => registered,
    };
    let mut request = client.authorization_request(&redirect_uri, Some(scope));
    if matches!(variant, AuthorizeVariant::WithPkce) && request.pkce.is_none() {
        request.pkce = Some(crate::client::authorize::Pkce::new());
    }
    let attempt = client.authorize(request, &user, &decision).await?;
    w.code_flow.redirect = attempt.redirect.clone().ok();
    let sent_state = attempt
        .request
        .state
        .as_ref()
        .map(|s| s.expose().to_owned());
    // Where an unregistered redirect URI led is the Then step's to judge.
    let outcome = match (&variant, &attempt.redirect) {
        (AuthorizeVariant::RedirectTo(_), _) | (_, Err(_)) => None,
        (_, Ok(location)) => Some(authorization::check_redirect(
            location,
            sent_state.as_deref(),
        )),
    };
    w.code_flow.attempts.push(attempt);
    match outcome {
        Some(o) => w.record(vec![o]),
        None => Ok(()),
    }
}

fn last_attempt(w: &ConformanceWorld) -> Result<&AuthorizationAttempt, String> {
    w.code_flow
        .attempts
        .last()
        .ok_or_else(|| "the user has not been through the authorization endpoint yet".into())
}

/// The callback as the client reads it, from the (possibly altered) redirect.
fn callback(
    w: &ConformanceWorld,
) -> Result<Result<crate::client::callback::AuthorizationCode, CallbackError>, String> {
    let attempt = last_attempt(w)?;
    let location = w
        .code_flow
        .redirect
        .clone()
        .ok_or_else(|| match &attempt.redirect {
            Err(e) => format!("the user never reached the redirect URI: {e}"),
            Ok(_) => "no redirect".to_owned(),
        })?;
    Ok(crate::client::callback::parse_callback(
        &location,
        &attempt.request.redirect_uri,
        attempt.request.state.as_ref().map(Secret::expose),
    ))
}

#[given(expr = "the user has only the {string} account")]
async fn only_account(w: &mut ConformanceWorld, account: String) -> StepResult {
    w.mock()?.set_user_accounts(vec![account]);
    Ok(())
}

#[when(expr = "the user logs in and approves access as the {string} account")]
async fn approve_as(w: &mut ConformanceWorld, account: String) -> StepResult {
    let user = user(w)?;
    go_through_authorization(
        w,
        Decision::Approve {
            account: Some(account),
        },
        user,
    )
    .await
}

#[when("the user logs in and approves access")]
async fn approve(w: &mut ConformanceWorld) -> StepResult {
    let user = user(w)?;
    go_through_authorization(w, Decision::Approve { account: None }, user).await
}

#[when("the user logs in and approves access with a PKCE challenge")]
async fn approve_with_pkce(w: &mut ConformanceWorld) -> StepResult {
    let user = user(w)?;
    authorize_with(
        w,
        Decision::Approve { account: None },
        user,
        AuthorizeVariant::WithPkce,
    )
    .await
}

#[when(expr = "the user logs in and approves access for the unregistered redirect URI {string}")]
async fn approve_unregistered(w: &mut ConformanceWorld, uri: String) -> StepResult {
    let user = user(w)?;
    authorize_with(
        w,
        Decision::Approve { account: None },
        user,
        AuthorizeVariant::RedirectTo(uri),
    )
    .await
}

#[then("the authorization server did not redirect to the unregistered redirect URI")]
async fn not_redirected_to_unregistered(w: &mut ConformanceWorld) -> StepResult {
    let attempt = last_attempt(w)?;
    let outcome = authorization::check_unregistered_redirect(
        &attempt.redirect,
        &attempt.request.redirect_uri,
    );
    w.record(vec![outcome])
}

#[when("the user logs in and denies access")]
async fn deny(w: &mut ConformanceWorld) -> StepResult {
    let user = user(w)?;
    go_through_authorization(w, Decision::Deny, user).await
}

#[when("the user logs in with a wrong password")]
async fn wrong_password(w: &mut ConformanceWorld) -> StepResult {
    let mut user = user(w)?;
    user.password = Secret::new(format!("{}-wrong", user.password.expose()));
    go_through_authorization(w, Decision::Approve { account: None }, user).await
}

#[when(expr = "the client is redirected with the state changed to {string}")]
async fn tamper_state(w: &mut ConformanceWorld, forged: String) -> StepResult {
    let location = w
        .code_flow
        .redirect
        .clone()
        .ok_or("no redirect to tamper with")?;
    let mut url = url::Url::parse(&location).map_err(|e| e.to_string())?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .map(|(k, v)| {
            if k == "state" {
                (k, forged.clone())
            } else {
                (k, v)
            }
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    w.code_flow.redirect = Some(url.to_string());
    Ok(())
}

#[when("the client is redirected without the state")]
async fn drop_state(w: &mut ConformanceWorld) -> StepResult {
    let location = w
        .code_flow
        .redirect
        .clone()
        .ok_or("no redirect to tamper with")?;
    let mut url = url::Url::parse(&location).map_err(|e| e.to_string())?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .filter(|(k, _)| k != "state")
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    w.code_flow.redirect = Some(url.to_string());
    Ok(())
}

#[then(expr = "the authorization URL has {string} = {string}")]
async fn url_param(w: &mut ConformanceWorld, name: String, value: String) -> StepResult {
    let url = &last_attempt(w)?.url;
    let got: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.into_owned())
        .collect();
    ensure(got == vec![value.clone()], || format!("{name} is {got:?}"))
}

#[then(expr = "the authorization URL has no {string}")]
async fn url_no_param(w: &mut ConformanceWorld, name: String) -> StepResult {
    let url = &last_attempt(w)?.url;
    ensure(!url.query_pairs().any(|(k, _)| k == name), || {
        format!("the URL has {name}")
    })
}

#[then(expr = "the authorization URL goes to {string}")]
async fn url_path(w: &mut ConformanceWorld, path: String) -> StepResult {
    let url = &last_attempt(w)?.url;
    ensure(url.path() == path, || {
        format!("the URL path is {}", url.path())
    })
}

#[then("the authorization URL carries the client id and the registered redirect URI")]
async fn url_client(w: &mut ConformanceWorld) -> StepResult {
    let registered = redirect_uri(w)?;
    let url = &last_attempt(w)?.url;
    let id = w.client()?.credentials.id.clone();
    let get = |n: &str| {
        url.query_pairs()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.into_owned())
    };
    ensure(
        get("client_id") == Some(id) && get("redirect_uri") == Some(registered),
        || "client_id or redirect_uri is not the registered one".into(),
    )
}

#[then("every authorization attempt had a fresh, unguessable state")]
async fn fresh_state(w: &mut ConformanceWorld) -> StepResult {
    let states: Vec<String> = w
        .code_flow
        .attempts
        .iter()
        .map(|a| {
            a.request
                .state
                .as_ref()
                .map(|s| s.expose().to_owned())
                .unwrap_or_default()
        })
        .collect();
    ensure(states.len() >= 2, || {
        "fewer than two authorization attempts".into()
    })?;
    // >= 128 bits: base64url carries 6 bits a character.
    ensure(states.iter().all(|s| s.len() * 6 >= 128), || {
        "a state is shorter than 128 bits".into()
    })?;
    let mut unique = states.clone();
    unique.sort();
    unique.dedup();
    ensure(unique.len() == states.len(), || {
        "a state value was reused".into()
    })
}

#[then("the authorization URL carries an S256 PKCE challenge of a valid verifier")]
async fn pkce(w: &mut ConformanceWorld) -> StepResult {
    let attempt = last_attempt(w)?;
    let pkce = attempt
        .request
        .pkce
        .as_ref()
        .ok_or("the request has no PKCE verifier")?;
    ensure(is_valid_verifier(pkce.verifier.expose()), || {
        "the verifier breaks RFC 7636 §4.1".into()
    })?;
    let get = |n: &str| {
        attempt
            .url
            .query_pairs()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.into_owned())
    };
    ensure(
        get("code_challenge_method").as_deref() == Some("S256"),
        || "code_challenge_method is not S256".into(),
    )?;
    ensure(
        get("code_challenge") == Some(s256(pkce.verifier.expose())),
        || "code_challenge is not BASE64URL(SHA256(verifier))".into(),
    )
}

#[then("the user is redirected to the redirect URI with a code and the same state")]
async fn redirected_with_code(w: &mut ConformanceWorld) -> StepResult {
    let got = callback(w)?.map_err(|e| e.to_string())?;
    let sent = last_attempt(w)?
        .request
        .state
        .as_ref()
        .map(|s| s.expose().to_owned());
    ensure(!got.code.is_empty() && got.state == sent, || {
        "the code is empty or the state differs".into()
    })
}

#[then(expr = "the user is redirected with error {string} and the same state")]
async fn redirected_with_error(w: &mut ConformanceWorld, error: String) -> StepResult {
    let sent = last_attempt(w)?
        .request
        .state
        .as_ref()
        .map(|s| s.expose().to_owned());
    if error == "access_denied"
        && let Some(location) = w.code_flow.redirect.clone()
    {
        w.record(vec![authorization::check_denial(&location)])?;
    }
    match callback(w)? {
        Err(CallbackError::Refused {
            error: got, state, ..
        }) => {
            ensure(got == error, || format!("error is {got}"))?;
            ensure(state == sent, || {
                "the state differs from the one sent".into()
            })
        }
        other => Err(format!("expected an error redirect, got {other:?}")),
    }
}

#[then(expr = "the authorization fails with an error naming {string}")]
async fn authorization_fails(w: &mut ConformanceWorld, needle: String) -> StepResult {
    let attempt = last_attempt(w)?;
    let message = match &attempt.redirect {
        Err(e) => e.to_string(),
        Ok(location) => format!("redirected to {}", crate::report::redact::redact(location)),
    };
    ensure(
        attempt.redirect.is_err() && message.contains(&needle),
        || format!("got: {message}"),
    )
}

#[then("the redirect is refused as a CSRF attempt and no code is exchanged")]
async fn csrf_refused(w: &mut ConformanceWorld) -> StepResult {
    let refused = matches!(
        callback(w)?,
        Err(CallbackError::StateMismatch | CallbackError::MissingState)
    );
    ensure(refused, || "the redirect was accepted".into())?;
    // The client's flow stops here: prove no token request was sent (and, on
    // the mock, that none reached the server).
    let got = match &w.mock {
        Some(mock) => mock.token_requests(),
        None => 0,
    };
    let client = w.client()?;
    let token_path = client.profile.token.path.clone();
    let sent = client
        .sent()
        .iter()
        .filter(|r| r.url.path() == token_path)
        .count();
    ensure(got == 0 && sent == 0 && w.token_attempts.is_empty(), || {
        format!("{got} token requests reached the server, {sent} were sent")
    })
}

async fn exchange(
    w: &mut ConformanceWorld,
    code: Option<String>,
    redirect_override: Option<String>,
    verifier: VerifierChoice,
) -> StepResult {
    let got = callback(w)?.map_err(|e| format!("no code to exchange: {e}"))?;
    let code = code.unwrap_or(got.code);
    let mut request = last_attempt(w)?.request.clone();
    if let Some(r) = redirect_override {
        request.redirect_uri = r;
    }
    match verifier {
        VerifierChoice::AsSent => {}
        VerifierChoice::Omitted => request.pkce = None,
        VerifierChoice::Wrong => {
            if let Some(p) = request.pkce.as_mut() {
                p.verifier = Secret::new(
                    crate::client::authorize::Pkce::new()
                        .verifier
                        .expose()
                        .to_owned(),
                );
            }
        }
    }
    let attempt = w.client()?.exchange_code(&request, &code).await;
    if let Ok(token) = &attempt.outcome {
        w.code_flow.refresh_token = token.refresh_token.clone();
    }
    w.token_attempts.push(attempt);
    Ok(())
}

enum VerifierChoice {
    AsSent,
    Omitted,
    Wrong,
}

#[when("the client exchanges the code")]
async fn exchange_code(w: &mut ConformanceWorld) -> StepResult {
    w.refusal_check = None;
    exchange(w, None, None, VerifierChoice::AsSent).await
}

#[when("the client exchanges the code again")]
async fn exchange_again(w: &mut ConformanceWorld) -> StepResult {
    w.refusal_check = Some(&catalogue::CODE_SINGLE_USE);
    exchange(w, None, None, VerifierChoice::AsSent).await
}

#[when(expr = "the client exchanges the code with the redirect URI {string}")]
async fn exchange_other_redirect(w: &mut ConformanceWorld, uri: String) -> StepResult {
    w.refusal_check = Some(&catalogue::CODE_BOUND_TO_REDIRECT_URI);
    exchange(w, None, Some(uri), VerifierChoice::AsSent).await
}

#[when("the client exchanges the code without the code verifier")]
async fn exchange_no_verifier(w: &mut ConformanceWorld) -> StepResult {
    w.refusal_check = Some(&catalogue::PKCE_VERIFIER_CHECKED);
    exchange(w, None, None, VerifierChoice::Omitted).await
}

#[when("the client exchanges the code with a wrong code verifier")]
async fn exchange_wrong_verifier(w: &mut ConformanceWorld) -> StepResult {
    w.refusal_check = Some(&catalogue::PKCE_VERIFIER_CHECKED);
    exchange(w, None, None, VerifierChoice::Wrong).await
}

#[when(expr = "the client exchanges the made-up code {string}")]
async fn exchange_made_up(w: &mut ConformanceWorld, code: String) -> StepResult {
    w.refusal_check = Some(&catalogue::CODE_UNKNOWN_REFUSED);
    exchange(w, Some(code), None, VerifierChoice::AsSent).await
}

fn second_client(w: &mut ConformanceWorld) -> Result<OAuthClient, String> {
    if let Some(c) = &w.code_flow.second_client {
        return Ok(c.clone());
    }
    let creds = if w.on_mock() {
        let creds = ClientCredentials::new(
            "second-conformance-client",
            crate::mock::token_endpoint::random_token(),
        );
        w.mock()?.register_client(&creds);
        creds
    } else {
        w.setting(|s| s.second_client())?
    };
    let client = w.client()?.clone().with_credentials(creds);
    w.code_flow.second_client = Some(client.clone());
    Ok(client)
}

#[when("a second registered client exchanges the code")]
async fn second_exchanges(w: &mut ConformanceWorld) -> StepResult {
    w.refusal_check = Some(&catalogue::CODE_BOUND_TO_CLIENT);
    let got = callback(w)?.map_err(|e| format!("no code to exchange: {e}"))?;
    let request = last_attempt(w)?.request.clone();
    let client = second_client(w)?;
    let attempt = client.exchange_code(&request, &got.code).await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[given(
    regex = r#"^the client has tokens from the authorization code flow(?: for the "([^"]+)" account)?$"#
)]
async fn has_code_tokens(w: &mut ConformanceWorld, account: String) -> StepResult {
    let user = user(w)?;
    let account = (!account.is_empty()).then_some(account);
    go_through_authorization(w, Decision::Approve { account }, user).await?;
    exchange(w, None, None, VerifierChoice::AsSent).await?;
    w.last_token().map(|_| ())
}

#[then("the token request body carries the registered redirect URI")]
async fn body_redirect_uri(w: &mut ConformanceWorld) -> StepResult {
    let registered = redirect_uri(w)?;
    let sent = w.last_token_attempt()?.request.body_param("redirect_uri");
    ensure(sent.as_deref() == Some(registered.as_str()), || {
        format!("redirect_uri is {sent:?}, the registered one is {registered:?}")
    })
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

#[given(regex = r"^the server (rotates|does not rotate) refresh tokens$")]
async fn rotation(w: &mut ConformanceWorld, mode: String) -> StepResult {
    w.mock()?.set_refresh_rotation(mode == "rotates");
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
    let attempt = w.client()?.refresh(&current).await;
    if let Ok(token) = &attempt.outcome {
        let (next, rotated) = next_refresh_token(&current, token);
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
    let attempt = w.client()?.refresh(&previous).await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[when("a second registered client refreshes with the client's refresh token")]
async fn second_refreshes(w: &mut ConformanceWorld) -> StepResult {
    w.refusal_check = Some(&catalogue::REFRESH_BOUND_TO_CLIENT);
    let current = held_refresh_token(w)?;
    let client = second_client(w)?;
    let attempt = client.refresh(&current).await;
    w.token_attempts.push(attempt);
    Ok(())
}

#[then("the refresh gave a new access token")]
async fn refresh_gave_new_token(w: &mut ConformanceWorld) -> StepResult {
    let n = w.token_attempts.len();
    let last = w.last_token_attempt()?;
    let earlier: Vec<&str> = w.token_attempts[..n - 1]
        .iter()
        .filter_map(|a| a.outcome.as_ref().ok())
        .map(|t| t.access_token.expose())
        .collect();
    let outcome = match &last.outcome {
        Ok(t) => CheckOutcome::expect(
            &catalogue::REFRESH_NEW_ACCESS_TOKEN,
            !earlier.contains(&t.access_token.expose()),
            || "the refresh answered with an access token the client already had".into(),
        ),
        Err(e) => CheckOutcome::fail(
            &catalogue::REFRESH_NEW_ACCESS_TOKEN,
            format!("the refresh gave no access token: {e}"),
        ),
    };
    w.record(vec![outcome])
}

#[then(regex = r"^the server (rotated|kept) the refresh token$")]
async fn rotated(w: &mut ConformanceWorld, what: String) -> StepResult {
    let rotated = w.code_flow.rotated.ok_or("no refresh happened")?;
    ensure(rotated == (what == "rotated"), || {
        format!("rotated: {rotated}")
    })
}

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

fn snapshot_of_url(url: &url::Url) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url: url.clone(),
        headers: Vec::new(),
        body: None,
    }
}

#[then(expr = "the authorization URL matches the snapshot {string}")]
async fn url_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = snapshot_of_url(&last_attempt(w)?.url);
    super::snapshot::assert_snapshot(w, &name, &request)
}

#[then(expr = "the connection-success request matches the snapshot {string}")]
async fn connection_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = last_connection(w)?.request.clone();
    super::snapshot::assert_snapshot(w, &name, &request)
}
