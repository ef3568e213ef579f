//! Checks on the grant's own parameters in the token requests the client
//! sends: the code exchange (RFC 6749 §4.1.3), the refresh (§6) and the
//! client_id of a code exchange without an Authorization header (§3.2.1).

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::recording::HttpRequest;

/// The values of the body parameter `name`, in order.
fn values(request: &HttpRequest, name: &str) -> Vec<String> {
    request
        .body_params()
        .into_iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v)
        .collect()
}

/// Whether the body's parameter `name` is exactly `wanted`, once; else why
/// not (`wrong`: what a single other value is).
fn exactly(request: &HttpRequest, name: &str, wanted: &str, wrong: &str) -> Result<(), String> {
    match values(request, name).as_slice() {
        [one] if one == wanted => Ok(()),
        [] => Err(format!("the body has no {name}")),
        [_] => Err(wrong.to_owned()),
        many => Err(format!("{name} is sent {} times", many.len())),
    }
}

/// RFC 6749 §4.1.3: the code exchange carries grant_type=authorization_code,
/// the `code` the redirect carried, and, when the authorization request
/// carried a redirect_uri (`authorized_redirect_uri`, as sent in its URL), a
/// redirect_uri identical to it.
pub fn code_exchange(
    request: &HttpRequest,
    code: &str,
    authorized_redirect_uri: Option<&str>,
) -> CheckOutcome {
    let verdict = exactly(
        request,
        "grant_type",
        "authorization_code",
        "grant_type is not \"authorization_code\"",
    )
    .and_then(|()| {
        exactly(
            request,
            "code",
            code,
            "code is not the one the redirect carried",
        )
    })
    .and_then(|()| match authorized_redirect_uri {
        Some(uri) => exactly(
            request,
            "redirect_uri",
            uri,
            "redirect_uri is not identical to the authorization request's",
        ),
        None => Ok(()),
    });
    CheckOutcome::expect(&CODE_EXCHANGE_PARAMS, verdict.is_ok(), || {
        verdict.err().unwrap_or_default()
    })
}

/// RFC 6749 §6: a refresh carries grant_type=refresh_token and the refresh
/// token the client holds (`held`).
pub fn refresh(request: &HttpRequest, held: &str) -> CheckOutcome {
    let verdict = exactly(
        request,
        "grant_type",
        "refresh_token",
        "grant_type is not \"refresh_token\"",
    )
    .and_then(|()| {
        exactly(
            request,
            "refresh_token",
            held,
            "refresh_token is not the one the client holds",
        )
    });
    CheckOutcome::expect(&REFRESH_PARAMS, verdict.is_ok(), || {
        verdict.err().unwrap_or_default()
    })
}

/// RFC 6749 §6: a refresh asks for no scope the original grant (`granted`,
/// space-separated) did not have; an absent scope means the whole grant.
pub fn refresh_scope_within_grant(request: &HttpRequest, granted: &str) -> CheckOutcome {
    let granted: Vec<&str> = granted.split(' ').filter(|s| !s.is_empty()).collect();
    let asked = values(request, "scope");
    let beyond: Vec<&str> = asked
        .iter()
        .flat_map(|s| s.split(' '))
        .filter(|s| !s.is_empty() && !granted.contains(s))
        .collect();
    CheckOutcome::expect(&REFRESH_SCOPE_WITHIN_GRANT, beyond.is_empty(), || {
        format!("the refresh asks for {beyond:?}, which the grant ({granted:?}) did not include")
    })
}

/// RFC 6749 §3.2.1: a code exchange sent without an Authorization header
/// names its client with client_id in the body. Other grants, and a client
/// that authenticates with the header, are not what the sentence is about.
pub fn client_id_sent(request: &HttpRequest, client_id: &str) -> Option<CheckOutcome> {
    if request.body_param("grant_type").as_deref() != Some("authorization_code") {
        return None;
    }
    if request.header("authorization").is_some() {
        return Some(CheckOutcome::skip(
            &REQ_CLIENT_ID,
            "the client authenticates with the Authorization header, which names it",
        ));
    }
    let sent = values(request, "client_id");
    Some(CheckOutcome::expect(
        &REQ_CLIENT_ID,
        sent == [client_id],
        || match sent.len() {
            0 => "a code exchange without an Authorization header has no client_id".into(),
            1 => "client_id is not the client's".into(),
            n => format!("client_id is sent {n} times"),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Verdict;
    use crate::checks::test_support::request;

    const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

    fn form(body: &str) -> HttpRequest {
        request("POST", "http://127.0.0.1:1/t", &[FORM], Some(body))
    }

    const CB: &str = "http://127.0.0.1:9/cb";

    #[test]
    fn the_code_exchange_carries_its_grant_type_code_and_identical_redirect_uri() {
        let good =
            "grant_type=authorization_code&code=c0de&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb";
        assert!(!code_exchange(&form(good), "c0de", Some(CB)).failed());
        // No redirect_uri in the authorization request: none is required.
        let bare = "grant_type=authorization_code&code=c0de";
        assert!(!code_exchange(&form(bare), "c0de", None).failed());
        assert!(!code_exchange(&form(good), "c0de", None).failed());
        for bad in [
            "grant_type=code&code=c0de&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb",
            "code=c0de&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb",
            "grant_type=authorization_code&code=other&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb",
            "grant_type=authorization_code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb",
            "grant_type=authorization_code&code=c0de&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcb%2F",
            "grant_type=authorization_code&code=c0de",
        ] {
            assert!(
                code_exchange(&form(bad), "c0de", Some(CB)).failed(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_refresh_carries_its_grant_type_and_the_held_refresh_token() {
        let ok = form("grant_type=refresh_token&refresh_token=r1");
        assert!(!refresh(&ok, "r1").failed());
        assert!(refresh(&ok, "r2").failed());
        assert!(refresh(&form("grant_type=refresh&refresh_token=r1"), "r1").failed());
        assert!(refresh(&form("grant_type=refresh_token&token=r1"), "r1").failed());
        let twice = form("grant_type=refresh_token&refresh_token=r1&refresh_token=r1");
        assert!(refresh(&twice, "r1").failed());
    }

    #[test]
    fn a_refresh_asks_for_no_scope_beyond_the_grant() {
        let granted = "read write";
        let with = |body: &str| refresh_scope_within_grant(&form(body), granted);
        assert!(!with("grant_type=refresh_token&refresh_token=r").failed());
        assert!(!with("grant_type=refresh_token&refresh_token=r&scope=read").failed());
        assert!(!with("grant_type=refresh_token&refresh_token=r&scope=write+read").failed());
        assert!(with("grant_type=refresh_token&refresh_token=r&scope=read+admin").failed());
        assert!(with("grant_type=refresh_token&refresh_token=r&scope=Read").failed());
    }

    #[test]
    fn a_code_exchange_without_the_header_names_its_client() {
        let none = client_id_sent(&form("grant_type=client_credentials"), "me");
        assert!(none.is_none());
        let with = form("grant_type=authorization_code&code=c&client_id=me&client_secret=s");
        assert!(!client_id_sent(&with, "me").unwrap().failed());
        let without = form("grant_type=authorization_code&code=c&client_secret=s");
        assert!(client_id_sent(&without, "me").unwrap().failed());
        let other = form("grant_type=authorization_code&code=c&client_id=you");
        assert!(client_id_sent(&other, "me").unwrap().failed());
        let basic = request(
            "POST",
            "http://127.0.0.1:1/t",
            &[FORM, ("authorization", "Basic bWU6cw==")],
            Some("grant_type=authorization_code&code=c"),
        );
        let skipped = client_id_sent(&basic, "me").unwrap();
        assert!(matches!(skipped.verdict, Verdict::Skip(_)));
    }
}
