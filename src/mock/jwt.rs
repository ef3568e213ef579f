//! Signing the mock's JWT access tokens with a test-only key.
//!
//! Providers of seeds 002 and 003 issue JWT access tokens; the mock issues real
//! signed ones (RS256, key in `src/mock/keys/`, public and test-only) so that a
//! client reading `exp`, or validating a signature, meets the real thing.

use std::sync::LazyLock;

use jsonwebtoken::{Algorithm, EncodingKey, Header};

pub const KEY_ID: &str = "mock-rsa-1";
pub const RSA_PRIVATE_PEM: &str = include_str!("keys/rsa-test-key.pem");
pub const RSA_PUBLIC_PEM: &str = include_str!("keys/rsa-test-key.pub.pem");

static SIGNING_KEY: LazyLock<Result<EncodingKey, String>> = LazyLock::new(|| {
    EncodingKey::from_rsa_pem(RSA_PRIVATE_PEM.as_bytes()).map_err(|e| e.to_string())
});

/// Signs `claims` with the mock's RSA key.
pub fn sign(claims: &serde_json::Value) -> Result<String, String> {
    let key = SIGNING_KEY.as_ref().map_err(Clone::clone)?;
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KEY_ID.to_owned());
    header.typ = Some("at+jwt".to_owned());
    jsonwebtoken::encode(&header, claims, key).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation, decode};

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
}
