//! Living with expiring access tokens: one cached token, renewed before it
//! expires, fetched once however many tasks need it.
//!
//! Seed 002 describes the client this builds: store the access token and
//! attach it to every API call ("Your requests will take longer to process if
//! it has to authenticate on every request"); get a new one before the old
//! one expires; while it is being fetched, queue the requests that need it
//! and attach the new token to all of them; and when the API still answers
//! with an authentication error (the token was revoked, or renewed too late),
//! fetch a new token and retry. Seeds 000 and 001 renew by repeating the
//! token request; seed 003 validates tokens before use.
//!
//! The rules, each kept by construction:
//! - **cache**: [`TokenManager::access_token`] hands out the cached token
//!   while it is fresh, without a request;
//! - **renew early**: a token stops being fresh `margin` before it expires
//!   (see [`super::expiry`] for where the expiry comes from);
//! - **single flight**: the first task that finds no fresh token starts one
//!   token request (a shared future); every other task awaits the same one,
//!   so N waiting tasks cause exactly one request and all get its result,
//!   token or error;
//! - **no sticky failure**: a failed renewal is handed to every task that
//!   waited for it, then forgotten, so the next call tries again;
//! - **renew once on 401**: [`TokenManager::send`] retries a request that the
//!   API answered 401 `invalid_token` once, with a renewed token, and never
//!   more (RFC 6750 §3.1).
//!
//! Time comes from the injected [`Clock`], so scenarios move it by hand.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use futures::FutureExt as _;
use futures::future::{self, BoxFuture, Either, Shared};

use super::fault::ClientFault;
use super::www_authenticate;
use crate::clock::Clock;

use super::expiry::{Expiry, ExpiryFacts, expiry};
use super::validation::{JwtValidator, ValidatedToken, ValidationError};
use super::{ApiAttempt, HttpAnswer, OAuthClient, Secret, TokenError, TokenRequest, TokenResponse};

/// How long before expiry a token is renewed, unless configured otherwise.
pub const DEFAULT_MARGIN: Duration = Duration::from_secs(60);

/// How a [`TokenManager`] behaves.
#[derive(Clone, Debug)]
pub struct ManagerConfig {
    /// Renew this long before the token expires.
    pub margin: Duration,
    /// The token request to send (and repeat, to renew).
    pub request: TokenRequest,
    /// When set, every new token is validated before it is handed out
    /// (seed 003); a token that fails is a failed renewal.
    pub validator: Option<JwtValidator>,
}

impl Default for ManagerConfig {
    fn default() -> Self {
        Self {
            margin: DEFAULT_MARGIN,
            request: TokenRequest::client_credentials(),
            validator: None,
        }
    }
}

/// A token the manager holds, with what it knows of its life.
#[derive(Clone)]
pub struct CachedToken {
    pub token: Secret,
    pub expiry: Expiry,
    /// Which renewal produced it (1 for the first token).
    pub generation: u64,
    pub response: TokenResponse,
    /// The validated claims, when the manager validates tokens.
    pub validated: Option<ValidatedToken>,
}

/// Never shows the token: the response's raw JSON holds it in clear.
impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedToken")
            .field("token", &self.token)
            .field("expiry", &self.expiry)
            .field("generation", &self.generation)
            .field("validated", &self.validated.is_some())
            .finish_non_exhaustive()
    }
}

/// Why no token could be handed out. Every task that waited for the same
/// renewal gets an equal error (same renewal number, same cause).
#[derive(Clone, Debug, thiserror::Error)]
pub enum RenewalError {
    #[error("token renewal #{generation} failed: {source}")]
    Token {
        generation: u64,
        #[source]
        source: TokenError,
    },
    #[error("token renewal #{generation} produced a token that failed validation: {source}")]
    Invalid {
        generation: u64,
        #[source]
        source: ValidationError,
    },
}

impl RenewalError {
    pub fn generation(&self) -> u64 {
        match self {
            Self::Token { generation, .. } | Self::Invalid { generation, .. } => *generation,
        }
    }
}

type Flight = Shared<BoxFuture<'static, Result<Arc<CachedToken>, RenewalError>>>;

/// What [`TokenManager::current`] returns: the cached token at once, or the
/// renewal every waiting caller shares.
pub type TokenFuture = Either<future::Ready<Result<Arc<CachedToken>, RenewalError>>, Flight>;

#[derive(Default)]
struct State {
    cached: Option<Arc<CachedToken>>,
    /// The renewal under way, if any: every task that needs a token awaits it.
    flight: Option<Flight>,
}

struct Inner {
    client: OAuthClient,
    clock: Clock,
    config: ManagerConfig,
    state: Mutex<State>,
    /// Token requests started, which is also the last renewal's number.
    renewals: AtomicU64,
}

/// Hands out a cached access token, renewing it before it expires. Cloning
/// shares the same cache: give every task a clone.
#[derive(Clone)]
pub struct TokenManager {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenManager")
            .field("profile", &self.inner.client.profile.name)
            .field("margin", &self.inner.config.margin)
            .field("renewals", &self.renewals())
            .finish_non_exhaustive()
    }
}

/// A request sent with a managed token: one attempt, or two when the first
/// was refused with `invalid_token` and retried with a renewed token.
#[derive(Clone, Debug)]
pub struct Authorized<R> {
    pub attempts: Vec<R>,
}

impl<R> Authorized<R> {
    /// The final answer.
    pub fn last(&self) -> &R {
        // Never empty: built with at least one attempt.
        &self.attempts[self.attempts.len() - 1]
    }

    pub fn retried(&self) -> bool {
        self.attempts.len() > 1
    }
}

/// What [`TokenManager::send`] needs to know of an answer.
pub trait ApiOutcome {
    /// Whether the API refused the token itself: 401 with a Bearer
    /// challenge carrying `error="invalid_token"` (RFC 6750 §3.1).
    fn rejects_token(&self) -> bool;
}

impl ApiOutcome for HttpAnswer {
    fn rejects_token(&self) -> bool {
        self.status == 401
            && www_authenticate::parse_all(self.headers_named("www-authenticate"))
                .iter()
                .any(|c| c.is("bearer") && c.param("error") == Some("invalid_token"))
    }
}

impl ApiOutcome for ApiAttempt {
    fn rejects_token(&self) -> bool {
        self.outcome.as_ref().is_ok_and(ApiOutcome::rejects_token)
    }
}

impl TokenManager {
    pub fn new(client: OAuthClient, clock: Clock, config: ManagerConfig) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                clock,
                config,
                state: Mutex::new(State::default()),
                renewals: AtomicU64::new(0),
            }),
        }
    }

    pub fn client(&self) -> &OAuthClient {
        &self.inner.client
    }

    pub fn config(&self) -> &ManagerConfig {
        &self.inner.config
    }

    /// How many token requests this manager has sent.
    pub fn renewals(&self) -> u64 {
        self.inner.renewals.load(Ordering::SeqCst)
    }

    /// The cached token, if any, fresh or not (for inspection).
    pub fn cached(&self) -> Option<Arc<CachedToken>> {
        self.inner.lock().cached.clone()
    }

    /// A fresh access token: the cached one, or the result of the one
    /// renewal under way (started here if none is). See [`Self::current`]
    /// for when the caller joins the queue.
    pub fn access_token(
        &self,
    ) -> impl Future<Output = Result<Secret, RenewalError>> + Send + 'static + use<> {
        let current = self.current();
        async move { Ok(current.await?.token.clone()) }
    }

    /// Like [`Self::access_token`], with what the manager knows of the token.
    ///
    /// The caller joins the queue when it *calls* this, not when it first
    /// polls the future: the cache is read, or the renewal joined or
    /// started, right here. So requests made while a renewal is under way
    /// all wait for that renewal and get its result, even if their futures
    /// are polled only after it finished; and a caller that comes after a
    /// failed renewal starts a new one.
    pub fn current(&self) -> TokenFuture {
        let mut state = self.inner.lock();
        let now_ms = self.inner.clock.now_ms();
        let client = &self.inner.client;
        // A faulty client (fault proofs only) breaks one of the rules above.
        let margin = match client.has_fault(ClientFault::RenewsAfterExpiry) {
            true => Duration::ZERO,
            false => self.inner.config.margin,
        };
        if let Some(cached) = &state.cached
            && cached.expiry.is_fresh(now_ms, margin)
            && !client.has_fault(ClientFault::RequestsTokenPerCall)
        {
            return Either::Left(future::ready(Ok(cached.clone())));
        }
        Either::Right(match &state.flight {
            Some(flight) if !client.has_fault(ClientFault::OneRenewalPerTask) => flight.clone(),
            _ => Inner::start_flight(&self.inner, &mut state),
        })
    }

    /// The token `rejected` was refused by the API: forget it (unless a
    /// newer one already replaced it) and get a fresh one. Many tasks
    /// reporting the same rejected token still cause one renewal.
    pub fn renew_after_rejection(&self, rejected: &Secret) -> TokenFuture {
        {
            let mut state = self.inner.lock();
            if state.cached.as_ref().is_some_and(|c| c.token == *rejected) {
                state.cached = None;
            }
        }
        self.current()
    }

    /// Sends a request with a managed token; on 401 `invalid_token` renews
    /// once and sends it once more, and returns whatever that answer is.
    /// Joins the token queue when called (see [`Self::current`]).
    pub fn send<F, Fut, R>(
        &self,
        mut send: F,
    ) -> impl Future<Output = Result<Authorized<R>, RenewalError>> + 'static + use<F, Fut, R>
    where
        F: FnMut(Secret) -> Fut + 'static,
        Fut: Future<Output = R>,
        R: ApiOutcome,
    {
        let current = self.current();
        let this = self.clone();
        async move {
            let token = current.await?;
            let first = send(token.token.clone()).await;
            if !first.rejects_token() || this.client().has_fault(ClientFault::IgnoresInvalidToken) {
                return Ok(Authorized {
                    attempts: vec![first],
                });
            }
            let renewed = this.renew_after_rejection(&token.token).await?;
            let second = send(renewed.token.clone()).await;
            Ok(Authorized {
                attempts: vec![first, second],
            })
        }
    }

    /// Calls the profile's API probe with a managed token ([`Self::send`]).
    pub fn call_api(
        &self,
    ) -> impl Future<Output = Result<Authorized<ApiAttempt>, RenewalError>> + Send + 'static + use<>
    {
        let this = self.clone();
        self.send(move |token| {
            let this = this.clone();
            async move {
                this.inner
                    .client
                    .call_api(&super::Presentation::Bearer(token.expose().to_owned()))
                    .await
            }
        })
    }
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is two Options, consistent after any panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts the one renewal; its outcome is stored before any waiter sees
    /// it, so a task arriving afterwards finds the new token or, after a
    /// failure, no flight and starts afresh.
    fn start_flight(this: &Arc<Self>, state: &mut State) -> Flight {
        let inner = this.clone();
        let generation = this.renewals.fetch_add(1, Ordering::SeqCst) + 1;
        let flight = async move {
            let result = inner.fetch(generation).await.map(Arc::new);
            let mut state = inner.lock();
            state.flight = None;
            if let Ok(token) = &result {
                state.cached = Some(token.clone());
            }
            result
        }
        .boxed()
        .shared();
        state.flight = Some(flight.clone());
        flight
    }

    async fn fetch(&self, generation: u64) -> Result<CachedToken, RenewalError> {
        // Counted from before the request: the server started counting no
        // earlier, so the client's idea of expiry errs on the early side.
        let issued_at_ms = self.clock.now_ms();
        let attempt = self.client.request_token(&self.config.request).await;
        let response = attempt
            .outcome
            .map_err(|source| RenewalError::Token { generation, source })?;
        let validated = match &self.config.validator {
            Some(v) => Some(
                v.validate(response.access_token.expose())
                    .map_err(|source| RenewalError::Invalid { generation, source })?,
            ),
            None => None,
        };
        let token_profile = &self.client.profile.token;
        let jwt_exp_s = if token_profile.read_jwt_exp {
            response
                .jwt_claims()
                .ok()
                .and_then(|claims| claims.get("exp").and_then(|v| v.as_i64()))
        } else {
            None
        };
        let expiry = expiry(
            issued_at_ms,
            ExpiryFacts {
                expires_in_s: response.expires_in,
                jwt_exp_s,
            },
            token_profile.read_jwt_exp,
            token_profile
                .expected_lifetime_s
                .unwrap_or(super::expiry::UNDOCUMENTED_LIFETIME_S),
        );
        Ok(CachedToken {
            token: response.access_token.clone(),
            expiry,
            generation,
            response,
            validated,
        })
    }
}

#[cfg(test)]
#[path = "token_manager_tests.rs"]
mod tests;
