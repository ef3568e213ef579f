//! `oauth-conformance serve`: the embedded mock as a standalone provider
//! double on 127.0.0.1 that judges the client talking to it.
//!
//! The mock's handlers answer as the profile's provider does (`router`);
//! every request is recorded and judged with the suite's client checks
//! (`judge`); faults and the server's clock are switched on cue through the
//! control API under `/_conformance/` (`control`, `cues`); the session's
//! verdicts become a run report every output format renders (`report`).
//! [`ProviderDouble`] is the same server inside a Rust test.

pub mod control;
pub mod cues;
pub mod judge;
pub mod report;
pub mod router;
pub mod session;

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::TokioIo;

use crate::client::{ClientCredentials, HttpAnswer, HttpRequest, Secret};
use crate::clock::Clock;
use crate::mock::http::{MockRequest, MockResponse};
use crate::mock::state::{MockClient, MockState, MockUser, SharedState};
use crate::mock::tokens::random_token;
use crate::profile::Profile;
use crate::sandbox::{Setting, TargetSettings};

use cues::{Cues, Fault};
use judge::{Exchange, Judge};
use router::{Endpoint, Paths};

/// The largest request body the server reads.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The path under which the control API lives.
pub const CONTROL_PREFIX: &str = "/_conformance/";

/// How `serve` starts.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    /// 0: any free port.
    pub port: u16,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Redirect URIs to register besides `OAUTH_CONFORMANCE_REDIRECT_URI`.
    pub redirect_uris: Vec<String>,
    /// Faults switched on from the start, until reset.
    pub faults: Vec<String>,
}

impl ServeOptions {
    /// The client and user from the `OAUTH_CONFORMANCE_*` variables a run
    /// uses (random ones where unset are made at start).
    pub fn from_settings(settings: &TargetSettings) -> Self {
        let get = |s: Setting| settings.get(s).map(str::to_owned);
        Self {
            client_id: get(Setting::ClientId),
            client_secret: get(Setting::ClientSecret),
            username: get(Setting::Username),
            password: get(Setting::Password),
            redirect_uris: get(Setting::RedirectUri).into_iter().collect(),
            ..Self::default()
        }
    }
}

/// Who the client is and who logs in, as the server registered them.
#[derive(Clone, Debug)]
pub struct Identity {
    pub client: ClientCredentials,
    pub username: String,
    pub password: Secret,
    pub redirect_uris: Vec<String>,
}

#[derive(Debug)]
struct Shared {
    profile: Profile,
    state: SharedState,
    judge: Mutex<Judge>,
    cues: Mutex<Cues>,
    paths: Paths,
    port: u16,
    base_url: url::Url,
    identity: Identity,
    numbers: AtomicU64,
    /// Times the clock was moved by hand.
    epoch: AtomicU64,
    /// Token requests in flight and arrived, per scenario of the suite's
    /// marked run (one entry, "", for every other client).
    flights: Mutex<HashMap<String, Flight>>,
    /// The key the suite's run marks its requests with (see
    /// [`crate::client::wire_mark`]), given to the command and the env file.
    probe_key: Secret,
}

/// Token requests of one client (one scenario of a marked run).
#[derive(Clone, Copy, Debug, Default)]
struct Flight {
    arrivals: u64,
    in_flight: u64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A running provider double.
#[derive(Debug)]
pub struct ProviderDouble {
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("{0}")]
    Fault(String),
    #[error("redirect URI {uri:?} is not an absolute URL: {detail}")]
    RedirectUri { uri: String, detail: String },
}

impl ProviderDouble {
    /// Starts a double of `profile` on a free port, with a random client
    /// and user.
    pub async fn start(profile: &Profile) -> Result<Self, ServeError> {
        Self::start_with(profile, ServeOptions::default()).await
    }

    pub async fn start_with(profile: &Profile, options: ServeOptions) -> Result<Self, ServeError> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port))
            .await
            .map_err(|source| ServeError::Bind {
                port: options.port,
                source,
            })?;
        let port = listener
            .local_addr()
            .map_err(|source| ServeError::Bind {
                port: options.port,
                source,
            })?
            .port();
        let base = format!("http://127.0.0.1:{port}");
        let base_url = url::Url::parse(&format!("{base}/")).expect("a loopback URL parses");
        let profile = profile.on_one_origin();
        let identity = identity(&options, &base)?;
        let mut state = MockState::new(profile.clone(), Clock::system());
        state.base_url = base.clone();
        state.clients.push(MockClient {
            id: identity.client.id.clone(),
            secret: identity.client.secret.expose().to_owned(),
            scopes: profile.mock.scopes.clone(),
            redirect_uris: identity.redirect_uris.clone(),
            grants: Vec::new(),
            auth_method: None,
        });
        if let Some(ac) = &profile.authorization_code {
            state.users.push(MockUser {
                username: identity.username.clone(),
                password: identity.password.expose().to_owned(),
                accounts: if ac.accounts.is_empty() {
                    vec!["default".to_owned()]
                } else {
                    ac.accounts.clone()
                },
            });
        }
        let mut cues = Cues::default();
        for name in &options.faults {
            let fault = Fault::from_name(name, None).ok_or_else(|| {
                ServeError::Fault(format!(
                    "unknown fault {name:?}; known faults: {}",
                    Fault::known()
                        .into_iter()
                        .map(|(n, _)| n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            cues.switch_on(name, fault, None);
        }
        let judge = Judge::new(
            &profile,
            identity.client.clone(),
            identity.redirect_uris.clone(),
            &base_url,
        );
        let shared = Arc::new(Shared {
            paths: Paths::of(&profile),
            profile,
            state: Arc::new(Mutex::new(state)),
            judge: Mutex::new(judge),
            cues: Mutex::new(cues),
            port,
            base_url,
            identity,
            numbers: AtomicU64::new(0),
            epoch: AtomicU64::new(0),
            flights: Mutex::new(HashMap::new()),
            probe_key: Secret::new(random_token()),
        });
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(serve(listener, shared.clone(), stopped));
        Ok(Self {
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> &url::Url {
        &self.shared.base_url
    }

    pub fn port(&self) -> u16 {
        self.shared.port
    }

    pub fn profile(&self) -> &Profile {
        &self.shared.profile
    }

    /// The client, the user and the redirect URIs the server accepts.
    pub fn identity(&self) -> &Identity {
        &self.shared.identity
    }

    /// The key that marks the suite's own run against this server: its
    /// scenarios are judged apart, its probes not at all (see
    /// [`crate::client::wire_mark`]).
    pub fn probe_key(&self) -> &Secret {
        &self.shared.probe_key
    }

    /// The client's credentials.
    pub fn credentials(&self) -> &ClientCredentials {
        &self.shared.identity.client
    }

    /// Every endpoint the provider serves, by name, as absolute URLs.
    pub fn endpoints(&self) -> Vec<(&'static str, String)> {
        endpoints(&self.shared)
    }

    /// Moves the server's clock forward: tokens and codes expire.
    pub fn advance_clock(&self, by: Duration) {
        advance(&self.shared, by);
    }

    /// Switches a fault on for the next `times` matching requests (`None`:
    /// until reset). See [`Fault::known`] for the names.
    pub fn fault(&self, name: &str, times: Option<u64>) -> Result<(), ServeError> {
        let fault = Fault::from_name(name, None)
            .ok_or_else(|| ServeError::Fault(format!("unknown fault {name:?}")))?;
        lock(&self.shared.cues).switch_on(name, fault, times);
        Ok(())
    }

    /// Switches every fault off and puts the clock back.
    pub fn reset(&self) {
        reset(&self.shared);
    }

    /// The verdict on each client check so far.
    pub fn report(&self) -> report::ServeReport {
        report::ServeReport::of(&self.shared)
    }

    /// Stops listening (the verdicts stay readable).
    pub async fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for ProviderDouble {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// The client and user: given, or random; the redirect URIs: given, or
/// one on the server's own origin.
fn identity(options: &ServeOptions, base: &str) -> Result<Identity, ServeError> {
    let id = options
        .client_id
        .clone()
        .unwrap_or_else(|| format!("serve-client-{}", &random_token()[..8]));
    let secret = options.client_secret.clone().unwrap_or_else(random_token);
    let client = ClientCredentials::new(id, secret);
    let password = Secret::new(options.password.clone().unwrap_or_else(random_token));
    let mut redirect_uris = Vec::new();
    for uri in &options.redirect_uris {
        url::Url::parse(uri).map_err(|e| ServeError::RedirectUri {
            uri: uri.clone(),
            detail: e.to_string(),
        })?;
        if !redirect_uris.contains(uri) {
            redirect_uris.push(uri.clone());
        }
    }
    if redirect_uris.is_empty() {
        redirect_uris.push(format!("{base}/callback"));
    }
    Ok(Identity {
        client,
        username: options
            .username
            .clone()
            .unwrap_or_else(|| crate::mock::MOCK_USERNAME.to_owned()),
        password,
        redirect_uris,
    })
}

fn endpoints(shared: &Shared) -> Vec<(&'static str, String)> {
    let at = |path: &str| {
        shared
            .base_url
            .join(path.trim_start_matches('/'))
            .map(|u| u.to_string())
            .unwrap_or_default()
    };
    let paths = &shared.paths;
    let mut out = vec![("token", at(&paths.token))];
    if let Some(p) = &paths.authorize {
        out.push(("authorization", at(p)));
    }
    if let Some(p) = &paths.api {
        out.push(("api", at(p)));
    }
    if let Some((p, _)) = &paths.scoped_api {
        out.push(("scoped_api", at(p)));
    }
    if let Some(p) = &paths.connection_success {
        out.push(("connection_success", at(p)));
    }
    if let Some(p) = &paths.revocation {
        out.push(("revocation", at(p)));
    }
    if let Some(p) = &paths.introspection {
        out.push(("introspection", at(p)));
    }
    out.push(("jwks", at(crate::mock::jwt::JWKS_PATH)));
    out.push(("metadata", at(&crate::mock::metadata::path())));
    out.push(("control", at(CONTROL_PREFIX)));
    out
}

fn advance(shared: &Shared, by: Duration) {
    let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX / 4);
    let mut state = lock(&shared.state);
    state.clock_offset_ms = state.clock_offset_ms.saturating_add(ms);
    shared.epoch.fetch_add(1, Ordering::SeqCst);
}

fn reset(shared: &Shared) {
    lock(&shared.cues).active.clear();
    lock(&shared.state).clock_offset_ms = 0;
    shared.epoch.fetch_add(1, Ordering::SeqCst);
}

/// Accepts connections until `stopped`.
async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, remote)) = accepted else { continue };
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |req| {
                        let shared = shared.clone();
                        async move { Ok::<_, Infallible>(handle(&shared, req, remote).await) }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            // Reap finished connections so the set stays small.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

type Answer = hyper::Response<Full<Bytes>>;

fn to_hyper(response: MockResponse) -> Answer {
    let mut builder = hyper::Response::builder().status(response.status);
    for (name, value) in &response.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(Full::new(Bytes::from(response.body)))
        .unwrap_or_else(|_| {
            let mut r = hyper::Response::new(Full::new(Bytes::from_static(b"bad response")));
            *r.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
            r
        })
}

/// One request: the control API, or the provider's answer, recorded and
/// judged.
async fn handle(shared: &Shared, req: hyper::Request<Incoming>, remote: SocketAddr) -> Answer {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(b) => b.to_bytes().to_vec(),
        Err(_) => {
            return to_hyper(MockResponse::oauth_error(
                413,
                "invalid_request",
                &format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
            ));
        }
    };
    let mock_req = MockRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into()),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    };
    if mock_req.path.starts_with(CONTROL_PREFIX) || mock_req.path == "/_conformance" {
        if !remote.ip().is_loopback() {
            return to_hyper(MockResponse::json(
                403,
                &serde_json::json!({"error": "the control API answers loopback clients only"}),
            ));
        }
        return to_hyper(control::handle(shared, &mock_req));
    }
    to_hyper(provider(shared, mock_req).await)
}

/// The request as the client sent it, its URL from its `Host` header.
fn as_sent(shared: &Shared, req: &MockRequest) -> HttpRequest {
    let host = req
        .header("host")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("127.0.0.1:{}", shared.port));
    let url = url::Url::parse(&format!("http://{host}{}", req.path_and_query))
        .or_else(|_| {
            shared
                .base_url
                .join(req.path_and_query.trim_start_matches('/'))
        })
        .unwrap_or_else(|_| shared.base_url.clone());
    HttpRequest {
        method: req.method.clone(),
        url,
        headers: req.headers.clone(),
        body: (!req.body.is_empty()).then(|| req.body.clone()),
    }
}

async fn provider(shared: &Shared, req: MockRequest) -> MockResponse {
    let number = shared.numbers.fetch_add(1, Ordering::SeqCst) + 1;
    let sent = as_sent(shared, &req);
    let endpoint = shared.paths.endpoint(&req.method, &req.path);
    let grant = (endpoint == Endpoint::Token)
        .then(|| sent.body_param("grant_type"))
        .flatten();
    let (scenario, probe) =
        crate::client::wire_mark::read(&sent.headers, shared.probe_key.expose())
            .map_or((String::new(), None), |(s, p)| (s, p));
    let cues = lock(&shared.cues).take(endpoint, grant.as_deref());
    let is_token = endpoint == Endpoint::Token;
    let (arrival, overlapped) = match is_token {
        true => take_off(shared, &scenario),
        false => (0, false),
    };
    let slow = cues.iter().find_map(|c| match c.fault {
        Fault::TokenSlow(d) => Some(d),
        _ => None,
    });
    if let Some(delay) = slow {
        tokio::time::sleep(delay).await;
    }
    let epoch = shared.epoch.load(Ordering::SeqCst);
    let (response, at_ms, refresh_before, bad_token) = {
        let mut state = lock(&shared.state);
        let at_ms = state.now_ms();
        let refresh_before = (grant.as_deref() == Some("refresh_token"))
            .then(|| sent.body_param("refresh_token"))
            .flatten()
            .and_then(|rt| state.refresh_tokens.get(&rt).cloned());
        let saved = state.faults.clone();
        let mut bad_token = None;
        let mut answer = None;
        for cue in &cues {
            match &cue.fault {
                Fault::Server(f) => state.faults.broken_rule = Some(*f),
                Fault::TokenAnswer(f) => state.faults.token_endpoint = Some(f.clone()),
                Fault::Api(f) => state.faults.api = Some(*f),
                Fault::AccessToken(f) => {
                    state.faults.access_token = Some(*f);
                    bad_token = Some(cue.name.clone());
                }
                Fault::TokenSlow(_) => {}
                Fault::TokenUnavailable => {
                    answer = Some(
                        MockResponse::oauth_error(
                            503,
                            "temporarily_unavailable",
                            "The token endpoint is unavailable (a fault switched on)",
                        )
                        .header("retry-after", "1"),
                    );
                }
                Fault::ApiUnavailable => {
                    answer = Some(
                        MockResponse::json(
                            503,
                            &serde_json::json!({"error": "temporarily_unavailable"}),
                        )
                        .header("retry-after", "1"),
                    );
                }
                Fault::RefreshRevoked => {
                    if let Some(rt) = sent.body_param("refresh_token")
                        && let Some(issued) = state.refresh_tokens.get_mut(&rt)
                    {
                        issued.revoked = true;
                    }
                }
                Fault::AuthorizationError(error) => {
                    answer = authorization_error(&state, &sent, error);
                }
            }
        }
        let response = match answer {
            Some(a) => a,
            None => router::answer(&mut state, &shared.paths, endpoint, &req, shared.port),
        };
        state.faults = saved;
        (response, at_ms, refresh_before, bad_token)
    };
    let slow_alone = is_token && land(shared, &scenario) == arrival + 1 && slow.is_some();
    let exchange = Exchange {
        number,
        endpoint,
        answer: HttpAnswer {
            url: sent.url.clone(),
            status: response.status,
            headers: response.headers.clone(),
            body: response.body.clone(),
        },
        request: sent,
        at_ms,
        epoch,
        overlapped,
        slow_alone,
        bad_token: bad_token.filter(|_| response.status == 200),
        refresh_before,
        scenario,
        probe,
    };
    lock(&shared.judge).judge(&exchange);
    response
}

/// A token request of `scenario`'s client arrives: its place among them,
/// and whether another of the same client was being answered.
fn take_off(shared: &Shared, scenario: &str) -> (u64, bool) {
    let mut flights = lock(&shared.flights);
    if flights.len() >= judge::MAX_REMEMBERED && !flights.contains_key(scenario) {
        flights.retain(|_, f| f.in_flight > 0);
    }
    let flight = flights.entry(scenario.to_owned()).or_default();
    flight.arrivals += 1;
    flight.in_flight += 1;
    (flight.arrivals - 1, flight.in_flight > 1)
}

/// A token request of `scenario`'s client was answered: how many of its
/// token requests had arrived by then.
fn land(shared: &Shared, scenario: &str) -> u64 {
    let mut flights = lock(&shared.flights);
    let flight = flights.entry(scenario.to_owned()).or_default();
    flight.in_flight = flight.in_flight.saturating_sub(1);
    flight.arrivals
}

/// The error redirect a cue answers an authorization request with, when its
/// client and redirect URI are the registered ones (else the server's own
/// answer: an error page).
fn authorization_error(state: &MockState, sent: &HttpRequest, error: &str) -> Option<MockResponse> {
    let param = |n: &str| {
        sent.url
            .query_pairs()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.into_owned())
    };
    let client = state.client(&param("client_id")?)?;
    let redirect_uri = param("redirect_uri")?;
    if !client.redirect_uris.contains(&redirect_uri) {
        return None;
    }
    let mut location = url::Url::parse(&redirect_uri).ok()?;
    {
        let mut query = location.query_pairs_mut();
        query.append_pair("error", error);
        query.append_pair(
            "error_description",
            "A fault switched on by the control API",
        );
        if let Some(s) = param("state") {
            query.append_pair("state", &s);
        }
    }
    Some(MockResponse {
        status: 302,
        headers: vec![("location".into(), location.to_string())],
        body: Vec::new(),
    })
}
