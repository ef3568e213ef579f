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
//! drives a running mock over HTTP (in `api_faults`) to show [`super::MockAuthServer::set_broken_rule`]
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

mod api_faults;
mod code_flow_faults;
mod issuer_jwt_faults;
mod lifecycle_faults;
mod scope_behaviour;
mod token_faults;
use api_faults::*;
use code_flow_faults::*;
use issuer_jwt_faults::*;
use lifecycle_faults::*;
use token_faults::*;

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
    login_and_consent(state, login_page, approve, Csrf::AsThePageSays)
}

/// The CSRF token a consent POST carries back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Csrf {
    AsThePageSays,
    Left,
    MadeUp,
}

/// The value of the hidden field `name` on `page`.
fn hidden_field(page: &MockResponse, name: &str) -> String {
    let page = String::from_utf8_lossy(&page.body);
    page.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {name} field: {page}"))
        .to_owned()
}

fn login_and_consent(
    state: &mut MockState,
    login_page: &MockResponse,
    approve: bool,
    csrf: Csrf,
) -> MockResponse {
    let session = hidden_field(login_page, "session");
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
    // A forged approval cannot know the form's session either.
    let posted = match csrf {
        Csrf::AsThePageSays => session.as_str(),
        _ => "forged-session-0123456789",
    };
    let mut decision = format!("session={posted}&account=participant");
    let token = hidden_field(&consent_page, super::login_pages::CSRF_FIELD);
    match csrf {
        Csrf::AsThePageSays => decision.push_str(&format!("&csrf_token={token}")),
        Csrf::MadeUp => decision.push_str("&csrf_token=made-up-by-another-site"),
        Csrf::Left => {}
    }
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
        AnswersTokensWith201 => answers_tokens_with_201,
        LeavesAccessTokenOut => leaves_access_token_out,
        CommaInAccessTokens => comma_in_access_tokens,
        RefusesUnknownParameters => refuses_unknown_parameters,
        KeepsEmptyParameters => keeps_empty_parameters,
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
        SpaceInErrorUri => space_in_error_uri,
        MissingGrantTypeAsUnsupported => missing_grant_type_as_unsupported,
        WrongSecretAsUnauthorizedClient => wrong_secret_as_unauthorized_client,
        UnknownCodeAsInvalidRequest => unknown_code_as_invalid_request,
        UnknownGrantTypeAsInvalidRequest => unknown_grant_type_as_invalid_request,
        BadScopeAsInvalidRequest => bad_scope_as_invalid_request,
        NarrowsScopeSilently => narrows_scope_silently,
        GrantsUnknownScope => grants_unknown_scope,
        TakesFirstOfRepeatedParameter => takes_first_of_repeated_parameter,
        AcceptsTwoAuthMethods => accepts_two_auth_methods,
        IssuesTokensToUnknownClients => issues_tokens_to_unknown_clients,
        IssuesTokensForPasswordGrant => issues_tokens_for_password_grant,
        BasicOnlyWhereDocumented => basic_only_where_documented,
        OmittedScopeAsInvalidRequest => omitted_scope_as_invalid_request,
        RefusesEveryRequestWithoutScope => refuses_every_request_without_scope,
        SaysExpiresIn7200 => says_expires_in_7200,
        ExpiresTokensAfter30Minutes => expires_tokens_after_30_minutes,
        RedirectsToUnregisteredUri => redirects_to_unregistered_uri,
        MatchesRedirectUriByPrefix => authorize::matches_redirect_uri_by_prefix,
        IgnoresRedirectUriFragment => authorize::ignores_redirect_uri_fragment,
        AllowsHttpRedirectUri => authorize::allows_http_redirect_uri,
        RedirectsUnknownClient => authorize::redirects_unknown_client,
        RedirectsWithoutClientId => authorize::redirects_without_client_id,
        RefusesUnknownAuthorizationParameters => authorize::refuses_unknown_parameters,
        ServesAuthorizationByPostOnly => authorize::serves_authorization_by_post_only,
        ResponseTypeErrorPage => authorize::response_type_error_page,
        ConsentWithoutCsrfProtection => authorize::consent_without_csrf_protection,
        ConsentFormWithoutCsrfToken => authorize::consent_form_without_csrf_token,
        PagesWithoutFrameProtection => authorize::pages_without_frame_protection,
        PagesWithoutCsp => authorize::pages_without_csp,
        AuthorizationEndpointAllowsCors => authorize::authorization_endpoint_allows_cors,
        AcceptsAnyPassword => authorize::accepts_any_password,
        LoginAnswered307 => authorize::login_answered_307,
        IgnoresUnknownChallengeMethod => authorize::ignores_unknown_challenge_method,
        PutsChallengeInCode => authorize::puts_challenge_in_code,
        IssuesCodeWithoutRequiredChallenge => authorize::issues_code_without_required_challenge,
        AltersState => alters_state,
        RepeatsStateInRedirects => authorize::repeats_state_in_redirects,
        CodeInFragment => authorize::code_in_fragment,
        DenialAsServerError => denial_as_server_error,
        DropsStateOnError => drops_state_on_error,
        QuoteInAuthorizationError => authorize::quote_in_authorization_error,
        AcceptsReusedCode => accepts_reused_code,
        KeepsTokensOfReusedCode => keeps_tokens_of_reused_code,
        AcceptsCodeOfAnotherClient => accepts_code_of_another_client,
        IgnoresRedirectUriAtExchange => ignores_redirect_uri_at_exchange,
        AcceptsUnknownCode => accepts_unknown_code,
        AcceptsExpiredCodes => accepts_expired_codes,
        IssuesTokensWithoutClientAuthentication => issues_tokens_without_client_authentication,
        IssuesClientCredentialsForClientIdAlone => issues_client_credentials_for_client_id_alone,
        IssuesTokensForUnregisteredGrants => issues_tokens_for_unregistered_grants,
        AcceptsExchangeWithoutRedirectUri => accepts_exchange_without_redirect_uri,
        RedeemsCodeWithoutSecret => redeems_code_without_secret,
        AcceptsVerifierWithoutChallenge => accepts_verifier_without_challenge,
        ComparesVerifierAsText => compares_verifier_as_text,
        RefreshesWithoutSecret => refreshes_without_secret,
        WidensScopeOnRefresh => widens_scope_on_refresh,
        AcceptsUnknownRefreshToken => accepts_unknown_refresh_token,
        IgnoresCodeVerifier => ignores_code_verifier,
        RefusesMatchingVerifier => refuses_matching_verifier,
        AcceptsRefreshTokenOfAnotherClient => accepts_refresh_token_of_another_client,
        RefreshReturnsSameAccessToken => refresh_returns_same_access_token,
        NarrowsRotatedRefreshToken => narrows_rotated_refresh_token,
        SchemeCaseSensitive => scheme_case_sensitive,
        RepeatsRealm => repeats_realm,
        BareBearerChallenge => bare_bearer_challenge,
        QuoteInChallengeDescription => quote_in_challenge_description,
        NoTokenWithoutChallenge => no_token_without_challenge,
        NoTokenGets403 => no_token_gets_403,
        NoTokenChallengeWithError => no_token_challenge_with_error,
        InvalidTokenWithoutChallenge => invalid_token_without_challenge,
        InvalidTokenWithoutErrorCode => invalid_token_without_error_code,
        AcceptsUnknownTokens => accepts_unknown_tokens,
        IgnoresTokenScope => ignores_token_scope,
        MissingScopeAsInvalidToken => missing_scope_as_invalid_token,
        AcceptsExpiredTokens => accepts_expired_tokens,
        ComparesTokenPrefix => compares_token_prefix,
        MetadataAsHtml => metadata::metadata_as_html,
        MetadataNamesAnotherIssuer => metadata::names_another_issuer,
        MetadataWithoutResponseTypes => metadata::without_response_types,
        IssuerWithQuery => metadata::issuer_with_query,
        MetadataListsImplicitNotClientCredentials => {
            metadata::lists_implicit_not_client_credentials
        }
        MetadataListsGrantsAsResponseTypes => metadata::lists_grants_as_response_types,
        MetadataListsPlainItRefuses => metadata::lists_plain_it_refuses,
        MetadataListsTokenItRefuses => metadata::lists_token_it_refuses,
        MetadataListsTokenEndpointElsewhere => metadata::lists_token_endpoint_elsewhere,
        MetadataLeavesOutBasic => metadata::leaves_out_basic,
        MetadataListsScopeItRefuses => metadata::lists_scope_it_refuses,
        StopsRotatingRefreshTokens => stops_rotating_refresh_tokens,
        AcceptsRotatedRefreshToken => accepts_rotated_refresh_token,
        KeepsActiveRefreshTokenOnReuse => keeps_active_refresh_token_on_reuse,
        KeepsRevokedRefreshTokens => keeps_revoked_refresh_tokens,
        KeepsRevokedAccessTokens => keeps_revoked_access_tokens,
        KeepsAccessTokensOfRevokedGrant => keeps_access_tokens_of_revoked_grant,
        RefusesRevocationOfUnknownTokens => refuses_revocation_of_unknown_tokens,
        RevocationSearchesOnlyHintedType => revocation_searches_only_hinted_type,
        RefusesUnknownTokenTypeHint => refuses_unknown_token_type_hint,
        RevokesForWrongSecret => revokes_for_wrong_secret,
        RevokesTokensOfOtherClients => revokes_tokens_of_other_clients,
        IntrospectionActiveAsString => introspection_active_as_string,
        IntrospectionNamesAnotherClient => introspection_names_another_client,
        IntrospectsRevokedTokensAsActive => introspects_revoked_tokens_as_active,
        SaysWhyTokenIsInactive => says_why_token_is_inactive,
        IntrospectsForAnybody => introspects_for_anybody,
        IntrospectionAsText => introspection_as_text,
        DropsIssOnError => drops_iss_on_error,
        JwtTypedAsJwt => jwt_typed_as_jwt,
        JwtWithoutJti => jwt_without_jti,
        JwtSignedWithUnpublishedKey => jwt_signed_with_unpublished_key,
        JwtFromAnotherIssuer => jwt_from_another_issuer,
        JwtForAnotherAudience => jwt_for_another_audience,
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
