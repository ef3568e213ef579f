//! The mock's answers about scope that are no fault of the table: what a
//! request that names no scope is granted (RFC 6749 §3.3: a pre-defined
//! default), and the three ways a request for only scopes the client was
//! not given is answered ([`UnknownScopeAlone`]).

use super::super::state::UnknownScopeAlone::{self, *};
use super::*;

#[test]
fn an_authorization_request_without_scope_gets_the_default_scope() {
    // 401go's mock names a default; rfc6749's grants every scope the
    // client may have.
    for (profile, default) in [("401go", "read write"), ("rfc6749", "read write")] {
        let mut state = mock(profile, None);
        let code = code(&mut state);
        let answer = json(&exchange(&mut state, A, &code, MOCK_REDIRECT_URI));
        assert_eq!(answer["scope"], default, "{profile}");
    }
}

/// A 401go mock that answers a lone unknown scope as `answer` says.
fn answering(answer: UnknownScopeAlone) -> MockState {
    let mut state = mock("401go", None);
    state.unknown_scope_alone = answer;
    state
}

#[test]
fn a_lone_unknown_scope_at_the_token_endpoint_is_refused_or_swapped_for_the_default() {
    let ask = |answer, scope: &str| {
        let body = format!("grant_type=client_credentials&scope={scope}");
        token(&mut answering(answer), A, &body)
    };
    assert_eq!(
        error_of(&ask(Refused, "admin")),
        (400, "invalid_scope".into())
    );
    let said = ask(DefaultSaid, "admin");
    assert_eq!(json(&said)["scope"], "read write");
    let unsaid = ask(DefaultUnsaid, "admin");
    assert!(!access_token(&unsaid).is_empty());
    assert_eq!(json(&unsaid)["scope"], serde_json::Value::Null);
    // Only a lone unknown scope: with a scope the client was given, the
    // request is refused as before.
    for answer in [DefaultSaid, DefaultUnsaid] {
        let mixed = ask(answer, "read+admin");
        assert_eq!(error_of(&mixed), (400, "invalid_scope".into()));
    }
}

/// The client's authorization request for `scope`, approved: the redirect.
fn authorize_scope(state: &mut MockState, scope: &str) -> MockResponse {
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("response_type", "code")
        .append_pair("client_id", A.0)
        .append_pair("redirect_uri", MOCK_REDIRECT_URI)
        .append_pair("state", CLIENT_STATE)
        .append_pair("scope", scope)
        .finish();
    let path = authorize_path(state);
    let req = request("GET", &format!("{path}?{query}"), vec![], "");
    let page = authorize_endpoint::start(state, &req, &path);
    if page.status == 302 {
        return page;
    }
    login_and_decide(state, &page, true)
}

#[test]
fn a_lone_unknown_scope_at_the_authorization_endpoint_is_refused_or_swapped_for_the_default() {
    let (_, refused) = redirected(&authorize_scope(&mut answering(Refused), "admin"));
    assert_eq!(param(&refused, "error").as_deref(), Some("invalid_scope"));
    for (answer, said) in [(DefaultSaid, true), (DefaultUnsaid, false)] {
        let mut state = answering(answer);
        let (_, params) = redirected(&authorize_scope(&mut state, "admin"));
        let code = param(&params, "code").unwrap();
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("grant_type", "authorization_code")
            .append_pair("code", &code)
            .append_pair("redirect_uri", MOCK_REDIRECT_URI)
            .finish();
        let tokens = json(&token(&mut state, A, &body));
        assert!(tokens["access_token"].is_string(), "{tokens}");
        match said {
            true => assert_eq!(tokens["scope"], "read write"),
            false => assert_eq!(tokens["scope"], serde_json::Value::Null),
        }
    }
}
