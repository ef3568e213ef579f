//! Checks on a refusal from the token endpoint (RFC 6749 §5.2).
//!
//! A refusal is checked twice over: first that the server refused at all
//! (the situation's own check, e.g. `code-single-use`, see
//! [`super::refusal`]), then that the refusal has the §5.2 form (status,
//! JSON, error code, charset, challenge). When the server did not refuse,
//! only the situation's check fails: the form checks are skipped, so one
//! broken rule is reported as one failure.

use super::catalogue::*;
pub(crate) use super::error_charset::{allowed_error_char, allowed_error_uri_char};
use super::error_charset::{charset, error_uri};
use super::refusal::{self, NoAnswer};
use super::{CheckOutcome, is_json_media_type};
use crate::checks::Check;
use crate::client::www_authenticate;
use crate::client::{HttpAnswer, TokenAttempt};

/// The check that an error response carries `code`.
pub fn code_check(code: &str) -> &'static Check {
    match code {
        "invalid_request" => &ERR_CODE_INVALID_REQUEST,
        "invalid_client" => &ERR_CODE_INVALID_CLIENT,
        "invalid_grant" => &ERR_CODE_INVALID_GRANT,
        "unsupported_grant_type" => &ERR_CODE_UNSUPPORTED_GRANT_TYPE,
        "unauthorized_client" => &ERR_CODE_UNAUTHORIZED_CLIENT,
        "invalid_scope" => &ERR_CODE_INVALID_SCOPE,
        _ => &ERR_CODE,
    }
}

/// Whether the request authenticated the client with HTTP Basic: then a
/// failed authentication must be a 401 with a Basic challenge (§5.2).
pub fn used_basic(attempt: &TokenAttempt) -> bool {
    attempt
        .request
        .header("authorization")
        .and_then(|v| v.split_whitespace().next())
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("basic"))
}

/// Checks an attempt that should have been refused with `expected`: the
/// situation's own check (from the attempt's misstep, see
/// [`refusal::situation_check`]) and the §5.2 form. Without an HTTP answer
/// the situation's check (or, without one, the error-code check) fails as
/// "no answer" and the form checks are skipped.
pub fn check_attempt(attempt: &TokenAttempt, expected: &str) -> Vec<CheckOutcome> {
    let situation = refusal::situation_check(attempt, expected);
    let Some(answer) = &attempt.answer else {
        let silence = NoAnswer::of(attempt)
            .map(|n| n.to_string())
            .unwrap_or_default();
        let judged = situation.unwrap_or_else(|| code_check(expected));
        let mut out = vec![CheckOutcome::fail(judged, silence)];
        out.extend(
            std::iter::once(code_check(expected))
                .chain(FORM_CHECKS)
                .filter(|c| c.id != judged.id)
                .map(|c| CheckOutcome::skip(c, "no answer to read")),
        );
        return out;
    };
    let out = check(answer, expected, used_basic(attempt), situation);
    match (situation, attempt.misstep.and_then(refusal::required_code)) {
        (Some(situation), Some(code)) if code == expected => code_judged_by(out, situation),
        _ => out,
    }
}

/// For a situation whose sentence asks for the code with a keyword
/// ([`refusal::required_code`]): a wrong code fails the situation's check,
/// at its level, and the derived code check is skipped, so the one fault is
/// reported once, at the level the RFC gives it.
fn code_judged_by(outcomes: Vec<CheckOutcome>, situation: &'static Check) -> Vec<CheckOutcome> {
    let wrong_code = outcomes.iter().find_map(|o| match &o.verdict {
        super::Verdict::Fail(detail) if o.check.id.starts_with("error-code-") => {
            Some((o.check, detail.clone()))
        }
        _ => None,
    });
    let Some((code_check, detail)) = wrong_code else {
        return outcomes;
    };
    outcomes
        .into_iter()
        .map(|o| {
            if o.check.id == situation.id {
                CheckOutcome::fail(situation, format!("refused, but {detail}"))
            } else if o.check.id == code_check.id {
                CheckOutcome::skip(
                    code_check,
                    format!(
                        "the code is {}'s to judge: its sentence asks for it",
                        situation.id
                    ),
                )
            } else {
                o
            }
        })
        .collect()
}

/// [`check_attempt`] for a refusal the RFCs let carry either of two codes
/// (e.g. a missing PKCE verifier: `invalid_request` for the missing
/// parameter, or `invalid_grant`): the code the server sent is judged by its
/// own check when it is one of the two.
pub fn check_attempt_either(attempt: &TokenAttempt, one: &str, other: &str) -> Vec<CheckOutcome> {
    let sent = attempt.answer.as_ref().and_then(error_code);
    let expected = if sent.as_deref() == Some(other) {
        other
    } else {
        one
    };
    check_attempt(attempt, expected)
        .into_iter()
        .map(|o| match (&o.verdict, sent.as_deref()) {
            (super::Verdict::Fail(_), Some(code)) if o.check.id == code_check(one).id => {
                CheckOutcome::fail(
                    o.check,
                    format!("error is {code:?}, expected {one:?} or {other:?}"),
                )
            }
            _ => o,
        })
        .collect()
}

/// The `error` member of a JSON error body, if there is one.
pub fn error_code(answer: &HttpAnswer) -> Option<String> {
    let body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&answer.body).ok()?;
    body.get("error")?.as_str().map(str::to_owned)
}

/// Checks a token endpoint answer that should be a refusal with `expected`.
/// `refusal` is the situation's own check; `used_basic` says whether the
/// client authenticated with HTTP Basic (then a 401 needs a Basic challenge).
pub fn check(
    answer: &HttpAnswer,
    expected: &str,
    used_basic: bool,
    refusal: Option<&'static Check>,
) -> Vec<CheckOutcome> {
    // A situation whose own check is the error code's (a grant the client
    // is not registered for) is judged once, by the code check.
    let refusal = refusal.filter(|r| r.id != code_check(expected).id);
    let refused = !(200..300).contains(&answer.status);
    let mut out: Vec<CheckOutcome> = refusal
        .map(|check| {
            CheckOutcome::expect(check, refused, || {
                format!(
                    "the server answered {} instead of refusing: {}",
                    answer.status,
                    answer.describe()
                )
            })
        })
        .into_iter()
        .collect();
    if refused {
        out.extend(form_checks(answer, expected, used_basic));
    } else {
        out.extend(not_refused(answer, expected, refusal.is_some()));
    }
    out
}

/// A token where a refusal was expected: without a situation's check the
/// error-code check says so; every form check is skipped.
fn not_refused(answer: &HttpAnswer, expected: &str, situation_checked: bool) -> Vec<CheckOutcome> {
    let why = format!("the server did not refuse (status {})", answer.status);
    let code = if situation_checked {
        CheckOutcome::skip(code_check(expected), why.clone())
    } else {
        CheckOutcome::fail(
            code_check(expected),
            format!("{why}; expected error {expected:?}"),
        )
    };
    std::iter::once(code)
        .chain(FORM_CHECKS.map(|c| CheckOutcome::skip(c, why.clone())))
        .collect()
}

/// The checks of a refusal's §5.2 form, skipped together when there is no
/// refusal to read.
const FORM_CHECKS: [&Check; 5] = [
    &ERR_STATUS,
    &ERR_JSON,
    &ERR_CHARSET,
    &ERR_ERROR_URI,
    &ERR_WWW_AUTHENTICATE,
];

/// The §5.2 form of a refusal: status, JSON with `error`, the code, the
/// charset, `error_uri`, and the Basic challenge after Basic.
fn form_checks(answer: &HttpAnswer, expected: &str, used_basic: bool) -> Vec<CheckOutcome> {
    let body: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&answer.body).ok();
    let member = |name: &str| {
        body.as_ref()
            .and_then(|b| b.get(name))
            .and_then(|e| e.as_str())
    };
    let error = member("error");
    vec![
        CheckOutcome::expect(&ERR_STATUS, status_ok(answer.status, expected), || {
            format!("status {} for {expected}", answer.status)
        }),
        CheckOutcome::expect(
            &ERR_JSON,
            is_json_media_type(answer.content_type()) && error.is_some(),
            || format!("not a JSON error object: {}", answer.describe()),
        ),
        match error {
            Some(error) => CheckOutcome::expect(code_check(expected), error == expected, || {
                format!("error is {error:?}, expected {expected:?}")
            }),
            None => CheckOutcome::skip(
                code_check(expected),
                "no JSON error code to read (see error-response-json)",
            ),
        },
        charset(error, member("error_description")),
        error_uri(body.as_ref().and_then(|b| b.get("error_uri"))),
        if used_basic && expected == "invalid_client" && answer.status != 401 {
            CheckOutcome::fail(
                &ERR_WWW_AUTHENTICATE,
                format!(
                    "status {} to a client that failed HTTP Basic authentication: §5.2 asks for 401 with a Basic challenge",
                    answer.status
                ),
            )
        } else if used_basic && answer.status == 401 {
            basic_challenge(answer)
        } else {
            CheckOutcome::skip(
                &ERR_WWW_AUTHENTICATE,
                "applies only when the client used HTTP Basic and failed to authenticate, or got a 401",
            )
        },
    ]
}

/// §5.2's status, a definition with no keyword: "400 (Bad Request) ...
/// (unless specified otherwise)"; invalid_client is specified otherwise: the
/// server MAY answer 401. The 401 a client that used the Authorization
/// header MUST get is [`ERR_WWW_AUTHENTICATE`]'s to judge, so a failure of
/// that MUST is reported at its own level, once.
fn status_ok(status: u16, expected: &str) -> bool {
    match expected {
        "invalid_client" => status == 400 || status == 401,
        _ => status == 400,
    }
}

/// §5.2: a 401 to a client that used HTTP Basic carries a Basic challenge.
pub fn basic_challenge(answer: &HttpAnswer) -> CheckOutcome {
    let challenges = www_authenticate::parse_all(answer.headers_named("www-authenticate"));
    CheckOutcome::expect(
        &ERR_WWW_AUTHENTICATE,
        challenges.iter().any(|c| c.is("basic")),
        || {
            if challenges.is_empty() {
                format!("{} without WWW-Authenticate", answer.status)
            } else {
                format!(
                    "WWW-Authenticate uses {} instead of Basic",
                    challenges
                        .iter()
                        .map(|c| c.scheme.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        },
    )
}

/// [`basic_challenge`] for an answer that may not be a refusal at all: then
/// there is no challenge to judge and the check is skipped.
pub fn basic_challenge_if_refused(answer: &HttpAnswer) -> CheckOutcome {
    if (200..300).contains(&answer.status) {
        CheckOutcome::skip(
            &ERR_WWW_AUTHENTICATE,
            format!("the server did not refuse (status {})", answer.status),
        )
    } else {
        basic_challenge(answer)
    }
}

/// The status a scenario names, beyond what §5.2 allows (e.g. 401 vs 400 for
/// invalid_client), is its own expectation; a status `outcomes` already
/// reported through `error-response-status` or `error-response-www-authenticate`
/// (a failed Basic authentication not answered 401) is not reported twice.
/// Returns the complaint, if any.
pub fn unexpected_status(outcomes: &[CheckOutcome], got: u16, wanted: u16) -> Option<String> {
    let status_reported = outcomes.iter().any(|o| {
        (o.check.id == ERR_STATUS.id && !matches!(o.verdict, super::Verdict::Pass))
            || (o.check.id == ERR_WWW_AUTHENTICATE.id && o.verdict.failed())
    });
    (got != wanted && !status_reported).then(|| format!("status {got}, expected {wanted}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::{JSON, answer, attempt, request, token_answer};
    use crate::client::Misstep;

    fn failed(out: &[CheckOutcome]) -> Vec<&str> {
        out.iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect()
    }

    #[test]
    fn conforming_invalid_client_passes() {
        let a = answer(
            401,
            &[JSON, ("www-authenticate", "Basic realm=\"x\"")],
            r#"{"error":"invalid_client"}"#,
        );
        assert!(failed(&check(&a, "invalid_client", true, None)).is_empty());
    }

    #[test]
    fn missing_or_foreign_challenge_fails() {
        let a = answer(401, &[JSON], r#"{"error":"invalid_client"}"#);
        assert_eq!(
            failed(&check(&a, "invalid_client", true, None)),
            vec!["error-response-www-authenticate"]
        );
        let a = answer(
            401,
            &[JSON, ("www-authenticate", "Bearer")],
            r#"{"error":"invalid_client"}"#,
        );
        assert_eq!(
            failed(&check(&a, "invalid_client", true, None)),
            vec!["error-response-www-authenticate"]
        );
        // Without Basic, no challenge is required.
        let a = answer(401, &[JSON], r#"{"error":"invalid_client"}"#);
        assert!(failed(&check(&a, "invalid_client", false, None)).is_empty());
    }

    #[test]
    fn a_status_other_than_400_is_a_derived_failure() {
        let a = answer(422, &[JSON], r#"{"error":"invalid_grant"}"#);
        let out = check(&a, "invalid_grant", false, None);
        assert_eq!(failed(&out), vec!["error-response-status"]);
        let why = out.iter().find(|o| o.failed()).unwrap().describe();
        assert!(why.contains("[DERIVED]"), "{why}");
    }

    #[test]
    fn wrong_code_status_format_and_charset_each_fail_their_check() {
        let a = answer(400, &[JSON], r#"{"error":"invalid_grant"}"#);
        assert_eq!(
            failed(&check(&a, "unsupported_grant_type", false, None)),
            vec!["error-code-unsupported-grant-type"]
        );
        let a = answer(500, &[JSON], r#"{"error":"invalid_request"}"#);
        assert_eq!(
            failed(&check(&a, "invalid_request", false, None)),
            vec!["error-response-status"]
        );
        let a = answer(400, &[("content-type", "text/html")], "<html>");
        assert_eq!(
            failed(&check(&a, "invalid_request", false, None)),
            vec!["error-response-json"]
        );
        let a = answer(
            400,
            &[JSON],
            r#"{"error":"invalid_request","error_description":"bad \"quote\""}"#,
        );
        assert_eq!(
            failed(&check(&a, "invalid_request", false, None)),
            vec!["error-response-charset"]
        );
    }

    #[test]
    fn every_code_has_its_check_and_another_code_fails_it() {
        for (code, id) in [
            ("invalid_request", "error-code-invalid-request"),
            ("invalid_client", "error-code-invalid-client"),
            ("invalid_grant", "error-code-invalid-grant"),
            (
                "unsupported_grant_type",
                "error-code-unsupported-grant-type",
            ),
            ("invalid_scope", "error-code-invalid-scope"),
            ("unauthorized_client", "error-code-unauthorized-client"),
            ("server_error", "error-response-code"),
        ] {
            assert_eq!(code_check(code).id, id);
            let other = answer(400, &[JSON], r#"{"error":"temporarily_unavailable"}"#);
            let status = if code == "invalid_client" { 401 } else { 400 };
            let mut other = other;
            other.status = status;
            assert_eq!(
                failed(&check(&other, code, false, None)),
                vec![id],
                "{code}"
            );
        }
    }

    #[test]
    fn a_token_instead_of_a_refusal_fails_only_the_situations_check() {
        let a = answer(
            200,
            &[JSON],
            r#"{"access_token":"t","token_type":"Bearer"}"#,
        );
        assert_eq!(
            failed(&check(&a, "invalid_grant", false, Some(&CODE_SINGLE_USE))),
            vec!["code-single-use"]
        );
        // Without a situation's check, the code check says it.
        assert_eq!(
            failed(&check(&a, "unsupported_grant_type", false, None)),
            vec!["error-code-unsupported-grant-type"]
        );
    }

    #[test]
    fn an_attempt_is_judged_by_its_misstep_and_its_authentication() {
        let mut reused = attempt(Some(Misstep::ReusedCode), Some(token_answer()));
        assert_eq!(
            failed(&check_attempt(&reused, "invalid_grant")),
            vec!["code-single-use"]
        );
        let unchallenged = answer(401, &[JSON], r#"{"error":"invalid_client"}"#);
        reused.answer = Some(unchallenged);
        assert!(failed(&check_attempt(&reused, "invalid_client")).is_empty());
        reused.request = request(
            "POST",
            "http://127.0.0.1:1/t",
            &[("authorization", "Basic YTpi")],
            None,
        );
        assert!(used_basic(&reused));
        assert_eq!(
            failed(&check_attempt(&reused, "invalid_client")),
            vec!["error-response-www-authenticate"]
        );
    }

    /// RFC 7636 §4.6 asks for invalid_grant with a MUST: a wrong verifier
    /// refused with another code fails pkce-verifier-checked, once, and the
    /// derived code check steps aside.
    #[test]
    fn a_code_the_situations_sentence_asks_for_is_judged_at_its_level() {
        let with = |misstep, body: &str| attempt(Some(misstep), Some(answer(400, &[JSON], body)));
        let wrong = with(Misstep::WrongVerifier, r#"{"error":"invalid_request"}"#);
        let out = check_attempt(&wrong, "invalid_grant");
        assert_eq!(failed(&out), vec!["pkce-verifier-checked"]);
        let why = out.iter().find(|o| o.failed()).unwrap().describe();
        assert!(
            why.contains("[MUST]") && why.contains("invalid_request"),
            "{why}"
        );
        let code = out
            .iter()
            .find(|o| o.check.id == "error-code-invalid-grant")
            .unwrap();
        assert!(matches!(code.verdict, crate::checks::Verdict::Skip(_)));
        let right = with(Misstep::ChallengeAsVerifier, r#"{"error":"invalid_grant"}"#);
        assert!(failed(&check_attempt(&right, "invalid_grant")).is_empty());
        // Elsewhere the code stays §5.2's derived choice.
        let reused = with(Misstep::ReusedCode, r#"{"error":"invalid_request"}"#);
        assert_eq!(
            failed(&check_attempt(&reused, "invalid_grant")),
            vec!["error-code-invalid-grant"]
        );
    }

    #[test]
    fn no_answer_is_never_a_refusal() {
        let timed_out = attempt(Some(Misstep::ReusedCode), None);
        let out = check_attempt(&timed_out, "invalid_grant");
        assert_eq!(failed(&out), vec!["code-single-use"]);
        assert!(
            out[0].describe().contains("no answer"),
            "{}",
            out[0].describe()
        );
        // Without a misstep, the error-code check says it.
        let plain = attempt(None, None);
        assert_eq!(
            failed(&check_attempt(&plain, "unsupported_grant_type")),
            vec!["error-code-unsupported-grant-type"]
        );
    }

    #[test]
    fn either_of_two_codes_is_accepted_and_a_third_is_not() {
        let with = |body: &str| {
            attempt(
                Some(Misstep::VerifierOmitted),
                Some(answer(400, &[JSON], body)),
            )
        };
        for code in ["invalid_request", "invalid_grant"] {
            let a = with(&format!(r#"{{"error":"{code}"}}"#));
            assert!(
                failed(&check_attempt_either(
                    &a,
                    "invalid_request",
                    "invalid_grant"
                ))
                .is_empty(),
                "{code}"
            );
        }
        let a = with(r#"{"error":"invalid_scope"}"#);
        let out = check_attempt_either(&a, "invalid_request", "invalid_grant");
        assert_eq!(failed(&out), vec!["error-code-invalid-request"]);
        assert!(out.iter().any(|o| {
            o.describe()
                .contains("\"invalid_request\" or \"invalid_grant\"")
        }));
    }

    #[test]
    fn the_scenarios_status_is_reported_once() {
        let a = answer(401, &[JSON], r#"{"error":"invalid_client"}"#);
        let outcomes = check(&a, "invalid_client", false, None);
        assert_eq!(unexpected_status(&outcomes, 401, 401), None);
        assert!(unexpected_status(&outcomes, 401, 400).is_some());
        let a = answer(500, &[JSON], r#"{"error":"invalid_client"}"#);
        let outcomes = check(&a, "invalid_client", false, None);
        assert_eq!(unexpected_status(&outcomes, 500, 401), None);
    }

    #[test]
    fn a_challenge_is_judged_only_on_a_refusal() {
        let ok = basic_challenge_if_refused(&token_answer());
        assert!(matches!(ok.verdict, crate::checks::Verdict::Skip(_)));
        let bare = answer(401, &[JSON], "{}");
        assert!(basic_challenge_if_refused(&bare).failed());
    }

    /// §5.2: invalid_client is 401 when the client authenticated with the
    /// Authorization header (a MUST, judged with the challenge), and 400 or
    /// 401 otherwise (the derived status rule).
    #[test]
    fn invalid_client_after_basic_must_be_401_and_otherwise_400_or_401() {
        let challenged = ("www-authenticate", "Basic realm=\"x\"");
        let body = r#"{"error":"invalid_client"}"#;
        let a = answer(400, &[JSON, challenged], body);
        let out = check(&a, "invalid_client", true, None);
        assert_eq!(failed(&out), vec!["error-response-www-authenticate"]);
        let why = out.iter().find(|o| o.failed()).unwrap().describe();
        assert!(
            why.contains("[MUST]") && why.contains("status 400"),
            "{why}"
        );
        // Reported once: the scenario's own "refuses with 401" adds nothing.
        assert_eq!(unexpected_status(&out, 400, 401), None);
        // A refusal with another code after Basic is not a failed
        // authentication: only a 401 needs the challenge.
        let a = answer(400, &[JSON], r#"{"error":"invalid_grant"}"#);
        assert!(failed(&check(&a, "invalid_grant", true, None)).is_empty());
        for status in [400, 401] {
            let a = answer(status, &[JSON], body);
            assert!(
                failed(&check(&a, "invalid_client", false, None)).is_empty(),
                "{status}"
            );
        }
        let a = answer(403, &[JSON], body);
        assert_eq!(
            failed(&check(&a, "invalid_client", false, None)),
            vec!["error-response-status"]
        );
    }

    #[test]
    fn a_json_error_needs_both_a_json_media_type_and_an_error_member() {
        let a = answer(
            400,
            &[("content-type", "text/plain")],
            r#"{"error":"invalid_request"}"#,
        );
        assert_eq!(
            failed(&check(&a, "invalid_request", false, None)),
            vec!["error-response-json"]
        );
        let a = answer(400, &[JSON], r#"{"message":"bad request"}"#);
        assert_eq!(
            failed(&check(&a, "invalid_request", false, None)),
            vec!["error-response-json"]
        );
    }

    #[test]
    fn no_answer_fails_one_check_and_skips_each_other_once() {
        let plain = attempt(None, None);
        let out = check_attempt(&plain, "invalid_grant");
        let ids: Vec<&str> = out.iter().map(|o| o.check.id).collect();
        assert_eq!(
            ids,
            vec![
                "error-code-invalid-grant",
                "error-response-status",
                "error-response-json",
                "error-response-charset",
                "error-response-error-uri",
                "error-response-www-authenticate",
            ]
        );
        assert!(
            out[1..]
                .iter()
                .all(|o| matches!(o.verdict, crate::checks::Verdict::Skip(_)))
        );
    }

    #[test]
    fn with_either_code_other_failures_keep_their_own_reason() {
        let a = attempt(
            Some(Misstep::VerifierOmitted),
            Some(answer(
                400,
                &[("content-type", "text/plain")],
                r#"{"error":"invalid_grant"}"#,
            )),
        );
        let out = check_attempt_either(&a, "invalid_request", "invalid_grant");
        let json = out.iter().find(|o| o.check.id == "error-response-json");
        let json = json.map(|o| o.describe()).unwrap_or_default();
        assert!(json.contains("not a JSON error object"), "{json}");
    }
}
