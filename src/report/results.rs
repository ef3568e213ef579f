//! The result of a run, as plain data every report format reads.

use std::collections::BTreeMap;

use crate::checks::{CheckOutcome, Level};

pub use crate::checks::Verdict;

#[derive(Clone, Debug, serde::Serialize)]
pub struct StepRecord {
    pub keyword: String,
    pub text: String,
    pub outcome: Verdict,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct ScenarioRecord {
    pub feature: String,
    /// Path of the feature file, relative to where the run started when possible.
    pub path: String,
    pub line: usize,
    pub name: String,
    /// The profile under test, for a feature run once per profile.
    pub profile: Option<String>,
    pub tags: Vec<String>,
    pub steps: Vec<StepRecord>,
    pub checks: Vec<CheckOutcome>,
    /// Set when the runner did not start the scenario at all (with why): it
    /// does not apply to this target or profile.
    pub excluded: Option<String>,
    /// The HTTP exchanges behind a failure, oldest first, the last one
    /// nearest the failed step (see [`super::exchange`]); empty for a
    /// scenario that did not fail.
    pub exchanges: Vec<super::exchange::ExchangeRecord>,
}

impl ScenarioRecord {
    pub fn outcome(&self) -> Verdict {
        if let Some(why) = &self.excluded {
            return Verdict::Skip(why.clone());
        }
        for step in &self.steps {
            let at = |m: &str| format!("{} {}: {m}", step.keyword.trim(), step.text);
            match &step.outcome {
                Verdict::Fail(m) => return Verdict::Fail(at(m)),
                Verdict::Skip(m) => return Verdict::Skip(at(m)),
                Verdict::NotRun(m) => return Verdict::NotRun(at(m)),
                Verdict::Pass => {}
            }
        }
        if self.steps.is_empty() {
            return Verdict::Fail("the scenario ran no steps".into());
        }
        Verdict::Pass
    }

    /// The sources this scenario's tags name ("RFC 6749 §5.1", "seed 000").
    pub fn sources(&self) -> Vec<String> {
        let mut sources: Vec<String> = self.tags.iter().filter_map(|t| source_of_tag(t)).collect();
        sources.sort();
        sources.dedup();
        sources
    }

    /// The key that names this scenario (see [`super::scenario::ScenarioKey`]).
    pub fn key(&self) -> super::scenario::ScenarioKey {
        super::scenario::ScenarioKey {
            path: self.path.clone(),
            line: self.line,
            name: self.name.clone(),
            profile: self.profile.clone(),
        }
    }

    /// "features/rfc/x.feature:12 [401go]".
    pub fn location(&self) -> String {
        match &self.profile {
            Some(p) => format!("{}:{} [{p}]", self.path, self.line),
            None => format!("{}:{}", self.path, self.line),
        }
    }
}

/// `rfc6749_5_2` -> "RFC 6749 §5.2", `rfc6750` -> "RFC 6750", `seed_000` -> "seed 000".
pub fn source_of_tag(tag: &str) -> Option<String> {
    let tag = tag.trim_start_matches('@');
    if tag == "harness" {
        return Some("harness robustness".into());
    }
    if tag == "fault_proof" {
        return Some("fault proofs (server and client checks)".into());
    }
    if let Some(rest) = tag.strip_prefix("seed_") {
        return Some(format!("seed {rest}"));
    }
    let rest = tag.strip_prefix("rfc")?;
    let (number, section) = match rest.split_once('_') {
        Some((n, s)) => (n, Some(s.replace('_', "."))),
        None => (rest, None),
    };
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match section {
        Some(s) => format!("RFC {number} §{s}"),
        None => format!("RFC {number}"),
    })
}

/// Scenarios set aside for one reason (see [`RunReport::set_aside_groups`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAsideGroup {
    /// Not run (the suite could not ask) rather than skipped.
    pub not_run: bool,
    pub reason: String,
    pub scenarios: usize,
}

/// `http://127.0.0.1:41235/x` -> `http://127.0.0.1:…/x`: the embedded
/// mock's ports differ per scenario, the reason does not.
fn any_loopback_port(reason: &str) -> String {
    static PORT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(127\.0\.0\.1|localhost|\[::1\]):\d+").expect("a valid regex")
    });
    PORT.replace_all(reason, "$1:…").into_owned()
}

/// `RFC 6749 §5.1` -> `RFC 6749`: the document a source is a part of.
pub fn document_of(source: &str) -> &str {
    source.split_once(" §").map_or(source, |(doc, _)| doc)
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct RunReport {
    /// What the scenarios ran against ("the embedded mock server" or a URL).
    pub target: String,
    /// Every origin the run sent requests to, with what the profile
    /// declares there (see [`super::origins`]).
    pub origins: Vec<super::origins::OriginContacted>,
    pub scenarios: Vec<ScenarioRecord>,
    /// Feature files that could not be read or parsed, with file and line.
    pub parse_errors: Vec<String>,
    /// The target's declared deviations and what this run saw of each.
    pub deviations: Vec<DeviationResult>,
    /// Whether failed SHOULD and derived checks fail the run (`--strict`).
    pub strict: bool,
    /// The names of the profiles under test.
    pub profiles: Vec<String>,
    /// When the run started (RFC 3339, UTC), and how long it took.
    pub started_at: String,
    pub duration: std::time::Duration,
    /// The feature files the scenarios come from, as written: what a page
    /// shows beside the results (see [`super::features`]).
    pub features: Vec<super::features::FeatureRecord>,
    /// What the pre-flight found of each identity the run was given (empty
    /// on the mock; see [`crate::sandbox::preflight`]).
    pub set_up: Vec<crate::sandbox::preflight::IdentityCheck>,
}

/// One declared deviation after the run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DeviationResult {
    pub check: &'static crate::checks::Check,
    pub reason: String,
    pub verdict: DeviationFinding,
    /// The deviations file, for "remove it from …".
    pub file: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum DeviationFinding {
    /// The check failed as declared (this many times).
    KnownDeviation { failures: usize },
    /// The check ran and never failed: the declaration is stale. Fails the run.
    UnexpectedlyPassed { passes: usize },
    /// No selected scenario ran the check.
    NotExercised,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    pub not_run: usize,
}

impl Counts {
    /// How the scenarios ended.
    pub fn of<'a>(scenarios: impl IntoIterator<Item = &'a ScenarioRecord>) -> Self {
        let mut c = Counts::default();
        for s in scenarios {
            c.add(&s.outcome());
        }
        c
    }

    pub fn add(&mut self, outcome: &Verdict) {
        match outcome {
            Verdict::Pass => self.passed += 1,
            Verdict::Fail(_) => self.failed += 1,
            Verdict::Skip(_) => self.skipped += 1,
            Verdict::NotRun(_) => self.not_run += 1,
        }
    }
}

/// How a run ended, as the CLI and `cargo test` report it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    /// Every scenario that ran passed (exit code 0).
    Passed,
    /// Something failed: a check, a step, a feature file, a stale deviation
    /// (exit code 1).
    Failed,
    /// Nothing failed, but nothing was checked either: every selected
    /// scenario was skipped or not run (exit code 3).
    NothingChecked,
}

impl RunStatus {
    pub fn exit_code(self) -> u8 {
        match self {
            RunStatus::Passed => 0,
            RunStatus::Failed => 1,
            RunStatus::NothingChecked => 3,
        }
    }
}

impl RunReport {
    /// Sets what this run saw of each declared deviation.
    pub fn declare_deviations(&mut self, declared: &crate::sandbox::Deviations) {
        self.deviations = declared
            .entries
            .iter()
            .map(|d| {
                let outcomes = self
                    .scenarios
                    .iter()
                    .flat_map(|s| &s.checks)
                    .filter(|o| o.check.id == d.check.id);
                let (mut failures, mut passes) = (0, 0);
                for o in outcomes {
                    match o.verdict {
                        Verdict::Fail(_) => failures += 1,
                        Verdict::Pass => passes += 1,
                        Verdict::Skip(_) | Verdict::NotRun(_) => {}
                    }
                }
                let verdict = if failures > 0 {
                    DeviationFinding::KnownDeviation { failures }
                } else if passes > 0 {
                    DeviationFinding::UnexpectedlyPassed { passes }
                } else {
                    DeviationFinding::NotExercised
                };
                DeviationResult {
                    check: d.check,
                    reason: d.reason.clone(),
                    verdict,
                    file: declared.path.clone(),
                }
            })
            .collect();
    }

    /// How many outcomes of checks at `level` failed (known deviations aside).
    pub fn failed_checks(&self, level: Level) -> usize {
        self.scenarios
            .iter()
            .flat_map(|s| &s.checks)
            .filter(|o| o.check.level == level && o.failed())
            .count()
    }

    /// Failed outcomes of checks whose level binds only a strict run
    /// (SHOULD, derived; see [`Level::binds`]).
    pub fn failed_strict_only_checks(&self) -> usize {
        self.scenarios
            .iter()
            .flat_map(|s| &s.checks)
            .filter(|o| o.failed() && !o.check.level.binds(false))
            .count()
    }

    /// Declared deviations whose check passed everywhere it ran.
    pub fn stale_deviations(&self) -> impl Iterator<Item = &DeviationResult> {
        self.deviations
            .iter()
            .filter(|d| matches!(d.verdict, DeviationFinding::UnexpectedlyPassed { .. }))
    }

    pub fn counts(&self) -> Counts {
        Counts::of(&self.scenarios)
    }

    /// How the run ended: failed when anything failed (a scenario, a feature
    /// file, a stale deviation, a SHOULD or derived check under `--strict`); otherwise passed
    /// when at least one scenario ran, and "nothing checked" when every
    /// scenario was skipped or not run, which is never a success.
    pub fn status(&self) -> RunStatus {
        let failed = !self.parse_errors.is_empty()
            || self.stale_deviations().next().is_some()
            || (self.strict && self.failed_strict_only_checks() > 0)
            || self
                .scenarios
                .iter()
                .any(|s| matches!(s.outcome(), Verdict::Fail(_)));
        if failed {
            RunStatus::Failed
        } else if self.scenarios.iter().any(|s| s.outcome().ran()) {
            RunStatus::Passed
        } else {
            RunStatus::NothingChecked
        }
    }

    /// One line for each identity the pre-flight found refused, or could
    /// not tell about: what every report shows first.
    pub fn set_up_lines(&self) -> Vec<String> {
        self.set_up.iter().filter_map(|c| c.line()).collect()
    }

    /// Whether the run succeeded (see [`Self::status`]).
    pub fn succeeded(&self) -> bool {
        self.status() == RunStatus::Passed
    }

    /// The reasons scenarios were set aside, most frequent first, with how
    /// many each: what to set or change to run more of the suite.
    pub fn set_aside_reasons(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for group in self.set_aside_groups() {
            *counts.entry(group.reason).or_default() += group.scenarios;
        }
        let mut reasons: Vec<(String, usize)> = counts.into_iter().collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        reasons
    }

    /// The scenarios set aside (skipped, not run), grouped by their reason:
    /// the step text left out and the embedded mock's loopback ports made
    /// one, so that the same reason on many mocks is one group. Most
    /// frequent first.
    pub fn set_aside_groups(&self) -> Vec<SetAsideGroup> {
        let mut counts: BTreeMap<(bool, String), usize> = BTreeMap::new();
        for s in &self.scenarios {
            let (not_run, why) = match s.outcome() {
                Verdict::Skip(why) => (false, why),
                Verdict::NotRun(why) => (true, why),
                Verdict::Pass | Verdict::Fail(_) => continue,
            };
            // "Then step text: reason" -> the reason.
            let reason = why
                .split_once(": ")
                .filter(|_| s.excluded.is_none())
                .map_or(why.clone(), |(_, r)| r.to_owned());
            *counts
                .entry((not_run, any_loopback_port(&reason)))
                .or_default() += 1;
        }
        let mut groups: Vec<SetAsideGroup> = counts
            .into_iter()
            .map(|((not_run, reason), scenarios)| SetAsideGroup {
                not_run,
                reason,
                scenarios,
            })
            .collect();
        groups.sort_by(|a, b| {
            (b.not_run, b.scenarios)
                .cmp(&(a.not_run, a.scenarios))
                .then(a.reason.cmp(&b.reason))
        });
        groups
    }

    /// Scenario records grouped by the sources their tags name; a scenario
    /// with several sources appears under each.
    pub fn by_source(&self) -> BTreeMap<String, Vec<&ScenarioRecord>> {
        let mut groups: BTreeMap<String, Vec<&ScenarioRecord>> = BTreeMap::new();
        for s in &self.scenarios {
            let sources = s.sources();
            if sources.is_empty() {
                groups.entry("(no source tag)".into()).or_default().push(s);
            }
            for source in sources {
                groups.entry(source).or_default().push(s);
            }
        }
        groups
    }

    /// Check outcomes grouped by check source, then id.
    pub fn checks_by_source(&self) -> BTreeMap<(&'static str, Level, &'static str), CheckTally> {
        let mut table: BTreeMap<_, CheckTally> = BTreeMap::new();
        for s in &self.scenarios {
            for o in &s.checks {
                let entry = table
                    .entry((o.check.source, o.check.level, o.check.id))
                    .or_default();
                match o.verdict {
                    Verdict::Pass => entry.passed += 1,
                    Verdict::Fail(_) if o.known_deviation() => entry.deviations += 1,
                    Verdict::Fail(_) => entry.failed += 1,
                    Verdict::Skip(_) => entry.skipped += 1,
                    Verdict::NotRun(_) => entry.not_run += 1,
                }
            }
        }
        table
    }
}

/// One source (an RFC section or a guide) and its checks, with the MUST,
/// SHOULD, derived and guide-level results counted apart.
#[derive(Clone, Debug, serde::Serialize)]
pub struct SourceSummary {
    pub source: &'static str,
    pub must: CheckTally,
    pub should: CheckTally,
    pub derived: CheckTally,
    pub guide: CheckTally,
    pub checks: Vec<CheckSummary>,
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct CheckSummary {
    pub id: &'static str,
    pub level: Level,
    pub requirement: &'static str,
    #[serde(flatten)]
    pub tally: CheckTally,
}

impl CheckTally {
    fn add(&mut self, other: &CheckTally) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.deviations += other.deviations;
        self.skipped += other.skipped;
    }
}

impl RunReport {
    /// Check results grouped by source, MUST, SHOULD, derived and guide apart.
    pub fn by_check_source(&self) -> Vec<SourceSummary> {
        let mut out: Vec<SourceSummary> = Vec::new();
        for ((source, level, id), tally) in self.checks_by_source() {
            let check = crate::checks::catalogue::ALL
                .iter()
                .find(|c| c.id == id)
                .copied();
            if out.last().is_none_or(|s| s.source != source) {
                out.push(SourceSummary {
                    source,
                    must: CheckTally::default(),
                    should: CheckTally::default(),
                    derived: CheckTally::default(),
                    guide: CheckTally::default(),
                    checks: Vec::new(),
                });
            }
            let Some(group) = out.last_mut() else {
                continue;
            };
            match level {
                Level::Must => group.must.add(&tally),
                Level::Should => group.should.add(&tally),
                Level::Derived => group.derived.add(&tally),
                Level::Provider => group.guide.add(&tally),
            }
            group.checks.push(CheckSummary {
                id,
                level,
                requirement: check.map(|c| c.requirement).unwrap_or_default(),
                tally,
            });
        }
        out
    }
}

/// How often one check passed, failed, failed as a declared deviation, or
/// could not run, over a whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CheckTally {
    pub passed: usize,
    pub failed: usize,
    pub deviations: usize,
    pub skipped: usize,
    /// Applied, but could not ask (see [`Verdict::NotRun`]).
    pub not_run: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_name_sources() {
        assert_eq!(
            source_of_tag("@rfc6749_5_2").as_deref(),
            Some("RFC 6749 §5.2")
        );
        assert_eq!(
            source_of_tag("rfc6749_2_3_1").as_deref(),
            Some("RFC 6749 §2.3.1")
        );
        assert_eq!(source_of_tag("rfc6750").as_deref(), Some("RFC 6750"));
        assert_eq!(source_of_tag("seed_000").as_deref(), Some("seed 000"));
        assert_eq!(source_of_tag("mock"), None);
        assert_eq!(source_of_tag("rfcx_1"), None);
    }
}
