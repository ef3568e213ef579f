//! The code exchange and refresh faults' proofs (see the parent module).

use super::*;

// Code exchange.

pub(super) fn accepts_reused_code(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        let first = access_token(&exchange(s, A, &code, MOCK_REDIRECT_URI));
        let second = exchange(s, A, &code, MOCK_REDIRECT_URI);
        (second, api(s, Some(&first)).status)
    });
    assert_eq!(error_of(&conforming.0), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty.0).is_empty());
    assert_eq!(
        (conforming.1, faulty.1),
        (401, 401),
        "the first tokens are revoked"
    );
}

pub(super) fn keeps_tokens_of_reused_code(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        let first = exchange(s, A, &code, MOCK_REDIRECT_URI);
        let second = exchange(s, A, &code, MOCK_REDIRECT_URI);
        let refresh_token = json(&first)["refresh_token"].as_str().unwrap().to_owned();
        let api = api(s, Some(&access_token(&first))).status;
        let refreshed = refresh(s, A, &refresh_token).status;
        (error_of(&second), api, refreshed)
    });
    assert_eq!(conforming, ((400, "invalid_grant".into()), 401, 400));
    assert_eq!(faulty, ((400, "invalid_grant".into()), 200, 200));
}

pub(super) fn accepts_code_of_another_client(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        exchange(s, B, &code, MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn ignores_redirect_uri_at_exchange(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        exchange(s, A, &code, ELSEWHERE)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn accepts_unknown_code(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        exchange(s, A, "made-up", MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn accepts_expired_codes(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let fresh = code(s);
        advance(s, 9);
        let fresh = exchange(s, A, &fresh, MOCK_REDIRECT_URI);
        let stale = code(s);
        advance(s, 11);
        (fresh, exchange(s, A, &stale, MOCK_REDIRECT_URI))
    });
    assert!(
        !access_token(&conforming.0).is_empty(),
        "9 minutes: still good"
    );
    assert_eq!(error_of(&conforming.1), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty.1).is_empty());
}

pub(super) fn ignores_code_verifier(fault: ServerFault) {
    let verifier = "a".repeat(43);
    let challenge = crate::client::authorize::s256(&verifier);
    let (conforming, faulty) = both("rfc6749", fault, |s| {
        let mut answers = Vec::new();
        for sent in [Some("b".repeat(43)), None] {
            let (_, params) = redirected(&authorize(s, MOCK_REDIRECT_URI, Some(&challenge), true));
            let code = param(&params, "code").unwrap();
            let mut body = form_urlencoded::Serializer::new(String::new());
            body.append_pair("grant_type", "authorization_code")
                .append_pair("code", &code)
                .append_pair("redirect_uri", MOCK_REDIRECT_URI);
            if let Some(sent) = &sent {
                body.append_pair("code_verifier", sent);
            }
            answers.push(token(s, A, &body.finish()).status);
        }
        answers
    });
    assert_eq!(conforming, [400, 400]);
    assert_eq!(
        faulty,
        [400, 200],
        "a wrong verifier is still refused; a missing one is let through"
    );
}

pub(super) fn refuses_matching_verifier(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let right = code(s);
        let matching = exchange(s, A, &right, MOCK_REDIRECT_URI).status;
        // A wrong verifier is refused by both.
        let wrong = code(s);
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", &wrong)
            .append_pair("redirect_uri", MOCK_REDIRECT_URI)
            .append_pair("code_verifier", &"b".repeat(43))
            .finish();
        (matching, token(s, A, &body).status)
    });
    assert_eq!(conforming, (200, 400));
    assert_eq!(faulty, (400, 400));
}

/// A POST of `body` with the client's id in it and no secret, no header.
pub(super) fn token_without_secret(
    state: &mut MockState,
    client: (&str, &str),
    body: &str,
) -> MockResponse {
    let path = state.profile.token.path.clone();
    let body = format!("{body}&client_id={}", client.0);
    token_endpoint::handle(state, &request("POST", &path, vec![form_type()], &body))
}

pub(super) fn issues_tokens_without_client_authentication(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let path = s.profile.token.path.clone();
        let body = "grant_type=client_credentials";
        token_endpoint::handle(s, &request("POST", &path, vec![form_type()], body))
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn issues_client_credentials_for_client_id_alone(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token_without_secret(s, A, "grant_type=client_credentials")
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn issues_tokens_for_unregistered_grants(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        if let Some(c) = s.clients.iter_mut().find(|c| c.id == A.0) {
            c.grants = vec!["authorization_code".into()];
        }
        client_credentials(s)
    });
    assert_eq!(error_of(&conforming), (400, "unauthorized_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn accepts_exchange_without_redirect_uri(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", &code)
            .append_pair("code_verifier", VERIFIER)
            .finish();
        token(s, A, &body)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_request".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn redeems_code_without_secret(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", &code)
            .append_pair("redirect_uri", MOCK_REDIRECT_URI)
            .append_pair("code_verifier", VERIFIER)
            .finish();
        token_without_secret(s, A, &body)
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn accepts_verifier_without_challenge(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, params) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, true));
        let code = param(&params, "code").unwrap();
        exchange(s, A, &code, MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn compares_verifier_as_text(fault: ServerFault) {
    let challenge = crate::client::authorize::s256(VERIFIER);
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", &code)
            .append_pair("redirect_uri", MOCK_REDIRECT_URI)
            .append_pair("code_verifier", &challenge)
            .finish();
        token(s, A, &body)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

// Refresh.

pub(super) fn refreshes_without_secret(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        let body = format!("grant_type=refresh_token&refresh_token={refresh_token}");
        token_without_secret(s, A, &body)
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn widens_scope_on_refresh(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        // A grant of one scope, so that another is beyond it.
        s.refresh_tokens.get_mut(&refresh_token).unwrap().scope = "read".into();
        let body = format!("grant_type=refresh_token&refresh_token={refresh_token}&scope=write");
        token(s, A, &body)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert_eq!(json(&faulty)["scope"], "write");
}

pub(super) fn accepts_unknown_refresh_token(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| refresh(s, A, "made-up"));
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn accepts_refresh_token_of_another_client(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        refresh(s, B, &refresh_token)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

pub(super) fn refresh_returns_same_access_token(fault: ServerFault) {
    // With rotation (rfc6749) the grant's access token follows the new
    // refresh token; without (401go) it stays with the one refresh token.
    for profile in ["rfc6749", "401go"] {
        let (conforming, faulty) = both(profile, fault, |s| {
            let (access, refresh_token) = tokens_of_code_flow(s);
            let first = refresh(s, A, &refresh_token);
            let next = json(&first)["refresh_token"]
                .as_str()
                .map_or(refresh_token, str::to_owned);
            let second = refresh(s, A, &next);
            advance(s, 59);
            let live = api(s, Some(&access_token(&second))).status;
            let body = json(&second);
            (
                access,
                access_token(&first),
                access_token(&second),
                live,
                body["token_type"].clone(),
                body["expires_in"].clone(),
            )
        });
        let (access, first, second, live, ..) = &conforming;
        assert!(access != first && first != second, "{profile}");
        assert_eq!(*live, 200);
        let (access, first, second, live, token_type, expires_in) = faulty;
        assert_eq!((&first, &second), (&access, &access), "{profile}");
        assert_eq!(
            (live, token_type, expires_in),
            (200, "Bearer".into(), 3600.into())
        );
    }
}

pub(super) fn narrows_rotated_refresh_token(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        s.rotate_refresh_tokens = true;
        let (_, refresh_token) = tokens_of_code_flow(s);
        // A grant of two scopes, as the code flow's default scope is.
        let (granted, part) = ("participant:read participant:write", "participant:read");
        s.refresh_tokens.get_mut(&refresh_token).unwrap().scope = granted.into();
        let refresh_token = refresh_token.as_str();
        let with_scope = |token: &str, scope: &str| {
            form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", "refresh_token")
                .append_pair("refresh_token", token)
                .append_pair("scope", scope)
                .finish()
        };
        let narrower = json(&token(s, A, &with_scope(refresh_token, part)));
        let rotated = narrower["refresh_token"].as_str().unwrap().to_owned();
        token(s, A, &with_scope(&rotated, granted))
    });
    assert!(
        !access_token(&conforming).is_empty(),
        "the whole grant again"
    );
    assert_eq!(error_of(&faulty), (400, "invalid_scope".into()));
}
