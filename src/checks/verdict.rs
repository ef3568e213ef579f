//! The one verdict type: what a check, a step or a scenario concluded.
//!
//! Every check returns a [`Verdict`] (inside its
//! [`super::CheckOutcome`]), a step that stops its scenario without a
//! verdict on the server records one in the World, and every report renders
//! the same four cases:
//!
//! - **pass**: the server (or the client under test) did what the rule asks,
//!   and the check had its premise;
//! - **fail**: a definite answer broke the rule. Any HTTP answer to the
//!   request a check is about (an empty body, an HTML page, a code that is
//!   not OAuth's) is a pass or a fail, never "not run";
//! - **skip**: the check does not apply, or its premise was not met; the
//!   reason names the profile field or variable that would enable it;
//! - **not run**: the check applies but the suite could not ask: no answer
//!   (timeout, connection refused), a page the login driver cannot drive, an
//!   identity the run was not given, or a request it builds on was refused
//!   (naming the check that judges that refusal). Never a verdict on the
//!   server.

use std::fmt;

/// What a check, a step or a scenario concluded (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// What broke the rule: what came, against what the rule expects.
    Fail(String),
    /// Why it does not apply here, naming what would enable it.
    Skip(String),
    /// Why the suite could not ask.
    NotRun(String),
}

impl Verdict {
    /// Whether this is a verdict on the server or client under test: it
    /// passed or failed.
    pub fn ran(&self) -> bool {
        matches!(self, Verdict::Pass | Verdict::Fail(_))
    }

    pub fn failed(&self) -> bool {
        matches!(self, Verdict::Fail(_))
    }

    /// Whether the scenario stops here without a verdict: skipped or not run.
    pub fn set_aside(&self) -> bool {
        matches!(self, Verdict::Skip(_) | Verdict::NotRun(_))
    }

    /// The message of a verdict that has one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Verdict::Pass => None,
            Verdict::Fail(m) | Verdict::Skip(m) | Verdict::NotRun(m) => Some(m),
        }
    }

    /// The same verdict with its message rewritten (redaction, a prefix).
    pub fn map_message(&self, f: impl FnOnce(&str) -> String) -> Self {
        match self {
            Verdict::Pass => Verdict::Pass,
            Verdict::Fail(m) => Verdict::Fail(f(m)),
            Verdict::Skip(m) => Verdict::Skip(f(m)),
            Verdict::NotRun(m) => Verdict::NotRun(f(m)),
        }
    }

    /// The word reports use: `passed`, `failed`, `skipped`, `not_run`.
    pub fn label(&self) -> &'static str {
        match self {
            Verdict::Pass => "passed",
            Verdict::Fail(_) => "failed",
            Verdict::Skip(_) => "skipped",
            Verdict::NotRun(_) => "not_run",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Pass => f.write_str("passed"),
            Verdict::Fail(m) => write!(f, "failed: {m}"),
            Verdict::Skip(m) => write!(f, "skipped: {m}"),
            Verdict::NotRun(m) => write!(f, "not run: {m}"),
        }
    }
}

impl serde::Serialize for Verdict {
    /// `{"status": "failed", "message": "..."}`, the shape the JSON report
    /// has always had.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("status", self.label())?;
        if let Some(m) = self.message() {
            map.serialize_entry("message", m)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_pass_and_fail_are_verdicts_on_the_target() {
        assert!(Verdict::Pass.ran());
        assert!(Verdict::Fail("x".into()).ran());
        assert!(!Verdict::Skip("x".into()).ran());
        assert!(!Verdict::NotRun("x".into()).ran());
        assert!(Verdict::Skip("x".into()).set_aside());
        assert!(Verdict::NotRun("x".into()).set_aside());
        assert!(!Verdict::Fail("x".into()).set_aside());
        assert!(!Verdict::Pass.set_aside());
    }

    #[test]
    fn labels_messages_and_json() {
        let v = Verdict::NotRun("no answer".into());
        assert_eq!(v.label(), "not_run");
        assert_eq!(v.message(), Some("no answer"));
        assert_eq!(v.to_string(), "not run: no answer");
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"{"status":"not_run","message":"no answer"}"#
        );
        assert_eq!(
            serde_json::to_string(&Verdict::Pass).unwrap(),
            r#"{"status":"passed"}"#
        );
        assert_eq!(
            Verdict::Fail("a".into()).map_message(|m| format!("{m}b")),
            Verdict::Fail("ab".into())
        );
        assert_eq!(Verdict::Skip("s".into()).label(), "skipped");
        assert_eq!(Verdict::Fail("f".into()).label(), "failed");
        assert_eq!(Verdict::Pass.map_message(|_| "x".into()), Verdict::Pass);
    }
}
