//! Checks on how the token endpoint reads parameters (RFC 6749 §3.1, §3.2):
//! it ignores the ones it does not recognise and treats one without a value
//! as omitted, so a client's harmless extra never costs it its token; it
//! takes the client's credentials in an HTTP Basic header whatever way the
//! guide documents (§2.3.1); and it answers a request without `scope` with
//! a default scope or `invalid_scope` (§3.3).
//!
//! Each compares a request that got a token with the same request bent:
//! the bent one must get a token too. Where the plain request got none, or
//! either got no usable answer (no answer at all, 429, a 5xx), there is
//! nothing to compare: no verdict, and the scenario is not run.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::{TokenAttempt, TokenError};

/// How a token request ended, as far as these rules care: a token
/// (`Ok(None)`), an answer that is no token (`Ok(Some(what))`), or no
/// usable answer (`Err`: no verdict).
fn ending(attempt: &TokenAttempt) -> Result<Option<String>, String> {
    match &attempt.outcome {
        Ok(_) => Ok(None),
        Err(TokenError::Refused { status, error }) if *status == 429 || *status >= 500 => Err(
            format!("the token endpoint answered {status} ({})", error.error),
        ),
        Err(TokenError::Refused { error, .. }) => Ok(Some(format!("a refusal ({})", error.error))),
        Err(e @ TokenError::BadAnswer { .. }) => Ok(Some(e.to_string())),
        Err(e @ TokenError::Transport(_)) => Err(e.to_string()),
    }
}

/// The request `with` something the rule says must change nothing got a
/// token, as the same request `without` it did. `Err`: no verdict.
fn same_ending(
    check: &'static Check,
    without: &TokenAttempt,
    with: &TokenAttempt,
    what: &str,
) -> Result<CheckOutcome, String> {
    let no_verdict = |e: String| format!("no verdict on {}: {e}", check.id);
    match ending(without).map_err(&no_verdict)? {
        None => {}
        Some(got) => {
            return Err(no_verdict(format!(
                "the request without {what} got {got}, so there is no token to compare with"
            )));
        }
    }
    let bent = ending(with).map_err(&no_verdict)?;
    Ok(CheckOutcome::expect(check, bent.is_none(), || {
        format!(
            "without {what} the request got a token, with it {}",
            bent.unwrap_or_default()
        )
    }))
}

/// A request with a parameter the server does not know (`with`) got a
/// token, as the same request without it did.
pub fn unknown_param_ignored(
    without: &TokenAttempt,
    with: &TokenAttempt,
) -> Result<CheckOutcome, String> {
    same_ending(
        &TOKEN_IGNORES_UNKNOWN_PARAMS,
        without,
        with,
        "the unknown parameter",
    )
}

/// A request with an empty `scope` got a token, as the same request
/// without it did.
pub fn empty_param_omitted(
    without: &TokenAttempt,
    empty: &TokenAttempt,
) -> Result<CheckOutcome, String> {
    same_ending(
        &TOKEN_EMPTY_PARAM_OMITTED,
        without,
        empty,
        "the empty scope",
    )
}

/// RFC 6749 §2.3.1: the same request authenticated with HTTP Basic
/// (`basic`) got a token, as the one authenticated the documented way
/// (`plain`) did. `Err`: no verdict.
pub fn basic_supported(plain: &TokenAttempt, basic: &TokenAttempt) -> Result<CheckOutcome, String> {
    same_ending(
        &TOKEN_SUPPORTS_BASIC,
        plain,
        basic,
        "HTTP Basic (authenticated the documented way)",
    )
}

/// RFC 6749 §3.3: a request without `scope` is processed with a default
/// (any 2xx: the token's own form is §5.1's to judge) or failed with
/// `invalid_scope` (whatever its status: that is §5.2's to judge). Any other
/// refusal fails, a 5xx among them. A 429 or 503 (the server is busy, not
/// judging the request), no answer, or a 4xx whose code cannot be read (its
/// form is §5.2's to judge) is no verdict (`Err`).
pub fn omitted_scope_answered(attempt: &TokenAttempt) -> Result<CheckOutcome, String> {
    let check = &TOKEN_OMITTED_SCOPE;
    let no_verdict = |why: String| Err(format!("no verdict on {}: {why}", check.id));
    let status = attempt.answer.as_ref().map(|a| a.status);
    let problem = match (&attempt.outcome, status) {
        (Ok(_), _) => None,
        (_, Some(429 | 503)) => {
            return no_verdict(format!(
                "the token endpoint answered {}",
                status.unwrap_or_default()
            ));
        }
        (Err(TokenError::Refused { error, .. }), _) if error.error == "invalid_scope" => None,
        (Err(TokenError::Refused { status, error }), _) => Some(format!(
            "the request without scope was refused with {status} {}: RFC 6749 §3.3 allows a default scope or invalid_scope",
            error.error
        )),
        (Err(TokenError::BadAnswer { .. }), Some(200..=299)) => None,
        (Err(e @ TokenError::BadAnswer { .. }), Some(500..)) => Some(format!(
            "the request without scope got neither a token nor invalid_scope: {e}"
        )),
        (Err(e), _) => return no_verdict(e.to_string()),
    };
    Ok(CheckOutcome::expect(check, problem.is_none(), || {
        problem.unwrap_or_default()
    }))
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

    fn no_answer() -> TokenAttempt {
        let e = crate::client::TransportError::Timeout {
            url: "http://127.0.0.1:1/t".into(),
            limit: std::time::Duration::from_secs(1),
        };
        attempt(Err(TokenError::Transport(e)))
    }

    fn refused_with(status: u16, code: &str) -> TokenAttempt {
        let error: OAuthError =
            serde_json::from_value(serde_json::json!({ "error": code })).unwrap();
        attempt(Err(TokenError::Refused { status, error }))
    }

    #[test]
    fn an_unknown_parameter_must_not_cost_the_token() {
        assert!(!unknown_param_ignored(&token(), &token()).unwrap().failed());
        let refused = unknown_param_ignored(&token(), &refused("invalid_request")).unwrap();
        assert!(refused.failed() && refused.describe().contains("invalid_request"));
        let broken = attempt(Err(TokenError::BadAnswer {
            url: "u".into(),
            problem: "p".into(),
            described: "d".into(),
        }));
        assert!(unknown_param_ignored(&token(), &broken).unwrap().failed());
    }

    #[test]
    fn no_answer_or_no_token_to_compare_with_is_no_verdict() {
        for check in [unknown_param_ignored, empty_param_omitted] {
            assert!(check(&token(), &no_answer()).is_err());
            assert!(check(&no_answer(), &token()).is_err());
            assert!(check(&no_answer(), &no_answer()).is_err());
            // Both refused alike: no token to compare with, not a pass.
            let why = check(
                &refused("unauthorized_client"),
                &refused("unauthorized_client"),
            );
            assert!(why.unwrap_err().contains("no token to compare with"));
            // Rate limited or failing: the server said nothing about the rule.
            assert!(check(&token(), &refused_with(429, "slow_down")).is_err());
            assert!(check(&token(), &refused_with(503, "temporarily_unavailable")).is_err());
            assert!(
                check(&token(), &refused_with(400, "invalid_request"))
                    .unwrap()
                    .failed()
            );
        }
    }

    #[test]
    fn an_empty_parameter_is_answered_as_an_omitted_one() {
        assert!(!empty_param_omitted(&token(), &token()).unwrap().failed());
        assert!(
            empty_param_omitted(&token(), &refused("invalid_scope"))
                .unwrap()
                .failed()
        );
        assert!(empty_param_omitted(&refused("invalid_scope"), &token()).is_err());
    }
    #[test]
    fn basic_must_get_the_token_the_documented_way_got() {
        assert!(!basic_supported(&token(), &token()).unwrap().failed());
        let outcome = basic_supported(&token(), &refused_with(401, "invalid_client")).unwrap();
        assert!(outcome.failed() && outcome.describe().contains("invalid_client"));
        assert_eq!(outcome.check.id, "token-endpoint-supports-basic");
        assert!(basic_supported(&refused("invalid_scope"), &token()).is_err());
        assert!(basic_supported(&token(), &no_answer()).is_err());
    }

    #[test]
    fn an_omitted_scope_gets_a_default_or_invalid_scope_and_nothing_else() {
        use crate::checks::test_support::{JSON, answer, attempt as answered};
        let with = |status: u16, content_type: &str, body: &str| {
            answered(
                None,
                Some(answer(status, &[("content-type", content_type)], body)),
            )
        };
        let code =
            |status: u16, code: &str| with(status, JSON.1, &format!(r#"{{"error":"{code}"}}"#));
        assert!(!omitted_scope_answered(&token()).unwrap().failed());
        // invalid_scope passes whatever its status (§5.2 judges that).
        for status in [400, 500] {
            let outcome = omitted_scope_answered(&code(status, "invalid_scope")).unwrap();
            assert!(!outcome.failed(), "{status}");
        }
        // A 2xx is processed, whatever its form (§5.1 judges that).
        let no_token = with(201, JSON.1, r#"{"token_type":"Bearer"}"#);
        assert!(!omitted_scope_answered(&no_token).unwrap().failed());
        for broken in [
            code(400, "invalid_request"),
            code(400, "invalid_grant"),
            code(500, "server_error"),
            with(502, "text/html", "<h1>Bad Gateway</h1>"),
        ] {
            let outcome = omitted_scope_answered(&broken).unwrap();
            assert!(outcome.failed(), "{outcome:?}");
            assert_eq!(outcome.check.id, "token-endpoint-omitted-scope");
        }
        for busy in [
            code(429, "slow_down"),
            code(503, "temporarily_unavailable"),
            with(400, "text/html", "<p>invalid_scope</p>"),
            no_answer(),
        ] {
            assert!(omitted_scope_answered(&busy).is_err(), "{:?}", busy.answer);
        }
    }
}
