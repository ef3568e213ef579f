//! The proofs of the redirect-URI, client-id and consent CSRF faults of
//! the authorization endpoint (RFC 9700 §2.1, RFC 6749 §4.1.2.1, §10.12).

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
    // is still refused (that is the other fault's), and so is a fragment
    // (the fragment fault's).
    assert_eq!(start(&mut faulty, ELSEWHERE, None).status, 400);
    assert_eq!(start(&mut faulty, &with_fragment(), None).status, 400);
}

fn with_fragment() -> String {
    format!("{MOCK_REDIRECT_URI}#conformance")
}

pub(super) fn ignores_redirect_uri_fragment(fault: ServerFault) {
    let uri = with_fragment();
    let conforming = start(&mut mock("401go", None), &uri, None);
    assert_eq!(conforming.status, 400);
    assert!(conforming.get_header("location").is_none());
    let mut faulty = mock("401go", Some(fault));
    let answer = authorize(&mut faulty, &uri, None, true);
    let location = answer.get_header("location").unwrap();
    assert!(location.starts_with(&uri), "{location}");
    assert!(location.contains("code="), "{location}");
    // Near misses without a fragment are still refused (the prefix fault's).
    let near = NearMiss::ExtraPathSegment.apply(MOCK_REDIRECT_URI).unwrap();
    assert_eq!(start(&mut faulty, &near, None).status, 400);
}

pub(super) fn allows_http_redirect_uri(fault: ServerFault) {
    use super::super::MOCK_HTTP_REDIRECT_URI;
    let conforming = start(&mut mock("401go", None), MOCK_HTTP_REDIRECT_URI, None);
    assert_eq!(conforming.status, 400);
    let mut faulty = mock("401go", Some(fault));
    let (target, params) = redirected(&authorize(&mut faulty, MOCK_HTTP_REDIRECT_URI, None, true));
    assert_eq!(target, MOCK_HTTP_REDIRECT_URI);
    assert!(param(&params, "code").is_some());
    // Only that one: other unregistered URIs are still refused.
    assert_eq!(start(&mut faulty, ELSEWHERE, None).status, 400);
}

/// `GET <authorize>?…` with these parameters.
fn start_with(state: &mut MockState, params: &[(&str, &str)]) -> MockResponse {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let path = authorize_path(state);
    let req = request("GET", &format!("{path}?{query}"), vec![], "");
    authorize_endpoint::start(state, &req, &path)
}

/// `GET <authorize>?…` for a client id the server never issued.
fn start_unknown_client(state: &mut MockState) -> MockResponse {
    start_with(
        state,
        &[
            ("response_type", "code"),
            ("client_id", "never-issued"),
            ("redirect_uri", MOCK_REDIRECT_URI),
            ("state", CLIENT_STATE),
        ],
    )
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

pub(super) fn consent_without_csrf_protection(fault: ServerFault) {
    for csrf in [Csrf::Left, Csrf::MadeUp] {
        let mut conforming = mock("401go", None);
        let page = start(&mut conforming, MOCK_REDIRECT_URI, None);
        let refused = login_and_consent(&mut conforming, &page, true, csrf);
        // Refused: for the made-up session (400) or the token (403).
        assert!(matches!(refused.status, 400 | 403), "{}", refused.status);
        assert!(refused.get_header("location").is_none());
        let mut faulty = mock("401go", Some(fault));
        let page = start(&mut faulty, MOCK_REDIRECT_URI, None);
        let (target, params) = redirected(&login_and_consent(&mut faulty, &page, true, csrf));
        assert_eq!(target, MOCK_REDIRECT_URI);
        assert!(param(&params, "code").is_some());
    }
    // The session cookie stays off a cross-site POST, but on the faulty one.
    let same_site = |fault| {
        let page = start(&mut mock("401go", fault), MOCK_REDIRECT_URI, None);
        page.get_header("set-cookie")
            .unwrap()
            .contains("SameSite=Lax")
    };
    assert!(same_site(None) && !same_site(Some(fault)));
    // With its token the approval gives a code on either server.
    let mut conforming = mock("401go", None);
    let page = start(&mut conforming, MOCK_REDIRECT_URI, None);
    let approved = login_and_consent(&mut conforming, &page, true, Csrf::AsThePageSays);
    assert!(param(&redirected(&approved).1, "code").is_some());
}

pub(super) fn consent_form_without_csrf_token(fault: ServerFault) {
    // The conforming consent form carries a token; the faulty one none.
    let consent = |state: &mut MockState| {
        let page = start(state, MOCK_REDIRECT_URI, None);
        let set_cookie = page.get_header("set-cookie").unwrap().to_owned();
        let cookie = set_cookie.split(';').next().unwrap().to_owned();
        let session = hidden_field(&page, "session");
        let path = authorize_path(state);
        let login = format!(
            "session={session}&username={}&password={PASSWORD}",
            super::super::MOCK_USERNAME
        );
        let headers = vec![form_type(), ("cookie", cookie.clone())];
        let consent_page = authorize_endpoint::login(
            state,
            &request("POST", &format!("{path}login"), headers, &login),
            &path,
        );
        (
            set_cookie,
            cookie,
            String::from_utf8_lossy(&consent_page.body).into_owned(),
        )
    };
    let mut conforming = mock("401go", None);
    let (set_cookie, _, page) = consent(&mut conforming);
    assert!(set_cookie.contains("SameSite=Lax") && page.contains("csrf_token"));
    let mut faulty = mock("401go", Some(fault));
    let (set_cookie, cookie, page) = consent(&mut faulty);
    assert!(
        !set_cookie.contains("SameSite") && !page.contains("csrf_token"),
        "{page}"
    );
    assert!(!page.contains("name=\"session\""), "{page}");
    // The cookie alone carries the approval: a cross-site POST with it gets
    // a code, one without it does not.
    let path = authorize_path(&faulty);
    let decision = "account=participant&allow=Authorize";
    let post = |cookie: Option<&str>| {
        let mut headers = vec![form_type()];
        headers.extend(cookie.map(|c| ("cookie", c.to_owned())));
        request("POST", &format!("{path}consent"), headers, decision)
    };
    assert_eq!(
        authorize_endpoint::consent(&mut faulty, &post(None)).status,
        400
    );
    let (target, params) = redirected(&authorize_endpoint::consent(
        &mut faulty,
        &post(Some(&cookie)),
    ));
    assert_eq!(target, MOCK_REDIRECT_URI);
    assert!(param(&params, "code").is_some());
}

/// The login page as a browser gets it, with the headers every page carries.
fn login_page_headers(fault: Option<ServerFault>) -> MockResponse {
    let mut state = mock("401go", fault);
    let page = start(&mut state, MOCK_REDIRECT_URI, None);
    authorize_endpoint::browser_headers::add(&state, page)
}

pub(super) fn pages_without_frame_protection(fault: ServerFault) {
    let conforming = login_page_headers(None);
    assert_eq!(conforming.get_header("x-frame-options"), Some("DENY"));
    assert!(conforming.get_header("content-security-policy").is_some());
    let faulty = login_page_headers(Some(fault));
    assert!(faulty.get_header("x-frame-options").is_none());
    assert!(faulty.get_header("content-security-policy").is_none());
}

pub(super) fn pages_without_csp(fault: ServerFault) {
    let faulty = login_page_headers(Some(fault));
    assert_eq!(faulty.get_header("x-frame-options"), Some("DENY"));
    assert!(faulty.get_header("content-security-policy").is_none());
}

pub(super) fn authorization_endpoint_allows_cors(fault: ServerFault) {
    let preflight = request("OPTIONS", "/authorize", vec![], "");
    let conforming =
        authorize_endpoint::browser_headers::options(&mut mock("401go", None), &preflight);
    assert!(
        conforming
            .get_header("access-control-allow-origin")
            .is_none()
    );
    assert!(
        login_page_headers(None)
            .get_header("access-control-allow-origin")
            .is_none()
    );
    let faulty =
        authorize_endpoint::browser_headers::options(&mut mock("401go", Some(fault)), &preflight);
    assert_eq!(faulty.get_header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        login_page_headers(Some(fault)).get_header("access-control-allow-origin"),
        Some("*")
    );
}

/// `GET <authorize>?…` without a client_id.
fn start_without_client_id(state: &mut MockState) -> MockResponse {
    start_with(
        state,
        &[
            ("response_type", "code"),
            ("redirect_uri", MOCK_REDIRECT_URI),
            ("state", CLIENT_STATE),
        ],
    )
}

pub(super) fn redirects_without_client_id(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, start_without_client_id);
    assert_eq!(conforming.status, 400);
    assert!(conforming.get_header("location").is_none());
    let (target, params) = redirected(&faulty);
    assert_eq!(target, MOCK_REDIRECT_URI);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
    // An unknown client is still not redirected (that is the other fault's).
    let mut faulty = mock("401go", Some(fault));
    assert_eq!(start_unknown_client(&mut faulty).status, 400);
}

/// `GET <authorize>?…` of client A with `response_type` set to `value`, or
/// left out.
fn start_response_type(state: &mut MockState, value: Option<&str>) -> MockResponse {
    let mut params = vec![
        ("client_id", A.0),
        ("redirect_uri", MOCK_REDIRECT_URI),
        ("state", CLIENT_STATE),
    ];
    if let Some(value) = value {
        params.push(("response_type", value));
    }
    start_with(state, &params)
}

pub(super) fn response_type_error_page(fault: ServerFault) {
    for value in [None, Some("x_unknown")] {
        let (conforming, faulty) = both("401go", fault, |s| start_response_type(s, value));
        let (target, params) = redirected(&conforming);
        assert_eq!(target, MOCK_REDIRECT_URI);
        let expected = match value {
            None => "invalid_request",
            Some(_) => "unsupported_response_type",
        };
        assert_eq!(param(&params, "error").as_deref(), Some(expected));
        assert_eq!(param(&params, "state").as_deref(), Some(CLIENT_STATE));
        assert_eq!(faulty.status, 400, "{value:?}");
        assert!(faulty.get_header("location").is_none());
    }
    // response_type=code still works.
    let mut faulty = mock("401go", Some(fault));
    assert_eq!(start(&mut faulty, MOCK_REDIRECT_URI, None).status, 200);
}

pub(super) fn quote_in_authorization_error(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, denied) = redirected(&authorize(s, MOCK_REDIRECT_URI, None, false));
        (param(&denied, "error"), param(&denied, "error_description"))
    });
    let (error, description) = conforming;
    assert_eq!(error.as_deref(), Some("access_denied"));
    assert!(!description.unwrap().contains('"'));
    let (error, description) = faulty;
    assert_eq!(error.as_deref(), Some("access_denied"));
    assert!(description.unwrap().contains('"'));
}

pub(super) fn repeats_state_in_redirects(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        redirected(&authorize(s, MOCK_REDIRECT_URI, None, true)).1
    });
    let states = |params: &[(String, String)]| params.iter().filter(|(k, _)| k == "state").count();
    assert_eq!(states(&conforming), 1);
    assert_eq!(states(&faulty), 2);
}

pub(super) fn serves_authorization_by_post_only(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| start(s, MOCK_REDIRECT_URI, None));
    assert_eq!(conforming.status, 200, "the login page");
    assert_eq!(faulty.status, 405);
    assert_eq!(faulty.get_header("allow"), Some("POST"));
}

pub(super) fn refuses_unknown_parameters(fault: ServerFault) {
    let with_unknown = |s: &mut MockState| {
        start_with(
            s,
            &[
                ("response_type", "code"),
                ("client_id", A.0),
                ("redirect_uri", MOCK_REDIRECT_URI),
                ("state", CLIENT_STATE),
                ("x_unknown", "1"),
            ],
        )
    };
    let (conforming, faulty) = both("401go", fault, with_unknown);
    assert_eq!(conforming.status, 200, "the login page");
    let (target, params) = redirected(&faulty);
    assert_eq!(target, MOCK_REDIRECT_URI);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
    // The parameters it knows still work.
    let mut faulty = mock("401go", Some(fault));
    let (_, params) = redirected(&authorize(&mut faulty, MOCK_REDIRECT_URI, None, true));
    assert!(param(&params, "code").is_some());
}

pub(super) fn code_in_fragment(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let approved = authorize(s, MOCK_REDIRECT_URI, None, true);
        approved.get_header("location").unwrap().to_owned()
    });
    let query = format!("{MOCK_REDIRECT_URI}?code=");
    assert!(conforming.starts_with(&query), "{conforming}");
    let fragment = format!("{MOCK_REDIRECT_URI}#code=");
    assert!(faulty.starts_with(&fragment), "{faulty}");
    assert!(faulty.contains(&format!("&state={CLIENT_STATE}")));
    // Error redirects still use the query.
    let mut faulty = mock("401go", Some(fault));
    let (_, denied) = redirected(&authorize(&mut faulty, MOCK_REDIRECT_URI, None, false));
    assert_eq!(param(&denied, "error").as_deref(), Some("access_denied"));
}

pub(super) fn ignores_unknown_challenge_method(fault: ServerFault) {
    let challenge = crate::client::authorize::s256(VERIFIER);
    let with_method = |method: &'static str| {
        let challenge = challenge.clone();
        move |s: &mut MockState| {
            start_with(
                s,
                &[
                    ("response_type", "code"),
                    ("client_id", A.0),
                    ("redirect_uri", MOCK_REDIRECT_URI),
                    ("state", CLIENT_STATE),
                    ("code_challenge", challenge.as_str()),
                    ("code_challenge_method", method),
                ],
            )
        }
    };
    let (conforming, faulty) = both("401go", fault, with_method("S512"));
    let (target, params) = redirected(&conforming);
    assert_eq!(target, MOCK_REDIRECT_URI);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
    assert_eq!(faulty.status, 200, "the login page");
    // plain, which it knows and does not support, is still refused.
    let (_, params) = redirected(&with_method("plain")(&mut mock("401go", Some(fault))));
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
}

pub(super) fn puts_challenge_in_code(fault: ServerFault) {
    let challenge = crate::client::authorize::s256(VERIFIER);
    let (conforming, faulty) = both("401go", fault, |s| {
        let (_, params) = redirected(&authorize(s, MOCK_REDIRECT_URI, Some(&challenge), true));
        param(&params, "code").unwrap()
    });
    let location = |code: &str| format!("{MOCK_REDIRECT_URI}?code={code}");
    let judge = |code: &str| {
        crate::checks::pkce::check_challenge_not_exposed(&location(code), &challenge).failed()
    };
    assert!(!judge(&conforming));
    assert!(judge(&faulty));
    // The faulty code still works.
    let mut faulty = mock("401go", Some(fault));
    let code = code(&mut faulty);
    assert_eq!(
        exchange(&mut faulty, A, &code, MOCK_REDIRECT_URI).status,
        200
    );
}

/// The login form of `page` posted with `password`: the answer.
fn log_in(state: &mut MockState, page: &MockResponse, password: &str) -> MockResponse {
    let session = hidden_field(page, "session");
    let cookie = page
        .get_header("set-cookie")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let path = authorize_path(state);
    let body = format!(
        "session={session}&username={}&password={password}",
        super::super::MOCK_USERNAME
    );
    let headers = vec![form_type(), ("cookie", cookie)];
    authorize_endpoint::login(
        state,
        &request("POST", &format!("{path}login"), headers, &body),
        &path,
    )
}

pub(super) fn accepts_any_password(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let page = start(s, MOCK_REDIRECT_URI, None);
        let answer = log_in(s, &page, "not-the-password");
        String::from_utf8_lossy(&answer.body).into_owned()
    });
    assert!(
        conforming.contains("Wrong username or password"),
        "{conforming}"
    );
    assert!(
        faulty.contains(super::super::login_pages::CSRF_FIELD),
        "the consent page: {faulty}"
    );
    // The right password still works.
    let mut faulty = mock("401go", Some(fault));
    let (_, params) = redirected(&authorize(&mut faulty, MOCK_REDIRECT_URI, None, true));
    assert!(param(&params, "code").is_some());
}

pub(super) fn login_answered_307(fault: ServerFault) {
    let (conforming, faulty) = both("401go", fault, |s| {
        let page = start(s, MOCK_REDIRECT_URI, None);
        log_in(s, &page, PASSWORD)
    });
    assert_eq!(conforming.status, 200, "the consent page");
    assert_eq!(faulty.status, 307);
    let path = authorize_path(&mock("401go", None));
    assert_eq!(
        faulty.get_header("location"),
        Some(format!("{path}continue").as_str())
    );
    // A wrong password is still refused with the form.
    let mut faulty = mock("401go", Some(fault));
    let page = start(&mut faulty, MOCK_REDIRECT_URI, None);
    assert_eq!(log_in(&mut faulty, &page, "wrong").status, 200);
}

pub(super) fn issues_code_without_required_challenge(fault: ServerFault) {
    // rfc6749 declares that the server requires PKCE.
    let (conforming, faulty) = both("rfc6749", fault, |s| start(s, MOCK_REDIRECT_URI, None));
    let (target, params) = redirected(&conforming);
    assert_eq!(target, MOCK_REDIRECT_URI);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
    assert_eq!(faulty.status, 200, "the login page");
    // With a challenge, both go on to the login page.
    let challenge = crate::client::authorize::s256(VERIFIER);
    let mut faulty = mock("rfc6749", Some(fault));
    assert_eq!(
        start(&mut faulty, MOCK_REDIRECT_URI, Some(&challenge)).status,
        200
    );
    assert_eq!(fault.proof_profile(), "rfc6749");
}
