//! The proofs of the redirect-URI and client-id faults of the
//! authorization endpoint (RFC 9700 §2.1, RFC 6749 §4.1.2.1).

use super::super::authorize_endpoint;
use super::super::test_support::request;
use super::*;
use crate::client::near_miss::NearMiss;

pub(super) fn matches_redirect_uri_by_prefix(fault: ServerFault) {
    let near = |shape: NearMiss| shape.apply(MOCK_REDIRECT_URI).unwrap();
    // Every shape that can be made of the mock's loopback URI (not another
    // port: RFC 8252 §7.3 lets a server allow it there).
    for shape in NearMiss::ALL
        .into_iter()
        .filter(|s| s.apply(MOCK_REDIRECT_URI).is_ok())
    {
        let conforming = start(&mut mock("401go", None), &near(shape), None);
        assert_eq!(conforming.status, 400, "{shape:?}");
        assert!(conforming.get_header("location").is_none());
    }
    let mut faulty = mock("401go", Some(fault));
    let extended = near(NearMiss::ExtraPathSegment);
    let (target, params) = redirected(&authorize(&mut faulty, &extended, None, true));
    assert_eq!(target, extended);
    assert!(param(&params, "code").is_some());
    // Only a URI that extends a registered one: the wholly unregistered one
    // is still refused (that is the other fault's).
    assert_eq!(start(&mut faulty, ELSEWHERE, None).status, 400);
}

/// `GET <authorize>?…` for a client id the server never issued.
fn start_unknown_client(state: &mut MockState) -> MockResponse {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", "never-issued")
        .append_pair("redirect_uri", MOCK_REDIRECT_URI)
        .append_pair("state", CLIENT_STATE)
        .finish();
    let path = authorize_path(state);
    let req = request("GET", &format!("{path}?{query}"), vec![], "");
    authorize_endpoint::start(state, &req, &path)
}

pub(super) fn redirects_unknown_client(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, start_unknown_client);
    assert_eq!(conforming.status, 400);
    assert!(conforming.get_header("location").is_none());
    let (target, params) = redirected(&faulty);
    assert_eq!(target, MOCK_REDIRECT_URI);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
    // A known client's near miss is still refused (that is the other fault's).
    let near = NearMiss::ExtraPathSegment.apply(MOCK_REDIRECT_URI).unwrap();
    let mut faulty = mock("401go", Some(fault));
    assert_eq!(start(&mut faulty, &near, None).status, 400);
}
