//! The proofs of the faults after issuance: rotation and reuse (RFC 9700
//! §4.14.2), revocation (RFC 7009) and introspection (RFC 7662).

use super::super::test_support::{basic, form_type, request};
use super::super::{introspection, revocation};
use super::*;

/// A revocation of `token` by `client` (HTTP Basic), with `extra` form
/// parameters.
fn revoke(state: &mut MockState, client: (&str, &str), token: &str, extra: &str) -> MockResponse {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .finish();
    let req = request(
        "POST",
        "/revoke",
        vec![basic(client.0, client.1), form_type()],
        &format!("{body}{extra}"),
    );
    revocation::handle(state, &req)
}

/// An introspection of `token`, by `client` or by nobody.
fn introspect(
    state: &mut MockState,
    client: Option<(&str, &str)>,
    token: &str,
) -> serde_json::Value {
    let response = introspect_raw(state, client, token);
    json(&response)
}

fn introspect_raw(
    state: &mut MockState,
    client: Option<(&str, &str)>,
    token: &str,
) -> MockResponse {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token)
        .finish();
    let mut headers = vec![form_type()];
    if let Some((id, secret)) = client {
        headers.push(basic(id, secret));
    }
    introspection::handle(state, &request("POST", "/introspect", headers, &body))
}

fn refresh_works(state: &mut MockState, refresh_token: &str) -> bool {
    refresh(state, A, refresh_token).status == 200
}

fn rotated(state: &mut MockState) -> (String, String) {
    let (_, first) = tokens_of_code_flow(state);
    let next = json(&refresh(state, A, &first))["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    (first, next)
}

pub(super) fn stops_rotating_refresh_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("rfc6749", fault, |s| {
        let (first, next) = rotated_or_same(s);
        first != next
    });
    assert!(conforming);
    assert!(!faulty);
}

fn rotated_or_same(state: &mut MockState) -> (String, String) {
    let (_, first) = tokens_of_code_flow(state);
    let answer = json(&refresh(state, A, &first));
    let next = answer["refresh_token"]
        .as_str()
        .map_or(first.clone(), str::to_owned);
    (first, next)
}

pub(super) fn accepts_rotated_refresh_token(fault: ServerFault) {
    let (conforming, faulty) = both("rfc6749", fault, |s| {
        let (first, _) = rotated(s);
        refresh_works(s, &first)
    });
    assert!(!conforming);
    assert!(faulty);
}

pub(super) fn keeps_active_refresh_token_on_reuse(fault: ServerFault) {
    let (conforming, faulty) = both("rfc6749", fault, |s| {
        let (first, next) = rotated(s);
        assert!(!refresh_works(s, &first));
        refresh_works(s, &next)
    });
    assert!(!conforming);
    assert!(faulty);
}

pub(super) fn keeps_revoked_refresh_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        assert_eq!(revoke(s, A, &refresh_token, "").status, 200);
        refresh_works(s, &refresh_token)
    });
    assert!(!conforming);
    assert!(faulty);
}

pub(super) fn keeps_revoked_access_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        assert_eq!(revoke(s, A, &token, "").status, 200);
        api(s, Some(&token)).status
    });
    assert_eq!(conforming, 401);
    assert_eq!(faulty, 200);
}

pub(super) fn keeps_access_tokens_of_revoked_grant(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (access, refresh_token) = tokens_of_code_flow(s);
        assert_eq!(revoke(s, A, &refresh_token, "").status, 200);
        (
            refresh_works(s, &refresh_token),
            api(s, Some(&access)).status,
        )
    });
    assert_eq!(conforming, (false, 401));
    assert_eq!(faulty, (false, 200));
}

pub(super) fn refuses_revocation_of_unknown_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| revoke(s, A, "made-up", "").status);
    assert_eq!((conforming, faulty), (200, 400));
}

pub(super) fn revocation_searches_only_hinted_type(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        assert_eq!(
            revoke(s, A, &refresh_token, "&token_type_hint=access_token").status,
            200
        );
        refresh_works(s, &refresh_token)
    });
    assert!(!conforming);
    assert!(faulty);
}

pub(super) fn refuses_unknown_token_type_hint(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        let status = revoke(s, A, &refresh_token, "&token_type_hint=made_up").status;
        (status, refresh_works(s, &refresh_token))
    });
    assert_eq!(conforming, (200, false));
    assert_eq!(faulty, (400, true));
}

pub(super) fn revokes_for_wrong_secret(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        let status = revoke(s, (A.0, "wrong"), &refresh_token, "").status;
        (status, refresh_works(s, &refresh_token))
    });
    assert_eq!(conforming, (401, true));
    assert_eq!(faulty, (200, false));
}

pub(super) fn revokes_tokens_of_other_clients(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        assert_eq!(revoke(s, B, &refresh_token, "").status, 200);
        refresh_works(s, &refresh_token)
    });
    assert!(conforming);
    assert!(!faulty);
}

pub(super) fn introspection_active_as_string(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        introspect(s, Some(A), &token)["active"].clone()
    });
    assert_eq!(conforming, serde_json::json!(true));
    assert_eq!(faulty, serde_json::json!("true"));
}

pub(super) fn introspection_names_another_client(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        introspect(s, Some(A), &token)["client_id"].clone()
    });
    assert_eq!(conforming, serde_json::json!(A.0));
    assert_ne!(faulty, serde_json::json!(A.0));
}

pub(super) fn introspects_revoked_tokens_as_active(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        revoke(s, A, &token, "");
        introspect(s, Some(A), &token)["active"].clone()
    });
    assert_eq!(conforming, serde_json::json!(false));
    assert_eq!(faulty, serde_json::json!(true));
}

pub(super) fn says_why_token_is_inactive(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| introspect(s, Some(A), "made-up"));
    assert_eq!(conforming, serde_json::json!({"active": false}));
    assert_eq!(faulty["active"], serde_json::json!(false));
    assert!(faulty.as_object().unwrap().len() > 1);
}

pub(super) fn introspects_for_anybody(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        introspect_raw(s, None, &token).status
    });
    assert_eq!((conforming, faulty), (401, 200));
}

pub(super) fn introspection_as_text(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        introspect_raw(s, Some(A), &token)
            .get_header("content-type")
            .unwrap_or_default()
            .to_owned()
    });
    assert_eq!(conforming, "application/json");
    assert_eq!(faulty, "text/plain");
}
