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
//! - [`advertised`]: what the metadata advertises against what the server
//!   does (RFC 8414 §2);
//! - [`parameters`]: unknown and empty token request parameters (§3.2),
//!   HTTP Basic from any client (§2.3.1), an omitted scope (§3.3);
//! - [`pkce`]: the server's side of PKCE (RFC 7636 §4.4-§4.6): an
//!   unsupported method, a challenge kept out of the code, the matching
//!   verifier accepted;
//! - [`repeated_params`]: no parameter twice in the client's requests (§3.1, §3.2);
//! - [`scope_premise`]: what a scope check must have asked for before it
//!   can judge (a part of the grant, several scopes, a scope not given);
//! - [`client_behaviour`]: the token manager's caching and renewal (seed 002);
//! - [`client_faults`]: which client check each [`crate::client::ClientFault`]
//!   breaks (the client-side twin of the mock's fault table);
//! - [`client_security`]: fresh PKCE verifiers, one-time callbacks, no
//!   secrets over plain http (RFC 9700, RFC 6750 §5.3);
//! - [`validation`]: validating access tokens before use (seed 003);
//! - [`issuer_response`]: `iss` in the authorization response (RFC 9207);
//! - [`jwt_access_token`]: JWT access tokens (RFC 9068).

pub mod advertised;
pub mod afterwards;
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
pub mod framing;
pub mod grant_request;
pub mod introspection;
pub mod issuer_response;
pub mod jwt_access_token;
pub mod login;
pub mod metadata;
pub mod parameters;
pub mod pkce;
pub mod refusal;
pub mod repeated_params;
pub mod revocation;
pub mod rotation;
pub mod scope_premise;
pub mod tampered_token;
#[cfg(test)]
pub(crate) mod test_support;
pub mod token_origin;
pub mod token_request;
pub mod token_response;
pub mod validation;
pub mod verdict;

pub use catalogue::{Check, Level, Side};
pub use verdict::Verdict;

/// The result of running one check once: its catalogue entry and its
/// [`Verdict`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckOutcome {
    pub check: &'static Check,
    pub verdict: Verdict,
    /// Why the target declared this check a known deviation
    /// (`sandbox::deviations`), when it did and the check failed: reported,
    /// and does not fail the step.
    pub deviation: Option<String>,
}

impl CheckOutcome {
    fn of(check: &'static Check, verdict: Verdict) -> Self {
        Self {
            check,
            verdict,
            deviation: None,
        }
    }

    pub fn pass(check: &'static Check) -> Self {
        Self::of(check, Verdict::Pass)
    }

    pub fn fail(check: &'static Check, detail: impl Into<String>) -> Self {
        Self::of(check, Verdict::Fail(crate::redact::redact(&detail.into())))
    }

    /// The check does not apply, or its premise was not met: `why` names
    /// what would enable it.
    pub fn skip(check: &'static Check, why: impl Into<String>) -> Self {
        Self::of(check, Verdict::Skip(why.into()))
    }

    /// The check applies, but the suite could not ask (no answer, a refused
    /// request it builds on, an identity it was not given).
    pub fn not_run(check: &'static Check, why: impl Into<String>) -> Self {
        Self::of(check, Verdict::NotRun(crate::redact::redact(&why.into())))
    }

    /// Passed when `ok`, otherwise failed with `detail`.
    pub fn expect(check: &'static Check, ok: bool, detail: impl FnOnce() -> String) -> Self {
        if ok {
            Self::pass(check)
        } else {
            Self::fail(check, detail())
        }
    }

    /// Failed, and not a declared deviation: a failure that counts.
    pub fn failed(&self) -> bool {
        self.verdict.failed() && self.deviation.is_none()
    }

    /// Not run: the check applied but the suite could not ask.
    pub fn is_not_run(&self) -> bool {
        matches!(self.verdict, Verdict::NotRun(_))
    }

    /// Failed as the target declared it would.
    pub fn known_deviation(&self) -> bool {
        self.verdict.failed() && self.deviation.is_some()
    }

    /// Marks a failure of a declared deviation as known.
    pub fn declare_deviation(mut self, reason: &str) -> Self {
        if self.verdict.failed() {
            self.deviation = Some(reason.to_owned());
        }
        self
    }

    /// The label reports use: the verdict's, or `known_deviation`.
    pub fn label(&self) -> &'static str {
        if self.known_deviation() {
            "known_deviation"
        } else {
            self.verdict.label()
        }
    }

    /// The verdict's message; a known deviation's says so and why.
    pub fn detail(&self) -> Option<String> {
        match (&self.deviation, &self.verdict) {
            (Some(reason), Verdict::Fail(seen)) => {
                Some(format!("known deviation ({reason}); observed: {seen}"))
            }
            (_, v) => v.message().map(str::to_owned),
        }
    }

    /// "RFC 6749 §5.1 [MUST] token-response-no-store: <detail>"
    pub fn describe(&self) -> String {
        let head = format!(
            "{} [{}] {}",
            self.check.source, self.check.level, self.check.id
        );
        match (&self.verdict, self.detail()) {
            (Verdict::Pass, _) => format!("{head}: passed"),
            (Verdict::Skip(w), _) => format!("{head}: skipped ({w})"),
            (Verdict::NotRun(w), _) => format!("{head}: not run ({w})"),
            (Verdict::Fail(_), d) => format!("{head}: {}", d.unwrap_or_default()),
        }
    }
}

impl serde::Serialize for CheckOutcome {
    /// The check's id, level and source, what it expects (its requirement)
    /// and the verdict: a structured assertion result.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("id", self.check.id)?;
        map.serialize_entry("level", &self.check.level.to_string())?;
        map.serialize_entry("side", &self.check.side)?;
        map.serialize_entry("source", self.check.source)?;
        map.serialize_entry("expected", self.check.requirement)?;
        map.serialize_entry("status", self.label())?;
        map.serialize_entry("detail", &self.detail())?;
        map.end()
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
/// binds ([`Level::binds`]): a failed MUST or guide check always does; a
/// failed SHOULD or DERIVED check only in a `strict` run (it is reported
/// either way).
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
