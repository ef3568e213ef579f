//! Signing the mock's JWT access tokens with test-only keys, and publishing
//! the public halves as a JWKS.
//!
//! Providers of seeds 002 and 003 issue JWT access tokens; the mock issues real
//! signed ones (RS256 by default, ES256 on request; keys in `src/mock/keys/`,
//! public and test-only) so that a client reading `exp`, or validating a
//! signature against the provider's JWKS (seed 003), meets the real thing.
//! The bad tokens of the validation scenarios are built here too, the way an
//! attacker would build them.

use std::sync::LazyLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};

pub const KEY_ID: &str = "mock-rsa-1";
pub const EC_KEY_ID: &str = "mock-ec-1";
/// A key id no JWKS of the mock ever lists.
pub const UNKNOWN_KEY_ID: &str = "mock-rsa-retired";
pub const RSA_PRIVATE_PEM: &str = include_str!("keys/rsa-test-key.pem");
pub const RSA_PUBLIC_PEM: &str = include_str!("keys/rsa-test-key.pub.pem");
pub const EC_PRIVATE_PEM: &str = include_str!("keys/ec-test-key.pem");
pub const EC_PUBLIC_PEM: &str = include_str!("keys/ec-test-key.pub.pem");

/// Where the mock serves its JWKS (the conventional well-known path).
pub const JWKS_PATH: &str = "/.well-known/jwks.json";

/// The algorithm the mock signs good tokens with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SigningAlg {
    #[default]
    Rs256,
    Es256,
}

impl SigningAlg {
    fn algorithm(self) -> Algorithm {
        match self {
            Self::Rs256 => Algorithm::RS256,
            Self::Es256 => Algorithm::ES256,
        }
    }

    fn kid(self) -> &'static str {
        match self {
            Self::Rs256 => KEY_ID,
            Self::Es256 => EC_KEY_ID,
        }
    }
}

/// Why the mock could not sign a token or publish its keys. None is the
/// client's doing: the mock answers each with a 500 `server_error`, and the
/// kind says what to fix (a test key, or a token the library refused).
#[derive(Clone, Debug, thiserror::Error)]
pub enum JwtError {
    /// A test key in `src/mock/keys/` does not load.
    #[error("the test key {kid} (src/mock/keys/) does not load: {source}")]
    Key {
        kid: &'static str,
        source: jsonwebtoken::errors::Error,
    },
    /// A public test key loads but does not make a JWK.
    #[error("the public test key {kid} does not make a JWK: {source}")]
    Jwk {
        kid: &'static str,
        source: jsonwebtoken::errors::Error,
    },
    /// The key is fine but these claims could not be signed with it.
    #[error("signing a token naming kid {kid} failed: {source}")]
    Sign {
        kid: String,
        source: jsonwebtoken::errors::Error,
    },
    /// A signed token did not come out as header.payload.signature, so its
    /// payload cannot be swapped.
    #[error("the signed token does not have three parts")]
    NotThreeParts,
}

static RSA_KEY: LazyLock<Result<EncodingKey, JwtError>> = LazyLock::new(|| {
    EncodingKey::from_rsa_pem(RSA_PRIVATE_PEM.as_bytes()).map_err(|source| JwtError::Key {
        kid: KEY_ID,
        source,
    })
});
static EC_KEY: LazyLock<Result<EncodingKey, JwtError>> = LazyLock::new(|| {
    EncodingKey::from_ec_pem(EC_PRIVATE_PEM.as_bytes()).map_err(|source| JwtError::Key {
        kid: EC_KEY_ID,
        source,
    })
});
static JWKS: LazyLock<Result<JwkSet, JwtError>> = LazyLock::new(build_jwks);

fn key(alg: SigningAlg) -> Result<&'static EncodingKey, JwtError> {
    match alg {
        SigningAlg::Rs256 => RSA_KEY.as_ref(),
        SigningAlg::Es256 => EC_KEY.as_ref(),
    }
    .map_err(Clone::clone)
}

/// Encodes with jsonwebtoken; a refusal is a [`JwtError::Sign`].
fn encode(
    header: &Header,
    claims: &serde_json::Value,
    key: &EncodingKey,
) -> Result<String, JwtError> {
    jsonwebtoken::encode(header, claims, key).map_err(|source| JwtError::Sign {
        kid: header.kid.clone().unwrap_or_default(),
        source,
    })
}

fn header(alg: Algorithm, kid: &str) -> Header {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_owned());
    // RFC 9068 §2.1: JWT access tokens are typed "at+jwt".
    header.typ = Some("at+jwt".to_owned());
    header
}

/// Signs `claims` with the mock's RSA key.
pub fn sign(claims: &serde_json::Value) -> Result<String, JwtError> {
    sign_with(SigningAlg::Rs256, claims)
}

/// Signs `claims` with the key for `alg`, naming that key's `kid`.
pub fn sign_with(alg: SigningAlg, claims: &serde_json::Value) -> Result<String, JwtError> {
    sign_with_kid(alg, alg.kid(), claims)
}

/// Signs with the real key for `alg` but names `kid` in the header.
pub fn sign_with_kid(
    alg: SigningAlg,
    kid: &str,
    claims: &serde_json::Value,
) -> Result<String, JwtError> {
    encode(&header(alg.algorithm(), kid), claims, key(alg)?)
}

/// Signs with the real key for `alg`, with `typ` in the header instead of
/// RFC 9068's `at+jwt`.
pub fn sign_typed(
    alg: SigningAlg,
    typ: &str,
    claims: &serde_json::Value,
) -> Result<String, JwtError> {
    let mut header = header(alg.algorithm(), alg.kid());
    header.typ = Some(typ.to_owned());
    encode(&header, claims, key(alg)?)
}

/// An unsigned token: header `alg: none`, empty signature (RFC 7519 §6).
pub fn unsigned(claims: &serde_json::Value) -> String {
    let header = serde_json::json!({ "alg": "none", "typ": "at+jwt", "kid": KEY_ID });
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// HS256 keyed with the RSA public key PEM, naming the RSA key's `kid`: what
/// an attacker who read the JWKS can forge against a verifier that takes the
/// algorithm from the token (RFC 8725 §2.1, §3.1).
pub fn hs256_with_public_key(claims: &serde_json::Value) -> Result<String, JwtError> {
    let key = EncodingKey::from_secret(RSA_PUBLIC_PEM.as_bytes());
    encode(&header(Algorithm::HS256, KEY_ID), claims, &key)
}

/// A signed token whose payload is then swapped for `tampered` claims, so
/// the signature no longer matches.
pub fn tampered(
    alg: SigningAlg,
    claims: &serde_json::Value,
    tampered: &serde_json::Value,
) -> Result<String, JwtError> {
    let token = sign_with(alg, claims)?;
    let mut parts = token.split('.');
    let (Some(head), Some(_), Some(signature)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::NotThreeParts);
    };
    Ok(format!(
        "{head}.{}.{signature}",
        URL_SAFE_NO_PAD.encode(tampered.to_string())
    ))
}

/// The mock's JWKS (RFC 7517 §5): the public RSA and EC keys with their
/// `kid`, `alg` and `use`.
pub fn jwks() -> Result<&'static JwkSet, JwtError> {
    JWKS.as_ref().map_err(Clone::clone)
}

fn build_jwks() -> Result<JwkSet, JwtError> {
    let public = |key: Result<DecodingKey, jsonwebtoken::errors::Error>,
                  alg: Algorithm,
                  kid: &'static str,
                  key_alg: KeyAlgorithm| {
        let key = key.map_err(|source| JwtError::Key { kid, source })?;
        let mut jwk = Jwk::from_decoding_key(&key, Some(alg))
            .map_err(|source| JwtError::Jwk { kid, source })?;
        jwk.common.key_id = Some(kid.to_owned());
        jwk.common.key_algorithm = Some(key_alg);
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        Ok::<_, JwtError>(jwk)
    };
    Ok(JwkSet {
        keys: vec![
            public(
                DecodingKey::from_rsa_pem(RSA_PUBLIC_PEM.as_bytes()),
                Algorithm::RS256,
                KEY_ID,
                KeyAlgorithm::RS256,
            )?,
            public(
                DecodingKey::from_ec_pem(EC_PUBLIC_PEM.as_bytes()),
                Algorithm::ES256,
                EC_KEY_ID,
                KeyAlgorithm::ES256,
            )?,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{Validation, decode};

    #[test]
    fn signed_tokens_verify_with_the_public_key() {
        let token =
            sign(&serde_json::json!({"sub": "c", "exp": 4_000_000_000u64, "aud": "a"})).unwrap();
        let key = DecodingKey::from_rsa_pem(RSA_PUBLIC_PEM.as_bytes()).unwrap();
        let mut v = Validation::new(Algorithm::RS256);
        v.set_audience(&["a"]);
        let data = decode::<serde_json::Value>(&token, &key, &v).unwrap();
        assert_eq!(data.claims["sub"], "c");
    }

    #[test]
    fn jwks_keys_verify_tokens_of_both_algorithms() {
        let set = jwks().unwrap();
        let claims = serde_json::json!({"sub": "c", "exp": 4_000_000_000u64});
        for (alg, algorithm) in [
            (SigningAlg::Rs256, Algorithm::RS256),
            (SigningAlg::Es256, Algorithm::ES256),
        ] {
            let token = sign_with(alg, &claims).unwrap();
            let kid = jsonwebtoken::decode_header(&token).unwrap().kid.unwrap();
            let key = DecodingKey::from_jwk(set.find(&kid).unwrap()).unwrap();
            let data =
                decode::<serde_json::Value>(&token, &key, &Validation::new(algorithm)).unwrap();
            assert_eq!(data.claims["sub"], "c");
        }
        assert!(set.find(UNKNOWN_KEY_ID).is_none());
    }

    #[test]
    fn the_key_confusion_token_fools_a_naive_verifier() {
        // What makes the attack real: a verifier that uses the public key
        // PEM as an HMAC secret because the token says HS256 accepts it.
        let claims = serde_json::json!({"sub": "attacker", "exp": 4_000_000_000u64});
        let token = hs256_with_public_key(&claims).unwrap();
        let naive = DecodingKey::from_secret(RSA_PUBLIC_PEM.as_bytes());
        assert!(
            decode::<serde_json::Value>(&token, &naive, &Validation::new(Algorithm::HS256)).is_ok()
        );
    }

    #[test]
    fn unsigned_and_tampered_tokens_have_the_expected_shape() {
        let claims = serde_json::json!({"sub": "c"});
        let none = unsigned(&claims);
        assert!(none.ends_with('.'));
        assert_eq!(none.split('.').count(), 3);
        let t = tampered(SigningAlg::Rs256, &claims, &serde_json::json!({"sub": "d"})).unwrap();
        let key = DecodingKey::from_rsa_pem(RSA_PUBLIC_PEM.as_bytes()).unwrap();
        let mut v = Validation::new(Algorithm::RS256);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        assert!(decode::<serde_json::Value>(&t, &key, &v).is_err());
    }
}
