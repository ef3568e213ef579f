//! Checks on how the token endpoint reads parameters (RFC 6749 §3.1, §3.2):
//! it ignores the ones it does not recognise and treats one without a value
//! as omitted, so a client's harmless extra never costs it its token.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::{TokenAttempt, TokenError};

/// How a token request ended, as far as these rules care: a token, or the
/// refusal's error code (or what else went wrong).
fn ending(attempt: &TokenAttempt) -> Result<(), String> {
    match &attempt.outcome {
        Ok(_) => Ok(()),
        Err(TokenError::Refused { error, .. }) => Err(error.error.clone()),
        Err(other) => Err(other.to_string()),
    }
}

/// The request with a parameter the server does not know got its token.
pub fn unknown_param_ignored(attempt: &TokenAttempt, name: &str) -> CheckOutcome {
    CheckOutcome::expect(
        &TOKEN_IGNORES_UNKNOWN_PARAMS,
        attempt.outcome.is_ok(),
        || match ending(attempt) {
            Err(why) => format!("the request with the unknown parameter {name} was refused: {why}"),
            Ok(()) => String::new(),
        },
    )
}

/// A request with an empty `scope` ended as the same request without it.
pub fn empty_param_omitted(without: &TokenAttempt, empty: &TokenAttempt) -> CheckOutcome {
    let (plain, with_empty) = (ending(without), ending(empty));
    CheckOutcome::expect(&TOKEN_EMPTY_PARAM_OMITTED, plain == with_empty, || {
        let say = |e: &Result<(), String>| match e {
            Ok(()) => "a token".to_owned(),
            Err(why) => format!("a refusal ({why})"),
        };
        format!(
            "without scope the request got {}, with an empty scope {}",
            say(&plain),
            say(&with_empty)
        )
    })
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
        assert!(!unknown_param_ignored(&token(), "x").failed());
        assert!(unknown_param_ignored(&refused("invalid_request"), "x").failed());
    }

    #[test]
    fn an_empty_parameter_is_answered_as_an_omitted_one() {
        assert!(!empty_param_omitted(&token(), &token()).failed());
        assert!(!empty_param_omitted(&refused("invalid_scope"), &refused("invalid_scope")).failed());
        assert!(empty_param_omitted(&token(), &refused("invalid_scope")).failed());
        assert!(empty_param_omitted(&refused("invalid_scope"), &token()).failed());
    }
}
