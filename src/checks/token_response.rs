//! Checks on a successful token response (RFC 6749 §5.1).

use super::authorization::query_param;
use super::catalogue::*;
use super::{Check, CheckOutcome, error_response, is_json_media_type};
use crate::client::login::LoginError;
use crate::client::token_response::KNOWN_MEMBERS;
use crate::client::{HttpAnswer, TokenAttempt, parse_token_answer};

/// RFC 6749 §5.1: the client ignored the members it does not know. Judged
/// when the answer has such members and, without them, is one the client
/// accepts: then refusing it can only be for those members.
pub fn unknown_members_ignored(attempt: &TokenAttempt) -> CheckOutcome {
    let Some(answer) = &attempt.answer else {
        return CheckOutcome::skip(&RESP_UNKNOWN_MEMBERS_IGNORED, "no answer arrived");
    };
    let body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&answer.body).unwrap_or_default();
    let unknown: Vec<String> = body
        .keys()
        .filter(|k| !KNOWN_MEMBERS.contains(&k.as_str()))
        .cloned()
        .collect();
    // The suite's parser reads only the members it knows, so it accepts the
    // answer exactly when it would accept it without the unknown ones.
    if unknown.is_empty() || parse_token_answer(answer).is_err() {
        return CheckOutcome::skip(
            &RESP_UNKNOWN_MEMBERS_IGNORED,
            "the answer has no member the client does not know, or is refused without them too",
        );
    }
    CheckOutcome::expect(
        &RESP_UNKNOWN_MEMBERS_IGNORED,
        attempt.outcome.is_ok(),
        || {
            format!(
                "the client refused a token response for its member(s) {}",
                unknown.join(", ")
            )
        },
    )
}

/// The checks on a token response's form, which need a token response.
const FORM_CHECKS: [&Check; 7] = [
    &RESP_JSON,
    &RESP_ACCESS_TOKEN,
    &RESP_TOKEN_TYPE,
    &RESP_TOKEN_TYPE_BEARER,
    &RESP_EXPIRES_IN,
    &RESP_NO_STORE,
    &RESP_PRAGMA,
];

/// RFC 6749 §5.1 on the answer to a token request the client sent as the
/// profile says. One failure, one cause: an answer that is no token
/// response at all (a status outside 2xx: a refusal, an error page) is
/// judged once, by the check whose rule it breaks, and the checks on the
/// token response's form are not run, naming it:
/// - a request without `scope` that got no token: RFC 6749 §3.3 lets the
///   server refuse it with `invalid_scope` and nothing else, which
///   `token-endpoint-omitted-scope` judges (so a `403` with an empty body
///   fails there, once);
/// - a request for the profile's scope refused with `invalid_scope`: the
///   server does not offer that scope to this client (§3.3 lets it refuse),
///   a set-up matter naming the profile field;
/// - anything else fails `token-response-200`.
///
/// A 429 or 503 is the server declining to judge the request now: nothing
/// is judged.
pub fn judge(attempt: &TokenAttempt) -> Vec<CheckOutcome> {
    let Some(answer) = &attempt.answer else {
        return Vec::new();
    };
    if (200..300).contains(&answer.status) {
        return check(answer);
    }
    let not_run = |why: String| -> Vec<CheckOutcome> {
        std::iter::once(&RESP_STATUS_200)
            .chain(FORM_CHECKS)
            .map(|c| CheckOutcome::not_run(c, why.clone()))
            .collect()
    };
    if matches!(answer.status, 429 | 503) {
        return not_run(format!(
            "the token endpoint answered {}: it did not judge the request (try again later)",
            answer.status
        ));
    }
    let scope = attempt.request.body_param("scope");
    let code = error_response::error_code(answer);
    match (scope, code.as_deref()) {
        (None, _) => not_run(format!(
            "the request carried no scope and got no token ({}): RFC 6749 §3.3 allows only a default scope or invalid_scope, which token-endpoint-omitted-scope judges; name a scope the client may be granted in the profile (token.scope) to run this scenario",
            answer.describe()
        )),
        (Some(scope), Some("invalid_scope")) => not_run(format!(
            "the server refused the profile's scope {scope:?} with invalid_scope (RFC 6749 §3.3 lets it): check token.scope against the scopes this client may be granted"
        )),
        (Some(_), _) => check(answer),
    }
}

/// The check that judges a token request the client sent as the profile
/// says and that got no token (see [`judge`]): the one a scenario that
/// needed the token names when it is not run.
pub fn refusal_judged_by(attempt: &TokenAttempt) -> &'static Check {
    match attempt.request.body_param("scope") {
        None => &TOKEN_OMITTED_SCOPE,
        Some(_) => &RESP_STATUS_200,
    }
}

/// RFC 6749 §5.1 on an answer, as it came (see [`judge`] for how a request
/// that got no token is attributed). An answer outside 2xx fails
/// `token-response-200` alone, and the checks on the token response's form
/// are not run, naming it.
pub fn check(answer: &HttpAnswer) -> Vec<CheckOutcome> {
    if !(200..300).contains(&answer.status) {
        let refused = CheckOutcome::fail(
            &RESP_STATUS_200,
            format!(
                "the token request the client sent as the profile says got no token: {}",
                answer.describe()
            ),
        );
        let why = format!(
            "there is no token response to judge: the request was answered {} (see token-response-200)",
            answer.status
        );
        return std::iter::once(refused)
            .chain(FORM_CHECKS.map(|c| CheckOutcome::not_run(c, why.clone())))
            .collect();
    }
    let mut out = vec![CheckOutcome::expect(
        &RESP_STATUS_200,
        answer.status == 200,
        || format!("status {}", answer.status),
    )];
    out.push(CheckOutcome::expect(
        &RESP_JSON,
        is_json_media_type(answer.content_type()),
        || format!("Content-Type is {}", answer.content_type()),
    ));
    let body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&answer.body).unwrap_or_default();
    out.push(CheckOutcome::expect(
        &RESP_ACCESS_TOKEN,
        body.get("access_token")
            .and_then(|v| v.as_str())
            .is_some_and(|s| !s.is_empty()),
        || "no non-empty access_token string".into(),
    ));
    let token_type = body.get("token_type").and_then(|v| v.as_str());
    out.push(CheckOutcome::expect(
        &RESP_TOKEN_TYPE,
        token_type.is_some(),
        || "no token_type".into(),
    ));
    out.push(match token_type {
        Some(t) => CheckOutcome::expect(
            &RESP_TOKEN_TYPE_BEARER,
            t.eq_ignore_ascii_case("bearer"),
            || format!("token_type is {t:?}"),
        ),
        None => CheckOutcome::skip(
            &RESP_TOKEN_TYPE_BEARER,
            "no token_type (see token-response-token-type)",
        ),
    });
    out.push(match body.get("expires_in") {
        Some(v) if v.is_u64() => CheckOutcome::pass(&RESP_EXPIRES_IN),
        Some(v) => CheckOutcome::fail(
            &RESP_EXPIRES_IN,
            format!("expires_in is {v}, not a number of seconds"),
        ),
        None => CheckOutcome::fail(&RESP_EXPIRES_IN, "expires_in is missing"),
    });
    out.push(header_has(
        answer,
        &RESP_NO_STORE,
        "cache-control",
        "no-store",
    ));
    out.push(header_has(answer, &RESP_PRAGMA, "pragma", "no-cache"));
    out
}

/// A request for `denied` (a scope the client was not given), possibly with
/// scopes it was given: the server refuses it (then the refusal is judged by
/// [`super::error_response`] with `invalid_scope`), or grants a token whose
/// `scope` leaves `denied` out (RFC 6749 §3.3 lets it narrow). A token
/// without `scope` says the whole request was granted (§5.1), denied scope
/// included.
pub fn denied_scope_not_granted(attempt: &TokenAttempt, denied: &str) -> Vec<CheckOutcome> {
    let Some(answer) = &attempt.answer else {
        return error_response::check_attempt(attempt, "invalid_scope");
    };
    if !(200..300).contains(&answer.status) {
        let mut out = error_response::check_attempt(attempt, "invalid_scope");
        // Recorded, so that a fault proof knows this scenario reaches the
        // check (a server that grants instead is judged by it).
        out.push(CheckOutcome::skip(
            &RESP_SCOPE,
            format!(
                "the server refused the request (status {}): no token whose scope to judge",
                answer.status
            ),
        ));
        return out;
    }
    let body: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&answer.body).unwrap_or_default();
    let not_refused = format!("the server granted a token (status {})", answer.status);
    let mut out = vec![CheckOutcome::skip(
        error_response::code_check("invalid_scope"),
        not_refused,
    )];
    match body.get("scope").and_then(|v| v.as_str()) {
        None => {
            out.push(CheckOutcome::fail(
                &RESP_SCOPE,
                format!(
                    "the response has no scope, which says the scope requested was granted, {denied:?} included; a server that narrowed the grant must say so"
                ),
            ));
            out.push(CheckOutcome::skip(
                &TOKEN_REFUSES_BAD_SCOPE,
                "the response does not say what was granted (see token-response-scope)",
            ));
        }
        Some(granted) => {
            out.push(CheckOutcome::pass(&RESP_SCOPE));
            let leaked: Vec<&str> = denied
                .split(' ')
                .filter(|d| granted.split(' ').any(|g| g == *d))
                .collect();
            out.push(CheckOutcome::expect(
                &TOKEN_REFUSES_BAD_SCOPE,
                leaked.is_empty(),
                || format!("the server granted {leaked:?}: scope is {granted:?}"),
            ));
        }
    }
    out
}

/// A request at the authorization endpoint for `denied` alone (a scope the
/// client was not given): refused there (an error redirect, or an error
/// page: nothing was granted), or a code whose exchange, `exchange`, is
/// judged as [`denied_scope_not_granted`]: a token response without `scope`
/// says the request was granted as asked, `denied` included, so a server
/// that swapped it for its default without saying so fails (RFC 6749 §3.3:
/// "If the issued access token scope is different from the one requested
/// by the client, the authorization server MUST include the "scope"
/// response parameter"). `Err`: the trip gave nothing to judge (not run).
pub fn denied_scope_not_granted_at_authorization(
    redirect: &Result<String, LoginError>,
    exchange: Option<&TokenAttempt>,
    denied: &str,
) -> Result<Vec<CheckOutcome>, String> {
    let refused = |how: String| {
        Ok(vec![
            CheckOutcome::pass(&TOKEN_REFUSES_BAD_SCOPE),
            CheckOutcome::skip(&RESP_SCOPE, format!("{how}: no token was issued")),
        ])
    };
    match redirect {
        Ok(location) => match (query_param(location, "code"), exchange) {
            (Some(_), Some(exchange)) => Ok(denied_scope_not_granted(exchange, denied)),
            (Some(_), None) => {
                Err("the code the authorization server issued was not exchanged".into())
            }
            (None, _) => match query_param(location, "error") {
                Some(error) => refused(format!(
                    "the authorization server refused the request with error={error}"
                )),
                None => Err(
                    "no verdict on the scope it was not given: the redirect carries neither a code nor an error"
                        .into(),
                ),
            },
        },
        Err(LoginError::ErrorPage { status, .. }) => refused(format!(
            "the authorization server answered the request with an error page (status {status})"
        )),
        Err(e) => Err(format!("no verdict on the scope it was not given: {e}")),
    }
}

/// `expires_in` is the lifetime the provider's guide documents. A missing or
/// non-numeric `expires_in` is `token-response-expires-in`'s to report.
pub fn lifetime_documented(expires_in: Option<u64>, documented: u64) -> CheckOutcome {
    match expires_in {
        Some(seconds) => {
            CheckOutcome::expect(&TOKEN_LIFETIME_DOCUMENTED, seconds == documented, || {
                format!("expires_in is {seconds}, the guide documents {documented}")
            })
        }
        None => CheckOutcome::skip(
            &TOKEN_LIFETIME_DOCUMENTED,
            "no numeric expires_in (see token-response-expires-in)",
        ),
    }
}

/// Passed when some value of header `name` lists `directive` (case-insensitive).
pub fn header_has(
    answer: &HttpAnswer,
    check: &'static Check,
    name: &str,
    directive: &str,
) -> CheckOutcome {
    let values = answer.headers_named(name);
    let ok = values.iter().any(|v| {
        v.split(',')
            .any(|d| d.trim().eq_ignore_ascii_case(directive))
    });
    CheckOutcome::expect(check, ok, || {
        if values.is_empty() {
            format!("{name}: {directive} missing (no {name} header)")
        } else {
            format!(
                "{name}: {directive} missing ({name}: {})",
                values.join(", ")
            )
        }
    })
}

/// RFC 6750 §2.1: a Bearer access token is a b64token, `1*( ALPHA / DIGIT /
/// "-" / "." / "_" / "~" / "+" / "/" ) *"="`, so it fits the Authorization
/// header. A response without a string access_token, or whose token_type is
/// not Bearer, is another check's to judge.
pub fn access_token_b64token(answer: &HttpAnswer) -> CheckOutcome {
    let body: Option<serde_json::Value> = serde_json::from_slice(&answer.body).ok();
    let member = |name: &str| {
        body.as_ref()
            .and_then(|b| b.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    let (Some(token), Some(token_type)) = (member("access_token"), member("token_type")) else {
        return CheckOutcome::skip(
            &RESP_ACCESS_TOKEN_B64TOKEN,
            "the response has no access_token and token_type strings",
        );
    };
    if !token_type.eq_ignore_ascii_case("bearer") {
        return CheckOutcome::skip(
            &RESP_ACCESS_TOKEN_B64TOKEN,
            format!("token_type is {token_type:?}, not Bearer"),
        );
    }
    let body_chars = token.trim_end_matches('=');
    let ok = !body_chars.is_empty()
        && body_chars
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b));
    CheckOutcome::expect(&RESP_ACCESS_TOKEN_B64TOKEN, ok, || {
        let bad: String = body_chars
            .chars()
            .filter(|c| !c.is_ascii_alphanumeric() && !"-._~+/".contains(*c))
            .take(3)
            .collect();
        format!("the access token is not a b64token: it contains {bad:?}")
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bearer_access_token_is_a_b64token() {
        use crate::checks::test_support::{JSON, answer};
        let with = |token: &str, token_type: &str| {
            let body = serde_json::json!({ "access_token": token, "token_type": token_type });
            access_token_b64token(&answer(200, &[JSON], &body.to_string()))
        };
        for good in [
            "abc",
            "a-b.c_d~e+f/g",
            "eyJhbGciOi.eyJzdWIi.c2ln",
            "YWJj==",
            "Zm9v=",
        ] {
            assert!(!with(good, "Bearer").failed(), "{good}");
        }
        for bad in ["ab,cd", "ab cd", "ab=cd", "=", "ab\"cd", "äb"] {
            assert!(with(bad, "bearer").failed(), "{bad}");
        }
        // The failure shows the characters that are out of place, and only those.
        let said = with("a,b c-d.e", "Bearer").describe();
        assert!(said.contains(r#"contains ", ""#), "{said}");
        assert!(matches!(
            with("ab,cd", "mac").verdict,
            super::super::Verdict::Skip(_)
        ));
        let none = access_token_b64token(&answer(200, &[JSON], "{}"));
        assert!(matches!(none.verdict, super::super::Verdict::Skip(_)));
    }

    use super::*;

    fn answer(headers: &[(&str, &str)], body: &str) -> HttpAnswer {
        crate::checks::test_support::answer(200, headers, body)
    }

    #[test]
    fn unknown_members_must_not_cost_the_token() {
        let json = [("content-type", "application/json")];
        let with_extra = answer(
            &json,
            r#"{"access_token":"t","token_type":"Bearer","example_parameter":"x"}"#,
        );
        let attempt = |outcome: Result<crate::client::TokenResponse, crate::client::TokenError>,
                       answer: &HttpAnswer| TokenAttempt {
            request: crate::checks::test_support::request(
                "POST",
                "http://127.0.0.1:1/t",
                &[],
                None,
            ),
            misstep: None,
            answer: Some(answer.clone()),
            outcome,
        };
        let read = crate::client::parse_token_answer(&with_extra);
        assert!(!unknown_members_ignored(&attempt(read, &with_extra)).failed());
        let refused = Err(crate::client::TokenError::BadAnswer {
            url: "u".into(),
            problem: "unknown member".into(),
            described: "d".into(),
        });
        assert!(unknown_members_ignored(&attempt(refused.clone(), &with_extra)).failed());
        // Broken without the extra member too: no verdict on the client.
        let broken = answer(&json, r#"{"token_type":"Bearer","example_parameter":"x"}"#);
        let skipped = unknown_members_ignored(&attempt(refused.clone(), &broken));
        assert!(matches!(skipped.verdict, crate::checks::Verdict::Skip(_)));
        // Nothing unknown: nothing to judge.
        let plain = answer(&json, r#"{"access_token":"t","token_type":"Bearer"}"#);
        let skipped = unknown_members_ignored(&attempt(refused, &plain));
        assert!(matches!(skipped.verdict, crate::checks::Verdict::Skip(_)));
    }

    fn failed(out: &[CheckOutcome]) -> Vec<&str> {
        out.iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect()
    }

    #[test]
    fn a_denied_scope_may_be_refused_or_left_out_but_not_granted() {
        use crate::checks::test_support::{JSON, attempt};
        let with = |status: u16, body: &str| {
            attempt(
                None,
                Some(crate::checks::test_support::answer(status, &[JSON], body)),
            )
        };
        let refused = with(400, r#"{"error":"invalid_scope"}"#);
        assert!(failed(&denied_scope_not_granted(&refused, "admin")).is_empty());
        let wrong_code = with(400, r#"{"error":"invalid_request"}"#);
        assert_eq!(
            failed(&denied_scope_not_granted(&wrong_code, "admin")),
            vec!["error-code-invalid-scope"]
        );
        let narrowed = with(
            200,
            r#"{"access_token":"t","token_type":"Bearer","scope":"read"}"#,
        );
        assert!(failed(&denied_scope_not_granted(&narrowed, "admin")).is_empty());
        let granted = with(
            200,
            r#"{"access_token":"t","token_type":"Bearer","scope":"read admin"}"#,
        );
        assert_eq!(
            failed(&denied_scope_not_granted(&granted, "admin")),
            vec!["token-endpoint-refuses-bad-scope"]
        );
        let silent = with(200, r#"{"access_token":"t","token_type":"Bearer"}"#);
        assert_eq!(
            failed(&denied_scope_not_granted(&silent, "admin")),
            vec!["token-response-scope"]
        );
        // A bad scope refused after a timeout is no refusal at all.
        let silence = attempt(None, None);
        assert_eq!(
            failed(&denied_scope_not_granted(&silence, "admin")),
            vec!["token-endpoint-refuses-bad-scope"]
        );
    }

    #[test]
    fn a_lone_denied_scope_at_the_authorization_endpoint_is_refused_or_said() {
        use crate::checks::test_support::{JSON, answer, attempt};
        let judge = |redirect: Result<String, LoginError>, exchange: Option<&TokenAttempt>| {
            denied_scope_not_granted_at_authorization(&redirect, exchange, "admin")
        };
        let code = || Ok("http://127.0.0.1:9/cb?code=c&state=s".to_owned());
        let silent = attempt(
            None,
            Some(answer(
                200,
                &[JSON],
                r#"{"access_token":"t","token_type":"Bearer"}"#,
            )),
        );
        // A code for the default scope, exchanged without saying so.
        let out = judge(code(), Some(&silent)).unwrap();
        assert_eq!(failed(&out), vec!["token-response-scope"]);
        let said = attempt(
            None,
            Some(answer(
                200,
                &[JSON],
                r#"{"access_token":"t","token_type":"Bearer","scope":"read write"}"#,
            )),
        );
        assert!(failed(&judge(code(), Some(&said)).unwrap()).is_empty());
        // Refused at the authorization endpoint: nothing granted.
        let refused = Ok("http://127.0.0.1:9/cb?error=invalid_scope&state=s".to_owned());
        let out = judge(refused, None).unwrap();
        assert!(failed(&out).is_empty());
        assert!(out.contains(&CheckOutcome::pass(&TOKEN_REFUSES_BAD_SCOPE)));
        let page = Err(LoginError::ErrorPage {
            url: "http://127.0.0.1:1/authorize".into(),
            status: 400,
            described: "invalid scope".into(),
        });
        assert!(failed(&judge(page, None).unwrap()).is_empty());
        // Nothing to judge: not run.
        assert!(judge(code(), None).is_err());
        assert!(judge(Ok("http://127.0.0.1:9/cb?state=s".into()), None).is_err());
        assert!(judge(Err(LoginError::Transport("down".into())), None).is_err());
    }

    #[test]
    fn the_documented_lifetime_is_compared_when_there_is_one() {
        assert!(!lifetime_documented(Some(3600), 3600).failed());
        let wrong = lifetime_documented(Some(7200), 3600);
        assert!(wrong.failed());
        assert_eq!(wrong.check.id, "token-lifetime-documented");
        assert!(matches!(
            lifetime_documented(None, 3600).verdict,
            crate::checks::Verdict::Skip(_)
        ));
    }

    const GOOD: &str = r#"{"access_token":"x","token_type":"bearer","expires_in":3600}"#;
    const HEADERS: &[(&str, &str)] = &[
        ("content-type", "application/json;charset=UTF-8"),
        ("cache-control", "private, no-store"),
        ("pragma", "no-cache"),
    ];

    #[test]
    fn a_missing_token_type_or_status_fails_its_check() {
        let failed = |a: &HttpAnswer| -> Vec<&str> {
            check(a)
                .iter()
                .filter(|o| o.failed())
                .map(|o| o.check.id)
                .collect()
        };
        let no_type = answer(HEADERS, r#"{"access_token":"x","expires_in":1}"#);
        assert_eq!(failed(&no_type), vec!["token-response-token-type"]);
        let mut created = answer(HEADERS, GOOD);
        created.status = 201;
        assert_eq!(failed(&created), vec!["token-response-200"]);
    }

    #[test]
    fn a_conforming_response_passes_every_check() {
        let out = check(&answer(HEADERS, GOOD));
        assert!(out.iter().all(|o| !o.failed()), "{out:#?}");
    }

    #[test]
    fn each_fault_fails_exactly_its_check() {
        let cases: Vec<(HttpAnswer, &str)> = vec![
            (answer(&HEADERS[..2], GOOD), "token-response-pragma"),
            (
                answer(&[HEADERS[0], HEADERS[2]], GOOD),
                "token-response-no-store",
            ),
            (
                answer(
                    &[("content-type", "text/plain"), HEADERS[1], HEADERS[2]],
                    GOOD,
                ),
                "token-response-json",
            ),
            (
                answer(
                    HEADERS,
                    r#"{"access_token":"x","token_type":"bearer","expires_in":"3600"}"#,
                ),
                "token-response-expires-in",
            ),
            (
                answer(
                    HEADERS,
                    r#"{"access_token":"x","token_type":"mac","expires_in":1}"#,
                ),
                "token-response-bearer",
            ),
            (
                answer(
                    HEADERS,
                    r#"{"access_token":"","token_type":"bearer","expires_in":1}"#,
                ),
                "token-response-access-token",
            ),
        ];
        for (answer, id) in cases {
            let failed: Vec<&str> = check(&answer)
                .iter()
                .filter(|o| o.failed())
                .map(|o| o.check.id)
                .collect();
            assert_eq!(failed, vec![id]);
        }
    }
}
