//! The state of one scenario, and the few helpers every step shares.
//!
//! A scenario starts with a profile and a target (the embedded mock by
//! default), gets a client registered there, and accumulates what happened:
//! token attempts, API attempts and check outcomes. Steps read "the last
//! attempt", so Gherkin can say "When … Then …" without naming variables.

use std::sync::Arc;

use crate::checks::{CheckOutcome, require_all};
use crate::client::{ApiAttempt, ClientCredentials, OAuthClient, TokenAttempt, TokenResponse};
use crate::clock::Clock;
use crate::mock::MockAuthServer;
use crate::profile::Profile;
use crate::runner::{RunContext, ScenarioKey};
use crate::sandbox::{NotConfigured, Target};

#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct ConformanceWorld {
    ctx: Option<Arc<RunContext>>,
    pub key: Option<ScenarioKey>,
    /// Set when a step decided the scenario cannot run against this target
    /// (the writers then show it as skipped with this reason, not failed).
    pub skip_reason: Option<String>,
    pub clock: Clock,
    pub profile: Option<Profile>,
    pub mock: Option<MockAuthServer>,
    pub client: Option<OAuthClient>,
    pub token_attempts: Vec<TokenAttempt>,
    pub api_attempts: Vec<ApiAttempt>,
    pub checks: Vec<CheckOutcome>,
    /// The rule the last deliberate misstep tests (a reused code, another
    /// client's refresh token ...): the check a refusal step records as
    /// "refused at all" before checking the refusal's form.
    pub refusal_check: Option<&'static crate::checks::Check>,
    /// The rule this scenario's mock breaks ("Given the server …").
    pub server_fault: Option<crate::mock::ServerFault>,
    /// What the last run of the server check catalogue showed (fault proofs).
    pub proof: Option<crate::proof::Proof>,
    /// State of the authorization code flow, when a scenario uses it.
    pub code_flow: super::authorization_code::CodeFlowState,
    /// The token manager scenarios' state (`token_lifetime` steps).
    pub lifetime: super::token_lifetime::LifetimeState,
    /// The token validation scenarios' state (`token_validation` steps).
    pub validation: super::token_validation::ValidationState,
}

/// What a failing step prints with `-vv`: enough to orient, never a secret.
impl std::fmt::Debug for ConformanceWorld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConformanceWorld")
            .field("profile", &self.profile.as_ref().map(|p| &p.name))
            .field("target", &self.client.as_ref().map(|c| c.base_url.as_str()))
            .field("token_attempts", &self.token_attempts.len())
            .field("api_attempts", &self.api_attempts.len())
            .field("checks", &self.checks.len())
            .finish()
    }
}

pub type StepResult = Result<(), String>;

impl ConformanceWorld {
    fn new() -> Self {
        Self {
            ctx: None,
            key: None,
            skip_reason: None,
            clock: Clock::manual(),
            profile: None,
            mock: None,
            client: None,
            token_attempts: Vec::new(),
            api_attempts: Vec::new(),
            checks: Vec::new(),
            refusal_check: None,
            server_fault: None,
            proof: None,
            code_flow: Default::default(),
            lifetime: Default::default(),
            validation: Default::default(),
        }
    }

    /// Called by the runner's before-hook.
    pub fn attach(&mut self, ctx: Arc<RunContext>, key: ScenarioKey) {
        self.ctx = Some(ctx);
        self.key = Some(key);
    }

    /// Stops the scenario as *skipped* with `reason`: it cannot run against
    /// this target. Returns the error the step hands back to cucumber.
    fn skip_error(&mut self, reason: impl Into<String>) -> String {
        let reason = reason.into();
        let message = format!("skipped: {reason}");
        self.skip_reason = Some(reason);
        message
    }

    /// A setting from the sandbox configuration, or a skip naming its variable.
    pub fn setting<T>(
        &mut self,
        get: impl FnOnce(&crate::sandbox::TargetSettings) -> Result<T, NotConfigured>,
    ) -> Result<T, String> {
        let got = match &self.ctx()?.target {
            Target::Sandbox(s) => get(&s.settings),
            Target::Mock => {
                return Err("internal: sandbox settings asked for on the mock target".into());
            }
        };
        got.map_err(|missing| self.skip_error(missing.to_string()))
    }

    /// Whether the scenario runs against the embedded mock.
    pub fn on_mock(&self) -> bool {
        self.ctx.as_deref().is_none_or(|c| c.target.is_mock())
    }

    pub fn ctx(&self) -> Result<&RunContext, String> {
        self.ctx
            .as_deref()
            .ok_or_else(|| "internal: the scenario was not attached to a run".to_owned())
    }

    /// Chooses the profile and points a client at the target: on the mock, the
    /// scenario's own mock server with a freshly registered client; on a
    /// sandbox, the configured server and client (or a skip naming a missing
    /// setting). `@mock` scenarios never reach a sandbox: the runner leaves
    /// them out and reports them skipped.
    pub async fn use_profile(&mut self, name: &str) -> StepResult {
        let ctx = self.ctx()?;
        let profile = match &ctx.profile_override {
            Some(p) if p.name == name => p.clone(),
            _ => Profile::load(name).map_err(|e| e.to_string())?,
        };
        let transport = ctx.transport.clone();
        if let Target::Sandbox(sandbox) = &ctx.target {
            let base_url = sandbox.base_url.clone();
            let credentials = self.setting(|s| s.client())?;
            self.client = Some(OAuthClient::new(
                profile.clone(),
                base_url,
                credentials,
                transport,
            ));
            self.profile = Some(profile);
            return Ok(());
        }
        let mock = MockAuthServer::start(&profile, self.clock.clone()).await;
        let fault = self.server_fault.or(ctx.server_fault);
        mock.set_server_fault(fault);
        let credentials = mock.register_random_client();
        self.client = Some(OAuthClient::new(
            profile.clone(),
            mock.base_url(),
            credentials,
            transport,
        ));
        self.mock = Some(mock);
        self.profile = Some(profile);
        Ok(())
    }

    pub fn profile(&self) -> Result<&Profile, String> {
        self.profile.as_ref().ok_or_else(|| {
            "no profile chosen: start the scenario with `Given the provider profile \"NAME\"`"
                .into()
        })
    }

    pub fn client(&self) -> Result<&OAuthClient, String> {
        self.client.as_ref().ok_or_else(|| {
            "no client yet: start the scenario with `Given the provider profile \"NAME\"`".into()
        })
    }

    pub fn client_mut(&mut self) -> Result<&mut OAuthClient, String> {
        self.client.as_mut().ok_or_else(|| {
            "no client yet: start the scenario with `Given the provider profile \"NAME\"`".into()
        })
    }

    /// The embedded mock; steps that arrange server behaviour need it. On a
    /// sandbox this fails loudly: the scenario is missing its `@mock` tag.
    pub fn mock(&self) -> Result<&MockAuthServer, String> {
        self.mock.as_ref().ok_or_else(|| {
            "this step arranges the embedded mock server, which a real target does not have: tag the scenario @mock".into()
        })
    }

    /// Registers credentials at the mock and makes the client use them.
    pub fn register_client(&mut self, credentials: ClientCredentials) -> StepResult {
        self.mock()?.register_client(&credentials);
        let client = self.client_mut()?;
        *client = client.clone().with_credentials(credentials);
        Ok(())
    }

    pub fn last_token_attempt(&self) -> Result<&TokenAttempt, String> {
        self.token_attempts
            .last()
            .ok_or_else(|| "no token request was made yet".into())
    }

    /// The last token response, or the reason there is none.
    pub fn last_token(&self) -> Result<&TokenResponse, String> {
        let attempt = self.last_token_attempt()?;
        attempt
            .outcome
            .as_ref()
            .map_err(|e| format!("the token request failed: {e}"))
    }

    pub fn last_api_attempt(&self) -> Result<&ApiAttempt, String> {
        self.api_attempts
            .last()
            .ok_or_else(|| "no API call was made yet".into())
    }

    /// Records outcomes for the report and fails the step on any failure
    /// that the target did not declare as a known deviation.
    pub fn record(&mut self, outcomes: Vec<CheckOutcome>) -> StepResult {
        let deviations = self.ctx.as_deref().and_then(|c| c.deviations.as_ref());
        let outcomes: Vec<CheckOutcome> = outcomes
            .into_iter()
            .map(|o| match deviations.and_then(|d| d.reason_for(o.check)) {
                Some(reason) => o.declare_deviation(reason),
                None => o,
            })
            .collect();
        // A failed SHOULD is reported, and fails the step only in --strict runs.
        let strict = self.ctx.as_deref().is_some_and(|c| c.strict);
        let binding: Vec<CheckOutcome> = outcomes
            .iter()
            .filter(|o| strict || o.check.level != crate::checks::Level::Should)
            .cloned()
            .collect();
        let verdict = require_all(&binding);
        self.checks.extend(outcomes);
        verdict
    }
}

impl crate::report::skips::SkipReason for ConformanceWorld {
    fn skip_reason(&self) -> Option<&str> {
        self.skip_reason.as_deref()
    }
}

/// `Err` with `message` unless `condition`.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> StepResult {
    if condition { Ok(()) } else { Err(message()) }
}
