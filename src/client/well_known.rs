//! Where an authorization server publishes its metadata: the well-known URIs
//! of RFC 8414 §3.1 and of OpenID Connect Discovery 1.0 §4.1, formed from
//! the issuer identifier.
//!
//! RFC 8414 inserts the well-known segment between the host and the path
//! (`https://as.example/tenant` → `https://as.example/.well-known/oauth-authorization-server/tenant`);
//! OpenID Connect appends it to the path
//! (`https://as.example/tenant/.well-known/openid-configuration`). For an
//! issuer without a path both rules give the same path. A terminating `/`
//! of the issuer's path is removed first (RFC 8414 §3.1).

use url::Url;

/// RFC 8414's well-known URI suffix (§3, §7.3).
pub const OAUTH_SUFFIX: &str = "oauth-authorization-server";
/// OpenID Connect Discovery's well-known URI suffix (§4).
pub const OPENID_SUFFIX: &str = "openid-configuration";

/// How a metadata URL was formed from the URL a user gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// RFC 8414 §3.1: `/.well-known/oauth-authorization-server` inserted
    /// between host and path.
    Rfc8414,
    /// OpenID Connect Discovery 1.0 §4.1: `/.well-known/openid-configuration`
    /// appended to the issuer.
    OpenId,
    /// `/.well-known/oauth-authorization-server` appended to the issuer's
    /// path, as some servers serve it (Django OAuth Toolkit); RFC 8414 §3.1
    /// inserts it instead.
    Appended,
    /// The user gave the metadata URL itself.
    Given,
}

impl Rule {
    /// Where the rule comes from, for the starter profile's comments.
    pub fn describe(self) -> &'static str {
        match self {
            Rule::Rfc8414 => "RFC 8414 metadata (the well-known URI of §3.1)",
            Rule::OpenId => "OpenID Connect discovery (Discovery 1.0 §4.1)",
            Rule::Appended => {
                "RFC 8414 metadata (the well-known suffix appended to the issuer's path; §3.1 inserts it before the path)"
            }
            Rule::Given => "metadata (the URL given)",
        }
    }
}

/// A URL to look for metadata at, and the rule that formed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub url: Url,
    pub rule: Rule,
}

/// The issuer's path without a terminating `/` (empty for none).
fn issuer_path(issuer: &Url) -> &str {
    issuer.path().trim_end_matches('/')
}

/// `issuer` with `path` and without a fragment (a fragment never travels).
fn with_path(issuer: &Url, path: &str) -> Url {
    let mut url = issuer.clone();
    url.set_path(path);
    url.set_fragment(None);
    url
}

/// RFC 8414 §3.1: the metadata URL of `issuer`.
pub fn rfc8414(issuer: &Url) -> Url {
    with_path(
        issuer,
        &format!("/.well-known/{OAUTH_SUFFIX}{}", issuer_path(issuer)),
    )
}

/// OpenID Connect Discovery 1.0 §4.1: the configuration URL of `issuer`.
pub fn openid(issuer: &Url) -> Url {
    with_path(
        issuer,
        &format!("{}/.well-known/{OPENID_SUFFIX}", issuer_path(issuer)),
    )
}

/// The RFC 8414 suffix appended after the issuer's path ([`Rule::Appended`]).
pub fn appended(issuer: &Url) -> Url {
    with_path(
        issuer,
        &format!("{}/.well-known/{OAUTH_SUFFIX}", issuer_path(issuer)),
    )
}

/// Where to look for the metadata of the server at `given`, in order: the
/// URL itself when it is a well-known URL already; else RFC 8414 §3.1, then
/// OpenID Connect, then (for an issuer with a path) the appended form. All
/// on `given`'s origin; duplicates left out.
pub fn candidates(given: &Url) -> Vec<Candidate> {
    if given.path().contains("/.well-known/") {
        return vec![Candidate {
            url: given.clone(),
            rule: Rule::Given,
        }];
    }
    let mut out: Vec<Candidate> = Vec::new();
    let formed = [
        (rfc8414(given), Rule::Rfc8414),
        (openid(given), Rule::OpenId),
        (appended(given), Rule::Appended),
    ];
    for (url, rule) in formed {
        if !out.iter().any(|c| c.url == url) {
            out.push(Candidate { url, rule });
        }
    }
    out
}

/// The issuer a well-known URL was formed from by `rule`, for a URL given
/// directly (the inverse of the rules above), if it is one of them.
pub fn issuer_of(metadata_url: &Url) -> Option<Url> {
    let path = metadata_url.path();
    let inserted = format!("/.well-known/{OAUTH_SUFFIX}");
    let issuer_path = if let Some(rest) = path.strip_prefix(&inserted) {
        rest.to_owned()
    } else if let Some(rest) = path.strip_suffix(&format!("/.well-known/{OPENID_SUFFIX}")) {
        rest.to_owned()
    } else {
        path.strip_suffix(&inserted)?.to_owned()
    };
    Some(with_path(metadata_url, &issuer_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn rfc8414_inserts_between_host_and_path_without_the_terminating_slash() {
        assert_eq!(
            rfc8414(&url("https://as.example")).as_str(),
            "https://as.example/.well-known/oauth-authorization-server"
        );
        assert_eq!(
            rfc8414(&url("https://as.example/issuer1/")).as_str(),
            "https://as.example/.well-known/oauth-authorization-server/issuer1"
        );
        assert_eq!(
            rfc8414(&url("http://127.0.0.1:8765/api/o")).as_str(),
            "http://127.0.0.1:8765/.well-known/oauth-authorization-server/api/o"
        );
    }

    #[test]
    fn openid_appends_after_the_path() {
        assert_eq!(
            openid(&url("https://as.example/issuer1")).as_str(),
            "https://as.example/issuer1/.well-known/openid-configuration"
        );
        assert_eq!(
            openid(&url("https://as.example/")).as_str(),
            "https://as.example/.well-known/openid-configuration"
        );
    }

    #[test]
    fn candidates_try_rfc8414_then_openid_then_appended_on_the_same_origin() {
        let tried: Vec<(String, Rule)> = candidates(&url("http://127.0.0.1:8765/api/o"))
            .into_iter()
            .map(|c| (c.url.to_string(), c.rule))
            .collect();
        assert_eq!(
            tried,
            vec![
                (
                    "http://127.0.0.1:8765/.well-known/oauth-authorization-server/api/o".into(),
                    Rule::Rfc8414
                ),
                (
                    "http://127.0.0.1:8765/api/o/.well-known/openid-configuration".into(),
                    Rule::OpenId
                ),
                (
                    "http://127.0.0.1:8765/api/o/.well-known/oauth-authorization-server".into(),
                    Rule::Appended
                ),
            ]
        );
        // Without a path, the appended form is the RFC 8414 one: asked once.
        assert_eq!(candidates(&url("https://as.example")).len(), 2);
        let given = url("https://as.example/.well-known/openid-configuration");
        assert_eq!(
            candidates(&given),
            vec![Candidate {
                url: given.clone(),
                rule: Rule::Given
            }]
        );
    }

    #[test]
    fn a_given_well_known_url_names_its_issuer() {
        let issuer = |s: &str| issuer_of(&url(s)).map(|u| u.to_string());
        assert_eq!(
            issuer("http://h/.well-known/oauth-authorization-server/api/o"),
            Some("http://h/api/o".into())
        );
        assert_eq!(
            issuer("http://h/api/o/.well-known/openid-configuration"),
            Some("http://h/api/o".into())
        );
        assert_eq!(
            issuer("http://h/api/o/.well-known/oauth-authorization-server"),
            Some("http://h/api/o".into())
        );
        assert_eq!(issuer("http://h/.well-known/jwks.json"), None);
    }
}
