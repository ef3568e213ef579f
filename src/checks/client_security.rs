//! Checks on the client's own security (RFC 9700 §2.1, §2.1.1; RFC 6750
//! §5.3): what our client does, judged from what it recorded.

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::callback::{AuthorizationCode, CallbackError};
use crate::client::plain_http::is_loopback;
use crate::client::{HttpRequest, TransportError};

/// RFC 9700 §2.1.1: "the PKCE challenge ... MUST be transaction-specific":
/// each authorization request had its own verifier. How long a verifier is
/// is §4.1's grammar, judged by `pkce-verifier-syntax` at its own level.
pub fn fresh_verifiers(verifiers: &[String]) -> CheckOutcome {
    let mut unique = verifiers.to_vec();
    unique.sort();
    unique.dedup();
    CheckOutcome::expect(
        &PKCE_VERIFIER_FRESH,
        verifiers.len() >= 2 && unique.len() == verifiers.len(),
        || {
            if verifiers.len() < 2 {
                "fewer than two authorization requests carried a verifier".into()
            } else {
                "a verifier was used for more than one authorization request".into()
            }
        },
    )
}

/// RFC 7636 §4.5: the code exchange carried the verifier of the request
/// that sent the challenge (`kept`: that verifier; `sent`: the exchange).
pub fn verifier_sent(kept: &str, sent: &HttpRequest) -> CheckOutcome {
    let carried = sent.body_param("code_verifier");
    CheckOutcome::expect(
        &PKCE_VERIFIER_SENT,
        carried.as_deref() == Some(kept),
        || match carried {
            None => "the code exchange carries no code_verifier".into(),
            Some(_) => "the code exchange carries another verifier than the request's".into(),
        },
    )
}

/// RFC 7636 §4.5 seen from the server (`serve`): the code exchange carried
/// the verifier that matches the authorization request's `challenge`
/// (`method`: its code_challenge_method, `plain` when absent, §4.3).
pub fn verifier_matches(challenge: &str, method: Option<&str>, sent: &HttpRequest) -> CheckOutcome {
    let carried = sent.body_param("code_verifier");
    let matches = |v: &str| match method.unwrap_or("plain") {
        "S256" => crate::client::authorize::s256(v) == challenge,
        _ => v == challenge,
    };
    CheckOutcome::expect(
        &PKCE_VERIFIER_SENT,
        carried.as_deref().is_some_and(matches),
        || {
            match carried {
            None => "the code exchange carries no code_verifier, though the authorization request sent a code_challenge".into(),
            Some(_) => "the code_verifier does not match the authorization request's code_challenge".into(),
        }
        },
    )
}

/// RFC 9700 §2.1: the same callback a second time is refused as a replay,
/// and no token request follows it (`token_requests`: sent since).
pub fn replay_refused(
    replay: &Result<AuthorizationCode, CallbackError>,
    token_requests: usize,
) -> CheckOutcome {
    let refused = matches!(replay, Err(CallbackError::Replayed));
    CheckOutcome::expect(&CALLBACK_SINGLE_USE, refused && token_requests == 0, || {
        if refused {
            format!("{token_requests} token request(s) were sent after the replay")
        } else {
            format!("the replayed callback was not refused as a replay: {replay:?}")
        }
    })
}

/// RFC 6750 §5.3, RFC 6749 §10.3: asked to send secrets to a plain-http
/// host that is not this machine, the client refused (`refusal`: its error)
/// and recorded no request to such a host (`sent`).
pub fn refused_plain_http(refusal: Option<&TransportError>, sent: &[HttpRequest]) -> CheckOutcome {
    let leaked: Vec<&HttpRequest> = sent
        .iter()
        .filter(|r| r.url.scheme() == "http" && !is_loopback(&r.url))
        .collect();
    let refused = matches!(refusal, Some(TransportError::PlainHttp { .. }));
    CheckOutcome::expect(&CLIENT_REQUIRES_TLS, refused && leaked.is_empty(), || {
        if leaked.is_empty() {
            format!("the client did not refuse: {refusal:?}")
        } else {
            format!(
                "{} request(s) went over plain http, e.g. to {}://{}",
                leaked.len(),
                leaked[0].url.scheme(),
                leaked[0].url.host_str().unwrap_or("?")
            )
        }
    })
}

/// RFC 6750 §5.3: the client validated the certificate chain of a server
/// whose certificate no trusted authority issued: it stopped at the
/// handshake (a TLS error) and nothing reached the server. `reached`: a
/// request came through. Another failure (no connection at all) shows
/// nothing about validation: a not-run outcome says why there is no verdict.
pub fn tls_validated(
    outcome: &Result<crate::client::HttpAnswer, TransportError>,
    reached: bool,
) -> CheckOutcome {
    if reached {
        return CheckOutcome::fail(
            &CLIENT_VALIDATES_TLS,
            "the client sent its request to a server whose self-signed certificate no trusted authority issued",
        );
    }
    match outcome {
        Err(TransportError::Tls { .. }) => CheckOutcome::pass(&CLIENT_VALIDATES_TLS),
        Ok(answer) => CheckOutcome::fail(
            &CLIENT_VALIDATES_TLS,
            format!(
                "the client accepted a server whose certificate no trusted authority issued (answer {})",
                answer.status
            ),
        ),
        Err(e) => CheckOutcome::not_run(
            &CLIENT_VALIDATES_TLS,
            format!("no verdict on certificate validation: {e}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_is_validated_when_the_handshake_stops_the_request() {
        let tls_error = Err(TransportError::Tls {
            url: "https://127.0.0.1:1/".into(),
            detail: "invalid peer certificate: UnknownIssuer".into(),
        });
        assert!(!tls_validated(&tls_error, false).failed());
        // Whatever the client says, a request that came through fails.
        assert!(tls_validated(&tls_error, true).failed());
        let answered = Ok(crate::client::HttpAnswer {
            url: "https://127.0.0.1:1/".parse().unwrap(),
            status: 200,
            headers: Vec::new(),
            body: Vec::new(),
        });
        assert!(tls_validated(&answered, false).failed());
        let refused = Err(TransportError::Unreachable {
            url: "https://127.0.0.1:1/".into(),
            detail: "connection refused".into(),
        });
        assert!(tls_validated(&refused, false).is_not_run());
    }
    use crate::checks::test_support::request;

    #[test]
    fn verifiers_must_be_fresh() {
        let v = |c: char| c.to_string().repeat(43);
        assert!(!fresh_verifiers(&[v('a'), v('b')]).failed());
        assert!(fresh_verifiers(&[v('a'), v('a')]).failed());
        assert!(fresh_verifiers(&[v('a')]).failed());
        // The length is the grammar's (pkce-verifier-syntax), not freshness.
        assert!(!fresh_verifiers(&[v('a'), "b".repeat(42)]).failed());
        // Each failure names its reason; too few requests is told first.
        let says = |vs: &[String]| fresh_verifiers(vs).describe();
        assert!(says(&[v('a'), v('a')]).contains("more than one authorization request"));
        assert!(says(&[v('a')]).contains("fewer than two"));
        assert!(says(&[]).contains("fewer than two"));
    }

    #[test]
    fn the_exchange_must_carry_the_kept_verifier() {
        let with = |body: &str| request("POST", "http://127.0.0.1:1/t", &[], Some(body));
        assert!(!verifier_sent("v1", &with("code=c&code_verifier=v1")).failed());
        assert!(verifier_sent("v1", &with("code=c&code_verifier=v2")).failed());
        assert!(verifier_sent("v1", &with("code=c")).failed());
    }

    #[test]
    fn a_replay_must_be_refused_and_lead_to_no_token_request() {
        assert!(!replay_refused(&Err(CallbackError::Replayed), 0).failed());
        assert!(replay_refused(&Err(CallbackError::Replayed), 1).failed());
        let accepted = Ok(AuthorizationCode {
            code: crate::client::Secret::new("code-of-the-test"),
            state: Some("s".into()),
        });
        assert!(replay_refused(&accepted, 0).failed());
        assert!(replay_refused(&Err(CallbackError::MissingCode), 0).failed());
    }

    #[test]
    fn nothing_may_leave_over_plain_http() {
        let refusal = TransportError::PlainHttp {
            url: "http://auth.example.test/".into(),
        };
        assert!(!refused_plain_http(Some(&refusal), &[]).failed());
        let local = request("POST", "http://127.0.0.1:1/token", &[], None);
        assert!(!refused_plain_http(Some(&refusal), &[local]).failed());
        let leaked = request("POST", "http://auth.example.test/token", &[], None);
        assert!(refused_plain_http(Some(&refusal), &[leaked]).failed());
        let other = TransportError::Other {
            url: "u".into(),
            detail: "d".into(),
        };
        assert!(refused_plain_http(Some(&other), &[]).failed());
        assert!(refused_plain_http(None, &[]).failed());
    }
}
