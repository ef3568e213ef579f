//! `[authorization_code.login]`: what the login driver cannot guess about a
//! provider's login and consent pages.
//!
//! Every setting has a default that fits Django-style and most hand-written
//! pages (a `username` and a `password` field, an `account` choice, buttons
//! that say "Authorize" or "Cancel"); a profile sets only what differs.

use serde::Deserialize;

use super::is_loopback;

/// The login driver's settings.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LoginSettings {
    /// The login form's user name field. When the form has no field of
    /// this name, its one visible text field is used.
    pub username_field: String,
    /// The password field, when a form has several (otherwise the
    /// `type="password"` field is found by its type).
    pub password_field: String,
    /// Where the user picks an account: a select, radio buttons (each
    /// offered, matched by value or by its label), or a hidden field.
    pub account_field: String,
    /// The control that approves: a submit's name, or its text. Unset (or
    /// not on the page): a submit that says one of `approve_words`, else a
    /// form's only submit. Its earlier name `approve_field` is still read.
    #[serde(alias = "approve_field")]
    pub approve: Option<String>,
    /// The control that denies: a submit's name or text, or a link's text.
    /// Unset: a submit or link that says one of `deny_words`.
    pub deny: Option<String>,
    /// Words (or phrases) of a control that approves, matched as whole
    /// words, case aside.
    pub approve_words: Vec<String>,
    /// Words (or phrases) of a control or link that denies; checked before
    /// the approve words ("Don't allow" denies).
    pub deny_words: Vec<String>,
    /// Other origins (`https://login.example.com`) that may receive the
    /// login form and the other forms; the target's own origin always may.
    /// Plain `http://` only on loopback, unless the profile's top-level
    /// `allow_plain_http` says otherwise.
    pub login_origins: Vec<String>,
    /// The consent form's CSRF token field, for the check that an approval
    /// without it gives no code (RFC 6749 §10.12). Unset: a hidden field
    /// whose name says csrf or xsrf, or one of the names frameworks use
    /// (`authenticity_token`, `_token`, `__RequestVerificationToken`).
    pub csrf_field: Option<String>,
    /// A program that does the whole login instead of the suite's driver:
    /// its path and arguments (`["scripts/login.sh", "--verbose"]`). Its
    /// contract is `crate::client::login::command`'s. Empty: the variable
    /// `OAUTH_CONFORMANCE_LOGIN_COMMAND` (a path), else the suite's driver.
    pub command: Vec<String>,
    /// When to drive the pages in headless Chromium: `auto` (a page the
    /// HTML reader finds nothing to act on, such as a login page a script
    /// renders), `never`, or `always`.
    pub browser: BrowserUse,
    /// The Chromium to run (else `OAUTH_CONFORMANCE_CHROMIUM`, else
    /// `chromium`, `chromium-browser` or `google-chrome` on `PATH`).
    pub chromium: Option<String>,
}

/// When the login driver uses headless Chromium.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BrowserUse {
    /// Only for a page the HTML reader finds nothing to act on.
    #[default]
    Auto,
    Never,
    Always,
}

impl Default for LoginSettings {
    fn default() -> Self {
        let list = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect();
        Self {
            username_field: "username".into(),
            password_field: "password".into(),
            account_field: "account".into(),
            approve: None,
            deny: None,
            approve_words: list(&[
                "allow",
                "authorize",
                "authorise",
                "approve",
                "accept",
                "continue",
                "yes",
                "grant",
                "confirm",
                "consent",
                "agree",
                "ok",
            ]),
            deny_words: list(&[
                "deny",
                "cancel",
                "decline",
                "reject",
                "abort",
                "refuse",
                "disallow",
                "don't allow",
                "do not allow",
                "not now",
                "no",
            ]),
            login_origins: Vec::new(),
            csrf_field: None,
            command: Vec::new(),
            browser: BrowserUse::Auto,
            chromium: None,
        }
    }
}

impl LoginSettings {
    /// The origins of `login_origins`, parsed.
    pub fn origins(&self) -> Vec<url::Origin> {
        self.login_origins
            .iter()
            .filter_map(|o| url::Url::parse(o).ok())
            .map(|u| u.origin())
            .collect()
    }

    /// Rules serde cannot express; each message names the setting.
    /// `allow_plain_http`: the profile's own (plain http beyond loopback).
    pub fn validate(&self, allow_plain_http: bool) -> Result<(), String> {
        const AT: &str = "authorization_code.login";
        for (key, value) in [
            ("username_field", &self.username_field),
            ("password_field", &self.password_field),
            ("account_field", &self.account_field),
        ] {
            if value.trim().is_empty() {
                return Err(format!(
                    "field `{AT}.{key}` is empty: give the form field's name"
                ));
            }
        }
        if self.command.first().is_some_and(|c| c.trim().is_empty()) {
            return Err(format!(
                "field `{AT}.command` starts with an empty program: give [\"path/to/program\", \"arg\", ...]"
            ));
        }
        for (key, value) in [
            ("approve", &self.approve),
            ("deny", &self.deny),
            ("csrf_field", &self.csrf_field),
            ("chromium", &self.chromium),
        ] {
            if value.as_ref().is_some_and(|v| v.trim().is_empty()) {
                return Err(format!(
                    "field `{AT}.{key}` is empty: give the control's name or text, or leave it out"
                ));
            }
        }
        for (key, list) in [
            ("approve_words", &self.approve_words),
            ("deny_words", &self.deny_words),
        ] {
            if list.iter().any(|w| w.trim().is_empty()) {
                return Err(format!("field `{AT}.{key}` holds an empty word"));
            }
        }
        for origin in &self.login_origins {
            validate_origin(origin, allow_plain_http)
                .map_err(|why| format!("field `{AT}.login_origins`: {origin:?} {why}"))?;
        }
        Ok(())
    }
}

fn validate_origin(origin: &str, allow_plain_http: bool) -> Result<(), String> {
    let url = url::Url::parse(origin).map_err(|e| format!("is not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("is not an http or https origin".into());
    }
    let bare = url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty();
    if !bare {
        return Err("is not an origin: give scheme://host[:port], without a path".into());
    }
    if url.scheme() == "http" && !is_loopback(&url) && !allow_plain_http {
        return Err(
                "is plain http to a host that is not loopback: the password would cross the network in clear; use https, or set `allow_plain_http = true` at the top of the profile if you mean it"
                    .into(),
            );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_origins(origins: &[&str]) -> LoginSettings {
        LoginSettings {
            login_origins: origins.iter().map(|o| (*o).to_owned()).collect(),
            ..LoginSettings::default()
        }
    }

    #[test]
    fn origins_are_bare_and_plain_http_only_on_loopback() {
        assert_eq!(
            with_origins(&["https://login.example.com", "http://127.0.0.1:8767"]).validate(false),
            Ok(())
        );
        let err = with_origins(&["https://login.example.com/path"])
            .validate(false)
            .unwrap_err();
        assert!(err.contains("without a path"), "{err}");
        let err = with_origins(&["http://login.example.com"])
            .validate(false)
            .unwrap_err();
        assert!(err.contains("allow_plain_http"), "{err}");
        let err = with_origins(&["ftp://x"]).validate(false).unwrap_err();
        assert!(err.contains("http or https"), "{err}");
        let allowed = with_origins(&["http://login.example.com"]);
        assert_eq!(allowed.validate(true), Ok(()));
    }

    fn with_table(table: &str) -> Result<super::super::Profile, String> {
        let text = format!("{}\n{table}\n", super::super::BUILT_IN[0].1);
        super::super::Profile::from_toml(&text, "p.toml").map_err(|e| e.to_string())
    }

    #[test]
    fn the_earlier_forms_table_is_still_read() {
        let p = with_table(
            "[authorization_code.forms]\nusername_field = \"login\"\napprove_field = \"allow\"",
        )
        .unwrap();
        let login = &p.authorization_code.unwrap().login;
        assert_eq!(login.username_field, "login");
        assert_eq!(login.approve.as_deref(), Some("allow"));
    }

    #[test]
    fn login_settings_are_read_and_checked() {
        let p = with_table(
            "[authorization_code.login]\nusername_field = \"login\"\ndeny = \"[ Cancel ]\"\nlogin_origins = [\"https://login.example\"]",
        )
        .unwrap();
        let login = &p.authorization_code.unwrap().login;
        assert_eq!(login.username_field, "login");
        assert_eq!(login.password_field, "password");
        assert_eq!(login.deny.as_deref(), Some("[ Cancel ]"));
        let err =
            with_table("[authorization_code.login]\nlogin_origins = [\"http://login.example/x\"]")
                .unwrap_err();
        assert!(
            err.contains("authorization_code.login.login_origins"),
            "{err}"
        );
        let p = with_table(
            "[authorization_code.login]\ncommand = [\"scripts/login.sh\", \"-v\"]\nbrowser = \"never\"",
        )
        .unwrap();
        let login = &p.authorization_code.unwrap().login;
        assert_eq!(login.command, ["scripts/login.sh", "-v"]);
        assert_eq!(login.browser, BrowserUse::Never);
        let err = with_table("[authorization_code.login]\nbrowser = \"sometimes\"").unwrap_err();
        assert!(err.contains("sometimes"), "{err}");
        let err = with_table("[authorization_code.login]\ncommand = [\"\"]").unwrap_err();
        assert!(err.contains("authorization_code.login.command"), "{err}");
        let err = with_table("[authorization_code.login]\napprove_button = \"x\"").unwrap_err();
        assert!(err.contains("approve_button"), "{err}");
    }

    #[test]
    fn empty_names_are_refused_naming_the_setting() {
        let s = LoginSettings {
            username_field: " ".into(),
            ..LoginSettings::default()
        };
        assert!(
            s.validate(false)
                .unwrap_err()
                .contains("authorization_code.login.username_field")
        );
        let s = LoginSettings {
            deny: Some(String::new()),
            ..LoginSettings::default()
        };
        assert!(
            s.validate(false)
                .unwrap_err()
                .contains("authorization_code.login.deny")
        );
    }
}
