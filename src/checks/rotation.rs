//! Refresh token rotation (RFC 9700 §4.14.2), judged where the profile says
//! the server rotates: every refresh issues a new refresh token, the
//! previous one is invalidated, and, where the server detects reuse, a
//! rotated token presented again revokes the active one.

use super::CheckOutcome;
use super::afterwards::Afterwards;
use super::catalogue::*;
use crate::client::TokenAttempt;

/// A refresh with `presented` issued a new refresh token.
pub fn rotated(presented: &str, refresh: &TokenAttempt) -> CheckOutcome {
    let check = &REFRESH_ROTATES;
    match &refresh.outcome {
        Ok(token) => match &token.refresh_token {
            Some(new) if new.expose() != presented => CheckOutcome::pass(check),
            Some(_) => CheckOutcome::fail(
                check,
                "the refresh answered with the same refresh token: the server did not rotate it, though the profile says it does (authorization_code.refresh_rotation = \"rotate\")",
            ),
            None => CheckOutcome::fail(
                check,
                "the refresh answered with no refresh token: the server did not rotate it, though the profile says it does (authorization_code.refresh_rotation = \"rotate\")",
            ),
        },
        Err(e) => CheckOutcome::not_run(
            check,
            format!("the refresh got no token: {e} (judged by the refresh scenarios)"),
        ),
    }
}

/// The previous refresh token, presented once rotated, is refused.
pub fn old_refused(afterwards: &Afterwards) -> CheckOutcome {
    let check = &REFRESH_ROTATED_OLD_REFUSED;
    match afterwards {
        Afterwards::Refused(_) => CheckOutcome::pass(check),
        Afterwards::Worked(what) => CheckOutcome::fail(
            check,
            format!("the rotated refresh token still works: {what}"),
        ),
        Afterwards::Untold(why) => CheckOutcome::not_run(check, why.clone()),
    }
}

/// Once a rotated refresh token was presented again (`reuse`, which must
/// have been refused), the active one is refused too.
pub fn reuse_revoked_active(reuse: &Afterwards, active: &Afterwards) -> CheckOutcome {
    let check = &REFRESH_REUSE_REVOKES_ACTIVE;
    match reuse {
        Afterwards::Refused(_) => {}
        Afterwards::Worked(_) => {
            return CheckOutcome::not_run(
                check,
                "the rotated refresh token was accepted, so nothing was detected (judged by refresh-rotated-old-refused)",
            );
        }
        Afterwards::Untold(why) => return CheckOutcome::not_run(check, why.clone()),
    }
    match active {
        Afterwards::Refused(_) => CheckOutcome::pass(check),
        Afterwards::Worked(what) => CheckOutcome::fail(
            check,
            format!(
                "a rotated refresh token was reused, but the active one still works: {what} (RFC 9700 §4.14.2: the server \"will revoke the active refresh token\")"
            ),
        ),
        Afterwards::Untold(why) => CheckOutcome::not_run(check, why.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuse_revokes_the_active_token_once_the_rotated_one_was_refused() {
        let r = || Afterwards::Refused("x".into());
        let w = || Afterwards::Worked("x".into());
        assert!(!reuse_revoked_active(&r(), &r()).failed());
        assert!(reuse_revoked_active(&r(), &w()).failed());
        assert!(reuse_revoked_active(&w(), &w()).is_not_run());
        assert!(!old_refused(&r()).failed());
        assert!(old_refused(&w()).failed());
    }
}
