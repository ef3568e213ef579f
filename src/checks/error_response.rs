//! Checks on an error response from the token endpoint (RFC 6749 §5.2).

use super::catalogue::*;
use super::www_authenticate;
use super::{CheckOutcome, is_json_media_type};
use crate::client::transport::HttpAnswer;

/// `expected` is the error code the fault calls for; `used_basic` says whether
/// the client authenticated with HTTP Basic (then a 401 needs a Basic challenge).
pub fn check(answer: &HttpAnswer, expected: &str, used_basic: bool) -> Vec<CheckOutcome> {
    let body: Option<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&answer.body).ok();
    let error = body
        .as_ref()
        .and_then(|b| b.get("error"))
        .and_then(|e| e.as_str())
        .map(str::to_owned);
    let status_ok = match expected {
        "invalid_client" => answer.status == 400 || answer.status == 401,
        _ => answer.status == 400,
    };
    let mut out = vec![CheckOutcome::expect(&ERR_STATUS, status_ok, || {
        format!("status {} for {expected}", answer.status)
    })];
    out.push(CheckOutcome::expect(
        &ERR_JSON,
        is_json_media_type(answer.content_type()) && error.is_some(),
        || format!("not a JSON error object: {}", answer.describe()),
    ));
    out.push(CheckOutcome::expect(
        &ERR_CODE,
        error.as_deref() == Some(expected),
        || {
            format!(
                "error is {:?}, expected {expected:?}",
                error.as_deref().unwrap_or("(none)")
            )
        },
    ));
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
        let challenges = www_authenticate::parse_all(answer.headers_named("www-authenticate"));
        out.push(CheckOutcome::expect(
            &ERR_WWW_AUTHENTICATE,
            challenges.iter().any(|c| c.is("basic")),
            || {
                if challenges.is_empty() {
                    "401 without WWW-Authenticate".into()
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
        ));
    } else {
        out.push(CheckOutcome::skip(
            &ERR_WWW_AUTHENTICATE,
            "applies only to a 401 when the client used HTTP Basic",
        ));
    }
    out
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
        assert!(failed(&check(&a, "invalid_client", true)).is_empty());
    }

    #[test]
    fn missing_or_foreign_challenge_fails() {
        let a = answer(401, &[JSON], r#"{"error":"invalid_client"}"#);
        assert_eq!(
            failed(&check(&a, "invalid_client", true)),
            vec!["error-response-www-authenticate"]
        );
        let a = answer(
            401,
            &[JSON, ("www-authenticate", "Bearer")],
            r#"{"error":"invalid_client"}"#,
        );
        assert_eq!(
            failed(&check(&a, "invalid_client", true)),
            vec!["error-response-www-authenticate"]
        );
        // Without Basic, no challenge is required.
        let a = answer(401, &[JSON], r#"{"error":"invalid_client"}"#);
        assert!(failed(&check(&a, "invalid_client", false)).is_empty());
    }

    #[test]
    fn wrong_code_status_format_and_charset_each_fail_their_check() {
        let a = answer(400, &[JSON], r#"{"error":"invalid_grant"}"#);
        assert_eq!(
            failed(&check(&a, "unsupported_grant_type", false)),
            vec!["error-response-code"]
        );
        let a = answer(500, &[JSON], r#"{"error":"invalid_request"}"#);
        assert_eq!(
            failed(&check(&a, "invalid_request", false)),
            vec!["error-response-status"]
        );
        let a = answer(400, &[("content-type", "text/html")], "<html>");
        assert_eq!(
            failed(&check(&a, "invalid_request", false)),
            vec!["error-response-json", "error-response-code"]
        );
        let a = answer(
            400,
            &[JSON],
            r#"{"error":"invalid_request","error_description":"bad \"quote\""}"#,
        );
        assert_eq!(
            failed(&check(&a, "invalid_request", false)),
            vec!["error-response-charset"]
        );
    }
}
