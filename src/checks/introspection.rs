//! Token introspection (RFC 7662): an authorized caller learns whether a
//! token is active (§2.2, `active` REQUIRED) and, for an active one, members
//! that agree with the token (§2.2); an inactive token is `active: false`
//! and nothing more (§2.2: MUST, SHOULD NOT); an unauthorized caller learns
//! nothing (§2.1); the answer is a JSON object (§2.2).

use super::catalogue::*;
use super::{Check, CheckOutcome, is_json_media_type};
use crate::client::introspection::members;
use crate::client::{ApiAttempt, HttpAnswer};

type Members = serde_json::Map<String, serde_json::Value>;

/// The answer to judge, or why there is none (no answer, 429, 503).
fn answer_of<'a>(
    check: &'static Check,
    attempt: &'a ApiAttempt,
) -> Result<&'a HttpAnswer, CheckOutcome> {
    match &attempt.outcome {
        Err(e) => Err(CheckOutcome::not_run(
            check,
            format!("the introspection endpoint did not answer: {e}"),
        )),
        Ok(a) if matches!(a.status, 429 | 503) => Err(CheckOutcome::not_run(
            check,
            format!(
                "the introspection endpoint answered {} (try again later)",
                a.status
            ),
        )),
        Ok(a) => Ok(a),
    }
}

/// An authorized introspection's members: a 200 whose body is a JSON
/// object. Anything else fails `check` (§2.3: an inactive or unknown token
/// is no error), but a body that is no object is `introspection-response-
/// json`'s to judge.
fn response<'a>(
    check: &'static Check,
    attempt: &'a ApiAttempt,
) -> Result<(&'a HttpAnswer, Members), CheckOutcome> {
    let answer = answer_of(check, attempt)?;
    if answer.status != 200 {
        return Err(CheckOutcome::fail(
            check,
            format!(
                "an authorized introspection was answered {}, not with the RFC 7662 §2.2 response (§2.3: an inactive or unknown token is not an error): {}",
                answer.status,
                answer.describe()
            ),
        ));
    }
    match members(answer) {
        Some(m) => Ok((answer, m)),
        None => Err(CheckOutcome::not_run(
            check,
            "the introspection response is no JSON object (judged by introspection-response-json)",
        )),
    }
}

/// §2.2: a live token is `"active": true`, the boolean.
pub fn active(attempt: &ApiAttempt) -> CheckOutcome {
    let check = &INTROSPECTION_ACTIVE;
    match response(check, attempt) {
        Ok((_, m)) => match m.get("active") {
            Some(serde_json::Value::Bool(true)) => CheckOutcome::pass(check),
            other => CheckOutcome::fail(
                check,
                format!(
                    "a live access token was introspected with active = {other:?}, not the boolean true"
                ),
            ),
        },
        Err(outcome) => outcome,
    }
}

/// §2.2: the answer to an authorized introspection is a JSON object served
/// as `application/json`.
pub fn json(attempt: &ApiAttempt) -> CheckOutcome {
    let check = &INTROSPECTION_JSON;
    let answer = match answer_of(check, attempt) {
        Ok(a) => a,
        Err(outcome) => return outcome,
    };
    if answer.status != 200 {
        return CheckOutcome::not_run(
            check,
            format!(
                "the introspection was answered {} (judged by the scenario's introspection check)",
                answer.status
            ),
        );
    }
    let ok = is_json_media_type(answer.content_type()) && members(answer).is_some();
    CheckOutcome::expect(check, ok, || {
        format!(
            "the introspection response is not a JSON object served as application/json: {}",
            answer.describe()
        )
    })
}

/// What the token response and the client said of the token the
/// introspection is about.
#[derive(Clone, Debug)]
pub struct Issued {
    pub client_id: String,
    /// The granted scope, when known.
    pub scope: Option<String>,
    pub token_type: String,
    pub expires_in: Option<u64>,
    /// When the client asked for the token, in seconds since the epoch.
    pub asked_at_s: i64,
    /// Now, in seconds since the epoch.
    pub now_s: i64,
}

/// Leeway for clocks and for the time between the token and the question.
const LEEWAY_S: i64 = 60;

/// §2.2: an active token's `scope`, `client_id`, `exp` and `token_type`,
/// where present, agree with what was issued.
pub fn members_consistent(attempt: &ApiAttempt, issued: &Issued) -> CheckOutcome {
    let check = &INTROSPECTION_MEMBERS;
    let m = match response(check, attempt) {
        Ok((_, m)) if m.get("active") == Some(&serde_json::Value::Bool(true)) => m,
        Ok(_) => {
            return CheckOutcome::not_run(
                check,
                "the token was not introspected as active (judged by introspection-active-token)",
            );
        }
        Err(outcome) if outcome.failed() => {
            return CheckOutcome::not_run(
                check,
                "the introspection was refused (judged by introspection-active-token)",
            );
        }
        Err(outcome) => return outcome,
    };
    let mut problems = Vec::new();
    if let Some(scope) = m.get("scope") {
        match (scope.as_str(), &issued.scope) {
            (None, _) => problems.push(format!("scope is {scope}, not a string")),
            (Some(said), Some(granted)) if !same_scope(said, granted) => {
                problems.push(format!("scope is {said:?}, the grant's is {granted:?}"));
            }
            _ => {}
        }
    }
    if let Some(id) = m.get("client_id")
        && id.as_str() != Some(issued.client_id.as_str())
    {
        problems.push(format!(
            "client_id is {id}, the client is {:?}",
            issued.client_id
        ));
    }
    if let Some(exp) = m.get("exp") {
        match exp.as_i64() {
            None => problems.push(format!("exp is {exp}, not a number of seconds")),
            Some(exp) if exp + LEEWAY_S < issued.now_s => {
                problems.push(format!("exp {exp} is in the past (now {})", issued.now_s));
            }
            Some(exp) => {
                if let Some(lifetime) = issued.expires_in.and_then(|s| i64::try_from(s).ok())
                    && exp > issued.asked_at_s + lifetime + LEEWAY_S
                {
                    problems.push(format!(
                        "exp {exp} is later than the token response's expires_in ({lifetime} s from {}) allows",
                        issued.asked_at_s
                    ));
                }
            }
        }
    }
    if let Some(token_type) = m.get("token_type")
        && !issued.token_type.is_empty()
        && !token_type
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case(&issued.token_type))
    {
        problems.push(format!(
            "token_type is {token_type}, the token response's is {:?}",
            issued.token_type
        ));
    }
    CheckOutcome::expect(check, problems.is_empty(), || {
        format!(
            "the introspection of an active token disagrees with its issue: {}",
            problems.join("; ")
        )
    })
}

fn same_scope(a: &str, b: &str) -> bool {
    let set = |s: &str| {
        let mut v: Vec<String> = s
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    set(a) == set(b)
}

/// §2.2: a revoked, expired, unknown or tampered token, asked about by an
/// authorized caller, is `"active": false`.
pub fn inactive(attempt: &ApiAttempt, what: &str) -> CheckOutcome {
    let check = &INTROSPECTION_INACTIVE;
    match response(check, attempt) {
        Ok((_, m)) => match m.get("active") {
            Some(serde_json::Value::Bool(false)) => CheckOutcome::pass(check),
            other => CheckOutcome::fail(
                check,
                format!("{what} was introspected with active = {other:?}, not the boolean false"),
            ),
        },
        Err(outcome) => outcome,
    }
}

/// §2.2: the introspection of an inactive token says nothing more than
/// `"active": false` (SHOULD NOT include any additional information).
pub fn inactive_says_nothing_more(attempt: &ApiAttempt) -> CheckOutcome {
    let check = &INTROSPECTION_INACTIVE_NO_MEMBERS;
    let m = match response(check, attempt) {
        Ok((_, m)) if m.get("active") == Some(&serde_json::Value::Bool(false)) => m,
        _ => {
            return CheckOutcome::not_run(
                check,
                "the token was not introspected as inactive (judged by introspection-inactive-token)",
            );
        }
    };
    let extra: Vec<&String> = m.keys().filter(|k| *k != "active").collect();
    CheckOutcome::expect(check, extra.is_empty(), || {
        format!("the introspection of an inactive token says more than active: {extra:?}")
    })
}

/// §2.1: a caller that does not authenticate (or fails to) learns nothing
/// of a live token: a refusal, or at most `"active": false`.
pub fn unauthorized_learns_nothing(attempt: &ApiAttempt, how: &str) -> CheckOutcome {
    let check = &INTROSPECTION_REQUIRES_AUTH;
    let answer = match answer_of(check, attempt) {
        Ok(a) => a,
        Err(outcome) => return outcome,
    };
    if !(200..300).contains(&answer.status) {
        return CheckOutcome::pass(check);
    }
    let disclosed = members(answer)
        .is_some_and(|m| m.get("active") != Some(&serde_json::Value::Bool(false)) || m.len() > 1);
    CheckOutcome::expect(check, !disclosed, || {
        format!(
            "an introspection {how} was answered {} with what the server knows of a live token (RFC 7662 §2.1: the endpoint MUST require authorization): {}",
            answer.status,
            answer.describe()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::answer;
    use crate::client::HttpRequest;

    fn attempt(status: u16, content_type: &str, body: &str) -> ApiAttempt {
        ApiAttempt {
            request: HttpRequest {
                method: "POST".into(),
                url: "http://127.0.0.1:9/introspect".parse().unwrap(),
                headers: Vec::new(),
                body: None,
            },
            outcome: Ok(answer(status, &[("content-type", content_type)], body)),
        }
    }

    const JSON: &str = "application/json";

    fn issued() -> Issued {
        Issued {
            client_id: "c".into(),
            scope: Some("read write".into()),
            token_type: "Bearer".into(),
            expires_in: Some(3600),
            asked_at_s: 1_000,
            now_s: 1_001,
        }
    }

    #[test]
    fn a_live_token_is_the_boolean_true_in_a_json_object() {
        assert!(!active(&attempt(200, JSON, r#"{"active":true}"#)).failed());
        assert!(active(&attempt(200, JSON, r#"{"active":"true"}"#)).failed());
        assert!(active(&attempt(401, JSON, r#"{"error":"invalid_client"}"#)).failed());
        assert!(active(&attempt(200, JSON, "[]")).is_not_run());
        assert!(!json(&attempt(200, JSON, "{}")).failed());
        assert!(json(&attempt(200, "text/plain", "{}")).failed());
    }

    #[test]
    fn an_active_tokens_members_agree_with_its_issue() {
        let ok = r#"{"active":true,"scope":"write read","client_id":"c","exp":4600,"token_type":"bearer"}"#;
        assert!(!members_consistent(&attempt(200, JSON, ok), &issued()).failed());
        for bad in [
            r#"{"active":true,"client_id":"other"}"#,
            r#"{"active":true,"scope":"admin"}"#,
            r#"{"active":true,"exp":10}"#,
            r#"{"active":true,"exp":99999}"#,
            r#"{"active":true,"exp":"4600"}"#,
            r#"{"active":true,"token_type":"mac"}"#,
        ] {
            assert!(
                members_consistent(&attempt(200, JSON, bad), &issued()).failed(),
                "{bad}"
            );
        }
        assert!(
            members_consistent(&attempt(200, JSON, r#"{"active":false}"#), &issued()).is_not_run()
        );
    }

    #[test]
    fn an_inactive_token_is_false_and_nothing_more() {
        let quiet = attempt(200, JSON, r#"{"active":false}"#);
        let chatty = attempt(200, JSON, r#"{"active":false,"exp":1}"#);
        assert!(!inactive(&quiet, "x").failed());
        assert!(!inactive(&chatty, "x").failed());
        assert!(inactive(&attempt(200, JSON, r#"{"active":true}"#), "x").failed());
        assert!(inactive(&attempt(400, JSON, r#"{"error":"invalid_token"}"#), "x").failed());
        assert!(!inactive_says_nothing_more(&quiet).failed());
        assert!(inactive_says_nothing_more(&chatty).failed());
    }

    #[test]
    fn an_unauthorized_caller_learns_nothing() {
        assert!(!unauthorized_learns_nothing(&attempt(401, JSON, "{}"), "x").failed());
        assert!(
            !unauthorized_learns_nothing(&attempt(200, JSON, r#"{"active":false}"#), "x").failed()
        );
        assert!(
            unauthorized_learns_nothing(&attempt(200, JSON, r#"{"active":true}"#), "x").failed()
        );
    }
}
