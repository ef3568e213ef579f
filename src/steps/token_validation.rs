//! Validating access tokens against the provider's JWKS (seed 003), and the
//! bad tokens the mock issues to prove each rule.

use cucumber::{given, then, when};

use super::world::{ConformanceWorld, StepResult, ensure};
use crate::checks::validation;
use crate::client::jwks;
use crate::client::validation::{ValidatedToken, ValidationError};
use crate::mock::{AccessTokenFault, SigningAlg};

#[given(regex = r"^the provider signs access tokens with (RS256|ES256)$")]
async fn signs_with(w: &mut ConformanceWorld, alg: String) -> StepResult {
    let alg = match alg.as_str() {
        "ES256" => SigningAlg::Es256,
        _ => SigningAlg::Rs256,
    };
    w.mock()?.set_signing_alg(alg);
    Ok(())
}

#[given(
    regex = r"^the provider issues (an unsigned access token with alg none|an access token signed HS256 with its public key|an access token with an unknown key id|an access token for another audience|an access token from another issuer|an expired access token|an access token that is not yet valid|an access token with a tampered payload)$"
)]
async fn issues_bad_token(w: &mut ConformanceWorld, what: String) -> StepResult {
    let fault = match what.as_str() {
        "an unsigned access token with alg none" => AccessTokenFault::AlgNone,
        "an access token signed HS256 with its public key" => AccessTokenFault::Hs256WithPublicKey,
        "an access token with an unknown key id" => AccessTokenFault::UnknownKid,
        "an access token for another audience" => AccessTokenFault::WrongAudience,
        "an access token from another issuer" => AccessTokenFault::WrongIssuer,
        "an expired access token" => AccessTokenFault::Expired,
        "an access token that is not yet valid" => AccessTokenFault::NotYetValid,
        "an access token with a tampered payload" => AccessTokenFault::TamperedClaims,
        other => return Err(format!("no such bad token: {other}")),
    };
    w.mock()?.set_access_token_fault(Some(fault));
    Ok(())
}

#[when("the client fetches the provider's JWKS")]
async fn fetch_jwks(w: &mut ConformanceWorld) -> StepResult {
    let client = w.client()?;
    let location = client
        .profile
        .jwks
        .as_deref()
        .unwrap_or(jwks::DEFAULT_JWKS_PATH);
    let set = jwks::fetch(client, location)
        .await
        .map_err(|e| e.to_string())?;
    w.validation.jwks = Some(set);
    Ok(())
}

#[when("the client validates the access token against the provider's JWKS")]
async fn validate(w: &mut ConformanceWorld) -> StepResult {
    let validator = w.validator().await?;
    let token = w.last_token()?.access_token.clone();
    w.validation.result = Some(validator.validate(token.expose()));
    Ok(())
}

fn result(w: &ConformanceWorld) -> Result<&Result<ValidatedToken, ValidationError>, String> {
    w.validation
        .result
        .as_ref()
        .ok_or_else(|| "the access token was not validated yet".into())
}

#[then(expr = "the JWKS lists the key {string} for {string}")]
async fn jwks_lists(w: &mut ConformanceWorld, kid: String, alg: String) -> StepResult {
    let set = w
        .validation
        .jwks
        .as_ref()
        .ok_or("the JWKS was not fetched")?;
    let key = set
        .find(&kid)
        .ok_or_else(|| format!("the JWKS has no key {kid:?}"))?;
    let declared = key.common.key_algorithm.map(|a| a.to_string());
    ensure(declared.as_deref() == Some(alg.as_str()), || {
        format!("key {kid:?} is declared for {declared:?}")
    })
}

#[then("the access token is valid")]
async fn is_valid(w: &mut ConformanceWorld) -> StepResult {
    let outcome = validation::token_validates(result(w)?);
    w.record_one(outcome)
}

#[then(expr = "it was signed with {string} by the key {string}")]
async fn signed_by(w: &mut ConformanceWorld, alg: String, kid: String) -> StepResult {
    let token = result(w)?
        .as_ref()
        .map_err(|e| format!("the token was refused: {e}"))?;
    let actual = format!("{:?}", token.alg);
    ensure(actual == alg && token.kid == kid, || {
        format!("signed with {actual} by the key {:?}", token.kid)
    })
}

#[then(expr = "the access token is refused as {string}")]
async fn refused_as(w: &mut ConformanceWorld, rule: String) -> StepResult {
    let outcome = validation::refused_for(result(w)?, &rule);
    w.record_one(outcome)
}

#[then(expr = "the refusal cites {string}")]
async fn refusal_cites(w: &mut ConformanceWorld, source: String) -> StepResult {
    let error = match result(w)? {
        Ok(_) => return Err("the token was accepted".into()),
        Err(e) => e.to_string(),
    };
    ensure(error.contains(&source), || {
        format!("the refusal does not cite {source:?}: {error}")
    })
}
