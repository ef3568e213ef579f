//! The token endpoint as a whole, through [`super::handle`]: one request
//! shape per profile, its success and its refusals.

use super::handle;
use crate::mock::http::MockRequest;
use crate::mock::test_support::{basic, error_of, form, json, state};

/// A client whose id and secret both need encoding in a Basic header.
const C1: (&str, &str) = ("c 1", "s:1");

#[test]
fn basic_client_credentials_succeed_with_the_documented_lifetime() {
    let mut s = state("401go", &[C1]);
    let r = handle(
        &mut s,
        &form(
            vec![basic("c 1", "s:1")],
            "grant_type=client_credentials&scope=read",
        ),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = json(&r);
    assert_eq!(v["expires_in"], 3600);
    assert_eq!(v["scope"], "read");
    assert_eq!(r.get_header("cache-control"), Some("no-store"));
    assert_eq!(s.tokens.len(), 1);
}

#[test]
fn refusals_follow_rfc6749_5_2() {
    let mut s = state("401go", &[C1]);
    let r = handle(
        &mut s,
        &form(vec![basic("c 1", "wrong")], "grant_type=client_credentials"),
    );
    assert_eq!(error_of(&r), (401, "invalid_client".into()));
    assert!(
        r.get_header("www-authenticate")
            .unwrap()
            .starts_with("Basic")
    );
    let r = handle(
        &mut s,
        &form(vec![basic("c 1", "s:1")], "grant_type=password"),
    );
    assert_eq!(error_of(&r), (400, "unsupported_grant_type".into()));
    let r = handle(&mut s, &form(vec![basic("c 1", "s:1")], "scope=read"));
    assert_eq!(error_of(&r), (400, "invalid_request".into()));
    let r = handle(
        &mut s,
        &form(
            vec![basic("c 1", "s:1")],
            "grant_type=client_credentials&scope=admin",
        ),
    );
    assert_eq!(error_of(&r), (400, "invalid_scope".into()));
    let r = handle(
        &mut s,
        &form(
            vec![basic("c 1", "s:1")],
            "grant_type=client_credentials&client_secret=s%3A1",
        ),
    );
    assert_eq!(error_of(&r), (400, "invalid_request".into()));
    let mut get = form(vec![basic("c 1", "s:1")], "");
    get.method = "GET".into();
    assert_eq!(handle(&mut s, &get).status, 405);
    assert_eq!(s.token_requests, 6);
}

#[test]
fn json_profile_grants_all_scopes_for_star_and_issues_a_jwt() {
    let mut s = state("json-body", &[C1]);
    let body = r#"{"grant_type":"client_credentials","client_id":"c 1","client_secret":"s:1","scope":"*"}"#;
    let req = MockRequest {
        method: "POST".into(),
        path: "/access-token".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.as_bytes().to_vec(),
        ..Default::default()
    };
    let r = handle(&mut s, &req);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let v = json(&r);
    assert_eq!(v["scope"], "shipments.read shipments.write carriers.read");
    assert_eq!(v["access_token"].as_str().unwrap().split('.').count(), 3);
    // The same request form-encoded is refused.
    let r = handle(
        &mut s,
        &form(
            vec![],
            "grant_type=client_credentials&client_id=c+1&client_secret=s%3A1",
        ),
    );
    assert_eq!(error_of(&r), (400, "invalid_request".into()));
}

#[test]
fn login3_requires_its_audience() {
    let mut s = state("login3", &[C1]);
    let r = handle(
        &mut s,
        &form(
            vec![],
            "grant_type=client_credentials&client_id=c+1&client_secret=s%3A1",
        ),
    );
    assert_eq!(error_of(&r), (400, "invalid_request".into()));
}

#[test]
fn a_client_registered_for_one_method_is_refused_with_another() {
    let mut s = state("401go", &[C1]);
    s.clients[0].auth_method = Some(crate::profile::ClientAuth::Post);
    // 401GO's client credentials grant uses Basic: this client may not.
    let r = handle(
        &mut s,
        &form(
            vec![basic("c 1", "s:1")],
            "grant_type=client_credentials&scope=read",
        ),
    );
    assert_eq!(error_of(&r), (401, "invalid_client".into()));
    assert!(
        json(&r)["error_description"]
            .as_str()
            .unwrap()
            .contains("client_secret_post"),
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    // Its code exchange uses the form body, the method it is registered
    // for: the made-up code is judged, not the client.
    let r = handle(
        &mut s,
        &form(
            Vec::new(),
            "grant_type=authorization_code&code=made-up&redirect_uri=x&client_id=c+1&client_secret=s%3A1",
        ),
    );
    assert_eq!(error_of(&r), (400, "invalid_grant".into()));
}
