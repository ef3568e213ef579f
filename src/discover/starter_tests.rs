//! Every rendering parses as a profile, and says what the metadata says.

use serde_json::Value;
use url::Url;

use super::Discovered;
use super::starter::*;
use crate::client::metadata::ServerMetadata;
use crate::client::well_known::Rule;
use crate::profile::{ClientAuth, Grant, Need, Profile};

fn discovered(given: &str, at: &str, rule: Rule, json: &str) -> Discovered {
    let Value::Object(doc) = serde_json::from_str(json).unwrap() else {
        panic!("not an object")
    };
    Discovered {
        given: Url::parse(given).unwrap(),
        url: Url::parse(at).unwrap(),
        rule,
        metadata: ServerMetadata::from_document(&doc),
    }
}

/// Renders and parses: the text must be a valid profile.
fn profile(d: &Discovered) -> (String, Profile) {
    let text = render(d, "acme").unwrap();
    let parsed =
        Profile::from_toml(&text, "discovered.toml").unwrap_or_else(|e| panic!("{e}\n---\n{text}"));
    (text, parsed)
}

/// Django OAuth Toolkit's document, as the sandbox serves it.
const DOT: &str = r#"{
    "issuer": "http://127.0.0.1:8765/api/o",
    "authorization_endpoint": "http://127.0.0.1:8765/api/o/authorize/",
    "token_endpoint": "http://127.0.0.1:8765/api/o/token/",
    "response_types_supported": ["code", "token"],
    "grant_types_supported": ["authorization_code", "implicit", "password", "client_credentials", "refresh_token"],
    "scopes_supported": ["read", "write"],
    "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
    "code_challenge_methods_supported": ["plain", "S256"]
}"#;

#[test]
fn a_server_with_an_issuer_path_gets_its_endpoints_as_paths_and_every_grant() {
    let d = discovered(
        "http://127.0.0.1:8765/api/o",
        "http://127.0.0.1:8765/api/o/.well-known/oauth-authorization-server",
        Rule::Appended,
        DOT,
    );
    let (text, p) = profile(&d);
    assert_eq!(p.name, "acme");
    assert_eq!(p.issuer.as_deref(), Some("http://127.0.0.1:8765/api/o"));
    assert_eq!(p.token.path, "/api/o/token/");
    assert_eq!(p.token.client_auth, ClientAuth::Basic, "Basic is preferred");
    assert_eq!(
        p.grants(),
        vec![
            Grant::ClientCredentials,
            Grant::AuthorizationCode,
            Grant::RefreshToken
        ]
    );
    let ac = p.authorization_code.as_ref().unwrap();
    assert_eq!(ac.authorize_path, "/api/o/authorize/");
    // No revocation_endpoint in the document: commented, naming the field.
    assert_eq!(p.revocation_path, None);
    assert!(text.contains("# revocation_path = "), "{text}");
    assert!(ac.pkce);
    assert_eq!(ac.default_scope.as_deref(), Some("read"));
    assert!(ac.refresh_tokens);
    assert!(ac.extra_params.is_empty());
    assert_eq!(p.jwks, None);
    assert!(text.contains("WARNING: found at"), "{text}");
    for need in [
        Need::ClientCredentials,
        Need::AuthorizationCode,
        Need::RefreshToken,
        Need::Pkce,
        Need::Issuer,
    ] {
        assert_eq!(p.lacks(need), None, "{need:?}");
    }
    for (need, field) in [
        (Need::Api, "[api]"),
        (Need::Scope, "token.scope"),
        (Need::DeniedScope, "token.denied_scope"),
        (Need::DocumentedLifetime, "token.expected_lifetime_s"),
        (Need::Accounts, "authorization_code.accounts"),
        (Need::ConnectionSuccess, "connection_success_path"),
    ] {
        let why = p.lacks(need).unwrap();
        assert!(why.contains(field), "{need:?}: {why}");
        assert!(
            text.contains(
                field
                    .trim_start_matches("token.")
                    .trim_start_matches("authorization_code.")
                    .trim_matches(['[', ']'])
            ),
            "{field} is not in\n{text}"
        );
    }
}

/// oidc-provider's document, shortened.
const OIDC: &str = r#"{
    "issuer": "http://127.0.0.1:8766",
    "authorization_endpoint": "http://127.0.0.1:8766/auth",
    "token_endpoint": "http://127.0.0.1:8766/token",
    "jwks_uri": "http://127.0.0.1:8766/jwks",
    "revocation_endpoint": "http://127.0.0.1:8766/token/revocation",
    "introspection_endpoint": "http://127.0.0.1:8766/token/introspection",
    "response_types_supported": ["code", "id_token", "code id_token"],
    "grant_types_supported": ["implicit", "authorization_code", "refresh_token", "client_credentials"],
    "scopes_supported": ["openid", "offline_access"],
    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_jwt", "client_secret_post", "private_key_jwt", "none"],
    "code_challenge_methods_supported": ["S256"],
    "authorization_response_iss_parameter_supported": true
}"#;

#[test]
fn refresh_tokens_with_offline_access_ask_for_it_with_consent() {
    let d = discovered(
        "http://127.0.0.1:8766",
        "http://127.0.0.1:8766/.well-known/oauth-authorization-server",
        Rule::Rfc8414,
        OIDC,
    );
    let (text, p) = profile(&d);
    assert!(!text.contains("WARNING"), "{text}");
    assert_eq!(p.jwks.as_deref(), Some("/jwks"));
    assert_eq!(p.token.path, "/token");
    // RFC 7009 / RFC 7662 endpoints from the metadata: their scenarios run.
    assert_eq!(p.revocation_path.as_deref(), Some("/token/revocation"));
    assert_eq!(
        p.introspection_path.as_deref(),
        Some("/token/introspection")
    );
    assert_eq!(p.lacks(Need::Revocation), None);
    assert_eq!(p.lacks(Need::Introspection), None);
    let ac = p.authorization_code.clone().unwrap();
    assert_eq!(ac.default_scope.as_deref(), Some("openid offline_access"));
    assert_eq!(
        ac.extra_params.get("prompt").map(String::as_str),
        Some("consent")
    );
    assert!(ac.pkce);
    // RFC 9207 from the metadata: the iss scenarios run.
    assert!(ac.iss_parameter_supported);
    assert_eq!(p.lacks(Need::IssParameter), None);
}

#[test]
fn a_bare_document_gets_rfc_8414s_defaults_and_comments_for_the_rest() {
    let d = discovered(
        "https://as.example",
        "https://as.example/.well-known/oauth-authorization-server",
        Rule::Rfc8414,
        r#"{"issuer":"https://as.example","token_endpoint":"https://as.example/token",
            "authorization_endpoint":"https://as.example/authorize"}"#,
    );
    let (text, p) = profile(&d);
    // Default grant types: authorization_code and implicit; the suite drives the first.
    assert_eq!(p.grants(), vec![Grant::AuthorizationCode]);
    assert_eq!(p.token.client_auth, ClientAuth::Basic);
    let ac = p.authorization_code.as_ref().unwrap();
    assert!(!ac.pkce, "no code_challenge_methods_supported: no PKCE");
    assert!(!ac.refresh_tokens);
    assert_eq!(ac.default_scope, None);
    // No scopes_supported: the code flow still runs, asking for no scope
    // (RFC 6749 §4.1.1: OPTIONAL).
    assert_eq!(p.lacks(Need::AuthorizationCode), None);
    assert!(text.contains("# default_scope = "), "{text}");
    assert!(
        text.contains("# optional: the scope authorization requests ask for"),
        "{text}"
    );
    assert!(p.lacks(Need::ClientCredentials).is_some());
    assert!(text.contains("# jwks = "), "{text}");
}

#[test]
fn client_secret_post_alone_gives_post_and_neither_gives_a_note() {
    let post = discovered(
        "https://as.example",
        "https://as.example/.well-known/oauth-authorization-server",
        Rule::Rfc8414,
        r#"{"issuer":"https://as.example","token_endpoint":"https://as.example/token",
            "grant_types_supported":["client_credentials"],
            "token_endpoint_auth_methods_supported":["client_secret_post","private_key_jwt"]}"#,
    );
    let (text, p) = profile(&post);
    assert_eq!(p.token.client_auth, ClientAuth::Post);
    assert!(text.contains("No [authorization_code]"), "{text}");
    let jwt_only = discovered(
        "https://as.example",
        "https://as.example/.well-known/oauth-authorization-server",
        Rule::Rfc8414,
        r#"{"issuer":"https://as.example","token_endpoint":"https://as.example/token",
            "token_endpoint_auth_methods_supported":["private_key_jwt"]}"#,
    );
    let (text, _) = profile(&jwt_only);
    assert!(
        text.contains("CHECK: token_endpoint_auth_methods_supported: private_key_jwt"),
        "{text}"
    );
}

#[test]
fn endpoints_elsewhere_are_written_as_published_and_paths_stay_paths() {
    let doc = |token: &str, authorize: &str| {
        discovered(
            "https://as.example/t1",
            "https://as.example/.well-known/oauth-authorization-server/t1",
            Rule::Rfc8414,
            &format!(
                r#"{{"issuer":"https://as.example/t1","token_endpoint":"{token}",
                    "authorization_endpoint":"{authorize}","scopes_supported":["a \"quoted\" scope"],
                    "jwks_uri":"https://keys.example/jwks"}}"#
            ),
        )
    };
    // One of the largest providers: the token endpoint on another host
    // than the authorization endpoint.
    let (text, p) = profile(&doc("https://other.example/token", "https://as.example/a"));
    assert_eq!(p.token.path, "https://other.example/token");
    assert_eq!(p.authorization_code.as_ref().unwrap().authorize_path, "/a");
    assert!(
        text.contains("#   https://other.example (token_endpoint)"),
        "the header lists the other origins: {text}"
    );
    assert!(
        text.contains("#   https://keys.example (jwks_uri)"),
        "{text}"
    );
    let (text, p) = profile(&doc(
        "https://as.example/t1/token?tenant=1",
        "https://login.example/a",
    ));
    assert_eq!(p.token.path, "/t1/token?tenant=1", "a path, as before");
    assert_eq!(
        p.authorization_code.as_ref().unwrap().authorize_path,
        "https://login.example/a"
    );
    assert!(
        text.contains("#   https://login.example (authorization_endpoint)"),
        "{text}"
    );
    assert!(
        !text.contains("#   https://as.example ("),
        "the target is not listed: {text}"
    );
    assert_eq!(p.jwks.as_deref(), Some("https://keys.example/jwks"));
    let no_token = discovered(
        "https://as.example",
        "https://as.example/.well-known/oauth-authorization-server",
        Rule::Rfc8414,
        r#"{"issuer":"https://as.example","grant_types_supported":["implicit"]}"#,
    );
    assert!(matches!(
        render(&no_token, "x"),
        Err(StarterError::NoTokenEndpoint { .. })
    ));
}

/// A popular mock server: reached as 127.0.0.1, it names itself localhost.
#[test]
fn a_server_reached_by_address_that_names_itself_localhost_gets_absolute_endpoints() {
    let d = discovered(
        "http://127.0.0.1:8794",
        "http://127.0.0.1:8794/.well-known/openid-configuration",
        Rule::OpenId,
        r#"{"issuer":"http://localhost:8794","token_endpoint":"http://localhost:8794/token",
            "authorization_endpoint":"http://localhost:8794/authorize",
            "jwks_uri":"http://localhost:8794/jwks","scopes_supported":["openid"],
            "grant_types_supported":["authorization_code","client_credentials"],
            "code_challenge_methods_supported":["S256"]}"#,
    );
    let (text, p) = profile(&d);
    assert_eq!(p.token.path, "http://localhost:8794/token");
    let ac = p.authorization_code.as_ref().unwrap();
    assert_eq!(ac.authorize_path, "http://localhost:8794/authorize");
    assert_eq!(p.jwks.as_deref(), Some("http://localhost:8794/jwks"));
    assert!(
        text.contains(
            "#   http://localhost:8794 (token_endpoint, authorization_endpoint, jwks_uri)"
        ),
        "{text}"
    );
    assert!(
        text.contains("OAUTH_CONFORMANCE_TARGET=http://127.0.0.1:8794"),
        "{text}"
    );
    for need in [Need::ClientCredentials, Need::AuthorizationCode, Need::Pkce] {
        assert_eq!(p.lacks(need), None, "{need:?}");
    }
    let target = Url::parse("http://127.0.0.1:8794/").unwrap();
    assert!(
        p.endpoints(&target)
            .iter()
            .all(|(_, url)| url.host_str() == Some("localhost")),
        "every endpoint where the metadata puts it"
    );
}

#[test]
fn a_quoted_scope_stays_one_string_and_names_must_make_tags() {
    let d = discovered(
        "https://as.example",
        "https://as.example/.well-known/oauth-authorization-server",
        Rule::Rfc8414,
        r#"{"issuer":"https://as.example","token_endpoint":"/token","authorization_endpoint":"/authorize",
            "scopes_supported":["a \"quoted\" scope"]}"#,
    );
    let (_, p) = profile(&d);
    assert_eq!(
        p.token.path, "/token",
        "relative endpoints resolve against the metadata URL"
    );
    assert_eq!(
        p.authorization_code.unwrap().default_scope.as_deref(),
        Some("a \"quoted\" scope")
    );
    for bad in ["", "my server", "@acme"] {
        assert_eq!(render(&d, bad), Err(StarterError::BadName(bad.to_owned())));
    }
}
