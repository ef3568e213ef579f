//! Authorization requests the server must refuse, or must answer as if a
//! harmless extra were not there: an unregistered or near-miss redirect URI
//! (RFC 6749 §3.1.2.4, RFC 9700 §2.1), an unknown or missing client id
//! (§4.1.2.1), a forged approval (§10.12), an unknown parameter (§3.1), a
//! missing or unknown response type (§3.1.1). Each judges where the request
//! led; no answer, or a page the suite cannot read, is no verdict.

use cucumber::{then, when};

use super::authorization::{AuthorizeVariant, approve, authorize_with, last_attempt};
use super::world::{ConformanceWorld, StepResult};
use crate::checks::Check;
use crate::checks::authorization;
use crate::checks::catalogue::*;
use crate::checks::login::Intent;
use crate::client::authorize::new_state;
use crate::client::login::ConsentForgery;
use crate::client::near_miss::NearMiss;

#[when(expr = "the user logs in and approves access for the unregistered redirect URI {string}")]
async fn approve_unregistered(w: &mut ConformanceWorld, uri: String) -> StepResult {
    let user = w.user()?;
    authorize_with(w, approve(None), user, AuthorizeVariant::RedirectTo(uri)).await
}

#[then("the authorization server did not redirect to the unregistered redirect URI")]
async fn not_redirected_to_unregistered(w: &mut ConformanceWorld) -> StepResult {
    judge_refused(w, &AUTHZ_UNREGISTERED_REDIRECT)
}

#[when(
    expr = "the user logs in and approves access with the consent form's CSRF token {word} {word}"
)]
async fn approve_forged(w: &mut ConformanceWorld, first: String, second: String) -> StepResult {
    let words = format!("{first} {second}");
    let forgery = ConsentForgery::from_words(&words)
        .ok_or_else(|| format!("no forgery {words:?}; known: \"left out\", \"made up\""))?;
    let user = w.user()?;
    let intent = Intent::ForgeApproval(forgery);
    authorize_with(w, intent, user, AuthorizeVariant::AsProfile).await
}

#[then("the authorization server issued no code for the forged approval")]
async fn no_code_for_forged_approval(w: &mut ConformanceWorld) -> StepResult {
    w.record_one(authorization::judge_forged_consent(last_attempt(w)?))
}

/// The harness's view of the forged approval: judged without being
/// recorded, so a scenario can show what its failure says.
#[then(expr = "the forged approval check fails, naming {string}")]
async fn forged_approval_fails(w: &mut ConformanceWorld, needle: String) -> StepResult {
    fails_naming(
        &authorization::judge_forged_consent(last_attempt(w)?),
        &needle,
    )
}

/// The harness's assertion that a check judged without being recorded
/// failed, and that its failure names `needle`.
fn fails_naming(outcome: &crate::checks::CheckOutcome, needle: &str) -> StepResult {
    let said = outcome.describe();
    super::world::ensure(outcome.failed() && said.contains(needle), || {
        format!("expected a failure naming {needle:?}, got: {said}")
    })
}

#[when(expr = "the user logs in and approves access for the registered redirect URI with {string}")]
async fn approve_near_miss(w: &mut ConformanceWorld, shape: String) -> StepResult {
    let shape = NearMiss::from_words(&shape).ok_or_else(|| {
        let known: Vec<_> = NearMiss::ALL.iter().map(|n| n.words()).collect();
        format!("no near miss {shape:?}; known: {known:?}")
    })?;
    let near = match shape.apply(&w.redirect_uri()?) {
        Ok(near) => near,
        Err(why) => return Err(w.skip(why)),
    };
    let user = w.user()?;
    authorize_with(w, approve(None), user, AuthorizeVariant::RedirectTo(near)).await
}

/// Judges where a request the server had to refuse led; no verdict (not
/// run) when the suite could not tell.
fn judge_refused(w: &mut ConformanceWorld, check: &'static Check) -> StepResult {
    let attempt = last_attempt(w)?;
    w.record_one(authorization::judge_not_redirected(
        check,
        &attempt.redirect,
        &attempt.request.redirect_uri,
    ))
}

#[then("the authorization server did not redirect to the near-miss redirect URI")]
async fn not_redirected_to_near_miss(w: &mut ConformanceWorld) -> StepResult {
    judge_refused(w, &AUTHZ_REDIRECT_EXACT_MATCH)
}

/// The fragment added to the registered redirect URI.
const FRAGMENT: &str = "conformance";

#[when("the user logs in and approves access for the registered redirect URI with a fragment")]
async fn approve_with_fragment(w: &mut ConformanceWorld) -> StepResult {
    let registered = w.redirect_uri()?;
    let mut url = url::Url::parse(&registered)
        .map_err(|e| format!("the redirect URI {registered:?} is not a URL: {e}"))?;
    if url.fragment().is_some() {
        return Err(w.skip(format!(
            "the registered redirect URI {registered} has a fragment already"
        )));
    }
    url.set_fragment(Some(FRAGMENT));
    let user = w.user()?;
    let variant = AuthorizeVariant::RedirectTo(url.to_string());
    authorize_with(w, approve(None), user, variant).await
}

#[then("the authorization server did not redirect to the redirect URI with the fragment")]
async fn not_redirected_with_fragment(w: &mut ConformanceWorld) -> StepResult {
    judge_refused(w, &AUTHZ_REDIRECT_FRAGMENT)
}

/// The second registered client tried to register the http redirect URI
/// (on a sandbox its registration is not the suite's main client's, whose
/// single redirect URI other checks depend on).
#[when(
    "the user logs in and approves access for the http redirect URI the second client tried to register"
)]
async fn approve_http(w: &mut ConformanceWorld) -> StepResult {
    let uri = w.http_redirect_uri()?;
    let client_id = w.second_client()?.credentials.id.clone();
    let user = w.user()?;
    let variant = AuthorizeVariant::ClientRedirectTo { client_id, uri };
    authorize_with(w, approve(None), user, variant).await
}

#[then("the authorization server did not redirect to the http redirect URI")]
async fn not_redirected_to_http(w: &mut ConformanceWorld) -> StepResult {
    judge_refused(w, &AUTHZ_HTTP_REDIRECT)
}

#[when("the user logs in and approves access for a client id the server never issued")]
async fn approve_unknown_client(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    let id = format!("never-issued-{}", new_state().expose());
    authorize_with(w, approve(None), user, AuthorizeVariant::UnknownClient(id)).await
}

#[then(
    "the authorization server did not redirect the unknown client's request to the redirect URI"
)]
async fn not_redirected_for_unknown_client(w: &mut ConformanceWorld) -> StepResult {
    judge_refused(w, &AUTHZ_UNKNOWN_CLIENT_NOT_REDIRECTED)
}

#[when("the user logs in and approves access for a request without client_id")]
async fn approve_without_client_id(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    authorize_with(w, approve(None), user, AuthorizeVariant::WithoutClientId).await
}

#[then(
    "the authorization server did not redirect the request without client_id to the redirect URI"
)]
async fn not_redirected_without_client_id(w: &mut ConformanceWorld) -> StepResult {
    judge_refused(w, &AUTHZ_MISSING_CLIENT_NOT_REDIRECTED)
}

/// A parameter no authorization endpoint knows (RFC 6749 §3.1: ignored).
const UNKNOWN_PARAM: &str = "x_conformance_extension";

#[when("the user logs in and approves access with a parameter the server does not know")]
async fn approve_unknown_param(w: &mut ConformanceWorld) -> StepResult {
    let user = w.user()?;
    let variant = AuthorizeVariant::UnknownParam(UNKNOWN_PARAM);
    authorize_with(w, approve(None), user, variant).await
}

#[then("the authorization server answered it as without the unknown parameter")]
async fn unknown_param_ignored(w: &mut ConformanceWorld) -> StepResult {
    let [.., without, with] = w.code_flow.attempts.as_slice() else {
        return Err(
            "two authorization requests are needed: one without the unknown parameter, one with it"
                .into(),
        );
    };
    w.record_one(authorization::judge_unknown_param_ignored(
        &without.redirect,
        &with.redirect,
        UNKNOWN_PARAM,
    ))
}

/// A response type no server supports (RFC 6749 §3.1.1 names "code" and
/// "token", and extensions register theirs; none would pick this one).
const UNKNOWN_RESPONSE_TYPE: &str = "x_conformance_unknown";

#[when(regex = r"^the user logs in and approves access with (no|an unknown) response_type$")]
async fn approve_bad_response_type(w: &mut ConformanceWorld, which: String) -> StepResult {
    let value = (which != "no").then(|| UNKNOWN_RESPONSE_TYPE.to_owned());
    let user = w.user()?;
    authorize_with(
        w,
        approve(None),
        user,
        AuthorizeVariant::ResponseType(value),
    )
    .await
}

/// The harness's view of the response type check on a server that answers
/// in the fragment: judged without being recorded, so the scenario can show
/// the failure says where the error came.
#[then(expr = "the response type check fails, naming {string}")]
async fn response_type_check_fails(w: &mut ConformanceWorld, needle: String) -> StepResult {
    fails_naming(
        &authorization::judge_response_type_error(last_attempt(w)?),
        &needle,
    )
}

#[then("the authorization server redirected the response type error back to the client")]
async fn response_type_error(w: &mut ConformanceWorld) -> StepResult {
    w.record_one(authorization::judge_response_type_error(last_attempt(w)?))
}
