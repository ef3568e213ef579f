//! The protected API faults' proofs (see the parent module).

use super::*;

pub(super) fn no_token_gets_403(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| api(s, None));
    assert_eq!(conforming.status, 401);
    assert_eq!(faulty.status, 403);
    assert_eq!(
        faulty.get_header("www-authenticate"),
        conforming.get_header("www-authenticate")
    );
}

pub(super) fn no_token_without_challenge(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| api(s, None));
    assert_eq!((conforming.status, faulty.status), (401, 401));
    assert!(conforming.get_header("www-authenticate").is_some());
    assert_eq!(faulty.get_header("www-authenticate"), None);
}

pub(super) fn no_token_challenge_with_error(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| api(s, None));
    let challenge = |r: &MockResponse| r.get_header("www-authenticate").unwrap().to_owned();
    assert_eq!((conforming.status, faulty.status), (401, 401));
    assert!(challenge(&conforming).starts_with("Bearer realm="));
    assert!(!challenge(&conforming).contains("error="));
    assert!(challenge(&faulty).starts_with("Bearer realm="));
    assert!(challenge(&faulty).contains("error=\"invalid_token\""));
}

/// A made-up and an expired token presented to the API, on a conforming
/// mock and on one with `fault`.
pub(super) fn refused_tokens(fault: ServerFault) -> ([MockResponse; 2], [MockResponse; 2]) {
    both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        let unknown = api(s, Some("never-issued"));
        advance(s, 60);
        let expired = api(s, Some(&token));
        [unknown, expired]
    })
}

pub(super) fn invalid_token_without_challenge(fault: ServerFault) {
    let (conforming, faulty) = refused_tokens(fault);
    for (c, f) in conforming.iter().zip(&faulty) {
        assert_eq!(error_of(c), (401, "invalid_token".into()));
        assert!(
            c.get_header("www-authenticate")
                .unwrap()
                .contains("error=\"invalid_token\"")
        );
        assert_eq!(error_of(f), (401, "invalid_token".into()));
        assert_eq!(f.get_header("www-authenticate"), None);
    }
}

pub(super) fn invalid_token_without_error_code(fault: ServerFault) {
    let (conforming, faulty) = refused_tokens(fault);
    for (c, f) in conforming.iter().zip(&faulty) {
        let challenge = |r: &MockResponse| r.get_header("www-authenticate").unwrap().to_owned();
        assert!(challenge(c).contains("error=\"invalid_token\""));
        assert_eq!(f.status, 401);
        assert!(
            challenge(f).starts_with("Bearer realm="),
            "{}",
            challenge(f)
        );
        assert!(!challenge(f).contains("error="), "{}", challenge(f));
    }
}

pub(super) fn repeats_realm(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| api(s, None));
    let realms = |r: &MockResponse| {
        let value = r.get_header("www-authenticate").unwrap_or_default();
        crate::client::www_authenticate::bearer_attribute_counts(value)[0]["realm"]
    };
    assert_eq!((realms(&conforming), realms(&faulty)), (1, 2));
    assert_eq!(faulty.status, 401);
}

pub(super) fn bare_bearer_challenge(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let unknown = api(s, Some("never-issued"));
        (api(s, None), unknown)
    });
    let challenge = |r: &MockResponse| r.get_header("www-authenticate").unwrap().to_owned();
    assert!(challenge(&conforming.0).starts_with("Bearer realm="));
    assert_eq!(challenge(&faulty.0), "Bearer");
    assert_eq!(faulty.0.status, 401);
    // A refused token keeps its challenge: only the bare one breaks §3.
    assert_eq!(challenge(&faulty.1), challenge(&conforming.1));
}

pub(super) fn quote_in_challenge_description(fault: ServerFault) {
    let (conforming, faulty) = refused_tokens(fault);
    for (c, f) in conforming.iter().zip(&faulty) {
        let description = |r: &MockResponse| {
            let value = r.get_header("www-authenticate").unwrap();
            crate::client::www_authenticate::parse(value)
                .unwrap()
                .param("error_description")
                .unwrap()
                .to_owned()
        };
        assert!(!description(c).contains('"'));
        assert!(
            description(f).starts_with("\"quoted\" "),
            "{}",
            description(f)
        );
        assert_eq!(error_of(f), error_of(c));
    }
}

pub(super) fn scheme_case_sensitive(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        let path = s.profile.api.as_ref().unwrap().probe_path.clone();
        let lower = vec![("authorization", format!("bearer {token}"))];
        let lower = api_probe::handle(s, &request("GET", &path, lower, "")).status;
        (lower, api(s, Some(&token)).status)
    });
    assert_eq!(conforming, (200, 200));
    assert_eq!(faulty, (401, 200), "the exact spelling still works");
}

pub(super) fn accepts_unknown_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        let unknown = api(s, Some("never-issued")).status;
        advance(s, 60);
        (unknown, api(s, Some(&token)).status)
    });
    assert_eq!(conforming, (401, 401));
    assert_eq!(faulty, (200, 401), "expired tokens are still refused");
}

pub(super) fn compares_token_prefix(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        let tampered = crate::client::api::tampered(&token);
        let unknown = api(s, Some("never-issued")).status;
        (
            api(s, Some(&tampered)).status,
            unknown,
            api(s, Some(&token)).status,
        )
    });
    assert_eq!(conforming, (401, 401, 200));
    assert_eq!(
        faulty,
        (200, 401, 200),
        "a token it never issued is still refused"
    );
}

/// A `read`-only token at the 401go write probe.
pub(super) fn read_token_at_write_probe(s: &mut MockState) -> MockResponse {
    let token = access_token(&client_credentials(s));
    let (path, scope) = s
        .profile
        .api
        .as_ref()
        .and_then(|a| a.scoped_probe())
        .unwrap();
    let (path, scope) = (path.to_owned(), scope.to_owned());
    let headers = vec![("authorization", format!("Bearer {token}"))];
    api_probe::handle_scoped(s, &request("GET", &path, headers, ""), &scope)
}

pub(super) fn ignores_token_scope(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, read_token_at_write_probe);
    assert_eq!(conforming.status, 403);
    assert_eq!(faulty.status, 200);
}

pub(super) fn missing_scope_as_invalid_token(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, read_token_at_write_probe);
    assert_eq!(conforming.status, 403);
    assert!(
        conforming
            .get_header("www-authenticate")
            .unwrap()
            .contains("insufficient_scope")
    );
    assert_eq!(faulty.status, 401);
}

pub(super) fn accepts_expired_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        advance(s, 60);
        (
            api(s, Some(&token)).status,
            api(s, Some("never-issued")).status,
        )
    });
    assert_eq!(conforming, (401, 401));
    assert_eq!(faulty, (200, 401), "unknown tokens are still refused");
}

/// The switch on a running mock reaches its handlers, and a GET to the token
/// endpoint is routed (405 while conforming).
#[tokio::test]
async fn set_broken_rule_switches_a_running_mock() {
    let profile = Profile::load("401go").unwrap();
    let mock = crate::mock::MockAuthServer::start(&profile, Clock::manual()).await;
    let credentials = mock.register_random_client();
    let transport = crate::client::Transport::new(crate::client::Limits::default()).unwrap();
    let get = crate::client::recording::HttpRequest {
        method: "GET".into(),
        url: mock
            .base_url()
            .join("/api/o/token/?grant_type=client_credentials")
            .unwrap(),
        headers: vec![("authorization".into(), credentials.basic_authorization())],
        body: None,
    };
    let status = || async { transport.send(&get).await.unwrap().status };
    assert_eq!(status().await, 405);
    mock.set_broken_rule(Some(IssuesTokensForGet));
    assert_eq!(status().await, 200);
    mock.set_broken_rule(None);
    assert_eq!(status().await, 405);
}
