//! Checks on what the authorization endpoint did (RFC 6749 §4.1.2, §4.1.2.1,
//! §3.1.2.4): where it redirected the user, and with which parameters.
//!
//! They read the server's own redirect, before the client parses it, so a
//! state the server altered is reported against the server (the client's
//! CSRF refusal of it is a client check, RFC 6749 §10.12).

use super::catalogue::*;
use super::{Check, CheckOutcome};
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::login::LoginError;

/// The value of the query parameter `name` of a redirect `location`, if any.
pub fn query_param(location: &str, name: &str) -> Option<String> {
    let url = url::Url::parse(location).ok()?;
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Whether the response parameters came in the redirect's fragment instead
/// of its query: `code` or `error` in the fragment, neither in the query.
fn answered_in_fragment(location: &str) -> bool {
    let Ok(url) = url::Url::parse(location) else {
        return false;
    };
    let in_query = url.query_pairs().any(|(k, _)| k == "code" || k == "error");
    let in_fragment = url.fragment().is_some_and(|f| {
        form_urlencoded::parse(f.as_bytes()).any(|(k, _)| k == "code" || k == "error")
    });
    in_fragment && !in_query
}

/// RFC 6749 §4.1.2: the code (§4.1.2.1: the error) and the state come back
/// in the query component of the redirect URI. `None` for a redirect that
/// carries neither in either place (nothing to judge here).
pub fn check_response_in_query(location: &str) -> Option<CheckOutcome> {
    let check = &AUTHZ_RESPONSE_IN_QUERY;
    if answered_in_fragment(location) {
        return Some(CheckOutcome::fail(
            check,
            "the redirect carries the response parameters in the URL fragment, not in the query component",
        ));
    }
    let answered =
        query_param(location, "code").is_some() || query_param(location, "error").is_some();
    answered.then(|| CheckOutcome::pass(check))
}

/// The redirect back to the client carries the state unchanged: §4.1.2 for a
/// code, §4.1.2.1 for an error. Parameters in the fragment are
/// [`check_response_in_query`]'s to report; the state is not judged there.
pub fn check_redirect(location: &str, sent_state: Option<&str>) -> CheckOutcome {
    let check = if query_param(location, "error").is_some() {
        &AUTHZ_ERROR_STATE_ECHOED
    } else {
        &AUTHZ_STATE_ECHOED
    };
    if answered_in_fragment(location) {
        return CheckOutcome::skip(
            check,
            "the response parameters came in the fragment (authorize-response-in-query)",
        );
    }
    let Some(sent) = sent_state else {
        return CheckOutcome::skip(check, "the client sent no state");
    };
    let got = query_param(location, "state");
    CheckOutcome::expect(check, got.as_deref() == Some(sent), || match got {
        None => "the redirect carries no state".into(),
        Some(_) => "the redirect's state differs from the one the client sent".into(),
    })
}

/// An error redirect's `error`, `error_description` and `error_uri` use only
/// the characters §4.1.2.1 allows; `None` for a redirect without `error`
/// (no error response to judge).
pub fn check_error_charset(location: &str) -> Option<CheckOutcome> {
    use super::error_response::{allowed_error_char, allowed_error_uri_char};
    query_param(location, "error")?;
    let value = |name: &str| query_param(location, name).unwrap_or_default();
    let bad = [
        ("error", allowed_error_char as fn(char) -> bool),
        ("error_description", allowed_error_char),
        ("error_uri", allowed_error_uri_char),
    ]
    .into_iter()
    .find_map(|(name, allowed)| {
        value(name)
            .chars()
            .find(|c| !allowed(*c))
            .map(|c| (name, c))
    });
    Some(CheckOutcome::expect(
        &AUTHZ_ERROR_CHARSET,
        bad.is_none(),
        || {
            let (name, c) = bad.unwrap_or_default();
            format!("{name} has the character {c:?}, outside the allowed set")
        },
    ))
}

/// A user's denial comes back as `error=access_denied` (§4.1.2.1).
pub fn check_denial(location: &str) -> CheckOutcome {
    let error = query_param(location, "error");
    CheckOutcome::expect(
        &AUTHZ_DENIAL_ACCESS_DENIED,
        error.as_deref() == Some("access_denied"),
        || {
            match &error {
            Some(e) => format!(
                "the user denied access and the server answered error={e}; RFC 6749 §4.1.2.1 asks for error=access_denied"
            ),
            None if answered_in_fragment(location) => "the denial came back in the redirect URI's fragment; RFC 6749 §4.1.2.1 adds error=access_denied to the query component".into(),
            None if query_param(location, "code").is_some() => "the user denied access and the server issued a code; RFC 6749 §4.1.2.1 asks for error=access_denied".into(),
            None => "the redirect after the user denied access carries no error parameter; RFC 6749 §4.1.2.1 asks for error=access_denied in the query".into(),
        }
        },
    )
}

/// Whether `location` sends the user agent to `target`: the same scheme,
/// userinfo, host, port and path, and every query parameter of `target`
/// (the server adds its own), and, when `target` has a fragment, a
/// fragment that keeps it (the server may have put its parameters after
/// it). A redirect to the registered URI instead of a near miss of it is
/// not one to the near miss.
pub fn redirects_to(location: &str, target: &str) -> bool {
    let (Ok(at), Ok(to)) = (url::Url::parse(location), url::Url::parse(target)) else {
        return location.starts_with(target);
    };
    let pairs: Vec<_> = at.query_pairs().collect();
    let fragment_kept = match to.fragment() {
        Some(wanted) => at.fragment().is_some_and(|f| f.starts_with(wanted)),
        None => true,
    };
    fragment_kept
        && at.scheme() == to.scheme()
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
/// a not-run outcome says why.
pub fn judge_not_redirected(
    check: &'static Check,
    outcome: &Result<String, LoginError>,
    target: &str,
) -> CheckOutcome {
    match outcome {
        Ok(location) => CheckOutcome::expect(check, !redirects_to(location, target), || {
            format!("the server redirected the user to {target}")
        }),
        Err(LoginError::ErrorPage { .. } | LoginError::LoginRefused { .. }) => {
            CheckOutcome::pass(check)
        }
        Err(e) => CheckOutcome::not_run(
            check,
            format!("no verdict on whether the server would redirect to {target}: {e}"),
        ),
    }
}

/// Judges an approval forged as another site's page would send it (RFC
/// 6749 §10.12, see `client::login::forgery`): a redirect with a code
/// fails, naming what the forgery carried (the token left out or made up,
/// or that the form has none; each cookie with its `SameSite` attribute and
/// whether it went); a redirect without one, an error page, the login or
/// consent page again passes. A not-run outcome says why there is no
/// verdict: the forged approval was never sent, no answer came, or a code
/// came for a form whose target URL carries values no other site could know
/// (so it was no real forgery).
pub fn judge_forged_consent(attempt: &AuthorizationAttempt) -> CheckOutcome {
    let Some(forged) = &attempt.journey.forged else {
        return CheckOutcome::not_run(
            &AUTHZ_CONSENT_CSRF,
            match &attempt.redirect {
                Err(e) => format!("the forged approval was never sent: {e}"),
                Ok(_) => "the forged approval was never sent: no consent page came".into(),
            },
        );
    };
    let carried = forged.describe();
    match &attempt.redirect {
        Ok(location)
            if query_param(location, "code").is_some() && !forged.unforgeable.is_empty() =>
        {
            CheckOutcome::not_run(
                &AUTHZ_CONSENT_CSRF,
                format!(
                    "no verdict on the forged approval: the server issued a code, but the consent form posts to a URL with {}, which no other site could know, so the request was no real forgery ({carried})",
                    forged.unforgeable.join(" and ")
                ),
            )
        }
        Ok(location) => CheckOutcome::expect(
            &AUTHZ_CONSENT_CSRF,
            query_param(location, "code").is_none(),
            || {
                format!(
                    "the server issued a code for an approval posted as another site would post it: {carried}"
                )
            },
        ),
        Err(
            LoginError::ErrorPage { .. }
            | LoginError::ConsentAgain { .. }
            | LoginError::LoginRefused { .. },
        ) => CheckOutcome::pass(&AUTHZ_CONSENT_CSRF),
        Err(e) => CheckOutcome::not_run(
            &AUTHZ_CONSENT_CSRF,
            format!("no verdict on the forged approval ({carried}): {e}"),
        ),
    }
}

/// Judges an approved request that carried a parameter the server does not
/// know (`with`), after the same request without it (`without`) got a code
/// (RFC 6749 §3.1: unrecognised parameters are ignored). A code passes; an
/// error redirect, no code or an error page fails. When the request without
/// the parameter got no code, or a page could not be driven, nothing is
/// proven: a not-run outcome says why.
pub fn judge_unknown_param_ignored(
    without: &Result<String, LoginError>,
    with: &Result<String, LoginError>,
    name: &str,
) -> CheckOutcome {
    let check = &AUTHZ_IGNORES_UNKNOWN_PARAMS;
    match without {
        Ok(location) if query_param(location, "code").is_some() => {}
        _ => {
            return CheckOutcome::not_run(
                check,
                format!(
                    "no verdict on the unknown parameter {name}: the same request without it got no code"
                ),
            );
        }
    }
    match with {
        Ok(location) => {
            CheckOutcome::expect(check, query_param(location, "code").is_some(), || {
                match query_param(location, "error") {
                    Some(e) => {
                        format!(
                            "the request with the unknown parameter {name} was refused: error={e}"
                        )
                    }
                    None => format!("the request with the unknown parameter {name} got no code"),
                }
            })
        }
        Err(LoginError::ErrorPage { status, .. }) => CheckOutcome::fail(
            check,
            format!(
                "the request with the unknown parameter {name} got an error page (status {status})"
            ),
        ),
        Err(e) => CheckOutcome::not_run(
            check,
            format!("no verdict on the unknown parameter {name}: {e}"),
        ),
    }
}

/// Judges the answer to a request whose response_type is missing or not
/// understood (RFC 6749 §3.1.1): the server MUST return the §4.1.2.1 error
/// response, a redirect to the client's redirect URI with `error` set to
/// `invalid_request` for a missing one ("The request is missing a required
/// parameter"), and `invalid_request` or `unsupported_response_type` for a
/// value it does not understand. A code, another error, a redirect
/// elsewhere or an error page fails. A refused login, a page the suite could
/// not drive, or no answer proves nothing: not run.
pub fn judge_response_type_error(attempt: &AuthorizationAttempt) -> CheckOutcome {
    let missing = query_param(attempt.url.as_str(), "response_type").is_none();
    let (codes, what): (&[&str], _) = match missing {
        true => (&["invalid_request"], "a request without response_type"),
        false => (
            &["invalid_request", "unsupported_response_type"],
            "a response_type the server does not understand",
        ),
    };
    judge_error_redirect(
        &AUTHZ_RESPONSE_TYPE_ERROR,
        &attempt.redirect,
        &attempt.request.redirect_uri,
        codes,
        what,
    )
}

/// The §4.1.2.1 error response that RFC 6749 §3.1.1 and RFC 7636 §4.4.1
/// call for: a redirect to `redirect_uri` whose `error` is one of `codes`.
/// A code, another error, a redirect elsewhere or an error page fails; a 405
/// or 501 page refuses the method, not the request, and like a refused
/// login, a page the suite could not drive or no answer is no verdict
/// (not run). `what` names the request in the messages.
pub fn judge_error_redirect(
    check: &'static Check,
    outcome: &Result<String, LoginError>,
    redirect_uri: &str,
    codes: &[&str],
    what: &str,
) -> CheckOutcome {
    let expected = codes.join(" or ");
    match outcome {
        Ok(location) => {
            let error = query_param(location, "error");
            let back = redirects_to(location, redirect_uri);
            let fine = back && error.as_deref().is_some_and(|e| codes.contains(&e));
            CheckOutcome::expect(check, fine, || {
                if !back {
                    format!(
                        "the server redirected {what} somewhere other than the client's redirect URI ({}), where RFC 6749 §4.1.2.1 sends the error response ({expected})",
                        location.split(['?', '#']).next().unwrap_or_default()
                    )
                } else if query_param(location, "code").is_some() {
                    format!(
                        "the server issued a code for {what}, where RFC 6749 §4.1.2.1 asks for the error response ({expected})"
                    )
                } else if answered_in_fragment(location) {
                    format!(
                        "the error response to {what} came back in the redirect URI's fragment; RFC 6749 §4.1.2.1 adds it to the query component ({expected} expected)"
                    )
                } else {
                    match error {
                        Some(e) => format!(
                            "the server answered {what} with error={e}; RFC 6749 §4.1.2.1 asks for {expected}"
                        ),
                        None => format!(
                            "the redirect for {what} carries no error parameter; RFC 6749 §4.1.2.1 asks for error={expected} in the query"
                        ),
                    }
                }
            })
        }
        Err(LoginError::ErrorPage { status, .. })
            if !super::authorization_get::METHOD_REFUSED.contains(status) =>
        {
            CheckOutcome::fail(
                check,
                format!(
                    "the server answered {what} with an error page (status {status}) instead of redirecting {expected} to the client"
                ),
            )
        }
        Err(e) => CheckOutcome::not_run(check, format!("no verdict on the answer to {what}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::authorization_attempt;

    #[test]
    fn error_redirects_use_only_the_allowed_characters() {
        let judge = |l: &str| check_error_charset(l).map(|o| o.failed());
        assert_eq!(judge("http://127.0.0.1:9/cb?code=c&state=s"), None);
        let fine = "http://127.0.0.1:9/cb?error=access_denied&error_description=The+user+denied%21\
                    &error_uri=https%3A%2F%2Fas.example%2Ferrors%3Fid%3D1";
        assert_eq!(judge(fine), Some(false));
        for bad in [
            "http://127.0.0.1:9/cb?error=access_denied&error_description=%22denied%22",
            "http://127.0.0.1:9/cb?error=access_denied&error_description=back%5Cslash",
            "http://127.0.0.1:9/cb?error=access_d%C3%A9nied",
            "http://127.0.0.1:9/cb?error=access_denied&error_uri=https%3A%2F%2Fas.example%2Fa+b",
        ] {
            assert_eq!(judge(bad), Some(true), "{bad}");
        }
    }

    #[test]
    fn an_unknown_parameter_must_not_cost_the_code() {
        let code: Result<String, LoginError> = Ok("http://127.0.0.1:9/cb?code=c&state=s".into());
        let refused: Result<String, LoginError> =
            Ok("http://127.0.0.1:9/cb?error=invalid_request&state=s".into());
        let page: Result<String, LoginError> = Err(LoginError::ErrorPage {
            url: "http://as/authorize".into(),
            status: 400,
            described: "Unknown parameter".into(),
        });
        let timeout: Result<String, LoginError> = Err(LoginError::Timeout {
            limit: std::time::Duration::from_secs(1),
            url: "http://as/authorize".into(),
        });
        let judge = |without, with| judge_unknown_param_ignored(without, with, "x");
        assert!(!judge(&code, &code).failed());
        assert!(judge(&code, &refused).failed());
        assert!(judge(&code, &page).failed());
        assert!(judge(&code, &timeout).is_not_run());
        // Without a code for the plain request, nothing is proven.
        assert!(judge(&refused, &refused).is_not_run());
        assert!(judge(&timeout, &code).is_not_run());
    }

    #[test]
    fn a_missing_response_type_is_a_missing_parameter_invalid_request() {
        let missing = "http://127.0.0.1:8080/authorize?client_id=c";
        let judge = |location: &str| {
            judge_response_type_error(&authorization_attempt(missing, Ok(location.into())))
        };
        assert!(!judge("http://127.0.0.1:9/cb?error=invalid_request&state=s").failed());
        let unsupported = judge("http://127.0.0.1:9/cb?error=unsupported_response_type&state=s");
        assert!(unsupported.failed(), "{unsupported:?}");
        let said = unsupported.describe();
        assert!(
            said.contains("without response_type") && said.contains("invalid_request"),
            "{said}"
        );
    }

    #[test]
    fn a_bad_response_type_must_come_back_as_an_error_redirect() {
        let unknown = "http://127.0.0.1:8080/authorize?response_type=foo&client_id=c";
        let judge = |o: Result<&str, LoginError>| {
            judge_response_type_error(&authorization_attempt(unknown, o.map(str::to_owned)))
        };
        for good in [
            "http://127.0.0.1:9/cb?error=unsupported_response_type&state=s",
            "http://127.0.0.1:9/cb?error=invalid_request",
        ] {
            assert!(!judge(Ok(good)).failed(), "{good}");
        }
        for bad in [
            "http://127.0.0.1:9/cb?code=c&state=s",
            "http://127.0.0.1:9/cb?error=server_error",
            "http://127.0.0.1:9/cb?state=s",
            "http://127.0.0.1:9/elsewhere?error=invalid_request",
        ] {
            assert!(judge(Ok(bad)).failed(), "{bad}");
        }
        // The failure says what went wrong, in the order a reader checks it.
        let says = |location: &str| judge(Ok(location)).describe();
        assert!(says("http://127.0.0.1:9/elsewhere?code=c").contains("somewhere other"));
        assert!(says("http://127.0.0.1:9/cb?code=c").contains("issued a code"));
        assert!(says("http://127.0.0.1:9/cb?error=server_error").contains("error=server_error"));
        assert!(says("http://127.0.0.1:9/cb?state=s").contains("no error"));
        // Said where it is: an error response in the fragment.
        let fragment = says("http://127.0.0.1:9/cb#error=invalid_request&state=s");
        assert!(
            fragment.contains("fragment") && fragment.contains("query"),
            "{fragment}"
        );
        let page = LoginError::ErrorPage {
            url: "http://as/authorize".into(),
            status: 400,
            described: "Unsupported response type".into(),
        };
        assert!(judge(Err(page)).failed());
        let timeout = LoginError::Timeout {
            limit: std::time::Duration::from_secs(1),
            url: "http://as/authorize".into(),
        };
        assert!(judge(Err(timeout)).is_not_run());
        let refused = LoginError::LoginRefused {
            url: "http://as/login".into(),
            status: 200,
        };
        assert!(judge(Err(refused)).is_not_run());
    }

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
    fn the_response_must_come_in_the_query() {
        let judge = |l: &str| check_response_in_query(l).map(|o| o.failed());
        assert_eq!(judge("http://127.0.0.1:9/cb?code=c&state=s"), Some(false));
        assert_eq!(
            judge("http://127.0.0.1:9/cb?error=access_denied"),
            Some(false)
        );
        assert_eq!(judge("http://127.0.0.1:9/cb#code=c&state=s"), Some(true));
        assert_eq!(
            judge("http://127.0.0.1:9/cb?x=1#error=access_denied"),
            Some(true)
        );
        // A fragment of the client's own beside a query answer is fine.
        assert_eq!(judge("http://127.0.0.1:9/cb?code=c#code=x"), Some(false));
        assert_eq!(judge("http://127.0.0.1:9/cb?x=1#section"), None);
        // The state is not judged on a fragment answer: that check would
        // only repeat this one.
        let skipped = check_redirect("http://127.0.0.1:9/cb#code=c&state=s", Some("s"));
        assert!(matches!(skipped.verdict, crate::checks::Verdict::Skip(_)));
    }

    #[test]
    fn denial_and_unregistered_redirects() {
        assert!(!check_denial("http://127.0.0.1:9/cb?error=access_denied&state=s").failed());
        assert!(check_denial("http://127.0.0.1:9/cb?error=server_error&state=s").failed());
        // Every failure names the rule and what came, where it came.
        let said = |l: &str| check_denial(l).describe();
        assert!(said("http://127.0.0.1:9/cb#error=access_denied&state=s").contains("fragment"));
        assert!(said("http://127.0.0.1:9/cb?code=c&state=s").contains("issued a code"));
        assert!(said("http://127.0.0.1:9/cb?state=s").contains("no error parameter"));
        assert!(said("http://127.0.0.1:9/cb?error=server_error").contains("error=server_error"));
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
        assert!(judge_not_redirected(check, &to_near, near).failed());
        let to_registered: Result<String, LoginError> =
            Ok("http://127.0.0.1:9/cb?error=invalid_request".into());
        assert!(!judge_not_redirected(check, &to_registered, near).failed());
        let error_page = Err(LoginError::ErrorPage {
            url: "http://as/authorize".into(),
            status: 400,
            described: "Invalid redirect_uri".into(),
        });
        assert!(!judge_not_redirected(check, &error_page, near).failed());
        let timeout = Err(LoginError::Timeout {
            limit: std::time::Duration::from_secs(1),
            url: "http://as/authorize".into(),
        });
        assert!(judge_not_redirected(check, &timeout, near).is_not_run());
        let undrivable = Err(LoginError::CannotDrive {
            url: "http://as/authorize".into(),
            status: 200,
            why: "no form".into(),
            seen: String::new(),
        });
        assert!(judge_not_redirected(check, &undrivable, near).is_not_run());
    }

    fn forged(field: Option<&str>, redirect: Result<String, LoginError>) -> CheckOutcome {
        forged_with(field, &[], redirect)
    }

    fn forged_with(
        field: Option<&str>,
        unforgeable: &[&str],
        redirect: Result<String, LoginError>,
    ) -> CheckOutcome {
        let profile = crate::profile::Profile::load("401go").unwrap();
        let request = crate::client::authorize::AuthorizationRequest::new(
            &profile,
            "c",
            "http://127.0.0.1:9/cb",
            None,
        );
        let url = request
            .url(&profile, &"http://127.0.0.1:9/".parse().unwrap())
            .unwrap();
        let journey = crate::client::login::Journey {
            forged: field.map(|f| crate::client::login::forgery::Forged {
                csrf_fields: (!f.is_empty()).then(|| f.to_owned()).into_iter().collect(),
                made_up: vec![],
                unforgeable: unforgeable.iter().map(|u| (*u).to_owned()).collect(),
                cookies: vec![crate::client::login::forgery::CrossSiteCookie {
                    name: "sid".into(),
                    same_site: None,
                    attached: true,
                }],
            }),
            ..Default::default()
        };
        judge_forged_consent(&AuthorizationAttempt {
            request,
            url,
            redirect,
            journey,
        })
    }

    #[test]
    fn a_code_for_a_forged_approval_fails_and_no_answer_is_no_verdict() {
        let field = Some("csrf_token");
        let code = forged(field, Ok("http://127.0.0.1:9/cb?code=c&state=s".into()));
        assert!(code.failed() && code.check.id == "authorize-consent-csrf-protected");
        assert!(code.describe().contains("csrf_token"));
        let error = forged(
            field,
            Ok("http://127.0.0.1:9/cb?error=access_denied".into()),
        );
        assert!(!error.failed());
        for refusal in [
            LoginError::ErrorPage {
                url: "u".into(),
                status: 403,
                described: "CSRF".into(),
            },
            LoginError::ConsentAgain { url: "u".into() },
            LoginError::LoginRefused {
                url: "u".into(),
                status: 200,
            },
        ] {
            assert!(!forged(field, Err(refusal)).failed());
        }
        let timeout = LoginError::Timeout {
            limit: std::time::Duration::from_secs(1),
            url: "u".into(),
        };
        assert!(forged(field, Err(timeout)).is_not_run());
        // A code for a form whose target no other site could know: no verdict.
        let per_request = forged_with(
            field,
            &["its query parameter session_code"],
            Ok("http://127.0.0.1:9/cb?code=c".into()),
        );
        assert!(
            per_request
                .detail()
                .unwrap_or_default()
                .contains("session_code")
        );
        let refused = forged_with(
            field,
            &["its query parameter session_code"],
            Ok("http://127.0.0.1:9/cb?error=access_denied".into()),
        );
        assert!(!refused.failed());
        // Never sent: no verdict, whatever came back.
        assert!(forged(None, Ok("http://127.0.0.1:9/cb?code=c".into())).is_not_run());
    }

    #[test]
    fn a_code_for_a_form_without_a_token_fails_naming_the_cookies_samesite() {
        let code = forged(Some(""), Ok("http://127.0.0.1:9/cb?code=c&state=s".into()));
        let said = code.describe();
        assert!(code.failed(), "{said}");
        assert!(said.contains("carries no CSRF token field"), "{said}");
        assert!(
            said.contains("sid (no SameSite attribute, attached"),
            "{said}"
        );
        assert!(
            said.contains("Origin and Referer https://cross-site.invalid"),
            "{said}"
        );
        let refused = forged(
            Some(""),
            Err(LoginError::ErrorPage {
                url: "u".into(),
                status: 400,
                described: "session".into(),
            }),
        );
        assert!(!refused.failed() && !refused.is_not_run());
    }
}
