//! Checks on a refusal from the token endpoint (RFC 6749 §5.2).
//!
//! A refusal is checked twice over: first that the server refused at all
//! (the situation's own check, e.g. `code-single-use`), then that the
//! refusal has the §5.2 form (status, JSON, error code, charset, challenge).
//! When the server did not refuse, only the situation's check fails: the
//! form checks are skipped, so one broken rule is reported as one failure.

use super::catalogue::*;
use super::www_authenticate;
use super::{CheckOutcome, is_json_media_type};
use crate::checks::Check;
use crate::client::transport::HttpAnswer;

/// The check that an error response carries `code`.
pub fn code_check(code: &str) -> &'static Check {
    match code {
        "invalid_request" => &ERR_CODE_INVALID_REQUEST,
        "invalid_client" => &ERR_CODE_INVALID_CLIENT,
        "invalid_grant" => &ERR_CODE_INVALID_GRANT,
        "unsupported_grant_type" => &ERR_CODE_UNSUPPORTED_GRANT_TYPE,
        "invalid_scope" => &ERR_CODE_INVALID_SCOPE,
        _ => &ERR_CODE,
    }
}

/// The situation's own "refused at all" check when the scenario did not name
/// one: a wrong secret and a bad scope have theirs; for the other codes the
/// error-code check itself reports a missing refusal.
pub fn default_refusal_check(code: &str) -> Option<&'static Check> {
    match code {
        "invalid_client" => Some(&TOKEN_REFUSES_WRONG_SECRET),
        "invalid_scope" => Some(&TOKEN_REFUSES_BAD_SCOPE),
        _ => None,
    }
}

/// Checks a token endpoint answer that should be a refusal with `expected`.
/// `refusal` is the situation's own check (see [`default_refusal_check`]);
/// `used_basic` says whether the client authenticated with HTTP Basic (then
/// a 401 needs a Basic challenge).
pub fn check(
    answer: &HttpAnswer,
    expected: &str,
    used_basic: bool,
    refusal: Option<&'static Check>,
) -> Vec<CheckOutcome> {
    let code_check = code_check(expected);
    let refused = !(200..300).contains(&answer.status);
    let mut out = Vec::new();
    if let Some(refusal) = refusal {
        out.push(CheckOutcome::expect(refusal, refused, || {
            format!(
                "the server answered {} instead of refusing: {}",
                answer.status,
                answer.describe()
            )
        }));
    }
    if !refused {
        let why = format!("the server did not refuse (status {})", answer.status);
        if refusal.is_none() {
            out.push(CheckOutcome::fail(
                code_check,
                format!("{why}; expected error {expected:?}"),
            ));
        } else {
            out.push(CheckOutcome::skip(code_check, why.clone()));
        }
        for c in [&ERR_STATUS, &ERR_JSON, &ERR_CHARSET, &ERR_WWW_AUTHENTICATE] {
            out.push(CheckOutcome::skip(c, why.clone()));
        }
        return out;
    }
    let body: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&answer.body).ok();
    let error = body
        .as_ref()
        .and_then(|b| b.get("error"))
        .and_then(|e| e.as_str())
        .map(str::to_owned);
    // §5.2: 400, except invalid_client: 401 when the client used the
    // Authorization header, else 400 or 401.
    let status_ok = match expected {
        "invalid_client" if used_basic => answer.status == 401,
        "invalid_client" => answer.status == 400 || answer.status == 401,
        _ => answer.status == 400,
    };
    out.push(CheckOutcome::expect(&ERR_STATUS, status_ok, || {
        format!("status {} for {expected}", answer.status)
    }));
    let is_json_error = is_json_media_type(answer.content_type()) && error.is_some();
    out.push(CheckOutcome::expect(&ERR_JSON, is_json_error, || {
        format!("not a JSON error object: {}", answer.describe())
    }));
    match &error {
        Some(error) => out.push(CheckOutcome::expect(code_check, error == expected, || {
            format!("error is {error:?}, expected {expected:?}")
        })),
        None => out.push(CheckOutcome::skip(
            code_check,
            "no JSON error code to read (see error-response-json)",
        )),
    }
    let description = body
        .as_ref()
        .and_then(|b| b.get("error_description"))
        .and_then(|e| e.as_str());
    let bad_char = [error.as_deref(), description]
        .into_iter()
        .flatten()
        .flat_map(str::chars)
        .find(|c| !allowed_error_char(*c));
    out.push(CheckOutcome::expect(
        &ERR_CHARSET,
        bad_char.is_none(),
        || {
            format!(
                "character {:?} is outside the allowed set",
                bad_char.unwrap_or_default()
            )
        },
    ));
    if used_basic && answer.status == 401 {
        out.push(basic_challenge(answer));
    } else {
        out.push(CheckOutcome::skip(
            &ERR_WWW_AUTHENTICATE,
            "applies only to a 401 when the client used HTTP Basic",
        ));
    }
    out
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

/// RFC 6749 §5.2: %x20-21 / %x23-5B / %x5D-7E (no `"` and no `\`).
fn allowed_error_char(c: char) -> bool {
    matches!(c, '\x20'..='\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> HttpAnswer {
        HttpAnswer {
            url: "http://127.0.0.1:1/t".parse().unwrap(),
            status,
            headers: headers
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

    fn failed(out: &[CheckOutcome]) -> Vec<&str> {
        out.iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect()
    }

    const JSON: (&str, &str) = ("content-type", "application/json");

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
}
