//! Faults on cue: what the control API (`POST /_conformance/faults`) and
//! `--fault` switch on, for the next N matching requests or until reset.
//!
//! Two families: every rule-breaking fault of the mock's table
//! ([`ServerFault`], named in snake case: `omits_no_store`), applied to the
//! requests of the side its check judges; and the failure paths a client
//! must survive (a 503, a slow or malformed token answer, a revoked refresh
//! token, a denied consent, a refused token at the API, a bad JWT).

use std::time::Duration;

use crate::checks::Side;
use crate::mock::faults::{AccessTokenFault, ApiFault, ServerFault, TokenEndpointFault};

use super::router::Endpoint;

/// The longest `token_slow` delay, in seconds.
pub const MAX_SLOW_S: u64 = 300;

/// One fault a client must survive, or a rule the server breaks.
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// A rule of the mock's fault table.
    Server(ServerFault),
    /// The token endpoint answers badly instead (malformed JSON, an HTML
    /// page, an empty 500).
    TokenAnswer(TokenEndpointFault),
    /// The token endpoint answers 503 `temporarily_unavailable`.
    TokenUnavailable,
    /// The token endpoint answers after this long.
    TokenSlow(Duration),
    /// The refresh token presented is revoked first: `invalid_grant`.
    RefreshRevoked,
    /// The authorization request is answered with this error redirect
    /// (`access_denied`, `login_required`) instead of the login page.
    AuthorizationError(&'static str),
    /// The protected API misbehaves.
    Api(ApiFault),
    /// The protected API answers 503.
    ApiUnavailable,
    /// The token endpoint issues this bad access token (JWT profiles).
    AccessToken(AccessTokenFault),
}

/// The client-survival faults by name, with what each does.
const SURVIVAL: &[(&str, &str)] = &[
    (
        "token_unavailable",
        "token requests get 503 temporarily_unavailable",
    ),
    (
        "token_slow",
        "token requests are answered after `seconds` (default 3)",
    ),
    (
        "token_malformed_json",
        "token requests get a 200 with truncated JSON",
    ),
    ("token_html_error", "token requests get an HTML error page"),
    ("token_server_error", "token requests get an empty 500"),
    (
        "refresh_revoked",
        "refresh requests find their refresh token revoked (invalid_grant)",
    ),
    (
        "consent_denied",
        "authorization requests are answered with error=access_denied",
    ),
    (
        "login_required",
        "authorization requests are answered with error=login_required",
    ),
    (
        "api_token_rejected",
        "the protected API answers 401 invalid_token to every token",
    ),
    (
        "api_forbidden",
        "the protected API answers 403 to every request",
    ),
    ("api_unavailable", "the protected API answers 503"),
    (
        "access_token_alg_none",
        "access tokens are unsigned JWTs (alg none; JWT profiles)",
    ),
    (
        "access_token_unknown_kid",
        "access tokens are signed with a key the JWKS does not list",
    ),
    (
        "access_token_wrong_audience",
        "access tokens carry another audience",
    ),
    (
        "access_token_wrong_issuer",
        "access tokens carry another issuer",
    ),
    ("access_token_expired", "access tokens are already expired"),
];

/// `IssuesTokensForGet` -> `issues_tokens_for_get`.
fn snake(fault: ServerFault) -> String {
    let mut out = String::new();
    for (i, c) in format!("{fault:?}").chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl Fault {
    /// The fault a name switches on; `seconds` is `token_slow`'s delay.
    pub fn from_name(name: &str, seconds: Option<u64>) -> Option<Fault> {
        let fault = match name {
            "token_unavailable" => Fault::TokenUnavailable,
            "token_slow" => Fault::TokenSlow(Duration::from_secs(
                seconds.unwrap_or(crate::mock::SLOW_DELAY_MS / 1000),
            )),
            "token_malformed_json" => Fault::TokenAnswer(TokenEndpointFault::TruncatedJson),
            "token_html_error" => Fault::TokenAnswer(TokenEndpointFault::HtmlErrorPage),
            "token_server_error" => Fault::TokenAnswer(TokenEndpointFault::EmptyServerError),
            "refresh_revoked" => Fault::RefreshRevoked,
            "consent_denied" => Fault::AuthorizationError("access_denied"),
            "login_required" => Fault::AuthorizationError("login_required"),
            "api_token_rejected" => Fault::Api(ApiFault::RejectEveryToken),
            "api_forbidden" => Fault::Api(ApiFault::ForbidEveryRequest),
            "api_unavailable" => Fault::ApiUnavailable,
            "access_token_alg_none" => Fault::AccessToken(AccessTokenFault::AlgNone),
            "access_token_unknown_kid" => Fault::AccessToken(AccessTokenFault::UnknownKid),
            "access_token_wrong_audience" => Fault::AccessToken(AccessTokenFault::WrongAudience),
            "access_token_wrong_issuer" => Fault::AccessToken(AccessTokenFault::WrongIssuer),
            "access_token_expired" => Fault::AccessToken(AccessTokenFault::Expired),
            other => {
                return ServerFault::ALL
                    .into_iter()
                    .find(|f| snake(*f) == other)
                    .map(Fault::Server);
            }
        };
        Some(fault)
    }

    /// Every name, with what it does: the client-survival faults first,
    /// then the server's rules.
    pub fn known() -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = SURVIVAL
            .iter()
            .map(|(n, w)| ((*n).to_owned(), (*w).to_owned()))
            .collect();
        out.extend(ServerFault::ALL.into_iter().map(|f| {
            (
                snake(f),
                format!("the server {} (breaks {})", f.words(), f.check().id),
            )
        }));
        out
    }

    /// Whether the fault applies to a request for `endpoint` (with this
    /// `grant_type`, for token requests).
    pub fn matches(&self, endpoint: Endpoint, grant: Option<&str>) -> bool {
        let token = endpoint == Endpoint::Token;
        match self {
            Fault::Server(f) => match f.check().side {
                Side::ResourceServer => endpoint == Endpoint::Api,
                _ => matches!(
                    endpoint,
                    Endpoint::Token
                        | Endpoint::Authorize
                        | Endpoint::LoginPage
                        | Endpoint::Metadata
                        | Endpoint::Revocation
                        | Endpoint::Introspection
                ),
            },
            Fault::TokenAnswer(_)
            | Fault::TokenUnavailable
            | Fault::TokenSlow(_)
            | Fault::AccessToken(_) => token,
            Fault::RefreshRevoked => token && grant == Some("refresh_token"),
            Fault::AuthorizationError(_) => endpoint == Endpoint::Authorize,
            Fault::Api(_) | Fault::ApiUnavailable => endpoint == Endpoint::Api,
        }
    }
}

/// A fault switched on, and for how many more matching requests.
#[derive(Clone, Debug)]
pub struct Cue {
    pub name: String,
    pub fault: Fault,
    /// `None`: until reset.
    pub remaining: Option<u64>,
}

/// The faults on cue.
#[derive(Debug, Default)]
pub struct Cues {
    pub active: Vec<Cue>,
}

impl Cues {
    pub fn switch_on(&mut self, name: &str, fault: Fault, times: Option<u64>) {
        self.active.retain(|c| c.name != name);
        self.active.push(Cue {
            name: name.to_owned(),
            fault,
            remaining: times,
        });
    }

    /// The faults that apply to this request, each counted as used once.
    pub fn take(&mut self, endpoint: Endpoint, grant: Option<&str>) -> Vec<Cue> {
        let mut taken = Vec::new();
        for cue in &mut self.active {
            if cue.fault.matches(endpoint, grant) {
                if let Some(n) = cue.remaining.as_mut() {
                    *n = n.saturating_sub(1);
                }
                taken.push(cue.clone());
            }
        }
        self.active.retain(|c| c.remaining != Some(0));
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_fault_and_survival_fault_has_a_name() {
        for (name, _) in Fault::known() {
            assert!(Fault::from_name(&name, None).is_some(), "{name}");
        }
        assert_eq!(
            Fault::from_name("omits_no_store", None),
            Some(Fault::Server(ServerFault::OmitsNoStore))
        );
        assert_eq!(Fault::from_name("no_such_fault", None), None);
    }

    #[test]
    fn a_cue_counts_down_only_on_matching_requests() {
        let mut cues = Cues::default();
        cues.switch_on("token_unavailable", Fault::TokenUnavailable, Some(2));
        assert!(cues.take(Endpoint::Api, None).is_empty());
        assert_eq!(
            cues.take(Endpoint::Token, Some("client_credentials")).len(),
            1
        );
        assert_eq!(
            cues.take(Endpoint::Token, Some("client_credentials")).len(),
            1
        );
        assert!(cues.take(Endpoint::Token, None).is_empty());
        assert!(cues.active.is_empty());
    }

    #[test]
    fn refresh_revoked_waits_for_a_refresh() {
        let mut cues = Cues::default();
        cues.switch_on("refresh_revoked", Fault::RefreshRevoked, None);
        assert!(
            cues.take(Endpoint::Token, Some("client_credentials"))
                .is_empty()
        );
        assert_eq!(cues.take(Endpoint::Token, Some("refresh_token")).len(), 1);
        assert_eq!(cues.active.len(), 1, "until reset");
    }
}
