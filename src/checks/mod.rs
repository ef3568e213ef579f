//! Conformance checks, each with an id, a level and a source.
//!
//! A check is a condition: a pure function that looks at what was sent or
//! received (a recorded request, an answer, an attempt) and returns its
//! outcomes, each carrying its catalogue entry: passed, failed (with what it
//! saw) or skipped (with why it could not run). Steps only gather the inputs
//! and record what comes back; a failed outcome fails the step with its
//! source, so a report reads "RFC 6749 §5.1: Cache-Control: no-store
//! missing". One file per area:
//!
//! - [`catalogue`]: every check's id, level, source and requirement;
//! - [`token_request`]: the token request the client sent;
//! - [`grant_request`]: the grant's own parameters in it: the code
//!   exchange's (§4.1.3), the refresh's (§6), a code exchange's client_id;
//! - [`token_response`], [`error_response`]: the token endpoint's answers
//!   (§5.1, §5.2), the characters their members may use
//!   ([`error_charset`]), and [`refusal`]: which check a refused misstep
//!   proves;
//! - [`authorization`]: the authorization endpoint's redirects;
//! - [`authorization_request`]: the client's authorization request (§4.1.1);
//! - [`login`]: what a trip through the login pages lets a scenario
//!   conclude (go on, skipped, not run), and the driver's own safety;
//! - [`code_flow`]: the client's authorization requests, CSRF, code reuse,
//!   refresh;
//! - [`bearer`]: the protected API (RFC 6750);
//! - [`tampered_token`]: a modified access token is refused (RFC 6749 §10.3);
//! - [`metadata`]: the authorization server's metadata (RFC 8414);
//! - [`parameters`]: unknown and empty token request parameters (§3.2),
//!   HTTP Basic from any client (§2.3.1), an omitted scope (§3.3);
//! - [`pkce`]: the server's side of PKCE (RFC 7636 §4.4-§4.6): an
//!   unsupported method, a challenge kept out of the code, the matching
//!   verifier accepted;
//! - [`repeated_params`]: no parameter twice in the client's requests (§3.1, §3.2);
//! - [`client_behaviour`]: the token manager's caching and renewal (seed 002);
//! - [`client_faults`]: which client check each [`crate::client::ClientFault`]
//!   breaks (the client-side twin of the mock's fault table);
//! - [`client_security`]: fresh PKCE verifiers, one-time callbacks, no
//!   secrets over plain http (RFC 9700, RFC 6750 §5.3);
//! - [`validation`]: validating access tokens before use (seed 003).

pub mod authorization;
pub mod authorization_get;
pub mod authorization_request;
pub mod bearer;
pub mod catalogue;
pub mod client_behaviour;
pub mod client_faults;
pub mod client_security;
pub mod code_flow;
pub mod error_charset;
pub mod error_response;
pub mod grant_request;
pub mod login;
pub mod metadata;
pub mod parameters;
pub mod pkce;
pub mod refusal;
pub mod repeated_params;
pub mod tampered_token;
#[cfg(test)]
pub(crate) mod test_support;
pub mod token_origin;
pub mod token_request;
pub mod token_response;
pub mod validation;

pub use catalogue::{Check, Level, Side};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", content = "detail", rename_all = "lowercase")]
pub enum Status {
    Passed,
    Failed(String),
    Skipped(String),
    /// Failed, but the target declared this check as a known deviation
    /// (`sandbox::deviations`): reported, and does not fail the step.
    KnownDeviation(String),
}

/// The result of running one check once.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct CheckOutcome {
    pub check: &'static Check,
    pub status: Status,
}

impl CheckOutcome {
    pub fn pass(check: &'static Check) -> Self {
        Self {
            check,
            status: Status::Passed,
        }
    }

    pub fn fail(check: &'static Check, detail: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Failed(crate::redact::redact(&detail.into())),
        }
    }

    pub fn skip(check: &'static Check, why: impl Into<String>) -> Self {
        Self {
            check,
            status: Status::Skipped(why.into()),
        }
    }

    /// Passed when `ok`, otherwise failed with `detail`.
    pub fn expect(check: &'static Check, ok: bool, detail: impl FnOnce() -> String) -> Self {
        if ok {
            Self::pass(check)
        } else {
            Self::fail(check, detail())
        }
    }

    pub fn failed(&self) -> bool {
        matches!(self.status, Status::Failed(_))
    }

    /// Turns a failure of a declared deviation into a known deviation.
    pub fn declare_deviation(mut self, reason: &str) -> Self {
        if let Status::Failed(detail) = &self.status {
            self.status =
                Status::KnownDeviation(format!("known deviation ({reason}); observed: {detail}"));
        }
        self
    }

    /// "RFC 6749 §5.1 [MUST] token-response-no-store: <detail>"
    pub fn describe(&self) -> String {
        let head = format!(
            "{} [{}] {}",
            self.check.source, self.check.level, self.check.id
        );
        match &self.status {
            Status::Passed => format!("{head}: passed"),
            Status::Failed(d) => format!("{head}: {d}"),
            Status::Skipped(w) => format!("{head}: skipped ({w})"),
            Status::KnownDeviation(d) => format!("{head}: {d}"),
        }
    }
}

/// Turns a batch of outcomes into a step result: `Err` lists every failure
/// with its source.
pub fn require_all(outcomes: &[CheckOutcome]) -> Result<(), String> {
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| o.failed())
        .map(CheckOutcome::describe)
        .collect();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

/// The step's verdict on recorded outcomes: `Err` lists every failure that
/// binds. A failed MUST or guide check always does; a failed SHOULD only in
/// a `strict` run (it is reported either way).
pub fn verdict(outcomes: &[CheckOutcome], strict: bool) -> Result<(), String> {
    let binding: Vec<CheckOutcome> = outcomes
        .iter()
        .filter(|o| o.check.level.binds(strict))
        .cloned()
        .collect();
    require_all(&binding)
}

/// Whether a media type is JSON (`application/json`, `…+json`), ignoring parameters.
pub fn is_json_media_type(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        assert!(is_json_media_type("application/json"));
        assert!(is_json_media_type("Application/JSON; charset=utf-8"));
        assert!(is_json_media_type("application/problem+json"));
        assert!(!is_json_media_type("text/html"));
        assert!(!is_json_media_type("text/json-ish"));
        // Both halves of the structured-suffix rule: the `application/` tree and `+json`.
        assert!(!is_json_media_type("text/vnd.example+json"));
        assert!(!is_json_media_type("application/json-seq"));
    }

    #[test]
    fn a_failed_should_binds_only_in_strict_runs() {
        let should = vec![CheckOutcome::fail(&catalogue::RESP_EXPIRES_IN, "a string")];
        assert!(verdict(&should, false).is_ok());
        assert!(verdict(&should, true).is_err());
        let must = vec![CheckOutcome::fail(&catalogue::RESP_NO_STORE, "no-cache")];
        assert!(verdict(&must, false).is_err());
        let derived = vec![CheckOutcome::fail(&catalogue::RESP_JSON, "text/plain")];
        assert!(verdict(&derived, false).is_ok() && verdict(&derived, true).is_err());
        let guide = vec![CheckOutcome::fail(
            &catalogue::TOKEN_LIFETIME_DOCUMENTED,
            "7200",
        )];
        assert!(verdict(&guide, false).is_err());
    }

    #[test]
    fn require_all_names_sources() {
        let outcomes = vec![
            CheckOutcome::pass(&catalogue::RESP_JSON),
            CheckOutcome::fail(&catalogue::RESP_NO_STORE, "Cache-Control: no-store missing"),
        ];
        let err = require_all(&outcomes).unwrap_err();
        assert_eq!(
            err,
            "RFC 6749 §5.1 [MUST] token-response-no-store: Cache-Control: no-store missing"
        );
    }
}
