//! Minting the tokens every grant hands out: access tokens (opaque or JWT,
//! as the profile documents), refresh tokens, and the §5.1 members that
//! describe them.
//!
//! The bad access tokens of the validation scenarios ([`AccessTokenFault`])
//! are minted here too, from the same claims as a good one, so each differs
//! from a good token in exactly the way its fault says.

use crate::mock::faults::{AccessTokenFault, ServerFault};
use crate::mock::http::MockResponse;
use crate::mock::jwt;
use crate::mock::state::{IssuedRefresh, IssuedToken, MockState};
use crate::mock::tokens::{random_token, refresh_lifetime_ms};
use crate::profile::TokenFormat;

/// Issues an access token and returns it with the §5.1 body.
pub(super) fn issue_access_token(
    state: &mut MockState,
    client_id: &str,
    granted: &str,
    account: Option<String>,
    organization: Option<&str>,
) -> Result<(String, serde_json::Value), MockResponse> {
    let now_ms = state.now_ms();
    let mut expires_at_ms = now_ms + real_lifetime_ms(state);
    let access_token = match state.profile.token.access_token_format {
        TokenFormat::Opaque if state.breaks(ServerFault::CommaInAccessTokens) => {
            let token = random_token();
            let (a, b) = token.split_at(token.len() / 2);
            format!("{a},{b}")
        }
        TokenFormat::Opaque => random_token(),
        TokenFormat::Jwt => {
            let mut claims = access_token_claims(state, now_ms, client_id, granted, organization);
            if let Some(AccessTokenFault::ExpDisagrees { exp_after_s }) = state.faults.access_token
            {
                let exp_after_s =
                    i64::try_from(exp_after_s).unwrap_or(documented_lifetime_s(state));
                claims["exp"] = (now_ms.div_euclid(1000) + exp_after_s).into();
                expires_at_ms = now_ms + exp_after_s * 1000;
            }
            sign_access_token(state, &mut claims).map_err(|e| {
                MockResponse::oauth_error(500, "server_error", &format!("mock could not sign: {e}"))
            })?
        }
    };
    state.tokens.insert(
        access_token.clone(),
        IssuedToken {
            client_id: client_id.to_owned(),
            scope: granted.to_owned(),
            expires_at_ms,
            account,
            revoked: false,
        },
    );
    let body = token_body(state, &access_token);
    Ok((access_token, body))
}

/// The claims of a JWT access token (RFC 9068 §2.2) as the provider issues
/// them: for the profile's audience, valid from `now_ms` for the documented
/// lifetime.
fn access_token_claims(
    state: &MockState,
    now_ms: i64,
    client_id: &str,
    granted: &str,
    organization: Option<&str>,
) -> serde_json::Value {
    // RFC 9068 §2.2: `iss` is the issuer identifier, the one its metadata
    // names (RFC 8414 §2); the same value is the audience of a token asked
    // for without one.
    let issuer = crate::mock::metadata::issuer(state);
    let audience = state
        .profile
        .audience()
        .map_or_else(|| issuer.clone(), str::to_owned);
    let now_s = now_ms.div_euclid(1000);
    let mut claims = serde_json::json!({
        "iss": issuer,
        "sub": format!("{client_id}@clients"),
        "aud": audience,
        "iat": now_s,
        "nbf": now_s,
        "exp": now_s + documented_lifetime_s(state),
        "jti": random_token(),
        "client_id": client_id,
        "scope": granted,
    });
    if let Some(org) = organization {
        claims["org_id"] = serde_json::Value::String(org.to_owned());
    }
    claims
}

/// Signs the JWT access token, or builds the bad token the scenario asked
/// for (the claims are adjusted in place for the claim faults).
fn sign_access_token(
    state: &MockState,
    claims: &mut serde_json::Value,
) -> Result<String, jwt::JwtError> {
    let alg = state.signing_alg;
    let now_s = state.now_ms().div_euclid(1000);
    // The RFC 9068 faults: each bends one rule of a good token.
    if state.breaks(ServerFault::JwtWithoutJti)
        && let Some(map) = claims.as_object_mut()
    {
        map.remove("jti");
    }
    if state.breaks(ServerFault::JwtFromAnotherIssuer) {
        claims["iss"] = "https://impostor.mock.test/".into();
    }
    if state.breaks(ServerFault::JwtForAnotherAudience) {
        claims["aud"] = "https://another-api.mock.test/".into();
    }
    let Some(fault) = state.faults.access_token else {
        if state.breaks(ServerFault::JwtTypedAsJwt) {
            return jwt::sign_typed(alg, "JWT", claims);
        }
        if state.breaks(ServerFault::JwtSignedWithUnpublishedKey) {
            return jwt::sign_with_kid(alg, jwt::UNKNOWN_KEY_ID, claims);
        }
        return jwt::sign_with(alg, claims);
    };
    match fault {
        AccessTokenFault::AlgNone => return Ok(jwt::unsigned(claims)),
        AccessTokenFault::Hs256WithPublicKey => return jwt::hs256_with_public_key(claims),
        AccessTokenFault::UnknownKid => {
            return jwt::sign_with_kid(alg, jwt::UNKNOWN_KEY_ID, claims);
        }
        AccessTokenFault::TamperedClaims => {
            let mut escalated = claims.clone();
            escalated["scope"] = "admin".into();
            return jwt::tampered(alg, claims, &escalated);
        }
        AccessTokenFault::WrongAudience => {
            claims["aud"] = "https://another-api.mock.test/".into();
        }
        AccessTokenFault::WrongIssuer => {
            claims["iss"] = "https://impostor.mock.test/".into();
        }
        AccessTokenFault::Expired => {
            claims["iat"] = (now_s - 7_200).into();
            claims["nbf"] = (now_s - 7_200).into();
            claims["exp"] = (now_s - 3_600).into();
        }
        AccessTokenFault::NotYetValid => {
            claims["nbf"] = (now_s + 3_600).into();
        }
        AccessTokenFault::ExpDisagrees { .. } => {}
    }
    jwt::sign_with(alg, claims)
}

/// Issues a refresh token for the grant whose current access token is
/// `access_token`.
pub(super) fn issue_refresh_token(
    state: &mut MockState,
    client_id: &str,
    scope: &str,
    account: Option<String>,
    access_token: &str,
) -> String {
    let token = random_token();
    // The grant the access token belongs to (a refresh keeps its grant),
    // else a new one: the code exchange's.
    let grant = state
        .grants
        .get(access_token)
        .cloned()
        .unwrap_or_else(random_token);
    state.grants.insert(access_token.to_owned(), grant.clone());
    state.grants.insert(token.clone(), grant);
    state.refresh_tokens.insert(
        token.clone(),
        IssuedRefresh {
            client_id: client_id.to_owned(),
            scope: scope.to_owned(),
            account,
            expires_at_ms: state.now_ms() + refresh_lifetime_ms(&state.profile),
            revoked: false,
            access_token: access_token.to_owned(),
        },
    );
    token
}

/// How long the mock's access tokens live when the profile documents no
/// lifetime.
const UNDOCUMENTED_LIFETIME_S: u64 = 3600;

/// The access token lifetime the profile documents, in seconds.
fn documented_lifetime_s(state: &MockState) -> i64 {
    let lifetime = state
        .profile
        .token
        .expected_lifetime_s
        .unwrap_or(UNDOCUMENTED_LIFETIME_S);
    i64::try_from(lifetime).unwrap_or(i64::MAX / 4_000)
}

/// How long an access token really works: the documented lifetime, unless
/// the server cuts it short without saying so.
pub(super) fn real_lifetime_ms(state: &MockState) -> i64 {
    if state.breaks(ServerFault::ExpiresTokensAfter30Minutes) {
        30 * 60 * 1000
    } else {
        documented_lifetime_s(state) * 1000
    }
}

/// The RFC 6749 §5.1 members that describe the access token, as the server
/// states them (a faulty server misstates one).
pub(super) fn token_body(state: &MockState, access_token: &str) -> serde_json::Value {
    // An extension member, as in RFC 6749 §5.1's example: clients ignore it.
    let mut body = serde_json::json!({
        "access_token": access_token,
        "example_parameter": "example_value",
    });
    if state.breaks(ServerFault::LeavesAccessTokenOut) {
        body = serde_json::json!({});
    }
    if !state.breaks(ServerFault::OmitsTokenType) {
        let token_type = if state.breaks(ServerFault::TokenTypeMac) {
            "mac"
        } else {
            "Bearer"
        };
        body["token_type"] = token_type.into();
    }
    let expires_in = if state.breaks(ServerFault::SaysExpiresIn7200) {
        7200
    } else {
        documented_lifetime_s(state)
    };
    body["expires_in"] = if state.breaks(ServerFault::ExpiresInAsString) {
        expires_in.to_string().into()
    } else {
        expires_in.into()
    };
    body
}
