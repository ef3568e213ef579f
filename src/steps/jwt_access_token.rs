//! JWT access tokens as RFC 9068 describes them, judged on the server that
//! issued the scenario's access token.

use cucumber::then;

use super::world::{ConformanceWorld, StepResult};
use crate::checks::jwt_access_token::{self, Expected};
use crate::client::jwks;
use crate::client::validation::JwtValidator;

#[then("the access token is a JWT access token as RFC 9068 describes")]
async fn rfc9068(w: &mut ConformanceWorld) -> StepResult {
    let token = w.last_token()?.access_token.clone();
    let profile = w.profile()?.clone();
    // The issuer its JWTs must name (RFC 9068 §2.2): on the mock its
    // metadata's issuer (its base URL), on a real target the profile's
    // issuer (RFC 8414's identifier).
    let issuer = match w.on_mock() {
        true => Some(w.mock()?.issuer()),
        false => profile.issuer.clone(),
    };
    let audience = profile.audience().map(str::to_owned);
    let client = w.client()?;
    let client_id = client.credentials.id.clone();
    let location = profile.jwks.as_deref().unwrap_or(jwks::DEFAULT_JWKS_PATH);
    let set = match jwks::fetch(client, location).await {
        Ok(set) => set,
        Err(e) => return Err(w.not_run(format!("the server's JWKS could not be read: {e}"))),
    };
    // The validator's signature rules only: issuer and audience are
    // judged apart, so neither is needed to build it.
    let validator = JwtValidator::new(
        set,
        issuer.clone().unwrap_or_default(),
        audience.clone().unwrap_or_default(),
        w.clock.clone(),
    );
    let validated = validator.validate(token.expose());
    let outcomes = jwt_access_token::judge(
        token.expose(),
        &validated,
        Expected {
            issuer: issuer.as_deref(),
            audience: audience.as_deref(),
            client_id: &client_id,
        },
    );
    w.record(outcomes)
}
