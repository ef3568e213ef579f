//! The user agent's cookies: one RFC 6265 store per origin.
//!
//! Within an origin, [`cookie_store`] applies RFC 6265's rules: a cookie is
//! sent only where its domain and path match, a `Secure` cookie only over
//! https (or to loopback, which browsers treat as secure), an expired one
//! never, and `Max-Age`/`Expires` in the past delete a cookie. Across
//! origins nothing is shared: RFC 6265 alone would send a cookie of
//! `127.0.0.1:8765` to `127.0.0.1:8766` (§8.5: cookies do not isolate by
//! port) and a `Domain=example.com` cookie to every subdomain; a login
//! driver must not hand the target's session to another server, so each
//! origin keeps its own store. Cookie values long enough to be credentials
//! are registered for redaction as they arrive; the jar prints nothing.

use std::collections::HashMap;

use cookie_store::CookieStore;

use super::forgery::CrossSiteCookie;
use crate::client::HttpAnswer;
use crate::redact::register_secret;

/// Cookie values at least this long are registered as secrets (a session
/// id is; "en" or "true" are not, and would shred every message).
const SECRET_COOKIE_LEN: usize = 16;

/// Whether a browser keeps `cookie` back from a cross-site POST: one marked
/// `SameSite=Lax` or `Strict` (RFC 6265bis §5.8.3).
fn kept_back_cross_site(cookie: &cookie_store::Cookie<'_>) -> bool {
    cookie
        .same_site()
        .is_some_and(|s| s.is_lax() || s.is_strict())
}

#[derive(Debug, Default)]
pub struct Jar {
    stores: HashMap<String, CookieStore>,
}

fn origin_key(url: &url::Url) -> Option<String> {
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

impl Jar {
    /// Keeps the cookies `answer` sets, in the store of its origin.
    pub fn remember(&mut self, answer: &HttpAnswer) {
        let Some(key) = origin_key(&answer.url) else {
            return;
        };
        for header in answer.headers_named("set-cookie") {
            if let Some((_, value)) = header.split(';').next().and_then(|nv| nv.split_once('='))
                && value.trim().len() >= SECRET_COOKIE_LEN
            {
                register_secret(value.trim());
            }
            // A cookie the rules refuse (a foreign Domain, say) is ignored,
            // as a browser ignores it.
            let _ = self
                .stores
                .entry(key.clone())
                .or_default()
                .parse(header, &answer.url);
        }
    }

    /// The `Cookie` header for a request to `url`: only cookies of its own
    /// origin that RFC 6265 sends there. `cross_site`: the request comes
    /// from another site's page (a forged form POST), so a cookie marked
    /// `SameSite=Lax` or `Strict` stays behind, as browsers keep it
    /// (RFC 6265bis §5.8.3); one without the attribute goes, as it still
    /// does in some browsers.
    pub fn header_for(&self, url: &url::Url, cross_site: bool) -> Option<String> {
        let store = self.stores.get(&origin_key(url)?)?;
        let pairs: Vec<String> = store
            .matches(url)
            .into_iter()
            .filter(|c| !cross_site || !kept_back_cross_site(c))
            .map(|c| format!("{}={}", c.name(), c.value()))
            .collect();
        (!pairs.is_empty()).then(|| pairs.join("; "))
    }

    /// The cookies RFC 6265 sends to `url`, each with its `SameSite`
    /// attribute and whether a cross-site POST carries it (names only).
    pub fn cross_site_cookies(&self, url: &url::Url) -> Vec<CrossSiteCookie> {
        let Some(store) = origin_key(url).and_then(|k| self.stores.get(&k)) else {
            return Vec::new();
        };
        store
            .matches(url)
            .into_iter()
            .map(|c| CrossSiteCookie {
                name: c.name().to_owned(),
                same_site: c.same_site().map(|s| s.to_string()),
                attached: !kept_back_cross_site(c),
            })
            .collect()
    }

    /// The names of the cookies kept for `url`'s origin (for tests and
    /// messages: names only).
    pub fn names_for(&self, url: &url::Url) -> Vec<String> {
        let Some(store) = origin_key(url).and_then(|k| self.stores.get(&k)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = store
            .iter_unexpired()
            .map(|c| c.name().to_owned())
            .collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(url: &str, cookies: &[&str]) -> HttpAnswer {
        HttpAnswer {
            url: url.parse().unwrap(),
            status: 200,
            headers: cookies
                .iter()
                .map(|c| ("set-cookie".to_owned(), (*c).to_owned()))
                .collect(),
            body: Vec::new(),
        }
    }

    fn header(jar: &Jar, url: &str) -> Option<String> {
        jar.header_for(&url.parse().unwrap(), false)
    }

    #[test]
    fn a_cookie_value_long_enough_to_be_a_credential_is_redacted() {
        let mut jar = Jar::default();
        let long = "Sess10nValue-0123456789abcdef";
        jar.remember(&answer(
            "http://127.0.0.1:8765/",
            &[&format!("sid={long}"), "lang=zq"],
        ));
        assert!(!crate::redact::redact(&format!("sent sid={long}")).contains(long));
        assert!(crate::redact::redact("the language is zq").contains("zq"));
    }

    #[test]
    fn the_names_kept_for_an_origin_are_listed_sorted_and_only_its_own() {
        let mut jar = Jar::default();
        jar.remember(&answer("http://127.0.0.1:8765/", &["b=1", "a=2"]));
        jar.remember(&answer("http://127.0.0.1:8766/", &["c=3"]));
        assert_eq!(
            jar.names_for(&"http://127.0.0.1:8765/x".parse().unwrap()),
            ["a", "b"]
        );
        assert!(
            jar.names_for(&"http://127.0.0.1:9/".parse().unwrap())
                .is_empty()
        );
    }

    #[test]
    fn a_cross_site_post_carries_no_lax_or_strict_cookie() {
        let mut jar = Jar::default();
        jar.remember(&answer(
            "https://as.example/",
            &[
                "lax=1; SameSite=Lax",
                "strict=2; SameSite=Strict",
                "none=3; SameSite=None; Secure",
                "unmarked=4",
            ],
        ));
        let url = "https://as.example/consent".parse().unwrap();
        assert_eq!(sorted(jar.header_for(&url, true)), ["none=3", "unmarked=4"]);
        assert_eq!(
            sorted(jar.header_for(&url, false)),
            ["lax=1", "none=3", "strict=2", "unmarked=4"]
        );
    }

    #[test]
    fn a_cookie_never_crosses_to_another_origin_even_on_the_same_host() {
        let mut jar = Jar::default();
        jar.remember(&answer(
            "http://127.0.0.1:8765/authorize",
            &["session=abc; Path=/; HttpOnly"],
        ));
        assert_eq!(
            header(&jar, "http://127.0.0.1:8765/x").as_deref(),
            Some("session=abc")
        );
        assert_eq!(header(&jar, "http://127.0.0.1:8766/x"), None);
        assert_eq!(header(&jar, "https://127.0.0.1:8765/x"), None);
    }

    fn sorted(header: Option<String>) -> Vec<String> {
        let mut pairs: Vec<String> = header
            .unwrap_or_default()
            .split("; ")
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        pairs.sort();
        pairs
    }

    #[test]
    fn path_secure_and_expiry_follow_rfc_6265() {
        let mut jar = Jar::default();
        jar.remember(&answer(
            "https://as.example/o/authorize/",
            &[
                "flow=1; Path=/o/authorize",
                "site=2; Path=/",
                "sec=3; Path=/; Secure",
                "gone=4; Max-Age=0",
                "old=5; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            ],
        ));
        assert_eq!(
            sorted(header(&jar, "https://as.example/o/authorize/consent")),
            ["flow=1", "sec=3", "site=2"]
        );
        assert_eq!(
            sorted(header(&jar, "https://as.example/other")),
            ["sec=3", "site=2"]
        );
        // A later deletion removes it.
        jar.remember(&answer(
            "https://as.example/",
            &["site=; Path=/; Max-Age=0"],
        ));
        assert_eq!(sorted(header(&jar, "https://as.example/other")), ["sec=3"]);
    }

    #[test]
    fn a_secure_cookie_is_not_sent_over_plain_http_to_a_remote_host() {
        let mut jar = Jar::default();
        jar.remember(&answer("http://as.example/", &["sec=1; Secure", "plain=2"]));
        // The same origin over http: the Secure one stays home.
        assert_eq!(sorted(header(&jar, "http://as.example/")), ["plain=2"]);
    }

    #[test]
    fn a_domain_cookie_for_another_domain_is_refused() {
        let mut jar = Jar::default();
        jar.remember(&answer(
            "https://as.example/",
            &["x=1; Domain=evil.example"],
        ));
        assert_eq!(header(&jar, "https://as.example/"), None);
        assert!(
            jar.names_for(&"https://as.example/".parse().unwrap())
                .is_empty()
        );
    }
}
