//! The issuer in the authorization response (RFC 9207): the server names
//! itself with `iss` in every code and error redirect (§2), and the client
//! refuses a redirect whose `iss` is not the issuer its request went to, or
//! that has none from a server that says it sends one (§2.4).

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::callback::{AuthorizationCode, CallbackError};

/// The profile field that says the server sends `iss`.
pub const FIELD: &str = "authorization_code.iss_parameter_supported";

/// RFC 9207 §2, §2.3 on one redirect (`location`) of a server that says it
/// supports the `iss` parameter (`promised`): `iss` is there, once, and is
/// `issuer`, the server's issuer identifier (`None`: not known, the profile
/// names no `issuer`).
pub fn response_iss(location: &str, issuer: Option<&str>, promised: bool) -> CheckOutcome {
    if !promised {
        return CheckOutcome::skip(
            &AUTHZ_RESPONSE_ISS,
            format!("the profile does not say the server sends iss ({FIELD})"),
        );
    }
    let Some(issuer) = issuer else {
        return CheckOutcome::skip(
            &AUTHZ_RESPONSE_ISS,
            "the profile names no issuer to compare iss with (issuer)",
        );
    };
    let kind = match location.contains("error=") {
        true => "error redirect",
        false => "redirect",
    };
    let found: Vec<String> = url::Url::parse(location)
        .map(|u| {
            u.query_pairs()
                .filter(|(k, _)| k == "iss")
                .map(|(_, v)| v.into_owned())
                .collect()
        })
        .unwrap_or_default();
    match found.as_slice() {
        [one] if one == issuer => CheckOutcome::pass(&AUTHZ_RESPONSE_ISS),
        [] => CheckOutcome::fail(
            &AUTHZ_RESPONSE_ISS,
            format!("the {kind} carries no iss (the issuer is {issuer:?})"),
        ),
        [one] => CheckOutcome::fail(
            &AUTHZ_RESPONSE_ISS,
            format!("the {kind}'s iss is {one:?}, not the issuer {issuer:?}"),
        ),
        many => CheckOutcome::fail(
            &AUTHZ_RESPONSE_ISS,
            format!("the {kind} names iss {} times", many.len()),
        ),
    }
}

/// RFC 9207 §2.4: a redirect whose `iss` was forged (changed, or dropped
/// from a server that says it sends one) is refused as a mix-up, and no
/// token request follows (`sent`: token requests the client sent;
/// `received`: those the server saw, when it can tell).
pub fn mix_up_refused(
    callback: &Result<AuthorizationCode, CallbackError>,
    sent: usize,
    received: usize,
) -> CheckOutcome {
    let refused = matches!(
        callback,
        Err(CallbackError::IssMismatch { .. } | CallbackError::MissingIss)
    );
    CheckOutcome::expect(
        &CALLBACK_ISS_CHECKED,
        refused && sent + received == 0,
        || match callback {
            _ if refused => {
                format!("{received} token requests reached the server, {sent} were sent")
            }
            Ok(_) => "the redirect with the forged iss was accepted".into(),
            Err(other) => format!("the redirect was refused for another reason: {other}"),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Verdict;
    use crate::client::Secret;

    const CB: &str = "https://app.example/cb";
    const AS: &str = "https://as.example";

    #[test]
    fn iss_must_be_there_once_and_be_the_issuer() {
        let with = |q: &str| format!("{CB}?code=c&state=s&{q}");
        let ok = response_iss(&with("iss=https%3A%2F%2Fas.example"), Some(AS), true);
        assert_eq!(ok.verdict, Verdict::Pass);
        let missing = response_iss(&format!("{CB}?error=access_denied&state=s"), Some(AS), true);
        assert!(
            matches!(&missing.verdict, Verdict::Fail(d) if d.contains("error redirect carries no iss"))
        );
        let other = response_iss(&with("iss=https%3A%2F%2Fevil.example"), Some(AS), true);
        assert!(matches!(&other.verdict, Verdict::Fail(d) if d.contains("evil.example")));
        let twice = response_iss(
            &with("iss=https%3A%2F%2Fas.example&iss=https%3A%2F%2Fas.example"),
            Some(AS),
            true,
        );
        assert!(matches!(&twice.verdict, Verdict::Fail(d) if d.contains("2 times")));
        assert!(matches!(
            response_iss(&with(""), Some(AS), false).verdict,
            Verdict::Skip(r) if r.contains(FIELD)
        ));
        assert!(matches!(
            response_iss(&with(""), None, true).verdict,
            Verdict::Skip(r) if r.contains("(issuer)")
        ));
    }

    #[test]
    fn a_forged_iss_must_be_refused_before_any_token_request() {
        let refused: Result<AuthorizationCode, CallbackError> = Err(CallbackError::MissingIss);
        assert_eq!(mix_up_refused(&refused, 0, 0).verdict, Verdict::Pass);
        let mismatch = Err(CallbackError::IssMismatch {
            found: "x".into(),
            expected: AS.into(),
        });
        assert_eq!(mix_up_refused(&mismatch, 0, 0).verdict, Verdict::Pass);
        assert!(mix_up_refused(&refused, 1, 0).failed());
        assert!(mix_up_refused(&refused, 0, 1).failed());
        let accepted = Ok(AuthorizationCode {
            code: Secret::new("c"),
            state: None,
        });
        assert!(
            matches!(mix_up_refused(&accepted, 0, 0).verdict, Verdict::Fail(d) if d.contains("accepted"))
        );
        let other: Result<AuthorizationCode, CallbackError> = Err(CallbackError::StateMismatch);
        assert!(
            matches!(mix_up_refused(&other, 0, 0).verdict, Verdict::Fail(d) if d.contains("another reason"))
        );
    }
}
