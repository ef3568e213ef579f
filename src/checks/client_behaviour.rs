//! Checks on how the client lives with expiring tokens (seed 002).
//!
//! Seed 002 asks the client to store its access token and attach it to
//! every API call, to get a new one before the old one expires, to queue
//! the requests that need a token while one renewal runs, and to renew and
//! retry when the API answers with an authentication error. These judge what
//! the token manager did, from what it handed out and what it sent.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::ApiAttempt;
use crate::client::token_manager::ApiOutcome as _;
use crate::client::token_manager::{Authorized, CachedToken};

/// What a server sees of seed 002 (`serve`): the client asked for a new
/// token while the one it was given last for the same grant and scope was
/// still fresh (`left_s` of its `lifetime_s` left, more than half), so it
/// did not store and reuse it.
pub fn asked_while_fresh(left_s: i64, lifetime_s: i64) -> CheckOutcome {
    CheckOutcome::fail(
        &CLIENT_REUSES_TOKEN,
        format!(
            "the client asked for a new access token while its previous one had {left_s} s of its {lifetime_s} s lifetime left"
        ),
    )
}

/// Seen from the server: a token was attached to a second API call.
pub fn reused_on_wire() -> CheckOutcome {
    CheckOutcome::pass(&CLIENT_REUSES_TOKEN)
}

/// Seen from the server: the client renewed with `left_s` seconds of its
/// previous token left (passes), or sent a token `expired_ago_s` seconds
/// after it expired by the server's clock, never moved by hand (fails).
pub fn renewal_on_wire(left_s: Option<i64>, expired_ago_s: Option<i64>) -> CheckOutcome {
    match expired_ago_s {
        Some(ago) => CheckOutcome::fail(
            &CLIENT_RENEWS_EARLY,
            format!(
                "the client sent an access token {ago} s after it expired instead of renewing it before"
            ),
        ),
        None => CheckOutcome::expect(&CLIENT_RENEWS_EARLY, left_s.is_some(), || {
            "no renewal seen".into()
        }),
    }
}

/// Seen from the server: a token request arrived while another of the same
/// client was being answered (`overlapped`: fails), or a slow token request
/// was answered with no other arriving meanwhile (passes).
pub fn single_flight_on_wire(overlapped: bool) -> CheckOutcome {
    CheckOutcome::expect(&CLIENT_SINGLE_FLIGHT, !overlapped, || {
        "a second token request arrived while the first was still being answered".into()
    })
}

/// Seen from the server: after the API refused a token (401
/// `invalid_token`), the client's next API call carried that token again
/// (`again`: fails) or a new one (passes).
pub fn after_refusal_on_wire(again: bool) -> CheckOutcome {
    CheckOutcome::expect(&CLIENT_RENEWS_ON_INVALID_TOKEN, !again, || {
        "the client sent again an access token the API had refused with 401 invalid_token, instead of renewing it".into()
    })
}

/// Asked twice while the token was fresh, the manager handed out the same
/// token: no token request per call.
pub fn reuses_token(before: &CachedToken, last: &CachedToken) -> CheckOutcome {
    CheckOutcome::expect(&CLIENT_REUSES_TOKEN, before.token == last.token, || {
        format!(
            "the token manager handed out a new token (renewal #{}) while renewal #{}'s was still fresh",
            last.generation, before.generation
        )
    })
}

/// Asked near expiry, the manager handed out a new token while the previous
/// one had not expired yet (at `now_ms`).
pub fn renews_before_expiry(before: &CachedToken, last: &CachedToken, now_ms: i64) -> CheckOutcome {
    let renewed = before.token != last.token;
    let in_time = !before.expiry.is_expired(now_ms);
    CheckOutcome::expect(&CLIENT_RENEWS_EARLY, renewed && in_time, || {
        if renewed {
            "the new token came only after the previous one had expired".into()
        } else {
            format!(
                "the token manager handed out renewal #{}'s token again",
                before.generation
            )
        }
    })
}

/// Tasks that waited together for a token all got the same one (each task's
/// token; none of them failed).
pub fn single_flight_token(tokens: &[Option<String>]) -> CheckOutcome {
    let same = tokens.iter().all(|t| *t == tokens[0]);
    CheckOutcome::expect(&CLIENT_SINGLE_FLIGHT, same, || {
        "the tasks got different access tokens".into()
    })
}

/// Tasks that waited together for a renewal that failed all got the first
/// task's error (`errors`: each task's error, `None` for a token).
pub fn single_flight_error(first: &str, errors: &[Option<String>]) -> CheckOutcome {
    let others: Vec<&Option<String>> = errors
        .iter()
        .filter(|e| e.as_deref() != Some(first))
        .collect();
    CheckOutcome::expect(&CLIENT_SINGLE_FLIGHT, others.is_empty(), || {
        let example = others[0].clone().unwrap_or_else(|| "a token".into());
        format!(
            "{} of {} tasks did not get the first task's error ({first}) but e.g. {example}",
            others.len(),
            errors.len()
        )
    })
}

/// Calls queued behind one renewal all sent its new token, not the previous
/// one (each task's sent token).
pub fn single_flight_renewed(tokens: &[Option<String>], previous: &str) -> CheckOutcome {
    let same = tokens.iter().all(|t| *t == tokens[0]);
    let renewed = tokens[0].as_deref().is_some_and(|t| t != previous);
    CheckOutcome::expect(&CLIENT_SINGLE_FLIGHT, same && renewed, || {
        if same {
            "the tasks sent the previous access token".into()
        } else {
            "the tasks sent different access tokens".into()
        }
    })
}

/// A call the API refused for its token (401 `invalid_token`) was retried
/// exactly once, with another token.
pub fn renews_on_invalid_token(call: &Authorized<ApiAttempt>) -> CheckOutcome {
    if !call.attempts[0].rejects_token() {
        return CheckOutcome::skip(
            &CLIENT_RENEWS_ON_INVALID_TOKEN,
            "the API did not refuse the first request's token (401 invalid_token): nothing to renew",
        );
    }
    let tokens: Vec<Option<String>> = call.attempts.iter().map(ApiAttempt::bearer_token).collect();
    let ok = call.attempts.len() == 2 && call.attempts[0].rejects_token() && tokens[0] != tokens[1];
    CheckOutcome::expect(&CLIENT_RENEWS_ON_INVALID_TOKEN, ok, || {
        format!(
            "{} attempt(s); retried with {} token",
            call.attempts.len(),
            if tokens.first() == tokens.last() {
                "the same"
            } else {
                "another"
            }
        )
    })
}

/// An API that refuses every token got one retry and its refusal back, not
/// a loop (`status`: the last answer's).
pub fn gives_up_after_one_retry(call: &Authorized<ApiAttempt>, status: u16) -> CheckOutcome {
    if !call.attempts[0].rejects_token() {
        return CheckOutcome::skip(
            &CLIENT_RENEWS_ON_INVALID_TOKEN,
            "the API did not refuse the first request's token (401 invalid_token): nothing to renew",
        );
    }
    CheckOutcome::expect(
        &CLIENT_RENEWS_ON_INVALID_TOKEN,
        call.attempts.len() == 2 && status == 401,
        || format!("{} attempt(s), last status {status}", call.attempts.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::{answer, request};
    use crate::client::expiry::{Expiry, ExpirySource};
    use crate::client::{Secret, TokenResponse};

    fn cached(token: &str, generation: u64, expires_at_ms: i64) -> CachedToken {
        CachedToken {
            token: Secret::new(token),
            expiry: Expiry {
                issued_at_ms: 0,
                expires_at_ms,
                source: ExpirySource::ExpiresIn,
            },
            generation,
            response: TokenResponse {
                access_token: Secret::new(token),
                token_type: "Bearer".into(),
                expires_in: Some(3600),
                scope: None,
                refresh_token: None,
                raw: Default::default(),
            },
            validated: None,
        }
    }

    fn call(tokens: &[&str], statuses: &[u16]) -> Authorized<ApiAttempt> {
        let attempts = tokens
            .iter()
            .zip(statuses)
            .map(|(token, status)| {
                let challenge: Vec<(&str, &str)> = if *status == 401 {
                    vec![("www-authenticate", "Bearer error=\"invalid_token\"")]
                } else {
                    Vec::new()
                };
                let bearer = format!("Bearer {token}");
                ApiAttempt {
                    request: request(
                        "GET",
                        "http://127.0.0.1:1/api",
                        &[("authorization", &bearer)],
                        None,
                    ),
                    outcome: Ok(answer(*status, &challenge, "")),
                }
            })
            .collect();
        Authorized { attempts }
    }

    #[test]
    fn a_fresh_token_is_reused_and_a_new_one_comes_before_expiry() {
        let a = cached("a", 1, 3_600_000);
        let b = cached("b", 2, 7_200_000);
        assert!(!reuses_token(&a, &a).failed());
        assert!(reuses_token(&a, &b).failed());
        assert!(!renews_before_expiry(&a, &b, 3_540_000).failed());
        assert!(renews_before_expiry(&a, &b, 3_600_000).failed(), "too late");
        assert!(
            renews_before_expiry(&a, &a, 3_540_000).failed(),
            "not renewed"
        );
    }

    #[test]
    fn a_queue_shares_one_token_one_error_one_renewal() {
        let t = |s: &str| Some(s.to_owned());
        assert!(!single_flight_token(&[t("a"), t("a")]).failed());
        assert!(single_flight_token(&[t("a"), t("b")]).failed());
        assert!(!single_flight_error("e", &[t("e"), t("e")]).failed());
        assert!(single_flight_error("e", &[t("e"), None]).failed());
        assert!(!single_flight_renewed(&[t("b"), t("b")], "a").failed());
        assert!(single_flight_renewed(&[t("a"), t("a")], "a").failed());
        assert!(single_flight_renewed(&[t("b"), t("c")], "a").failed());
    }

    #[test]
    fn an_invalid_token_is_renewed_once_and_never_looped_on() {
        assert!(!renews_on_invalid_token(&call(&["a", "b"], &[401, 200])).failed());
        assert!(renews_on_invalid_token(&call(&["a", "a"], &[401, 200])).failed());
        assert!(
            renews_on_invalid_token(&call(&["a"], &[401])).failed(),
            "not retried"
        );
        // Accepted at once: nothing to renew, no verdict either way.
        let accepted = renews_on_invalid_token(&call(&["a"], &[200]));
        assert!(matches!(accepted.verdict, crate::checks::Verdict::Skip(_)));
        assert!(!gives_up_after_one_retry(&call(&["a", "b"], &[401, 401]), 401).failed());
        assert!(gives_up_after_one_retry(&call(&["a", "b", "c"], &[401, 401, 401]), 401).failed());
        assert!(
            gives_up_after_one_retry(&call(&["a"], &[401]), 401).failed(),
            "no retry"
        );
        let no_refusal = gives_up_after_one_retry(&call(&["a"], &[403]), 403);
        assert!(matches!(
            no_refusal.verdict,
            crate::checks::Verdict::Skip(_)
        ));
    }
}
