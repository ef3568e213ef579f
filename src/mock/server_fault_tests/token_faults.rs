//! The token endpoint faults' proofs (see the parent module).

use super::*;

pub(super) fn issues_tokens_for_get(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let req = request(
            "GET",
            "/api/o/token/?grant_type=client_credentials&scope=read",
            vec![basic(A.0, A.1)],
            "",
        );
        token_endpoint::handle(s, &req)
    });
    assert_eq!(error_of(&conforming), (405, "invalid_request".into()));
    assert_eq!(conforming.get_header("allow"), Some("POST"));
    assert!(!access_token(&faulty).is_empty());
    assert_eq!(json(&faulty)["scope"], "read");
}

pub(super) fn accepts_credentials_in_query(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let req = request(
            "POST",
            "/api/o/token/?client_id=client-a&client_secret=secret-a",
            vec![form_type()],
            "grant_type=client_credentials",
        );
        token_endpoint::handle(s, &req)
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn omits_no_store(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(conforming.get_header("cache-control"), Some("no-store"));
    assert_eq!(faulty.get_header("cache-control"), None);
    assert_eq!(faulty.get_header("pragma"), Some("no-cache"));
}

pub(super) fn omits_pragma(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(conforming.get_header("pragma"), Some("no-cache"));
    assert_eq!(faulty.get_header("pragma"), None);
    assert_eq!(faulty.get_header("cache-control"), Some("no-store"));
}

pub(super) fn token_as_text(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(
        conforming.get_header("content-type"),
        Some("application/json")
    );
    assert_eq!(faulty.get_header("content-type"), Some("text/plain"));
    assert!(!access_token(&faulty).is_empty(), "still the JSON text");
}

pub(super) fn answers_tokens_with_201(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!((conforming.status, faulty.status), (200, 201));
    assert_eq!(json(&conforming)["token_type"], json(&faulty)["token_type"]);
}

pub(super) fn leaves_access_token_out(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert!(!access_token(&conforming).is_empty());
    assert_eq!(faulty.status, 200);
    assert!(json(&faulty).get("access_token").is_none());
    assert_eq!(json(&faulty)["token_type"], "Bearer");
}

pub(super) fn comma_in_access_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        let works = api(s, Some(&token)).status;
        (token, works)
    });
    assert!(!conforming.0.contains(','));
    assert!(faulty.0.contains(','));
    assert_eq!(
        (conforming.1, faulty.1),
        (200, 200),
        "the token still works"
    );
}

pub(super) fn refuses_unknown_parameters(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&x_unknown=1")
    });
    assert!(!access_token(&conforming).is_empty());
    assert_eq!(error_of(&faulty), (400, "invalid_request".into()));
    // The parameters it knows still work.
    let mut faulty = mock("401go", Some(fault));
    assert!(!access_token(&client_credentials(&mut faulty)).is_empty());
}

pub(super) fn keeps_empty_parameters(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&scope=")
    });
    assert!(!access_token(&conforming).is_empty());
    assert_eq!(error_of(&faulty).0, 400);
}

pub(super) fn omits_token_type(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(json(&conforming)["token_type"], "Bearer");
    assert!(json(&faulty).get("token_type").is_none());
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn token_type_mac(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(json(&conforming)["token_type"], "Bearer");
    assert_eq!(json(&faulty)["token_type"], "mac");
}

pub(super) fn expires_in_as_string(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(json(&conforming)["expires_in"], 3600);
    assert_eq!(json(&faulty)["expires_in"], "3600");
}

pub(super) fn accepts_wrong_secret(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, (A.0, "wrong"), "grant_type=client_credentials")
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
    let mut faulty = mock("401go", Some(fault));
    let unknown = token(
        &mut faulty,
        ("nobody", "wrong"),
        "grant_type=client_credentials",
    );
    assert_eq!(error_of(&unknown), (401, "invalid_client".into()));
    // Every grant authenticates the client (§3.2.1): the code exchange and
    // the refresh take the wrong secret too.
    let wrong = (A.0, "wrong");
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        exchange(s, wrong, &code, MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        refresh(s, wrong, &refresh_token)
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn bearer_challenge_after_basic(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, (A.0, "wrong"), "grant_type=client_credentials")
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(
        conforming
            .get_header("www-authenticate")
            .unwrap()
            .starts_with("Basic ")
    );
    assert_eq!(error_of(&faulty), (401, "invalid_client".into()));
    let challenge = faulty.get_header("www-authenticate").unwrap();
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(
        challenge.contains("error=\"invalid_client\""),
        "{challenge}"
    );
}

/// Refusals of several kinds, and a success, from one mock.
pub(super) fn refusals_and_a_success(state: &mut MockState) -> (Vec<MockResponse>, MockResponse) {
    let refusals = vec![
        token(state, (A.0, "wrong"), "grant_type=client_credentials"),
        token(state, A, "grant_type=password"),
        token(state, A, "grant_type=client_credentials&scope=admin"),
        token_endpoint::handle(
            state,
            &request("GET", "/api/o/token/", vec![basic(A.0, A.1)], ""),
        ),
    ];
    (refusals, client_credentials(state))
}

pub(super) fn errors_with_status_500(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, refusals_and_a_success);
    let statuses = |r: &[MockResponse]| r.iter().map(|r| r.status).collect::<Vec<_>>();
    assert_eq!(statuses(&conforming.0), [401, 400, 400, 405]);
    // invalid_client keeps its 401: only the derived 400 is broken.
    assert_eq!(statuses(&faulty.0), [401, 500, 500, 500]);
    for (c, f) in conforming.0.iter().zip(&faulty.0) {
        assert_eq!(c.body, f.body);
    }
    assert_eq!(faulty.1.status, 200);
}

pub(super) fn errors_as_html(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, refusals_and_a_success);
    for (c, f) in conforming.0.iter().zip(&faulty.0) {
        assert_eq!(c.get_header("content-type"), Some("application/json"));
        assert!(json(c)["error"].is_string());
        assert_eq!(f.status, c.status);
        assert!(
            f.get_header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(serde_json::from_slice::<serde_json::Value>(&f.body).is_err());
        assert!(String::from_utf8_lossy(&f.body).starts_with("<!doctype html>"));
    }
    assert_eq!(
        faulty.1.get_header("content-type"),
        Some("application/json")
    );
}

pub(super) fn quote_in_error_description(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, refusals_and_a_success);
    let description = |r: &MockResponse| json(r)["error_description"].as_str().unwrap().to_owned();
    for (c, f) in conforming.0.iter().zip(&faulty.0) {
        assert!(!description(c).contains('"'));
        assert!(description(f).contains('"'));
        assert_eq!(error_of(f), error_of(c));
    }
}

pub(super) fn missing_grant_type_as_unsupported(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| token(s, A, "scope=read"));
    assert_eq!(error_of(&conforming), (400, "invalid_request".into()));
    assert_eq!(error_of(&faulty), (400, "unsupported_grant_type".into()));
}

pub(super) fn wrong_secret_as_unauthorized_client(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, (A.0, "wrong"), "grant_type=client_credentials")
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert_eq!(error_of(&faulty), (401, "unauthorized_client".into()));
    assert_eq!(
        faulty.get_header("www-authenticate"),
        conforming.get_header("www-authenticate")
    );
}

pub(super) fn unknown_code_as_invalid_request(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        exchange(s, A, "never-issued", MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert_eq!(error_of(&faulty), (400, "invalid_request".into()));
    // Other invalid codes are still invalid_grant.
    let mut faulty = mock("401go", Some(fault));
    let code = code(&mut faulty);
    access_token(&exchange(&mut faulty, A, &code, MOCK_REDIRECT_URI));
    let reused = exchange(&mut faulty, A, &code, MOCK_REDIRECT_URI);
    assert_eq!(error_of(&reused), (400, "invalid_grant".into()));
}

pub(super) fn unknown_grant_type_as_invalid_request(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| token(s, A, "grant_type=password"));
    assert_eq!(
        error_of(&conforming),
        (400, "unsupported_grant_type".into())
    );
    assert_eq!(error_of(&faulty), (400, "invalid_request".into()));
}

pub(super) fn bad_scope_as_invalid_request(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&scope=admin")
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert_eq!(error_of(&faulty), (400, "invalid_request".into()));
}

pub(super) fn narrows_scope_silently(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&scope=read admin")
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert!(!access_token(&faulty).is_empty());
    assert_eq!(
        json(&faulty)["scope"],
        serde_json::Value::Null,
        "no scope member"
    );
}

pub(super) fn grants_unknown_scope(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&scope=read admin")
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert!(!access_token(&faulty).is_empty());
    assert_eq!(json(&faulty)["scope"], "read admin");
}

pub(super) fn says_expires_in_7200(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let response = client_credentials(s);
        let token = access_token(&response);
        advance(s, 59);
        let before = api(s, Some(&token)).status;
        advance(s, 1);
        let after = api(s, Some(&token)).status;
        (json(&response)["expires_in"].clone(), before, after)
    });
    assert_eq!(conforming, (3600.into(), 200, 401));
    assert_eq!(
        faulty,
        (7200.into(), 200, 401),
        "still expires after 3600 s"
    );
}

pub(super) fn expires_tokens_after_30_minutes(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let response = client_credentials(s);
        let token = access_token(&response);
        advance(s, 29);
        let before = api(s, Some(&token)).status;
        advance(s, 1);
        let after = api(s, Some(&token));
        (
            json(&response)["expires_in"].clone(),
            before,
            error_of(&after),
        )
    });
    assert_eq!(conforming.0, 3600);
    assert_eq!(conforming.2.0, 200);
    assert_eq!(faulty, (3600.into(), 200, (401, "invalid_token".into())));
}

pub(super) fn takes_first_of_repeated_parameter(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(
            s,
            A,
            "grant_type=client_credentials&grant_type=client_credentials",
        )
    });
    assert_eq!(error_of(&conforming), (400, "invalid_request".into()));
    assert!(!access_token(&faulty).is_empty());
    // RFC 8707 lets `resource` repeat: the conforming mock still answers.
    let mut conforming = mock("401go", None);
    let repeated_resource = token(
        &mut conforming,
        A,
        "grant_type=client_credentials&resource=https%3A%2F%2Fa&resource=https%3A%2F%2Fb",
    );
    assert!(!access_token(&repeated_resource).is_empty());
}

pub(super) fn accepts_two_auth_methods(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let req = request(
            "POST",
            "/api/o/token/",
            vec![basic(A.0, A.1), form_type()],
            "grant_type=client_credentials&client_id=client-a&client_secret=secret-a",
        );
        token_endpoint::handle(s, &req)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_request".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn issues_tokens_to_unknown_clients(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(
            s,
            ("never-issued", "secret-a"),
            "grant_type=client_credentials",
        )
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(
        conforming
            .get_header("www-authenticate")
            .is_some_and(|c| c.starts_with("Basic"))
    );
    assert!(!access_token(&faulty).is_empty());
    // A known client's wrong secret is still refused.
    let mut faulty = mock("401go", Some(fault));
    let wrong = token(&mut faulty, (A.0, "wrong"), "grant_type=client_credentials");
    assert_eq!(error_of(&wrong), (401, "invalid_client".into()));
}

pub(super) fn issues_tokens_for_password_grant(fault: ServerFault) {
    let body = format!(
        "grant_type=password&username={}&password={PASSWORD}",
        crate::mock::MOCK_USERNAME
    );
    let (conforming, faulty) = both("401go", fault, |s| token(s, A, &body));
    assert_eq!(
        error_of(&conforming),
        (400, "unsupported_grant_type".into())
    );
    assert!(!access_token(&faulty).is_empty());
    // Even the faulty server wants the user's real password.
    let mut faulty = mock("401go", Some(fault));
    let wrong = token(
        &mut faulty,
        A,
        "grant_type=password&username=nobody&password=guess",
    );
    assert_eq!(error_of(&wrong), (400, "invalid_grant".into()));
}

pub(super) fn space_in_error_uri(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, (A.0, "wrong"), "grant_type=client_credentials")
    });
    let uri = |r: &MockResponse| json(r)["error_uri"].as_str().unwrap().to_owned();
    assert_eq!(
        uri(&conforming),
        "https://mock.oauth-conformance.test/docs/token-errors#invalid_client"
    );
    assert!(uri(&faulty).contains(' '), "{}", uri(&faulty));
    assert_eq!(error_of(&faulty), error_of(&conforming));
}

pub(super) fn basic_only_where_documented(fault: ServerFault) {
    // 401go documents the secret in the body for refresh: HTTP Basic must
    // work there too (RFC 6749 §2.3.1).
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        let path = s.profile.token.path.clone();
        let req = request(
            "POST",
            &path,
            vec![basic(A.0, A.1), form_type()],
            &format!("grant_type=refresh_token&refresh_token={refresh_token}"),
        );
        token_endpoint::handle(s, &req)
    });
    assert!(!access_token(&conforming).is_empty());
    assert_eq!(error_of(&faulty), (401, "invalid_client".into()));
    // Where the guide documents Basic, the faulty server takes it.
    let mut faulty = mock("401go", Some(fault));
    assert!(!access_token(&client_credentials(&mut faulty)).is_empty());
    // login3 documents body credentials; the conforming mock takes Basic.
    let mut login3 = mock("login3", None);
    let req = request(
        "POST",
        "/oauth/token",
        vec![basic(A.0, A.1), form_type()],
        "grant_type=client_credentials&audience=https%3A%2F%2Fapi.login3.mock.test%2F",
    );
    assert!(!access_token(&token_endpoint::handle(&mut login3, &req)).is_empty());
}

pub(super) fn omitted_scope_as_invalid_request(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        s.without_default_scope.push(A.0.to_owned());
        token(s, A, "grant_type=client_credentials")
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert_eq!(error_of(&faulty), (400, "invalid_request".into()));
    // A client with a default scope gets it, from either.
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials")
    });
    assert_eq!(json(&conforming)["scope"], "read write");
    assert_eq!(json(&faulty)["scope"], "read write");
}

pub(super) fn refuses_every_request_without_scope(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials")
    });
    assert_eq!(json(&conforming)["scope"], "read write");
    assert_eq!(faulty.status, 403);
    assert!(faulty.body.is_empty());
    // A request that names its scope gets its token from either.
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&scope=read")
    });
    assert_eq!(json(&conforming)["scope"], "read");
    assert_eq!(json(&faulty)["scope"], "read");
}
