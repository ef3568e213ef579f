//! Checks on how the token endpoint reads parameters (RFC 6749 §3.1, §3.2):
//! it ignores the ones it does not recognise and treats one without a value
//! as omitted, so a client's harmless extra never costs it its token.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::{TokenAttempt, TokenError};

/// How a token request ended, as far as these rules care: a token, the
/// refusal's error code, or no usable answer at all.
fn ending(attempt: &TokenAttempt) -> Result<(), String> {
    match &attempt.outcome {
        Ok(_) => Ok(()),
        Err(TokenError::Refused { error, .. }) => Err(format!("a refusal ({})", error.error)),
        Err(_) => Err("no usable answer".into()),
    }
}

/// The same request with and without something the rule says must change
/// nothing ended the same way.
fn same_ending(
    check: &'static Check,
    without: &TokenAttempt,
    with: &TokenAttempt,
    what: &str,
) -> CheckOutcome {
    let (plain, bent) = (ending(without), ending(with));
    CheckOutcome::expect(check, plain == bent, || {
        let say = |e: &Result<(), String>| e.clone().err().unwrap_or_else(|| "a token".into());
        format!(
            "without {what} the request got {}, with it {}",
            say(&plain),
            say(&bent)
        )
    })
}

/// A request with a parameter the server does not know (`with`) ended as the
/// same request without it.
pub fn unknown_param_ignored(without: &TokenAttempt, with: &TokenAttempt) -> CheckOutcome {
    same_ending(
        &TOKEN_IGNORES_UNKNOWN_PARAMS,
        without,
        with,
        "the unknown parameter",
    )
}

/// A request with an empty `scope` ended as the same request without it.
pub fn empty_param_omitted(without: &TokenAttempt, empty: &TokenAttempt) -> CheckOutcome {
    same_ending(
        &TOKEN_EMPTY_PARAM_OMITTED,
        without,
        empty,
        "the empty scope",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::request;
    use crate::client::{OAuthError, Secret, TokenResponse};

    fn attempt(outcome: Result<TokenResponse, TokenError>) -> TokenAttempt {
        TokenAttempt {
            request: request("POST", "http://127.0.0.1:1/t", &[], None),
            misstep: None,
            answer: None,
            outcome,
        }
    }

    fn token() -> TokenAttempt {
        attempt(Ok(TokenResponse {
            access_token: Secret::new("t"),
            token_type: "Bearer".into(),
            expires_in: None,
            scope: None,
            refresh_token: None,
            raw: Default::default(),
        }))
    }

    fn refused(code: &str) -> TokenAttempt {
        let error: OAuthError =
            serde_json::from_value(serde_json::json!({ "error": code })).unwrap();
        attempt(Err(TokenError::Refused { status: 400, error }))
    }

    #[test]
    fn an_unknown_parameter_must_not_cost_the_token() {
        assert!(!unknown_param_ignored(&token(), &token()).failed());
        assert!(unknown_param_ignored(&token(), &refused("invalid_request")).failed());
        let broken = || {
            attempt(Err(TokenError::BadAnswer {
                url: "u".into(),
                problem: "p".into(),
                described: "d".into(),
            }))
        };
        // A server that answers both badly is judged by other checks.
        assert!(!unknown_param_ignored(&broken(), &broken()).failed());
    }

    #[test]
    fn an_empty_parameter_is_answered_as_an_omitted_one() {
        assert!(!empty_param_omitted(&token(), &token()).failed());
        assert!(
            !empty_param_omitted(&refused("invalid_scope"), &refused("invalid_scope")).failed()
        );
        assert!(empty_param_omitted(&token(), &refused("invalid_scope")).failed());
        assert!(empty_param_omitted(&refused("invalid_scope"), &token()).failed());
    }
}
