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
    if profile.token.encoding == Encoding::Form {
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
    let authorization = request.header("authorization");
    let secret_in_body = request.body_param("client_secret").is_some();
    if profile.token.client_auth == ClientAuth::Basic {
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
