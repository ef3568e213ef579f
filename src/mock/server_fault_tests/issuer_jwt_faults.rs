//! The proofs of the faults of RFC 9207 (`iss` in the authorization
//! response) and RFC 9068 (JWT access tokens).

use super::*;
use crate::checks::jwt_access_token;

pub(super) fn drops_iss_on_error(fault: ServerFault) {
    // rfc6749 says its server sends iss, and requires PKCE: a request
    // without a challenge gets an error redirect.
    let (conforming, faulty) = both("rfc6749", fault, |s| {
        let (_, params) = redirected(&start(s, MOCK_REDIRECT_URI, None));
        (param(&params, "error"), param(&params, "iss"))
    });
    assert_eq!(conforming.0.as_deref(), Some("invalid_request"));
    assert!(conforming.1.is_some(), "the mock's issuer (its base URL)");
    assert_eq!(faulty, (conforming.0, None));
    // Code redirects keep their iss.
    let mut faulty = mock("rfc6749", Some(fault));
    let challenge = crate::client::authorize::s256(VERIFIER);
    let (_, params) = redirected(&authorize(
        &mut faulty,
        MOCK_REDIRECT_URI,
        Some(&challenge),
        true,
    ));
    assert!(param(&params, "code").is_some() && param(&params, "iss").is_some());
    assert_eq!(fault.proof_profile(), "rfc6749");
}

/// The header and claims of the access token login3's mock issues.
fn jwt_parts(fault: ServerFault) -> [(serde_json::Value, serde_json::Value); 2] {
    let (conforming, faulty) = both("login3", fault, |s| {
        s.base_url = "http://127.0.0.1:4000".into();
        let token = access_token(&token(
            s,
            A,
            "grant_type=client_credentials&audience=https%3A%2F%2Fapi.login3.mock.test%2F",
        ));
        let (header, claims) = jwt_access_token::read(&token).unwrap();
        (header.into(), claims.into())
    });
    [conforming, faulty]
}

pub(super) fn jwt_typed_as_jwt(fault: ServerFault) {
    let [(good, _), (bad, _)] = jwt_parts(fault);
    assert_eq!(good["typ"], "at+jwt");
    assert_eq!(bad["typ"], "JWT");
    assert_eq!(good["kid"], bad["kid"]);
}

pub(super) fn jwt_without_jti(fault: ServerFault) {
    let [(_, good), (_, bad)] = jwt_parts(fault);
    assert!(good.get("jti").is_some());
    assert!(bad.get("jti").is_none());
    assert_eq!(good["client_id"], bad["client_id"]);
}

pub(super) fn jwt_signed_with_unpublished_key(fault: ServerFault) {
    let [(good, _), (bad, _)] = jwt_parts(fault);
    assert_eq!(bad["kid"], crate::mock::jwt::UNKNOWN_KEY_ID);
    assert_ne!(good["kid"], bad["kid"]);
    assert_eq!(good["typ"], bad["typ"]);
}

pub(super) fn jwt_from_another_issuer(fault: ServerFault) {
    let [(_, good), (_, bad)] = jwt_parts(fault);
    // RFC 9068 §2.2: the issuer its metadata names, its base URL.
    assert_eq!(good["iss"], "http://127.0.0.1:4000");
    assert_ne!(good["iss"], bad["iss"]);
    assert_eq!(good["aud"], bad["aud"]);
}

pub(super) fn jwt_for_another_audience(fault: ServerFault) {
    let [(_, good), (_, bad)] = jwt_parts(fault);
    assert_eq!(good["aud"], "https://api.login3.mock.test/");
    assert_ne!(good["aud"], bad["aud"]);
    assert_eq!(good["iss"], bad["iss"]);
    assert_eq!(fault.proof_profile(), "login3");
}
