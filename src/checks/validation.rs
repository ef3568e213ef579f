//! Checks on validating access tokens before use (seed 003): a good token
//! validates against the provider's JWKS, and a bad one is refused for the
//! rule it breaks.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::validation::{ValidatedToken, ValidationError};

/// The provider's token passed every rule of the validator.
pub fn token_validates(result: &Result<ValidatedToken, ValidationError>) -> CheckOutcome {
    match result {
        Ok(_) => CheckOutcome::pass(&ACCESS_TOKEN_VALIDATES),
        Err(e) => CheckOutcome::fail(&ACCESS_TOKEN_VALIDATES, e.to_string()),
    }
}

/// A bad token was refused, and for `rule` (see [`ValidationError::rule`]),
/// not for some other reason.
pub fn refused_for(result: &Result<ValidatedToken, ValidationError>, rule: &str) -> CheckOutcome {
    match result {
        Ok(_) => CheckOutcome::fail(
            &CLIENT_REFUSES_INVALID_TOKEN,
            format!("the token was accepted; expected a refusal for {rule}"),
        ),
        Err(e) => CheckOutcome::expect(&CLIENT_REFUSES_INVALID_TOKEN, e.rule() == rule, || {
            format!("refused for {} instead of {rule}: {e}", e.rule())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Result<ValidatedToken, ValidationError> {
        Ok(ValidatedToken {
            alg: jsonwebtoken::Algorithm::RS256,
            kid: "k".into(),
            claims: Default::default(),
        })
    }

    #[test]
    fn a_valid_token_passes_and_a_refused_one_fails() {
        assert!(!token_validates(&valid()).failed());
        assert!(token_validates(&Err(ValidationError::AlgNone)).failed());
    }

    #[test]
    fn a_refusal_counts_only_for_its_own_rule() {
        assert!(!refused_for(&Err(ValidationError::AlgNone), "alg-none").failed());
        assert!(refused_for(&Err(ValidationError::MissingKid), "alg-none").failed());
        assert!(refused_for(&valid(), "alg-none").failed());
    }
}
