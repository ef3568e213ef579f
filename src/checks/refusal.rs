//! What a refusal proves: the check each deliberate misstep of the client
//! tests.
//!
//! A scenario that sends a wrong secret, reuses a code or presents another
//! client's refresh token expects the server to refuse. Whether it refused at
//! all is that situation's own check (`code-single-use`, ...); the form of
//! the refusal is judged by [`super::error_response`]. The misstep travels
//! with the attempt ([`TokenAttempt::misstep`]), so a refusal is never
//! blamed on an earlier step's misstep.

use super::CheckOutcome;
use super::catalogue::*;
use crate::checks::Check;
use crate::client::{Misstep, TokenAttempt};

/// The check that a server refuses `misstep`.
pub fn check_for(misstep: Misstep) -> &'static Check {
    match misstep {
        Misstep::WrongSecret => &TOKEN_REFUSES_WRONG_SECRET,
        Misstep::TokenRequestAsGet => &TOKEN_POST_ONLY,
        Misstep::CredentialsInQuery => &TOKEN_NO_CREDENTIALS_IN_QUERY,
        Misstep::ReusedCode => &CODE_SINGLE_USE,
        Misstep::CodeOfAnotherClient => &CODE_BOUND_TO_CLIENT,
        Misstep::OtherRedirectUri => &CODE_BOUND_TO_REDIRECT_URI,
        Misstep::VerifierOmitted | Misstep::WrongVerifier => &PKCE_VERIFIER_CHECKED,
        Misstep::MadeUpCode => &CODE_UNKNOWN_REFUSED,
        Misstep::RefreshTokenOfAnotherClient => &REFRESH_BOUND_TO_CLIENT,
        Misstep::RedirectUriOmitted => &CODE_REDIRECT_URI_REQUIRED,
        Misstep::CodeWithoutSecret => &CODE_REQUIRES_CLIENT_AUTH,
        Misstep::VerifierWithoutChallenge => &PKCE_DOWNGRADE_REFUSED,
        Misstep::ChallengeAsVerifier => &PKCE_METHOD_ENFORCED,
        Misstep::RefreshWithoutSecret => &REFRESH_REQUIRES_CLIENT_AUTH,
        Misstep::WiderScopeOnRefresh => &REFRESH_SCOPE_NOT_WIDENED,
        Misstep::MadeUpRefreshToken => &REFRESH_UNKNOWN_REFUSED,
        Misstep::NoClientAuthentication => &TOKEN_REFUSES_UNAUTHENTICATED,
        Misstep::UnregisteredGrant => &ERR_CODE_UNAUTHORIZED_CLIENT,
        Misstep::ExpiredCode => &CODE_EXPIRES,
        Misstep::ClientCredentialsWithoutSecret => &CLIENT_CREDENTIALS_CONFIDENTIAL_ONLY,
        Misstep::RepeatedParameter => &TOKEN_REFUSES_REPEATED_PARAM,
        Misstep::TwoAuthMethods => &TOKEN_REFUSES_TWO_AUTH_METHODS,
        Misstep::UnknownClient => &TOKEN_REFUSES_UNKNOWN_CLIENT,
        Misstep::PasswordGrant => &TOKEN_REFUSES_PASSWORD_GRANT,
    }
}

/// The error code the situation's own sentence asks for with a keyword, if
/// it does: then that code is part of the situation's check, at its level,
/// not only §5.2's derived choice. RFC 7636 §4.6: "If the values are not
/// equal, an error response indicating "invalid_grant" ... MUST be
/// returned" (a wrong verifier, or the challenge sent as one).
pub fn required_code(misstep: Misstep) -> Option<&'static str> {
    match misstep {
        Misstep::WrongVerifier | Misstep::ChallengeAsVerifier => Some("invalid_grant"),
        _ => None,
    }
}

/// The situation's own "refused at all" check for a refusal expected with
/// `code`: the attempt's misstep's, or for a scenario that made none (a bad
/// scope is a request like any other), the one the code implies. For the
/// other codes the error-code check itself reports a missing refusal.
pub fn situation_check(attempt: &TokenAttempt, code: &str) -> Option<&'static Check> {
    attempt.misstep.map(check_for).or(match code {
        "invalid_client" => Some(&TOKEN_REFUSES_WRONG_SECRET),
        "invalid_scope" => Some(&TOKEN_REFUSES_BAD_SCOPE),
        _ => None,
    })
}

/// The token request got no HTTP answer (it timed out, the connection was
/// refused or reset): no refusal can be read from silence.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("no answer: {0} (a refusal is an HTTP answer; no answer is never taken for one)")]
pub struct NoAnswer(pub String);

impl NoAnswer {
    /// Why `attempt` has no answer, if it has none.
    pub fn of(attempt: &TokenAttempt) -> Option<Self> {
        if attempt.answer.is_some() {
            return None;
        }
        Some(NoAnswer(
            attempt
                .outcome
                .as_ref()
                .err()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ))
    }
}

/// The attempt was not a deliberate misstep, so "no token" proves nothing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("no deliberately misshaped token request was sent in this scenario")]
pub struct NoMisstep;

/// "The token endpoint issues no token" for a misstepping attempt: passed
/// when the server answered and the answer carries no token. No answer at
/// all (a timeout, a refused connection) is never taken for a refusal.
pub fn no_token_issued(attempt: &TokenAttempt) -> Result<CheckOutcome, NoMisstep> {
    let check = check_for(attempt.misstep.ok_or(NoMisstep)?);
    if let Some(silence) = NoAnswer::of(attempt) {
        return Ok(CheckOutcome::fail(check, silence.to_string()));
    }
    Ok(CheckOutcome::expect(
        check,
        attempt.outcome.is_err(),
        || {
            format!(
                "a token was issued: {}",
                attempt
                    .answer
                    .as_ref()
                    .map(|a| a.describe())
                    .unwrap_or_default()
            )
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::{answer, attempt, token_answer};

    #[test]
    fn every_misstep_has_its_own_check_but_the_two_verifier_ones() {
        use std::collections::HashSet;
        let all = [
            Misstep::WrongSecret,
            Misstep::TokenRequestAsGet,
            Misstep::CredentialsInQuery,
            Misstep::ReusedCode,
            Misstep::CodeOfAnotherClient,
            Misstep::OtherRedirectUri,
            Misstep::VerifierOmitted,
            Misstep::WrongVerifier,
            Misstep::MadeUpCode,
            Misstep::RefreshTokenOfAnotherClient,
            Misstep::RedirectUriOmitted,
            Misstep::CodeWithoutSecret,
            Misstep::VerifierWithoutChallenge,
            Misstep::ChallengeAsVerifier,
            Misstep::RefreshWithoutSecret,
            Misstep::WiderScopeOnRefresh,
            Misstep::MadeUpRefreshToken,
            Misstep::NoClientAuthentication,
            Misstep::UnregisteredGrant,
            Misstep::ExpiredCode,
            Misstep::ClientCredentialsWithoutSecret,
            Misstep::RepeatedParameter,
            Misstep::TwoAuthMethods,
            Misstep::UnknownClient,
            Misstep::PasswordGrant,
        ];
        let ids: HashSet<&str> = all.iter().map(|m| check_for(*m).id).collect();
        assert_eq!(ids.len(), all.len() - 1);
        assert_eq!(check_for(Misstep::ReusedCode).id, "code-single-use");
    }

    #[test]
    fn the_misstep_of_the_attempt_wins_over_the_code() {
        let reused = attempt(Some(Misstep::ReusedCode), None);
        assert_eq!(
            situation_check(&reused, "invalid_grant").map(|c| c.id),
            Some("code-single-use")
        );
        let plain = attempt(None, None);
        assert_eq!(
            situation_check(&plain, "invalid_client").map(|c| c.id),
            Some("token-endpoint-refuses-wrong-secret")
        );
        assert_eq!(
            situation_check(&plain, "invalid_scope").map(|c| c.id),
            Some("token-endpoint-refuses-bad-scope")
        );
        assert_eq!(situation_check(&plain, "invalid_grant"), None);
    }

    #[test]
    fn a_token_for_a_misstep_fails_its_check_and_a_refusal_passes_it() {
        let issued = attempt(Some(Misstep::TokenRequestAsGet), Some(token_answer()));
        let outcome = no_token_issued(&issued).unwrap();
        assert!(outcome.failed());
        assert_eq!(outcome.check.id, "token-endpoint-post-only");
        let refusal = answer(400, &[], r#"{"error":"invalid_request"}"#);
        let refused = attempt(Some(Misstep::CredentialsInQuery), Some(refusal));
        assert!(!no_token_issued(&refused).unwrap().failed());
        // A server that hangs refuses nothing.
        let silent = attempt(Some(Misstep::CredentialsInQuery), None);
        let outcome = no_token_issued(&silent).unwrap();
        assert!(outcome.failed());
        assert!(outcome.describe().contains("no answer"));
        assert_eq!(no_token_issued(&attempt(None, None)), Err(NoMisstep));
    }
}
