//! What a trip through the login and consent pages lets a scenario
//! conclude, and the login driver's own safety expectations.
//!
//! A scenario that asked the user to approve, deny or type a wrong password
//! reads the trip here before it judges the server:
//! - the driver could not understand a page, or stopped to keep the user
//!   safe: **not run**, with what it saw (never a server failure);
//! - the page the scenario acts on never came (no login page for a wrong
//!   password, no consent page or no control to deny for a denial, no
//!   account choice for a chosen account): **skipped**, with the reason;
//! - anything else goes on, and the scenario's own checks judge the server:
//!   a server that shows a login page and issues a code after a wrong
//!   password did not verify the resource owner's identity (RFC 6749 §3.1
//!   MUST; *how* it verifies is its own, but a password it asked for and
//!   ignored verifies nothing), and a login form answered with a 307 would
//!   have a browser repeat the password at the redirect's target (RFC 9700
//!   §2.1, §4.12).

use super::authorization::query_param;
use super::catalogue::{AUTHZ_LOGIN_NOT_FORWARDED, AUTHZ_LOGIN_VERIFIES_PASSWORD};
use super::{CheckOutcome, Verdict};
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::login::{ConsentForgery, LoginError};

/// What the user set out to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Intent {
    Approve {
        account: Option<String>,
    },
    Deny,
    /// Log in with a password that is not the user's.
    WrongPassword,
    /// Approve with the consent form's CSRF token forged (RFC 6749 §10.12).
    ForgeApproval(ConsentForgery),
}

fn has_param(location: &str, name: &str) -> bool {
    query_param(location, name).is_some()
}

/// What the trip lets a scenario with `intent` conclude: `None` when it goes
/// on (its own checks judge the server), else why it stops without a
/// verdict on the server (a [`Verdict::Skip`] or [`Verdict::NotRun`]).
pub fn judge(attempt: &AuthorizationAttempt, intent: &Intent) -> Option<Verdict> {
    judge_trip(attempt, intent).err()
}

fn judge_trip(attempt: &AuthorizationAttempt, intent: &Intent) -> Result<(), Verdict> {
    let journey = &attempt.journey;
    match (&attempt.redirect, intent) {
        (Err(e), _) if e.is_undrivable() => Err(Verdict::NotRun(e.to_string())),
        (Err(e @ LoginError::NoDenyControl { .. }), _) => Err(Verdict::Skip(e.to_string())),
        (Err(e @ LoginError::NoCsrfField { .. }), _) => Err(Verdict::Skip(e.to_string())),
        (Err(e @ LoginError::NotWithCommand { .. }), _) => Err(Verdict::Skip(e.to_string())),
        // After a forged approval, the login form again is the server
        // refusing it; the scenario's check judges that.
        (Err(LoginError::LoginRefused { .. }), Intent::ForgeApproval(_))
            if journey.forged.is_some() =>
        {
            Ok(())
        }
        (Err(LoginError::LoginRefused { .. }), Intent::WrongPassword) => Ok(()),
        (Err(e @ LoginError::LoginRefused { .. }), _) => Err(Verdict::NotRun(format!(
            "{e}: the configured test user could not log in (check OAUTH_CONFORMANCE_USERNAME and OAUTH_CONFORMANCE_PASSWORD)"
        ))),
        (Err(_), _) => Ok(()),
        (Ok(location), Intent::WrongPassword) if !journey.login_page => {
            Err(Verdict::Skip(format!(
                "the server showed no login page (it redirected straight back to {}), so there was no password to get wrong",
                redirect_target(location)
            )))
        }
        (Ok(location), Intent::Deny) if journey.decided.is_none() => Err(Verdict::Skip(format!(
            "there was nothing to deny: the server asked for no decision (it redirected straight back to {}{})",
            redirect_target(location),
            if journey.login_page {
                " after the login"
            } else {
                " without a login page"
            }
        ))),
        (Ok(location), Intent::ForgeApproval(_)) if journey.decided.is_none() => {
            Err(Verdict::Skip(format!(
                "there was no consent form to forge: the server asked for no decision (it redirected straight back to {})",
                redirect_target(location)
            )))
        }
        (
            Ok(_),
            Intent::Approve {
                account: Some(account),
            },
        ) if journey.accounts_offered.is_none() => Err(Verdict::Skip(format!(
            "the server never asked which account to grant (it redirected back without an account choice), so the account {account:?} could not be chosen"
        ))),
        (Ok(_), _) => Ok(()),
    }
}

/// Why an approved authorization request cannot serve a scenario that
/// needs a code: the server redirected with an error instead. RFC 6749
/// §4.1.2.1 lets a server refuse (a scope it will not grant, a policy), so
/// this is no verdict on the server; the profile probably asks for
/// something the server does not offer.
pub fn refused_approval(location: &str) -> Option<String> {
    if has_param(location, "code") {
        return None;
    }
    let error = query_param(location, "error")?;
    let description = query_param(location, "error_description")
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    Some(format!(
        "the authorization server refused the approved request with error={error}{description}, so there is no code to go on with; RFC 6749 §4.1.2.1 lets it refuse, so this is no verdict: check what the profile asks for (authorization_code.default_scope, extra_params) against what the server offers this client"
    ))
}

/// Where a redirect went, without its query (which carries the code).
fn redirect_target(location: &str) -> String {
    location.split(['?', '#']).next().unwrap_or("").to_owned()
}

/// RFC 6749 §3.1: the server verifies the resource owner's identity before
/// it authorizes. After a login with a wrong password, the login form again
/// (or a 4xx to it), or a redirect without a code, passes; a code fails.
/// Run after [`judge`] let the scenario go on (a login page was shown and
/// the password sent). Anything else (a 5xx, no answer) proves nothing:
/// a not-run outcome says why.
pub fn check_wrong_password(attempt: &AuthorizationAttempt) -> CheckOutcome {
    let check = &AUTHZ_LOGIN_VERIFIES_PASSWORD;
    match &attempt.redirect {
        Err(LoginError::LoginRefused { .. }) => CheckOutcome::pass(check),
        Ok(location) => CheckOutcome::expect(check, !has_param(location, "code"), || {
            format!(
                "the server issued a code after a login with a wrong password (redirected to {} with a code)",
                redirect_target(location)
            )
        }),
        Err(e) => CheckOutcome::not_run(check, format!("no verdict on the wrong password: {e}")),
    }
}

/// RFC 9700 §2.1, §4.12: the server does not forward the user's password.
/// Every answer to a request that carried it is checked: a 307 fails
/// (§4.12: MUST NOT use 307 for such a request), and so does a 308 to
/// another origin (it would repeat the password there too). A page, a 302 or
/// 303, or a 308 within the origin the password was sent to, passes. When
/// there is nothing to judge: no login page (skipped), or no answer to the
/// login form (not run).
pub fn check_password_not_forwarded(attempt: &AuthorizationAttempt) -> CheckOutcome {
    let check = &AUTHZ_LOGIN_NOT_FORWARDED;
    let journey = &attempt.journey;
    if let Some(command) = &journey.command {
        return CheckOutcome::skip(
            check,
            format!(
                "the login command {command} did the login: the suite saw none of its requests, so none of the answers to the password"
            ),
        );
    }
    if !journey.password_sent {
        return CheckOutcome::skip(
            check,
            "the server showed no login page, so no password was sent to be forwarded",
        );
    }
    if journey.password_answers.is_empty() {
        return CheckOutcome::not_run(
            check,
            match &attempt.redirect {
                Err(e) => format!("no answer to the login form: {e}"),
                Ok(_) => "no answer to the login form was seen".into(),
            },
        );
    }
    let forwarded = journey
        .password_answers
        .iter()
        .find(|a| a.status == 307 || (a.status == 308 && a.elsewhere));
    CheckOutcome::expect(check, forwarded.is_none(), || {
        let (status, to) = forwarded.map_or((0, None), |a| (a.status, a.to.as_deref()));
        format!(
            "the login form with the password was answered {} to {}: a browser repeats the POST, password and all, there",
            status,
            to.unwrap_or("an unknown location")
        )
    })
}

/// The login driver's safety: no value of `own` (the cookies one origin set)
/// is in any of `elsewhere` (what another origin received). Names only in
/// the message.
pub fn nothing_crossed(what: &str, own: &[String], elsewhere: &[String]) -> Result<(), String> {
    let crossed = own
        .iter()
        .filter(|v| !v.is_empty() && elsewhere.iter().any(|e| e.contains(v.as_str())))
        .count();
    if crossed == 0 {
        Ok(())
    } else {
        Err(format!("{crossed} {what} reached the other origin"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::authorize::AuthorizationRequest;
    use crate::client::login::{Decided, Journey};

    fn attempt(redirect: Result<&str, LoginError>, journey: Journey) -> AuthorizationAttempt {
        let profile = crate::profile::Profile::load("401go").unwrap();
        let request = AuthorizationRequest::new(&profile, "c", "http://127.0.0.1:9/cb", None);
        AuthorizationAttempt {
            request,
            url: "http://127.0.0.1:1/authorize".parse().unwrap(),
            redirect: redirect.map(str::to_owned),
            journey,
        }
    }

    fn logged_in() -> Journey {
        Journey {
            login_page: true,
            password_sent: true,
            ..Journey::default()
        }
    }

    const CODE: &str = "http://127.0.0.1:9/cb?code=c&state=s";

    #[test]
    fn a_forged_approval_is_judged_only_when_there_was_a_form_to_forge() {
        let forge = Intent::ForgeApproval(ConsentForgery::Left);
        let refused = || LoginError::LoginRefused {
            url: "http://127.0.0.1:1/login".into(),
            status: 200,
        };
        let forged = Journey {
            decided: Some(crate::client::login::Decided {
                approved: true,
                url: "http://127.0.0.1:1/consent".into(),
                control: "Authorize".into(),
            }),
            forged: Some(Default::default()),
            ..logged_in()
        };
        // The login form again after the forgery is the server refusing it:
        // the scenario's check judges that.
        assert_eq!(
            judge(&attempt(Err(refused()), forged.clone()), &forge),
            None
        );
        // Refused before anything was forged: the test user could not log in.
        assert!(matches!(
            judge(&attempt(Err(refused()), logged_in()), &forge),
            Some(Verdict::NotRun(r)) if r.contains("could not log in")
        ));
        // A code with no consent form on the way: nothing was forged.
        assert!(matches!(
            judge(&attempt(Ok(CODE), logged_in()), &forge),
            Some(Verdict::Skip(r)) if r.contains("no consent form to forge")
        ));
        assert_eq!(judge(&attempt(Ok(CODE), forged), &forge), None);
    }

    #[test]
    fn an_error_instead_of_a_code_after_approval_names_the_error_and_the_profile() {
        let why = refused_approval(
            "http://127.0.0.1:9/cb?error=invalid_scope&error_description=not+allowed&state=s",
        )
        .unwrap();
        assert!(why.contains("error=invalid_scope (not allowed)"), "{why}");
        assert!(why.contains("authorization_code.default_scope"), "{why}");
        assert_eq!(refused_approval(CODE), None);
        assert_eq!(refused_approval("http://127.0.0.1:9/cb?state=s"), None);
    }

    #[test]
    fn undrivable_pages_are_not_run_and_missing_pages_are_skipped() {
        let cannot = LoginError::CannotDrive {
            url: "u".into(),
            status: 200,
            why: "no form".into(),
            seen: "forms: none".into(),
        };
        let approve = Intent::Approve { account: None };
        assert!(
            matches!(judge(&attempt(Err(cannot), logged_in()), &approve), Some(Verdict::NotRun(r)) if r.contains("could not drive"))
        );
        let straight = attempt(Ok(CODE), Journey::default());
        assert!(
            matches!(judge(&straight, &Intent::WrongPassword), Some(Verdict::Skip(r)) if r.contains("no login page") && r.contains("straight back to http://127.0.0.1:9/cb)"))
        );
        assert!(
            matches!(judge(&straight, &Intent::Deny), Some(Verdict::Skip(r)) if r.contains("nothing to deny"))
        );
        assert_eq!(judge(&straight, &approve), None);
        let company = Intent::Approve {
            account: Some("company".into()),
        };
        assert!(
            matches!(judge(&straight, &company), Some(Verdict::Skip(r)) if r.contains("never asked"))
        );
        let no_deny = LoginError::NoDenyControl {
            url: "u".into(),
            seen: "buttons \"Continue\"".into(),
        };
        assert!(matches!(
            judge(&attempt(Err(no_deny), logged_in()), &Intent::Deny),
            Some(Verdict::Skip(_))
        ));
    }

    #[test]
    fn a_wrong_password_that_gets_a_code_fails_and_a_refusal_passes() {
        let accepted = attempt(Ok(CODE), logged_in());
        assert_eq!(judge(&accepted, &Intent::WrongPassword), None);
        let outcome = check_wrong_password(&accepted);
        assert!(outcome.failed() && outcome.check.id == "authorize-login-verifies-password");
        let refused = attempt(
            Err(LoginError::LoginRefused {
                url: "u".into(),
                status: 200,
            }),
            logged_in(),
        );
        assert_eq!(judge(&refused, &Intent::WrongPassword), None);
        assert!(!check_wrong_password(&refused).failed());
        // The right user refused: the configuration, not the server.
        assert!(
            matches!(judge(&refused, &Intent::Deny), Some(Verdict::NotRun(r)) if r.contains("OAUTH_CONFORMANCE_PASSWORD"))
        );
        let denied = attempt(
            Ok("http://127.0.0.1:9/cb?error=access_denied&state=s"),
            logged_in(),
        );
        assert!(!check_wrong_password(&denied).failed());
        // A server failing, or no answer: no verdict.
        let broken = attempt(
            Err(LoginError::ErrorPage {
                url: "u".into(),
                status: 500,
                described: "d".into(),
            }),
            logged_in(),
        );
        assert!(check_wrong_password(&broken).is_not_run());
        let timeout = attempt(
            Err(LoginError::Timeout {
                limit: std::time::Duration::from_secs(1),
                url: "u".into(),
            }),
            logged_in(),
        );
        assert!(check_wrong_password(&timeout).is_not_run());
    }

    fn answered(status: u16, elsewhere: bool) -> Journey {
        let mut journey = logged_in();
        journey.password_answers = vec![crate::client::login::PasswordAnswer {
            status,
            to: Some("http://127.0.0.1:1/next".into()),
            elsewhere,
        }];
        journey
    }

    #[test]
    fn a_login_answered_with_307_fails_and_no_login_is_skipped() {
        let judge = |journey: Journey| {
            let o = check_password_not_forwarded(&attempt(Ok(CODE), journey));
            match o.verdict {
                Verdict::Pass | Verdict::Fail(_) => Ok(o.failed()),
                other => Err(other),
            }
        };
        for (status, elsewhere) in [(200, false), (302, true), (303, false), (308, false)] {
            assert_eq!(judge(answered(status, elsewhere)), Ok(false), "{status}");
        }
        assert_eq!(judge(answered(307, false)), Ok(true));
        assert_eq!(judge(answered(307, true)), Ok(true));
        assert_eq!(judge(answered(308, true)), Ok(true));
        assert!(
            matches!(judge(Journey::default()), Err(Verdict::Skip(r)) if r.contains("no login page"))
        );
        assert!(matches!(judge(logged_in()), Err(Verdict::NotRun(_))));
    }

    #[test]
    fn a_denial_goes_on_only_when_the_user_really_denied() {
        let mut journey = logged_in();
        journey.decided = Some(Decided {
            approved: false,
            url: "u".into(),
            control: "Cancel".into(),
        });
        let denied = attempt(
            Ok("http://127.0.0.1:9/cb?error=access_denied&state=s"),
            journey,
        );
        assert_eq!(judge(&denied, &Intent::Deny), None);
    }

    #[test]
    fn crossing_values_are_counted_never_shown() {
        let own = vec!["session-secret-value".to_owned()];
        assert_eq!(nothing_crossed("cookies", &own, &["a=1".into()]), Ok(()));
        let err = nothing_crossed("cookies", &own, &["s=session-secret-value".into()]).unwrap_err();
        assert!(!err.contains("session-secret-value"), "{err}");
    }
}
