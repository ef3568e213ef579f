//! The characters a refusal's members may use (RFC 6749 §4.1.2.1, §5.2):
//! `error` and `error_description` only %x20-21 / %x23-5B / %x5D-7E, and
//! `error_uri` a URI-reference (RFC 3986 §4.1), hence only %x21 / %x23-5B /
//! %x5D-7E. Shared by the token endpoint's refusals
//! ([`super::error_response`]) and the authorization endpoint's error
//! redirects.

use super::CheckOutcome;
use super::catalogue::*;

/// §5.2: `error` and `error_description` use only %x20-21 / %x23-5B / %x5D-7E.
pub(super) fn charset(error: Option<&str>, description: Option<&str>) -> CheckOutcome {
    let bad_char = [error, description]
        .into_iter()
        .flatten()
        .flat_map(str::chars)
        .find(|c| !allowed_error_char(*c));
    CheckOutcome::expect(&ERR_CHARSET, bad_char.is_none(), || {
        format!(
            "character {:?} is outside the allowed set",
            bad_char.unwrap_or_default()
        )
    })
}

/// §5.2: an `error_uri`, when the refusal has one, is a string that
/// conforms to the URI-reference syntax (so uses only %x21 / %x23-5B /
/// %x5D-7E). None at all passes: the member is OPTIONAL.
pub(super) fn error_uri(value: Option<&serde_json::Value>) -> CheckOutcome {
    let problem = match value {
        None => None,
        Some(serde_json::Value::String(uri)) => uri_reference_problem(uri),
        Some(other) => Some(format!("error_uri is not a string: {other}")),
    };
    CheckOutcome::expect(&ERR_ERROR_URI, problem.is_none(), || {
        problem.unwrap_or_default()
    })
}

/// Why `uri` is not a URI-reference (RFC 3986 §4.1), as far as its
/// characters tell: only unreserved and reserved characters and
/// percent-encodings, at most one `#`.
pub(super) fn uri_reference_problem(uri: &str) -> Option<String> {
    if let Some(c) = uri.chars().find(|c| !allowed_error_uri_char(*c)) {
        return Some(format!(
            "error_uri {uri:?} has the character {c:?}, outside %x21 / %x23-5B / %x5D-7E"
        ));
    }
    if let Some(c) = uri.chars().find(|c| !is_uri_char(*c)) {
        return Some(format!(
            "error_uri {uri:?} has the character {c:?}, which no URI-reference has (RFC 3986 §2)"
        ));
    }
    let bytes = uri.as_bytes();
    let bad_escape = bytes.iter().enumerate().any(|(i, b)| {
        *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if bad_escape {
        return Some(format!(
            "error_uri {uri:?} has a % that begins no percent-encoding (RFC 3986 §2.1)"
        ));
    }
    if uri.matches('#').count() > 1 {
        return Some(format!(
            "error_uri {uri:?} has two '#': a fragment cannot hold one (RFC 3986 §3.5)"
        ));
    }
    None
}

/// RFC 3986 §2: unreserved, reserved, and `%` of a percent-encoding.
fn is_uri_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c)
}

/// RFC 6749 §4.1.2.1, §5.2: `error` and `error_description` use
/// %x20-21 / %x23-5B / %x5D-7E (no `"` and no `\`).
pub(crate) fn allowed_error_char(c: char) -> bool {
    matches!(c, '\x20'..='\x21' | '\x23'..='\x5B' | '\x5D'..='\x7E')
}

/// RFC 6749 §4.1.2.1, §5.2: `error_uri` uses %x21 / %x23-5B / %x5D-7E (no
/// space either).
pub(crate) fn allowed_error_uri_char(c: char) -> bool {
    c != ' ' && allowed_error_char(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_quote_or_backslash_in_error_or_description_fails() {
        assert!(!charset(Some("invalid_request"), Some("a b: 'c'")).failed());
        assert!(charset(Some("invalid_request"), Some("bad \"quote\"")).failed());
        assert!(charset(Some("invalid\\request"), None).failed());
        assert!(charset(Some("invalid_request"), Some("caf\u{e9}")).failed());
    }

    #[test]
    fn an_error_uri_is_an_optional_uri_reference() {
        for fine in [
            json!("https://as.example/docs/errors#invalid_request"),
            json!("/docs/errors?code=invalid_client&lang=en"),
            json!("https://as.example/a%20b"),
            json!(""),
        ] {
            assert!(!error_uri(Some(&fine)).failed(), "{fine}");
        }
        assert!(!error_uri(None).failed());
        for broken in [
            json!("https://as.example/docs/token errors"),
            json!("https://as.example/\"quoted\""),
            json!("https://as.example/back\\slash"),
            json!("https://as.example/<html>"),
            json!("https://as.example/100%"),
            // Both characters after `%` must be hex digits, whatever is before it.
            json!("https://as.example/a%g1"),
            json!("https://as.example/%2g"),
            json!("https://as.example/a#b#c"),
            json!("https://as.example/caf\u{e9}"),
            json!(42),
        ] {
            let outcome = error_uri(Some(&broken));
            assert!(outcome.failed(), "{broken}");
            assert_eq!(outcome.check.id, "error-response-error-uri");
        }
    }
}

#[cfg(test)]
mod in_a_refusal {
    use crate::checks::error_response::check;
    use crate::checks::test_support::{JSON, answer};

    /// A refusal whose only fault is its error_uri fails that check alone.
    #[test]
    fn a_bad_error_uri_fails_only_its_own_check() {
        let body = |uri: &str| {
            format!(r#"{{"error":"invalid_request","error_description":"d","error_uri":"{uri}"}}"#)
        };
        let good = answer(400, &[JSON], &body("https://as.example/e#invalid_request"));
        assert!(
            check(&good, "invalid_request", false, None)
                .iter()
                .all(|o| !o.failed())
        );
        let bad = answer(400, &[JSON], &body("https://as.example/token errors"));
        let failed: Vec<&str> = check(&bad, "invalid_request", false, None)
            .iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect();
        assert_eq!(failed, vec!["error-response-error-uri"]);
    }
}
