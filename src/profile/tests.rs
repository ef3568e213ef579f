use super::*;

#[test]
fn every_built_in_profile_loads() {
    for (name, _) in BUILT_IN {
        let profile = Profile::load(name).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&profile.name, name);
    }
}

#[test]
fn built_in_profiles_say_what_the_guides_say() {
    let p = Profile::load("401go").unwrap();
    assert_eq!(p.token.path, "/api/o/token/");
    assert_eq!(p.token.client_auth, ClientAuth::Basic);
    assert_eq!(p.token.encoding, Encoding::Form);
    assert_eq!(p.token.expected_lifetime_s, Some(3600));
    assert_eq!(p.api.unwrap().content_type, "application/json");

    let p = Profile::load("json-body").unwrap();
    assert_eq!(p.token.client_auth, ClientAuth::Json);
    assert_eq!(p.token.encoding, Encoding::Json);
    assert!(p.token.read_jwt_exp);
    assert_eq!(p.api.unwrap().content_type, "application/vnd.api+json");

    let p = Profile::load("login3").unwrap();
    assert_eq!(p.token.client_auth, ClientAuth::Post);
    assert_eq!(p.token.expected_lifetime_s, Some(86400));
    assert_eq!(p.audience(), Some("https://api.login3.mock.test/"));
    assert_eq!(p.token.optional_params, vec!["organization".to_owned()]);
}

#[test]
fn a_wider_scope_adds_what_the_grant_lacks() {
    let p = Profile::load("401go").unwrap();
    assert_eq!(
        wider_scope(Some("participant:read"), &p).as_deref(),
        Some("participant:read read write")
    );
    assert_eq!(
        wider_scope(Some("read write"), &p).as_deref(),
        Some("read write admin")
    );
    // A grant of unknown scope may hold all of token.scope (the server's
    // default): only the scope the client may not have is surely wider.
    assert_eq!(wider_scope(None, &p).as_deref(), Some("admin"));
    let mut without = p.clone();
    without.token.denied_scope = None;
    assert_eq!(wider_scope(None, &without), None);
    assert!(wider_scope(Some("participant:read"), &without).is_some());
}

#[test]
fn unknown_name_lists_the_built_ins() {
    let err = Profile::load("nope").unwrap_err().to_string();
    assert!(err.contains("401go, json-body, login3, rfc6749"), "{err}");
}

#[test]
fn missing_file_names_the_path() {
    let err = Profile::load("does/not/exist.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("does/not/exist.toml"), "{err}");
}

fn broken(replace: &str, with: &str) -> String {
    let text = BUILT_IN[0].1.replace(replace, with);
    assert_ne!(text, BUILT_IN[0].1, "test edit {replace:?} did not apply");
    Profile::from_toml(&text, "my/profile.toml")
        .unwrap_err()
        .to_string()
}

#[test]
fn bad_enum_value_names_file_field_and_allowed_values() {
    let err = broken("client_auth = \"basic\"", "client_auth = \"digest\"");
    assert!(err.contains("my/profile.toml"), "{err}");
    assert!(err.contains("client_auth"), "{err}");
    assert!(
        err.contains("basic") && err.contains("post") && err.contains("json"),
        "{err}"
    );
}

#[test]
fn unknown_field_is_refused() {
    let err = broken("expected_lifetime_s", "expected_lifetime_seconds");
    assert!(err.contains("expected_lifetime_seconds"), "{err}");
    assert!(err.contains("expected_lifetime_s"), "{err}");
}

#[test]
fn relative_path_is_refused() {
    let err = broken("path = \"/api/o/token/\"", "path = \"api/o/token/\"");
    assert!(err.contains("token.path") && err.contains("'/'"), "{err}");
}

#[test]
fn inconsistent_auth_and_encoding_is_refused() {
    let err = broken("client_auth = \"basic\"", "client_auth = \"json\"");
    assert!(err.contains("token.encoding"), "{err}");
}

#[test]
fn syntax_error_gives_a_line() {
    let err = Profile::from_toml("name = \n", "x.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.toml") && err.contains("line 1"), "{err}");
}
