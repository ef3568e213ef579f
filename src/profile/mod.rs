//! Provider profiles: what a provider's guide says, as data.
//!
//! A profile is TOML, not code, so a user can describe a new provider without
//! writing Rust: where the token endpoint is, how the client authenticates, how
//! the body is encoded, which extra parameters go along, how long tokens live
//! and how the protected API is called. Built-in profiles live in `profiles/`
//! and are compiled in, so `--profile 401go` works from any directory; any
//! other profile is loaded from a path.

pub mod endpoints;
pub mod login;
pub mod needs;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use endpoints::Endpoint;
pub use login::{BrowserUse, LoginSettings};

/// Whether `url`'s host is this machine: `localhost`, 127.0.0.0/8 or `::1`,
/// where plain http never leaves the machine (see `allow_plain_http`).
pub fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
pub use needs::{Need, UnknownNeed};

/// The built-in profiles, by name, as shipped in `profiles/`.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("401go", include_str!("../../profiles/401go.toml")),
    ("json-body", include_str!("../../profiles/json-body.toml")),
    ("login3", include_str!("../../profiles/login3.toml")),
    ("rfc6749", include_str!("../../profiles/rfc6749.toml")),
];

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name used in tags, snapshots and reports.
    pub name: String,
    /// One line: which provider and guide this profile describes.
    pub description: String,
    /// The guide or RFC the profile encodes, e.g. "seed 000".
    pub source: String,
    /// The provider guides whose own statements (`features/guides/<guide>/`)
    /// this server is checked against; none for a server that follows no
    /// guide of ours. The RFC features run for every profile regardless.
    #[serde(default)]
    pub guides: Vec<String>,
    /// The authorization server's issuer identifier (RFC 8414 §2): where its
    /// metadata lives (§3.1), and the `iss` its JWT access tokens carry.
    /// Unset: the metadata scenarios skip on a real target (the embedded
    /// mock serves metadata for every profile, with its own base URL as
    /// issuer).
    #[serde(default)]
    pub issuer: Option<String>,
    /// Where the server publishes its JWKS (RFC 7517 §5): a path below the
    /// target or an absolute URL (see [`endpoints`]). Unset:
    /// `/.well-known/jwks.json`.
    #[serde(default)]
    pub jwks: Option<String>,
    /// Whether secrets and tokens (and the login driver's forms, the
    /// password among them) may go to a plain `http://` host that is not
    /// this machine (RFC 6749 §10.3, RFC 6750 §5.3 ask for TLS): only for a
    /// test server on a trusted network.
    #[serde(default)]
    pub allow_plain_http: bool,
    /// How long, in seconds, the suite may wait in real time on a real
    /// server for a token or code to expire (the checks that an expired one
    /// is refused). The embedded mock moves a virtual clock instead. 0 (the
    /// default): never wait; those checks are skipped, naming this setting.
    #[serde(default)]
    pub max_wait_s: u64,
    /// The token revocation endpoint (RFC 7009 §2, the metadata's
    /// `revocation_endpoint`): a path below the target or an absolute URL.
    /// Unset: the revocation scenarios skip on a real target (the embedded
    /// mock serves one for every profile).
    #[serde(default)]
    pub revocation_path: Option<String>,
    /// The token introspection endpoint (RFC 7662 §2, the metadata's
    /// `introspection_endpoint`): a path below the target or an absolute
    /// URL. Unset: the introspection scenarios skip on a real target.
    #[serde(default)]
    pub introspection_path: Option<String>,
    pub token: TokenEndpoint,
    /// The authorization code flow, when the provider offers it.
    pub authorization_code: Option<AuthorizationCode>,
    /// A bearer-protected API probe; unset: the API scenarios skip.
    #[serde(default)]
    pub api: Option<Api>,
    #[serde(default)]
    pub mock: MockBehaviour,
    /// Whether this is one of the built-in profiles (which have request
    /// snapshots of their own); not part of the TOML.
    #[serde(skip)]
    pub built_in: bool,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TokenEndpoint {
    /// The token endpoint: a path below the target, or an absolute URL on
    /// any origin (see [`endpoints`]).
    pub path: String,
    pub client_auth: ClientAuth,
    pub encoding: Encoding,
    /// The access token lifetime the guide documents, in seconds; unset: the
    /// scenarios that compare with it skip, and a client without
    /// `expires_in` assumes a short lifetime.
    #[serde(default)]
    pub expected_lifetime_s: Option<u64>,
    /// Whether the provider issues JWT access tokens.
    #[serde(default)]
    pub access_token_format: TokenFormat,
    /// Whether the client may read `exp` from the access token. Opt-in: by
    /// default `expires_in` is authoritative and the token is opaque to the
    /// client (RFC 9068 §6).
    #[serde(default)]
    pub read_jwt_exp: bool,
    /// Parameters always sent with a token request (e.g. `audience`).
    #[serde(default)]
    pub extra_params: BTreeMap<String, String>,
    /// Parameters the guide allows but does not require (e.g. `organization`).
    #[serde(default)]
    pub optional_params: Vec<String>,
    /// The grants the test client is registered for. Unset: the client
    /// credentials grant, plus the authorization code and refresh token
    /// grants when the profile has `[authorization_code]`.
    #[serde(default)]
    pub grants: Option<Vec<Grant>>,
    /// A scope (one or more, space-separated) the test client may be granted
    /// with the client credentials grant; unset: the token requests carry no
    /// scope (RFC 6749 §4.4.2: OPTIONAL), and the scenarios about scope
    /// that need one skip naming this field.
    #[serde(default)]
    pub scope: Option<String>,
    /// A scope the test client may not be granted; unset: the refused-scope
    /// scenario skips.
    #[serde(default)]
    pub denied_scope: Option<String>,
    /// The API the token is for, sent as `audience` (the Auth0 convention,
    /// seed 003) and expected in the JWT's `aud`.
    #[serde(default)]
    pub audience: Option<String>,
    /// The API the token is for, sent as the RFC 8707 `resource` and
    /// expected in the JWT's `aud` when no `audience` is set.
    #[serde(default)]
    pub resource: Option<String>,
}

/// A grant type a client can be registered for (RFC 6749 §1.3, §6).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    ClientCredentials,
    AuthorizationCode,
    RefreshToken,
}

impl Grant {
    pub fn as_str(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client_credentials",
            Grant::AuthorizationCode => "authorization_code",
            Grant::RefreshToken => "refresh_token",
        }
    }
}

/// How the client proves its identity at the token endpoint.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ClientAuth {
    /// `Authorization: Basic` with id and secret form-urlencoded first (RFC 6749 §2.3.1).
    Basic,
    /// `client_id` and `client_secret` as form parameters (RFC 6749 §2.3.1).
    Post,
    /// `client_id` and `client_secret` as members of a JSON body.
    Json,
}

impl ClientAuth {
    /// The method's registered name (RFC 7591 §2, the names RFC 8414's
    /// `token_endpoint_auth_methods_supported` lists); the JSON-body method
    /// of seed 002 has none, so it gets one of its own.
    pub fn registered_name(self) -> &'static str {
        match self {
            ClientAuth::Basic => "client_secret_basic",
            ClientAuth::Post => "client_secret_post",
            ClientAuth::Json => "client_secret_json",
        }
    }
}

/// How the token request body is encoded.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// `application/x-www-form-urlencoded` (RFC 6749 §4.4.2, Appendix B).
    Form,
    /// `application/json`, as some providers ask instead.
    Json,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum TokenFormat {
    #[default]
    Opaque,
    Jwt,
}

/// The authorization code flow (RFC 6749 §4.1) as a provider documents it.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AuthorizationCode {
    /// The authorization endpoint: a path below the target, or an absolute
    /// URL (see [`endpoints`]).
    pub authorize_path: String,
    /// How the client authenticates when exchanging a code or a refresh token.
    /// 401GO puts the secret in the form body here, unlike its client
    /// credentials flow.
    pub client_auth: ClientAuth,
    /// Whether the client sends a PKCE challenge (RFC 7636, S256).
    #[serde(default)]
    pub pkce: bool,
    /// Whether the server requires a PKCE challenge of this client, so that
    /// a request without one gets `invalid_request` (RFC 7636 §4.4.1).
    #[serde(default)]
    pub pkce_required: bool,
    /// The scope a scenario asks for unless it says otherwise; unset:
    /// authorization requests carry no scope (RFC 6749 §4.1.1: OPTIONAL)
    /// and the server grants its default or refuses with `invalid_scope`
    /// (§3.3). Only the scenarios about the grant's scope need it: the one
    /// that refreshes asking for part of the grant needs two scopes or more.
    #[serde(default)]
    pub default_scope: Option<String>,
    /// Parameters every authorization request carries beyond RFC 6749's
    /// (e.g. `prompt = "consent"` for a server that issues refresh tokens
    /// only after an explicit consent).
    #[serde(default)]
    pub extra_params: BTreeMap<String, String>,
    /// Whether the code exchange issues a refresh token (RFC 6749 §4.1.4
    /// makes it optional); the refresh scenarios skip when it does not.
    #[serde(default = "yes")]
    pub refresh_tokens: bool,
    /// Accounts a user may choose between on the consent page.
    #[serde(default)]
    pub accounts: Vec<String>,
    /// Documented authorization code lifetime in seconds; unset: the 10
    /// minutes RFC 6749 §4.1.2 recommends as the maximum. The check that an
    /// expired code is refused exchanges one a minute after this.
    #[serde(default)]
    pub code_lifetime_s: Option<u64>,
    /// Documented refresh token lifetime in days, if the provider documents one.
    #[serde(default)]
    pub refresh_lifetime_days: Option<u64>,
    /// What the client should expect of refresh token rotation.
    #[serde(default)]
    pub refresh_rotation: Rotation,
    /// Whether the server detects the reuse of a rotated refresh token and
    /// then revokes the active one (RFC 9700 §4.14.2); only with
    /// `refresh_rotation = "rotate"`. Unset: the reuse scenario skips.
    #[serde(default)]
    pub refresh_reuse_detection: bool,
    /// Whether the server names itself in every authorization response, a
    /// code or an error, with the `iss` parameter (RFC 9207 §2; the
    /// metadata's `authorization_response_iss_parameter_supported`, which
    /// `profile discover` copies here). Then the client refuses a response
    /// whose `iss` is missing or not the `issuer` (§2.4). Unset: the `iss`
    /// scenarios skip; a response that carries `iss` anyway is still compared.
    #[serde(default)]
    pub iss_parameter_supported: bool,
    /// The optional "connection success" call (401GO), if any.
    pub connection_success_path: Option<String>,
    /// What the login driver cannot guess about the login and consent
    /// pages (`[authorization_code.login]`; its earlier name
    /// `[authorization_code.forms]` is still read).
    #[serde(default, alias = "forms")]
    pub login: LoginSettings,
}

/// Refresh token rotation (RFC 9700 §4.14.2): a profile says what it expects.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Rotation {
    /// The server issues a new refresh token and the old one stops working.
    Rotate,
    /// The same refresh token keeps working.
    Keep,
    /// Either is conforming; the check reports what the server did.
    #[default]
    Either,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Api {
    /// A bearer-protected resource to prove a token works: a path below
    /// the target, or an absolute URL (see [`endpoints`]).
    pub probe_path: String,
    #[serde(default = "default_method")]
    pub method: String,
    /// The `Content-Type` the guide's API examples send.
    pub content_type: String,
    /// A resource that needs a scope of its own (e.g. a write endpoint):
    /// with `scoped_probe_scope`, it shows the server enforces a token's
    /// scope (RFC 6749 §7, RFC 6750 §3.1). Unset: that scenario skips.
    #[serde(default)]
    pub scoped_probe_path: Option<String>,
    /// The scope `scoped_probe_path` needs.
    #[serde(default)]
    pub scoped_probe_scope: Option<String>,
}

impl Api {
    /// The scope-protected probe and the scope it needs, when both are set.
    pub fn scoped_probe(&self) -> Option<(&str, &str)> {
        Some((
            self.scoped_probe_path.as_deref()?,
            self.scoped_probe_scope.as_deref()?,
        ))
    }
}

fn yes() -> bool {
    true
}

fn default_method() -> String {
    "GET".to_owned()
}

/// What the embedded mock server does beyond what the token section implies.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MockBehaviour {
    /// Scopes a client may be granted; `*` in a request means all of them.
    pub scopes: Vec<String>,
    /// Scope granted when the request names none.
    pub default_scope: Option<String>,
    /// Whether `*` means "all scopes available to this client" (seed 002).
    #[serde(default)]
    pub star_means_all: bool,
    /// Whether the token response always names the granted scope (401GO's
    /// example does); otherwise only when it differs from the request.
    #[serde(default)]
    pub returns_scope: bool,
    /// Whether the mock rotates refresh tokens (the old one stops working).
    /// (The mock's JWT access tokens name its issuer identifier, its own
    /// base URL as its metadata says, RFC 9068 §2.2: no field sets it.)
    #[serde(default)]
    pub rotate_refresh_tokens: bool,
}

impl Default for MockBehaviour {
    fn default() -> Self {
        Self {
            scopes: vec!["read".to_owned(), "write".to_owned()],
            default_scope: None,
            star_means_all: false,
            returns_scope: false,
            rotate_refresh_tokens: false,
        }
    }
}

/// A profile that could not be loaded; the message says where and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("unknown profile {name:?}: give a built-in name ({known}) or the path of a .toml file")]
    UnknownName { name: String, known: String },
    #[error("cannot read profile file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("profile file {path} is not a valid profile: {message}")]
    Invalid { path: String, message: String },
}

impl Profile {
    /// Loads a built-in profile by name, or a profile file by path. Anything
    /// that contains a path separator or ends in `.toml` is taken as a path.
    pub fn load(name_or_path: &str) -> Result<Self, ProfileError> {
        let looks_like_path = name_or_path.ends_with(".toml")
            || name_or_path.contains('/')
            || name_or_path.contains('\\');
        if looks_like_path {
            return Self::from_file(Path::new(name_or_path));
        }
        let Some((name, text)) = BUILT_IN.iter().find(|(n, _)| *n == name_or_path) else {
            return Err(ProfileError::UnknownName {
                name: name_or_path.to_owned(),
                known: BUILT_IN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        };
        let mut profile = Self::from_toml(text, &format!("profiles/{name}.toml (built in)"))?;
        profile.built_in = true;
        Ok(profile)
    }

    pub fn from_file(path: &Path) -> Result<Self, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// Parses and validates; `origin` names the file in error messages.
    pub fn from_toml(text: &str, origin: &str) -> Result<Self, ProfileError> {
        let invalid = |message: String| ProfileError::Invalid {
            path: origin.to_owned(),
            message,
        };
        let profile: Profile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        profile.validate().map_err(invalid)?;
        Ok(profile)
    }

    /// Rules serde cannot express. Each message names the field and what is allowed.
    fn validate(&self) -> Result<(), String> {
        if let Some(ac) = &self.authorization_code {
            ac.login.validate(self.allow_plain_http)?;
        }
        for endpoint in Endpoint::ALL {
            if let Some(location) = self.location(endpoint) {
                endpoints::validate(endpoint.field(), location)?;
            }
        }
        match (self.token.client_auth, self.token.encoding) {
            (ClientAuth::Json, Encoding::Form) => {
                return Err(
                    "field `token.client_auth` is \"json\" but `token.encoding` is \"form\": \
                     credentials in a JSON body need encoding = \"json\""
                        .to_owned(),
                );
            }
            (ClientAuth::Post, Encoding::Json) => {
                return Err(
                    "field `token.client_auth` is \"post\" but `token.encoding` is \"json\": \
                     use client_auth = \"json\" for credentials in a JSON body"
                        .to_owned(),
                );
            }
            _ => {}
        }
        if self.token.expected_lifetime_s == Some(0) {
            return Err(
                "field `token.expected_lifetime_s` is 0: give the documented lifetime in seconds"
                    .to_owned(),
            );
        }
        if let Some(api) = self
            .api
            .as_ref()
            .filter(|a| !["GET", "POST"].contains(&a.method.as_str()))
        {
            return Err(format!(
                "field `api.method` is {:?}: allowed values are \"GET\" and \"POST\"",
                api.method
            ));
        }
        if let Some(ac) = &self.authorization_code
            && ac.refresh_reuse_detection
            && ac.refresh_rotation != Rotation::Rotate
        {
            return Err("field `authorization_code.refresh_reuse_detection` is true but `authorization_code.refresh_rotation` is not \"rotate\": reuse of a rotated refresh token needs rotation (RFC 9700 §4.14.2)".to_owned());
        }
        if self.read_jwt_exp_without_jwt() {
            return Err("field `token.read_jwt_exp` is true but `token.access_token_format` is \"opaque\": \
                 only a JWT has an `exp` to read"
                .to_owned());
        }
        Ok(())
    }

    /// The parameters every client credentials request carries beyond the
    /// grant's own: `audience`, `resource`, then the other extra parameters.
    pub fn token_params(&self) -> Vec<(String, String)> {
        let named = [
            ("audience", &self.token.audience),
            ("resource", &self.token.resource),
        ];
        named
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_owned(), v.clone())))
            .chain(self.token.extra_params.clone())
            .collect()
    }

    /// The audience a JWT access token must name (`aud`): the `audience`
    /// asked for, else the `resource`, else an `audience` extra parameter.
    pub fn audience(&self) -> Option<&str> {
        self.token
            .audience
            .as_deref()
            .or(self.token.resource.as_deref())
            .or(self.token.extra_params.get("audience").map(String::as_str))
    }

    /// `token.scope` without the scope the scoped API probe needs: a token
    /// the client may have that the scoped resource must refuse.
    pub fn scope_without_scoped_probe(&self) -> Option<String> {
        let (_, needed) = self.api.as_ref().and_then(Api::scoped_probe)?;
        let rest: Vec<&str> = self
            .token
            .scope
            .as_deref()?
            .split(' ')
            .filter(|s| !s.is_empty() && !needed.split(' ').any(|n| n == *s))
            .collect();
        (!rest.is_empty()).then(|| rest.join(" "))
    }

    /// The grants the test client may use (see [`TokenEndpoint::grants`]).
    pub fn grants(&self) -> Vec<Grant> {
        if let Some(grants) = &self.token.grants {
            return grants.clone();
        }
        let mut grants = vec![Grant::ClientCredentials];
        if let Some(ac) = &self.authorization_code {
            grants.push(Grant::AuthorizationCode);
            if ac.refresh_tokens {
                grants.push(Grant::RefreshToken);
            }
        }
        grants
    }

    pub fn has_grant(&self, grant: Grant) -> bool {
        self.grants().contains(&grant)
    }

    /// The client authentication a grant uses at the token endpoint.
    pub fn client_auth_for(&self, grant: &str) -> ClientAuth {
        match (&self.authorization_code, grant) {
            (Some(ac), "authorization_code" | "refresh_token") => ac.client_auth,
            _ => self.token.client_auth,
        }
    }

    /// The body encoding a grant's token request uses: credentials in JSON
    /// need a JSON body; otherwise the client credentials grant follows the
    /// profile, and the other grants use the form encoding RFC 6749 §4.1.3
    /// and §6 prescribe.
    pub fn encoding_for(&self, grant: &str) -> Encoding {
        match self.client_auth_for(grant) {
            ClientAuth::Json => Encoding::Json,
            _ if grant == "client_credentials" => self.token.encoding,
            _ => Encoding::Form,
        }
    }

    fn read_jwt_exp_without_jwt(&self) -> bool {
        self.token.read_jwt_exp && self.token.access_token_format != TokenFormat::Jwt
    }
}

/// A scope wider than the grant's, `granted`: `granted` plus the scopes of
/// `token.scope` it lacks, else plus `token.denied_scope`; `None` when the
/// profile names neither. When the grant's scope is unknown (`None`: the
/// client asked for none and the server did not say), only
/// `token.denied_scope` is surely beyond it: a scope of `token.scope` may
/// be part of the server's default.
pub fn wider_scope(granted: Option<&str>, profile: &Profile) -> Option<String> {
    let Some(granted) = granted else {
        return profile.token.denied_scope.clone();
    };
    let has = |s: &&str| granted.split(' ').any(|g| g == *s);
    let extra: Vec<&str> = profile
        .token
        .scope
        .as_deref()
        .unwrap_or_default()
        .split(' ')
        .filter(|s| !s.is_empty() && !has(s))
        .collect();
    let extra = if extra.is_empty() {
        profile.token.denied_scope.clone()?
    } else {
        extra.join(" ")
    };
    Some(
        [granted, extra.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[cfg(test)]
mod tests;
