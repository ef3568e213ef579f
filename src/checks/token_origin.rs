//! Where an access token may travel (RFC 6750 §5.3, RFC 6749 §10.3).
//!
//! A bearer token is as good as a password to whoever holds it, so the
//! client shares it only with the parties it is for. Black-box, those are
//! the origins of the resources the profile declares for it (its API probes
//! and the connection-success call, see
//! [`crate::profile::Profile::token_origins`]): a path below the target is
//! on the target's origin, an absolute URL on its own. A token that turns
//! up in a request to any other origin (an API that answered with a
//! redirect elsewhere, a link in a response, the token endpoint's host when
//! that is another) has leaked. Judged over everything the client sent, so
//! a leak by any route is seen, not only by the one a scenario provokes.

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

/// "a, b", or "none" for a profile that declares no resource.
fn listed(origins: &[url::Origin]) -> String {
    if origins.is_empty() {
        return "none: the profile declares no resource for it".to_owned();
    }
    origins
        .iter()
        .map(url::Origin::ascii_serialization)
        .collect::<Vec<_>>()
        .join(", ")
}

/// RFC 6750 §5.3: every request that carried `token` went to one of the
/// `declared` origins, those of the resources the token is for.
pub fn token_stays_at_origin(
    sent: &[HttpRequest],
    token: &str,
    declared: &[url::Origin],
) -> CheckOutcome {
    let elsewhere = sent
        .iter()
        .filter(|r| carries(r, token))
        .find(|r| !declared.contains(&r.url.origin()));
    CheckOutcome::expect(&API_TOKEN_STAYS_AT_ORIGIN, elsewhere.is_none(), || {
        let r = elsewhere.expect("a request went elsewhere");
        format!(
            "the access token was sent to {} {}, which is not the origin of a resource the profile declares for it ({})",
            r.method,
            r.url.origin().ascii_serialization(),
            listed(declared)
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

    fn origin() -> Vec<url::Origin> {
        vec![url::Url::parse("http://127.0.0.1:8080/").unwrap().origin()]
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

    /// rfc6749 as a provider spread over three origins publishes it: the
    /// token endpoint on one host, the API on another, the target a third.
    fn spread() -> (crate::profile::Profile, url::Url) {
        let mut p = crate::profile::Profile::load("rfc6749").unwrap();
        p.token.path = "http://localhost:8080/token".into();
        let api = p.api.as_mut().unwrap();
        api.probe_path = "http://api.localhost:8081/resource".into();
        api.scoped_probe_path = Some("http://api.localhost:8081/resource/write".into());
        (p, url::Url::parse("http://127.0.0.1:8080/").unwrap())
    }

    #[test]
    fn a_token_may_go_to_the_declared_api_on_another_origin_than_the_target() {
        let (profile, target) = spread();
        let declared = profile.token_origins(&target);
        let bearer = format!("Bearer {TOKEN}");
        let to_api = request(
            "http://api.localhost:8081/resource",
            &[("authorization", &bearer)],
            None,
        );
        assert!(!token_stays_at_origin(&[to_api], TOKEN, &declared).failed());
    }

    #[test]
    fn a_token_is_still_not_sent_to_an_undeclared_origin() {
        let (profile, target) = spread();
        let declared = profile.token_origins(&target);
        let bearer = format!("Bearer {TOKEN}");
        // The target, and the token endpoint's origin: declared, but not
        // for the access token.
        for elsewhere in [
            "http://127.0.0.1:8080/resource",
            "http://localhost:8080/resource",
            "http://api.localhost:8082/resource",
        ] {
            let sent = [request(elsewhere, &[("authorization", &bearer)], None)];
            let outcome = token_stays_at_origin(&sent, TOKEN, &declared);
            assert!(outcome.failed(), "{elsewhere}");
            let detail = format!("{outcome:?}");
            assert!(detail.contains("http://api.localhost:8081"), "{detail}");
        }
        let nothing_declared = token_stays_at_origin(
            &[request(
                "http://127.0.0.1:8080/r",
                &[("authorization", &bearer)],
                None,
            )],
            TOKEN,
            &[],
        );
        assert!(nothing_declared.failed());
        assert!(
            format!("{nothing_declared:?}").contains("declares no resource"),
            "{nothing_declared:?}"
        );
    }
}
