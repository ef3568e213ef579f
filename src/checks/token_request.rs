//! Checks on the token request the client sent.

use base64::Engine as _;

use super::CheckOutcome;
use super::catalogue::*;
use crate::client::credentials::{ClientCredentials, basic_user_pass};
use crate::client::recording::HttpRequest;
use crate::profile::{ClientAuth, Encoding, Profile};

/// Every request-side check that applies to this profile.
pub fn check(
    request: &HttpRequest,
    profile: &Profile,
    creds: &ClientCredentials,
) -> Vec<CheckOutcome> {
    let mut out = vec![CheckOutcome::expect(
        &REQ_POST,
        request.method == "POST",
        || format!("the token request used {}", request.method),
    )];
    let content_type = request.header("content-type").unwrap_or("(none)");
    let grant = request.body_param("grant_type").unwrap_or_default();
    if profile.encoding_for(&grant) == Encoding::Form {
        out.push(CheckOutcome::expect(
            &REQ_FORM_ENCODED,
            content_type.eq_ignore_ascii_case("application/x-www-form-urlencoded"),
            || format!("Content-Type is {content_type}"),
        ));
    } else {
        out.push(CheckOutcome::skip(
            &REQ_FORM_ENCODED,
            format!("profile {} documents a JSON body instead", profile.name),
        ));
    }
    out.push(CheckOutcome::expect(
        &REQ_GRANT_TYPE,
        request.body_param("grant_type").is_some(),
        || "the body has no grant_type".into(),
    ));
    // RFC 9700 §2.4: the password grant "MUST NOT be used".
    out.push(CheckOutcome::expect(
        &REQ_NO_PASSWORD_GRANT,
        grant != "password",
        || "the client asked for a token with grant_type=password".into(),
    ));
    let authorization = request.header("authorization");
    let secret_in_body = request.body_param("client_secret").is_some();
    if grant.is_empty() {
        out.push(CheckOutcome::skip(
            &REQ_BASIC_ENCODING,
            "the body names no grant_type, so which client authentication the profile asks for is unknown",
        ));
    } else if profile.client_auth_for(&grant) == ClientAuth::Basic {
        let expected = base64::engine::general_purpose::STANDARD
            .encode(basic_user_pass(&creds.id, creds.secret.expose()));
        let sent = authorization
            .and_then(|a| a.strip_prefix("Basic "))
            .unwrap_or("");
        out.push(CheckOutcome::expect(
            &REQ_BASIC_ENCODING,
            sent == expected,
            || match authorization {
                None => "no Authorization header".into(),
                Some(_) => "the Basic credentials are not the form-urlencoded id:secret".into(),
            },
        ));
    } else {
        out.push(CheckOutcome::skip(
            &REQ_BASIC_ENCODING,
            format!("profile {} sends the secret in the body", profile.name),
        ));
    }
    out.push(authenticated(request, profile, creds, &grant));
    out.extend(super::grant_request::client_id_sent(request, &creds.id));
    out.push(super::repeated_params::token_request(request));
    out.push(CheckOutcome::expect(
        &REQ_ONE_AUTH_METHOD,
        !(authorization.is_some() && secret_in_body),
        || "both an Authorization header and client_secret in the body".into(),
    ));
    let query_has_secret = request
        .url
        .query_pairs()
        .any(|(k, _)| k == "client_secret" || k == "client_id");
    out.push(CheckOutcome::expect(
        &REQ_NO_SECRET_IN_URL,
        !query_has_secret,
        || "client credentials in the URL query".into(),
    ));
    out
}

/// RFC 6749 §3.3: the scope `asked` (space-separated) went as one `scope`
/// parameter with exactly those values, separated by spaces.
pub fn scope_sent(request: &HttpRequest, asked: &str) -> CheckOutcome {
    let sent: Vec<String> = request
        .body_params()
        .into_iter()
        .filter(|(k, _)| k == "scope")
        .map(|(_, v)| v)
        .collect();
    CheckOutcome::expect(&REQ_SCOPE, sent == [asked], || match sent.as_slice() {
        [] => "the request has no scope parameter".into(),
        [one] => format!("scope is {one:?}, not the space-separated {asked:?}"),
        many => format!("{} scope parameters", many.len()),
    })
}

/// RFC 6749 §3.2.1: the request carries the client's credentials where the
/// profile says for this grant (§2.3.1: Basic, or both in the body).
fn authenticated(
    request: &HttpRequest,
    profile: &Profile,
    creds: &ClientCredentials,
    grant: &str,
) -> CheckOutcome {
    if grant.is_empty() {
        return CheckOutcome::skip(
            &REQ_CLIENT_AUTHENTICATED,
            "the body names no grant_type, so where the profile wants the credentials is unknown",
        );
    }
    let (ok, missing) = match profile.client_auth_for(grant) {
        ClientAuth::Basic => (
            request
                .header("authorization")
                .is_some_and(|a| a.starts_with("Basic ")),
            "no Authorization header of the Basic scheme",
        ),
        ClientAuth::Post | ClientAuth::Json => (
            request.body_param("client_id").as_deref() == Some(creds.id.as_str())
                && request.body_param("client_secret").as_deref() == Some(creds.secret.expose()),
            "the body lacks the client's client_id or client_secret",
        ),
    };
    CheckOutcome::expect(&REQ_CLIENT_AUTHENTICATED, ok, || missing.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::test_support::request;

    fn creds() -> ClientCredentials {
        ClientCredentials::new("my client", "s3cr:et")
    }

    fn basic() -> String {
        creds().basic_authorization()
    }

    const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

    fn failed(out: &[CheckOutcome]) -> Vec<&str> {
        out.iter()
            .filter(|o| o.failed())
            .map(|o| o.check.id)
            .collect()
    }

    fn check_401go(req: &HttpRequest) -> Vec<CheckOutcome> {
        check(req, &Profile::load("401go").unwrap(), &creds())
    }

    #[test]
    fn the_documented_request_passes_every_check() {
        let auth = basic();
        let req = request(
            "POST",
            "http://127.0.0.1:1/api/o/token/",
            &[FORM, ("authorization", &auth)],
            Some("grant_type=client_credentials"),
        );
        let out = check_401go(&req);
        assert_eq!(out.len(), 9);
        assert!(failed(&out).is_empty(), "{out:#?}");
    }

    #[test]
    fn a_password_grant_request_fails_its_check_alone() {
        let auth = basic();
        let req = request(
            "POST",
            "http://127.0.0.1:1/api/o/token/",
            &[FORM, ("authorization", &auth)],
            Some("grant_type=password&username=u&password=p"),
        );
        assert_eq!(
            failed(&check_401go(&req)),
            ["token-request-no-password-grant"]
        );
    }

    #[test]
    fn each_wrong_request_fails_its_own_check() {
        let auth = basic();
        let cases = [
            (
                request(
                    "GET",
                    "http://127.0.0.1:1/t",
                    &[FORM, ("authorization", &auth)],
                    Some("grant_type=client_credentials"),
                ),
                vec!["token-request-post"],
            ),
            (
                request(
                    "POST",
                    "http://127.0.0.1:1/t",
                    &[
                        ("content-type", "application/json"),
                        ("authorization", &auth),
                    ],
                    Some(r#"{"grant_type":"client_credentials"}"#),
                ),
                vec!["token-request-form"],
            ),
            (
                request(
                    "POST",
                    "http://127.0.0.1:1/t",
                    &[FORM, ("authorization", &auth)],
                    Some("scope=read"),
                ),
                vec!["token-request-grant-type"],
            ),
            (
                request(
                    "POST",
                    "http://127.0.0.1:1/t",
                    &[FORM, ("authorization", "Basic bXkgY2xpZW50OnMzY3I6ZXQ=")],
                    Some("grant_type=client_credentials"),
                ),
                vec!["token-request-basic-encoding"],
            ),
            (
                request(
                    "POST",
                    "http://127.0.0.1:1/t",
                    &[FORM, ("authorization", &auth)],
                    Some("grant_type=client_credentials&client_secret=x"),
                ),
                vec!["token-request-one-auth-method"],
            ),
            (
                request(
                    "POST",
                    "http://127.0.0.1:1/t?client_id=my+client",
                    &[FORM, ("authorization", &auth)],
                    Some("grant_type=client_credentials"),
                ),
                vec!["token-request-no-secret-in-url"],
            ),
            (
                request(
                    "POST",
                    "http://127.0.0.1:1/t?client_secret=s3cr%3Aet",
                    &[FORM, ("authorization", &auth)],
                    Some("grant_type=client_credentials"),
                ),
                vec!["token-request-no-secret-in-url"],
            ),
            // A query that names no credential (a tenant, say) is not one.
            (
                request(
                    "POST",
                    "http://127.0.0.1:1/t?tenant=acme",
                    &[FORM, ("authorization", &auth)],
                    Some("grant_type=client_credentials"),
                ),
                vec![],
            ),
        ];
        for (req, wanted) in cases {
            assert_eq!(
                failed(&check_401go(&req)),
                wanted,
                "{}",
                req.snapshot_text()
            );
        }
        // No Authorization header at all: the client did not authenticate,
        // and the Basic encoding check says so too.
        let none = request(
            "POST",
            "http://127.0.0.1:1/t",
            &[FORM],
            Some("grant_type=client_credentials"),
        );
        assert_eq!(
            failed(&check_401go(&none)),
            vec![
                "token-request-basic-encoding",
                "token-request-client-authenticated"
            ]
        );
        // No grant_type: its check fails; which authentication the grant
        // needs is unknown, so the Basic encoding is not judged.
        let no_grant = request("POST", "http://127.0.0.1:1/t", &[FORM], Some("code=c"));
        let out = check_401go(&no_grant);
        assert_eq!(failed(&out), vec!["token-request-grant-type"]);
        assert!(
            out.iter()
                .any(|o| o.check.id == "token-request-basic-encoding"
                    && matches!(o.verdict, crate::checks::Verdict::Skip(_)))
        );
    }

    #[test]
    fn scopes_travel_as_one_space_separated_parameter() {
        let with = |body: &str| request("POST", "http://127.0.0.1:1/t", &[FORM], Some(body));
        assert!(
            !scope_sent(
                &with("grant_type=client_credentials&scope=read+write"),
                "read write"
            )
            .failed()
        );
        assert!(
            scope_sent(
                &with("grant_type=client_credentials&scope=read%2Cwrite"),
                "read write"
            )
            .failed()
        );
        assert!(
            scope_sent(
                &with("grant_type=client_credentials&scope=read&scope=write"),
                "read write"
            )
            .failed()
        );
        assert!(scope_sent(&with("grant_type=client_credentials"), "read write").failed());
    }

    #[test]
    fn body_and_json_profiles_skip_what_they_do_not_document() {
        let json = request(
            "POST",
            "http://127.0.0.1:1/access-token",
            &[("content-type", "application/json")],
            Some(
                r#"{"grant_type":"client_credentials","client_id":"my client","client_secret":"s3cr:et"}"#,
            ),
        );
        let out = check(&json, &Profile::load("json-body").unwrap(), &creds());
        assert!(failed(&out).is_empty(), "{out:#?}");
        let skipped: Vec<&str> = out
            .iter()
            .filter(|o| matches!(o.verdict, crate::checks::Verdict::Skip(_)))
            .map(|o| o.check.id)
            .collect();
        assert_eq!(
            skipped,
            vec!["token-request-form", "token-request-basic-encoding"]
        );
        let no_secret = request(
            "POST",
            "http://127.0.0.1:1/access-token",
            &[("content-type", "application/json")],
            Some(r#"{"grant_type":"client_credentials","client_id":"my client"}"#),
        );
        let out = check(&no_secret, &Profile::load("json-body").unwrap(), &creds());
        assert_eq!(failed(&out), vec!["token-request-client-authenticated"]);
    }
}
