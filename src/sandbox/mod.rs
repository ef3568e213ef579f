//! The real-server target: a provider's sandbox given by URL and credentials.
//!
//! The same features run against the embedded mock (the default) and against
//! a sandbox. What differs is only where the scenario's client points and who
//! it is: on the mock every scenario registers a fresh client and user; on a
//! sandbox they come from [`config::TargetSettings`]. Scenarios that can only
//! be arranged on a mock (virtual time, injected faults) are tagged `@mock`
//! and skipped here with that reason; a scenario that needs a setting nobody
//! gave is skipped naming the variable.
//!
//! - [`config`]: the `OAUTH_CONFORMANCE_*` settings (environment, TOML file,
//!   flags), secrets from the environment only.
//! - [`deviations`]: a target's declared known deviations (check id + reason).
//! - [`reachable`]: the fail-fast probe run before any scenario.
//! - [`preflight`]: each identity the run was given (clients, test user)
//!   tried once before any scenario, so a wrong setting is reported as
//!   set-up and its scenarios are not run, never blamed on the server.
//!
//! The login driver that logs the test user in and approves access lives in
//! [`crate::client::login`]: the mock serves real HTML forms too, so the
//! same driver is exercised on every `cargo test`.

pub mod config;
pub mod deviations;
pub mod preflight;

pub use config::{ConfigError, NotConfigured, Setting, TargetSettings};
pub use deviations::{Deviations, DeviationsError};
pub use preflight::{Identity, Preflight};

use crate::client::{HttpRequest, Transport, TransportError};

/// Where the scenarios' requests go.
#[derive(Clone, Debug, Default)]
pub enum Target {
    /// A fresh embedded mock server per scenario.
    #[default]
    Mock,
    /// A real server.
    Sandbox(Sandbox),
}

#[derive(Clone, Debug)]
pub struct Sandbox {
    pub base_url: url::Url,
    pub settings: TargetSettings,
}

impl Target {
    /// The target the settings describe: a sandbox when a target URL is set.
    pub fn from_settings(settings: TargetSettings) -> Result<Self, ConfigError> {
        Ok(match settings.target()? {
            None => Target::Mock,
            Some(base_url) => Target::Sandbox(Sandbox { base_url, settings }),
        })
    }

    pub fn is_mock(&self) -> bool {
        matches!(self, Target::Mock)
    }

    pub fn describe(&self) -> String {
        match self {
            Target::Mock => "the embedded mock server".into(),
            Target::Sandbox(s) => s.base_url.to_string(),
        }
    }
}

/// The target did not answer the probe: the run cannot start.
#[derive(Debug, thiserror::Error)]
#[error(
    "the target {url} {kind}: {source}\nStart the server, or fix the target URL (set by {origin})."
)]
pub struct Unreachable {
    pub url: url::Url,
    /// What went wrong, in words ("is unreachable", "does not answer in time").
    pub kind: &'static str,
    /// Where the URL came from ("--target", "OAUTH_CONFORMANCE_TARGET", a file).
    pub origin: String,
    pub source: TransportError,
}

/// Fails fast, before any scenario, when the target does not answer at all:
/// any HTTP answer (even a 404) proves a server is there; a refused
/// connection, a DNS or TLS failure or a timeout does not.
pub async fn reachable(transport: &Transport, sandbox: &Sandbox) -> Result<(), Unreachable> {
    let probe = HttpRequest {
        method: "GET".into(),
        url: sandbox.base_url.clone(),
        headers: Vec::new(),
        body: None,
    };
    match transport.send(&probe).await {
        Ok(_) => Ok(()),
        Err(source) => Err(Unreachable {
            url: sandbox.base_url.clone(),
            kind: match &source {
                TransportError::Unreachable { .. } => "is unreachable",
                TransportError::Dns { .. } => "has a host name that does not resolve (DNS)",
                TransportError::Tls { .. } => "fails the TLS handshake",
                TransportError::Timeout { .. } => "does not answer in time",
                _ => "cannot be reached",
            },
            origin: sandbox.settings.origin(Setting::Target).to_owned(),
            source,
        }),
    }
}
