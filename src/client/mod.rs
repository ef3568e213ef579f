//! The configurable OAuth client.
//!
//! It builds every request in the shape a [`Profile`] asks for, records what
//! it sent, and turns answers into typed values or precise errors. Tests use
//! it as "the client under test" against the mock, and as "the probe" against
//! a real server; the same code path serves both. [`TokenManager`] is what an
//! application keeps: a cached token, renewed before it expires, fetched once
//! for any number of waiting tasks; [`JwtValidator`] checks a JWT access
//! token against the provider's JWKS before use. [`login`] is the user
//! agent that logs the user in and approves or denies access. [`metadata`]
//! reads an authorization server's metadata, found at the [`well_known`] URIs.

pub mod advertised;
pub mod api;
pub mod authorize;
pub mod callback;
pub mod code_flow;
pub mod contacted;
pub mod cors;
pub mod credentials;
pub mod expiry;
pub mod fault;
pub mod form_post;
pub mod introspection;
pub mod jwks;
pub mod login;
pub mod metadata;
pub mod misstep;
pub mod near_miss;
pub mod plain_http;
pub mod recording;
pub mod revocation;
pub mod token_manager;
pub mod token_request;
pub mod token_response;
pub mod transport;
pub mod validation;
pub mod well_known;
pub mod wire_mark;
pub mod www_authenticate;

#[cfg(test)]
mod endpoint_tests;

use crate::profile::{Endpoint, Profile, endpoints};

pub use api::Presentation;
pub use credentials::{ClientCredentials, Secret};
pub use fault::ClientFault;
pub use misstep::Misstep;
pub use recording::{HttpRequest, Recorder};
pub use token_manager::{Authorized, ManagerConfig, RenewalError, TokenManager};
pub use token_request::{GrantType, TokenRequest};
pub use token_response::{OAuthError, TokenError, TokenResponse, parse_token_answer};
pub use transport::{HttpAnswer, Limits, Transport, TransportError};
pub use validation::{JwtValidator, ValidationError};

/// One token request and everything that came of it.
#[derive(Clone, Debug)]
pub struct TokenAttempt {
    pub request: HttpRequest,
    /// The rule the client broke on purpose with this request, if any: what
    /// a refusal of it proves.
    pub misstep: Option<Misstep>,
    /// The server's answer, when one arrived.
    pub answer: Option<HttpAnswer>,
    pub outcome: Result<TokenResponse, TokenError>,
}

impl TokenAttempt {
    /// The scope the client was granted: the response's `scope`, or, when the
    /// response omits it, the scope requested (RFC 6749 §5.1: OPTIONAL if
    /// identical to the scope requested).
    pub fn granted_scope(&self) -> Option<String> {
        let token = self.outcome.as_ref().ok()?;
        token
            .scope
            .clone()
            .or_else(|| self.request.body_param("scope"))
    }
}

/// One API call and its answer.
#[derive(Clone, Debug)]
pub struct ApiAttempt {
    pub request: HttpRequest,
    pub outcome: Result<HttpAnswer, TransportError>,
}

impl ApiAttempt {
    /// The token the request presented in its `Authorization` header.
    pub fn bearer_token(&self) -> Option<String> {
        self.request
            .header("authorization")
            .and_then(|v| v.split_once(' '))
            .map(|(_, t)| t.to_owned())
    }
}

/// A client registered with one provider at one base URL.
#[derive(Clone, Debug)]
pub struct OAuthClient {
    pub profile: Profile,
    pub base_url: url::Url,
    pub credentials: ClientCredentials,
    /// A misstep every request of this client makes (a wrong secret).
    misstep: Option<Misstep>,
    /// The one rule this client breaks, for a fault proof only (see
    /// [`fault`]); `None` in every normal run.
    fault: Option<ClientFault>,
    /// The PKCE pair a client with [`ClientFault::ReusesPkceVerifier`] keeps
    /// using.
    kept_pkce: std::sync::Arc<std::sync::Mutex<Option<authorize::Pkce>>>,
    /// The state a client with [`ClientFault::ReusesState`] keeps using.
    kept_state: std::sync::Arc<std::sync::Mutex<Option<Secret>>>,
    /// Whether the fault bent a request this client sent (shared by its
    /// clones): the servers' answers to it say nothing of the servers.
    struck: std::sync::Arc<std::sync::atomic::AtomicBool>,
    transport: Transport,
    recorder: Recorder,
    /// The states of the callbacks this client accepted: each works once
    /// (RFC 9700 §2.1).
    used_states: std::sync::Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    /// The issuer identifier of the server this client's authorization
    /// requests go to: what a redirect's `iss` must be (RFC 9207 §2.4).
    issuer: Option<String>,
}

impl OAuthClient {
    pub fn new(
        profile: Profile,
        base_url: url::Url,
        credentials: ClientCredentials,
        transport: Transport,
    ) -> Self {
        Self {
            profile,
            base_url,
            credentials,
            misstep: None,
            fault: None,
            kept_pkce: Default::default(),
            kept_state: Default::default(),
            struck: Default::default(),
            transport,
            recorder: Recorder::default(),
            used_states: Default::default(),
            issuer: None,
        }
    }

    /// The same client, knowing its server's issuer identifier (the one a
    /// redirect's `iss` is compared with, RFC 9207 §2.4).
    pub fn with_issuer(mut self, issuer: Option<String>) -> Self {
        self.issuer = issuer;
        self
    }

    /// The issuer identifier this client expects in a redirect's `iss`.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The same client breaking `fault`'s rule: for the fault proofs only.
    pub fn with_fault(mut self, fault: Option<ClientFault>) -> Self {
        self.fault = fault;
        if fault == Some(ClientFault::AcceptsAnyCertificate)
            && let Ok(insecure) = Transport::accepting_any_certificate(self.transport.limits())
        {
            self.transport = insecure
                .counting_into(self.transport.contacted().clone())
                .marked(self.transport.mark().cloned());
        }
        self
    }

    /// The rule this client breaks on purpose, if any.
    pub fn fault(&self) -> Option<ClientFault> {
        self.fault
    }

    /// Whether this client breaks `fault`'s rule.
    pub fn has_fault(&self, fault: ClientFault) -> bool {
        self.fault == Some(fault)
    }

    /// Whether this client's fault bent a request it sent: what a server
    /// answered to such a request is no verdict on the server.
    pub fn fault_struck(&self) -> bool {
        self.struck.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// [`Self::note_bend`] for an authorization URL.
    fn note_url_bend(&self, built: &url::Url, bent: url::Url) -> url::Url {
        if *built != bent {
            self.struck.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        bent
    }

    /// `bent` is what the fault made of `built`: remembers when it differs.
    fn note_bend(&self, built: &HttpRequest, bent: HttpRequest) -> HttpRequest {
        if *built != bent {
            self.struck.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        bent
    }

    pub fn with_credentials(mut self, credentials: ClientCredentials) -> Self {
        self.credentials = credentials;
        self.misstep = None;
        self
    }

    /// The same client with a secret that is not its own: every token
    /// request it sends is a [`Misstep::WrongSecret`].
    pub fn with_wrong_secret(mut self) -> Self {
        let wrong = format!("{}-wrong", self.credentials.secret.expose());
        self.credentials = ClientCredentials::new(self.credentials.id.clone(), wrong);
        self.misstep = Some(Misstep::WrongSecret);
        self
    }

    pub fn with_transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Every request this client sent, oldest first.
    pub fn sent(&self) -> Vec<HttpRequest> {
        self.recorder.all()
    }

    /// Sends a token request, reshaped first when its misstep is a shape
    /// (see [`Misstep::reshape`]).
    pub async fn request_token(&self, request: &TokenRequest) -> TokenAttempt {
        let misstep = request.misstep.or(self.misstep);
        let built = request
            .build(&self.profile, &self.base_url, &self.credentials)
            .map(|http| match (misstep, self.fault) {
                (Some(m), _) => m.reshape(http, &self.credentials),
                // A faulty client bends the requests it means to be right.
                (None, Some(f)) if f.bends_token_requests() && request.grant.is_known() => {
                    self.note_bend(&http, f.bend_token_request(http.clone(), &self.credentials))
                }
                (None, _) => http,
            });
        let http = match built {
            Ok(http) => http,
            Err(e) => {
                return TokenAttempt {
                    request: self.placeholder_request(),
                    misstep,
                    answer: None,
                    outcome: Err(self.url_error(&self.profile.token.path, e).into()),
                };
            }
        };
        if let Err(e) = self.may_send_to(&http.url) {
            return TokenAttempt {
                request: self.placeholder_request(),
                misstep,
                answer: None,
                outcome: Err(e.into()),
            };
        }
        self.recorder.record(&http);
        // A misstep is a probe: `serve` counts it and judges it not.
        let transport = match (misstep, request.probe) {
            (Some(m), _) => self.transport.probing(&format!("{m:?}")),
            (None, Some(why)) => self.transport.probing(why),
            _ if !request.grant.is_known() => self.transport.probing("an unknown or no grant_type"),
            _ => self.transport.clone(),
        };
        let (answer, outcome) = match transport.send(&http).await {
            Ok(answer) => {
                let outcome =
                    parse_token_answer(&answer).and_then(|t| self.read_members(&answer, t));
                (Some(answer), outcome)
            }
            Err(e) => (None, Err(e.into())),
        };
        TokenAttempt {
            request: http,
            misstep,
            answer,
            outcome,
        }
    }

    /// RFC 6749 §5.1: members the client does not know are ignored, unless
    /// its fault is to refuse them.
    fn read_members(
        &self,
        answer: &HttpAnswer,
        token: TokenResponse,
    ) -> Result<TokenResponse, TokenError> {
        let unknown = token
            .raw
            .keys()
            .find(|k| !token_response::KNOWN_MEMBERS.contains(&k.as_str()));
        match unknown {
            Some(name) if self.has_fault(ClientFault::RefusesUnknownMembers) => {
                self.struck.store(true, std::sync::atomic::Ordering::SeqCst);
                Err(TokenError::BadAnswer {
                    url: answer.url.to_string(),
                    problem: format!("the member {name:?} is not one this client knows"),
                    described: answer.describe(),
                })
            }
            _ => Ok(token),
        }
    }

    /// Where the profile puts `endpoint`, on this client's target (see
    /// [`crate::profile::endpoints`]).
    pub fn endpoint(&self, endpoint: Endpoint) -> Result<url::Url, String> {
        let location = self.profile.location(endpoint).ok_or_else(|| {
            format!(
                "profile {} names no {} ({})",
                self.profile.name,
                endpoint.describe(),
                endpoint.field()
            )
        })?;
        endpoints::resolve(&self.base_url, location)
            .map_err(|e| format!("cannot build the URL of {location:?}: {e}"))
    }

    /// Whether `url` goes to `endpoint`: same origin and path, its query
    /// aside.
    pub fn is_at(&self, url: &url::Url, endpoint: Endpoint) -> bool {
        self.endpoint(endpoint)
            .is_ok_and(|e| e.origin() == url.origin() && e.path() == url.path())
    }

    /// Whether this client may send secrets or tokens to `url`, the
    /// endpoint a request goes to (see [`plain_http`]).
    fn may_send_to(&self, url: &url::Url) -> Result<(), TransportError> {
        if self.has_fault(ClientFault::SendsSecretsOverPlainHttp) {
            return Ok(());
        }
        plain_http::guard(url, self.profile.allow_plain_http)
    }

    pub async fn call_api(&self, presentation: &Presentation) -> ApiAttempt {
        let Some(api) = &self.profile.api else {
            return self.no_api_probe();
        };
        let path = api.probe_path.clone();
        self.call_api_at(&path, presentation).await
    }

    /// [`Self::call_api`] for another resource of the API (`path`: below
    /// the target, or an absolute URL).
    pub async fn call_api_at(&self, path: &str, presentation: &Presentation) -> ApiAttempt {
        let Some(api) = &self.profile.api else {
            return self.no_api_probe();
        };
        let http = match api::probe_request(api, &self.base_url, path, presentation) {
            Ok(http) => match self.fault {
                Some(f) => self.note_bend(&http, f.bend_api_request(http.clone())),
                None => http,
            },
            Err(e) => {
                return ApiAttempt {
                    request: self.placeholder_request(),
                    outcome: Err(self.url_error(path, e)),
                };
            }
        };
        if let Err(e) = self.may_send_to(&http.url) {
            return ApiAttempt {
                request: self.placeholder_request(),
                outcome: Err(e),
            };
        }
        self.recorder.record(&http);
        // Another spelling of the scheme is a probe of the resource server.
        let transport = match presentation {
            Presentation::Scheme { scheme, .. } if scheme != "Bearer" => {
                self.transport.probing(&format!("the {scheme:?} scheme"))
            }
            _ => self.transport.clone(),
        };
        let outcome = transport.send(&http).await;
        let followed = match (self.fault, &outcome) {
            (Some(fault), Ok(answer)) => fault.follow_api_redirect(&http, answer),
            _ => None,
        };
        if let Some(next) = followed {
            self.recorder.record(&next);
            let outcome = transport.send(&next).await;
            return ApiAttempt {
                request: next,
                outcome,
            };
        }
        ApiAttempt {
            request: http,
            outcome,
        }
    }

    /// Sends any request this client built (the authorize flow, the
    /// connection-success call), recording it like the others.
    pub async fn send(&self, request: &HttpRequest) -> Result<HttpAnswer, TransportError> {
        self.may_send_to(&request.url)?;
        self.recorder.record(request);
        self.transport.send(request).await
    }

    /// The attempt for a profile that names no API to call.
    fn no_api_probe(&self) -> ApiAttempt {
        ApiAttempt {
            request: self.placeholder_request(),
            outcome: Err(TransportError::Other {
                url: self.base_url.to_string(),
                detail: format!(
                    "profile {} names no API probe ([api] probe_path)",
                    self.profile.name
                ),
            }),
        }
    }

    /// Stands in for a request that could not be built, so the attempt
    /// still carries the error.
    fn placeholder_request(&self) -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            url: self.base_url.clone(),
            headers: Vec::new(),
            body: None,
        }
    }

    fn url_error(&self, path: &str, e: url::ParseError) -> TransportError {
        TransportError::Other {
            url: format!("{}{}", self.base_url, path),
            detail: format!("cannot build the URL: {e}"),
        }
    }
}
