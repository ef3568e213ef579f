//! Fetching a provider's JSON Web Key Set (RFC 7517 §5), the public keys
//! a client validates JWT access tokens with (seed 003).

use jsonwebtoken::jwk::JwkSet;

use super::OAuthClient;
use super::fault::ClientFault;
use super::recording::HttpRequest;
use super::transport::TransportError;
use super::validation::JwtValidator;

/// Where providers conventionally publish their JWKS; the mock serves it there.
pub const DEFAULT_JWKS_PATH: &str = "/.well-known/jwks.json";

#[derive(Clone, Debug, thiserror::Error)]
pub enum JwksError {
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error("the JWKS at {url} is not usable ({problem}): {described}")]
    BadAnswer {
        url: String,
        problem: String,
        described: String,
    },
}

/// GETs the JWKS at `location`: a path below the client's base URL, or an
/// absolute URL.
pub async fn fetch(client: &OAuthClient, location: &str) -> Result<JwkSet, JwksError> {
    let path = location;
    let url = client
        .base_url
        .join(path)
        .map_err(|e| TransportError::Other {
            url: format!("{}{path}", client.base_url),
            detail: format!("cannot build the URL: {e}"),
        })?;
    let request = HttpRequest {
        method: "GET".into(),
        url,
        headers: vec![("accept".into(), "application/json".into())],
        body: None,
    };
    let answer = client.transport().send(&request).await?;
    let bad = |problem: &str| JwksError::BadAnswer {
        url: answer.url.to_string(),
        problem: problem.to_owned(),
        described: answer.describe(),
    };
    if answer.status != 200 {
        return Err(bad("the status is not 200"));
    }
    let set: JwkSet =
        serde_json::from_slice(&answer.body).map_err(|_| bad("not a JSON object with `keys`"))?;
    if set.keys.is_empty() {
        return Err(bad("it holds no keys"));
    }
    Ok(set)
}

/// Why no validator could be built for a provider.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ValidatorSetupError {
    #[error(transparent)]
    Jwks(#[from] JwksError),
    #[error("profile {0} names no audience to validate against (token.audience or token.resource)")]
    NoAudience(String),
}

/// A validator for the client's provider: its JWKS (where the profile says,
/// else at the conventional path), the `issuer` the tokens must come from,
/// and the audience the profile asks for.
pub async fn validator_for(
    client: &OAuthClient,
    issuer: &str,
    clock: crate::clock::Clock,
) -> Result<JwtValidator, ValidatorSetupError> {
    let profile = &client.profile;
    let set = fetch(client, profile.jwks.as_deref().unwrap_or(DEFAULT_JWKS_PATH)).await?;
    let audience = profile
        .audience()
        .ok_or_else(|| ValidatorSetupError::NoAudience(profile.name.clone()))?;
    Ok(JwtValidator::new(set, issuer, audience, clock)
        .skipping_validation(client.fault() == Some(ClientFault::SkipsTokenValidation)))
}
