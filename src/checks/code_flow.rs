//! Checks on the authorization code flow beyond the authorization endpoint's
//! redirect (see [`super::authorization`] for that): the client's own
//! authorization requests (state, PKCE), its CSRF defence, and what the
//! server does after a code is reused and when a token is refreshed.
//!
//! The client-side rules judge our own client and are proven by client
//! faults (`checks::client_faults`), the server-side ones by mock faults.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::authorize::{is_valid_verifier, s256};
use crate::client::callback::{AuthorizationCode, CallbackError};
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::{HttpAnswer, TokenError, TokenResponse};

/// Bits a `state` must carry at least (RFC 6749 §10.12: non-guessable).
pub const MIN_STATE_BITS: usize = 128;

/// RFC 6749 §10.12: every authorization attempt carried its own state, each
/// at least [`MIN_STATE_BITS`] (base64url: 6 bits a character).
pub fn fresh_unguessable_states(states: &[String]) -> CheckOutcome {
    let mut unique = states.to_vec();
    unique.sort();
    unique.dedup();
    let why = if states.len() < 2 {
        Some("fewer than two authorization attempts".to_owned())
    } else if !states.iter().all(|s| s.len() * 6 >= MIN_STATE_BITS) {
        Some(format!("a state is shorter than {MIN_STATE_BITS} bits"))
    } else if unique.len() != states.len() {
        Some("a state value was reused".to_owned())
    } else {
        None
    };
    match why {
        Some(why) => CheckOutcome::fail(&STATE_FRESH, why),
        None => CheckOutcome::pass(&STATE_FRESH),
    }
}

/// RFC 7636 §4.1-4.3: the authorization URL carries the S256 challenge of a
/// valid verifier the client keeps.
pub fn s256_challenge(attempt: &AuthorizationAttempt) -> CheckOutcome {
    let get = |n: &str| {
        attempt
            .url
            .query_pairs()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.into_owned())
    };
    let why = match attempt.request.pkce.as_ref() {
        None => Some("the request has no PKCE verifier"),
        Some(_) if get("code_challenge_method").as_deref() != Some("S256") => {
            Some("code_challenge_method is not S256")
        }
        Some(p) if get("code_challenge") != Some(s256(p.verifier.expose())) => {
            Some("code_challenge is not BASE64URL(SHA256(verifier))")
        }
        Some(_) => None,
    };
    match why {
        Some(why) => CheckOutcome::fail(&PKCE_S256_CHALLENGE, why),
        None => CheckOutcome::pass(&PKCE_S256_CHALLENGE),
    }
}

/// RFC 6749 §6: a new refresh token has the scope of the one it replaced.
/// `attempt` refreshed with the new refresh token (issued by a refresh that
/// asked for less) asking for the whole original grant, `granted`
/// (space-separated). Granted in full passes; refused with invalid_scope, or
/// granted less, fails. No answer, or a refusal that does not speak of
/// scope, says nothing of the token's scope: a not-run outcome with why.
pub fn rotated_refresh_scope_identical(
    attempt: &crate::client::TokenAttempt,
    granted: &str,
) -> CheckOutcome {
    use crate::client::TokenError;
    let whole: Vec<&str> = granted.split(' ').filter(|s| !s.is_empty()).collect();
    match &attempt.outcome {
        Ok(_) => {
            let given = attempt.granted_scope().unwrap_or_default();
            let missing: Vec<&str> = whole
                .iter()
                .copied()
                .filter(|s| !given.split(' ').any(|g| g == *s))
                .collect();
            CheckOutcome::expect(&REFRESH_ROTATED_SCOPE_IDENTICAL, missing.is_empty(), || {
                format!(
                    "the new refresh token no longer carries {missing:?} of the grant: the refresh with it granted {given:?}"
                )
            })
        }
        Err(TokenError::Refused { error, .. }) if error.error == "invalid_scope" => {
            CheckOutcome::fail(
                &REFRESH_ROTATED_SCOPE_IDENTICAL,
                format!(
                    "refreshing with the new refresh token for the grant's own scope {granted:?} was refused with invalid_scope: the new refresh token's scope is narrower than the old one's"
                ),
            )
        }
        Err(TokenError::Refused { status, error }) => CheckOutcome::not_run(
            &REFRESH_ROTATED_SCOPE_IDENTICAL,
            format!(
                "the refresh with the new refresh token was refused ({status} {}), which says nothing of its scope",
                error.error
            ),
        ),
        Err(e) => CheckOutcome::not_run(
            &REFRESH_ROTATED_SCOPE_IDENTICAL,
            format!("the refresh with the new refresh token got no token answer: {e}"),
        ),
    }
}

/// RFC 7636 §4.1: the verifier behind the request's challenge is 43 to 128
/// unreserved characters (`[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`).
pub fn verifier_syntax(attempt: &AuthorizationAttempt) -> CheckOutcome {
    match attempt.request.pkce.as_ref() {
        None => CheckOutcome::skip(&PKCE_VERIFIER_SYNTAX, "the request has no PKCE verifier"),
        Some(p) => verifier_syntax_of(p.verifier.expose()),
    }
}

/// RFC 7636 §4.1 on a verifier as any client sent it (`serve` reads it
/// from the code exchange).
pub fn verifier_syntax_of(verifier: &str) -> CheckOutcome {
    CheckOutcome::expect(&PKCE_VERIFIER_SYNTAX, is_valid_verifier(verifier), || {
        format!(
            "the verifier has {} characters{}",
            verifier.len(),
            match verifier
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
            {
                true => "",
                false => ", some of them not unreserved",
            }
        )
    })
}

/// RFC 6749 §10.12 on one authorization request of any client: `state` is
/// there, of at least [`MIN_STATE_BITS`], and not one an earlier request
/// carried (`seen_before`).
pub fn state_fresh_on_wire(state: Option<&str>, seen_before: bool) -> CheckOutcome {
    let why = match state {
        None => Some("the authorization request has no state".to_owned()),
        Some(s) if s.len() * 6 < MIN_STATE_BITS => {
            Some(format!("the state is shorter than {MIN_STATE_BITS} bits"))
        }
        Some(_) if seen_before => Some("a state value was reused".to_owned()),
        Some(_) => None,
    };
    match why {
        Some(why) => CheckOutcome::fail(&STATE_FRESH, why),
        None => CheckOutcome::pass(&STATE_FRESH),
    }
}

/// RFC 6749 §4.1.2: the client ignores response parameters it does not
/// know: a redirect (`location`) carrying one was accepted (`accepted`: what
/// the client made of it). No such parameter, or a redirect refused for
/// another reason (a forged state, an error), is no verdict.
pub fn unknown_callback_params_ignored(
    location: &str,
    accepted: &Result<AuthorizationCode, CallbackError>,
) -> CheckOutcome {
    let unknown = crate::client::callback::unknown_params(location);
    if unknown.is_empty() {
        return CheckOutcome::skip(
            &CALLBACK_UNKNOWN_PARAMS_IGNORED,
            "the redirect carried no parameter the client does not know",
        );
    }
    match accepted {
        Ok(_) => CheckOutcome::pass(&CALLBACK_UNKNOWN_PARAMS_IGNORED),
        Err(CallbackError::UnknownParameter(name)) => CheckOutcome::fail(
            &CALLBACK_UNKNOWN_PARAMS_IGNORED,
            format!(
                "the client refused a redirect with a code because of {name:?}, a parameter it does not know"
            ),
        ),
        Err(other) => CheckOutcome::skip(
            &CALLBACK_UNKNOWN_PARAMS_IGNORED,
            format!("the client refused the redirect for another reason: {other}"),
        ),
    }
}

/// RFC 6749 §10.12: a redirect whose state is missing or not the client's is
/// refused, and no token request follows (`sent`: token requests the client
/// sent; `received`: those the server saw, when it can tell).
pub fn csrf_refused(
    callback: &Result<AuthorizationCode, CallbackError>,
    sent: usize,
    received: usize,
) -> CheckOutcome {
    let refused = matches!(
        callback,
        Err(CallbackError::StateMismatch | CallbackError::MissingState)
    );
    CheckOutcome::expect(
        &CALLBACK_STATE_CHECKED,
        refused && sent + received == 0,
        || {
            if refused {
                format!("{received} token requests reached the server, {sent} were sent")
            } else {
                "the redirect was accepted".into()
            }
        },
    )
}

/// RFC 6749 §6: after a refresh issued the refresh token `issued`, the
/// client's next refresh (`next`) sent it, not the one it replaced.
pub fn refresh_token_replaced(issued: &str, next: &crate::client::HttpRequest) -> CheckOutcome {
    let sent = next.body_param("refresh_token");
    CheckOutcome::expect(
        &REFRESH_TOKEN_REPLACED,
        sent.as_deref() == Some(issued),
        || match sent {
            None => "the next refresh sent no refresh token".into(),
            Some(_) => {
                "the next refresh sent the old refresh token, not the one issued to replace it"
                    .into()
            }
        },
    )
}

/// RFC 6749 §4.1.2, §10.5: after a code was reused, the access token issued
/// from it no longer works (`answer`: the API's answer to that token).
pub fn tokens_of_reused_code_revoked(answer: &HttpAnswer) -> CheckOutcome {
    CheckOutcome::expect(
        &CODE_REUSE_REVOKES,
        !(200..300).contains(&answer.status),
        || "the API still accepts the access token issued from the reused code".into(),
    )
}

/// A refresh answered with an access token the client did not have yet
/// (`earlier`: the access tokens it was issued before).
pub fn refresh_gave_new_access_token(
    earlier: &[&str],
    refreshed: &Result<TokenResponse, TokenError>,
) -> CheckOutcome {
    match refreshed {
        Ok(t) => CheckOutcome::expect(
            &REFRESH_NEW_ACCESS_TOKEN,
            !earlier.contains(&t.access_token.expose()),
            || "the refresh answered with an access token the client already had".into(),
        ),
        Err(e) => CheckOutcome::fail(
            &REFRESH_NEW_ACCESS_TOKEN,
            format!("the refresh gave no access token: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::answer;
    use crate::client::Secret;
    use crate::client::authorize::{AuthorizationRequest, Pkce};
    use crate::profile::Profile;

    #[test]
    fn states_must_be_long_and_distinct() {
        let long = |c: char| c.to_string().repeat(43);
        assert!(!fresh_unguessable_states(&[long('a'), long('b')]).failed());
        assert!(fresh_unguessable_states(&[long('a')]).failed());
        assert!(fresh_unguessable_states(&[long('a'), long('a')]).failed());
        assert!(fresh_unguessable_states(&[long('a'), "short".into()]).failed());
        // 22 characters carry 132 bits; 21 only 126.
        assert!(!fresh_unguessable_states(&["a".repeat(22), "b".repeat(22)]).failed());
        assert!(fresh_unguessable_states(&["a".repeat(21), "b".repeat(21)]).failed());
    }

    fn attempt_with(
        pkce: Option<Pkce>,
        challenge: Option<&str>,
        method: &str,
    ) -> AuthorizationAttempt {
        let profile = Profile::load("rfc6749").unwrap();
        let mut request = AuthorizationRequest::new(&profile, "c", "http://127.0.0.1:9/cb", None);
        request.pkce = pkce;
        let mut url = request
            .url(&profile, &"http://127.0.0.1:9/".parse().unwrap())
            .unwrap();
        if let Some(challenge) = challenge {
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .into_owned()
                .filter(|(k, _)| !k.starts_with("code_challenge"))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(kept)
                .append_pair("code_challenge", challenge)
                .append_pair("code_challenge_method", method);
        }
        AuthorizationAttempt {
            request,
            url,
            redirect: Ok(String::new()),
            journey: Default::default(),
        }
    }

    #[test]
    fn the_challenge_must_be_s256_of_the_kept_verifier() {
        let pkce = Pkce::new();
        let good = s256(pkce.verifier.expose());
        assert!(!s256_challenge(&attempt_with(Some(pkce.clone()), Some(&good), "S256")).failed());
        assert!(s256_challenge(&attempt_with(Some(pkce.clone()), Some(&good), "plain")).failed());
        assert!(s256_challenge(&attempt_with(Some(pkce.clone()), Some("other"), "S256")).failed());
        assert!(s256_challenge(&attempt_with(None, None, "S256")).failed());
        let short = Pkce {
            verifier: Secret::new("short"),
            challenge: s256("short"),
        };
        let short = attempt_with(Some(short), Some(&s256("short")), "S256");
        assert!(!s256_challenge(&short).failed());
        assert!(verifier_syntax(&short).failed());
        assert!(!verifier_syntax(&attempt_with(Some(pkce.clone()), Some(&good), "S256")).failed());
        let bad = format!("{}!", pkce.verifier.expose());
        let bad = Pkce {
            challenge: s256(&bad),
            verifier: Secret::new(bad),
        };
        let bad = attempt_with(Some(bad.clone()), Some(&bad.challenge), "S256");
        assert!(!s256_challenge(&bad).failed());
        assert!(verifier_syntax(&bad).failed());
        let none = verifier_syntax(&attempt_with(None, None, "S256"));
        assert!(matches!(none.verdict, crate::checks::Verdict::Skip(_)));
    }

    #[test]
    fn a_rotated_refresh_token_keeps_the_whole_grant() {
        use crate::checks::test_support::{JSON, answer, attempt};
        let token = |scope: Option<&str>| {
            let mut body = serde_json::json!({"access_token": "a", "token_type": "Bearer"});
            if let Some(s) = scope {
                body["scope"] = s.into();
            }
            let mut a = attempt(None, Some(answer(200, &[JSON], &body.to_string())));
            a.request = crate::checks::test_support::request(
                "POST",
                "http://127.0.0.1:1/t",
                &[("content-type", "application/x-www-form-urlencoded")],
                Some("grant_type=refresh_token&refresh_token=r&scope=read+write"),
            );
            a
        };
        let judge = |a| rotated_refresh_scope_identical(&a, "read write");
        assert!(!judge(token(None)).failed());
        assert!(!judge(token(Some("write read"))).failed());
        assert!(judge(token(Some("read"))).failed());
        let refused = |error: &str| {
            let body = format!(r#"{{"error":"{error}"}}"#);
            attempt(None, Some(answer(400, &[JSON], &body)))
        };
        assert!(judge(refused("invalid_scope")).failed());
        assert!(judge(refused("invalid_grant")).is_not_run());
        assert!(judge(attempt(None, None)).is_not_run());
    }

    #[test]
    fn unknown_redirect_parameters_are_ignored() {
        let code = || {
            Ok(AuthorizationCode {
                code: Secret::new("c"),
                state: None,
            })
        };
        let with = "http://127.0.0.1:9/cb?code=c&state=s&iss=https%3A%2F%2Fas&ext=1";
        let plain = "http://127.0.0.1:9/cb?code=c&state=s";
        assert!(!unknown_callback_params_ignored(with, &code()).failed());
        let refused = Err(CallbackError::UnknownParameter("iss".into()));
        assert!(unknown_callback_params_ignored(with, &refused).failed());
        let skipped = |o: CheckOutcome| matches!(o.verdict, crate::checks::Verdict::Skip(_));
        assert!(skipped(unknown_callback_params_ignored(plain, &code())));
        assert!(skipped(unknown_callback_params_ignored(
            with,
            &Err(CallbackError::StateMismatch)
        )));
    }

    #[test]
    fn a_forged_state_is_refused_before_any_token_request() {
        let forged = Err(CallbackError::StateMismatch);
        assert!(!csrf_refused(&forged, 0, 0).failed());
        assert!(!csrf_refused(&Err(CallbackError::MissingState), 0, 0).failed());
        assert!(csrf_refused(&forged, 1, 0).failed());
        assert!(csrf_refused(&forged, 0, 1).failed());
        let accepted = Ok(AuthorizationCode {
            code: crate::client::Secret::new("c"),
            state: Some("forged".into()),
        });
        assert!(csrf_refused(&accepted, 0, 0).failed());
    }

    #[test]
    fn the_next_refresh_sends_the_rotated_token() {
        use crate::checks::test_support::request;
        let next = |body: &str| request("POST", "http://127.0.0.1:1/t", &[], Some(body));
        assert!(
            !refresh_token_replaced("new", &next("grant_type=refresh_token&refresh_token=new"))
                .failed()
        );
        assert!(
            refresh_token_replaced("new", &next("grant_type=refresh_token&refresh_token=old"))
                .failed()
        );
        assert!(refresh_token_replaced("new", &next("grant_type=refresh_token")).failed());
    }

    #[test]
    fn reused_code_tokens_and_refreshed_tokens() {
        assert!(!tokens_of_reused_code_revoked(&answer(401, &[], "")).failed());
        assert!(tokens_of_reused_code_revoked(&answer(200, &[], "")).failed());
        let token = |t: &str| {
            Ok(TokenResponse {
                access_token: Secret::new(t),
                token_type: "Bearer".into(),
                expires_in: None,
                scope: None,
                refresh_token: None,
                raw: Default::default(),
            })
        };
        assert!(!refresh_gave_new_access_token(&["a"], &token("b")).failed());
        assert!(refresh_gave_new_access_token(&["a"], &token("a")).failed());
        let refused: Result<TokenResponse, TokenError> =
            Err(crate::client::TransportError::Other {
                url: "u".into(),
                detail: "d".into(),
            }
            .into());
        assert!(refresh_gave_new_access_token(&["a"], &refused).failed());
    }
}
