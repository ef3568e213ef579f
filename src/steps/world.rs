//! The state of one scenario, and the few helpers every step shares.
//!
//! A scenario starts with a profile and a target (the embedded mock by
//! default), gets a client registered there, and accumulates what happened:
//! token attempts, API attempts and check outcomes. Steps read "the last
//! attempt", so Gherkin can say "When … Then …" without naming variables.
//! The state of the longer flows (authorization code, token manager, token
//! validation) is kept here too, in one struct each.

use std::sync::Arc;

use jsonwebtoken::jwk::JwkSet;

use super::context::RunContext;
use crate::checks::login::Intent;
use crate::checks::{CheckOutcome, Side, Verdict, verdict};
use crate::client::callback::{AuthorizationCode, CallbackError};
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::login::UserLogin;
use crate::client::token_manager::{Authorized, CachedToken};
use crate::client::validation::{ValidatedToken, ValidationError};
use crate::client::{
    ApiAttempt, ClientCredentials, ClientFault, HttpAnswer, JwtValidator, OAuthClient,
    RenewalError, Secret, TokenAttempt, TokenManager, TokenResponse, jwks,
};
use crate::clock::Clock;
use crate::mock::{LoginPages, MOCK_REDIRECT_URI, MockAuthServer, ServerFault};
use crate::profile::Profile;
use crate::proof::Proof;
use crate::report::exchange::{self, Attempt, ExchangeRecord};
use crate::sandbox::{Identity, NotConfigured, Target, TargetSettings};

#[derive(cucumber::World)]
#[world(init = Self::new)]
pub struct ConformanceWorld {
    ctx: Option<Arc<RunContext>>,
    /// The profile this copy of an RFC or guide feature is for.
    profile_under_test: Option<String>,
    /// Set when a step decided the scenario does not apply here, or cannot be
    /// driven: a [`Verdict::Skip`] or [`Verdict::NotRun`] (the writers then
    /// show it as skipped or not run, not failed).
    /// Behind a lock so that a reading step (`&self`) can set it too.
    set_aside: std::sync::Mutex<Option<Verdict>>,
    pub clock: Clock,
    pub profile: Option<Profile>,
    pub mock: Option<MockAuthServer>,
    pub client: Option<OAuthClient>,
    pub token_attempts: Vec<TokenAttempt>,
    pub api_attempts: Vec<ApiAttempt>,
    pub checks: Vec<CheckOutcome>,
    /// The rule this scenario's mock breaks ("Given the server …").
    pub server_fault: Option<ServerFault>,
    /// The rule the client of a client fault proof breaks ("Given a client
    /// that …"); only the proof's nested run switches it on.
    pub client_fault: Option<ClientFault>,
    /// What the last run of the server check catalogue showed (fault proofs).
    pub proof: Option<Proof>,
    /// State of the authorization code flow, when a scenario uses it.
    pub code_flow: CodeFlowState,
    /// The token manager scenarios' state.
    pub lifetime: LifetimeState,
    /// The token validation scenarios' state.
    pub validation: ValidationState,
    /// The authorization server metadata, once fetched.
    pub metadata: Option<MetadataFetch>,
    /// What calling a server with an untrusted certificate showed (judged
    /// while that server ran; recorded by the Then step).
    pub untrusted_tls: Option<CheckOutcome>,
    /// Revocation and introspection requests and what they showed.
    pub lifecycle: LifecycleState,
    /// What the probes of the metadata's claims saw (RFC 8414 §2).
    pub advertised: AdvertisedState,
}

/// The token lifecycle after issuance: revocations (RFC 7009) and
/// introspections (RFC 7662) sent, and how tokens fared at the moments a
/// check needs.
#[derive(Debug, Default)]
pub struct LifecycleState {
    pub revocations: Vec<ApiAttempt>,
    pub introspections: Vec<ApiAttempt>,
    /// How a revoked access token fared at the API: whether the server
    /// revokes access tokens at all.
    pub access_revocation: Option<crate::checks::afterwards::Afterwards>,
    /// The grant's first access token at the API before its refresh token
    /// was revoked.
    pub before_revocation: Option<crate::checks::afterwards::Afterwards>,
    /// When the client asked for its last token, in ms of the scenario's
    /// clock.
    pub asked_at_ms: Option<i64>,
}

/// The authorization server metadata as fetched (RFC 8414 §3.1): the
/// issuer its URL was formed from, and the answer; when that was 404, the
/// answer at OpenID Connect discovery's URI (Discovery 1.0 §4).
#[derive(Debug)]
pub struct MetadataFetch {
    pub issuer: String,
    pub answer: HttpAnswer,
    pub openid: Option<HttpAnswer>,
}

/// What the probes of the metadata's claims saw, per claim.
#[derive(Debug, Default)]
pub struct AdvertisedState {
    pub grants: Vec<crate::checks::advertised::Probe>,
    pub auth_methods: Vec<crate::checks::advertised::Probe>,
    pub scopes: Vec<crate::checks::advertised::Probe>,
    /// The listed scopes not asked for, and why ("" when none).
    pub scopes_not_asked: String,
    pub pkce_methods: Vec<(String, crate::checks::advertised::MethodAnswer)>,
    /// What the authorization endpoint did with response_type=token.
    pub implicit: Option<crate::checks::advertised::Answer>,
    /// The endpoints the metadata lists, against the run's.
    pub endpoints: Vec<crate::checks::advertised::ListedEndpoint>,
}

/// The authorization code flow so far.
#[derive(Default)]
pub struct CodeFlowState {
    pub attempts: Vec<AuthorizationAttempt>,
    /// The authorization endpoint's answers to another site's script (RFC
    /// 9700 §2.6).
    pub cors: Vec<crate::client::cors::CorsAnswer>,
    /// What the user set out to do on the last attempt.
    pub intent: Option<Intent>,
    /// The redirect as the client saw it (possibly forged by a step).
    pub redirect: Option<String>,
    pub refresh_token: Option<Secret>,
    /// The scope the code exchange granted: the response's `scope`, or the
    /// authorization request's when the response omits it (RFC 6749 §5.1);
    /// `None` when neither names one (the server's default, unknown).
    pub granted_scope: Option<String>,
    /// The refresh token the client held when it last refreshed.
    pub refreshed_with: Option<Secret>,
    pub previous_refresh_token: Option<Secret>,
    pub rotated: Option<bool>,
    pub second_client: Option<OAuthClient>,
    pub connection_attempts: Vec<ApiAttempt>,
    /// What the client made of a callback it was handed a second time, and
    /// how many token requests it sent for it.
    pub replay: Option<(Result<AuthorizationCode, CallbackError>, usize)>,
}

/// One thing the application did with the token manager.
#[derive(Clone, Debug)]
pub enum Use {
    Ask(Result<Arc<CachedToken>, RenewalError>),
    Call(Result<Authorized<ApiAttempt>, RenewalError>),
}

impl Use {
    pub fn error(&self) -> Option<String> {
        match self {
            Use::Ask(Err(e)) | Use::Call(Err(e)) => Some(e.to_string()),
            _ => None,
        }
    }

    /// The access token used: handed out, or sent first.
    pub fn token(&self) -> Option<String> {
        match self {
            Use::Ask(Ok(t)) => Some(t.token.expose().to_owned()),
            Use::Call(Ok(call)) => call.attempts[0].bearer_token(),
            _ => None,
        }
    }
}

/// The scenario's token manager and what came of using it.
#[derive(Debug, Default)]
pub struct LifetimeState {
    pub manager: Option<TokenManager>,
    /// Everything done with the manager, oldest first (batches included).
    pub uses: Vec<Use>,
    /// The last batch of concurrent tasks.
    pub batch: Vec<Use>,
}

/// The JWKS fetched and the last validation's result.
#[derive(Debug, Default)]
pub struct ValidationState {
    pub jwks: Option<JwkSet>,
    pub result: Option<Result<ValidatedToken, ValidationError>>,
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

const NO_PROFILE: &str =
    "no profile chosen: start the scenario with `Given the provider profile \"NAME\"`";
const NO_CLIENT: &str =
    "no client yet: start the scenario with `Given the provider profile \"NAME\"`";

impl ConformanceWorld {
    fn new() -> Self {
        Self {
            ctx: None,
            profile_under_test: None,
            set_aside: Default::default(),
            clock: Clock::manual(),
            profile: None,
            mock: None,
            client: None,
            token_attempts: Vec::new(),
            api_attempts: Vec::new(),
            checks: Vec::new(),
            server_fault: None,
            client_fault: None,
            proof: None,
            code_flow: Default::default(),
            lifetime: Default::default(),
            validation: Default::default(),
            metadata: None,
            untrusted_tls: None,
            lifecycle: Default::default(),
            advertised: Default::default(),
        }
    }

    /// Called by the runner's before-hook, with the profile the scenario's
    /// feature copy is for (none for a feature that names its own).
    pub fn attach(&mut self, ctx: Arc<RunContext>, profile_under_test: Option<String>) {
        self.ctx = Some(ctx);
        self.profile_under_test = profile_under_test;
    }

    /// The name of the profile this scenario runs for (RFC and guide
    /// features).
    pub fn profile_under_test(&self) -> Result<String, String> {
        self.profile_under_test.clone().ok_or_else(|| {
            "this feature is not run per profile: put it under features/rfc/ or features/guides/<guide>/, or name the profile (`Given the provider profile \"NAME\"`)".into()
        })
    }

    /// Stops the scenario as *skipped* with `reason`: it does not apply to
    /// this target or profile. Returns the error the step hands back to
    /// cucumber.
    pub fn skip(&self, reason: impl Into<String>) -> String {
        let reason = reason.into();
        let message = format!("skipped: {reason}");
        self.set_aside_with(Verdict::Skip(reason));
        message
    }

    fn set_aside_with(&self, verdict: Verdict) {
        *self.set_aside.lock().unwrap_or_else(|e| e.into_inner()) = Some(verdict);
    }

    /// Stops the scenario as *not run* with `reason`: it applies, but the
    /// suite cannot drive it (never a verdict on the server).
    pub fn not_run(&self, reason: impl Into<String>) -> String {
        let reason = reason.into();
        let message = format!("not run: {reason}");
        self.set_aside_with(Verdict::NotRun(reason));
        message
    }

    /// Stops the scenario with `verdict`, a skip or a not run (see
    /// [`Self::skip`], [`Self::not_run`]); a pass or a failure handed here is
    /// the step's own result.
    pub fn stop(&self, verdict: Verdict) -> String {
        match verdict {
            Verdict::Skip(why) => self.skip(why),
            Verdict::NotRun(why) => self.not_run(why),
            Verdict::Fail(why) => why,
            Verdict::Pass => "internal: a passed verdict stopped the scenario".into(),
        }
    }

    /// A setting from the sandbox configuration; a missing one means the
    /// scenario is not run, naming its variable.
    pub fn setting<T>(
        &mut self,
        get: impl FnOnce(&TargetSettings) -> Result<T, NotConfigured>,
    ) -> Result<T, String> {
        let got = match &self.ctx()?.target {
            Target::Sandbox(s) => get(&s.settings),
            Target::Mock => {
                return Err("internal: sandbox settings asked for on the mock target".into());
            }
        };
        got.map_err(|missing| self.not_run(missing.to_string()))
    }

    /// Stops the scenario as not run when the pre-flight found `identity`
    /// refused for `profile` (see [`crate::sandbox::preflight`]): its
    /// scenarios would blame the server for a set-up fault. Nothing on the
    /// mock, whose scenarios register their own identities.
    pub fn identity_works(&self, identity: Identity, profile: &str) -> StepResult {
        let refusal = self
            .ctx
            .as_deref()
            .and_then(|c| c.preflight.refusal(identity, profile));
        match refusal {
            Some(why) => Err(self.not_run(why)),
            None => Ok(()),
        }
    }

    /// [`Self::identity_works`] for the scenario's profile.
    pub fn identity(&self, identity: Identity) -> StepResult {
        let profile = self.profile()?.name.clone();
        self.identity_works(identity, &profile)
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
    /// setting, or not run when the pre-flight found the client refused). `@mock` scenarios never reach a sandbox: the runner leaves
    /// them out and reports them skipped.
    pub async fn use_profile(&mut self, name: &str) -> StepResult {
        let ctx = self.ctx()?;
        let mut profile = match ctx.profiles.iter().find(|p| p.name == name) {
            Some(p) => p.clone(),
            None => Profile::load(name).map_err(|e| e.to_string())?,
        };
        let transport = ctx.transport.clone();
        let client_fault = ctx.client_fault;
        if let Target::Sandbox(sandbox) = &ctx.target {
            // `serve` judges each scenario as a client of its own.
            let transport = transport.for_next_scenario();
            let base_url = sandbox.base_url.clone();
            // A real server's time cannot be moved: waiting is real too.
            self.clock = Clock::system();
            let credentials = self.setting(|s| s.client())?;
            self.identity_works(Identity::Client, name)?;
            self.client = Some(
                OAuthClient::new(profile.clone(), base_url, credentials, transport)
                    .with_fault(client_fault)
                    .with_issuer(profile.issuer.clone()),
            );
            self.profile = Some(profile);
            return Ok(());
        }
        // The mock serves every endpoint the profile names on its own
        // origin: nothing goes to the origins a profile's URLs name.
        profile = profile.for_mock();
        let mock = MockAuthServer::start(&profile, self.clock.clone()).await;
        mock.set_broken_rule(self.server_fault.or(ctx.server_fault));
        let pages = ctx.login_pages;
        let credentials = mock.register_random_client();
        self.client = Some(
            OAuthClient::new(profile.clone(), mock.base_url(), credentials, transport)
                .with_fault(ctx.client_fault)
                .with_issuer(Some(mock.issuer())),
        );
        self.mock = Some(mock);
        self.profile = Some(profile);
        if let Some(pages) = pages {
            self.serve_login_pages(pages).await?;
        }
        Ok(())
    }

    /// Makes the mock serve its login and consent pages in the shape
    /// `pages` says. A login page on a second origin is allowed in the
    /// client's profile (`login_origins`), as its operator would allow it.
    pub async fn serve_login_pages(&mut self, pages: LoginPages) -> StepResult {
        let mock = self.mock.as_mut().ok_or(
            "this step arranges the embedded mock server, which a real target does not have: tag the scenario @mock",
        )?;
        mock.set_login_pages(pages).await;
        let Some(origin) = mock.login_origin() else {
            return Ok(());
        };
        let origin = origin.origin().ascii_serialization();
        let client = self.client_mut()?;
        if let Some(ac) = client.profile.authorization_code.as_mut()
            && !ac.login.login_origins.contains(&origin)
        {
            ac.login.login_origins.push(origin);
        }
        Ok(())
    }

    pub fn profile(&self) -> Result<&Profile, String> {
        self.profile.as_ref().ok_or_else(|| NO_PROFILE.into())
    }

    pub fn client(&self) -> Result<&OAuthClient, String> {
        self.client.as_ref().ok_or_else(|| NO_CLIENT.into())
    }

    pub fn client_mut(&mut self) -> Result<&mut OAuthClient, String> {
        self.client.as_mut().ok_or_else(|| NO_CLIENT.into())
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

    /// The redirect URI registered for the client: the mock's fixed one, or
    /// the configured one on a sandbox.
    pub fn redirect_uri(&mut self) -> Result<String, String> {
        if self.on_mock() {
            return Ok(MOCK_REDIRECT_URI.to_owned());
        }
        self.setting(|s| s.redirect_uri())
    }

    /// An http redirect URI on a host that is not loopback, which the
    /// second client tried to register: the mock's fixed one, or the configured one
    /// on a sandbox; a configured one that is not such a URI is a set-up
    /// mistake, and the scenario is not run naming the variable.
    pub fn http_redirect_uri(&mut self) -> Result<String, String> {
        if self.on_mock() {
            return Ok(crate::mock::MOCK_HTTP_REDIRECT_URI.to_owned());
        }
        let uri = self.setting(|s| s.http_redirect_uri())?;
        let variable = crate::sandbox::Setting::HttpRedirectUri.variable();
        match url::Url::parse(&uri) {
            Ok(url) if url.scheme() == "http" && !crate::profile::is_loopback(&url) => Ok(uri),
            _ => Err(self.not_run(format!(
                "{variable} = {uri:?} is not an http URL on a host that is not loopback"
            ))),
        }
    }

    /// The test user: the mock's, or the configured one on a sandbox (not
    /// run when the pre-flight found its login refused).
    pub fn user(&mut self) -> Result<UserLogin, String> {
        if !self.on_mock() {
            let (username, password) = self.setting(|s| s.user())?;
            self.identity(Identity::User)?;
            return Ok(UserLogin { username, password });
        }
        let user = self
            .mock()?
            .user()
            .ok_or("the mock has no user: the profile has no authorization code flow")?;
        Ok(UserLogin {
            username: user.username,
            password: Secret::new(user.password),
        })
    }

    /// A second registered client: on the mock, registered now; on a
    /// sandbox, the configured one (not run when the pre-flight found it
    /// refused).
    pub fn second_client(&mut self) -> Result<OAuthClient, String> {
        if let Some(c) = &self.code_flow.second_client {
            return Ok(c.clone());
        }
        let creds = if self.on_mock() {
            self.mock()?.register_second_client()
        } else {
            let creds = self.setting(|s| s.second_client())?;
            self.identity(Identity::SecondClient)?;
            creds
        };
        let client = self.client()?.clone().with_credentials(creds);
        self.code_flow.second_client = Some(client.clone());
        Ok(client)
    }

    /// A validator for the provider's JWT access tokens: its JWKS, its
    /// issuer (the mock's own, or the profile's `issuer` on a real target;
    /// without one the scenario is not run) and the profile's audience.
    pub async fn validator(&mut self) -> Result<JwtValidator, String> {
        let profile = self.profile()?;
        let issuer = if self.on_mock() {
            self.mock()?.issuer()
        } else {
            match profile.issuer.clone() {
                Some(issuer) => issuer,
                None => {
                    let name = profile.name.clone();
                    return Err(self.not_run(format!(
                        "profile {name} names no issuer to validate tokens against (issuer)"
                    )));
                }
            }
        };
        jwks::validator_for(self.client()?, &issuer, self.clock.clone())
            .await
            .map_err(|e| e.to_string())
    }

    /// A client registered for the authorization code grant only: on the
    /// mock, registered now; on a sandbox, the configured one (not run when
    /// the pre-flight found it refused).
    pub fn restricted_client(&mut self) -> Result<OAuthClient, String> {
        let creds = if self.on_mock() {
            self.mock()?.register_restricted_client()
        } else {
            let creds = self.setting(|s| s.restricted_client())?;
            self.identity(Identity::RestrictedClient)?;
            creds
        };
        Ok(self.client()?.clone().with_credentials(creds))
    }

    pub fn last_token_attempt(&self) -> Result<&TokenAttempt, String> {
        self.token_attempts
            .last()
            .ok_or_else(|| "no token request was made yet".into())
    }

    /// The last token response. A step that needs it when the request got
    /// none stops its scenario as not run, naming what came: one failure,
    /// one cause. That answer is judged once, where its rule is (RFC 6749
    /// §5.1's token-response-200 in the token response scenario; a refused
    /// misstep by its own check).
    pub fn last_token(&self) -> Result<&TokenResponse, String> {
        let attempt = self.last_token_attempt()?;
        attempt.outcome.as_ref().map_err(|e| {
            let judge = crate::checks::token_response::refusal_judged_by(attempt);
            self.not_run(format!(
                "this step needs a token, and the token request got none: {e} (judged once, by {} in {}'s scenario)",
                judge.id, judge.source
            ))
        })
    }

    pub fn last_api_attempt(&self) -> Result<&ApiAttempt, String> {
        self.api_attempts
            .last()
            .ok_or_else(|| "no API call was made yet".into())
    }

    /// Records outcomes for the report and fails the step on any failure
    /// that binds (see [`verdict`]) and that the target did not declare as a
    /// known deviation.
    ///
    /// A check that could not ask stops the scenario as not run; a step
    /// whose every check found its premise unmet (all skipped) stops it as
    /// skipped, naming why: a scenario passes only when something was
    /// judged.
    pub fn record(&mut self, outcomes: Vec<CheckOutcome>) -> StepResult {
        let premise_unmet = (!outcomes.is_empty()
            && outcomes
                .iter()
                .all(|o| matches!(o.verdict, Verdict::Skip(_))))
        .then(|| {
            outcomes
                .iter()
                .filter_map(|o| o.verdict.message().map(|m| format!("{}: {m}", o.check.id)))
                .collect::<Vec<_>>()
                .join("; ")
        });
        let outcomes = self.void_server_verdicts(outcomes);
        let ctx = self.ctx.as_deref();
        let outcomes = match ctx.and_then(|c| c.deviations.as_ref()) {
            Some(deviations) => deviations.apply(outcomes),
            None => outcomes,
        };
        let result = verdict(&outcomes, ctx.is_some_and(|c| c.strict));
        let not_run = outcomes
            .iter()
            .find(|o| o.is_not_run())
            .map(CheckOutcome::describe);
        self.checks.extend(outcomes);
        match (result, not_run) {
            // A failure that binds is the step's verdict, whatever else could
            // not be asked.
            (Err(failures), _) => Err(failures),
            (Ok(()), Some(why)) => Err(self.not_run(why)),
            (Ok(()), None) => match premise_unmet {
                Some(why) => Err(self.skip(why)),
                None => Ok(()),
            },
        }
    }

    /// In a client fault proof, once the faulty client bent a request of this
    /// scenario, a server's answer to it is no verdict on the server: the
    /// server checks are skipped, the client checks stand. A normal run has
    /// no client fault, and this changes nothing.
    fn void_server_verdicts(&self, outcomes: Vec<CheckOutcome>) -> Vec<CheckOutcome> {
        if !self.client.as_ref().is_some_and(OAuthClient::fault_struck) {
            return outcomes;
        }
        outcomes
            .into_iter()
            .map(|o| match o.check.side {
                Side::Client => o,
                _ => CheckOutcome::skip(
                    o.check,
                    "the client broke a rule on purpose in this scenario (a client fault proof): the answers to it judge no server",
                ),
            })
            .collect()
    }

    /// The scenario's HTTP exchanges, in the order sent, redacted: what the
    /// report shows behind a failed step.
    pub fn exchanges(&self) -> Vec<ExchangeRecord> {
        let api = self
            .api_attempts
            .iter()
            .chain(&self.code_flow.connection_attempts)
            .chain(&self.lifecycle.revocations)
            .chain(&self.lifecycle.introspections);
        let attempts = (self.token_attempts.iter().map(Attempt::of_token))
            .chain(api.map(Attempt::of_api))
            .collect();
        let sent = self
            .client
            .as_ref()
            .map(OAuthClient::sent)
            .unwrap_or_default();
        exchange::gather(&sent, attempts)
    }

    /// Records one outcome (see [`Self::record`]).
    pub fn record_one(&mut self, outcome: CheckOutcome) -> StepResult {
        self.record(vec![outcome])
    }
}

impl crate::report::skips::SkipReason for ConformanceWorld {
    fn set_aside(&self) -> Option<Verdict> {
        self.set_aside
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// `Err` with `message` unless `condition`.
pub fn ensure(condition: bool, message: impl FnOnce() -> String) -> StepResult {
    if condition { Ok(()) } else { Err(message()) }
}
