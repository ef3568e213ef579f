//! Checks on how the token endpoint reads parameters (RFC 6749 §3.1, §3.2):
//! it ignores the ones it does not recognise and treats one without a value
//! as omitted, so a client's harmless extra never costs it its token; it
//! takes the client's credentials in an HTTP Basic header whatever way the
//! guide documents (§2.3.1); and it answers a request without `scope` with
//! a default scope or `invalid_scope` (§3.3).
//!
//! Each compares a request that got a token with the same request bent:
//! the bent one must get a token too. Where the plain request got none,
//! there is nothing to compare: the checks that needed it are not run,
//! naming the refusal (the plain request's own checks judge it). Any answer
//! to the bent request is a verdict, but a 429 or 503 (the server declined
//! to judge it now) and no answer at all: those are not run.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::{TokenAttempt, TokenError};

/// How a token request ended, as far as these rules care: a token
/// (`Ok(None)`), a definite answer that is no token (`Ok(Some(what))`: a
/// refusal, an error page, an empty body, a 5xx), or no judgement of the
/// request at all (`Err`: no answer, or 429 / 503).
fn ending(attempt: &TokenAttempt) -> Result<Option<String>, String> {
    let status = answered_status(attempt);
    match (&attempt.outcome, status) {
        (Ok(_), _) => Ok(None),
        (Err(_), Some(status @ (429 | 503))) => Err(format!(
            "the token endpoint answered {status}: it did not judge the request (try again later)"
        )),
        (Err(TokenError::Refused { status, error }), _) => {
            Ok(Some(format!("a refusal ({status} error={})", error.error)))
        }
        (Err(e @ TokenError::BadAnswer { .. }), _) => Ok(Some(e.to_string())),
        (Err(e @ TokenError::Transport(_)), _) => Err(e.to_string()),
    }
}

/// The HTTP status the token endpoint answered with, if it answered.
fn answered_status(attempt: &TokenAttempt) -> Option<u16> {
    match (&attempt.answer, &attempt.outcome) {
        (Some(answer), _) => Some(answer.status),
        (None, Err(TokenError::Refused { status, .. })) => Some(*status),
        (None, _) => None,
    }
}

/// The request `with` something the rule says must change nothing got a
/// token, as the same request `without` it did. The premise is the token
/// for the request without it: when that request got none, the check is
/// not run, naming what it got.
fn same_ending(
    check: &'static Check,
    without: &TokenAttempt,
    with: &TokenAttempt,
    what: &str,
) -> CheckOutcome {
    let not_run =
        |e: String| CheckOutcome::not_run(check, format!("no verdict on {}: {e}", check.id));
    match ending(without) {
        Ok(None) => {}
        Ok(Some(got)) => {
            let judge = super::token_response::refusal_judged_by(without);
            return not_run(format!(
                "the request without {what} got {got}, so there is no token to compare with; that refusal is judged once, by {} ({})",
                judge.id, judge.source
            ));
        }
        Err(e) => return not_run(format!("the request without {what}: {e}")),
    }
    match ending(with) {
        Ok(bent) => CheckOutcome::expect(check, bent.is_none(), || {
            format!(
                "without {what} the request got a token, with it {}",
                bent.unwrap_or_default()
            )
        }),
        Err(e) => not_run(format!("the request with {what}: {e}")),
    }
}

/// A request with a parameter the server does not know (`with`) got a
/// token, as the same request without it did.
pub fn unknown_param_ignored(without: &TokenAttempt, with: &TokenAttempt) -> CheckOutcome {
    same_ending(
        &TOKEN_IGNORES_UNKNOWN_PARAMS,
        without,
        with,
        "the unknown parameter",
    )
}

/// A request with an empty `scope` got a token, as the same request
/// without it did.
pub fn empty_param_omitted(without: &TokenAttempt, empty: &TokenAttempt) -> CheckOutcome {
    same_ending(
        &TOKEN_EMPTY_PARAM_OMITTED,
        without,
        empty,
        "the empty scope",
    )
}

/// RFC 6749 §2.3.1: the same request authenticated with HTTP Basic
/// (`basic`) got a token, as the one authenticated the documented way
/// (`plain`) did. A not-run outcome: no verdict.
pub fn basic_supported(plain: &TokenAttempt, basic: &TokenAttempt) -> CheckOutcome {
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
/// answer fails: another error code, a 5xx, a 403 with an empty body, any
/// other status with an answer that is no OAuth error (neither a default
/// scope nor `invalid_scope`). A 400 whose body is no OAuth error is not
/// run (its code cannot be read; error-response-json judges its form), as
/// are a 429 or 503 (the server declined to judge the request now) and no
/// answer at all.
pub fn omitted_scope_answered(attempt: &TokenAttempt) -> CheckOutcome {
    let check = &TOKEN_OMITTED_SCOPE;
    let status = answered_status(attempt);
    let problem = match (&attempt.outcome, status) {
        (Ok(_), _) => None,
        (Err(_), Some(429 | 503)) | (Err(TokenError::Transport(_)), _) => {
            let why = match status {
                Some(s) => format!("the token endpoint answered {s}: it did not judge the request"),
                None => attempt
                    .outcome
                    .as_ref()
                    .err()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            };
            return CheckOutcome::not_run(check, format!("no verdict on {}: {why}", check.id));
        }
        (Err(TokenError::Refused { error, .. }), _) if error.error == "invalid_scope" => None,
        (Err(TokenError::Refused { status, error }), _) => Some(format!(
            "the request without scope was refused with {status} error={}: RFC 6749 §3.3 allows a default scope or invalid_scope",
            error.error
        )),
        (Err(TokenError::BadAnswer { .. }), Some(200..=299)) => None,
        // A 400 is the status §5.2 gives invalid_scope; with a body that is
        // no OAuth error its code cannot be read, and its form is
        // error-response-json's to judge (one failure, one cause).
        (Err(e @ TokenError::BadAnswer { .. }), Some(400)) => {
            return CheckOutcome::not_run(
                check,
                format!(
                    "no verdict on {}: the request without scope got a 400 whose error code cannot be read (error-response-json judges its form): {e}",
                    check.id
                ),
            );
        }
        (Err(e), _) => Some(format!(
            "the request without scope got neither a token nor an invalid_scope error (RFC 6749 §3.3: the server MUST use a default scope or fail the request as invalid): {e}"
        )),
    };
    CheckOutcome::expect(check, problem.is_none(), || problem.unwrap_or_default())
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
        assert!(!unknown_param_ignored(&token(), &token()).failed());
        let refused = unknown_param_ignored(&token(), &refused("invalid_request"));
        assert!(refused.failed() && refused.describe().contains("invalid_request"));
        let broken = attempt(Err(TokenError::BadAnswer {
            url: "u".into(),
            problem: "p".into(),
            described: "d".into(),
        }));
        assert!(unknown_param_ignored(&token(), &broken).failed());
    }

    #[test]
    fn no_answer_or_no_token_to_compare_with_is_no_verdict() {
        for check in [unknown_param_ignored, empty_param_omitted] {
            assert!(check(&token(), &no_answer()).is_not_run());
            assert!(check(&no_answer(), &token()).is_not_run());
            assert!(check(&no_answer(), &no_answer()).is_not_run());
            // Both refused alike: no token to compare with, not a pass.
            let why = check(
                &refused("unauthorized_client"),
                &refused("unauthorized_client"),
            );
            assert!(
                why.detail()
                    .unwrap_or_default()
                    .contains("no token to compare with")
            );
            // Rate limited or failing: the server said nothing about the rule.
            assert!(check(&token(), &refused_with(429, "slow_down")).is_not_run());
            assert!(check(&token(), &refused_with(503, "temporarily_unavailable")).is_not_run());
            // A server that fails on the bent request answered it: a failure.
            assert!(check(&token(), &refused_with(500, "server_error")).failed());
            assert!(check(&token(), &refused_with(400, "invalid_request")).failed());
        }
    }

    #[test]
    fn an_empty_parameter_is_answered_as_an_omitted_one() {
        assert!(!empty_param_omitted(&token(), &token()).failed());
        assert!(empty_param_omitted(&token(), &refused("invalid_scope")).failed());
        assert!(empty_param_omitted(&refused("invalid_scope"), &token()).is_not_run());
    }
    #[test]
    fn basic_must_get_the_token_the_documented_way_got() {
        assert!(!basic_supported(&token(), &token()).failed());
        let outcome = basic_supported(&token(), &refused_with(401, "invalid_client"));
        assert!(outcome.failed() && outcome.describe().contains("invalid_client"));
        assert_eq!(outcome.check.id, "token-endpoint-supports-basic");
        assert!(basic_supported(&refused("invalid_scope"), &token()).is_not_run());
        assert!(basic_supported(&token(), &no_answer()).is_not_run());
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
        assert!(!omitted_scope_answered(&token()).failed());
        // invalid_scope passes whatever its status (§5.2 judges that).
        for status in [400, 500] {
            let outcome = omitted_scope_answered(&code(status, "invalid_scope"));
            assert!(!outcome.failed(), "{status}");
        }
        // A 2xx is processed, whatever its form (§5.1 judges that).
        let no_token = with(201, JSON.1, r#"{"token_type":"Bearer"}"#);
        assert!(!omitted_scope_answered(&no_token).failed());
        for broken in [
            code(400, "invalid_request"),
            code(400, "invalid_grant"),
            code(500, "server_error"),
            with(502, "text/html", "<h1>Bad Gateway</h1>"),
            // A definite answer that is neither a default scope nor
            // invalid_scope: a 403 with an empty body, an HTML 401 page.
            with(403, "", ""),
            with(401, "text/html", "<p>login</p>"),
        ] {
            let outcome = omitted_scope_answered(&broken);
            assert!(outcome.failed(), "{outcome:?}");
            assert_eq!(outcome.check.id, "token-endpoint-omitted-scope");
        }
        for busy in [
            code(429, "slow_down"),
            code(503, "temporarily_unavailable"),
            // invalid_scope's status, with a body whose code cannot be read.
            with(400, "text/html", "<p>invalid_scope</p>"),
            no_answer(),
        ] {
            assert!(
                omitted_scope_answered(&busy).is_not_run(),
                "{:?}",
                busy.answer
            );
        }
    }
}
