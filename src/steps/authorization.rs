//! Sending the user through the authorization endpoint: login, account
//! choice, consent or denial, the redirect back, and the client's CSRF
//! defence (seed 001, RFC 6749 §4.1.1-§4.1.2.1, §10.12; RFC 7636 §4.2-4.3).

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::login::{self, Intent};
use crate::checks::{
    authorization, authorization_request, code_flow, issuer_response, repeated_params,
};
use crate::client::HttpRequest;
use crate::client::Secret;
use crate::client::authorize::Pkce;
use crate::client::callback::{self, AuthorizationCode, CallbackError};
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::login::{Decision, UserLogin};
use crate::profile::Endpoint;

/// How an authorization request departs from the profile's own shape.
pub enum AuthorizeVariant {
    AsProfile,
    /// With an S256 PKCE challenge even if the profile sends none.
    WithPkce,
    /// Without a PKCE challenge even if the profile sends one.
    WithoutPkce,
    /// To a redirect URI that was never registered.
    RedirectTo(String),
    /// For another registered client (its id), to this redirect URI.
    ClientRedirectTo {
        client_id: String,
        uri: String,
    },
    /// For a client id the server never issued.
    UnknownClient(String),
    /// Without a client_id.
    WithoutClientId,
    /// With response_type left out (`None`) or set to one no server knows.
    ResponseType(Option<String>),
    /// With a parameter no server knows.
    UnknownParam(&'static str),
    /// With an S256 challenge, but this code_challenge_method.
    ChallengeMethod(String),
    /// Asking for this scope instead of the profile's.
    Scope(String),
}

impl AuthorizeVariant {
    /// A request the server must refuse: where it led is the Then step's to
    /// judge, a page the driver could not read included.
    /// The rule a request of this variant breaks on purpose, if any: what
    /// it is marked with for `serve` (see `client::wire_mark`).
    fn probe(&self) -> Option<&'static str> {
        match self {
            Self::WithoutPkce => Some("no PKCE challenge, whatever the profile says"),
            Self::RedirectTo(_) => Some("an unregistered redirect_uri"),
            Self::UnknownClient(_) => Some("a client_id the server never issued"),
            Self::WithoutClientId => Some("no client_id"),
            Self::ResponseType(_) => Some("no or an unknown response_type"),
            Self::ChallengeMethod(m) if m != "S256" => {
                Some("a code_challenge_method other than S256")
            }
            _ => None,
        }
    }

    fn must_be_refused(&self) -> bool {
        matches!(
            self,
            Self::RedirectTo(_)
                | Self::ClientRedirectTo { .. }
                | Self::UnknownClient(_)
                | Self::WithoutClientId
        )
    }
}

/// The scope the profile's authorization requests ask for; `None` when it
/// names none: then they carry no scope (RFC 6749 §4.1.1: OPTIONAL).
fn default_scope(w: &ConformanceWorld) -> Result<Option<String>, String> {
    Ok(w.profile()?
        .authorization_code
        .as_ref()
        .ok_or("this profile documents no authorization code flow")?
        .default_scope
        .clone())
}

/// Sends the user through the authorization endpoint to do what `intent`
/// says, and keeps the attempt; judges nothing.
pub async fn attempt(
    w: &mut ConformanceWorld,
    intent: Intent,
    user: UserLogin,
    variant: AuthorizeVariant,
) -> StepResult {
    let scope = default_scope(w)?;
    let redirect_uri = match &variant {
        AuthorizeVariant::RedirectTo(uri) | AuthorizeVariant::ClientRedirectTo { uri, .. } => {
            uri.clone()
        }
        _ => w.redirect_uri()?,
    };
    let probing;
    let client = match variant.probe() {
        Some(what) => {
            let client = w.client()?;
            probing = client
                .clone()
                .with_transport(client.transport().probing(what));
            &probing
        }
        None => w.client()?,
    };
    let mut request = client.authorization_request(&redirect_uri, scope);
    match variant {
        AuthorizeVariant::WithPkce if request.pkce.is_none() => request.pkce = Some(Pkce::new()),
        AuthorizeVariant::WithoutPkce => request.pkce = None,
        AuthorizeVariant::UnknownClient(id)
        | AuthorizeVariant::ClientRedirectTo { client_id: id, .. } => request.client_id = id,
        AuthorizeVariant::WithoutClientId => {
            request.departures = vec![("client_id".into(), None)];
        }
        AuthorizeVariant::ResponseType(value) => {
            request.departures = vec![("response_type".into(), value)];
        }
        AuthorizeVariant::UnknownParam(name) => {
            request.departures = vec![(name.into(), Some("1".into()))];
        }
        AuthorizeVariant::ChallengeMethod(method) => {
            request.pkce.get_or_insert_with(Pkce::new);
            request.departures = vec![("code_challenge_method".into(), Some(method))];
        }
        AuthorizeVariant::Scope(scope) => request.scope = Some(scope),
        _ => {}
    }
    let decision = match &intent {
        Intent::Approve { account } => Decision::Approve {
            account: account.clone(),
        },
        Intent::Deny => Decision::Deny,
        Intent::WrongPassword => Decision::WrongPassword,
        Intent::ForgeApproval(forgery) => Decision::ForgeApproval(*forgery),
    };
    let attempt = client.authorize(request, &user, &decision).await?;
    // Our own request first: what the client sent, whatever came back.
    let mut sent = authorization_request::check(&attempt);
    sent.push(repeated_params::authorization_request(&attempt));
    if attempt.request.pkce.is_some() && !attempt.request.departs_in("code_challenge_method") {
        sent.push(code_flow::s256_challenge(&attempt));
        sent.push(code_flow::verifier_syntax(&attempt));
    }
    w.record(sent)?;
    w.code_flow.redirect = attempt.redirect.clone().ok();
    w.code_flow.attempts.push(attempt);
    w.code_flow.intent = Some(intent);
    Ok(())
}

/// Sends the user through the authorization endpoint, sets the scenario
/// aside when the trip cannot serve it (see [`login::judge`]), and checks
/// the server's redirect: whatever comes back must carry the state
/// unchanged (RFC 6749 §4.1.2, §4.1.2.1), so a server that alters it is
/// reported here and not as a confusing failure further on.
pub async fn authorize_with(
    w: &mut ConformanceWorld,
    intent: Intent,
    user: UserLogin,
    variant: AuthorizeVariant,
) -> StepResult {
    let unregistered = variant.must_be_refused();
    // Without a PKCE challenge a refusal is what some scenarios look for
    // (a server that requires PKCE); elsewhere an approval must give a code.
    let needs_code = matches!(intent, Intent::Approve { .. })
        && matches!(
            variant,
            AuthorizeVariant::AsProfile | AuthorizeVariant::WithPkce
        );
    attempt(w, intent.clone(), user, variant).await?;
    let attempt = last_attempt(w)?;
    // Where an unregistered redirect URI led is the Then step's to judge,
    // a page the driver could not read included.
    if !unregistered && let Some(stop) = login::judge(attempt, &intent) {
        return Err(w.stop(stop));
    }
    if let Ok(location) = &attempt.redirect
        && needs_code
        && let Some(reason) = login::refused_approval(location)
    {
        return Err(w.not_run(reason));
    }
    // Where the response parameters go is §4.1.2's rule for response_type
    // code; a request that asks for another one is not judged on it.
    let code_flow = !attempt.request.departs_in("response_type");
    let iss = iss_promised(w);
    let issuer = w.client()?.issuer().map(str::to_owned);
    let attempt = last_attempt(w)?;
    let outcomes = match &attempt.redirect {
        Ok(location) if !unregistered => std::iter::once(authorization::check_redirect(
            location,
            attempt.request.state.as_ref().map(Secret::expose),
        ))
        .chain(authorization::check_error_charset(location))
        .chain(repeated_params::authorization_response(
            location,
            &attempt.request.redirect_uri,
        ))
        .chain(
            code_flow
                .then(|| authorization::check_response_in_query(location))
                .flatten(),
        )
        // RFC 9207 §2: judged only where the profile says the server sends it.
        .chain(iss.then(|| issuer_response::response_iss(location, issuer.as_deref(), true)))
        .collect(),
        _ => Vec::new(),
    };
    w.record(outcomes)
}

/// The user logs in and decides, on the authorization request the profile
/// describes.
pub async fn go_through_authorization(w: &mut ConformanceWorld, intent: Intent) -> StepResult {
    let user = w.user()?;
    authorize_with(w, intent, user, AuthorizeVariant::AsProfile).await
}

/// Whether the profile says the server sends `iss` in its authorization
/// responses (RFC 9207).
fn iss_promised(w: &ConformanceWorld) -> bool {
    w.profile()
        .ok()
        .and_then(|p| p.authorization_code.as_ref())
        .is_some_and(|ac| ac.iss_parameter_supported)
}

pub fn last_attempt(w: &ConformanceWorld) -> Result<&AuthorizationAttempt, String> {
    w.code_flow
        .attempts
        .last()
        .ok_or_else(|| "the user has not been through the authorization endpoint yet".into())
}

/// The callback as the client reads it, from the (possibly forged) redirect.
pub fn read_callback(
    w: &ConformanceWorld,
) -> Result<Result<AuthorizationCode, CallbackError>, String> {
    let attempt = last_attempt(w)?;
    let location = w
        .code_flow
        .redirect
        .clone()
        .ok_or_else(|| match &attempt.redirect {
            Err(e) => format!("the user never reached the redirect URI: {e}"),
            Ok(_) => "no redirect".to_owned(),
        })?;
    Ok(callback::parse_callback(
        &location,
        &attempt.request.redirect_uri,
        attempt.request.state.as_ref().map(Secret::expose),
    ))
}

fn sent_state(w: &ConformanceWorld) -> Result<Option<String>, String> {
    Ok(last_attempt(w)?
        .request
        .state
        .as_ref()
        .map(|s| s.expose().to_owned()))
}

pub(super) fn approve(account: Option<String>) -> Intent {
    Intent::Approve { account }
}

#[given(expr = "the user has only the {string} account")]
async fn only_account(w: &mut ConformanceWorld, account: String) -> StepResult {
    w.mock()?.set_user_accounts(vec![account]);
    Ok(())
}

#[when(expr = "the user logs in and approves access as the {string} account")]
async fn approve_as(w: &mut ConformanceWorld, account: String) -> StepResult {
    go_through_authorization(w, approve(Some(account))).await
}

#[when("the user logs in and approves access")]
async fn approves(w: &mut ConformanceWorld) -> StepResult {
    go_through_authorization(w, approve(None)).await
}

#[when("the user logs in and approves access with a PKCE challenge")]
async fn approve_with_pkce(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    authorize_with(w, approve(None), user, AuthorizeVariant::WithPkce).await
}

#[when("the user logs in and approves access without a PKCE challenge")]
async fn approve_without_pkce(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    authorize_with(w, approve(None), user, AuthorizeVariant::WithoutPkce).await
}

#[when("the user logs in and denies access")]
async fn deny(w: &mut ConformanceWorld) -> StepResult {
    go_through_authorization(w, Intent::Deny).await
}

/// The test user, with a password that is not theirs.
pub fn with_wrong_password(mut user: UserLogin) -> UserLogin {
    user.password = Secret::new(format!("{}-wrong", user.password.expose()));
    user
}

#[when("the user logs in with a wrong password")]
async fn wrong_password(w: &mut ConformanceWorld) -> StepResult {
    let user = with_wrong_password(w.user()?);
    authorize_with(w, Intent::WrongPassword, user, AuthorizeVariant::AsProfile).await
}

#[then("the wrong password does not get past the login page")]
async fn wrong_password_refused(w: &mut ConformanceWorld) -> StepResult {
    w.record_one(login::check_wrong_password(last_attempt(w)?))
}

#[then("the answer to the login form did not forward the password")]
async fn password_not_forwarded(w: &mut ConformanceWorld) -> StepResult {
    w.record_one(login::check_password_not_forwarded(last_attempt(w)?))
}

/// Forges the redirect the client will read: `state` set to `value`, or
/// dropped.
fn forge_state(w: &mut ConformanceWorld, value: Option<&str>) -> StepResult {
    let location = w
        .code_flow
        .redirect
        .as_deref()
        .ok_or("no redirect to tamper with")?;
    let forged = callback::with_param(location, "state", value).map_err(|e| e.to_string())?;
    w.code_flow.redirect = Some(forged);
    Ok(())
}

/// Forges the redirect the client will read: `iss` set to `value`, or
/// dropped (a mix-up: the response of another server, RFC 9207 §1).
fn forge_iss(w: &mut ConformanceWorld, value: Option<&str>) -> StepResult {
    let location = w
        .code_flow
        .redirect
        .as_deref()
        .ok_or("no redirect to tamper with")?;
    let mut url = url::Url::parse(location).map_err(|e| e.to_string())?;
    let has_iss = url.query_pairs().any(|(k, _)| k == "iss");
    let forged = match value {
        // A server that sent none: the attacker's response adds one.
        Some(v) if !has_iss => {
            url.query_pairs_mut().append_pair("iss", v);
            url.to_string()
        }
        _ => callback::with_param(location, "iss", value).map_err(|e| e.to_string())?,
    };
    w.code_flow.redirect = Some(forged);
    Ok(())
}

#[when(expr = "the client is redirected with iss changed to {string}")]
async fn tamper_iss(w: &mut ConformanceWorld, forged: String) -> StepResult {
    // The premise: a client can tell another server's iss only from the
    // issuer it knows (RFC 9207 §2.4 compares with it).
    if !w.on_mock() && w.profile()?.issuer.is_none() {
        return Err(w.skip(
            "the profile names no issuer (issuer): the client has none to compare iss with",
        ));
    }
    forge_iss(w, Some(&forged))
}

#[when("the client is redirected without iss")]
async fn drop_iss(w: &mut ConformanceWorld) -> StepResult {
    forge_iss(w, None)
}

#[when(expr = "the client is redirected with the state changed to {string}")]
async fn tamper_state(w: &mut ConformanceWorld, forged: String) -> StepResult {
    forge_state(w, Some(&forged))
}

#[when("the client is redirected without the state")]
async fn drop_state(w: &mut ConformanceWorld) -> StepResult {
    forge_state(w, None)
}

fn url_params(w: &ConformanceWorld, name: &str) -> Result<Vec<String>, String> {
    Ok(last_attempt(w)?
        .url
        .query_pairs()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .collect())
}

#[then(expr = "the authorization URL has {string} = {string}")]
async fn url_param(w: &mut ConformanceWorld, name: String, value: String) -> StepResult {
    let got = url_params(w, &name)?;
    ensure(got == vec![value.clone()], || format!("{name} is {got:?}"))
}

#[then(expr = "the authorization URL has no {string}")]
async fn url_no_param(w: &mut ConformanceWorld, name: String) -> StepResult {
    let got = url_params(w, &name)?;
    ensure(got.is_empty(), || format!("the URL has {name}"))
}

#[then(expr = "the authorization URL goes to {string}")]
async fn url_path(w: &mut ConformanceWorld, path: String) -> StepResult {
    let url = &last_attempt(w)?.url;
    ensure(url.path() == path, || {
        format!("the URL path is {}", url.path())
    })
}

#[then("the authorization URL goes to the authorization endpoint")]
async fn url_to_endpoint(w: &mut ConformanceWorld) -> StepResult {
    let url = &last_attempt(w)?.url;
    let client = w.client()?;
    ensure(client.is_at(url, Endpoint::Authorization), || {
        format!(
            "the URL goes to {}{}, not to the authorization endpoint {}",
            url.origin().ascii_serialization(),
            url.path(),
            client
                .endpoint(Endpoint::Authorization)
                .map_or_else(|e| e, |e| e.to_string())
        )
    })
}

/// The profile's scope, or no `scope` at all when the profile names none:
/// the client asks for nothing it was not told to.
#[then("the authorization URL carries the scope the profile asks for")]
async fn url_scope(w: &mut ConformanceWorld) -> StepResult {
    match default_scope(w)? {
        Some(scope) => url_param(w, "scope".into(), scope).await,
        None => url_no_param(w, "scope".into()).await,
    }
}

#[then("the authorization URL carries the client id and the registered redirect URI")]
async fn url_client(w: &mut ConformanceWorld) -> StepResult {
    let registered = w.redirect_uri()?;
    let id = w.client()?.credentials.id.clone();
    let ok = url_params(w, "client_id")? == vec![id]
        && url_params(w, "redirect_uri")? == vec![registered];
    ensure(ok, || {
        "client_id or redirect_uri is not the registered one".into()
    })
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
    w.record_one(code_flow::fresh_unguessable_states(&states))
}

#[then("every authorization request had a fresh PKCE verifier")]
async fn fresh_verifiers(w: &mut ConformanceWorld) -> StepResult {
    let verifiers: Vec<String> = w
        .code_flow
        .attempts
        .iter()
        .filter_map(|a| a.request.pkce.as_ref())
        .map(|p| p.verifier.expose().to_owned())
        .collect();
    w.record_one(crate::checks::client_security::fresh_verifiers(&verifiers))
}

#[then("the authorization URL carries an S256 PKCE challenge of a valid verifier")]
async fn pkce(w: &mut ConformanceWorld) -> StepResult {
    // Judged (and recorded) when the request was sent; this says so here.
    let attempt = last_attempt(w)?;
    for outcome in [
        code_flow::s256_challenge(attempt),
        code_flow::verifier_syntax(attempt),
    ] {
        ensure(!outcome.failed(), || format!("{:?}", outcome.verdict))?;
    }
    Ok(())
}

#[then("the user is redirected to the redirect URI with a code and the same state")]
async fn redirected_with_code(w: &mut ConformanceWorld) -> StepResult {
    let got = read_callback(w)?.map_err(|e| e.to_string())?;
    let sent = sent_state(w)?;
    ensure(!got.code.expose().is_empty() && got.state == sent, || {
        "the code is empty or the state differs".into()
    })
}

#[then("the code and the state came in the query component of the redirect URI")]
async fn response_in_query(w: &mut ConformanceWorld) -> StepResult {
    let location = match &last_attempt(w)?.redirect {
        Ok(location) => location.clone(),
        Err(e) => return Err(format!("the user never reached the redirect URI: {e}")),
    };
    let outcome = authorization::check_response_in_query(&location)
        .ok_or("the redirect carries neither a code nor an error")?;
    w.record_one(outcome)
}

#[then(expr = "the user is redirected with error {string} and the same state")]
async fn redirected_with_error(w: &mut ConformanceWorld, error: String) -> StepResult {
    let sent = sent_state(w)?;
    if error == "access_denied"
        && let Some(location) = w.code_flow.redirect.clone()
    {
        w.record_one(authorization::check_denial(&location))?;
    }
    match read_callback(w)? {
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
        Ok(location) => format!("redirected to {}", crate::redact::redact(location)),
    };
    ensure(
        attempt.redirect.is_err() && message.contains(&needle),
        || format!("got: {message}"),
    )
}

#[then("every authorization response carried iss, the issuer")]
async fn every_response_named_issuer(w: &mut ConformanceWorld) -> StepResult {
    let promised = iss_promised(w);
    let issuer = w.client()?.issuer().map(str::to_owned);
    let outcomes = w
        .code_flow
        .attempts
        .iter()
        .filter_map(|a| a.redirect.as_ref().ok())
        .map(|location| issuer_response::response_iss(location, issuer.as_deref(), promised))
        .collect();
    w.record(outcomes)
}

#[then("the redirect is refused as a mix-up and no code is exchanged")]
async fn mix_up_refused(w: &mut ConformanceWorld) -> StepResult {
    let (callback, sent, received) = forged_redirect_decision(w)?;
    w.record_one(issuer_response::mix_up_refused(&callback, sent, received))
}

#[then("the redirect is refused as a CSRF attempt and no code is exchanged")]
async fn csrf_refused(w: &mut ConformanceWorld) -> StepResult {
    let (callback, sent, received) = forged_redirect_decision(w)?;
    w.record_one(code_flow::csrf_refused(&callback, sent, received))
}

/// What the client's callback made of a redirect: a code or why it refused.
type CallbackOutcome = Result<AuthorizationCode, CallbackError>;

/// The client's own decision on the forged redirect of the last attempt,
/// with the token requests it sent and (on the mock; 0 elsewhere) those
/// that reached the server: its flow stops there, so none may have.
fn forged_redirect_decision(
    w: &ConformanceWorld,
) -> Result<(CallbackOutcome, usize, usize), String> {
    let received = w.mock.as_ref().map_or(0, |m| m.token_requests());
    let client = w.client()?;
    let sent = client
        .sent()
        .iter()
        .filter(|r| client.is_at(&r.url, Endpoint::Token))
        .count()
        + w.token_attempts.len();
    let attempt = last_attempt(w)?;
    let location = w.code_flow.redirect.clone().ok_or("no redirect")?;
    Ok((
        client.accept_callback(&location, &attempt.request),
        sent,
        received,
    ))
}

fn url_as_request(w: &ConformanceWorld) -> Result<HttpRequest, String> {
    Ok(HttpRequest {
        method: "GET".into(),
        url: last_attempt(w)?.url.clone(),
        headers: Vec::new(),
        body: None,
    })
}

#[then(expr = "the authorization URL matches the snapshot {string}")]
async fn url_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = url_as_request(w)?;
    super::snapshot::assert_snapshot(w, &name, &request)
}

#[then(expr = "the authorization URL matches the profile's snapshot {string}")]
async fn url_profile_snapshot(w: &mut ConformanceWorld, name: String) -> StepResult {
    let request = url_as_request(w)?;
    super::snapshot::assert_profile_snapshot(w, &name, &request)
}

/// The user agent follows the authorization URL (a GET, as a browser
/// following a link sends it) and on through the login, judging nothing
/// yet: the Then step says what the first answer shows.
#[when("the user agent opens the authorization URL")]
async fn opens_authorization_url(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    attempt(w, approve(None), user, AuthorizeVariant::AsProfile).await
}

#[then("the authorization endpoint served the GET request")]
async fn get_served(w: &mut ConformanceWorld) -> StepResult {
    w.record_one(crate::checks::authorization_get::judge_get_supported(
        last_attempt(w)?,
    ))
}
