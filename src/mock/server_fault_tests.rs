//! One proof per [`ServerFault`]: the same requests, sent to a conforming
//! mock and to one that breaks the fault's rule, get the answers the fault
//! describes, and the conforming one keeps its rule.
//!
//! The faults are not listed here again: one test walks [`ServerFault::ALL`]
//! and finds each fault's proof by an exhaustive match, so the table in
//! `faults.rs` stays the only list and a new fault fails to compile until
//! it has a proof.
//!
//! The handlers are called directly (as in the endpoint modules' own tests),
//! with a manual clock, so lifetimes pass in no real time. The last test
//! drives a running mock over HTTP to show [`super::MockAuthServer::set_broken_rule`]
//! reaches the handlers.

mod authorize;

use std::time::Duration;

use crate::clock::Clock;
use crate::profile::{ClientAuth, Profile};

use super::authorize_endpoint;
use super::faults::ServerFault::{self, *};
use super::http::MockResponse;
use super::metadata::tests as metadata;
use super::state::{MockState, MockUser};
use super::test_support::{self, basic, error_of, form_type, json, request};
use super::{MOCK_REDIRECT_URI, api_probe, token_endpoint};

const A: (&str, &str) = ("client-a", "secret-a");
const B: (&str, &str) = ("client-b", "secret-b");
const PASSWORD: &str = "user-password";
const CLIENT_STATE: &str = "xyz";
const ELSEWHERE: &str = "https://elsewhere.example/callback";
/// The PKCE verifier of every code flow here (RFC 7636; rfc6749 requires it).
const VERIFIER: &str = "conformance-verifier-0123456789-0123456789-abc";

/// A mock of `profile` with clients A and B and one user, breaking `fault`.
fn mock(profile: &str, fault: Option<ServerFault>) -> MockState {
    let mut state = test_support::state(profile, &[A, B]);
    state.users.push(MockUser {
        username: super::MOCK_USERNAME.into(),
        password: PASSWORD.into(),
        accounts: vec!["participant".into()],
    });
    state.faults.broken_rule = fault;
    state
}

/// Runs `scenario` against a conforming mock and against one breaking
/// `fault`: (conforming, faulty).
fn both<T>(profile: &str, fault: ServerFault, scenario: impl Fn(&mut MockState) -> T) -> (T, T) {
    (
        scenario(&mut mock(profile, None)),
        scenario(&mut mock(profile, Some(fault))),
    )
}

// Token endpoint requests.

/// A POST of `body` (form-encoded) by `client`, authenticated the way the
/// profile documents for the body's grant type.
fn token(state: &mut MockState, client: (&str, &str), body: &str) -> MockResponse {
    let grant = form_urlencoded::parse(body.as_bytes())
        .find(|(k, _)| k == "grant_type")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let path = state.profile.token.path.clone();
    let req = if state.profile.client_auth_for(&grant) == ClientAuth::Basic {
        request(
            "POST",
            &path,
            vec![basic(client.0, client.1), form_type()],
            body,
        )
    } else {
        let credentials = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", client.0)
            .append_pair("client_secret", client.1)
            .finish();
        request(
            "POST",
            &path,
            vec![form_type()],
            &format!("{body}&{credentials}"),
        )
    };
    token_endpoint::handle(state, &req)
}

fn client_credentials(state: &mut MockState) -> MockResponse {
    token(state, A, "grant_type=client_credentials&scope=read")
}

fn access_token(response: &MockResponse) -> String {
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    json(response)["access_token"].as_str().unwrap().to_owned()
}

// Authorization endpoint.

fn authorize_path(state: &MockState) -> String {
    state
        .profile
        .authorization_code
        .as_ref()
        .unwrap()
        .authorize_path
        .clone()
}

/// `GET <authorize>?…` for client A, with the challenge if given.
fn start(state: &mut MockState, redirect_uri: &str, challenge: Option<&str>) -> MockResponse {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("response_type", "code")
        .append_pair("client_id", A.0)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", CLIENT_STATE);
    if let Some(challenge) = challenge {
        query
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
    }
    let path = authorize_path(state);
    let req = request("GET", &format!("{path}?{}", query.finish()), vec![], "");
    authorize_endpoint::start(state, &req, &path)
}

/// Logs in on the page `start` gave and approves or denies: the redirect.
fn login_and_decide(
    state: &mut MockState,
    login_page: &MockResponse,
    approve: bool,
) -> MockResponse {
    let page = String::from_utf8_lossy(&login_page.body);
    let session = page
        .split("name=\"session\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no login form: {page}"))
        .to_owned();
    // The session cookie the login page set, as a browser sends it back.
    let cookie = login_page
        .get_header("set-cookie")
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session cookie: {login_page:?}"))
        .to_owned();
    let headers = || vec![form_type(), ("cookie", cookie.clone())];
    let path = authorize_path(state);
    let login = format!(
        "session={session}&username={}&password={PASSWORD}",
        super::MOCK_USERNAME
    );
    let consent_page = authorize_endpoint::login(
        state,
        &request("POST", &format!("{path}login"), headers(), &login),
        &path,
    );
    assert_eq!(consent_page.status, 200);
    let mut decision = format!("session={session}&account=participant");
    if approve {
        decision.push_str("&allow=Authorize");
    }
    authorize_endpoint::consent(
        state,
        &request("POST", &format!("{path}consent"), headers(), &decision),
    )
}

/// The whole authorization request of client A: the final redirect.
fn authorize(
    state: &mut MockState,
    redirect_uri: &str,
    challenge: Option<&str>,
    approve: bool,
) -> MockResponse {
    let page = start(state, redirect_uri, challenge);
    assert_eq!(page.status, 200, "{}", String::from_utf8_lossy(&page.body));
    login_and_decide(state, &page, approve)
}

/// The redirect's target and query parameters.
fn redirected(response: &MockResponse) -> (String, Vec<(String, String)>) {
    assert_eq!(response.status, 302);
    let location = response.get_header("location").unwrap();
    let (target, query) = location.split_once('?').unwrap_or((location, ""));
    let params = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    (target.to_owned(), params)
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

/// A code issued to client A for the registered redirect URI, bound to
/// [`VERIFIER`].
fn code(state: &mut MockState) -> String {
    let challenge = crate::client::authorize::s256(VERIFIER);
    let authorized = authorize(state, MOCK_REDIRECT_URI, Some(&challenge), true);
    let (_, params) = redirected(&authorized);
    param(&params, "code").unwrap()
}

fn exchange(
    state: &mut MockState,
    client: (&str, &str),
    code: &str,
    redirect_uri: &str,
) -> MockResponse {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "authorization_code")
        .append_pair("code", code)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("code_verifier", VERIFIER)
        .finish();
    token(state, client, &body)
}

fn refresh(state: &mut MockState, client: (&str, &str), refresh_token: &str) -> MockResponse {
    let body = form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "refresh_token")
        .append_pair("refresh_token", refresh_token)
        .finish();
    token(state, client, &body)
}

/// Client A's tokens from a fresh code: (access, refresh).
fn tokens_of_code_flow(state: &mut MockState) -> (String, String) {
    let code = code(state);
    let response = exchange(state, A, &code, MOCK_REDIRECT_URI);
    let body = json(&response);
    (
        access_token(&response),
        body["refresh_token"].as_str().unwrap().to_owned(),
    )
}

// Protected API.

fn api(state: &mut MockState, access_token: Option<&str>) -> MockResponse {
    let headers = access_token
        .map(|t| vec![("authorization", format!("Bearer {t}"))])
        .unwrap_or_default();
    let path = state.profile.api.as_ref().unwrap().probe_path.clone();
    api_probe::handle(state, &request("GET", &path, headers, ""))
}

fn advance(state: &MockState, minutes: u64) {
    state
        .clock
        .advance(Duration::from_secs(minutes * 60))
        .unwrap();
}

/// Every fault's proof: the exhaustive match is the list, so a new fault
/// without a proof does not compile. Each proof is handed its fault.
fn proof(fault: ServerFault) -> fn(ServerFault) {
    match fault {
        IssuesTokensForGet => issues_tokens_for_get,
        AcceptsCredentialsInQuery => accepts_credentials_in_query,
        OmitsNoStore => omits_no_store,
        OmitsPragma => omits_pragma,
        TokenAsText => token_as_text,
        OmitsTokenType => omits_token_type,
        TokenTypeMac => token_type_mac,
        ExpiresInAsString => expires_in_as_string,
        AcceptsWrongSecret => accepts_wrong_secret,
        BearerChallengeAfterBasic => bearer_challenge_after_basic,
        ErrorsWithStatus500 => errors_with_status_500,
        ErrorsAsHtml => errors_as_html,
        QuoteInErrorDescription => quote_in_error_description,
        MissingGrantTypeAsUnsupported => missing_grant_type_as_unsupported,
        WrongSecretAsUnauthorizedClient => wrong_secret_as_unauthorized_client,
        UnknownCodeAsInvalidRequest => unknown_code_as_invalid_request,
        UnknownGrantTypeAsInvalidRequest => unknown_grant_type_as_invalid_request,
        BadScopeAsInvalidRequest => bad_scope_as_invalid_request,
        NarrowsScopeSilently => narrows_scope_silently,
        GrantsUnknownScope => grants_unknown_scope,
        SaysExpiresIn7200 => says_expires_in_7200,
        ExpiresTokensAfter30Minutes => expires_tokens_after_30_minutes,
        RedirectsToUnregisteredUri => redirects_to_unregistered_uri,
        MatchesRedirectUriByPrefix => authorize::matches_redirect_uri_by_prefix,
        RedirectsUnknownClient => authorize::redirects_unknown_client,
        AltersState => alters_state,
        DenialAsServerError => denial_as_server_error,
        DropsStateOnError => drops_state_on_error,
        AcceptsReusedCode => accepts_reused_code,
        KeepsTokensOfReusedCode => keeps_tokens_of_reused_code,
        AcceptsCodeOfAnotherClient => accepts_code_of_another_client,
        IgnoresRedirectUriAtExchange => ignores_redirect_uri_at_exchange,
        AcceptsUnknownCode => accepts_unknown_code,
        IssuesTokensWithoutClientAuthentication => issues_tokens_without_client_authentication,
        IssuesTokensForUnregisteredGrants => issues_tokens_for_unregistered_grants,
        AcceptsExchangeWithoutRedirectUri => accepts_exchange_without_redirect_uri,
        RedeemsCodeWithoutSecret => redeems_code_without_secret,
        AcceptsVerifierWithoutChallenge => accepts_verifier_without_challenge,
        ComparesVerifierAsText => compares_verifier_as_text,
        RefreshesWithoutSecret => refreshes_without_secret,
        WidensScopeOnRefresh => widens_scope_on_refresh,
        AcceptsUnknownRefreshToken => accepts_unknown_refresh_token,
        IgnoresCodeVerifier => ignores_code_verifier,
        AcceptsRefreshTokenOfAnotherClient => accepts_refresh_token_of_another_client,
        RefreshReturnsSameAccessToken => refresh_returns_same_access_token,
        NoTokenGets403 => no_token_gets_403,
        NoTokenChallengeWithError => no_token_challenge_with_error,
        InvalidTokenWithoutChallenge => invalid_token_without_challenge,
        InvalidTokenWithoutErrorCode => invalid_token_without_error_code,
        AcceptsUnknownTokens => accepts_unknown_tokens,
        IgnoresTokenScope => ignores_token_scope,
        MissingScopeAsInvalidToken => missing_scope_as_invalid_token,
        AcceptsExpiredTokens => accepts_expired_tokens,
        MetadataAsHtml => metadata::metadata_as_html,
        MetadataNamesAnotherIssuer => metadata::names_another_issuer,
        MetadataWithoutResponseTypes => metadata::without_response_types,
        IssuerWithQuery => metadata::issuer_with_query,
    }
}

/// Runs every fault's proof, and names each fault whose proof failed (its
/// panic message is printed above).
#[test]
fn every_server_fault_changes_the_mock() {
    let failed: Vec<ServerFault> = ServerFault::ALL
        .into_iter()
        .filter(|&fault| std::panic::catch_unwind(|| proof(fault)(fault)).is_err())
        .collect();
    assert!(failed.is_empty(), "these faults' proofs failed: {failed:?}");
}

// Token endpoint.

fn issues_tokens_for_get(fault: ServerFault) {
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

fn accepts_credentials_in_query(fault: ServerFault) {
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

fn omits_no_store(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(conforming.get_header("cache-control"), Some("no-store"));
    assert_eq!(faulty.get_header("cache-control"), None);
    assert_eq!(faulty.get_header("pragma"), Some("no-cache"));
}

fn omits_pragma(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(conforming.get_header("pragma"), Some("no-cache"));
    assert_eq!(faulty.get_header("pragma"), None);
    assert_eq!(faulty.get_header("cache-control"), Some("no-store"));
}

fn token_as_text(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(
        conforming.get_header("content-type"),
        Some("application/json")
    );
    assert_eq!(faulty.get_header("content-type"), Some("text/plain"));
    assert!(!access_token(&faulty).is_empty(), "still the JSON text");
}

fn omits_token_type(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(json(&conforming)["token_type"], "Bearer");
    assert!(json(&faulty).get("token_type").is_none());
    assert!(!access_token(&faulty).is_empty());
}

fn token_type_mac(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(json(&conforming)["token_type"], "Bearer");
    assert_eq!(json(&faulty)["token_type"], "mac");
}

fn expires_in_as_string(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, client_credentials);
    assert_eq!(json(&conforming)["expires_in"], 3600);
    assert_eq!(json(&faulty)["expires_in"], "3600");
}

fn accepts_wrong_secret(fault: ServerFault) {
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
}

fn bearer_challenge_after_basic(fault: ServerFault) {
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
fn refusals_and_a_success(state: &mut MockState) -> (Vec<MockResponse>, MockResponse) {
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

fn errors_with_status_500(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, refusals_and_a_success);
    let statuses = |r: &[MockResponse]| r.iter().map(|r| r.status).collect::<Vec<_>>();
    assert_eq!(statuses(&conforming.0), [401, 400, 400, 405]);
    assert_eq!(statuses(&faulty.0), [500, 500, 500, 500]);
    for (c, f) in conforming.0.iter().zip(&faulty.0) {
        assert_eq!(c.body, f.body);
    }
    assert_eq!(faulty.1.status, 200);
}

fn errors_as_html(fault: ServerFault) {
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

fn quote_in_error_description(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, refusals_and_a_success);
    let description = |r: &MockResponse| json(r)["error_description"].as_str().unwrap().to_owned();
    for (c, f) in conforming.0.iter().zip(&faulty.0) {
        assert!(!description(c).contains('"'));
        assert!(description(f).contains('"'));
        assert_eq!(error_of(f), error_of(c));
    }
}

fn missing_grant_type_as_unsupported(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| token(s, A, "scope=read"));
    assert_eq!(error_of(&conforming), (400, "invalid_request".into()));
    assert_eq!(error_of(&faulty), (400, "unsupported_grant_type".into()));
}

fn wrong_secret_as_unauthorized_client(fault: ServerFault) {
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

fn unknown_code_as_invalid_request(fault: ServerFault) {
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

fn unknown_grant_type_as_invalid_request(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| token(s, A, "grant_type=password"));
    assert_eq!(
        error_of(&conforming),
        (400, "unsupported_grant_type".into())
    );
    assert_eq!(error_of(&faulty), (400, "invalid_request".into()));
}

fn bad_scope_as_invalid_request(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&scope=admin")
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert_eq!(error_of(&faulty), (400, "invalid_request".into()));
}

fn narrows_scope_silently(fault: ServerFault) {
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

fn grants_unknown_scope(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        token(s, A, "grant_type=client_credentials&scope=read admin")
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert!(!access_token(&faulty).is_empty());
    assert_eq!(json(&faulty)["scope"], "read admin");
}

fn says_expires_in_7200(fault: ServerFault) {
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

fn expires_tokens_after_30_minutes(fault: ServerFault) {
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

// Authorization endpoint.

fn redirects_to_unregistered_uri(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| start(s, ELSEWHERE, None));
    assert_eq!(conforming.status, 400);
    assert!(conforming.get_header("location").is_none());
    assert_eq!(faulty.status, 200, "the login page");
    let mut faulty = mock("401go", Some(fault));
    let (target, params) = redirected(&authorize(&mut faulty, ELSEWHERE, None, true));
    assert_eq!(target, ELSEWHERE);
    assert!(param(&params, "code").is_some());
}

fn alters_state(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, approved) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, true));
        let (_, denied) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, false));
        (param(&approved, "state"), param(&denied, "state"))
    });
    let sent = Some(CLIENT_STATE.to_owned());
    assert_eq!(conforming, (sent.clone(), sent.clone()));
    assert_ne!(faulty.0, sent);
    assert_eq!(faulty.1, sent, "error redirects keep state");
}

fn denial_as_server_error(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, denied) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, false));
        (param(&denied, "error"), param(&denied, "state"))
    });
    let sent = Some(CLIENT_STATE.to_owned());
    assert_eq!(conforming, (Some("access_denied".into()), sent.clone()));
    assert_eq!(faulty, (Some("server_error".into()), sent));
}

fn drops_state_on_error(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, approved) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, true));
        let (_, denied) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, false));
        (param(&approved, "state"), param(&denied, "state"))
    });
    let sent = Some(CLIENT_STATE.to_owned());
    assert_eq!(conforming, (sent.clone(), sent.clone()));
    assert_eq!(faulty, (sent, None));
}

// Code exchange.

fn accepts_reused_code(fault: ServerFault) {
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

fn keeps_tokens_of_reused_code(fault: ServerFault) {
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

fn accepts_code_of_another_client(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        exchange(s, B, &code, MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn ignores_redirect_uri_at_exchange(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let code = code(s);
        exchange(s, A, &code, ELSEWHERE)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn accepts_unknown_code(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        exchange(s, A, "made-up", MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn ignores_code_verifier(fault: ServerFault) {
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

/// A POST of `body` with the client's id in it and no secret, no header.
fn token_without_secret(state: &mut MockState, client: (&str, &str), body: &str) -> MockResponse {
    let path = state.profile.token.path.clone();
    let body = format!("{body}&client_id={}", client.0);
    token_endpoint::handle(state, &request("POST", &path, vec![form_type()], &body))
}

fn issues_tokens_without_client_authentication(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let path = s.profile.token.path.clone();
        let body = "grant_type=client_credentials";
        token_endpoint::handle(s, &request("POST", &path, vec![form_type()], body))
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn issues_tokens_for_unregistered_grants(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        if let Some(c) = s.clients.iter_mut().find(|c| c.id == A.0) {
            c.grants = vec!["authorization_code".into()];
        }
        client_credentials(s)
    });
    assert_eq!(error_of(&conforming), (400, "unauthorized_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn accepts_exchange_without_redirect_uri(fault: ServerFault) {
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

fn redeems_code_without_secret(fault: ServerFault) {
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

fn accepts_verifier_without_challenge(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, params) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, true));
        let code = param(&params, "code").unwrap();
        exchange(s, A, &code, MOCK_REDIRECT_URI)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn compares_verifier_as_text(fault: ServerFault) {
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

fn refreshes_without_secret(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        let body = format!("grant_type=refresh_token&refresh_token={refresh_token}");
        token_without_secret(s, A, &body)
    });
    assert_eq!(error_of(&conforming), (401, "invalid_client".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn widens_scope_on_refresh(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        let body = format!("grant_type=refresh_token&refresh_token={refresh_token}&scope=write");
        token(s, A, &body)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_scope".into()));
    assert_eq!(json(&faulty)["scope"], "write");
}

fn accepts_unknown_refresh_token(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| refresh(s, A, "made-up"));
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn accepts_refresh_token_of_another_client(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, refresh_token) = tokens_of_code_flow(s);
        refresh(s, B, &refresh_token)
    });
    assert_eq!(error_of(&conforming), (400, "invalid_grant".into()));
    assert!(!access_token(&faulty).is_empty());
}

fn refresh_returns_same_access_token(fault: ServerFault) {
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

// Protected API.

fn no_token_gets_403(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| api(s, None));
    assert_eq!(conforming.status, 401);
    assert_eq!(faulty.status, 403);
}

fn no_token_challenge_with_error(fault: ServerFault) {
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
fn refused_tokens(fault: ServerFault) -> ([MockResponse; 2], [MockResponse; 2]) {
    both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        let unknown = api(s, Some("never-issued"));
        advance(s, 60);
        let expired = api(s, Some(&token));
        [unknown, expired]
    })
}

fn invalid_token_without_challenge(fault: ServerFault) {
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

fn invalid_token_without_error_code(fault: ServerFault) {
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

fn accepts_unknown_tokens(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let token = access_token(&client_credentials(s));
        let unknown = api(s, Some("never-issued")).status;
        advance(s, 60);
        (unknown, api(s, Some(&token)).status)
    });
    assert_eq!(conforming, (401, 401));
    assert_eq!(faulty, (200, 401), "expired tokens are still refused");
}

/// A `read`-only token at the 401go write probe.
fn read_token_at_write_probe(s: &mut MockState) -> MockResponse {
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

fn ignores_token_scope(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, read_token_at_write_probe);
    assert_eq!(conforming.status, 403);
    assert_eq!(faulty.status, 200);
}

fn missing_scope_as_invalid_token(fault: ServerFault) {
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

fn accepts_expired_tokens(fault: ServerFault) {
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
    let mock = super::MockAuthServer::start(&profile, Clock::manual()).await;
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
