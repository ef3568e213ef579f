//! The starter profile `profile discover` prints: what the metadata tells,
//! as profile fields, each with the member it came from; what it cannot
//! tell, as commented lines saying what to fill in. A field left commented
//! never fails a run: the scenarios that need it are skipped, naming it.
//!
//! Written as text rather than serialised, so that the comments sit beside
//! the fields they explain; a unit test parses every rendering with
//! [`crate::profile::Profile::from_toml`].

use url::Url;

use super::Discovered;
use crate::client::metadata::ServerMetadata;
use crate::profile::Grant;

/// The grants the suite drives, in the order a profile lists them.
const KNOWN_GRANTS: [Grant; 3] = [
    Grant::ClientCredentials,
    Grant::AuthorizationCode,
    Grant::RefreshToken,
];

/// Why the metadata cannot make a profile.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StarterError {
    #[error(
        "the profile name {0:?} cannot be used: a name is letters, digits, '-', '_' or '.' (it becomes a tag, @NAME)"
    )]
    BadName(String),
    #[error(
        "the metadata at {url} names no token_endpoint (RFC 8414 §2 allows that only for a server that supports only the implicit grant): the suite tests token endpoints, so a profile would run nothing"
    )]
    NoTokenEndpoint { url: String },
    #[error("the {member} {value:?} in the metadata is not a URL: {detail}")]
    BadEndpoint {
        member: &'static str,
        value: String,
        detail: String,
    },
}

/// A TOML basic string (JSON's escapes are TOML's).
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// `["a", "b"]`.
fn quoted_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(quoted).collect();
    format!("[{}]", items.join(", "))
}

/// `line`, then its comment at a common column.
fn commented(line: &str, comment: &str) -> String {
    format!("{line:<44} # {comment}\n")
}

/// A metadata URL, resolved against the URL the user gave.
fn endpoint(d: &Discovered, member: &'static str, value: &str) -> Result<Url, StarterError> {
    d.url.join(value).map_err(|e| StarterError::BadEndpoint {
        member,
        value: value.to_owned(),
        detail: e.to_string(),
    })
}

/// Where the profile puts an endpoint: a path (and query) when `url` is on
/// the target's origin, else the absolute URL as the metadata publishes it
/// (an endpoint on another origin, see [`crate::profile::endpoints`]).
fn location(d: &Discovered, url: &Url) -> String {
    if url.origin() != d.given.origin() {
        return url.to_string();
    }
    match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The origins other than the target's that the metadata puts the
/// endpoints the profile names on, each with the members naming it.
fn other_origins(d: &Discovered) -> Vec<(String, Vec<&'static str>)> {
    let m = &d.metadata;
    let mut members = vec![("token_endpoint", m.token_endpoint.as_deref())];
    if grants(m).contains(&Grant::AuthorizationCode) {
        members.push((
            "authorization_endpoint",
            m.authorization_endpoint.as_deref(),
        ));
    }
    members.push(("jwks_uri", m.jwks_uri.as_deref()));
    members.push(("revocation_endpoint", m.revocation_endpoint.as_deref()));
    members.push((
        "introspection_endpoint",
        m.introspection_endpoint.as_deref(),
    ));
    let mut out: Vec<(String, Vec<&'static str>)> = Vec::new();
    for (member, value) in members {
        let Some(url) = value.and_then(|v| d.url.join(v).ok()) else {
            continue;
        };
        if url.origin() == d.given.origin() {
            continue;
        }
        let origin = url.origin().ascii_serialization();
        match out.iter_mut().find(|(o, _)| *o == origin) {
            Some((_, names)) => names.push(member),
            None => out.push((origin, vec![member])),
        }
    }
    out
}

/// "MEMBER: a, b", or RFC 8414 §2's default when the member is absent.
fn member_note(member: &str, listed: Option<&Vec<String>>, default: &str) -> String {
    match listed {
        Some(values) => format!("{member}: {}", values.join(", ")),
        None => format!("no {member}: RFC 8414 §2's default, {default}"),
    }
}

/// The grants the metadata lists (RFC 8414's default when it lists none)
/// that the suite drives.
fn grants(m: &ServerMetadata) -> Vec<Grant> {
    let listed = m.grant_types();
    KNOWN_GRANTS
        .into_iter()
        .filter(|g| listed.iter().any(|l| l == g.as_str()))
        .collect()
}

/// Every grant type the metadata lists, as it lists them (RFC 8414's
/// default, named as such, when it lists none).
fn listed_grants(m: &ServerMetadata) -> String {
    match &m.grant_types_supported {
        Some(listed) if listed.is_empty() => "none".to_owned(),
        Some(listed) => listed.join(", "),
        None => "none, so RFC 8414 §2's default: authorization_code, implicit".to_owned(),
    }
}

/// `client_auth` from `token_endpoint_auth_methods_supported`: Basic
/// first, then the form body; with neither, Basic and a note.
fn client_auth(m: &ServerMetadata) -> (&'static str, String) {
    let methods = m.auth_methods();
    let listed = member_note(
        "token_endpoint_auth_methods_supported",
        m.token_endpoint_auth_methods_supported.as_ref(),
        "client_secret_basic",
    );
    let has = |method: &str| methods.iter().any(|m| m == method);
    if has("client_secret_basic") {
        ("basic", listed)
    } else if has("client_secret_post") {
        ("post", listed)
    } else {
        (
            "basic",
            format!("CHECK: {listed}; the suite authenticates with a client secret only"),
        )
    }
}

/// The scope authorization requests ask for: the first listed that is not
/// `offline_access`, then `offline_access` when refresh tokens come with
/// it (OpenID Connect Core 1.0 §11).
fn default_scope(m: &ServerMetadata, refresh: bool) -> Option<(String, bool)> {
    let scopes = m.scopes_supported.as_ref().filter(|s| !s.is_empty())?;
    let offline = refresh && scopes.iter().any(|s| s == "offline_access");
    let mut chosen: Vec<&str> = scopes
        .iter()
        .map(String::as_str)
        .find(|s| *s != "offline_access")
        .into_iter()
        .collect();
    if offline {
        chosen.push("offline_access");
    }
    Some((chosen.join(" "), offline))
}

/// Renders the starter profile named `name` for what was discovered.
pub fn render(d: &Discovered, name: &str) -> Result<String, StarterError> {
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !name_ok {
        return Err(StarterError::BadName(name.to_owned()));
    }
    let m = &d.metadata;
    let token_value = m
        .token_endpoint
        .as_deref()
        .ok_or_else(|| StarterError::NoTokenEndpoint {
            url: d.url.to_string(),
        })?;
    let token_url = endpoint(d, "token_endpoint", token_value)?;
    let mut out = header(d, name);
    out += &token_section(m, &location(d, &token_url));
    out += &code_flow_section(d)?;
    out += API_AND_DEVIATIONS;
    Ok(out)
}

/// The opening comment and the top-level fields.
fn header(d: &Discovered, name: &str) -> String {
    let m = &d.metadata;
    let target = d.given.origin().ascii_serialization();
    let server = m.issuer.clone().unwrap_or_else(|| d.expected_issuer());
    let mut out = format!(
        "# Starter profile for the authorization server {server}, written by\n\
         # `oauth-conformance profile discover` from {} at\n\
         # {}.\n\
         #\n\
         # Run it with OAUTH_CONFORMANCE_TARGET={target} (every path below is on that origin;\n\
         # an absolute URL is an endpoint where the metadata puts it) and the client's\n\
         # OAUTH_CONFORMANCE_* settings (README, \"Run against your sandbox\").\n\
         # Lines marked \"fill in\" are what metadata cannot tell: until you fill them in, the\n\
         # scenarios that need them are skipped, and the reason names the field.\n",
        d.rule.describe(),
        d.url
    );
    let elsewhere = other_origins(d);
    if !elsewhere.is_empty() {
        out += "#\n# Endpoints on other origins than the target, as the metadata publishes them; the\n\
                # client secret goes only to the token endpoint, the password only to the authorization\n\
                # endpoint's origin (README, \"Endpoints on other origins\"):\n";
        for (origin, members) in elsewhere {
            out += &format!("#   {origin} ({})\n", members.join(", "));
        }
    }
    for warning in d.warnings() {
        out += &format!("#\n# WARNING: {warning}.\n");
    }
    out += "\n";
    out += &format!("name = {}\n", quoted(name));
    out += &format!(
        "description = {}\n",
        quoted(&format!("{server} (discovered from its metadata)"))
    );
    out += &format!(
        "source = {}\n",
        quoted(&format!("{} at {}", d.rule.describe(), d.url))
    );
    out += &match &m.issuer {
        Some(issuer) => commented(
            &format!("issuer = {}", quoted(issuer)),
            "the metadata's issuer: the RFC 8414 metadata checks run",
        ),
        None => "# fill in: the issuer identifier (the metadata names none)\n# issuer = \"https://...\"\n".to_owned(),
    };
    out += &jwks_line(d);
    out += &endpoint_line(
        d,
        "revocation_path",
        "revocation_endpoint",
        d.metadata.revocation_endpoint.as_deref(),
        "the token revocation scenarios (RFC 7009)",
    );
    out += &endpoint_line(
        d,
        "introspection_path",
        "introspection_endpoint",
        d.metadata.introspection_endpoint.as_deref(),
        "the token introspection scenarios (RFC 7662)",
    );
    out += "# guides = []                                 # provider guides this server follows (features/guides/<guide>/)\n";
    out
}

/// `field` from the metadata's `member`: a path on the target, else the
/// absolute URL; commented out, naming what it enables, when absent.
fn endpoint_line(
    d: &Discovered,
    field: &str,
    member: &str,
    value: Option<&str>,
    enables: &str,
) -> String {
    let Some(value) = value else {
        return format!(
            "# fill in, if the server has one (the metadata names no {member}; it enables {enables})\n# {field} = \"/...\"\n"
        );
    };
    match d.url.join(value) {
        Ok(url) => commented(&format!("{field} = {}", quoted(&location(d, &url))), member),
        Err(e) => {
            format!("# {member} {value:?} is not a URL ({e}): fill in\n# {field} = \"/...\"\n")
        }
    }
}

fn jwks_line(d: &Discovered) -> String {
    let Some(value) = &d.metadata.jwks_uri else {
        return "# fill in, if the server publishes a JWKS (the metadata names no jwks_uri)\n# jwks = \"/...\"\n".to_owned();
    };
    match d.url.join(value) {
        Ok(url) => commented(
            &format!("jwks = {}", quoted(&location(d, &url))),
            "jwks_uri",
        ),
        Err(e) => format!("# jwks_uri {value:?} is not a URL ({e}): fill in\n# jwks = \"/...\"\n"),
    }
}

fn token_section(m: &ServerMetadata, path: &str) -> String {
    let (auth, auth_note) = client_auth(m);
    let grants = grants(m);
    let grants_note = format!(
        "the ones the suite drives ({}); keep those the test client is registered for",
        member_note(
            "grant_types_supported",
            m.grant_types_supported.as_ref(),
            "authorization_code, implicit",
        )
    );
    let scopes = m
        .scopes_supported
        .as_ref()
        .map(|s| format!(" (scopes_supported: {})", s.join(", ")))
        .unwrap_or_default();
    let mut out = String::from("\n[token]\n");
    out += &commented(&format!("path = {}", quoted(path)), "token_endpoint");
    out += &commented(&format!("client_auth = \"{auth}\""), &auth_note);
    out += &commented(
        "encoding = \"form\"",
        "RFC 6749 §4.4.2: metadata cannot say otherwise",
    );
    out += &commented(
        &format!(
            "grants = {}",
            quoted_list(grants.iter().map(|g| g.as_str()))
        ),
        &grants_note,
    );
    out += &format!(
        "# the metadata lists these grant types: {}; the suite also tries the ones it does not list\n# (metadata-grant-types-enforced, RFC 8414 §2), so a document that lists what the server\n# refuses, or leaves out what it issues tokens for, is reported rather than obeyed\n",
        listed_grants(m)
    );
    out += "# fill in: the access token lifetime the provider documents, in seconds\n";
    out += "# expected_lifetime_s = 3600\n";
    out +=
        &format!("# fill in: a scope the test client may be granted, and one it may not{scopes}\n");
    out += "# scope = \"...\"\n# denied_scope = \"...\"\n";
    out += "# fill in, if access tokens are JWTs (RFC 9068): access_token_format = \"jwt\"\n";
    out += "# fill in, if the server needs it to issue tokens for your API: audience = \"...\" or resource = \"...\" (RFC 8707)\n";
    out
}

/// `[authorization_code]`, when the metadata names an authorization
/// endpoint and the code grant.
fn code_flow_section(d: &Discovered) -> Result<String, StarterError> {
    let m = &d.metadata;
    let grants = grants(m);
    if !grants.contains(&Grant::AuthorizationCode) {
        return Ok(
            "\n# No [authorization_code]: grant_types_supported has no authorization_code.\n"
                .into(),
        );
    }
    let Some(value) = &m.authorization_endpoint else {
        return Ok(
            "\n# No [authorization_code]: the metadata names no authorization_endpoint.\n".into(),
        );
    };
    let path = location(d, &endpoint(d, "authorization_endpoint", value)?);
    let (auth, _) = client_auth(m);
    let refresh = grants.contains(&Grant::RefreshToken);
    let mut out = String::from("\n[authorization_code]\n");
    out += &commented(
        &format!("authorize_path = {}", quoted(&path)),
        "authorization_endpoint",
    );
    out += &commented(
        &format!("client_auth = \"{auth}\""),
        "as at the token endpoint",
    );
    out += &if m.supports_s256() {
        commented("pkce = true", "code_challenge_methods_supported has S256")
    } else {
        commented(
            "pkce = false",
            "no S256 in code_challenge_methods_supported",
        )
    };
    let mut offline = false;
    out += &match default_scope(m, refresh) {
        Some((scope, with_offline)) => {
            offline = with_offline;
            commented(
                &format!("default_scope = {}", quoted(&scope)),
                "from scopes_supported: the scope authorization requests ask for",
            )
        }
        None => "# optional: the scope authorization requests ask for (the metadata lists no scopes_supported);\n# unset, they carry none and the server grants its default (RFC 6749 §3.3); the scenario that\n# refreshes asking for part of the grant needs two scopes or more\n# default_scope = \"...\"\n".to_owned(),
    };
    out += &if refresh {
        commented(
            "refresh_tokens = true",
            "refresh_token is in grant_types_supported",
        )
    } else {
        commented(
            "refresh_tokens = false",
            "refresh_token is not in grant_types_supported",
        )
    };
    if m.authorization_response_iss_parameter_supported {
        out += &commented(
            "iss_parameter_supported = true",
            "authorization_response_iss_parameter_supported (RFC 9207)",
        );
    }
    if offline {
        out += &commented(
            "extra_params = { prompt = \"consent\" }",
            "OpenID Connect Core 1.0 §11: offline_access (a refresh token) needs consent",
        );
    }
    out += CODE_FLOW_FILL_IN;
    Ok(out)
}

const CODE_FLOW_FILL_IN: &str = "\
# fill in: the refresh token lifetime the provider documents, in days
# refresh_lifetime_days = 30
# refresh_rotation = \"either\"                  # rotate | keep | either
# refresh_reuse_detection = false               # with rotate: a reused rotated refresh token revokes the active one (RFC 9700 §4.14.2)
# fill in: the accounts the user chooses between on the consent page, if any
# accounts = [\"...\"]
# fill in: the connection-success call, if the provider documents one
# connection_success_path = \"/...\"
# fill in: what the login driver cannot guess about the login and consent pages, unless
# these defaults fit (README, \"The login driver\")
# [authorization_code.login]
# username_field = \"username\"                # else the login form's one text field
# password_field = \"password\"
# account_field = \"account\"
# approve = \"Authorize\"                      # a control's name or text; else one that says allow, authorize, continue, ...
# deny = \"Cancel\"                            # a control's or link's name or text; else one that says deny, cancel, ...
# login_origins = [\"https://login.example\"]  # other origins that may receive the login form
";

const API_AND_DEVIATIONS: &str = "
# fill in: a bearer-protected API of this server, to prove its tokens work (the RFC 6750
# scenarios); until then they are skipped
# [api]
# probe_path = \"/...\"
# method = \"GET\"
# content_type = \"application/json\"

# Known deviations of this server go in a file of their own, given by
# OAUTH_CONFORMANCE_DEVIATIONS (README, \"Known deviations of a target\").
";
