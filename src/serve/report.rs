//! The judgement of a `serve` session: each client check passed, failed
//! (with the exchanges behind it) or not exercised, as JSON for the control
//! API and as a run report every output format renders.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::checks::Verdict;
use crate::report::results::{RunReport, ScenarioRecord, StepRecord};

use super::judge::CheckVerdict;
use super::{Shared, lock};

/// The name reports give the session's one feature.
pub const FEATURE: &str = "serve: the client under test";

/// The verdicts at one moment.
#[derive(Clone, Debug)]
pub struct ServeReport {
    pub profile: String,
    pub base_url: String,
    pub requests: u64,
    pub by_endpoint: BTreeMap<String, u64>,
    /// The suite's probes (requests its marked run broke a rule with on
    /// purpose), by rule: counted, not judged.
    pub probes: BTreeMap<String, u64>,
    pub checks: Vec<CheckVerdict>,
}

impl ServeReport {
    pub(super) fn of(shared: &Shared) -> Self {
        let judge = lock(&shared.judge);
        Self {
            profile: shared.profile.name.clone(),
            base_url: shared.base_url.to_string(),
            requests: judge.requests,
            by_endpoint: judge.counts.clone(),
            probes: judge.probes.clone(),
            checks: judge.verdicts(),
        }
    }

    /// The check with this id.
    pub fn check(&self, id: &str) -> Option<&CheckVerdict> {
        self.checks.iter().find(|c| c.outcome.check.id == id)
    }

    /// "passed", "failed", "skipped" (not exercised) for the check `id`.
    pub fn status(&self, id: &str) -> Option<&'static str> {
        self.check(id).map(|c| c.outcome.label())
    }

    /// Failed checks that bind: MUST and guide statements always, SHOULD
    /// and derived ones in a `strict` session.
    pub fn binding_failures(&self, strict: bool) -> Vec<&CheckVerdict> {
        self.checks
            .iter()
            .filter(|c| c.outcome.failed() && c.outcome.check.level.binds(strict))
            .collect()
    }

    /// Counts by verdict: passed, failed, not exercised.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        for c in &self.checks {
            match c.outcome.verdict {
                Verdict::Pass => counts.0 += 1,
                Verdict::Fail(_) => counts.1 += 1,
                _ => counts.2 += 1,
            }
        }
        counts
    }

    pub fn to_json(&self) -> Value {
        let (passed, failed, not_exercised) = self.counts();
        let checks: Vec<Value> = self
            .checks
            .iter()
            .map(|c| {
                let failures: Vec<Value> = c
                    .failed
                    .iter()
                    .map(|f| {
                        json!({
                            "detail": f.detail,
                            "exchanges": f.exchanges.iter().map(|e| e.redacted()).collect::<Vec<_>>(),
                        })
                    })
                    .collect();
                let mut value = serde_json::to_value(&c.outcome).unwrap_or(Value::Null);
                if let Some(map) = value.as_object_mut() {
                    map.insert("passes".into(), c.passes.into());
                    map.insert("failures".into(), c.failures.into());
                    map.insert("failed".into(), Value::Array(failures));
                }
                value
            })
            .collect();
        json!({
            "profile": self.profile,
            "base_url": self.base_url,
            "requests": self.requests,
            "by_endpoint": self.by_endpoint,
            "probes_not_judged": self.probes,
            "summary": {"passed": passed, "failed": failed, "not_exercised": not_exercised},
            "checks": checks,
        })
    }

    /// The session as a run report: one scenario per client check, its one
    /// step the check's verdict, a failure's exchanges attached.
    pub fn to_run_report(
        &self,
        started_at: String,
        duration: std::time::Duration,
        strict: bool,
    ) -> RunReport {
        let scenarios = self
            .checks
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let check = c.outcome.check;
                let mut outcome = c.outcome.verdict.clone();
                if !check.level.binds(strict)
                    && let Verdict::Fail(m) = &outcome
                {
                    // Reported, but does not fail the session.
                    outcome =
                        Verdict::Fail(format!("{m} ({} does not bind this session)", check.level));
                }
                ScenarioRecord {
                    feature: FEATURE.to_owned(),
                    path: "serve".to_owned(),
                    line: i + 1,
                    name: format!("{}: {}", check.id, check.requirement),
                    profile: Some(self.profile.clone()),
                    tags: vec![tag_of(check.source)],
                    steps: vec![StepRecord {
                        keyword: "Then".to_owned(),
                        text: format!(
                            "the client meets {} ({} {})",
                            check.id, check.source, check.level
                        ),
                        outcome,
                    }],
                    checks: vec![c.outcome.clone()],
                    excluded: None,
                    exchanges: c
                        .failed
                        .first()
                        .map(|f| f.exchanges.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        RunReport {
            target: format!(
                "the client talking to serve at {} (profile {}, {} requests{})",
                self.base_url,
                self.profile,
                self.requests,
                match self.probes.values().sum::<u64>() {
                    0 => String::new(),
                    n => format!(", {n} of them the suite's probes, not judged"),
                }
            ),
            scenarios,
            strict,
            profiles: vec![self.profile.clone()],
            started_at,
            duration,
            ..RunReport::default()
        }
    }

    /// One line per check, for the terminal.
    pub fn summary_text(&self, strict: bool) -> String {
        let mut out = String::new();
        for c in &self.checks {
            let check = c.outcome.check;
            let label = match (&c.outcome.verdict, check.level.binds(strict)) {
                (Verdict::Pass, _) => "passed",
                (Verdict::Fail(_), true) => "FAILED",
                (Verdict::Fail(_), false) => "failed (does not bind)",
                _ => "not exercised",
            };
            out.push_str(&format!(
                "{label:<22} {:<38} [{}] {}",
                check.id, check.level, check.source
            ));
            match &c.outcome.verdict {
                Verdict::Fail(m) | Verdict::Skip(m) | Verdict::NotRun(m) => {
                    out.push_str(&format!(": {}", crate::redact::redact(m)));
                }
                Verdict::Pass => {}
            }
            out.push('\n');
        }
        let (passed, failed, skipped) = self.counts();
        out.push_str(&format!(
            "{} requests; client checks: {passed} passed, {failed} failed, {skipped} not exercised\n",
            self.requests
        ));
        let probes: u64 = self.probes.values().sum();
        if probes > 0 {
            out.push_str(&format!(
                "{probes} of them marked as the suite's own probes (oauth-conformance run with this session's {}): not judged\n",
                crate::client::wire_mark::KEY_VARIABLE
            ));
        }
        out
    }
}

/// "RFC 6749 §3.1, §3.2" -> "@rfc6749_3_1"; "seed 002" -> "@seed_002".
fn tag_of(source: &str) -> String {
    let first = source.split(',').next().unwrap_or(source).trim();
    if let Some(seed) = first.strip_prefix("seed ") {
        return format!("@seed_{seed}");
    }
    let rest = first
        .trim_start_matches("RFC ")
        .replace(" §", "_")
        .replace('.', "_");
    format!("@rfc{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_the_source() {
        assert_eq!(tag_of("RFC 6749 §3.1, §3.2"), "@rfc6749_3_1");
        assert_eq!(tag_of("RFC 9700 §2.1.1"), "@rfc9700_2_1_1");
        assert_eq!(tag_of("seed 002"), "@seed_002");
    }
}
