//! Reading the redirect back to `redirect_uri` (RFC 6749 §4.1.2, §4.1.2.1).
//!
//! A missing or different `state` is a CSRF attempt (§10.12): it is refused
//! before any code exchange can happen.

use super::credentials::Secret;

/// What a successful redirect carries. The code is a [`Secret`]: registered
/// for redaction the moment it is read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthorizationCode {
    pub code: Secret,
    pub state: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("the redirect went to {got}, not to the registered redirect_uri {expected}")]
    WrongRedirectUri { got: String, expected: String },
    #[error("the authorization server refused: error={error}{}", description.as_deref().map(|d| format!(" ({d})")).unwrap_or_default())]
    Refused {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
    #[error(
        "the redirect carries no state although one was sent: refused as a possible CSRF attempt (RFC 6749 §10.12)"
    )]
    MissingState,
    #[error(
        "the redirect's state differs from the one sent: refused as a possible CSRF attempt (RFC 6749 §10.12)"
    )]
    StateMismatch,
    #[error("the redirect carries neither a code nor an error")]
    MissingCode,
    #[error(
        "the response parameters are in the URL fragment, not the query (RFC 6749 §4.1.2 puts them in the query)"
    )]
    InFragment,
    #[error("the redirect location {0:?} is not a URL")]
    NotAUrl(String),
    #[error(
        "the redirect's state was already used: refused as a replayed callback (RFC 9700 §2.1: one-time state)"
    )]
    Replayed,
    #[error("the redirect carries {0:?}, a parameter the client does not know")]
    UnknownParameter(String),
    #[error(
        "the redirect's iss is {found:?}, not {expected:?}, the issuer the request went to: refused as a mix-up (RFC 9207 §2.4)"
    )]
    IssMismatch { found: String, expected: String },
    #[error(
        "the redirect carries no iss although the server says it sends one: refused as a possible mix-up (RFC 9207 §2.4)"
    )]
    MissingIss,
}

/// RFC 9207 §2.4 on a redirect (`location`): its `iss`, if present, must be
/// `expected` exactly (simple string comparison, after form-decoding), and
/// a server that says it sends one (`promised`) must have sent one.
/// `expected` unknown: only a promised but missing `iss` is refused.
pub fn check_iss(
    location: &str,
    expected: Option<&str>,
    promised: bool,
) -> Result<(), CallbackError> {
    let url = url::Url::parse(location).map_err(|_| CallbackError::NotAUrl(location.to_owned()))?;
    let found: Vec<String> = url
        .query_pairs()
        .filter(|(k, _)| k == "iss")
        .map(|(_, v)| v.into_owned())
        .collect();
    match (found.as_slice(), expected) {
        ([], _) if promised => Err(CallbackError::MissingIss),
        ([], _) | (_, None) => Ok(()),
        ([one], Some(expected)) if one == expected => Ok(()),
        (many, Some(expected)) => Err(CallbackError::IssMismatch {
            found: many.join(", "),
            expected: expected.to_owned(),
        }),
    }
}

/// The authorization response parameters the client reads (RFC 6749
/// §4.1.2, §4.1.2.1); any other is an extension it ignores (§4.1.2).
/// `iss` is RFC 9207's, which the client compares (§2.4).
pub const READ_PARAMS: &[&str] = &[
    "code",
    "state",
    "error",
    "error_description",
    "error_uri",
    "iss",
];

/// The query parameters of `location` the client does not read, in order.
pub fn unknown_params(location: &str) -> Vec<String> {
    url::Url::parse(location)
        .map(|u| {
            u.query_pairs()
                .map(|(k, _)| k.into_owned())
                .filter(|k| !READ_PARAMS.contains(&k.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// Parses the URL the user agent was redirected to.
pub fn parse_callback(
    location: &str,
    redirect_uri: &str,
    expected_state: Option<&str>,
) -> Result<AuthorizationCode, CallbackError> {
    let url = url::Url::parse(location).map_err(|_| CallbackError::NotAUrl(location.to_owned()))?;
    let expected = url::Url::parse(redirect_uri)
        .map_err(|_| CallbackError::NotAUrl(redirect_uri.to_owned()))?;
    if url.origin() != expected.origin() || url.path() != expected.path() {
        return Err(CallbackError::WrongRedirectUri {
            got: format!("{}{}", url.origin().ascii_serialization(), url.path()),
            expected: redirect_uri.to_owned(),
        });
    }
    let params: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    if get("code").is_none() && get("error").is_none() {
        let in_fragment = url
            .fragment()
            .is_some_and(|f| f.contains("code=") || f.contains("error="));
        return Err(if in_fragment {
            CallbackError::InFragment
        } else {
            CallbackError::MissingCode
        });
    }
    let state = get("state");
    // The state is checked first, for errors too: an error redirect with a
    // foreign state is not this client's answer.
    if let Some(expected) = expected_state {
        match state.as_deref() {
            None => return Err(CallbackError::MissingState),
            Some(s) if s != expected => return Err(CallbackError::StateMismatch),
            Some(_) => {}
        }
    }
    if let Some(error) = get("error") {
        return Err(CallbackError::Refused {
            error,
            description: get("error_description"),
            state,
        });
    }
    let code = Secret::new(get("code").ok_or(CallbackError::MissingCode)?);
    Ok(AuthorizationCode { code, state })
}

/// The redirect with its query parameter `name` set to `value`, or removed
/// for `None`: the callback an attacker forges (RFC 6749 §10.12).
pub fn with_param(
    location: &str,
    name: &str,
    value: Option<&str>,
) -> Result<String, CallbackError> {
    let mut url =
        url::Url::parse(location).map_err(|_| CallbackError::NotAUrl(location.to_owned()))?;
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .into_owned()
        .filter_map(|(k, v)| match (k == name, value) {
            (false, _) => Some((k, v)),
            (true, Some(new)) => Some((k, new.to_owned())),
            (true, None) => None,
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    Ok(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CB: &str = "https://app.example/redirect_url/";

    #[test]
    fn code_and_state_are_read_and_extra_parameters_ignored() {
        let got = parse_callback(
            &format!("{CB}?code=abc&state=s1&iss=https%3A%2F%2Fas&session_state=x"),
            CB,
            Some("s1"),
        );
        assert_eq!(
            got,
            Ok(AuthorizationCode {
                code: Secret::new("abc"),
                state: Some("s1".into())
            })
        );
    }

    #[test]
    fn iss_is_compared_exactly_and_required_only_when_promised() {
        let with = |iss: &str| format!("{CB}?code=abc&state=s1&iss={iss}");
        let issuer = Some("https://as.example");
        assert_eq!(
            check_iss(&with("https%3A%2F%2Fas.example"), issuer, true),
            Ok(())
        );
        assert_eq!(
            check_iss(&with("https%3A%2F%2Fas.example%2F"), issuer, false),
            Err(CallbackError::IssMismatch {
                found: "https://as.example/".into(),
                expected: "https://as.example".into()
            })
        );
        let no_iss = format!("{CB}?code=abc&state=s1");
        assert_eq!(
            check_iss(&no_iss, issuer, true),
            Err(CallbackError::MissingIss)
        );
        assert_eq!(check_iss(&no_iss, issuer, false), Ok(()));
        assert_eq!(check_iss(&with("x"), None, true), Ok(()));
        let twice = format!(
            "{}&iss=https%3A%2F%2Fas.example",
            with("https%3A%2F%2Fas.example")
        );
        assert!(matches!(
            check_iss(&twice, issuer, true),
            Err(CallbackError::IssMismatch { .. })
        ));
    }

    #[test]
    fn error_redirect_names_the_error() {
        let got = parse_callback(
            &format!("{CB}?error=access_denied&error_description=User+said+no&state=s1"),
            CB,
            Some("s1"),
        );
        let err = got.unwrap_err();
        assert_eq!(
            err,
            CallbackError::Refused {
                error: "access_denied".into(),
                description: Some("User said no".into()),
                state: Some("s1".into())
            }
        );
        assert!(err.to_string().contains("access_denied"));
    }

    #[test]
    fn missing_or_different_state_is_refused() {
        assert_eq!(
            parse_callback(&format!("{CB}?code=abc"), CB, Some("s1")),
            Err(CallbackError::MissingState)
        );
        assert_eq!(
            parse_callback(&format!("{CB}?code=abc&state=evil"), CB, Some("s1")),
            Err(CallbackError::StateMismatch)
        );
        assert_eq!(
            parse_callback(
                &format!("{CB}?error=access_denied&state=evil"),
                CB,
                Some("s1")
            ),
            Err(CallbackError::StateMismatch)
        );
        // Without a state sent, none is required.
        assert!(parse_callback(&format!("{CB}?code=abc"), CB, None).is_ok());
    }

    #[test]
    fn a_forged_callback_changes_or_drops_one_parameter() {
        let location = format!("{CB}?code=abc&state=s1");
        assert_eq!(
            with_param(&location, "state", Some("evil")).unwrap(),
            format!("{CB}?code=abc&state=evil")
        );
        assert_eq!(
            with_param(&location, "state", None).unwrap(),
            format!("{CB}?code=abc")
        );
        assert!(with_param("not a url", "state", None).is_err());
    }

    #[test]
    fn fragment_wrong_uri_and_empty_redirects_are_refused() {
        assert_eq!(
            parse_callback(&format!("{CB}#code=abc&state=s1"), CB, Some("s1")),
            Err(CallbackError::InFragment)
        );
        assert_eq!(
            parse_callback(&format!("{CB}?state=s1"), CB, Some("s1")),
            Err(CallbackError::MissingCode)
        );
        assert!(matches!(
            parse_callback(
                "https://evil.example/redirect_url/?code=a&state=s1",
                CB,
                Some("s1")
            ),
            Err(CallbackError::WrongRedirectUri { .. })
        ));
        assert!(matches!(
            parse_callback("not a url", CB, None),
            Err(CallbackError::NotAUrl(_))
        ));
    }
}
