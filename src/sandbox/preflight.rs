//! The pre-flight: before any scenario runs against a real target, each
//! identity the run was given is tried once, so that a wrong setting is
//! reported as set-up, never as the server's fault.
//!
//! A client registered for another authentication method than the profile
//! says, a secret pasted with a stray character, a user whose password
//! changed: each makes the server refuse, and without a pre-flight the
//! scenarios built on that identity would report the refusal as a broken
//! MUST (a code "not refused for another client" because the other client
//! never got past authentication). With it, those scenarios are *not run*,
//! naming the variables and what the server answered, and every report says
//! so at the top.
//!
//! What is tried (a handful of requests at once, each within the run's
//! timeout; the login within it as a whole):
//! - a client whose grant the profile declares: a client credentials
//!   request (RFC 6749 §4.4.2) with the profile's `token.client_auth`;
//! - a client of the authorization code flow (the second client, the
//!   restricted one, and the client when its code exchange authenticates
//!   another way or it has no client credentials grant): a code exchange
//!   with a made-up code (§4.1.3) with `authorization_code.client_auth`. The
//!   restricted client is tried with the grant it *is* registered for, so
//!   the refusal of the other grant stays its scenario's to judge;
//! - the test user: the login through the profile's authorization request
//!   (§4.1.1) with the login driver.
//!
//! The rule ([`judge_client`], [`judge_login`]): RFC 6749 §5.2 names one
//! error for a failed client authentication, `invalid_client` ("unknown
//! client, no client authentication included, or unsupported authentication
//! method"), and lets the server answer it with 401. So `invalid_client`
//! (any status) or a 401 is a refusal of the client; a token, or a 4xx
//! naming another OAuth error (`invalid_grant` for the made-up code,
//! `unauthorized_client`, `invalid_scope`, ...), is an answer about the
//! request, and the client counts as authenticated. The login is refused
//! when the password was sent and the login form came back (or a 4xx). Any
//! other answer (none at all, a 5xx, a page that is no OAuth error) tells
//! nothing about the identity: it is reported "not determined" and its
//! scenarios run as usual. A server that refuses a *correct* client with
//! anything but `invalid_client` or 401 is judged by the scenarios, as
//! before; one that answers `invalid_client` to a correct client sees its
//! scenarios not run, with its answer on top of the report.
//!
//! On the embedded mock there is no pre-flight: each scenario registers its
//! own clients and user there.

use futures::future::join_all;

use super::config::{Setting, TargetSettings};
use super::{Sandbox, Target};
use crate::client::authorize::Pkce;
use crate::client::code_flow::AuthorizationAttempt;
use crate::client::login::{Decision, LoginError, UserLogin};
use crate::client::{Misstep, OAuthClient, TokenAttempt, TokenError, TokenRequest};
use crate::client::{Transport, TransportError};
use crate::profile::{Grant, Profile};
use crate::redact::redact;

/// One identity the run can be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Identity {
    /// The registered client every scenario uses.
    Client,
    /// The second client of the "refused for another client" scenarios.
    SecondClient,
    /// The client registered for the authorization code grant only.
    RestrictedClient,
    /// The test user who logs in and approves access.
    User,
}

impl Identity {
    /// The settings that make up the identity.
    pub fn settings(self) -> [Setting; 2] {
        match self {
            Identity::Client => [Setting::ClientId, Setting::ClientSecret],
            Identity::SecondClient => [Setting::SecondClientId, Setting::SecondClientSecret],
            Identity::RestrictedClient => {
                [Setting::RestrictedClientId, Setting::RestrictedClientSecret]
            }
            Identity::User => [Setting::Username, Setting::Password],
        }
    }

    /// "OAUTH_CONFORMANCE_CLIENT_ID and OAUTH_CONFORMANCE_CLIENT_SECRET".
    pub fn variables(self) -> String {
        let [a, b] = self.settings();
        format!("{} and {}", a.variable(), b.variable())
    }

    /// What reports call it.
    pub fn name(self) -> &'static str {
        match self {
            Identity::Client => "the client",
            Identity::SecondClient => "the second client",
            Identity::RestrictedClient => {
                "the client registered for the authorization code grant only"
            }
            Identity::User => "the test user",
        }
    }
}

/// What one try of an identity showed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finding {
    /// It worked, or the server's answer was about something else: its
    /// scenarios run. What the server answered.
    Accepted(String),
    /// The server refused it: its scenarios are not run. What the server
    /// answered.
    Refused(String),
    /// The answer tells nothing about the identity (none came, a 5xx, a
    /// page that is no OAuth error): its scenarios run as usual. Why.
    Undetermined(String),
}

impl Finding {
    /// `accepted`, `refused`, `undetermined`: the word reports use.
    pub fn label(&self) -> &'static str {
        match self {
            Finding::Accepted(_) => "accepted",
            Finding::Refused(_) => "refused",
            Finding::Undetermined(_) => "undetermined",
        }
    }

    pub fn message(&self) -> &str {
        match self {
            Finding::Accepted(m) | Finding::Refused(m) | Finding::Undetermined(m) => m,
        }
    }

    /// The same finding with its message rewritten (redaction).
    pub fn map_message(&self, f: impl FnOnce(&str) -> String) -> Self {
        match self {
            Finding::Accepted(m) => Finding::Accepted(f(m)),
            Finding::Refused(m) => Finding::Refused(f(m)),
            Finding::Undetermined(m) => Finding::Undetermined(f(m)),
        }
    }
}

/// One identity tried, for one profile under test.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityCheck {
    pub identity: Identity,
    /// The profile whose requests were used.
    pub profile: String,
    /// What was tried, in words ("a client credentials request with
    /// client_secret_basic (token.client_auth)").
    pub tried: String,
    /// The method a refused client should be registered for.
    pub method: Option<&'static str>,
    pub finding: Finding,
}

impl IdentityCheck {
    /// The line reports show for a refused or undetermined identity (none
    /// for an accepted one).
    pub fn line(&self) -> Option<String> {
        let who = format!("{} ({})", self.identity.name(), self.identity.variables());
        match &self.finding {
            Finding::Accepted(_) => None,
            Finding::Refused(answer) => {
                let check = match self.method {
                    Some(method) => format!(
                        "check {} and that the client is registered for {method}",
                        self.identity.variables()
                    ),
                    None => format!("check {}", self.identity.variables()),
                };
                let what = match self.identity {
                    Identity::User => "did not get past the login page",
                    _ => "did not authenticate",
                };
                Some(format!(
                    "{who} {what}: {} was answered {answer}; the scenarios that need it are not run (no verdict on the server): {check}",
                    self.tried
                ))
            }
            Finding::Undetermined(why) => Some(format!(
                "could not tell whether {who} works: {} got {why}; its scenarios run as usual",
                self.tried
            )),
        }
    }
}

/// The JSON record: `{"identity", "variables", "profile", "tried",
/// "status", "answer", "line"}` (`line`: what the other reports show, null
/// for an accepted identity), redacted with the rest of the report.
impl serde::Serialize for IdentityCheck {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("identity", self.identity.name())?;
        let variables: Vec<&str> = self
            .identity
            .settings()
            .iter()
            .map(|s| s.variable())
            .collect();
        map.serialize_entry("variables", &variables)?;
        map.serialize_entry("profile", &self.profile)?;
        map.serialize_entry("tried", &self.tried)?;
        map.serialize_entry("status", self.finding.label())?;
        map.serialize_entry("answer", self.finding.message())?;
        map.serialize_entry("line", &self.line())?;
        map.end()
    }
}

/// Every identity tried before the run's scenarios.
#[derive(Clone, Debug, Default)]
pub struct Preflight {
    pub checks: Vec<IdentityCheck>,
}

impl Preflight {
    /// Why a scenario of `profile` that needs `identity` is not run: the
    /// pre-flight's refusal of it, if there was one.
    pub fn refusal(&self, identity: Identity, profile: &str) -> Option<String> {
        self.checks
            .iter()
            .filter(|c| c.identity == identity && c.profile == profile)
            .find(|c| matches!(c.finding, Finding::Refused(_)))
            .and_then(|c| Some(format!("set-up: {}", c.line()?)))
    }
}

/// How one identity is tried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    /// A client credentials request (RFC 6749 §4.4.2).
    ClientCredentials,
    /// A code exchange with a made-up code (RFC 6749 §4.1.3).
    MadeUpCode,
    /// The login through the profile's authorization request.
    Login,
}

/// The code the made-up exchanges send: no server issued it, and its
/// name says where it comes from in a server's log.
pub const MADE_UP_CODE: &str = "oauth-conformance-preflight-made-up-code";

/// What to try for `profile` with the identities `settings` gives: each
/// identity the profile's scenarios use, in the way they use it. An
/// identity not given is not tried (its scenarios name the missing
/// variable).
pub fn plan(profile: &Profile, settings: &TargetSettings) -> Vec<(Identity, Probe)> {
    let has = |s: Setting| settings.get(s).is_some();
    let given = |i: Identity| i.settings().into_iter().all(has);
    let code_flow = profile.authorization_code.is_some();
    let code_grant = code_flow && profile.has_grant(Grant::AuthorizationCode);
    let client_credentials = profile.has_grant(Grant::ClientCredentials);
    let mut plan = Vec::new();
    if given(Identity::Client) {
        if client_credentials {
            plan.push((Identity::Client, Probe::ClientCredentials));
        }
        let other_method = profile.client_auth_for("authorization_code")
            != profile.client_auth_for("client_credentials");
        if code_grant && (other_method || !client_credentials) {
            plan.push((Identity::Client, Probe::MadeUpCode));
        }
    }
    if code_flow {
        for identity in [Identity::SecondClient, Identity::RestrictedClient] {
            if given(identity) {
                plan.push((identity, Probe::MadeUpCode));
            }
        }
        if given(Identity::User) && has(Setting::ClientId) && has(Setting::RedirectUri) {
            plan.push((Identity::User, Probe::Login));
        }
    }
    plan
}

/// Tries every identity of the plan for each profile under test, all at
/// once. Nothing on the mock.
pub async fn run(target: &Target, transport: &Transport, profiles: &[Profile]) -> Preflight {
    let Target::Sandbox(sandbox) = target else {
        return Preflight::default();
    };
    let tries = profiles.iter().flat_map(|profile| {
        plan(profile, &sandbox.settings)
            .into_iter()
            .map(move |(identity, probe)| try_one(sandbox, transport, profile, identity, probe))
    });
    Preflight {
        checks: join_all(tries).await.into_iter().flatten().collect(),
    }
}

/// Tries one identity; `None` when its settings went missing after all.
async fn try_one(
    sandbox: &Sandbox,
    transport: &Transport,
    profile: &Profile,
    identity: Identity,
    probe: Probe,
) -> Option<IdentityCheck> {
    let settings = &sandbox.settings;
    let credentials = match identity {
        Identity::Client | Identity::User => settings.client(),
        Identity::SecondClient => settings.second_client(),
        Identity::RestrictedClient => settings.restricted_client(),
    }
    .ok()?;
    let redirect_uri = settings.redirect_uri().ok();
    let client = OAuthClient::new(
        profile.clone(),
        sandbox.base_url.clone(),
        credentials,
        transport.clone(),
    );
    let grant = match probe {
        Probe::ClientCredentials => "client_credentials",
        Probe::MadeUpCode | Probe::Login => "authorization_code",
    };
    let auth = profile.client_auth_for(grant);
    let (tried, finding) = match probe {
        Probe::ClientCredentials => (
            format!(
                "a client credentials request (RFC 6749 §4.4.2) with {} (token.client_auth)",
                auth.registered_name()
            ),
            judge_client(
                &client
                    .request_token(&TokenRequest::client_credentials())
                    .await,
            ),
        ),
        Probe::MadeUpCode => {
            let uri = redirect_uri.unwrap_or_else(|| "https://preflight.invalid/callback".into());
            let pkce = profile
                .authorization_code
                .as_ref()
                .is_some_and(|ac| ac.pkce)
                .then(Pkce::new);
            let request = TokenRequest::authorization_code(
                MADE_UP_CODE,
                &uri,
                pkce.as_ref().map(|p| p.verifier.expose()),
            );
            (
                format!(
                    "a code exchange with a made-up code (RFC 6749 §4.1.3) with {} (authorization_code.client_auth)",
                    auth.registered_name()
                ),
                judge_client(
                    &client
                        .request_token(&request.misstep(Misstep::MadeUpCode))
                        .await,
                ),
            )
        }
        Probe::Login => {
            let (username, password) = settings.user().ok()?;
            let user = UserLogin { username, password };
            let scope = profile
                .authorization_code
                .as_ref()
                .and_then(|ac| ac.default_scope.clone());
            let request = client.authorization_request(&redirect_uri?, scope);
            let decision = Decision::Approve { account: None };
            let finding = match client.authorize(request, &user, &decision).await {
                Ok(attempt) => judge_login(&attempt),
                Err(why) => Finding::Undetermined(why),
            };
            (
                "the login through the profile's authorization request (RFC 6749 §4.1.1)".into(),
                finding,
            )
        }
    };
    Some(IdentityCheck {
        identity,
        profile: profile.name.clone(),
        tried,
        method: (probe != Probe::Login).then(|| auth.registered_name()),
        finding: finding.map_message(redact),
    })
}

/// What a token endpoint's answer to a request with the client's
/// credentials says of them (see the module doc): `invalid_client` or a 401
/// is a refusal; a token, or a 4xx with another OAuth error, is an answer
/// about the request; anything else tells nothing.
pub fn judge_client(attempt: &TokenAttempt) -> Finding {
    match &attempt.outcome {
        Ok(_) => Finding::Accepted("a token".into()),
        Err(TokenError::Refused { status, error }) => {
            let said = format!(
                "{status} {}{}",
                error.error,
                error
                    .error_description
                    .as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default()
            );
            if error.error == "invalid_client" || *status == 401 {
                Finding::Refused(said)
            } else if (400..500).contains(status) {
                Finding::Accepted(format!(
                    "{said}, an answer about the request, not the client's authentication"
                ))
            } else {
                Finding::Undetermined(said)
            }
        }
        Err(TokenError::BadAnswer { described, .. }) => match &attempt.answer {
            Some(answer) if answer.status == 401 => Finding::Refused(described.clone()),
            _ => Finding::Undetermined(format!("no OAuth answer: {described}")),
        },
        Err(TokenError::Transport(e)) => Finding::Undetermined(no_answer(e)),
    }
}

fn no_answer(e: &TransportError) -> String {
    format!("no answer: {e}")
}

/// What a trip through the login pages says of the user: the login form
/// again (or a 4xx) after the password is a refusal; reaching the redirect
/// URI is a login; anything else (a page the driver cannot drive, a 5xx,
/// no answer) tells nothing.
pub fn judge_login(attempt: &AuthorizationAttempt) -> Finding {
    match &attempt.redirect {
        Ok(_) => Finding::Accepted("the login reached the redirect URI".into()),
        Err(e @ LoginError::LoginRefused { .. }) => Finding::Refused(e.to_string()),
        Err(e) => Finding::Undetermined(e.to_string()),
    }
}

#[cfg(test)]
mod tests;
