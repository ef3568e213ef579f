//! Token revocation (RFC 7009): a revoked token stops working at once
//! (§2.1), the answer is 200 for a revoked or an invalid token (§2.2), the
//! hint orders the search but never ends it (§2.1), the client
//! authenticates and revokes only its own tokens (§2.1), and the client's
//! request is a form POST carrying the token (§2.1).

use super::afterwards::Afterwards;
use super::catalogue::*;
use super::{Check, CheckOutcome};
use crate::client::token_request::FORM;
use crate::client::{ApiAttempt, HttpAnswer, HttpRequest};

/// The revocation endpoint's answer, or the outcome that says why there is
/// none to judge (no answer, 429, 503: §2.2.1 says a 503 means "the token
/// still exists").
fn answer_of<'a>(
    check: &'static Check,
    revocation: &'a ApiAttempt,
) -> Result<&'a HttpAnswer, CheckOutcome> {
    match &revocation.outcome {
        Err(e) => Err(CheckOutcome::not_run(
            check,
            format!("the revocation endpoint did not answer: {e}"),
        )),
        Ok(a) if matches!(a.status, 429 | 503) => Err(CheckOutcome::not_run(
            check,
            format!(
                "the revocation endpoint answered {} (try again later): {}",
                a.status,
                a.describe()
            ),
        )),
        Ok(a) => Ok(a),
    }
}

/// A token the client revoked: answered 200 (§2.2) and not working
/// afterwards (§2.1: "the token cannot be used again after the
/// revocation"). `check` names the rule the scenario is about: the refresh
/// token's (MUST), the access token's (SHOULD), a hint's.
pub fn revoked(
    check: &'static Check,
    revocation: &ApiAttempt,
    afterwards: &Afterwards,
) -> CheckOutcome {
    let answer = match answer_of(check, revocation) {
        Ok(a) => a,
        Err(outcome) => return outcome,
    };
    if answer.status != 200 {
        return CheckOutcome::fail(
            check,
            format!(
                "the revocation was answered {}, not 200 (RFC 7009 §2.2): {}",
                answer.status,
                answer.describe()
            ),
        );
    }
    match afterwards {
        Afterwards::Worked(what) => CheckOutcome::fail(
            check,
            format!("the revocation was answered 200, but the token still works: {what}"),
        ),
        Afterwards::Refused(_) => CheckOutcome::pass(check),
        Afterwards::Untold(why) => CheckOutcome::not_run(check, why.clone()),
    }
}

/// The revocation of a token the server never issued, or of one already
/// revoked: 200 (§2.2).
pub fn invalid_token_answered_200(revocation: &ApiAttempt) -> CheckOutcome {
    let check = &REVOCATION_INVALID_TOKEN_200;
    match answer_of(check, revocation) {
        Ok(a) if a.status == 200 => CheckOutcome::pass(check),
        Ok(a) => CheckOutcome::fail(
            check,
            format!(
                "an invalid token's revocation was answered {}, not 200 (RFC 7009 §2.2: \"invalid tokens do not cause an error response\"): {}",
                a.status,
                a.describe()
            ),
        ),
        Err(outcome) => outcome,
    }
}

/// A revocation with a wrong client secret: refused with `invalid_client`
/// (§2.1, §2.2.1 → RFC 6749 §5.2), and the token works afterwards.
pub fn wrong_secret_refused(revocation: &ApiAttempt, afterwards: &Afterwards) -> CheckOutcome {
    let check = &REVOCATION_AUTHENTICATES_CLIENT;
    let answer = match answer_of(check, revocation) {
        Ok(a) => a,
        Err(outcome) => return outcome,
    };
    if (200..300).contains(&answer.status) {
        return CheckOutcome::fail(
            check,
            format!(
                "a revocation with a wrong client secret was answered {}: the server did not validate the client's credentials (RFC 7009 §2.1)",
                answer.status
            ),
        );
    }
    let error = error_code(answer);
    if error.as_deref() != Some("invalid_client") {
        return CheckOutcome::fail(
            check,
            format!(
                "a revocation with a wrong client secret was refused, but not with invalid_client (RFC 7009 §2.2.1, RFC 6749 §5.2): {}",
                answer.describe()
            ),
        );
    }
    match afterwards {
        Afterwards::Worked(_) => CheckOutcome::pass(check),
        Afterwards::Refused(what) => CheckOutcome::fail(
            check,
            format!(
                "the revocation with a wrong secret was refused, yet the token no longer works: {what}"
            ),
        ),
        Afterwards::Untold(why) => CheckOutcome::not_run(check, why.clone()),
    }
}

/// Another client's revocation of the client's refresh token: the token
/// works afterwards (§2.1). Its status is not judged (see the catalogue).
pub fn other_client_could_not_revoke(
    revocation: &ApiAttempt,
    afterwards: &Afterwards,
) -> CheckOutcome {
    let check = &REVOCATION_BOUND_TO_CLIENT;
    if let Err(outcome) = answer_of(check, revocation) {
        return outcome;
    }
    match afterwards {
        Afterwards::Worked(_) => CheckOutcome::pass(check),
        Afterwards::Refused(what) => CheckOutcome::fail(
            check,
            format!(
                "another client revoked the client's refresh token: {what} (RFC 7009 §2.1: the server verifies the token was issued to the client making the request)"
            ),
        ),
        Afterwards::Untold(why) => CheckOutcome::not_run(check, why.clone()),
    }
}

/// Revoking a refresh token revokes the access tokens of its grant (§2.1,
/// SHOULD), on a server that revokes access tokens at all. `supports`: how
/// a revoked access token of the same scenario fared; `before`: the grant's
/// access token just before the refresh token was revoked; `after`: the
/// same token afterwards.
pub fn grant_access_tokens_revoked(
    supports: &Afterwards,
    before: &Afterwards,
    revocation: &ApiAttempt,
    after: &Afterwards,
) -> CheckOutcome {
    let check = &REVOCATION_REVOKES_GRANT_ACCESS_TOKENS;
    match supports {
        Afterwards::Worked(what) => {
            return CheckOutcome::skip(
                check,
                format!(
                    "the server does not revoke access tokens (a revoked one: {what}; revocation-access-token judges that), and §2.1's SHOULD binds only a server that does"
                ),
            );
        }
        Afterwards::Untold(why) => return CheckOutcome::not_run(check, why.clone()),
        Afterwards::Refused(_) => {}
    }
    match before {
        Afterwards::Worked(_) => {}
        Afterwards::Refused(what) => {
            return CheckOutcome::skip(
                check,
                format!(
                    "the grant's access token no longer worked before its refresh token was revoked ({what}): nothing left to revoke"
                ),
            );
        }
        Afterwards::Untold(why) => return CheckOutcome::not_run(check, why.clone()),
    }
    if let Err(outcome) = answer_of(check, revocation) {
        return outcome;
    }
    match after {
        Afterwards::Worked(what) => CheckOutcome::fail(
            check,
            format!(
                "the refresh token was revoked, but an access token of its grant still works: {what}"
            ),
        ),
        Afterwards::Refused(_) => CheckOutcome::pass(check),
        Afterwards::Untold(why) => CheckOutcome::not_run(check, why.clone()),
    }
}

/// The `error` member of a JSON error body, if any.
fn error_code(answer: &HttpAnswer) -> Option<String> {
    let body: serde_json::Value = serde_json::from_slice(&answer.body).ok()?;
    body.get("error")?.as_str().map(str::to_owned)
}

/// The client's revocation request (§2.1): a POST, form-encoded, with the
/// token in the body, and the client's authentication (a Basic header, or
/// its id and secret in the body).
pub fn request_shape(request: &HttpRequest) -> CheckOutcome {
    let check = &REVOCATION_REQUEST_SHAPE;
    let mut problems = Vec::new();
    if request.method != "POST" {
        problems.push(format!("it was sent as {}, not POST", request.method));
    }
    if !request
        .header("content-type")
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with(FORM))
    {
        problems.push(format!(
            "its body is not {FORM} (content type {:?})",
            request.header("content-type")
        ));
    }
    if request.body_param("token").is_none() {
        problems.push("its body has no token (REQUIRED)".to_owned());
    }
    if request.url.query_pairs().any(|(k, _)| k == "token") {
        problems.push("it puts the token in the query string".to_owned());
    }
    let authenticated = request.header("authorization").is_some()
        || (request.body_param("client_id").is_some()
            && request.body_param("client_secret").is_some());
    if !authenticated {
        problems.push("it carries no client authentication (RFC 6749 §2.3)".to_owned());
    }
    CheckOutcome::expect(check, problems.is_empty(), || problems.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::answer;
    use crate::client::TransportError;

    fn attempt(status: u16, body: &str) -> ApiAttempt {
        ApiAttempt {
            request: HttpRequest {
                method: "POST".into(),
                url: "http://127.0.0.1:9/revoke".parse().unwrap(),
                headers: vec![
                    ("content-type".into(), FORM.into()),
                    ("authorization".into(), "Basic eDp5".into()),
                ],
                body: Some(b"token=t".to_vec()),
            },
            outcome: Ok(answer(
                status,
                &[("content-type", "application/json")],
                body,
            )),
        }
    }

    fn silent() -> ApiAttempt {
        ApiAttempt {
            outcome: Err(TransportError::Other {
                url: "u".into(),
                detail: "down".into(),
            }),
            ..attempt(200, "")
        }
    }

    #[test]
    fn a_revoked_token_is_answered_200_and_stops_working() {
        let c = &REVOCATION_REFRESH_TOKEN;
        let refused = Afterwards::Refused("x".into());
        let worked = Afterwards::Worked("x".into());
        assert!(!revoked(c, &attempt(200, ""), &refused).failed());
        assert!(revoked(c, &attempt(200, ""), &worked).failed());
        assert!(revoked(c, &attempt(400, r#"{"error":"invalid_request"}"#), &refused).failed());
        assert!(revoked(c, &attempt(503, ""), &refused).is_not_run());
        assert!(revoked(c, &silent(), &refused).is_not_run());
        assert!(revoked(c, &attempt(200, ""), &Afterwards::Untold("x".into())).is_not_run());
    }

    #[test]
    fn an_invalid_token_is_answered_200() {
        assert!(!invalid_token_answered_200(&attempt(200, "")).failed());
        assert!(
            invalid_token_answered_200(&attempt(400, r#"{"error":"invalid_request"}"#)).failed()
        );
        assert!(invalid_token_answered_200(&silent()).is_not_run());
    }

    #[test]
    fn a_wrong_secret_is_invalid_client_and_revokes_nothing() {
        let worked = Afterwards::Worked("x".into());
        let refused = Afterwards::Refused("x".into());
        let invalid_client = attempt(401, r#"{"error":"invalid_client"}"#);
        assert!(!wrong_secret_refused(&invalid_client, &worked).failed());
        assert!(wrong_secret_refused(&invalid_client, &refused).failed());
        assert!(wrong_secret_refused(&attempt(200, ""), &worked).failed());
        assert!(
            wrong_secret_refused(&attempt(400, r#"{"error":"invalid_request"}"#), &worked).failed()
        );
    }

    #[test]
    fn another_client_revokes_nothing_whatever_the_status() {
        let worked = Afterwards::Worked("x".into());
        assert!(!other_client_could_not_revoke(&attempt(200, ""), &worked).failed());
        assert!(!other_client_could_not_revoke(&attempt(400, "{}"), &worked).failed());
        assert!(
            other_client_could_not_revoke(&attempt(200, ""), &Afterwards::Refused("x".into()))
                .failed()
        );
    }

    #[test]
    fn the_grants_access_tokens_go_with_its_refresh_token_where_access_tokens_can_be_revoked() {
        let w = || Afterwards::Worked("x".into());
        let r = || Afterwards::Refused("x".into());
        let ok = attempt(200, "");
        assert!(!grant_access_tokens_revoked(&r(), &w(), &ok, &r()).failed());
        assert!(grant_access_tokens_revoked(&r(), &w(), &ok, &w()).failed());
        assert!(matches!(
            grant_access_tokens_revoked(&w(), &w(), &ok, &w()).verdict,
            crate::checks::Verdict::Skip(_)
        ));
        assert!(matches!(
            grant_access_tokens_revoked(&r(), &r(), &ok, &r()).verdict,
            crate::checks::Verdict::Skip(_)
        ));
    }

    #[test]
    fn the_request_is_an_authenticated_form_post_with_the_token_in_its_body() {
        let good = attempt(200, "").request;
        assert!(!request_shape(&good).failed());
        let mut in_query = good.clone();
        in_query.url = "http://127.0.0.1:9/revoke?token=t".parse().unwrap();
        in_query.body = Some(Vec::new());
        assert!(request_shape(&in_query).failed());
        let mut anonymous = good.clone();
        anonymous.headers.retain(|(k, _)| k != "authorization");
        assert!(request_shape(&anonymous).failed());
        let mut get = good;
        get.method = "GET".into();
        assert!(request_shape(&get).failed());
    }
}
