//! A forged approval: what a page on another site could make the user's
//! browser post to the consent form (RFC 6749 §10.12).
//!
//! The forgery may carry only what such a page can know: the authorization
//! request's own parameters (it can build the request itself) and the
//! consent form's constants. The CSRF token is left out or made up, and so
//! is every other hidden value that looks like a per-request secret and is
//! not among the request's parameters (Spring Authorization Server's
//! consent `state`, say, protects the consent while its `_csrf` field goes
//! unchecked). A form that posts to a URL carrying such a value (Keycloak's
//! `session_code`, an interaction id in the path) cannot be forged at all:
//! that is recorded, so a code for it is no verdict. The request itself
//! goes with another site's `Origin` and `Referer`, with the cookies a
//! browser attaches to a cross-site POST and without those it keeps back
//! (`SameSite=Lax`/`Strict`), each recorded with its attribute (see `flow`
//! and `jar`). A form with no CSRF token field at all is forged too, when
//! the token is to be left out: there is nothing to leave out, and the
//! approval goes as another site's page would send it.

use rand::Rng;

use super::ConsentForgery;
use super::page::{Form, Kind};
use super::recognise;
use crate::profile::LoginSettings;

/// The site a forged approval comes from (`.invalid`, RFC 2606: no such
/// host exists, and nothing is ever sent there).
pub const CROSS_SITE_ORIGIN: &str = "https://cross-site.invalid";

/// Values at least this long, without spaces, are taken for per-request
/// secrets when the authorization request does not carry them.
const SECRET_LEN: usize = 16;

/// What the forgery changed, and what it could not (names only: the values
/// are secrets).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Forged {
    /// The CSRF token fields left out or made up (empty: the form carries
    /// none the suite recognises, and was sent as it is).
    pub csrf_fields: Vec<String>,
    /// Other hidden fields made up: per-request values a cross-site page
    /// could not know.
    pub made_up: Vec<String>,
    /// Parts of the form's target URL a cross-site page could not know.
    pub unforgeable: Vec<String>,
    /// The cookies of the consent form's origin, each with its `SameSite`
    /// attribute and whether the cross-site POST carried it (filled in when
    /// the forged approval is sent).
    pub cookies: Vec<CrossSiteCookie>,
}

/// A cookie of the target's origin at the moment of a cross-site POST.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossSiteCookie {
    pub name: String,
    /// The `SameSite` attribute as set (`None`: the cookie has none).
    pub same_site: Option<String>,
    /// Whether the forged POST carried it (a browser attaches a cookie
    /// without `SameSite=Lax`/`Strict` to a cross-site POST; Chrome treats
    /// one without the attribute as Lax, but still sends it on a top-level
    /// POST within two minutes of its being set).
    pub attached: bool,
}

impl CrossSiteCookie {
    /// "sessionid (SameSite=Lax, kept back)", "sid (no SameSite attribute,
    /// attached: ...)".
    pub fn describe(&self) -> String {
        match (&self.same_site, self.attached) {
            (Some(s), true) => format!("{} (SameSite={s}, attached)", self.name),
            (Some(s), false) => format!("{} (SameSite={s}, kept back)", self.name),
            (None, true) => format!(
                "{} (no SameSite attribute, attached: a browser that defaults to Lax keeps it back, but Chrome still sends it on a top-level POST within two minutes of its being set, and browsers without that default send it)",
                self.name
            ),
            (None, false) => format!("{} (no SameSite attribute, not sent there)", self.name),
        }
    }
}

impl Forged {
    /// What the forged approval carried, for the report: the token (or that
    /// there was none), the other made-up values, the foreign `Origin` and
    /// `Referer`, and each cookie with its `SameSite` attribute.
    pub fn describe(&self) -> String {
        let token = match self.csrf_fields.as_slice() {
            [] => "the consent form carries no CSRF token field the suite recognises, so the approval went as the form has it".to_owned(),
            fields => format!("CSRF token field {} left out or made up", fields.join(", ")),
        };
        let also = match self.made_up.as_slice() {
            [] => String::new(),
            made_up => format!(", its per-request {} made up too", made_up.join(", ")),
        };
        let cookies = match self.cookies.as_slice() {
            [] => "no cookie of that origin was kept".to_owned(),
            cookies => format!(
                "cookies: {}",
                cookies
                    .iter()
                    .map(CrossSiteCookie::describe)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        };
        format!("{token}{also}; Origin and Referer {CROSS_SITE_ORIGIN}; {cookies}")
    }
}

/// Forges the approval `form` would send with `submit`. A form without a
/// CSRF token field the suite recognises is forged as it is when the token
/// is to be left out (there is none to leave out); `None` when a token was
/// to be made up, as there is none to make up.
pub fn forge(
    form: &mut Form,
    submit: Option<usize>,
    forgery: ConsentForgery,
    settings: &LoginSettings,
    authorize_url: &url::Url,
) -> Option<Forged> {
    let tokens = recognise::csrf_fields(form, settings);
    if tokens.is_empty() && forgery == ConsentForgery::MadeUp {
        return None;
    }
    let known: Vec<String> = authorize_url
        .query_pairs()
        .map(|(_, v)| v.into_owned())
        .collect();
    let mut forged = Forged::default();
    for (i, control) in form.controls.iter_mut().enumerate() {
        if tokens.contains(&i) {
            match forgery {
                // A disabled control is not submitted (HTML §4.10.21.4).
                ConsentForgery::Left => control.disabled = true,
                ConsentForgery::MadeUp => control.value = made_up_like(&control.value),
            }
            forged.csrf_fields.push(control.name.clone());
        } else if control.kind == Kind::Hidden
            && !control.disabled
            && looks_secret(&control.value, &known)
        {
            control.value = made_up_like(&control.value);
            forged.made_up.push(control.name.clone());
        }
    }
    let target = submit
        .and_then(|s| form.controls.get(s))
        .and_then(|c| c.formaction.clone())
        .unwrap_or_else(|| form.action.clone());
    forged.unforgeable = unforgeable_parts(&target, &known);
    Some(forged)
}

fn looks_secret(value: &str, known: &[String]) -> bool {
    value.len() >= SECRET_LEN
        && !value.contains(char::is_whitespace)
        && !known.iter().any(|k| k == value)
}

/// The parts of `target` a cross-site page could not know: a query value
/// or a path segment that looks like a per-request secret and is not among
/// the authorization request's parameters.
fn unforgeable_parts(target: &url::Url, known: &[String]) -> Vec<String> {
    let mut parts: Vec<String> = target
        .query_pairs()
        .filter(|(_, v)| looks_secret(v, known))
        .map(|(k, _)| format!("its query parameter {k}"))
        .collect();
    if target
        .path_segments()
        .into_iter()
        .flatten()
        .any(|s| looks_secret(s, known))
    {
        parts.push("a per-request segment of its path".into());
    }
    parts
}

/// A made-up value in the shape of the `real` one: the same length, each
/// letter or digit replaced by a random one of its kind (other characters
/// kept), so a server that checks only a value's length or alphabet still
/// sees one it never issued, and nothing of the real one shows through.
pub fn made_up_like(real: &str) -> String {
    let mut rng = rand::rng();
    loop {
        let made_up: String = real
            .chars()
            .map(|c| {
                let range = match c {
                    'a'..='z' => b'a'..=b'z',
                    'A'..='Z' => b'A'..=b'Z',
                    '0'..='9' => b'0'..=b'9',
                    c => return c,
                };
                char::from(rng.random_range(range))
            })
            .collect();
        if made_up != real {
            return made_up;
        }
        if !real.chars().any(|c| c.is_ascii_alphanumeric()) {
            // Nothing to replace (empty, or no letter or digit).
            return "forged-by-another-site".into();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_made_up_value_has_the_real_ones_shape_and_another_value() {
        let real = "Kq9z-Zx_07aB";
        let made_up = made_up_like(real);
        assert_ne!(made_up, real);
        assert_eq!(made_up.len(), real.len());
        for (r, m) in real.chars().zip(made_up.chars()) {
            assert_eq!(r.is_ascii_lowercase(), m.is_ascii_lowercase(), "{made_up}");
            assert_eq!(r.is_ascii_uppercase(), m.is_ascii_uppercase(), "{made_up}");
            assert_eq!(r.is_ascii_digit(), m.is_ascii_digit(), "{made_up}");
            if !r.is_ascii_alphanumeric() {
                assert_eq!(r, m);
            }
        }
        // One letter still changes.
        assert_ne!(made_up_like("a"), "a");
        for nothing_to_replace in ["", "--", "+/="] {
            assert_eq!(made_up_like(nothing_to_replace), "forged-by-another-site");
        }
    }

    fn form(action: &str, fields: &[(&str, &str)]) -> Form {
        let html: String = fields
            .iter()
            .map(|(n, v)| format!("<input type=hidden name=\"{n}\" value=\"{v}\">"))
            .collect();
        let page = super::super::read::read(
            &"http://127.0.0.1:9/authorize".parse().unwrap(),
            &format!(
                "<form method=post action=\"{action}\">{html}<button name=allow>Allow</button></form>"
            ),
        );
        page.forms[0].clone()
    }

    const AUTHORIZE: &str = "http://127.0.0.1:9/authorize?client_id=client-1234567890abcdef&state=STATE-1234567890abcdef&scope=read";

    #[test]
    fn only_what_a_cross_site_page_knows_is_kept() {
        let mut f = form(
            "/consent",
            &[
                ("_csrf", "csrf-value-0123456789"),
                ("state", "server-consent-state-0123456789"),
                ("client_id", "client-1234567890abcdef"),
                ("oauth_state", "STATE-1234567890abcdef"),
                ("scope", "read"),
            ],
        );
        let authorize = AUTHORIZE.parse().unwrap();
        let settings = LoginSettings::default();
        let forged = forge(&mut f, None, ConsentForgery::Left, &settings, &authorize).unwrap();
        assert_eq!(forged.csrf_fields, ["_csrf"]);
        assert_eq!(forged.made_up, ["state"]);
        assert!(forged.unforgeable.is_empty());
        let value = |name: &str| f.controls.iter().find(|c| c.name == name).unwrap();
        assert!(value("_csrf").disabled);
        assert_ne!(value("state").value, "server-consent-state-0123456789");
        assert_eq!(value("client_id").value, "client-1234567890abcdef");
        assert_eq!(value("oauth_state").value, "STATE-1234567890abcdef");
        assert_eq!(value("scope").value, "read");
    }

    #[test]
    fn every_csrf_field_is_forged_and_a_per_request_target_is_named() {
        let mut f = form(
            "/login-actions/consent?session_code=AbCdEf0123456789xyz&client_id=client-1234567890abcdef",
            &[
                ("csrf", "t-0123456789abcdef"),
                ("csrf", "t-0123456789abcdef"),
            ],
        );
        let authorize = AUTHORIZE.parse().unwrap();
        let settings = LoginSettings::default();
        let forged = forge(&mut f, None, ConsentForgery::MadeUp, &settings, &authorize).unwrap();
        assert_eq!(forged.csrf_fields, ["csrf", "csrf"]);
        assert!(
            f.controls
                .iter()
                .filter(|c| c.name == "csrf")
                .all(|c| c.value != "t-0123456789abcdef")
        );
        assert_eq!(forged.unforgeable, ["its query parameter session_code"]);
        let mut by_path = form("/interaction/Zq8mVw3xT1bN5yK0pL2", &[("_csrf", "x")]);
        let forged = forge(
            &mut by_path,
            None,
            ConsentForgery::Left,
            &settings,
            &authorize,
        )
        .unwrap();
        assert_eq!(forged.unforgeable, ["a per-request segment of its path"]);
        let mut none = form("/consent", &[("session", "s")]);
        assert!(
            forge(
                &mut none,
                None,
                ConsentForgery::MadeUp,
                &settings,
                &authorize
            )
            .is_none()
        );
        let forged = forge(&mut none, None, ConsentForgery::Left, &settings, &authorize).unwrap();
        assert!(forged.csrf_fields.is_empty() && forged.made_up.is_empty());
        assert!(forged.describe().contains("carries no CSRF token field"));
    }
}
