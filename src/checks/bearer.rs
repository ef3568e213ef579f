//! Checks on using a bearer token at the protected API (RFC 6750).

use super::CheckOutcome;
use super::catalogue::*;
use super::www_authenticate::{self, Challenge};
use crate::client::recording::HttpRequest;
use crate::client::transport::HttpAnswer;

/// The client presented `token` the way §2.1 says, and not in the query (§2.3).
pub fn check_request(request: &HttpRequest, token: &str) -> Vec<CheckOutcome> {
    let expected = format!("Bearer {token}");
    let sent = request.header("authorization");
    vec![
        CheckOutcome::expect(
            &API_BEARER_HEADER,
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
    ]
}

pub fn check_accepted(answer: &HttpAnswer) -> Vec<CheckOutcome> {
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

/// A request with no credentials: 401 + Bearer challenge (§3), no error code (§3.1).
pub fn check_no_token(answer: &HttpAnswer) -> Vec<CheckOutcome> {
    let challenge = bearer_challenge(answer);
    vec![
        CheckOutcome::expect(
            &API_NO_TOKEN_401,
            answer.status == 401 && challenge.is_some(),
            || {
                format!(
                    "status {} with WWW-Authenticate {:?}",
                    answer.status,
                    answer.headers_named("www-authenticate")
                )
            },
        ),
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
    ]
}

/// A wrong or expired token: 401 + `Bearer error="invalid_token"` (§3.1).
/// `refusal` is the situation's own check (an unknown token, an expired one,
/// a revoked one): when the API accepted the token, only it fails.
pub fn check_invalid_token(
    answer: &HttpAnswer,
    refusal: Option<&'static crate::checks::Check>,
) -> Vec<CheckOutcome> {
    let accepted = (200..300).contains(&answer.status);
    let mut out = Vec::new();
    if let Some(refusal) = refusal {
        out.push(CheckOutcome::expect(refusal, !accepted, || {
            format!("the API accepted it: {}", answer.describe())
        }));
        if accepted {
            out.push(CheckOutcome::skip(
                &API_INVALID_TOKEN,
                "the API did not refuse the token",
            ));
            return out;
        }
    }
    let challenge = bearer_challenge(answer);
    out.push(CheckOutcome::expect(
        &API_INVALID_TOKEN,
        answer.status == 401
            && challenge.as_ref().and_then(|c| c.param("error")) == Some("invalid_token"),
        || {
            format!(
                "status {} with WWW-Authenticate {:?}",
                answer.status,
                answer.headers_named("www-authenticate")
            )
        },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, challenge: Option<&str>) -> HttpAnswer {
        HttpAnswer {
            url: "http://127.0.0.1:1/api".parse().unwrap(),
            status,
            headers: challenge
                .map(|c| ("www-authenticate".to_string(), c.to_string()))
                .into_iter()
                .collect(),
            body: Vec::new(),
        }
    }

    fn failed(out: Vec<CheckOutcome>) -> Vec<&'static str> {
        out.into_iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect()
    }

    #[test]
    fn no_token_rules() {
        assert!(failed(check_no_token(&answer(401, Some("Bearer realm=\"api\"")))).is_empty());
        assert_eq!(
            failed(check_no_token(&answer(403, Some("Bearer")))),
            vec!["api-no-token-401"]
        );
        assert_eq!(
            failed(check_no_token(&answer(
                401,
                Some("Bearer error=\"invalid_token\"")
            ))),
            vec!["api-no-token-no-error-code"]
        );
    }

    #[test]
    fn invalid_token_rules() {
        assert!(
            failed(check_invalid_token(
                &answer(401, Some("Bearer error=\"invalid_token\"")),
                None
            ))
            .is_empty()
        );
        assert_eq!(
            failed(check_invalid_token(&answer(401, Some("Bearer")), None)),
            vec!["api-invalid-token"]
        );
        assert_eq!(
            failed(check_invalid_token(&answer(403, None), None)),
            vec!["api-invalid-token"]
        );
        // Accepted: only the situation's check fails.
        assert_eq!(
            failed(check_invalid_token(
                &answer(200, None),
                Some(&API_REFUSES_EXPIRED_TOKEN)
            )),
            vec!["api-refuses-expired-token"]
        );
    }

    #[test]
    fn request_rules() {
        let req = HttpRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:1/api?access_token=t0k".parse().unwrap(),
            headers: vec![("authorization".into(), "Bearer t0k".into())],
            body: None,
        };
        assert_eq!(
            failed(check_request(&req, "t0k")),
            vec!["api-request-token-not-in-query"]
        );
    }
}
