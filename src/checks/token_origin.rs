//! Where an access token may travel (RFC 6750 §5.3, RFC 6749 §10.3).
//!
//! A bearer token is as good as a password to whoever holds it, so the
//! client shares it only with the parties it is for. Black-box, that is the
//! origin the client was told to call: a token that turns up in a request to
//! any other origin (an API that answered with a redirect elsewhere, a
//! link in a response) has leaked. Judged over everything the client sent,
//! so a leak by any route is seen, not only by the one a scenario provokes.

use super::CheckOutcome;
use super::catalogue::API_TOKEN_STAYS_AT_ORIGIN;
use crate::client::HttpRequest;

/// Whether `request` carries `token` anywhere: a header, the URL or the body
/// (in any of the ways RFC 6750 §2 allows, or any other).
fn carries(request: &HttpRequest, token: &str) -> bool {
    request.headers.iter().any(|(_, v)| v.contains(token))
        || request.url.as_str().contains(token)
        || request
            .body
            .as_deref()
            .is_some_and(|b| String::from_utf8_lossy(b).contains(token))
}

/// RFC 6750 §5.3: every request that carried `token` went to `origin` (the
/// target the profile's API and token endpoint are on).
pub fn token_stays_at_origin(sent: &[HttpRequest], token: &str, origin: &url::Url) -> CheckOutcome {
    let elsewhere = sent
        .iter()
        .filter(|r| carries(r, token))
        .find(|r| r.url.origin() != origin.origin());
    CheckOutcome::expect(&API_TOKEN_STAYS_AT_ORIGIN, elsewhere.is_none(), || {
        let r = elsewhere.expect("a request went elsewhere");
        format!(
            "the access token was sent to {} {}, another origin than {} (the one it is for)",
            r.method,
            r.url.origin().ascii_serialization(),
            origin.origin().ascii_serialization()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, headers: &[(&str, &str)], body: Option<&str>) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            url: url::Url::parse(url).unwrap(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: body.map(|b| b.as_bytes().to_vec()),
        }
    }

    const TOKEN: &str = "tok-0123456789abcdef";

    fn origin() -> url::Url {
        url::Url::parse("http://127.0.0.1:8080/").unwrap()
    }

    #[test]
    fn a_token_sent_only_to_its_origin_passes() {
        let sent = [
            request(
                "http://127.0.0.1:8080/api/me",
                &[("authorization", &format!("Bearer {TOKEN}"))],
                None,
            ),
            // Another origin, without the token: no leak.
            request("http://localhost:8080/elsewhere", &[], None),
        ];
        assert!(!token_stays_at_origin(&sent, TOKEN, &origin()).failed());
    }

    #[test]
    fn a_token_in_any_part_of_a_request_to_another_origin_fails() {
        let bearer = format!("Bearer {TOKEN}");
        let in_header = request(
            "http://localhost:8080/elsewhere",
            &[("authorization", &bearer)],
            None,
        );
        let query = format!("http://127.0.0.1:9/x?access_token={TOKEN}");
        let in_query = request(&query, &[], None);
        let body = format!("access_token={TOKEN}");
        let in_body = request("https://127.0.0.1:8080/x", &[], Some(&body));
        for leak in [in_header, in_query, in_body] {
            let outcome = token_stays_at_origin(std::slice::from_ref(&leak), TOKEN, &origin());
            assert!(outcome.failed(), "{leak:?}");
        }
        let detail = format!(
            "{:?}",
            token_stays_at_origin(
                &[request("http://localhost:8080/e", &[("x", &bearer)], None)],
                TOKEN,
                &origin()
            )
        );
        assert!(detail.contains("http://localhost:8080"), "{detail}");
        assert!(
            !detail.contains(TOKEN),
            "the detail names no token: {detail}"
        );
    }
}
