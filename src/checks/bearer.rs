//! Checks on using a bearer token at the protected API (RFC 6750; RFC 6749
//! §7 for the resource server's duty to validate tokens).

use super::CheckOutcome;
use super::catalogue::*;
use super::error_charset::{allowed_error_char, uri_reference_problem};
use crate::client::www_authenticate::{self, Challenge};
use crate::client::{HttpAnswer, HttpRequest};

/// Who asks for the `Authorization: Bearer` header: RFC 6750 §2.1 (SHOULD)
/// or the provider's guide (every seed documents it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeaderRule {
    Rfc,
    Guide,
}

impl HeaderRule {
    fn check(self) -> &'static Check {
        match self {
            HeaderRule::Rfc => &API_BEARER_HEADER,
            HeaderRule::Guide => &API_BEARER_DOCUMENTED,
        }
    }
}

/// The client presented `token` in the Authorization header with the Bearer
/// scheme, as `rule` asks, and not in the query (§2.3).
pub fn check_request(request: &HttpRequest, token: &str, rule: HeaderRule) -> Vec<CheckOutcome> {
    let expected = format!("Bearer {token}");
    let sent = request.header("authorization");
    vec![
        CheckOutcome::expect(
            rule.check(),
            sent == Some(expected.as_str()),
            || match sent {
                None => "no Authorization header".into(),
                Some(_) => "the Authorization header is not `Bearer <the access token>`".into(),
            },
        ),
        CheckOutcome::expect(
            &API_TOKEN_NOT_IN_QUERY,
            !request
                .url
                .query_pairs()
                .any(|(k, v)| k == "access_token" || v == token),
            || "the access token is in the URL query".into(),
        ),
        one_method(request, token),
        CheckOutcome::expect(
            &API_NO_TOKEN_COOKIE,
            !(request.url.scheme() == "http"
                && request
                    .headers
                    .iter()
                    .any(|(n, v)| n.eq_ignore_ascii_case("cookie") && v.contains(token))),
            || "the access token went in a cookie over plain http".into(),
        ),
    ]
}

/// RFC 6750 §2: the token travels by at most one of the three methods.
fn one_method(request: &HttpRequest, token: &str) -> CheckOutcome {
    let in_header = request
        .header("authorization")
        .is_some_and(|v| v.contains(token));
    let in_query = request.url.query_pairs().any(|(k, _)| k == "access_token");
    let in_body = request.body_param("access_token").is_some();
    let methods = [in_header, in_body, in_query]
        .iter()
        .filter(|m| **m)
        .count();
    CheckOutcome::expect(&API_ONE_TOKEN_METHOD, methods <= 1, || {
        format!("the access token travels by {methods} methods in one request")
    })
}

/// The resource server accepted a valid token presented in the
/// Authorization header (RFC 6750 §2.1: resource servers MUST support this
/// method). A request that did not use that method says nothing of it.
pub fn check_accepted(request: &HttpRequest, answer: &HttpAnswer) -> Vec<CheckOutcome> {
    let presented = request
        .header("authorization")
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"));
    if !presented {
        return vec![CheckOutcome::skip(
            &API_ACCEPTS_TOKEN,
            "the request did not present the token in the Authorization header",
        )];
    }
    vec![CheckOutcome::expect(
        &API_ACCEPTS_TOKEN,
        (200..300).contains(&answer.status),
        || answer.describe(),
    )]
}

fn bearer_challenge(answer: &HttpAnswer) -> Option<Challenge> {
    www_authenticate::parse_all(answer.headers_named("www-authenticate"))
        .into_iter()
        .find(|c| c.is("bearer"))
}

/// The attributes RFC 6750 §3 allows once each in a Bearer challenge.
const ONCE: [&str; 5] = ["realm", "scope", "error", "error_description", "error_uri"];

/// RFC 6750 §3's form of the answer's Bearer challenges: each attribute at
/// most once, one or more auth-params after the scheme, and the characters
/// its attributes may use; all three skipped when there is no Bearer
/// challenge. The attributes are counted from the raw header (the parsed
/// challenge keeps one value each).
fn challenge_form(answer: &HttpAnswer) -> Vec<CheckOutcome> {
    let counts: Vec<_> = answer
        .headers_named("www-authenticate")
        .into_iter()
        .flat_map(www_authenticate::bearer_attribute_counts)
        .collect();
    if counts.is_empty() {
        return [
            &API_ATTRIBUTES_ONCE,
            &API_CHALLENGE_AUTH_PARAM,
            &API_CHALLENGE_CHARSET,
        ]
        .into_iter()
        .map(|c| CheckOutcome::skip(c, "there is no Bearer challenge to inspect"))
        .collect();
    }
    let repeated: Vec<&str> = ONCE
        .into_iter()
        .filter(|name| counts.iter().any(|c| c.get(*name).is_some_and(|n| *n > 1)))
        .collect();
    vec![
        CheckOutcome::expect(&API_ATTRIBUTES_ONCE, repeated.is_empty(), || {
            format!("the Bearer challenge repeats {}", repeated.join(", "))
        }),
        // "This scheme MUST be followed by one or more auth-param values."
        CheckOutcome::expect(
            &API_CHALLENGE_AUTH_PARAM,
            counts.iter().all(|c| !c.is_empty()),
            || {
                format!(
                    "a bare Bearer challenge, with no auth-param: WWW-Authenticate {:?}",
                    answer.headers_named("www-authenticate")
                )
            },
        ),
        attribute_charset(answer),
    ]
}

/// RFC 6750 §3: `scope` uses %x21 / %x23-5B / %x5D-7E and spaces between
/// its values, `error` and `error_description` %x20-21 / %x23-5B / %x5D-7E
/// (the same set), `error_uri` is a URI-reference. A `"` or `\` the
/// quoted-string escaped still counts: the value holds it.
fn attribute_charset(answer: &HttpAnswer) -> CheckOutcome {
    let challenges = www_authenticate::parse_all(answer.headers_named("www-authenticate"));
    let problem = challenges.iter().filter(|c| c.is("bearer")).find_map(|c| {
        ["scope", "error", "error_description"]
            .into_iter()
            .find_map(|name| {
                let value = c.param(name)?;
                let bad = value.chars().find(|ch| !allowed_error_char(*ch))?;
                Some(format!(
                    "{name} {value:?} has the character {bad:?}, outside %x20-21 / %x23-5B / %x5D-7E"
                ))
            })
            .or_else(|| c.param("error_uri").and_then(uri_reference_problem))
    });
    CheckOutcome::expect(&API_CHALLENGE_CHARSET, problem.is_none(), || {
        problem.unwrap_or_default()
    })
}

/// A request with no credentials: a Bearer challenge (§3, MUST), status 401
/// (derived: §3's example, RFC 9110 §15.5.2), no error code (§3.1, SHOULD
/// NOT). An API that answers it with a 2xx refused nothing: the missing
/// challenge says so, and the status is not judged again.
pub fn check_no_token(answer: &HttpAnswer) -> Vec<CheckOutcome> {
    let challenge = bearer_challenge(answer);
    let refused = !(200..300).contains(&answer.status);
    let mut out = challenge_form(answer);
    out.extend([
        CheckOutcome::expect(&API_NO_TOKEN_CHALLENGE, challenge.is_some(), || {
            format!(
                "status {} with WWW-Authenticate {:?}: no Bearer challenge",
                answer.status,
                answer.headers_named("www-authenticate")
            )
        }),
        if refused {
            CheckOutcome::expect(&API_NO_TOKEN_401, answer.status == 401, || {
                format!("status {}, not 401", answer.status)
            })
        } else {
            CheckOutcome::skip(
                &API_NO_TOKEN_401,
                format!(
                    "the API answered {} to a request without a token (see api-no-token-challenge)",
                    answer.status
                ),
            )
        },
        match &challenge {
            Some(c) => {
                CheckOutcome::expect(&API_NO_TOKEN_NO_ERROR, c.param("error").is_none(), || {
                    format!(
                        "the challenge has error={:?}",
                        c.param("error").unwrap_or_default()
                    )
                })
            }
            None => CheckOutcome::skip(
                &API_NO_TOKEN_NO_ERROR,
                "there is no Bearer challenge to inspect",
            ),
        },
    ]);
    out
}

/// Which token a refusal at the API is about: each situation has its own
/// "refused at all" check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefusedToken {
    /// A token the server never issued.
    MadeUp,
    /// A token past its lifetime.
    Expired,
}

impl RefusedToken {
    fn check(self) -> &'static Check {
        match self {
            RefusedToken::MadeUp => &API_REFUSES_UNKNOWN_TOKEN,
            RefusedToken::Expired => &API_REFUSES_EXPIRED_TOKEN,
        }
    }
}

/// A token the API must refuse (RFC 6749 §7): refused at all (the
/// situation's check; when the API accepted it, only that fails), then the
/// refusal's form: a Bearer challenge (RFC 6750 §3, MUST) that says 401 and
/// `error="invalid_token"` (§3.1, SHOULD).
pub fn check_refused_token(answer: &HttpAnswer, token: RefusedToken) -> Vec<CheckOutcome> {
    let accepted = (200..300).contains(&answer.status);
    let refused = CheckOutcome::expect(token.check(), !accepted, || {
        format!("the API accepted it: {}", answer.describe())
    });
    if accepted {
        let why = "the API did not refuse the token";
        return vec![
            refused,
            CheckOutcome::skip(&API_INVALID_TOKEN_CHALLENGE, why),
            CheckOutcome::skip(&API_INVALID_TOKEN, why),
        ];
    }
    let mut out = vec![refused];
    out.extend(check_invalid_token(answer));
    out
}

/// A refused token: a `WWW-Authenticate: Bearer` challenge (§3, MUST), with
/// status 401 and `error="invalid_token"` (§3.1, SHOULD). Without a Bearer
/// challenge only the MUST fails: there is no challenge to read an error from.
pub fn check_invalid_token(answer: &HttpAnswer) -> Vec<CheckOutcome> {
    judge_challenge(answer, &API_INVALID_TOKEN, |c| {
        answer.status == 401 && c.param("error") == Some("invalid_token")
    })
}

/// A valid token whose scope does not cover the resource: refused at all
/// (RFC 6749 §7; when the API accepted it, only that fails), with a Bearer
/// challenge (RFC 6750 §3, MUST: the token does not enable access), then 403
/// with `error="insufficient_scope"` (§3.1, SHOULD). Without a challenge only
/// the MUST fails: there is no challenge to read an error from.
pub fn check_insufficient_scope(answer: &HttpAnswer) -> Vec<CheckOutcome> {
    let accepted = (200..300).contains(&answer.status);
    let enforced = CheckOutcome::expect(&API_ENFORCES_SCOPE, !accepted, || {
        format!("the API accepted it: {}", answer.describe())
    });
    if accepted {
        let why = "the API did not refuse the token";
        return vec![
            enforced,
            CheckOutcome::skip(&API_INVALID_TOKEN_CHALLENGE, why),
            CheckOutcome::skip(&API_INSUFFICIENT_SCOPE, why),
        ];
    }
    let mut out = vec![enforced];
    out.extend(judge_challenge(answer, &API_INSUFFICIENT_SCOPE, |c| {
        answer.status == 403 && c.param("error") == Some("insufficient_scope")
    }));
    out
}

/// A refusal of a presented token (RFC 6750 §3): its Bearer challenge is
/// there (MUST), has §3's form ([`challenge_form`]), and satisfies `should` (the
/// SHOULD of §3.1 for this refusal, judged by `answers`). Without a Bearer
/// challenge only the MUST fails and `should` is skipped.
fn judge_challenge(
    answer: &HttpAnswer,
    should: &'static Check,
    answers: impl FnOnce(&Challenge) -> bool,
) -> Vec<CheckOutcome> {
    let seen = || {
        format!(
            "status {} with WWW-Authenticate {:?}",
            answer.status,
            answer.headers_named("www-authenticate")
        )
    };
    let Some(challenge) = bearer_challenge(answer) else {
        return vec![
            CheckOutcome::fail(&API_INVALID_TOKEN_CHALLENGE, seen()),
            CheckOutcome::skip(
                should,
                "there is no Bearer challenge to inspect (see api-invalid-token-challenge)",
            ),
        ];
    };
    let mut out = challenge_form(answer);
    out.extend([
        CheckOutcome::pass(&API_INVALID_TOKEN_CHALLENGE),
        CheckOutcome::expect(should, answers(&challenge), seen),
    ]);
    out
}

/// The token still works before its documented lifetime ends (the guide's
/// 60 minutes).
pub fn accepted_within_lifetime(answer: &HttpAnswer) -> CheckOutcome {
    CheckOutcome::expect(
        &TOKEN_LIFETIME_HOLDS,
        (200..300).contains(&answer.status),
        || {
            format!(
                "refused before the documented lifetime ended: {}",
                answer.describe()
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::{answer as full_answer, request};

    fn answer(status: u16, challenge: Option<&str>) -> HttpAnswer {
        let headers: Vec<(&str, &str)> = challenge
            .map(|c| ("www-authenticate", c))
            .into_iter()
            .collect();
        full_answer(status, &headers, "")
    }

    fn failed(out: Vec<CheckOutcome>) -> Vec<&'static str> {
        out.into_iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect()
    }

    #[test]
    fn a_valid_token_must_be_accepted() {
        let sent = request(
            "GET",
            "http://127.0.0.1:1/api",
            &[("authorization", "Bearer t")],
            None,
        );
        assert!(failed(check_accepted(&sent, &answer(200, None))).is_empty());
        assert_eq!(
            failed(check_accepted(&sent, &answer(401, Some("Bearer")))),
            vec!["api-accepts-valid-token"]
        );
        // Not presented in the header: the method of §2.1 was not tried.
        let elsewhere = request("GET", "http://127.0.0.1:1/api?access_token=t", &[], None);
        let out = check_accepted(&elsewhere, &answer(401, Some("Bearer")));
        assert!(matches!(out[0].verdict, crate::checks::Verdict::Skip(_)));
    }

    #[test]
    fn no_token_rules() {
        assert!(failed(check_no_token(&answer(401, Some("Bearer realm=\"api\"")))).is_empty());
        // A 403 with the challenge breaks only the derived status.
        let forbidden = check_no_token(&answer(403, Some("Bearer realm=\"api\"")));
        assert_eq!(failed(forbidden.clone()), vec!["api-no-token-401"]);
        let why = forbidden.iter().find(|o| o.failed()).unwrap().describe();
        assert!(why.contains("[DERIVED]"), "{why}");
        // No challenge breaks RFC 6750 §3's MUST, whatever the status.
        assert_eq!(
            failed(check_no_token(&answer(401, None))),
            vec!["api-no-token-challenge"]
        );
        let open = check_no_token(&answer(200, None));
        assert_eq!(failed(open.clone()), vec!["api-no-token-challenge"]);
        assert!(open.iter().any(|o| o.check.id == "api-no-token-401"
            && matches!(o.verdict, crate::checks::Verdict::Skip(_))));
        assert_eq!(
            failed(check_no_token(&answer(
                401,
                Some("Bearer error=\"invalid_token\"")
            ))),
            vec!["api-no-token-no-error-code"]
        );
        // RFC 6750 §3: each attribute at most once; two different ones are fine.
        assert_eq!(
            failed(check_no_token(&answer(
                401,
                Some("Bearer realm=\"a\", realm=\"b\"")
            ))),
            vec!["api-challenge-attributes-once"]
        );
        assert!(
            failed(check_no_token(&answer(
                401,
                Some("Bearer realm=\"a\", scope=\"b\"")
            )))
            .is_empty()
        );
    }

    #[test]
    fn a_challenge_needs_an_auth_param_and_its_attributes_their_characters() {
        // RFC 6750 §3: "This scheme MUST be followed by one or more auth-param values."
        assert_eq!(
            failed(check_no_token(&answer(401, Some("Bearer")))),
            vec!["api-challenge-auth-param"]
        );
        // A quote, even escaped in the quoted-string, is outside the set.
        let quoted =
            "Bearer realm=\"a\", error=\"invalid_token\", error_description=\"a \\\"b\\\"\"";
        assert_eq!(
            failed(check_invalid_token(&answer(401, Some(quoted)))),
            vec!["api-challenge-charset"]
        );
        let space_in_uri =
            "Bearer error=\"invalid_token\", error_uri=\"https://rs.example/token errors\"";
        assert_eq!(
            failed(check_invalid_token(&answer(401, Some(space_in_uri)))),
            vec!["api-challenge-charset"]
        );
        // Spaces between scope values, a URI-reference error_uri: fine.
        let fine = "Bearer error=\"insufficient_scope\", scope=\"read write\", error_uri=\"https://rs.example/e#scope\"";
        assert!(failed(check_insufficient_scope(&answer(403, Some(fine)))).is_empty());
        // Another scheme's challenge is not judged by RFC 6750.
        let out = check_no_token(&answer(401, Some("Basic")));
        assert!(out.iter().any(|o| o.check.id == "api-challenge-auth-param"
            && matches!(o.verdict, crate::checks::Verdict::Skip(_))));
    }

    #[test]
    fn invalid_token_rules() {
        assert!(
            failed(check_invalid_token(&answer(
                401,
                Some("Bearer error=\"invalid_token\"")
            )))
            .is_empty()
        );
        assert_eq!(
            failed(check_invalid_token(&answer(
                401,
                Some("Bearer realm=\"api\"")
            ))),
            vec!["api-invalid-token"]
        );
        assert_eq!(
            failed(check_invalid_token(&answer(
                403,
                Some("Bearer error=\"invalid_token\"")
            ))),
            vec!["api-invalid-token"]
        );
        // No challenge at all breaks the MUST; the SHOULD has nothing to read.
        assert_eq!(
            failed(check_invalid_token(&answer(401, None))),
            vec!["api-invalid-token-challenge"]
        );
        assert_eq!(
            failed(check_invalid_token(&answer(403, None))),
            vec!["api-invalid-token-challenge"]
        );
    }

    #[test]
    fn an_accepted_bad_token_fails_only_its_situations_check() {
        assert_eq!(
            failed(check_refused_token(
                &answer(200, None),
                RefusedToken::Expired
            )),
            vec!["api-refuses-expired-token"]
        );
        assert_eq!(
            failed(check_refused_token(
                &answer(200, None),
                RefusedToken::MadeUp
            )),
            vec!["api-refuses-unknown-token"]
        );
        assert!(
            failed(check_refused_token(
                &answer(401, Some("Bearer error=\"invalid_token\"")),
                RefusedToken::MadeUp
            ))
            .is_empty()
        );
        assert_eq!(
            failed(check_refused_token(
                &answer(401, None),
                RefusedToken::MadeUp
            )),
            vec!["api-invalid-token-challenge"]
        );
        assert_eq!(
            failed(check_refused_token(
                &answer(401, Some("Bearer realm=\"api\"")),
                RefusedToken::MadeUp
            )),
            vec!["api-invalid-token"]
        );
    }

    #[test]
    fn a_token_without_the_scope_is_refused_with_403_insufficient_scope() {
        let good = answer(
            403,
            Some("Bearer error=\"insufficient_scope\", scope=\"write\""),
        );
        assert!(failed(check_insufficient_scope(&good)).is_empty());
        assert_eq!(
            failed(check_insufficient_scope(&answer(200, None))),
            vec!["api-enforces-scope"]
        );
        assert_eq!(
            failed(check_insufficient_scope(&answer(
                401,
                Some("Bearer error=\"invalid_token\"")
            ))),
            vec!["api-insufficient-scope"]
        );
        // No challenge at all breaks RFC 6750 §3's MUST, and only it.
        assert_eq!(
            failed(check_insufficient_scope(&answer(403, None))),
            vec!["api-invalid-token-challenge"]
        );
        // Both halves are needed: 403 with another error code, or the
        // right code with another status, is not RFC 6750 §3.1's answer.
        for (status, challenge) in [
            (403, "Bearer error=\"invalid_token\""),
            (401, "Bearer error=\"insufficient_scope\""),
        ] {
            assert_eq!(
                failed(check_insufficient_scope(&answer(status, Some(challenge)))),
                vec!["api-insufficient-scope"],
                "{status} {challenge}"
            );
        }
    }

    #[test]
    fn the_documented_lifetime_holds_only_if_the_token_is_accepted() {
        assert!(!accepted_within_lifetime(&answer(200, None)).failed());
        let refused =
            accepted_within_lifetime(&answer(401, Some("Bearer error=\"invalid_token\"")));
        assert!(refused.failed());
        assert_eq!(refused.check.id, "token-lifetime-holds");
    }

    #[test]
    fn request_rules() {
        let req = request(
            "GET",
            "http://127.0.0.1:1/api?access_token=t0k",
            &[("authorization", "Bearer t0k")],
            None,
        );
        assert_eq!(
            failed(check_request(&req, "t0k", HeaderRule::Rfc)),
            vec![
                "api-request-token-not-in-query",
                "api-request-one-token-method"
            ]
        );
        let with = |headers: &[(&str, &str)], body: Option<&str>| {
            let mut all = vec![("authorization", "Bearer t0k")];
            all.extend_from_slice(headers);
            failed(check_request(
                &request("GET", "http://127.0.0.1:1/api", &all, body),
                "t0k",
                HeaderRule::Rfc,
            ))
        };
        let form = ("content-type", "application/x-www-form-urlencoded");
        assert_eq!(
            with(&[form], Some("access_token=t0k")),
            vec!["api-request-one-token-method"]
        );
        assert_eq!(
            with(&[("cookie", "session=1; access_token=t0k")], None),
            vec!["api-request-no-token-cookie"]
        );
        assert!(with(&[("cookie", "session=1")], None).is_empty());
        let header_only = request(
            "GET",
            "http://127.0.0.1:1/api",
            &[("authorization", "Bearer t0k")],
            None,
        );
        assert!(failed(check_request(&header_only, "t0k", HeaderRule::Rfc)).is_empty());
        let other = request(
            "GET",
            "http://127.0.0.1:1/api",
            &[("authorization", "Bearer other")],
            None,
        );
        assert_eq!(
            failed(check_request(&other, "t0k", HeaderRule::Rfc)),
            vec!["api-request-bearer-header"]
        );
        assert_eq!(
            failed(check_request(&other, "t0k", HeaderRule::Guide)),
            vec!["api-request-bearer-documented"]
        );
    }
}
