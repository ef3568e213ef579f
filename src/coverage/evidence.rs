//! What the suite shows about each check: the scenarios that judged it in a
//! run of the features against the embedded mock, and the fault that proves
//! it catches what it is for: a mock fault of the `server_faults!` table for
//! a server check, a client fault (`checks::client_faults`) for a client
//! check.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::checks::{Verdict, client_faults};
use crate::mock::ServerFault;
use crate::report::RunReport;
use crate::runner::{self, RunError, RunOptions};

/// The run the matrix reads: every feature for every built-in profile, on
/// the mock, the fault proofs left out (the fault table says which fault
/// proves which check; `features/harness/fault_proofs.feature` runs them).
const SUITE: &str = "not @fault_proof";

/// One scenario (a feature copy per profile folds into one entry).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScenarioRef {
    /// "features/rfc/code_exchange.feature:31".
    pub location: String,
    pub name: String,
    /// The profiles it ran for (none for a feature that names its own).
    pub profiles: Vec<String>,
}

impl ScenarioRef {
    /// "features/rfc/x.feature:31 A code works once [401go, rfc6749]".
    pub fn describe(&self) -> String {
        if self.profiles.is_empty() {
            format!("{} {}", self.location, self.name)
        } else {
            format!(
                "{} {} [{}]",
                self.location,
                self.name,
                self.profiles.join(", ")
            )
        }
    }
}

/// The scenarios and the fault proofs of every check.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// The scenarios that recorded a verdict (passed or failed, not skipped)
    /// of each check, by check id.
    pub judged_by: BTreeMap<&'static str, Vec<ScenarioRef>>,
    /// Every scenario that ran to a verdict.
    pub ran: Vec<ScenarioRef>,
    /// The scenarios that failed, with why: against the conforming mock none
    /// should, and a check a failed scenario never reached is missing above.
    pub failed: Vec<String>,
    /// The words of the fault that proves each check, by check id.
    pub proofs: BTreeMap<&'static str, &'static str>,
}

impl Evidence {
    /// Reads a run of the features; the fault proofs come from the table.
    pub fn from_report(report: &RunReport) -> Self {
        let mut judged: BTreeMap<&'static str, BTreeMap<(String, String), Vec<String>>> =
            BTreeMap::new();
        let mut ran: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        let mut failed = Vec::new();
        for scenario in &report.scenarios {
            let outcome = scenario.outcome();
            if let Verdict::Fail(why) = &outcome {
                failed.push(format!("{} {}: {why}", scenario.location(), scenario.name));
            }
            if !outcome.ran() {
                continue;
            }
            let key = (
                format!("{}:{}", scenario.path, scenario.line),
                scenario.name.clone(),
            );
            let profile = scenario.profile.clone();
            ran.entry(key.clone()).or_default().extend(profile.clone());
            for outcome in &scenario.checks {
                if matches!(outcome.verdict, Verdict::Skip(_)) {
                    continue;
                }
                judged
                    .entry(outcome.check.id)
                    .or_default()
                    .entry(key.clone())
                    .or_default()
                    .extend(profile.clone());
            }
        }
        Evidence {
            judged_by: judged
                .into_iter()
                .map(|(id, scenarios)| (id, refs(scenarios)))
                .collect(),
            ran: refs(ran),
            failed,
            proofs: fault_proofs(),
        }
    }

    /// The scenarios that judged `check`.
    pub fn scenarios_of(&self, check: &str) -> &[ScenarioRef] {
        self.judged_by.get(check).map_or(&[], Vec::as_slice)
    }

    /// The scenarios whose name begins with `pattern`, which may name the
    /// feature first: "features/rfc/x.feature: A code works".
    pub fn named(&self, pattern: &str) -> Vec<&ScenarioRef> {
        let (file, name) = match pattern.split_once(".feature: ") {
            Some((path, name)) => (Some(format!("{path}.feature:")), name),
            None => (None, pattern),
        };
        self.ran
            .iter()
            .filter(|s| s.name.starts_with(name))
            .filter(|s| {
                file.as_ref()
                    .is_none_or(|f| s.location.starts_with(f.as_str()))
            })
            .collect()
    }
}

fn refs(scenarios: BTreeMap<(String, String), Vec<String>>) -> Vec<ScenarioRef> {
    scenarios
        .into_iter()
        .map(|((location, name), mut profiles)| {
            profiles.sort();
            profiles.dedup();
            ScenarioRef {
                location,
                name,
                profiles,
            }
        })
        .collect()
}

/// Which fault proves which check: the `server_faults!` table's words, or
/// "a client that …" for a client fault.
pub fn fault_proofs() -> BTreeMap<&'static str, &'static str> {
    ServerFault::ALL
        .iter()
        .map(|f| (f.check().id, f.words()))
        .chain(client_faults::proven_checks())
        .collect()
}

/// Runs the features against the mock, quietly, as the matrix needs them.
pub async fn run_suite(features: PathBuf) -> Result<RunReport, RunError> {
    let options = RunOptions {
        features,
        tags: Some(SUITE.into()),
        print_steps: false,
        // The harness's scenarios (verdicts on bad answers, scope premises)
        // are evidence too; the fault proofs are counted apart.
        self_test: true,
        ..RunOptions::defaults()
    };
    runner::run(options).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckOutcome, catalogue};
    use crate::report::results::{ScenarioRecord, StepRecord};

    fn scenario(name: &str, profile: &str, checks: Vec<CheckOutcome>) -> ScenarioRecord {
        ScenarioRecord {
            feature: "f".into(),
            path: "features/rfc/x.feature".into(),
            line: 3,
            name: name.into(),
            profile: Some(profile.into()),
            tags: vec![],
            steps: vec![StepRecord {
                keyword: "Then".into(),
                text: "t".into(),
                outcome: Verdict::Pass,
            }],
            checks,
            exchanges: Vec::new(),
            excluded: None,
        }
    }

    #[test]
    fn judged_checks_fold_profiles_and_skips_do_not_count() {
        let report = RunReport {
            scenarios: vec![
                scenario(
                    "A code works once",
                    "401go",
                    vec![
                        CheckOutcome::pass(&catalogue::CODE_SINGLE_USE),
                        CheckOutcome::skip(&catalogue::ERR_JSON, "no answer"),
                    ],
                ),
                scenario(
                    "A code works once",
                    "rfc6749",
                    vec![CheckOutcome::pass(&catalogue::CODE_SINGLE_USE)],
                ),
            ],
            ..Default::default()
        };
        let evidence = Evidence::from_report(&report);
        let judged = evidence.scenarios_of("code-single-use");
        assert_eq!(judged.len(), 1);
        assert_eq!(
            judged[0].describe(),
            "features/rfc/x.feature:3 A code works once [401go, rfc6749]"
        );
        assert!(evidence.scenarios_of("error-response-json").is_empty());
        assert_eq!(evidence.named("A code").len(), 1);
        assert_eq!(evidence.named("features/rfc/x.feature: A code").len(), 1);
        assert!(evidence.named("features/rfc/y.feature: A code").is_empty());
        assert_eq!(evidence.proofs["code-single-use"], "accepts a code twice");
        assert!(evidence.failed.is_empty());
        assert_eq!(
            evidence.proofs["pkce-verifier-fresh"],
            "a client that reuses its PKCE verifier"
        );
        assert_eq!(
            evidence.proofs["api-request-bearer-documented"],
            "a client that sends the access token in a header of its own"
        );
    }
}
