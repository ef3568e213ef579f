//! The mock's authorization server metadata (RFC 8414): what its profile
//! documents, served at the well-known URI of its issuer (§3.1). The mock's
//! issuer identifier is its own base URL, known only once it listens: no
//! profile can name it, so on the mock every profile has metadata (see
//! `Need::Issuer`).

use super::faults::ServerFault;
use super::http::{MockRequest, MockResponse};
use super::jwt::JWKS_PATH;
use super::state::MockState;
use crate::client::well_known::{OAUTH_SUFFIX, OPENID_SUFFIX};
use crate::profile::{ClientAuth, Grant};

/// The scope a faulty mock lists while its token endpoint refuses it.
pub const UNKNOWN_LISTED_SCOPE: &str = "conformance:listed-but-unknown";

/// The path of the metadata of an issuer without a path (RFC 8414 §3.1).
pub fn path() -> String {
    format!("/.well-known/{OAUTH_SUFFIX}")
}

/// The mock's issuer identifier: its base URL, or (when it breaks
/// RFC 8414 §2's rule) that URL with a query component.
pub fn issuer(state: &MockState) -> String {
    if state.breaks(ServerFault::IssuerWithQuery) {
        format!("{}/?tenant=conformance", state.base_url)
    } else {
        state.base_url.clone()
    }
}

/// The path of OpenID Connect discovery's configuration of an issuer
/// without a path (Discovery 1.0 §4.1).
pub fn openid_path() -> String {
    format!("/.well-known/{OPENID_SUFFIX}")
}

/// `GET /.well-known/oauth-authorization-server`: the metadata document,
/// 200 `application/json` (§3.2); 404 on a mock that publishes only
/// OpenID Connect discovery.
pub fn handle(state: &mut MockState, _req: &MockRequest) -> MockResponse {
    if state.publication.openid_only {
        return not_found();
    }
    served(state)
}

/// `GET /.well-known/openid-configuration`: on a mock that publishes only
/// OpenID Connect discovery, the same document with the members
/// Discovery 1.0 §3 adds as REQUIRED; otherwise 404, as before.
pub fn handle_openid(state: &mut MockState, _req: &MockRequest) -> MockResponse {
    if !state.publication.openid_only {
        return not_found();
    }
    served(state)
}

fn not_found() -> MockResponse {
    MockResponse::json(404, &serde_json::json!({"error": "not_found"}))
}

fn served(state: &MockState) -> MockResponse {
    let response = MockResponse::json(200, &document(state));
    if state.breaks(ServerFault::MetadataAsHtml) {
        response.replace_header("content-type", "text/html; charset=utf-8")
    } else {
        response
    }
}

/// The client authentication methods the mock's token endpoint accepts:
/// HTTP Basic from any client (RFC 6749 §2.3.1: the server MUST support
/// it), and the method the profile documents for each grant. A faulty mock
/// leaves Basic out while accepting it.
fn auth_methods(state: &MockState) -> Vec<&'static str> {
    let profile = &state.profile;
    let mut methods = vec!["client_secret_basic"];
    let mut grants = vec!["client_credentials"];
    if profile.authorization_code.is_some() {
        grants.push("authorization_code");
    }
    for grant in grants {
        // Credentials in a body are read from a form as from JSON: a
        // profile that documents the JSON body is accepted in the form too.
        let method = profile.client_auth_for(grant);
        let body = match method {
            ClientAuth::Json => vec!["client_secret_post", method.registered_name()],
            _ => vec![method.registered_name()],
        };
        for method in body {
            if !methods.contains(&method) {
                methods.push(method);
            }
        }
    }
    if state.breaks(ServerFault::MetadataLeavesOutBasic) {
        methods.retain(|m| *m != "client_secret_basic");
    }
    methods
}

/// The grant types the document lists: the profile's, or (a faulty mock)
/// authorization_code and implicit while it issues client credentials
/// tokens.
fn grant_types(state: &MockState) -> Vec<&'static str> {
    if state.breaks(ServerFault::MetadataListsImplicitNotClientCredentials) {
        return vec!["authorization_code", "implicit"];
    }
    state.profile.grants().iter().map(|g| g.as_str()).collect()
}

/// The document: the profile's endpoints, grants, client authentication,
/// scopes and PKCE, with the faults' changes.
fn document(state: &MockState) -> serde_json::Value {
    let profile = &state.profile;
    let base = &endpoint_base(state);
    let issuer = if state.breaks(ServerFault::MetadataNamesAnotherIssuer) {
        format!("{}/another-tenant", state.base_url)
    } else {
        issuer(state)
    };
    let mut doc = serde_json::json!({
        "issuer": issuer,
        "token_endpoint": if state.breaks(ServerFault::MetadataListsTokenEndpointElsewhere) {
            format!("{base}/moved{}", profile.token.path)
        } else {
            format!("{base}{}", profile.token.path)
        },
        "jwks_uri": format!("{base}{JWKS_PATH}"),
        "grant_types_supported": grant_types(state),
        "token_endpoint_auth_methods_supported": auth_methods(state),
    });
    // RFC 7009 §4 / RFC 7662 §4 metadata (RFC 8414 §2): the mock serves
    // both endpoints for every profile (see `Profile::for_mock`).
    for (member, path) in [
        ("revocation_endpoint", &profile.revocation_path),
        ("introspection_endpoint", &profile.introspection_path),
    ] {
        if let Some(path) = path {
            doc[member] = format!("{base}{path}").into();
        }
    }
    // RFC 9207 §3: the server says it names itself in its authorization
    // responses (§2.3 asks for this member where it does).
    if profile
        .authorization_code
        .as_ref()
        .is_some_and(|ac| ac.iss_parameter_supported)
    {
        doc["authorization_response_iss_parameter_supported"] = true.into();
    }
    if state.lists_scopes && !profile.mock.scopes.is_empty() {
        let mut scopes = profile.mock.scopes.clone();
        if state.breaks(ServerFault::MetadataListsScopeItRefuses) {
            scopes.push(UNKNOWN_LISTED_SCOPE.to_owned());
        }
        doc["scopes_supported"] = scopes.into();
    }
    // REQUIRED by §2 even where the server has no authorization endpoint,
    // while §3.2 omits empty arrays: a server without the code flow can
    // satisfy only one, and the mock keeps the REQUIRED member.
    let response_types: Vec<&str> = match &profile.authorization_code {
        Some(ac) if profile.has_grant(Grant::AuthorizationCode) => {
            doc["authorization_endpoint"] = format!("{base}{}", ac.authorize_path).into();
            doc["code_challenge_methods_supported"] =
                if state.breaks(ServerFault::MetadataListsPlainItRefuses) {
                    serde_json::json!(["S256", "plain"])
                } else {
                    serde_json::json!(["S256"])
                };
            if state.breaks(ServerFault::MetadataListsGrantsAsResponseTypes) {
                vec!["code", "authorization_code", "client_credentials"]
            } else if state.breaks(ServerFault::MetadataListsTokenItRefuses) {
                // The implicit grant's response type, which the
                // authorization endpoint answers unsupported_response_type.
                vec!["code", "token"]
            } else {
                vec!["code"]
            }
        }
        _ => Vec::new(),
    };
    if !state.breaks(ServerFault::MetadataWithoutResponseTypes) {
        doc["response_types_supported"] = response_types.into();
    }
    if state.publication.openid_only {
        doc["subject_types_supported"] = serde_json::json!(["public"]);
        doc["id_token_signing_alg_values_supported"] = serde_json::json!(["RS256"]);
    }
    doc
}

/// Where the document says the endpoints are: the mock's base URL, or the
/// same port under the host name [`super::state::Publication`] gives.
fn endpoint_base(state: &MockState) -> String {
    let Some(host) = &state.publication.endpoint_host else {
        return state.base_url.clone();
    };
    let Ok(mut url) = url::Url::parse(&state.base_url) else {
        return state.base_url.clone();
    };
    match url.set_host(Some(host)) {
        Ok(()) => url.as_str().trim_end_matches('/').to_owned(),
        Err(_) => state.base_url.clone(),
    }
}

/// The proofs that each metadata fault changes the mock (run, with every
/// other fault's, by `server_fault_tests`), and the document's own tests.
#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::clock::Clock;
    use crate::profile::Profile;

    fn state(profile: &str, fault: Option<ServerFault>) -> MockState {
        let mut state = MockState::new(Profile::load(profile).unwrap(), Clock::manual());
        state.base_url = "http://127.0.0.1:4000".into();
        state.faults.broken_rule = fault;
        state
    }

    fn served(state: &mut MockState) -> (MockResponse, serde_json::Value) {
        let response = handle(state, &MockRequest::default());
        let doc = serde_json::from_slice(&response.body).unwrap();
        (response, doc)
    }

    /// The conforming and the faulty mock's metadata, for 401go.
    fn both(fault: ServerFault) -> [(MockResponse, serde_json::Value); 2] {
        [None, Some(fault)].map(|f| served(&mut state("401go", f)))
    }

    /// Asserts one member of the conforming and of the faulty document.
    fn member_in_both(
        fault: ServerFault,
        member: &str,
        conforming: serde_json::Value,
        faulty: serde_json::Value,
    ) {
        let [(_, c), (_, f)] = both(fault);
        assert_eq!(c[member], conforming, "the conforming mock's {member}");
        assert_eq!(f[member], faulty, "the faulty mock's {member}");
    }

    #[test]
    fn the_document_says_what_the_profile_documents() {
        let (response, doc) = served(&mut state("401go", None));
        assert_eq!(response.status, 200);
        assert_eq!(
            response.get_header("content-type"),
            Some("application/json")
        );
        assert_eq!(doc["issuer"], "http://127.0.0.1:4000");
        assert_eq!(doc["token_endpoint"], "http://127.0.0.1:4000/api/o/token/");
        assert_eq!(
            doc["authorization_endpoint"],
            "http://127.0.0.1:4000/api/o/authorize/"
        );
        assert_eq!(
            doc["token_endpoint_auth_methods_supported"],
            serde_json::json!(["client_secret_basic", "client_secret_post"])
        );
        assert_eq!(
            doc["grant_types_supported"],
            serde_json::json!(["client_credentials", "authorization_code", "refresh_token"])
        );
        assert_eq!(doc["response_types_supported"], serde_json::json!(["code"]));
        let (_, cc_only) = served(&mut state("login3", None));
        assert_eq!(cc_only["response_types_supported"], serde_json::json!([]));
        assert!(cc_only.get("authorization_endpoint").is_none());
    }

    #[test]
    fn scopes_are_listed_unless_the_mock_is_told_to_leave_them_out() {
        let mut listing = state("rfc6749", None);
        let (_, doc) = served(&mut listing);
        assert_eq!(
            doc["scopes_supported"],
            serde_json::json!(["read", "write"])
        );
        listing.lists_scopes = false;
        let (_, doc) = served(&mut listing);
        assert!(doc.get("scopes_supported").is_none(), "{doc}");
        assert!(doc.get("authorization_endpoint").is_some());
    }

    #[test]
    fn endpoints_may_be_named_under_another_host_name_on_the_same_port() {
        let mut state = state("401go", None);
        state.publication.endpoint_host = Some("localhost".into());
        let (_, doc) = served(&mut state);
        assert_eq!(doc["issuer"], "http://127.0.0.1:4000", "reached there");
        assert_eq!(doc["token_endpoint"], "http://localhost:4000/api/o/token/");
        assert_eq!(
            doc["authorization_endpoint"],
            "http://localhost:4000/api/o/authorize/"
        );
        assert_eq!(
            doc["jwks_uri"],
            "http://localhost:4000/.well-known/jwks.json"
        );
    }

    #[test]
    fn an_openid_only_mock_answers_404_at_the_rfc_8414_uri() {
        let mut conforming = state("401go", None);
        assert_eq!(
            handle_openid(&mut conforming, &MockRequest::default()).status,
            404
        );
        let mut openid = state("401go", None);
        openid.publication.openid_only = true;
        assert_eq!(handle(&mut openid, &MockRequest::default()).status, 404);
        let answer = handle_openid(&mut openid, &MockRequest::default());
        assert_eq!(answer.status, 200);
        let doc: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(doc["issuer"], "http://127.0.0.1:4000");
        assert_eq!(
            doc["subject_types_supported"],
            serde_json::json!(["public"])
        );
    }

    pub(in crate::mock) fn metadata_as_html(fault: ServerFault) {
        let [(conforming, _), (faulty, doc)] = both(fault);
        assert_eq!(
            conforming.get_header("content-type"),
            Some("application/json")
        );
        assert_eq!(
            faulty.get_header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(doc["issuer"], "http://127.0.0.1:4000", "still the document");
    }

    pub(in crate::mock) fn names_another_issuer(fault: ServerFault) {
        let [(_, conforming), (_, faulty)] = both(fault);
        assert_eq!(conforming["issuer"], "http://127.0.0.1:4000");
        assert_eq!(faulty["issuer"], "http://127.0.0.1:4000/another-tenant");
    }

    pub(in crate::mock) fn without_response_types(fault: ServerFault) {
        let [(_, conforming), (_, faulty)] = both(fault);
        assert_eq!(
            conforming["response_types_supported"],
            serde_json::json!(["code"])
        );
        assert!(faulty.get("response_types_supported").is_none());
        assert!(faulty.get("issuer").is_some());
    }

    pub(in crate::mock) fn issuer_with_query(fault: ServerFault) {
        let mut faulty = state("401go", Some(fault));
        let [(_, conforming), _] = both(fault);
        assert_eq!(conforming["issuer"], "http://127.0.0.1:4000");
        assert_eq!(issuer(&faulty), "http://127.0.0.1:4000/?tenant=conformance");
        let (_, doc) = served(&mut faulty);
        assert_eq!(
            doc["issuer"],
            issuer(&faulty),
            "the issuer it says is its own"
        );
    }

    pub(in crate::mock) fn lists_implicit_not_client_credentials(fault: ServerFault) {
        let [(_, conforming), (_, faulty)] = both(fault);
        assert!(
            conforming["grant_types_supported"]
                .as_array()
                .unwrap()
                .contains(&"client_credentials".into())
        );
        assert_eq!(
            faulty["grant_types_supported"],
            serde_json::json!(["authorization_code", "implicit"])
        );
    }

    pub(in crate::mock) fn lists_grants_as_response_types(fault: ServerFault) {
        member_in_both(
            fault,
            "response_types_supported",
            serde_json::json!(["code"]),
            serde_json::json!(["code", "authorization_code", "client_credentials"]),
        );
    }

    pub(in crate::mock) fn lists_token_it_refuses(fault: ServerFault) {
        member_in_both(
            fault,
            "response_types_supported",
            serde_json::json!(["code"]),
            serde_json::json!(["code", "token"]),
        );
    }

    pub(in crate::mock) fn lists_token_endpoint_elsewhere(fault: ServerFault) {
        member_in_both(
            fault,
            "token_endpoint",
            "http://127.0.0.1:4000/api/o/token/".into(),
            "http://127.0.0.1:4000/moved/api/o/token/".into(),
        );
        let [(_, conforming), (_, faulty)] = both(fault);
        assert_eq!(conforming["jwks_uri"], faulty["jwks_uri"]);
    }

    pub(in crate::mock) fn lists_plain_it_refuses(fault: ServerFault) {
        member_in_both(
            fault,
            "code_challenge_methods_supported",
            serde_json::json!(["S256"]),
            serde_json::json!(["S256", "plain"]),
        );
    }

    pub(in crate::mock) fn leaves_out_basic(fault: ServerFault) {
        member_in_both(
            fault,
            "token_endpoint_auth_methods_supported",
            serde_json::json!(["client_secret_basic", "client_secret_post"]),
            serde_json::json!(["client_secret_post"]),
        );
    }

    pub(in crate::mock) fn lists_scope_it_refuses(fault: ServerFault) {
        let [(_, conforming), (_, faulty)] = both(fault);
        let listed = |doc: &serde_json::Value| {
            doc["scopes_supported"]
                .as_array()
                .unwrap()
                .contains(&UNKNOWN_LISTED_SCOPE.into())
        };
        assert!(!listed(&conforming));
        assert!(listed(&faulty));
    }
}
