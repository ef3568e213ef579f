//! Validating a JWT access token against the provider's JWKS before use.
//!
//! Seed 003: "Validate tokens before using them." A token is accepted only
//! when every rule holds, checked in this order so the reason given is the
//! most fundamental one:
//!
//! 1. it is a JWT at all (RFC 7519 §7.2);
//! 2. it is signed: `alg: none` is refused (RFC 8725 §3.1);
//! 3. its algorithm is an asymmetric one we accept, never an HMAC one: a
//!    verifier that lets the token pick HS256 can be fed a token "signed"
//!    with the provider's public key (key confusion, RFC 8725 §2.1, §3.1);
//! 4. its `kid` names a key of the JWKS (RFC 7515 §4.1.4), and that key's
//!    type and `alg` fit the token's algorithm (RFC 8725 §3.1);
//! 5. the signature verifies (RFC 7515 §5.2);
//! 6. `iss` is the provider (RFC 7519 §4.1.1) and `aud` holds the audience
//!    the client asked for (RFC 7519 §4.1.3);
//! 7. `exp` is present (RFC 9068 §2.2) and not past, `nbf` (if present) not
//!    in the future (RFC 7519 §4.1.4, §4.1.5), each give or take a small
//!    leeway for clock skew.
//!
//! jsonwebtoken verifies the signature; the time rules are checked here
//! against the injected [`Clock`] (jsonwebtoken would read the system time,
//! which virtual-time scenarios do not move).

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};

use crate::clock::Clock;

/// Clock skew tolerated on `exp` and `nbf`: small, since every second of
/// leeway is a second an expired token still works.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Asymmetric algorithms accepted for access tokens. HMAC is never accepted:
/// a client holds no shared secret with the provider, so an HS* token can
/// only be a forgery or a key confusion attempt.
pub const ACCEPTED_ALGORITHMS: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
];

type Claims = serde_json::Map<String, serde_json::Value>;

/// What a validator expects of a provider's access tokens.
#[derive(Clone, Debug)]
pub struct JwtValidator {
    pub jwks: JwkSet,
    /// The provider's issuer identifier, compared exactly.
    pub issuer: String,
    /// The audience the client requested (seed 003's `audience`).
    pub audience: String,
    pub clock: Clock,
    pub leeway: Duration,
    /// Set only by a fault proof (`ClientFault::SkipsTokenValidation`):
    /// every token is accepted unchecked.
    skips_validation: bool,
}

/// A token that passed every rule.
#[derive(Clone, Debug)]
pub struct ValidatedToken {
    pub alg: Algorithm,
    pub kid: String,
    pub claims: Claims,
}

/// Why a token was refused: one variant per rule, each naming its source.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    #[error("not a JWT: {0} (RFC 7519 §7.2)")]
    Malformed(String),
    #[error(
        "alg none: the access token is unsigned, and unsigned tokens are never accepted (RFC 8725 §3.1)"
    )]
    AlgNone,
    #[error(
        "key confusion: the token claims {alg}, an HMAC algorithm, for key {kid}; the provider publishes only public keys, and a verifier that used one as an HMAC secret would accept a forgery (RFC 8725 §3.1)"
    )]
    KeyConfusion { alg: String, kid: String },
    #[error(
        "unsupported algorithm {alg}: only asymmetric algorithms are accepted ({accepted}) (RFC 8725 §3.1)"
    )]
    UnsupportedAlgorithm { alg: String, accepted: String },
    #[error("no kid: the token does not say which JWKS key signed it (RFC 7515 §4.1.4)")]
    MissingKid,
    #[error(
        "unknown kid {kid:?}: the provider's JWKS has no such key (it has {known}) (RFC 7515 §4.1.4)"
    )]
    UnknownKid { kid: String, known: String },
    #[error(
        "algorithm mismatch: the token claims {alg} but key {kid:?} is for {key} (RFC 8725 §3.1)"
    )]
    KeyMismatch {
        alg: String,
        kid: String,
        key: String,
    },
    #[error(
        "bad signature: the signature does not verify with key {kid:?} ({detail}) (RFC 7515 §5.2)"
    )]
    BadSignature { kid: String, detail: String },
    #[error("wrong issuer: iss is {found}, expected {expected:?} (RFC 7519 §4.1.1)")]
    WrongIssuer { found: String, expected: String },
    #[error(
        "wrong audience: aud is {found}, expected it to include {expected:?}, the audience requested (RFC 7519 §4.1.3)"
    )]
    WrongAudience { found: String, expected: String },
    #[error("missing claim: the token has no numeric {claim} (RFC 9068 §2.2)")]
    MissingClaim { claim: &'static str },
    #[error(
        "expired: exp was {ago_s} s ago, beyond the {leeway_s} s leeway for clock skew (RFC 7519 §4.1.4)"
    )]
    Expired { ago_s: i64, leeway_s: u64 },
    #[error(
        "not yet valid: nbf is {ahead_s} s in the future, beyond the {leeway_s} s leeway for clock skew (RFC 7519 §4.1.5)"
    )]
    NotYetValid { ahead_s: i64, leeway_s: u64 },
}

impl ValidationError {
    /// A short stable name for the rule that refused the token, for steps
    /// and reports: "alg-none", "key-confusion", "unknown-kid", ...
    pub fn rule(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed",
            Self::AlgNone => "alg-none",
            Self::KeyConfusion { .. } => "key-confusion",
            Self::UnsupportedAlgorithm { .. } => "unsupported-algorithm",
            Self::MissingKid => "missing-kid",
            Self::UnknownKid { .. } => "unknown-kid",
            Self::KeyMismatch { .. } => "key-mismatch",
            Self::BadSignature { .. } => "bad-signature",
            Self::WrongIssuer { .. } => "wrong-issuer",
            Self::WrongAudience { .. } => "wrong-audience",
            Self::MissingClaim { .. } => "missing-claim",
            Self::Expired { .. } => "expired",
            Self::NotYetValid { .. } => "not-yet-valid",
        }
    }
}

impl JwtValidator {
    pub fn new(
        jwks: JwkSet,
        issuer: impl Into<String>,
        audience: impl Into<String>,
        clock: Clock,
    ) -> Self {
        Self {
            jwks,
            issuer: issuer.into(),
            audience: audience.into(),
            clock,
            leeway: DEFAULT_LEEWAY,
            skips_validation: false,
        }
    }

    /// A validator that accepts every token unchecked: only for the client
    /// of a fault proof that breaks this rule on purpose
    /// (`ClientFault::SkipsTokenValidation`).
    pub fn skipping_validation(mut self, skips: bool) -> Self {
        self.skips_validation = skips;
        self
    }

    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Applies every rule of the module documentation, in order.
    pub fn validate(&self, token: &str) -> Result<ValidatedToken, ValidationError> {
        let header = read_header(token)?;
        if self.skips_validation {
            return Ok(unchecked_token(token, &header));
        }
        let alg_name = header
            .get("alg")
            .and_then(|v| v.as_str())
            .ok_or_else(|| ValidationError::Malformed("the header has no alg".into()))?;
        if alg_name.eq_ignore_ascii_case("none") {
            return Err(ValidationError::AlgNone);
        }
        let kid = header.get("kid").and_then(|v| v.as_str());
        if alg_name.to_ascii_uppercase().starts_with("HS") {
            return Err(ValidationError::KeyConfusion {
                alg: alg_name.to_owned(),
                kid: kid.map_or_else(|| "(none)".to_owned(), |k| format!("{k:?}")),
            });
        }
        let alg = alg_name
            .parse::<Algorithm>()
            .ok()
            .filter(|a| ACCEPTED_ALGORITHMS.contains(a))
            .ok_or_else(|| ValidationError::UnsupportedAlgorithm {
                alg: alg_name.to_owned(),
                accepted: ACCEPTED_ALGORITHMS
                    .iter()
                    .map(|a| format!("{a:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let kid = kid.ok_or(ValidationError::MissingKid)?;
        let jwk = self
            .jwks
            .find(kid)
            .ok_or_else(|| ValidationError::UnknownKid {
                kid: kid.to_owned(),
                known: self.known_kids(),
            })?;
        check_key_fits(jwk, alg, kid)?;
        let claims = verify_signature(token, jwk, alg, kid)?;
        self.check_claims(&claims)?;
        Ok(ValidatedToken {
            alg,
            kid: kid.to_owned(),
            claims,
        })
    }

    fn known_kids(&self) -> String {
        let kids: Vec<String> = self
            .jwks
            .keys
            .iter()
            .filter_map(|k| k.common.key_id.as_ref().map(|kid| format!("{kid:?}")))
            .collect();
        if kids.is_empty() {
            "no keys with a kid".into()
        } else {
            kids.join(", ")
        }
    }

    fn check_claims(&self, claims: &Claims) -> Result<(), ValidationError> {
        match claims.get("iss").and_then(|v| v.as_str()) {
            Some(iss) if iss == self.issuer => {}
            other => {
                return Err(ValidationError::WrongIssuer {
                    found: shown(other),
                    expected: self.issuer.clone(),
                });
            }
        }
        // RFC 7519 §4.1.3: aud is a string or an array of strings.
        let aud = claims.get("aud");
        let has_audience = match aud {
            Some(serde_json::Value::String(a)) => *a == self.audience,
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .any(|i| i.as_str() == Some(self.audience.as_str())),
            _ => false,
        };
        if !has_audience {
            return Err(ValidationError::WrongAudience {
                found: aud.map_or_else(|| "missing".to_owned(), ToString::to_string),
                expected: self.audience.clone(),
            });
        }
        let now_ms = self.clock.now_ms();
        let leeway_ms = i64::try_from(self.leeway.as_millis()).unwrap_or(i64::MAX);
        let leeway_s = self.leeway.as_secs();
        let exp_ms =
            numeric_date_ms(claims, "exp").ok_or(ValidationError::MissingClaim { claim: "exp" })?;
        if !time_rules::before_exp(now_ms, exp_ms, leeway_ms) {
            return Err(ValidationError::Expired {
                ago_s: (now_ms - exp_ms).div_euclid(1000),
                leeway_s,
            });
        }
        if let Some(nbf_ms) = numeric_date_ms(claims, "nbf")
            && !time_rules::after_nbf(now_ms, nbf_ms, leeway_ms)
        {
            return Err(ValidationError::NotYetValid {
                ahead_s: (nbf_ms - now_ms).div_euclid(1000),
                leeway_s,
            });
        }
        Ok(())
    }
}

/// The time rules with leeway, apart so their edges can be tested.
pub mod time_rules {
    /// RFC 7519 §4.1.4: the current time MUST be before `exp`; a client
    /// clock up to `leeway_ms` ahead of the server's is forgiven.
    pub fn before_exp(now_ms: i64, exp_ms: i64, leeway_ms: i64) -> bool {
        now_ms < exp_ms.saturating_add(leeway_ms)
    }

    /// RFC 7519 §4.1.5: the current time MUST be at or after `nbf`; a
    /// client clock up to `leeway_ms` behind the server's is forgiven.
    pub fn after_nbf(now_ms: i64, nbf_ms: i64, leeway_ms: i64) -> bool {
        now_ms.saturating_add(leeway_ms) >= nbf_ms
    }
}

fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| "missing".to_owned(), |v| format!("{v:?}"))
}

/// A NumericDate claim (RFC 7519 §2: seconds, possibly fractional) in ms.
fn numeric_date_ms(claims: &Claims, name: &str) -> Option<i64> {
    let value = claims.get(name)?;
    if let Some(seconds) = value.as_i64() {
        return Some(seconds.saturating_mul(1000));
    }
    // Fractional seconds: rounding to whole ms is the precision we use.
    value.as_f64().map(|s| (s * 1000.0) as i64)
}

/// The JOSE header, read by hand: jsonwebtoken cannot even parse
/// `alg: none`, and the refusal must say that is what it was.
fn read_header(token: &str) -> Result<Claims, ValidationError> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(ValidationError::Malformed(format!(
            "{} dot-separated parts instead of 3",
            parts.len()
        )));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(parts[0].trim_end_matches('='))
        .map_err(|_| ValidationError::Malformed("the header is not base64url".into()))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| ValidationError::Malformed("the header is not a JSON object".into()))
}

/// The key's type (and declared `alg`, if any) must fit the algorithm the
/// token claims; otherwise the token is choosing how it is verified.
fn check_key_fits(jwk: &Jwk, alg: Algorithm, kid: &str) -> Result<(), ValidationError> {
    let name = format!("{alg:?}");
    let (kty_fits, kty) = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => (name.starts_with("RS") || name.starts_with("PS"), "RSA"),
        AlgorithmParameters::EllipticCurve(_) => (name.starts_with("ES"), "EC"),
        AlgorithmParameters::OctetKey(_) => (false, "symmetric (oct)"),
        AlgorithmParameters::OctetKeyPair(_) => (false, "OKP"),
        _ => (false, "unknown"),
    };
    let declared = jwk.common.key_algorithm.map(|a| a.to_string());
    let alg_fits = declared.as_deref().is_none_or(|d| d == name);
    if kty_fits && alg_fits {
        return Ok(());
    }
    Err(ValidationError::KeyMismatch {
        alg: name,
        kid: kid.to_owned(),
        key: match declared {
            Some(d) => format!("{d} ({kty} key)"),
            None => format!("an {kty} key"),
        },
    })
}

/// Verifies the signature only; the claims are checked by hand afterwards.
fn verify_signature(
    token: &str,
    jwk: &Jwk,
    alg: Algorithm,
    kid: &str,
) -> Result<Claims, ValidationError> {
    let bad = |detail: String| ValidationError::BadSignature {
        kid: kid.to_owned(),
        detail,
    };
    let key = DecodingKey::from_jwk(jwk).map_err(|e| bad(format!("unusable JWKS key: {e}")))?;
    let mut validation = Validation::new(alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Claims>(token, &key, &validation)
        .map(|data| data.claims)
        .map_err(|e| bad(e.to_string()))
}

/// What a token says of itself, believed without any check: only for a
/// client that skips validation on purpose (a fault proof).
fn unchecked_token(
    token: &str,
    header: &serde_json::Map<String, serde_json::Value>,
) -> ValidatedToken {
    let text = |name: &str| {
        header
            .get(name)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
    };
    let claims = token
        .split('.')
        .nth(1)
        .and_then(|p| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.trim_end_matches('='))
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    ValidatedToken {
        alg: text("alg")
            .parse()
            .unwrap_or(jsonwebtoken::Algorithm::RS256),
        kid: text("kid").to_owned(),
        claims,
    }
}

#[cfg(test)]
mod tests;
