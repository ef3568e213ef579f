//! The authorization endpoint answers GET (RFC 6749 §3.1).
//!
//! Every authorization request the suite sends is a GET, as a browser
//! following a link sends it. A server that serves its authorization
//! endpoint to POST only answers that GET with 405 Method Not Allowed (or
//! 501 Not Implemented): that, and only that, is the failure. Anything else
//! the endpoint does with the request (a login page, a redirect) shows the
//! GET was served; an error page for another reason, or no answer, says
//! nothing about the method and is no verdict.

use super::CheckOutcome;
use super::catalogue::AUTHORIZE_GET_SUPPORTED;
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::login::LoginError;

/// The statuses that say "not this method" (RFC 9110 §15.5.6, §15.6.2).
pub const METHOD_REFUSED: [u16; 2] = [405, 501];

/// Judges the first answer of `attempt`'s authorization GET. `Err` says why
/// there is no verdict.
pub fn judge_get_supported(attempt: &AuthorizationAttempt) -> CheckOutcome {
    match &attempt.redirect {
        Ok(_) => CheckOutcome::pass(&AUTHORIZE_GET_SUPPORTED),
        _ if attempt.journey.login_page => CheckOutcome::pass(&AUTHORIZE_GET_SUPPORTED),
        Err(LoginError::ErrorPage { url, status, .. })
            if METHOD_REFUSED.contains(status) && same_endpoint(url, &attempt.url) =>
        {
            CheckOutcome::fail(
                &AUTHORIZE_GET_SUPPORTED,
                format!(
                    "the authorization endpoint answered {status} to the GET authorization request at {url}: RFC 6749 §3.1 requires GET"
                ),
            )
        }
        Err(e) => CheckOutcome::not_run(
            &AUTHORIZE_GET_SUPPORTED,
            format!("no verdict on whether the authorization endpoint serves GET: {e}"),
        ),
    }
}

/// Whether the page at `url` (as the login driver names it: possibly with
/// its query shown as `?…`) is the authorization endpoint itself.
fn same_endpoint(url: &str, endpoint: &url::Url) -> bool {
    let without_query = url.split('?').next().unwrap_or(url);
    url::Url::parse(without_query)
        .is_ok_and(|u| u.origin() == endpoint.origin() && u.path() == endpoint.path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Verdict;
    use crate::client::login::Journey;

    fn attempt(redirect: Result<String, LoginError>, login_page: bool) -> AuthorizationAttempt {
        let mut attempt = crate::checks::test_support::authorization_attempt(
            "http://127.0.0.1:8080/authorize?response_type=code&client_id=c",
            redirect,
        );
        attempt.journey = Journey {
            login_page,
            ..Journey::default()
        };
        attempt
    }

    fn error_page(url: &str, status: u16) -> Result<String, LoginError> {
        Err(LoginError::ErrorPage {
            url: url.into(),
            status,
            described: "text/html".into(),
        })
    }

    #[test]
    fn a_redirect_or_a_login_page_shows_the_get_was_served() {
        let redirected = attempt(Ok("http://127.0.0.1:9/cb?code=x".into()), false);
        assert_eq!(judge_get_supported(&redirected).verdict, Verdict::Pass);
        let refused_later = attempt(error_page("http://127.0.0.1:8080/login", 405), true);
        assert_eq!(judge_get_supported(&refused_later).verdict, Verdict::Pass);
    }

    #[test]
    fn method_not_allowed_at_the_endpoint_fails() {
        for status in [405, 501] {
            let refused = attempt(
                error_page("http://127.0.0.1:8080/authorize?…", status),
                false,
            );
            let outcome = judge_get_supported(&refused);
            assert!(outcome.failed(), "{status}");
        }
    }

    #[test]
    fn a_method_refusal_is_no_verdict_on_the_response_type_either() {
        use crate::checks::authorization::judge_response_type_error;
        let judge = |status| {
            judge_response_type_error(&attempt(
                error_page("http://127.0.0.1:8080/authorize", status),
                false,
            ))
        };
        for status in [405, 501] {
            assert!(judge(status).is_not_run());
        }
        assert!(judge(400).failed());
    }

    #[test]
    fn a_method_refusal_is_no_verdict_on_pkce_error_redirects_either() {
        use crate::checks::pkce::{judge_missing_challenge, judge_unsupported_method};
        let cb = "http://127.0.0.1:9/cb";
        let page = |status| error_page("http://127.0.0.1:8080/authorize", status);
        for status in [405, 501] {
            assert!(judge_unsupported_method(&page(status), cb, "S512").is_not_run());
            assert!(judge_missing_challenge(&page(status), cb).is_not_run());
        }
        assert!(judge_unsupported_method(&page(400), cb, "S512").failed());
        assert!(judge_missing_challenge(&page(400), cb).failed());
    }

    #[test]
    fn other_refusals_or_other_pages_are_no_verdict() {
        for refused in [
            attempt(error_page("http://127.0.0.1:8080/authorize", 400), false),
            attempt(error_page("http://127.0.0.1:8080/elsewhere", 405), false),
            attempt(error_page("http://localhost:8080/authorize", 405), false),
            attempt(
                Err(LoginError::Transport("connection refused".into())),
                false,
            ),
        ] {
            assert!(
                judge_get_supported(&refused).is_not_run(),
                "{:?}",
                refused.redirect
            );
        }
    }
}
