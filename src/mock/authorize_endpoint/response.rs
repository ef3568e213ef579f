//! The redirects back to the client (RFC 6749 §4.1.2, §4.1.2.1): the code
//! or the error, with the client's state, in the query component; each
//! rule bent here by its [`ServerFault`].

use super::super::faults::ServerFault;
use super::super::http::MockResponse;
use super::super::state::MockState;

/// The `iss` a server that says it supports RFC 9207 adds to every
/// authorization response (§2): its issuer identifier, as its metadata
/// names it (§2.3); `None` for a profile that does not say so.
fn iss(state: &MockState) -> Option<String> {
    state
        .profile
        .authorization_code
        .as_ref()
        .is_some_and(|ac| ac.iss_parameter_supported)
        .then(|| super::super::metadata::issuer(state))
}

pub(super) fn redirect(redirect_uri: &str, params: &[(&str, &str)]) -> MockResponse {
    let mut url = redirect_uri.to_owned();
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    url.push(if url.contains('?') { '&' } else { '?' });
    url.push_str(&query);
    MockResponse {
        status: 302,
        headers: vec![("location".into(), url)],
        body: Vec::new(),
    }
}

/// An error redirect (RFC 6749 §4.1.2.1): the error, and the client's state
/// unchanged, unless the server drops it. A faulty server quotes its
/// description with `"`, outside the characters §4.1.2.1 allows.
pub(super) fn error_redirect(
    state: &MockState,
    redirect_uri: &str,
    error: &str,
    description: &str,
    client_state: Option<&str>,
) -> MockResponse {
    let quoted = format!("\"{description}\"");
    let description = match state.breaks(ServerFault::QuoteInAuthorizationError) {
        true => quoted.as_str(),
        false => description,
    };
    let mut params = vec![("error", error), ("error_description", description)];
    if let Some(client_state) = client_state
        && !state.breaks(ServerFault::DropsStateOnError)
    {
        params.push(("state", client_state));
    }
    let issuer = iss(state).filter(|_| !state.breaks(ServerFault::DropsIssOnError));
    params.extend(issuer.as_deref().map(|i| ("iss", i)));
    let mut answer = redirect(redirect_uri, &params);
    if state.errors_in_fragment {
        move_to_fragment(&mut answer, redirect_uri);
    }
    answer
}

/// The success redirect (RFC 6749 §4.1.2): the code, and the client's state
/// unchanged, unless the server alters it.
pub(super) fn code_redirect(
    state: &MockState,
    redirect_uri: &str,
    code: &str,
    client_state: Option<&str>,
) -> MockResponse {
    let echoed = client_state.map(|s| {
        if state.breaks(ServerFault::AltersState) {
            format!("{s}x")
        } else {
            s.to_owned()
        }
    });
    let mut params = vec![("code", code)];
    params.extend(echoed.as_deref().map(|s| ("state", s)));
    if state.breaks(ServerFault::RepeatsStateInRedirects) {
        params.extend(echoed.as_deref().map(|s| ("state", s)));
    }
    // An extension parameter (RFC 6749 §8.2), as real servers add (`iss`,
    // `session_state`): a client MUST ignore what it does not know (§4.1.2).
    params.push(("mock_extension", "ignore-me"));
    let issuer = iss(state);
    params.extend(issuer.as_deref().map(|i| ("iss", i)));
    let mut answer = redirect(redirect_uri, &params);
    if state.breaks(ServerFault::CodeInFragment) {
        // The same parameters, after `#` instead of `?` (a faulty server
        // answers response_type=code as if it were the implicit grant).
        move_to_fragment(&mut answer, redirect_uri);
    }
    answer
}

/// Moves a redirect's response parameters from its query to its fragment.
fn move_to_fragment(answer: &mut MockResponse, redirect_uri: &str) {
    for (name, value) in &mut answer.headers {
        if name == "location" {
            *value = in_fragment(value, redirect_uri);
        }
    }
}

/// `location` (the redirect URI, `?` or `&`, the response parameters) with
/// the response parameters moved to the fragment.
fn in_fragment(location: &str, redirect_uri: &str) -> String {
    let params = &location[redirect_uri.len() + 1..];
    format!("{redirect_uri}#{params}")
}
