//! Checks on what the authorization endpoint did (RFC 6749 §4.1.2, §4.1.2.1,
//! §3.1.2.4): where it redirected the user, and with which parameters.
//!
//! They read the server's own redirect, before the client parses it, so a
//! state the server altered is reported against the server (the client's
//! CSRF refusal of it is a client check, RFC 6749 §10.12).

use super::catalogue::*;
use super::{Check, CheckOutcome};
use crate::client::login::LoginError;

fn query_param(location: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(location).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The redirect back to the client carries the state unchanged: §4.1.2 for a
/// code, §4.1.2.1 for an error.
pub fn check_redirect(location: &str, sent_state: Option<&str>) -> CheckOutcome {
    let check = if query_param(location, "error").is_some() {
        &AUTHZ_ERROR_STATE_ECHOED
    } else {
        &AUTHZ_STATE_ECHOED
    };
    let Some(sent) = sent_state else {
        return CheckOutcome::skip(check, "the client sent no state");
    };
    let got = query_param(location, "state");
    CheckOutcome::expect(check, got.as_deref() == Some(sent), || match got {
        None => "the redirect carries no state".into(),
        Some(_) => "the redirect's state differs from the one the client sent".into(),
    })
}

/// A user's denial comes back as `error=access_denied` (§4.1.2.1).
pub fn check_denial(location: &str) -> CheckOutcome {
    let error = query_param(location, "error");
    CheckOutcome::expect(
        &AUTHZ_DENIAL_ACCESS_DENIED,
        error.as_deref() == Some("access_denied"),
        || match &error {
            Some(e) => format!("error={e}"),
            None => "the redirect carries no error".into(),
        },
    )
}

/// The user agent was never sent to the unregistered redirect URI
/// (§3.1.2.4: the server must not redirect to an unverified URI).
pub fn check_unregistered_redirect(
    outcome: &Result<String, impl std::fmt::Display>,
    unregistered: &str,
) -> CheckOutcome {
    CheckOutcome::expect(
        &AUTHZ_UNREGISTERED_REDIRECT,
        !matches!(outcome, Ok(location) if location.starts_with(unregistered)),
        || format!("the server redirected the user to the unregistered {unregistered}"),
    )
}

/// Whether `location` sends the user agent to `target`: the same scheme,
/// userinfo, host, port and path, and every query parameter of `target`
/// (the server adds its own). A redirect to the registered URI instead of a
/// near miss of it is not one to the near miss.
pub fn redirects_to(location: &str, target: &str) -> bool {
    let (Ok(at), Ok(to)) = (url::Url::parse(location), url::Url::parse(target)) else {
        return location.starts_with(target);
    };
    let pairs: Vec<_> = at.query_pairs().collect();
    at.scheme() == to.scheme()
        && at.username() == to.username()
        && at.password() == to.password()
        && at.host_str() == to.host_str()
        && at.port_or_known_default() == to.port_or_known_default()
        && at.path() == to.path()
        && to.query_pairs().all(|p| pairs.contains(&p))
}

/// Judges a trip the server had to stop short of `target` (RFC 6749
/// §4.1.2.1: it must not redirect there). A redirect to `target` fails; a
/// redirect elsewhere, an error page or a refused login passes. Where the
/// suite could not drive the pages, or got no answer, nothing is proven:
/// `Err` says why the scenario is not run.
pub fn judge_not_redirected(
    check: &'static Check,
    outcome: &Result<String, LoginError>,
    target: &str,
) -> Result<CheckOutcome, String> {
    match outcome {
        Ok(location) => Ok(CheckOutcome::expect(
            check,
            !redirects_to(location, target),
            || format!("the server redirected the user to {target}"),
        )),
        Err(LoginError::ErrorPage { .. } | LoginError::LoginRefused { .. }) => {
            Ok(CheckOutcome::pass(check))
        }
        Err(e) => Err(format!(
            "no verdict on whether the server would redirect to {target}: {e}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_is_compared_on_code_and_error_redirects() {
        let ok = check_redirect("http://127.0.0.1:9/cb?code=c&state=s1", Some("s1"));
        assert!(!ok.failed() && ok.check.id == "authorize-state-echoed");
        let changed = check_redirect("http://127.0.0.1:9/cb?code=c&state=s2", Some("s1"));
        assert!(changed.failed());
        let dropped = check_redirect("http://127.0.0.1:9/cb?error=access_denied", Some("s1"));
        assert!(dropped.failed() && dropped.check.id == "authorize-error-state-echoed");
    }

    #[test]
    fn denial_and_unregistered_redirects() {
        assert!(!check_denial("http://127.0.0.1:9/cb?error=access_denied&state=s").failed());
        assert!(check_denial("http://127.0.0.1:9/cb?error=server_error&state=s").failed());
        let to_attacker: Result<String, String> = Ok("http://127.0.0.1:9/evil?code=c".into());
        assert!(check_unregistered_redirect(&to_attacker, "http://127.0.0.1:9/evil").failed());
        let error_page: Result<String, String> = Err("400 at /authorize".into());
        assert!(!check_unregistered_redirect(&error_page, "http://127.0.0.1:9/evil").failed());
    }

    #[test]
    fn a_redirect_to_the_near_miss_fails_and_no_answer_is_no_verdict() {
        let near = "http://127.0.0.1:9/cb?extra=1";
        assert!(redirects_to("http://127.0.0.1:9/cb?extra=1&code=c", near));
        assert!(!redirects_to("http://127.0.0.1:9/cb?code=c", near));
        assert!(!redirects_to(
            "http://127.0.0.1:9/cb/?code=c",
            "http://127.0.0.1:9/cb"
        ));
        assert!(redirects_to(
            "http://u@127.0.0.1:9/cb?code=c",
            "http://u@127.0.0.1:9/cb"
        ));
        assert!(!redirects_to(
            "http://127.0.0.1:9/cb?code=c",
            "http://u@127.0.0.1:9/cb"
        ));
        assert!(!redirects_to(
            "http://127.0.0.1:9/CB?code=c",
            "http://127.0.0.1:9/cb"
        ));
        let check = &AUTHZ_REDIRECT_EXACT_MATCH;
        let to_near: Result<String, LoginError> = Ok(format!("{near}&code=c&state=s"));
        assert!(
            judge_not_redirected(check, &to_near, near)
                .unwrap()
                .failed()
        );
        let to_registered: Result<String, LoginError> =
            Ok("http://127.0.0.1:9/cb?error=invalid_request".into());
        assert!(
            !judge_not_redirected(check, &to_registered, near)
                .unwrap()
                .failed()
        );
        let error_page = Err(LoginError::ErrorPage {
            url: "http://as/authorize".into(),
            status: 400,
            described: "Invalid redirect_uri".into(),
        });
        assert!(
            !judge_not_redirected(check, &error_page, near)
                .unwrap()
                .failed()
        );
        let timeout = Err(LoginError::Timeout {
            limit: std::time::Duration::from_secs(1),
            url: "http://as/authorize".into(),
        });
        assert!(judge_not_redirected(check, &timeout, near).is_err());
        let undrivable = Err(LoginError::CannotDrive {
            url: "http://as/authorize".into(),
            status: 200,
            why: "no form".into(),
            seen: String::new(),
        });
        assert!(judge_not_redirected(check, &undrivable, near).is_err());
    }
}
