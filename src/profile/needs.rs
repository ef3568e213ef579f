//! What a scenario needs of the server, and whether a profile declares it.
//!
//! RFC scenarios never name a profile: they say what they need (`@needs_api`,
//! `@needs_refresh_token`, ...), and run for every profile under test that
//! declares it. A profile that does not is no failure of the server: the
//! scenario is skipped, and the reason names the profile field to set.

use std::str::FromStr;

use super::{Api, Grant, Profile};

/// The prefix of a capability tag: `@needs_api`.
pub const TAG_PREFIX: &str = "needs_";

/// One capability a scenario can need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// The test client may use the client credentials grant.
    ClientCredentials,
    /// The server has an authorization endpoint and the client may use the
    /// authorization code grant.
    AuthorizationCode,
    /// The code exchange issues refresh tokens and the client may refresh.
    RefreshToken,
    /// A bearer-protected API probe.
    Api,
    /// A scope the client may be granted.
    Scope,
    /// A scope the client may not be granted.
    DeniedScope,
    /// The client uses PKCE.
    Pkce,
    /// The server requires PKCE of the client.
    PkceRequired,
    /// The profile has request snapshots of its own.
    Snapshots,
    /// An account choice on the consent page.
    Accounts,
    /// The optional connection-success call (seed 001).
    ConnectionSuccess,
    /// An API resource that needs a scope of its own, and a scope the client
    /// may be granted without it.
    ScopedApi,
    /// The access token lifetime the provider documents.
    DocumentedLifetime,
    /// The server's issuer identifier, to find its metadata (RFC 8414 §3.1).
    /// The embedded mock provides it for every profile: it serves metadata
    /// with its own base URL as issuer.
    Issuer,
    /// A token revocation endpoint (RFC 7009); the embedded mock serves one
    /// for every profile.
    Revocation,
    /// A token introspection endpoint (RFC 7662); the embedded mock serves
    /// one for every profile.
    Introspection,
    /// A server that rotates refresh tokens (RFC 9700 §4.14.2).
    Rotation,
    /// A server that detects the reuse of a rotated refresh token.
    ReuseDetection,
    /// A server that names itself with `iss` in its authorization responses
    /// (RFC 9207).
    IssParameter,
    /// A server that issues JWT access tokens (RFC 9068).
    JwtAccessTokens,
}

impl Need {
    pub const ALL: [Need; 20] = [
        Need::ClientCredentials,
        Need::AuthorizationCode,
        Need::RefreshToken,
        Need::Api,
        Need::Scope,
        Need::DeniedScope,
        Need::Pkce,
        Need::PkceRequired,
        Need::Snapshots,
        Need::Accounts,
        Need::ConnectionSuccess,
        Need::ScopedApi,
        Need::DocumentedLifetime,
        Need::Issuer,
        Need::Revocation,
        Need::Introspection,
        Need::Rotation,
        Need::ReuseDetection,
        Need::IssParameter,
        Need::JwtAccessTokens,
    ];

    /// The tag, without `@`.
    pub fn tag(self) -> &'static str {
        match self {
            Need::ClientCredentials => "needs_client_credentials",
            Need::AuthorizationCode => "needs_authorization_code",
            Need::RefreshToken => "needs_refresh_token",
            Need::Api => "needs_api",
            Need::Scope => "needs_scope",
            Need::DeniedScope => "needs_denied_scope",
            Need::Pkce => "needs_pkce",
            Need::PkceRequired => "needs_pkce_required",
            Need::Snapshots => "needs_snapshots",
            Need::Accounts => "needs_accounts",
            Need::ConnectionSuccess => "needs_connection_success",
            Need::ScopedApi => "needs_scoped_api",
            Need::DocumentedLifetime => "needs_documented_lifetime",
            Need::Issuer => "needs_issuer",
            Need::Revocation => "needs_revocation",
            Need::Introspection => "needs_introspection",
            Need::Rotation => "needs_rotation",
            Need::ReuseDetection => "needs_reuse_detection",
            Need::IssParameter => "needs_iss_parameter",
            Need::JwtAccessTokens => "needs_jwt_access_tokens",
        }
    }

    /// Whether the embedded mock provides this for every profile, declared or
    /// not: then a scenario that needs it runs on the mock regardless.
    pub fn provided_by_mock(self) -> bool {
        matches!(self, Need::Issuer | Need::Revocation | Need::Introspection)
    }
}

/// A `@needs_…` tag no capability answers to: a typo in a feature file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown capability tag @{tag}; the known ones are {known}")]
pub struct UnknownNeed {
    pub tag: String,
    pub known: String,
}

impl FromStr for Need {
    type Err = UnknownNeed;

    fn from_str(tag: &str) -> Result<Self, Self::Err> {
        let tag = tag.trim_start_matches('@');
        Need::ALL
            .into_iter()
            .find(|n| n.tag() == tag)
            .ok_or_else(|| UnknownNeed {
                tag: tag.to_owned(),
                known: Need::ALL
                    .iter()
                    .map(|n| format!("@{}", n.tag()))
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl Profile {
    /// Why this profile cannot run a scenario that needs `need`, or `None`
    /// when it declares it. The reason names the field to set.
    pub fn lacks(&self, need: Need) -> Option<String> {
        let name = &self.name;
        let grant = |g: Grant, field: &str| {
            (!self.has_grant(g)).then(|| {
                format!(
                    "profile {name} does not let the test client use the {} grant ({field})",
                    g.as_str()
                )
            })
        };
        let code_flow = self.authorization_code.as_ref();
        match need {
            Need::ClientCredentials => grant(Grant::ClientCredentials, "token.grants"),
            Need::AuthorizationCode => match code_flow {
                None => Some(format!(
                    "profile {name} documents no authorization code flow ([authorization_code])"
                )),
                Some(_) => grant(Grant::AuthorizationCode, "token.grants"),
            },
            Need::RefreshToken => match code_flow {
                None => Some(format!(
                    "profile {name} documents no authorization code flow, so no refresh tokens ([authorization_code])"
                )),
                Some(ac) if !ac.refresh_tokens => Some(format!(
                    "profile {name} says the server issues no refresh tokens (authorization_code.refresh_tokens = false)"
                )),
                Some(_) => grant(Grant::RefreshToken, "token.grants"),
            },
            Need::Api => self.api.is_none().then(|| {
                format!("profile {name} names no bearer-protected API to probe ([api] probe_path, content_type)")
            }),
            Need::Scope => self.token.scope.is_none().then(|| {
                format!("profile {name} names no scope the client may be granted (token.scope)")
            }),
            Need::DeniedScope => self.token.denied_scope.is_none().then(|| {
                format!(
                    "profile {name} names no scope the client may not be granted (token.denied_scope)"
                )
            }),
            Need::Pkce => code_flow.is_none_or(|ac| !ac.pkce).then(|| {
                format!("profile {name} says the client sends no PKCE challenge (authorization_code.pkce)")
            }),
            Need::PkceRequired => code_flow.is_none_or(|ac| !ac.pkce_required).then(|| {
                format!("profile {name} does not say the server requires PKCE of this client (authorization_code.pkce_required)")
            }),
            Need::Snapshots => (!self.built_in).then(|| {
                format!(
                    "profile {name} has no request snapshots of its own (the built-in profiles do, in snapshots/)"
                )
            }),
            Need::Accounts => code_flow.is_none_or(|ac| ac.accounts.is_empty()).then(|| {
                format!("profile {name} lists no accounts to choose between (authorization_code.accounts)")
            }),
            Need::ScopedApi => match self.api.as_ref().and_then(Api::scoped_probe) {
                None => Some(format!(
                    "profile {name} names no API resource that needs a scope of its own (api.scoped_probe_path, api.scoped_probe_scope)"
                )),
                Some(_) if self.scope_without_scoped_probe().is_none() => Some(format!(
                    "profile {name} names no scope the client may be granted without the one the scoped resource needs (token.scope)"
                )),
                Some(_) => None,
            },
            Need::ConnectionSuccess => code_flow
                .is_none_or(|ac| ac.connection_success_path.is_none())
            .then(|| {
                format!(
                    "profile {name} documents no connection-success call (authorization_code.connection_success_path)"
                )
            }),
            Need::DocumentedLifetime => self.token.expected_lifetime_s.is_none().then(|| {
                format!("profile {name} documents no access token lifetime (token.expected_lifetime_s)")
            }),
            Need::Issuer => self.issuer.is_none().then(|| {
                format!("profile {name} names no issuer whose metadata to check (issuer)")
            }),
            Need::Revocation => self.revocation_path.is_none().then(|| {
                format!("profile {name} names no token revocation endpoint (revocation_path; `profile discover` fills it from revocation_endpoint)")
            }),
            Need::Introspection => self.introspection_path.is_none().then(|| {
                format!("profile {name} names no token introspection endpoint (introspection_path; `profile discover` fills it from introspection_endpoint)")
            }),
            Need::Rotation => code_flow
                .is_none_or(|ac| ac.refresh_rotation != super::Rotation::Rotate)
                .then(|| {
                    format!("profile {name} does not say the server rotates refresh tokens (authorization_code.refresh_rotation = \"rotate\")")
                }),
            Need::ReuseDetection => code_flow.is_none_or(|ac| !ac.refresh_reuse_detection).then(|| {
                format!("profile {name} does not say the server detects the reuse of a rotated refresh token (authorization_code.refresh_reuse_detection)")
            }),
            Need::IssParameter => code_flow.is_none_or(|ac| !ac.iss_parameter_supported).then(|| {
                format!("profile {name} does not say the server sends iss in its authorization responses (authorization_code.iss_parameter_supported)")
            }),
            Need::JwtAccessTokens => (self.token.access_token_format != super::TokenFormat::Jwt).then(|| {
                format!("profile {name} does not say the server issues JWT access tokens (token.access_token_format = \"jwt\")")
            }),
        }
    }

    /// Why this profile cannot run a scenario with these tags: the reason
    /// for the first `@needs_…` tag it does not declare, or `None`. On the
    /// mock (`on_sandbox` false) a need the mock provides itself (its
    /// issuer) is met whatever the profile says. A `@needs_…` tag no
    /// capability answers to is an error.
    pub fn unmet_need<'a>(
        &self,
        tags: impl IntoIterator<Item = &'a String>,
        on_sandbox: bool,
    ) -> Result<Option<String>, UnknownNeed> {
        for tag in tags {
            if !tag.trim_start_matches('@').starts_with(TAG_PREFIX) {
                continue;
            }
            let need = tag.parse::<Need>()?;
            if need.provided_by_mock() && !on_sandbox {
                continue;
            }
            if let Some(why) = self.lacks(need) {
                return Ok(Some(why));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_needs_and_typos_are_refused() {
        for need in Need::ALL {
            assert_eq!(need.tag().parse::<Need>(), Ok(need));
        }
        let err = "@needs_ap".parse::<Need>().unwrap_err();
        assert!(err.to_string().contains("@needs_api"), "{err}");
    }

    #[test]
    fn each_built_in_declares_what_its_guide_documents() {
        let p = Profile::load("401go").unwrap();
        assert_eq!(p.lacks(Need::AuthorizationCode), None);
        assert_eq!(p.lacks(Need::Accounts), None);
        assert!(p.lacks(Need::Pkce).is_some());
        let p = Profile::load("json-body").unwrap();
        let why = p.lacks(Need::AuthorizationCode).unwrap();
        assert!(why.contains("[authorization_code]"), "{why}");
        assert!(p.lacks(Need::RefreshToken).is_some());
        assert_eq!(p.lacks(Need::ClientCredentials), None);
        let tags = ["rfc".to_owned(), "needs_client_credentials".into()];
        assert_eq!(p.unmet_need(&tags, true), Ok(None));
        let tags = ["needs_api".to_owned(), "@needs_refresh_token".into()];
        assert_eq!(p.unmet_need(&tags, true), Ok(p.lacks(Need::RefreshToken)));
        assert!(p.unmet_need(&["needs_ap".to_owned()], true).is_err());
    }

    #[test]
    fn a_field_left_out_skips_what_needs_it_naming_the_field() {
        let minimal = r#"
            name = "bare"
            description = "only what a server's metadata tells"
            source = "RFC 8414 metadata"
            [token]
            path = "/token"
            client_auth = "basic"
            encoding = "form"
            [authorization_code]
            authorize_path = "/authorize"
            client_auth = "basic"
        "#;
        let p = Profile::from_toml(minimal, "bare.toml").unwrap();
        for (need, field) in [
            (Need::Api, "[api]"),
            (Need::DocumentedLifetime, "token.expected_lifetime_s"),
            (Need::Issuer, "(issuer)"),
        ] {
            let why = p
                .lacks(need)
                .unwrap_or_else(|| panic!("{need:?} is not lacking"));
            assert!(why.contains(field), "{need:?}: {why}");
        }
        // Scope is OPTIONAL in every flow (RFC 6749 §4.1.1, §4.4.2, §6): a
        // profile that names none still runs them.
        for need in [
            Need::ClientCredentials,
            Need::AuthorizationCode,
            Need::RefreshToken,
        ] {
            assert_eq!(p.lacks(need), None, "{need:?}");
        }
        assert!(Need::Issuer.provided_by_mock());
        assert!(!Need::Api.provided_by_mock());
        let mut with = p.clone();
        with.issuer = Some("https://as.example".into());
        with.token.expected_lifetime_s = Some(3600);
        for need in [Need::Issuer, Need::DocumentedLifetime] {
            assert_eq!(with.lacks(need), None, "{need:?}");
        }
    }

    #[test]
    fn a_copy_under_another_name_declares_the_same_and_has_no_snapshots() {
        let text = super::super::BUILT_IN[0]
            .1
            .replace("name = \"401go\"", "name = \"acme\"");
        let copy = Profile::from_toml(&text, "acme.toml").unwrap();
        let original = Profile::load("401go").unwrap();
        for need in Need::ALL {
            if need == Need::Snapshots {
                assert!(copy.lacks(need).is_some());
                assert_eq!(original.lacks(need), None);
            } else {
                assert_eq!(
                    copy.lacks(need).is_some(),
                    original.lacks(need).is_some(),
                    "{need:?}"
                );
            }
        }
    }
}
