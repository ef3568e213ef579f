//! Judging the client that talks to `serve`, one exchange at a time, with
//! the suite's client checks.
//!
//! The checks are the ones that judge the suite's own client (token request
//! shape, client authentication, grant parameters, PKCE, state, bearer
//! usage, where a token travels, seed 002's token lifetime rules), fed with
//! what this server received instead of what the suite sent. What is kept
//! is bounded: a tally per check, the first [`MAX_FAILURES_KEPT`] failures
//! of each with their exchanges, and the facts the next exchange needs
//! (issued tokens, codes, states), each table capped at [`MAX_REMEMBERED`].

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::hash::Hash;

use crate::checks::catalogue::{self, *};
use crate::checks::{
    CheckOutcome, Level, Side, Verdict, authorization_request, bearer, client_behaviour,
    client_security, code_flow, grant_request, repeated_params, revocation, token_origin,
    token_request,
};
use crate::client::{ClientCredentials, HttpAnswer, HttpRequest};
use crate::mock::state::IssuedRefresh;
use crate::profile::Profile;
use crate::report::exchange::ExchangeRecord;

use super::router::Endpoint;

/// Failures kept per check, each with its exchanges (the rest are counted).
pub const MAX_FAILURES_KEPT: usize = 3;
/// Issued tokens, codes, states and verifiers remembered, each.
pub const MAX_REMEMBERED: usize = 10_000;
/// Exchanges shown behind a failure: the failing one and those before it.
const CONTEXT: usize = 3;

/// One request the server received and what it answered.
#[derive(Clone, Debug)]
pub struct Exchange {
    /// Its place among every request received, from 1.
    pub number: u64,
    pub endpoint: Endpoint,
    /// The URL is built from the `Host` header the client sent.
    pub request: HttpRequest,
    pub answer: HttpAnswer,
    /// The server's time when it arrived (moved by the clock control).
    pub at_ms: i64,
    /// How many times the clock had been moved by hand by then.
    pub epoch: u64,
    /// Another token request was being answered when this one arrived.
    pub overlapped: bool,
    /// A slow token answer (`token_slow`) during which no other token
    /// request arrived.
    pub slow_alone: bool,
    /// The access token fault the answer was minted under, if any.
    pub bad_token: Option<String>,
    /// The refresh token presented, as the server knew it before answering.
    pub refresh_before: Option<IssuedRefresh>,
    /// The scenario of the suite's marked run it belongs to ("" for any
    /// other client): what spans requests is judged per scenario.
    pub scenario: String,
    /// The rule the suite's marked run broke on purpose with it: a probe,
    /// counted and not judged (see [`crate::client::wire_mark`]).
    pub probe: Option<String>,
}

/// A map that forgets its oldest entries beyond [`MAX_REMEMBERED`].
#[derive(Debug)]
struct Bounded<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
}

impl<K: Hash + Eq + Clone, V> Default for Bounded<K, V> {
    fn default() -> Self {
        Self {
            map: HashMap::new(),
            order: VecDeque::new(),
        }
    }
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    fn insert(&mut self, k: K, v: V) {
        if self.map.insert(k.clone(), v).is_none() {
            self.order.push_back(k);
            while self.order.len() > MAX_REMEMBERED {
                if let Some(old) = self.order.pop_front() {
                    self.map.remove(&old);
                }
            }
        }
    }
    fn get(&self, k: &K) -> Option<&V> {
        self.map.get(k)
    }
    fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.map.get_mut(k)
    }
    fn contains(&self, k: &K) -> bool {
        self.map.contains_key(k)
    }
    fn len(&self) -> usize {
        self.map.len()
    }
}

/// An access token this server issued, as the judge follows it.
#[derive(Clone, Debug)]
struct IssuedToken {
    expires_at_ms: i64,
    lifetime_ms: i64,
    epoch: u64,
    used: bool,
    refused: bool,
    /// The client asked to revoke it.
    revoked: bool,
    bad: Option<String>,
    unknown_member: bool,
}

/// What an authorization request asked, for its code exchange.
#[derive(Clone, Debug, Default)]
struct Authorization {
    redirect_uri: Option<String>,
    challenge: Option<String>,
    method: Option<String>,
    /// The code redirect carried a parameter the client does not know.
    extension: bool,
}

/// One check's verdicts so far.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub passes: u64,
    pub failures: u64,
    pub failed: Vec<Failure>,
    /// Why it had no verdict, when the last word was a skip.
    pub skip: Option<String>,
}

/// A failure with the exchanges behind it, redacted when kept.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Failure {
    pub detail: String,
    pub exchanges: Vec<ExchangeRecord>,
}

/// The judge: every client check's tally, and what it needs to remember.
#[derive(Debug)]
pub struct Judge {
    profile: Profile,
    creds: ClientCredentials,
    redirect_uris: Vec<String>,
    declared: Vec<url::Origin>,
    tallies: BTreeMap<&'static str, Tally>,
    recent: VecDeque<(u64, HttpRequest, HttpAnswer)>,
    tokens: Bounded<String, IssuedToken>,
    /// The last token issued per grant and scope asked.
    latest: Bounded<String, String>,
    /// A token the API refused, not yet followed by another token's call,
    /// per scenario.
    refused: Bounded<String, Option<String>>,
    refresh_replaced_by: Bounded<String, String>,
    /// Tokens the client asked to revoke (any kind, as it sent them).
    revoked: Bounded<String, ()>,
    rotated_in: Bounded<String, ()>,
    by_state: Bounded<String, Authorization>,
    last_authorization: Option<Authorization>,
    codes: Bounded<String, Authorization>,
    states: Bounded<String, ()>,
    verifiers: Bounded<String, ()>,
    /// Requests received, by endpoint.
    pub counts: BTreeMap<String, u64>,
    pub requests: u64,
    /// The suite's probes received, by the rule each broke on purpose
    /// (at most [`MAX_REMEMBERED`] kinds).
    pub probes: BTreeMap<String, u64>,
}

impl Judge {
    pub fn new(
        profile: &Profile,
        creds: ClientCredentials,
        redirect_uris: Vec<String>,
        base_url: &url::Url,
    ) -> Self {
        Self {
            declared: profile.token_origins(base_url),
            profile: profile.clone(),
            creds,
            redirect_uris,
            tallies: BTreeMap::new(),
            recent: VecDeque::new(),
            tokens: Bounded::default(),
            latest: Bounded::default(),
            refused: Bounded::default(),
            refresh_replaced_by: Bounded::default(),
            revoked: Bounded::default(),
            rotated_in: Bounded::default(),
            by_state: Bounded::default(),
            last_authorization: None,
            codes: Bounded::default(),
            states: Bounded::default(),
            verifiers: Bounded::default(),
            counts: BTreeMap::new(),
            requests: 0,
            probes: BTreeMap::new(),
        }
    }

    /// Judges one exchange and remembers what the next ones need.
    pub fn judge(&mut self, ex: &Exchange) {
        self.requests += 1;
        let name = serde_json::to_value(ex.endpoint)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        *self.counts.entry(name).or_default() += 1;
        self.recent
            .push_back((ex.number, ex.request.clone(), ex.answer.clone()));
        while self.recent.len() > CONTEXT {
            self.recent.pop_front();
        }
        let mut outcomes = Vec::new();
        match ex.endpoint {
            Endpoint::Token => self.token_request(ex, &mut outcomes),
            Endpoint::Authorize => self.authorization_request(ex, &mut outcomes),
            Endpoint::Revocation => {
                outcomes.push(revocation::request_shape(&ex.request));
                self.revoked(&ex.request);
            }
            _ => {}
        }
        if let Some(probe) = &ex.probe {
            // The suite broke a rule on purpose to see the server refuse:
            // what it issued is remembered, the request is not judged, and
            // a token it carried is not counted as used.
            if self.probes.len() < MAX_REMEMBERED || self.probes.contains_key(probe) {
                *self.probes.entry(probe.clone()).or_default() += 1;
            }
            self.code_redirect(ex);
            return;
        }
        self.token_use(ex, &mut outcomes);
        self.code_redirect(ex);
        for outcome in outcomes {
            self.tally(outcome, ex.number);
        }
    }

    /// The client asked to revoke a token (RFC 7009 §2.1), wherever it put
    /// it: asking for a new one next is no request while the old is fresh.
    fn revoked(&mut self, req: &HttpRequest) {
        let token = req
            .body_param("token")
            .or_else(|| {
                req.url
                    .query_pairs()
                    .find(|(k, _)| k == "token")
                    .map(|(_, v)| v.into_owned())
            })
            .unwrap_or_default();
        if let Some(info) = self.tokens.get_mut(&token) {
            info.revoked = true;
        }
        if !token.is_empty() {
            self.revoked.insert(token, ());
        }
    }

    /// Requests the suite's marked run sent as probes, not judged.
    pub fn probes_received(&self) -> u64 {
        self.probes.values().sum()
    }

    fn tally(&mut self, outcome: CheckOutcome, number: u64) {
        let tally = self.tallies.entry(outcome.check.id).or_default();
        match outcome.verdict {
            Verdict::Pass => tally.passes += 1,
            Verdict::Fail(detail) => {
                tally.failures += 1;
                if tally.failed.len() < MAX_FAILURES_KEPT {
                    let exchanges = self
                        .recent
                        .iter()
                        .map(|(n, req, answer)| {
                            ExchangeRecord::new(usize::try_from(*n).unwrap_or(0), req, Ok(answer))
                        })
                        .collect();
                    tally.failed.push(Failure {
                        detail: format!("request #{number}: {detail}"),
                        exchanges,
                    });
                }
            }
            Verdict::Skip(why) | Verdict::NotRun(why) => tally.skip = Some(why),
        }
    }

    fn token_request(&mut self, ex: &Exchange, out: &mut Vec<CheckOutcome>) {
        let req = &ex.request;
        out.extend(token_request::check(req, &self.profile, &self.creds));
        let grant = req.body_param("grant_type").unwrap_or_default();
        let scopes: Vec<String> = req
            .body_params()
            .into_iter()
            .filter(|(k, _)| k == "scope")
            .map(|(_, v)| v)
            .collect();
        if !scopes.is_empty() {
            out.push(CheckOutcome::expect(&REQ_SCOPE, scopes.len() == 1, || {
                format!("{} scope parameters", scopes.len())
            }));
        }
        // A repeated parameter is client-request-params-once's to judge
        // (one failure, one cause): the grant's checks read the first of each.
        let once = Exchange {
            request: once_each(req),
            ..ex.clone()
        };
        match grant.as_str() {
            "authorization_code" => self.code_exchange(&once.request, out),
            "refresh_token" => self.refresh(&once, out),
            _ => {}
        }
        // A refresh with a token the client revoked tries the revocation,
        // it renews nothing.
        let tries_revoked = req
            .body_param("refresh_token")
            .is_some_and(|rt| self.revoked.contains(&rt));
        if grant != "authorization_code" && !tries_revoked {
            self.renewal(ex, &grant, &scopes.join(" "), out);
        }
        if ex.overlapped {
            out.push(client_behaviour::single_flight_on_wire(true));
        } else if ex.slow_alone {
            out.push(client_behaviour::single_flight_on_wire(false));
        }
        self.token_answer(ex, &grant, &scopes.join(" "));
    }

    fn code_exchange(&mut self, req: &HttpRequest, out: &mut Vec<CheckOutcome>) {
        let code = req.body_param("code").unwrap_or_default();
        let authorization = self.codes.get(&code).cloned();
        let expected = match &authorization {
            Some(_) => code.as_str(),
            None => "(a code this server issued)",
        };
        out.push(grant_request::code_exchange(
            req,
            expected,
            authorization
                .as_ref()
                .and_then(|a| a.redirect_uri.as_deref()),
        ));
        let Some(authorization) = authorization else {
            return;
        };
        if authorization.extension {
            // The redirect carried a parameter it does not know, and it
            // exchanged the code all the same (RFC 6749 §4.1.2).
            out.push(CheckOutcome::pass(&CALLBACK_UNKNOWN_PARAMS_IGNORED));
        }
        if let Some(challenge) = &authorization.challenge {
            out.push(client_security::verifier_matches(
                challenge,
                authorization.method.as_deref(),
                req,
            ));
        }
        if let Some(verifier) = req.body_param("code_verifier") {
            out.push(code_flow::verifier_syntax_of(&verifier));
            if self.verifiers.contains(&verifier) {
                out.push(CheckOutcome::fail(
                    &PKCE_VERIFIER_FRESH,
                    "a code verifier was used for more than one authorization request",
                ));
            } else {
                self.verifiers.insert(verifier, ());
                if self.verifiers.len() >= 2 {
                    out.push(CheckOutcome::pass(&PKCE_VERIFIER_FRESH));
                }
            }
        }
    }

    fn refresh(&mut self, ex: &Exchange, out: &mut Vec<CheckOutcome>) {
        let req = &ex.request;
        let sent = req.body_param("refresh_token").unwrap_or_default();
        let held = match &ex.refresh_before {
            Some(_) => sent.as_str(),
            None => "(a refresh token this server issued)",
        };
        out.push(grant_request::refresh(req, held));
        if let Some(before) = &ex.refresh_before {
            out.push(grant_request::refresh_scope_within_grant(
                req,
                Some(before.scope.as_str()),
            ));
        }
        if let Some(new) = self.refresh_replaced_by.get(&sent) {
            out.push(code_flow::refresh_token_replaced(new, req));
        } else if self.rotated_in.contains(&sent) {
            out.push(CheckOutcome::pass(&REFRESH_TOKEN_REPLACED));
        }
    }

    /// Seed 002 at a token request: renewed early enough, not too early.
    fn renewal(&mut self, ex: &Exchange, grant: &str, scope: &str, out: &mut Vec<CheckOutcome>) {
        let key = renewal_key(ex, grant, scope);
        let Some(previous) = self
            .latest
            .get(&key)
            .and_then(|t| self.tokens.get(t))
            .cloned()
        else {
            return;
        };
        if previous.bad.is_some() && !previous.used {
            out.push(CheckOutcome::pass(&CLIENT_REFUSES_INVALID_TOKEN));
        }
        if previous.epoch != ex.epoch
            || previous.refused
            || previous.revoked
            || previous.bad.is_some()
        {
            return;
        }
        let left_ms = previous.expires_at_ms - ex.at_ms;
        if left_ms * 2 > previous.lifetime_ms {
            out.push(client_behaviour::asked_while_fresh(
                left_ms / 1000,
                previous.lifetime_ms / 1000,
            ));
        } else if left_ms > 0 {
            out.push(client_behaviour::renewal_on_wire(
                Some(left_ms / 1000),
                None,
            ));
        }
    }

    /// Remembers the token (and refresh token) a token answer issued.
    fn token_answer(&mut self, ex: &Exchange, grant: &str, scope: &str) {
        if ex.answer.status != 200 {
            return;
        }
        let Ok(body) = serde_json::from_slice::<serde_json::Value>(&ex.answer.body) else {
            return;
        };
        let Some(access_token) = body.get("access_token").and_then(|t| t.as_str()) else {
            return;
        };
        let lifetime_s = body
            .get("expires_in")
            .and_then(serde_json::Value::as_i64)
            .or(self.profile.token.expected_lifetime_s.map(|s| s as i64))
            .unwrap_or(3600);
        let known = [
            "access_token",
            "token_type",
            "expires_in",
            "refresh_token",
            "scope",
        ];
        let unknown_member = body
            .as_object()
            .is_some_and(|o| o.keys().any(|k| !known.contains(&k.as_str())));
        remember_secret(self.tokens.len(), access_token);
        self.tokens.insert(
            access_token.to_owned(),
            IssuedToken {
                expires_at_ms: ex.at_ms + lifetime_s * 1000,
                lifetime_ms: lifetime_s * 1000,
                epoch: ex.epoch,
                used: false,
                refused: false,
                revoked: false,
                bad: ex.bad_token.clone(),
                unknown_member,
            },
        );
        if ex.probe.is_none() {
            self.latest
                .insert(renewal_key(ex, grant, scope), access_token.to_owned());
        }
        if let Some(new) = body.get("refresh_token").and_then(|t| t.as_str()) {
            remember_secret(self.rotated_in.len(), new);
            let sent = ex.request.body_param("refresh_token");
            if let Some(old) = sent.filter(|old| old != new) {
                self.refresh_replaced_by.insert(old, new.to_owned());
                self.rotated_in.insert(new.to_owned(), ());
            }
        }
    }

    fn authorization_request(&mut self, ex: &Exchange, out: &mut Vec<CheckOutcome>) {
        let url = &ex.request.url;
        let registered = |uri: &str| self.redirect_uris.iter().any(|r| r == uri);
        out.extend(authorization_request::check_url(
            url,
            &self.creds.id,
            registered,
        ));
        out.push(repeated_params::authorization_url(url));
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let state = param("state");
        let seen = state.as_ref().is_some_and(|s| self.states.contains(s));
        out.push(code_flow::state_fresh_on_wire(state.as_deref(), seen));
        let challenge = param("code_challenge");
        let method = param("code_challenge_method");
        let pkce_asked = self
            .profile
            .authorization_code
            .as_ref()
            .is_some_and(|ac| ac.pkce || ac.pkce_required);
        match &challenge {
            Some(c) => out.push(CheckOutcome::expect(
                &PKCE_S256_CHALLENGE,
                method.as_deref() == Some("S256")
                    && c.len() == 43
                    && c.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                || match method.as_deref() {
                    Some("S256") => {
                        "code_challenge is not the 43-character BASE64URL of a SHA-256".into()
                    }
                    Some(m) => format!("code_challenge_method is {m:?}, not S256"),
                    None => "code_challenge_method is missing (plain by default), not S256".into(),
                },
            )),
            None if pkce_asked => out.push(CheckOutcome::fail(
                &PKCE_S256_CHALLENGE,
                format!(
                    "the authorization request has no code_challenge, and profile {} requires PKCE",
                    self.profile.name
                ),
            )),
            None => out.push(CheckOutcome::skip(
                &PKCE_S256_CHALLENGE,
                format!(
                    "the client sent no code_challenge, and profile {} does not require PKCE",
                    self.profile.name
                ),
            )),
        }
        let authorization = Authorization {
            redirect_uri: param("redirect_uri"),
            challenge,
            method,
            extension: false,
        };
        if let Some(state) = state {
            self.states.insert(state.clone(), ());
            self.by_state.insert(state, authorization.clone());
        }
        self.last_authorization = Some(authorization);
    }

    /// A redirect with a code: which authorization request it answers.
    fn code_redirect(&mut self, ex: &Exchange) {
        let Some(location) = ex.answer.header("location") else {
            return;
        };
        let Ok(url) = url::Url::parse(location) else {
            return;
        };
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let get = |n: &str| pairs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
        let Some(code) = get("code") else {
            return;
        };
        let authorization = get("state")
            .and_then(|s| self.by_state.get(&s).cloned())
            .or_else(|| self.last_authorization.clone());
        remember_secret(self.codes.len(), &code);
        if let Some(mut authorization) = authorization {
            authorization.extension = pairs.iter().any(|(k, _)| k == "mock_extension");
            self.codes.insert(code, authorization);
        }
    }

    /// An access token in any request: where it went, and how.
    fn token_use(&mut self, ex: &Exchange, out: &mut Vec<CheckOutcome>) {
        let req = &ex.request;
        let Some(token) = carried_token(req) else {
            return;
        };
        if !self.tokens.contains(&token) {
            // Not one this server issued: nothing to follow.
            if ex.endpoint.takes_access_token() {
                out.extend(self.bearer(req, &token));
            }
            return;
        }
        out.push(token_origin::token_stays_at_origin(
            std::slice::from_ref(req),
            &token,
            &self.declared,
        ));
        if !ex.endpoint.takes_access_token() {
            return;
        }
        out.extend(self.bearer(req, &token));
        let refused_before = self.refused.get(&ex.scenario).cloned().flatten();
        let Some(info) = self.tokens.get_mut(&token) else {
            return;
        };
        if info.used {
            out.push(client_behaviour::reused_on_wire());
        }
        info.used = true;
        if info.unknown_member {
            out.push(CheckOutcome::pass(&RESP_UNKNOWN_MEMBERS_IGNORED));
        }
        if let Some(fault) = &info.bad {
            out.push(CheckOutcome::fail(
                &CLIENT_REFUSES_INVALID_TOKEN,
                format!("the client used an access token that fails validation ({fault}) at the API instead of refusing it"),
            ));
        }
        if info.epoch == ex.epoch && ex.at_ms >= info.expires_at_ms {
            out.push(client_behaviour::renewal_on_wire(
                None,
                Some((ex.at_ms - info.expires_at_ms) / 1000),
            ));
        }
        if info.refused {
            out.push(client_behaviour::after_refusal_on_wire(true));
        } else if refused_before.is_some() {
            out.push(client_behaviour::after_refusal_on_wire(false));
            self.refused.insert(ex.scenario.clone(), None);
        }
        let refused_now = ex.answer.status == 401
            && ex
                .answer
                .header("www-authenticate")
                .is_some_and(|c| c.contains("invalid_token"));
        if refused_now {
            info.refused = true;
            self.refused.insert(ex.scenario.clone(), Some(token));
        }
    }

    fn bearer(&self, req: &HttpRequest, token: &str) -> Vec<CheckOutcome> {
        let mut out = bearer::check_request(req, token, bearer::HeaderRule::Rfc);
        if let Some(guide) = bearer::check_request(req, token, bearer::HeaderRule::Guide)
            .into_iter()
            .next()
        {
            out.push(guide);
        }
        out
    }

    /// Every client check, in catalogue order, with its verdict so far.
    pub fn verdicts(&self) -> Vec<CheckVerdict> {
        catalogue::ALL
            .iter()
            .filter(|c| c.side == Side::Client)
            .map(|check| {
                let tally = self.tallies.get(check.id).cloned().unwrap_or_default();
                let outcome = self.outcome_of(check, &tally);
                CheckVerdict {
                    outcome,
                    passes: tally.passes,
                    failures: tally.failures,
                    failed: tally.failed,
                }
            })
            .collect()
    }

    fn outcome_of(&self, check: &'static Check, tally: &Tally) -> CheckOutcome {
        if check.level == Level::Provider && self.profile.guides.is_empty() {
            return CheckOutcome::skip(
                check,
                format!(
                    "profile {} follows no provider guide, so no guide statement applies",
                    self.profile.name
                ),
            );
        }
        if let Some(first) = tally.failed.first() {
            let more = match tally.failures {
                1 => String::new(),
                n => format!(" ({n} failures in all, {} passes)", tally.passes),
            };
            return CheckOutcome::fail(check, format!("{}{more}", first.detail));
        }
        if tally.passes > 0 {
            return CheckOutcome::pass(check);
        }
        let why = match not_judged(check) {
            Some(why) => format!("not judged by serve: {why}"),
            None => match &tally.skip {
                Some(why) => format!("not exercised: {why}"),
                None => format!("not exercised: {}", exercise_hint(check)),
            },
        };
        CheckOutcome::skip(check, why)
    }
}

/// A client check with its verdict over the whole session.
#[derive(Clone, Debug)]
pub struct CheckVerdict {
    pub outcome: CheckOutcome,
    pub passes: u64,
    pub failures: u64,
    pub failed: Vec<Failure>,
}

/// How many issued tokens and codes of each kind are registered for
/// redaction; beyond, the shape rules (Bearer credentials, secret-named
/// fields) still hide them, and the registry stays small.
const MAX_REGISTERED: usize = 1_000;

/// Registers an issued secret for redaction while fewer than
/// [`MAX_REGISTERED`] of its kind (`known` so far) are.
fn remember_secret(known: usize, value: &str) {
    if known < MAX_REGISTERED {
        crate::redact::register_secret(value);
    }
}

/// The request with the first of each body parameter only.
fn once_each(req: &HttpRequest) -> HttpRequest {
    let params = req.body_params();
    let mut seen = std::collections::HashSet::new();
    let first: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .cloned()
        .collect();
    match first.len() == params.len() {
        true => req.clone(),
        false => req.clone().with_body_params(&first),
    }
}

/// Which earlier token a token request renews: the last one issued to the
/// same client (scenario of the suite's marked run, client id) for the same
/// grant and scope.
fn renewal_key(ex: &Exchange, grant: &str, scope: &str) -> String {
    let client = ex
        .request
        .body_param("client_id")
        .or_else(|| basic_client_id(&ex.request))
        .unwrap_or_default();
    format!("{}|{client}|{grant}|{scope}", ex.scenario)
}

/// The client id of a request's HTTP Basic credentials.
fn basic_client_id(req: &HttpRequest) -> Option<String> {
    use base64::Engine as _;
    let (scheme, value) = req.header("authorization")?.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, _) = text.split_once(':')?;
    Some(
        form_urlencoded::parse(format!("x={id}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| id.to_owned()),
    )
}

/// The access token a request carries: the Bearer credentials, or an
/// `access_token` in the query or the body.
fn carried_token(req: &HttpRequest) -> Option<String> {
    if let Some(value) = req.header("authorization")
        && let Some((scheme, token)) = value.split_once(' ')
        && scheme.eq_ignore_ascii_case("bearer")
    {
        return Some(token.trim().to_owned());
    }
    if let Some((_, v)) = req.url.query_pairs().find(|(k, _)| k == "access_token") {
        return Some(v.into_owned());
    }
    if matches!(req.method.as_str(), "POST" | "PUT" | "PATCH") {
        return req.body_param("access_token");
    }
    None
}

/// Why a client check cannot be judged from what a server receives.
fn not_judged(check: &Check) -> Option<&'static str> {
    Some(match check.id {
        "callback-state-checked" | "callback-single-use" => {
            "it needs a forged or replayed redirect delivered to the client's redirect URI, which only the client's own test can do"
        }
        "client-validates-tls" => "serve listens over plain http on loopback",
        "client-requires-tls" => {
            "serve is on this machine, where plain http is allowed; only requests to other hosts could show it"
        }
        _ => return None,
    })
}

/// What would exercise a check that saw no request about it.
fn exercise_hint(check: &Check) -> &'static str {
    match check.id {
        "code-exchange-params"
        | "token-request-client-id"
        | "pkce-verifier-sent"
        | "pkce-verifier-syntax"
        | "callback-ignores-unknown-params" => "the client exchanged no authorization code",
        "pkce-verifier-fresh" => "fewer than two code exchanges carried a code_verifier",
        "refresh-request-params" | "refresh-scope-within-grant" => "the client sent no refresh",
        "client-replaces-refresh-token" => {
            "the client did not refresh twice in a row with a rotating provider"
        }
        "authorization-request-response-type"
        | "authorization-request-client-id"
        | "authorization-request-redirect-uri"
        | "authorization-state-fresh"
        | "pkce-challenge-s256" => "the client sent no authorization request",
        "api-request-bearer-header"
        | "api-request-bearer-documented"
        | "api-request-token-not-in-query"
        | "api-request-one-token-method"
        | "api-request-no-token-cookie"
        | "api-token-stays-at-origin"
        | "client-ignores-unknown-members" => "the client sent no access token",
        "client-reuses-token" => "the client used no token twice and asked for no second one",
        "client-renews-before-expiry" => {
            "no token came near its expiry (short lifetimes or time: see README, serve)"
        }
        "client-single-flight-renewal" => {
            "switch on token_slow and make concurrent calls that need a token"
        }
        "client-renews-on-invalid-token" => {
            "the API refused no token (switch on api_token_rejected with times 1)"
        }
        "client-refuses-invalid-token" => {
            "no bad access token was issued (switch on an access_token_* fault, JWT profiles)"
        }
        "token-request-scope" => "no token request carried a scope",
        "revocation-request-shape" => "the client revoked no token",
        _ => "the client sent no token request",
    }
}
