//! Access tokens cannot be modified into valid ones (RFC 6749 §10.3): an
//! issued token with one character changed is refused by the protected API.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::HttpAnswer;

/// The API's answer to an issued token with one character changed
/// (`client::api::tampered`): any 4xx but 429 is a refusal and passes, a
/// 2xx fails. No answer, a 429, a 5xx or a redirect says nothing of the
/// token: `Err` with why, for the step to report the scenario not run.
pub fn tampered_token_refused(answer: Option<&HttpAnswer>) -> CheckOutcome {
    let Some(answer) = answer else {
        return CheckOutcome::not_run(
            &API_REFUSES_TAMPERED_TOKEN,
            "the API did not answer the tampered token",
        );
    };
    match answer.status {
        200..=299 => CheckOutcome::fail(
            &API_REFUSES_TAMPERED_TOKEN,
            format!("the API accepted the tampered token: {}", answer.describe()),
        ),
        429 => CheckOutcome::not_run(
            &API_REFUSES_TAMPERED_TOKEN,
            "the API answered 429 (too many requests)",
        ),
        400..=499 => CheckOutcome::pass(&API_REFUSES_TAMPERED_TOKEN),
        status => CheckOutcome::not_run(
            &API_REFUSES_TAMPERED_TOKEN,
            format!(
                "the API answered {status}, which is neither an acceptance nor a refusal of the token"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::answer;
    use crate::client::api::tampered;

    #[test]
    fn a_tampered_token_must_be_refused_and_no_answer_is_no_verdict() {
        let judged = |status: u16| tampered_token_refused(Some(&answer(status, &[], "")));
        assert!(!judged(401).failed());
        assert!(!judged(403).failed());
        assert!(!judged(400).failed());
        assert!(judged(200).failed());
        assert!(judged(204).failed());
        assert!(judged(429).is_not_run());
        assert!(judged(500).is_not_run());
        assert!(judged(302).is_not_run());
        assert!(tampered_token_refused(None).is_not_run());
    }

    #[test]
    fn tampering_changes_one_middle_character_inside_a_jwt_signature() {
        let opaque = "abcdefgh";
        let t = tampered(opaque);
        assert_eq!(t.len(), opaque.len());
        assert_eq!(
            t.chars()
                .zip(opaque.chars())
                .filter(|(a, b)| a != b)
                .count(),
            1
        );
        assert_ne!(&t[4..5], &opaque[4..5]);
        assert_eq!(tampered("xxAxx"), "xxBxx");
        let jwt = "aGVhZGVy.cGF5bG9hZA.c2lnbmF0dXJlcw";
        let t = tampered(jwt);
        let (head, sig) = jwt.rsplit_once('.').unwrap();
        let (t_head, t_sig) = t.rsplit_once('.').unwrap();
        assert_eq!(head, t_head, "header and payload untouched");
        assert_ne!(sig, t_sig);
        assert_eq!(sig.len(), t_sig.len());
    }
}
