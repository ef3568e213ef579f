//! Where the user agent may go, and where it may send what the user typed.
//!
//! - It may *follow* a redirect to any `https` URL, and to `http` only on a
//!   loopback host (127.0.0.0/8, ::1, localhost) unless the profile allows
//!   plain http (its top-level `allow_plain_http`): a server chooses its redirects, and a
//!   GET carries nothing of the user's (cookies are kept per origin, see
//!   [`super::jar`]).
//! - It may *submit a form* or follow a link it chose (the deny link) only
//!   to the origin of the authorization endpoint and the origins the
//!   profile lists in `login_origins`: the password, and any form, goes
//!   nowhere else.
//! - It never fetches the redirect URI: reaching it (same scheme, host, port
//!   and path) ends the flow.

use super::LoginError;
use crate::profile::LoginSettings;
use crate::profile::is_loopback;
use crate::redact::redact;

#[derive(Clone, Debug)]
pub struct Policy {
    allowed: Vec<url::Origin>,
    allow_plain_http: bool,
    redirect_uri: Option<url::Url>,
    redirect_uri_text: String,
}

impl Policy {
    /// `allow_plain_http`: the profile's own (plain http beyond loopback).
    pub fn new(
        authorize_url: &url::Url,
        redirect_uri: &str,
        settings: &LoginSettings,
        allow_plain_http: bool,
    ) -> Self {
        let mut allowed = vec![authorize_url.origin()];
        allowed.extend(settings.origins());
        Self {
            allowed,
            allow_plain_http,
            redirect_uri: url::Url::parse(redirect_uri).ok(),
            redirect_uri_text: redirect_uri.to_owned(),
        }
    }

    /// Whether `url` is the redirect URI (its query aside): the flow ends
    /// there, without fetching it.
    pub fn arrived(&self, url: &url::Url) -> bool {
        match &self.redirect_uri {
            Some(r) => {
                r.scheme() == url.scheme()
                    && r.host_str() == url.host_str()
                    && r.port_or_known_default() == url.port_or_known_default()
                    && r.path() == url.path()
            }
            None => url.as_str().starts_with(&self.redirect_uri_text),
        }
    }

    /// Whether the user agent may request `url` at all.
    pub fn may_fetch(&self, url: &url::Url) -> Result<(), LoginError> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.allow_plain_http || is_loopback(url) => Ok(()),
            "http" => Err(LoginError::Refused {
                url: redact(url.as_str()),
                why: "it is plain http to a host that is not loopback (set allow_plain_http = true at the top of the profile to allow it)".into(),
            }),
            other => Err(LoginError::Refused {
                url: redact(url.as_str()),
                why: format!("its scheme {other:?} is not http or https"),
            }),
        }
    }

    /// Whether the user agent may send a form (`password`: one with the
    /// password) or follow a chosen link to `url`.
    pub fn may_submit(&self, url: &url::Url, password: bool) -> Result<(), LoginError> {
        self.may_fetch(url)?;
        let origin = url.origin();
        if self.allowed.contains(&origin) {
            return Ok(());
        }
        let what = if password {
            "the login form with the password"
        } else {
            "a form or link"
        };
        Err(LoginError::Refused {
            url: redact(url.as_str()),
            why: format!(
                "it would send {what} to {}, which is neither the authorization endpoint's origin nor in authorization_code.login.login_origins (allowed: {})",
                origin.ascii_serialization(),
                self.allowed
                    .iter()
                    .map(url::Origin::ascii_serialization)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        s.parse().unwrap()
    }

    fn policy(origins: &[&str], plain: bool) -> Policy {
        let settings = LoginSettings {
            login_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
            ..LoginSettings::default()
        };
        Policy::new(
            &url("https://as.example/authorize?x=1"),
            "https://app.example/cb",
            &settings,
            plain,
        )
    }

    #[test]
    fn forms_go_only_to_the_target_and_listed_origins() {
        let p = policy(&["https://login.example"], false);
        assert!(p.may_submit(&url("https://as.example/login"), true).is_ok());
        assert!(p.may_submit(&url("https://login.example/x"), true).is_ok());
        let err = p
            .may_submit(&url("https://evil.example/x"), true)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("with the password to https://evil.example"),
            "{err}"
        );
        // Another port is another origin.
        assert!(
            p.may_submit(&url("https://as.example:8443/x"), false)
                .is_err()
        );
    }

    #[test]
    fn plain_http_only_on_loopback_unless_allowed() {
        let p = policy(&[], false);
        assert!(p.may_fetch(&url("http://127.0.0.1:8765/x")).is_ok());
        assert!(p.may_fetch(&url("http://[::1]:80/x")).is_ok());
        assert!(p.may_fetch(&url("http://localhost/x")).is_ok());
        assert!(p.may_fetch(&url("http://as.example/x")).is_err());
        assert!(p.may_fetch(&url("file:///etc/passwd")).is_err());
        assert!(
            policy(&[], true)
                .may_fetch(&url("http://as.example/x"))
                .is_ok()
        );
    }

    #[test]
    fn the_redirect_uri_is_recognised_with_any_query() {
        let p = policy(&[], false);
        assert!(p.arrived(&url("https://app.example/cb?code=x&state=y")));
        assert!(p.arrived(&url("https://app.example:443/cb")));
        assert!(!p.arrived(&url("https://app.example/cb/more")));
        assert!(!p.arrived(&url("https://app.example:8443/cb")));
    }

    #[test]
    fn the_password_goes_to_the_declared_authorization_endpoint_not_the_target() {
        let mut profile = crate::profile::Profile::load("rfc6749").unwrap();
        let ac = profile.authorization_code.as_mut().unwrap();
        ac.authorize_path = "http://localhost:8794/authorize".into();
        let target = url("http://127.0.0.1:8794/");
        let authorize = crate::profile::endpoints::resolve(&target, &ac.authorize_path).unwrap();
        let p = Policy::new(&authorize, "https://app.example/cb", &ac.login, false);
        assert!(
            p.may_submit(&url("http://localhost:8794/login"), true)
                .is_ok()
        );
        let err = p
            .may_submit(&url("http://127.0.0.1:8794/login"), true)
            .unwrap_err();
        assert!(
            err.to_string().contains("allowed: http://localhost:8794"),
            "{err}"
        );
    }
}
