//! Where the suite runs and as whom: the target's settings.
//!
//! One set of names for `cargo test` and the CLI. Values come, in order of
//! precedence, from command-line flags, `OAUTH_CONFORMANCE_*` environment
//! variables, and an optional TOML file (`OAUTH_CONFORMANCE_CONFIG` or
//! `--config`). Secrets (client secrets, the user's password) are read from
//! the environment only: a file is copied, committed and pasted into tickets,
//! so a secret found in one is refused with the variable to use instead.
//!
//! A setting a scenario needs but nobody gave is not an error here: the
//! scenario that needs it is skipped and the skip names the variable
//! ([`Setting::variable`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::client::{ClientCredentials, Secret};
use crate::redact::{
    redact, register_client_credentials, register_secret, register_shown, short_secret_warning,
};

/// Every setting, with the environment variable that carries it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Setting {
    Target,
    Profile,
    ClientId,
    ClientSecret,
    SecondClientId,
    SecondClientSecret,
    RestrictedClientId,
    RestrictedClientSecret,
    RedirectUri,
    HttpRedirectUri,
    Username,
    Password,
    Deviations,
}

impl Setting {
    pub const ALL: [Setting; 13] = [
        Setting::Target,
        Setting::Profile,
        Setting::ClientId,
        Setting::ClientSecret,
        Setting::SecondClientId,
        Setting::SecondClientSecret,
        Setting::RestrictedClientId,
        Setting::RestrictedClientSecret,
        Setting::RedirectUri,
        Setting::HttpRedirectUri,
        Setting::Username,
        Setting::Password,
        Setting::Deviations,
    ];

    /// The environment variable.
    pub fn variable(self) -> &'static str {
        match self {
            Setting::Target => "OAUTH_CONFORMANCE_TARGET",
            Setting::Profile => "OAUTH_CONFORMANCE_PROFILE",
            Setting::ClientId => "OAUTH_CONFORMANCE_CLIENT_ID",
            Setting::ClientSecret => "OAUTH_CONFORMANCE_CLIENT_SECRET",
            Setting::SecondClientId => "OAUTH_CONFORMANCE_SECOND_CLIENT_ID",
            Setting::SecondClientSecret => "OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET",
            Setting::RestrictedClientId => "OAUTH_CONFORMANCE_RESTRICTED_CLIENT_ID",
            Setting::RestrictedClientSecret => "OAUTH_CONFORMANCE_RESTRICTED_CLIENT_SECRET",
            Setting::RedirectUri => "OAUTH_CONFORMANCE_REDIRECT_URI",
            Setting::HttpRedirectUri => "OAUTH_CONFORMANCE_HTTP_REDIRECT_URI",
            Setting::Username => "OAUTH_CONFORMANCE_USERNAME",
            Setting::Password => "OAUTH_CONFORMANCE_PASSWORD",
            Setting::Deviations => "OAUTH_CONFORMANCE_DEVIATIONS",
        }
    }

    /// The key in the TOML file.
    pub fn key(self) -> &'static str {
        match self {
            Setting::Target => "target",
            Setting::Profile => "profile",
            Setting::ClientId => "client_id",
            Setting::ClientSecret => "client_secret",
            Setting::SecondClientId => "second_client_id",
            Setting::SecondClientSecret => "second_client_secret",
            Setting::RestrictedClientId => "restricted_client_id",
            Setting::RestrictedClientSecret => "restricted_client_secret",
            Setting::RedirectUri => "redirect_uri",
            Setting::HttpRedirectUri => "http_redirect_uri",
            Setting::Username => "username",
            Setting::Password => "password",
            Setting::Deviations => "deviations",
        }
    }

    pub fn is_secret(self) -> bool {
        matches!(
            self,
            Setting::ClientSecret
                | Setting::SecondClientSecret
                | Setting::RestrictedClientSecret
                | Setting::Password
        )
    }

    /// What a scenario needs it for, said in a skip message.
    fn purpose(self) -> &'static str {
        match self {
            Setting::Target => "the server to test",
            Setting::Profile => "the provider profile",
            Setting::ClientId | Setting::ClientSecret => "the registered client",
            Setting::RestrictedClientId | Setting::RestrictedClientSecret => {
                "a client registered for the authorization code grant only (to show a grant it is not registered for is refused with unauthorized_client)"
            }
            Setting::SecondClientId | Setting::SecondClientSecret => {
                "a second registered client (to show one client's code or refresh token is refused for another)"
            }
            Setting::RedirectUri => "the redirect URI registered for the client",
            Setting::HttpRedirectUri => {
                "an http redirect URI on a host that is not loopback, which the second client tried to register (to show the server does not allow it, RFC 9700 §2.6)"
            }
            Setting::Username | Setting::Password => "a test user who logs in and approves access",
            Setting::Deviations => "the target's declared deviations",
        }
    }
}

/// A setting a scenario needs is missing: the scenario is skipped with this.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{} is not set ({}); set it to run this scenario against the target", .0.variable(), .0.purpose())]
pub struct NotConfigured(pub Setting);

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the settings file {path}: {detail}")]
    Unreadable { path: String, detail: String },
    #[error("settings file {path}: {detail}")]
    Invalid { path: String, detail: String },
    #[error(
        "settings file {path} holds `{key}`, a secret: secrets are read only from the environment. Remove it from the file and set {variable} instead"
    )]
    SecretInFile {
        path: String,
        key: &'static str,
        variable: &'static str,
    },
    #[error("{variable} = {value:?} is not a usable URL: {detail}")]
    BadUrl {
        variable: &'static str,
        value: String,
        detail: String,
    },
}

/// The settings as given, before anyone asked for one.
#[derive(Clone, Default)]
pub struct TargetSettings {
    values: BTreeMap<Setting, String>,
    /// Where each value came from ("--target", "OAUTH_CONFORMANCE_TARGET",
    /// "settings.toml"), for messages.
    origins: BTreeMap<Setting, String>,
}

/// Never prints a secret value.
impl std::fmt::Debug for TargetSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.values {
            if k.is_secret() {
                m.entry(&k.variable(), &"[REDACTED]");
            } else {
                m.entry(&k.variable(), v);
            }
        }
        m.finish()
    }
}

impl TargetSettings {
    /// Reads the process environment and, when `OAUTH_CONFORMANCE_CONFIG` or
    /// `config_file` names one, a TOML file (`config_file` wins). Warns on
    /// stderr about every secret too short to be redacted reliably.
    pub fn from_env(config_file: Option<&Path>) -> Result<Self, ConfigError> {
        let settings = Self::load(|name| std::env::var(name).ok(), config_file)?;
        for warning in settings.short_secret_warnings() {
            eprintln!("{warning}");
        }
        Ok(settings)
    }

    /// Like [`Self::from_env`] with the environment given as a function, so
    /// tests do not touch the process environment.
    pub fn load(
        env: impl Fn(&str) -> Option<String>,
        config_file: Option<&Path>,
    ) -> Result<Self, ConfigError> {
        let mut settings = Self::default();
        // Secrets first, so that no later message can show one.
        for setting in Setting::ALL.into_iter().filter(|s| s.is_secret()) {
            if let Some(value) = env(setting.variable()).filter(|v| !v.trim().is_empty()) {
                settings.set(setting, value, setting.variable());
            }
        }
        settings.register_secrets();
        let file = config_file
            .map(Path::to_path_buf)
            .or_else(|| env("OAUTH_CONFORMANCE_CONFIG").map(PathBuf::from));
        if let Some(path) = file {
            settings.read_file(&path)?;
        }
        for setting in Setting::ALL {
            if let Some(value) = env(setting.variable()).filter(|v| !v.trim().is_empty()) {
                settings.set(setting, value, setting.variable());
            }
        }
        settings.register_shown();
        Ok(settings)
    }

    fn read_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Unreadable {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        let table: toml::Table =
            text.parse()
                .map_err(|e: toml::de::Error| ConfigError::Invalid {
                    path: shown.clone(),
                    detail: syntax_error(&text, &e),
                })?;
        for (key, value) in table {
            let Some(setting) = Setting::ALL.into_iter().find(|s| s.key() == key) else {
                let known: Vec<&str> = Setting::ALL
                    .iter()
                    .filter(|s| !s.is_secret())
                    .map(|s| s.key())
                    .collect();
                return Err(ConfigError::Invalid {
                    path: shown,
                    detail: format!("unknown key `{key}`; known keys: {}", known.join(", ")),
                });
            };
            if setting.is_secret() {
                return Err(ConfigError::SecretInFile {
                    path: shown,
                    key: setting.key(),
                    variable: setting.variable(),
                });
            }
            let toml::Value::String(mut value) = value else {
                return Err(ConfigError::Invalid {
                    path: shown,
                    detail: format!("`{key}` must be a string"),
                });
            };
            // A relative deviations path is relative to the settings file.
            if setting == Setting::Deviations
                && Path::new(&value).is_relative()
                && let Some(dir) = path.parent()
            {
                value = dir.join(&value).display().to_string();
            }
            self.set(setting, value, &shown);
        }
        Ok(())
    }

    /// Registers the secret settings for redaction: the client secrets with
    /// their Basic spellings (when the id is known too), the password.
    fn register_secrets(&self) {
        let pairs = [
            (Setting::ClientId, Setting::ClientSecret),
            (Setting::SecondClientId, Setting::SecondClientSecret),
            (Setting::RestrictedClientId, Setting::RestrictedClientSecret),
        ];
        for (id, secret) in pairs {
            if let Some(value) = self.get(secret) {
                register_client_credentials(self.get(id).unwrap_or_default(), value);
            }
        }
        if let Some(password) = self.get(Setting::Password) {
            register_secret(password);
        }
    }

    /// Registers the client ids and the user name as values reports show
    /// as they are: what a secret shares with them (`conformance-` in a
    /// sandbox's password and in its client ids) still reads as written.
    fn register_shown(&self) {
        for setting in [
            Setting::ClientId,
            Setting::SecondClientId,
            Setting::RestrictedClientId,
            Setting::Username,
        ] {
            if let Some(value) = self.get(setting) {
                register_shown(value);
            }
        }
    }

    /// A warning for each secret setting too short to be redacted reliably
    /// (naming the variable, never the value).
    pub fn short_secret_warnings(&self) -> Vec<String> {
        Setting::ALL
            .into_iter()
            .filter(|s| s.is_secret())
            .filter_map(|s| short_secret_warning(s.variable(), self.get(s)?))
            .collect()
    }

    /// Sets a value (a command-line flag overrides what came before).
    pub fn set(&mut self, setting: Setting, value: impl Into<String>, origin: &str) {
        self.values.insert(setting, value.into());
        self.origins.insert(setting, origin.to_owned());
    }

    pub fn get(&self, setting: Setting) -> Option<&str> {
        self.values.get(&setting).map(String::as_str)
    }

    /// Where a value came from, for messages.
    pub fn origin(&self, setting: Setting) -> &str {
        self.origins
            .get(&setting)
            .map(String::as_str)
            .unwrap_or(setting.variable())
    }

    fn require(&self, setting: Setting) -> Result<&str, NotConfigured> {
        self.get(setting).ok_or(NotConfigured(setting))
    }

    /// The server under test; `None` means the embedded mock.
    pub fn target(&self) -> Result<Option<url::Url>, ConfigError> {
        let Some(raw) = self.get(Setting::Target) else {
            return Ok(None);
        };
        let url: url::Url = raw
            .parse()
            .map_err(|e: url::ParseError| ConfigError::BadUrl {
                variable: Setting::Target.variable(),
                value: redact(raw),
                detail: format!("{e} (from {})", self.origin(Setting::Target)),
            })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(ConfigError::BadUrl {
                variable: Setting::Target.variable(),
                value: redact(raw),
                detail: "use an http:// or https:// URL with a host, e.g. http://127.0.0.1:8765"
                    .into(),
            });
        }
        Ok(Some(url))
    }

    pub fn client(&self) -> Result<ClientCredentials, NotConfigured> {
        Ok(ClientCredentials::new(
            self.require(Setting::ClientId)?,
            self.require(Setting::ClientSecret)?,
        ))
    }

    pub fn second_client(&self) -> Result<ClientCredentials, NotConfigured> {
        Ok(ClientCredentials::new(
            self.require(Setting::SecondClientId)?,
            self.require(Setting::SecondClientSecret)?,
        ))
    }

    /// A client registered for the authorization code grant only.
    pub fn restricted_client(&self) -> Result<ClientCredentials, NotConfigured> {
        Ok(ClientCredentials::new(
            self.require(Setting::RestrictedClientId)?,
            self.require(Setting::RestrictedClientSecret)?,
        ))
    }

    pub fn redirect_uri(&self) -> Result<String, NotConfigured> {
        self.require(Setting::RedirectUri).map(str::to_owned)
    }

    /// An http redirect URI on a host that is not loopback, which the
    /// second client tried to register (RFC 9700 §2.6: the server must not
    /// allow it).
    pub fn http_redirect_uri(&self) -> Result<String, NotConfigured> {
        self.require(Setting::HttpRedirectUri).map(str::to_owned)
    }

    /// The test user's name and password.
    pub fn user(&self) -> Result<(String, Secret), NotConfigured> {
        Ok((
            self.require(Setting::Username)?.to_owned(),
            Secret::new(self.require(Setting::Password)?),
        ))
    }
}

/// Where a TOML syntax error is and what it is, without the line itself: a
/// secret pasted into the file by mistake must not reach a terminal or a CI
/// log by way of an error message.
fn syntax_error(text: &str, e: &toml::de::Error) -> String {
    let at = e.span().map_or(0, |s| s.start).min(text.len());
    let before = text.get(..at).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .chars()
        .count()
        + 1;
    format!(
        "TOML syntax error at line {line}, column {column}: {}",
        e.message().trim()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn the_environment_gives_every_setting() {
        let s = TargetSettings::load(
            env(&[
                ("OAUTH_CONFORMANCE_TARGET", "http://127.0.0.1:8765"),
                ("OAUTH_CONFORMANCE_CLIENT_ID", "id"),
                ("OAUTH_CONFORMANCE_CLIENT_SECRET", "sec"),
            ]),
            None,
        )
        .unwrap();
        assert_eq!(
            s.target().unwrap().unwrap().as_str(),
            "http://127.0.0.1:8765/"
        );
        assert_eq!(s.client().unwrap().id, "id");
        assert_eq!(
            s.second_client().unwrap_err().to_string(),
            "OAUTH_CONFORMANCE_SECOND_CLIENT_ID is not set (a second registered client (to show one client's code or refresh token is refused for another)); set it to run this scenario against the target"
        );
    }

    #[test]
    fn no_target_means_the_mock() {
        let s = TargetSettings::load(env(&[]), None).unwrap();
        assert!(s.target().unwrap().is_none());
    }

    #[test]
    fn a_file_gives_plain_settings_and_the_environment_wins() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sandbox.toml");
        std::fs::write(
            &path,
            "target = \"http://127.0.0.1:1\"\nclient_id = \"from-file\"\nusername = \"u\"\ndeviations = \"dev.toml\"\n",
        )
        .unwrap();
        let s = TargetSettings::load(
            env(&[("OAUTH_CONFORMANCE_CLIENT_ID", "from-env")]),
            Some(&path),
        )
        .unwrap();
        assert_eq!(s.get(Setting::ClientId), Some("from-env"));
        assert_eq!(s.get(Setting::Username), Some("u"));
        assert_eq!(
            s.get(Setting::Deviations),
            Some(dir.path().join("dev.toml").display().to_string().as_str())
        );
    }

    #[test]
    fn a_secret_in_the_file_is_refused_naming_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, "client_secret = \"oops\"\n").unwrap();
        let err = TargetSettings::load(env(&[]), Some(&path))
            .unwrap_err()
            .to_string();
        assert!(err.contains("OAUTH_CONFORMANCE_CLIENT_SECRET"), "{err}");
        assert!(!err.contains("oops"), "{err}");
    }

    #[test]
    fn a_syntax_error_names_the_line_and_never_quotes_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(
            &path,
            "target = \"x\"\nclient_secret = \"oops-very-secret\n",
        )
        .unwrap();
        let err = TargetSettings::load(env(&[]), Some(&path))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(!err.contains("oops-very-secret"), "{err}");
    }

    #[test]
    fn short_secrets_are_warned_about_by_name() {
        let s = TargetSettings::load(
            env(&[
                ("OAUTH_CONFORMANCE_CLIENT_SECRET", "long-enough-secret"),
                ("OAUTH_CONFORMANCE_PASSWORD", "pw123"),
            ]),
            None,
        )
        .unwrap();
        let warnings = s.short_secret_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("OAUTH_CONFORMANCE_PASSWORD"));
        assert!(!warnings[0].contains("pw123"));
    }

    #[test]
    fn a_password_in_a_target_url_is_not_quoted() {
        let s = TargetSettings::load(
            env(&[("OAUTH_CONFORMANCE_TARGET", "ftp://user:hunter2-pw@host")]),
            None,
        )
        .unwrap();
        let err = s.target().unwrap_err().to_string();
        assert!(!err.contains("hunter2"), "{err}");
    }

    #[test]
    fn unknown_keys_and_bad_urls_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, "taget = \"x\"\n").unwrap();
        let err = TargetSettings::load(env(&[]), Some(&path))
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown key `taget`"), "{err}");
        let s = TargetSettings::load(env(&[("OAUTH_CONFORMANCE_TARGET", "127.0.0.1:8765")]), None)
            .unwrap();
        let err = s.target().unwrap_err().to_string();
        assert!(err.contains("OAUTH_CONFORMANCE_TARGET"), "{err}");
    }

    #[test]
    fn debug_hides_secrets() {
        let s = TargetSettings::load(
            env(&[("OAUTH_CONFORMANCE_PASSWORD", "hunter2-very-secret")]),
            None,
        )
        .unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn client_ids_and_the_user_name_read_as_written_beside_a_password_like_them() {
        // As a sandbox's fixtures: the password starts like the ids.
        let _ = TargetSettings::load(
            env(&[
                ("OAUTH_CONFORMANCE_CLIENT_ID", "cfgshown-sandbox-ac-client"),
                ("OAUTH_CONFORMANCE_USERNAME", "cfgshown-sandbox-user"),
                ("OAUTH_CONFORMANCE_PASSWORD", "cfgshown-sandbox-pass-Qx81"),
            ]),
            None,
        )
        .unwrap();
        let text = "client_id=cfgshown-sandbox-ac-client&username=cfgshown-sandbox-user";
        assert_eq!(redact(text), text);
        assert_eq!(redact("pw cfgshown-sandbox-pass-Qx81 x"), "pw [REDACTED] x");
        // Changed: what it shares with the ids is left, the rest is not.
        assert_eq!(
            redact("pw cfgshown-sandbox-pass-Qx8! x"),
            "pw cfgshown-s[REDACTED]! x"
        );
    }
}
