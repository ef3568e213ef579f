//! The server's side of PKCE (RFC 7636 §4.4-§4.6): what the authorization
//! endpoint does with a challenge, and what the token endpoint does with the
//! verifier that matches it.
//!
//! The refusals of a wrong, missing or downgraded verifier are judged with
//! the other token endpoint refusals (`checks::refusal`); here are the rules
//! that need a look at the redirect itself, or at an exchange that must
//! succeed.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

use super::authorization::{judge_error_redirect, query_param};
use super::catalogue::*;
use super::{Check, CheckOutcome};
use crate::client::login::LoginError;
use crate::client::{TokenError, TokenResponse};

/// Judges the answer to an authorization request whose
/// `code_challenge_method` no server supports (RFC 7636 §4.4.1): the
/// authorization error response with `error=invalid_request`, i.e. a
/// redirect to `redirect_uri` (RFC 6749 §4.1.2.1: only a bad redirect URI or
/// client id is answered without redirecting). A code, another error, a
/// redirect elsewhere or an error page fails. A refused login, a page the
/// suite could not drive, or no answer proves nothing: `Err` says why the
/// scenario is not run.
pub fn judge_unsupported_method(
    outcome: &Result<String, LoginError>,
    redirect_uri: &str,
    method: &str,
) -> CheckOutcome {
    let what = format!("code_challenge_method={method}");
    judge_invalid_request(&PKCE_UNSUPPORTED_METHOD, outcome, redirect_uri, &what)
}

/// Judges the answer to an authorization request without `code_challenge`
/// to a server the profile says requires PKCE (RFC 7636 §4.4.1): as
/// [`judge_unsupported_method`], the error redirect with invalid_request.
pub fn judge_missing_challenge(
    outcome: &Result<String, LoginError>,
    redirect_uri: &str,
) -> CheckOutcome {
    let check = &PKCE_REQUIRED_CHALLENGE_MISSING;
    judge_invalid_request(
        check,
        outcome,
        redirect_uri,
        "a request without code_challenge",
    )
}

/// An invalid_request error redirect to `redirect_uri` passes (see
/// [`judge_error_redirect`]); `what` names the request in the messages.
fn judge_invalid_request(
    check: &'static Check,
    outcome: &Result<String, LoginError>,
    redirect_uri: &str,
    what: &str,
) -> CheckOutcome {
    judge_error_redirect(check, outcome, redirect_uri, &["invalid_request"], what)
}

/// The OAuth errors a token endpoint gives a verifier it finds wrong (RFC
/// 7636 §4.6 says invalid_grant; a malformed one is invalid_request).
const VERIFIER_REFUSALS: [&str; 2] = ["invalid_grant", "invalid_request"];

/// Judges the exchange of a code issued for an S256 challenge, with the
/// verifier that matches it (RFC 7636 §4.6: the server MUST continue
/// processing as normal). A token passes; a refusal with invalid_grant or
/// invalid_request (what a server that finds the verifier wrong answers)
/// fails. Anything else (another error, such as invalid_client or
/// invalid_scope, which says nothing about PKCE; a 5xx; an answer that is
/// no OAuth answer; no answer) proves nothing: `Err` says why the scenario
/// is not run.
pub fn judge_matching_verifier(outcome: &Result<TokenResponse, TokenError>) -> CheckOutcome {
    let check = &PKCE_MATCHING_VERIFIER;
    match outcome {
        Ok(_) => CheckOutcome::pass(check),
        Err(TokenError::Refused { status, error })
            if *status < 500 && VERIFIER_REFUSALS.contains(&error.error.as_str()) =>
        {
            CheckOutcome::fail(
                check,
                format!(
                    "the code exchange with the verifier that matches the S256 challenge was refused: {status} error={}",
                    error.error
                ),
            )
        }
        Err(e) => CheckOutcome::not_run(
            check,
            format!(
                "no verdict on the matching code verifier: the exchange failed for another reason: {e}"
            ),
        ),
    }
}

/// The ways `text` may hold other bytes readably: as is, and decoded from
/// base64 or base64url (with or without padding), whole and piece by piece
/// between `.`, `~`, `:` or `|` (a JWT-shaped code decodes segment by
/// segment).
fn readable_forms(text: &str) -> Vec<Vec<u8>> {
    let mut forms = vec![text.as_bytes().to_vec()];
    let pieces = std::iter::once(text).chain(text.split(['.', '~', ':', '|']));
    for piece in pieces.filter(|p| p.len() >= 8) {
        for engine in [&URL_SAFE_NO_PAD, &URL_SAFE, &STANDARD_NO_PAD, &STANDARD] {
            if let Ok(bytes) = engine.decode(piece) {
                forms.push(bytes);
            }
        }
    }
    forms
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// RFC 7636 §4.4: the server MUST NOT include the code_challenge in what
/// the client receives in a form other entities can extract. The redirect
/// with the code (`location`) carries no `code_challenge`, and neither it nor
/// its code holds `challenge` in the clear, base64- or base64url-decoded, or
/// the challenge's SHA-256 bytes as they are or in hex. A challenge kept on
/// the server, or encrypted into the code, passes. `Err` when the redirect
/// carries no code (nothing was issued to look at): not run.
pub fn check_challenge_not_exposed(location: &str, challenge: &str) -> CheckOutcome {
    let check = &PKCE_CHALLENGE_NOT_EXPOSED;
    let Some(code) = query_param(location, "code") else {
        return CheckOutcome::not_run(
            check,
            "no verdict on the code challenge: the redirect carries no code to look into",
        );
    };
    if query_param(location, "code_challenge").is_some() {
        return CheckOutcome::fail(check, "the redirect carries a code_challenge parameter");
    }
    let digest = URL_SAFE_NO_PAD.decode(challenge).unwrap_or_default();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let decoded_location = percent_decoded(location);
    let mut seen = readable_forms(&code);
    seen.push(decoded_location.into_bytes());
    let found = seen.iter().find_map(|bytes| {
        let lower = bytes.to_ascii_lowercase();
        if contains(bytes, challenge.as_bytes()) {
            Some("the code_challenge itself")
        } else if digest.len() == 32 && contains(bytes, &digest) {
            Some("the challenge's SHA-256 bytes")
        } else if !hex.is_empty() && contains(&lower, hex.as_bytes()) {
            Some("the challenge in hex")
        } else {
            None
        }
    });
    CheckOutcome::expect(check, found.is_none(), || {
        format!(
            "the redirect's code reveals {}: anyone who sees the code can read it",
            found.unwrap_or_default()
        )
    })
}

fn percent_decoded(location: &str) -> String {
    form_urlencoded::parse(location.as_bytes())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Secret;
    use crate::client::authorize::s256;
    use crate::client::token_response::OAuthError;

    const CB: &str = "http://127.0.0.1:9/cb";

    #[test]
    fn an_unsupported_method_must_come_back_as_invalid_request() {
        let judge = |o: Result<&str, LoginError>| {
            judge_unsupported_method(&o.map(str::to_owned), CB, "S512")
        };
        assert!(!judge(Ok("http://127.0.0.1:9/cb?error=invalid_request&state=s")).failed());
        for bad in [
            "http://127.0.0.1:9/cb?code=c&state=s",
            "http://127.0.0.1:9/cb?error=server_error&state=s",
            "http://127.0.0.1:9/cb?state=s",
            "http://127.0.0.1:9/other?error=invalid_request",
        ] {
            assert!(judge(Ok(bad)).failed(), "{bad}");
        }
        let page = LoginError::ErrorPage {
            url: "http://as/authorize".into(),
            status: 400,
            described: "Unsupported code_challenge_method".into(),
        };
        assert!(judge(Err(page)).failed());
        let timeout = LoginError::Timeout {
            limit: std::time::Duration::from_secs(1),
            url: "http://as/authorize".into(),
        };
        assert!(judge(Err(timeout)).is_not_run());
        let refused = LoginError::LoginRefused {
            url: "http://as/login".into(),
            status: 200,
        };
        assert!(judge(Err(refused)).is_not_run());
    }

    fn refused(status: u16, error: &str) -> Result<TokenResponse, TokenError> {
        Err(TokenError::Refused {
            status,
            error: OAuthError {
                error: error.into(),
                error_description: None,
                error_uri: None,
            },
        })
    }

    #[test]
    fn a_missing_challenge_must_come_back_as_invalid_request() {
        let judge = |o: Result<&str, LoginError>| {
            let o = judge_missing_challenge(&o.map(str::to_owned), CB);
            match o.is_not_run() {
                true => Err(o.detail().unwrap_or_default()),
                false => Ok((o.failed(), o.check.id)),
            }
        };
        let id = "pkce-required-challenge-missing-refused";
        assert_eq!(
            judge(Ok("http://127.0.0.1:9/cb?error=invalid_request")),
            Ok((false, id))
        );
        assert_eq!(
            judge(Ok("http://127.0.0.1:9/cb?code=c&state=s")),
            Ok((true, id))
        );
    }

    #[test]
    fn the_matching_verifier_must_get_tokens() {
        let token = Ok(TokenResponse {
            access_token: Secret::new("a"),
            token_type: "Bearer".into(),
            expires_in: None,
            scope: None,
            refresh_token: None,
            raw: Default::default(),
        });
        assert!(!judge_matching_verifier(&token).failed());
        assert!(judge_matching_verifier(&refused(400, "invalid_grant")).failed());
        assert!(judge_matching_verifier(&refused(400, "invalid_request")).failed());
        // Refusals that say nothing about the verifier: no verdict.
        assert!(judge_matching_verifier(&refused(401, "invalid_client")).is_not_run());
        assert!(judge_matching_verifier(&refused(500, "invalid_grant")).is_not_run());
        let down: Result<TokenResponse, TokenError> = Err(crate::client::TransportError::Other {
            url: "u".into(),
            detail: "d".into(),
        }
        .into());
        assert!(judge_matching_verifier(&down).is_not_run());
    }

    #[test]
    fn a_code_that_carries_the_challenge_fails() {
        let challenge = s256("conformance-verifier-0123456789-0123456789-abc");
        let judge = |code: &str| {
            let location = format!("{CB}?code={code}&state=s");
            let o = check_challenge_not_exposed(&location, &challenge);
            match o.is_not_run() {
                true => Err(o.detail().unwrap_or_default()),
                false => Ok(o.failed()),
            }
        };
        assert_eq!(judge("Zk3q9opaque0123456789abcdef"), Ok(false));
        assert_eq!(judge(&format!("abc{challenge}")), Ok(true));
        let payload = URL_SAFE_NO_PAD.encode(format!("{{\"cc\":\"{challenge}\"}}"));
        assert_eq!(
            judge(&format!("eyJhbGciOiJub25lIn0.{payload}.sig")),
            Ok(true)
        );
        assert_eq!(judge(&URL_SAFE.encode(format!("x:{challenge}"))), Ok(true));
        let digest = URL_SAFE_NO_PAD.decode(&challenge).unwrap();
        let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
        assert_eq!(judge(&format!("c-{hex}")), Ok(true));
        assert_eq!(
            judge(&URL_SAFE_NO_PAD.encode([&b"k"[..], &digest].concat())),
            Ok(true)
        );
        let with_param = format!("{CB}?code=c&code_challenge={challenge}");
        assert!(check_challenge_not_exposed(&with_param, &challenge).failed());
        // The challenge echoed in another parameter of the redirect, percent-encoded.
        let echoed = format!("{CB}?code=Zk3q9opaque&session=x%3A{challenge}");
        assert!(check_challenge_not_exposed(&echoed, &challenge).failed());
        // No code: nothing to look into.
        let error = format!("{CB}?error=access_denied");
        assert!(check_challenge_not_exposed(&error, &challenge).is_not_run());
    }
}
