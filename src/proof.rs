//! Proof that every check catches the fault it is for.
//!
//! A check that never fails proves nothing. For each [`ServerFault`] (one
//! broken rule per server check, see `mock::faults`), the runner runs the
//! server check catalogue (the RFC and 401GO guide features) against mocks that
//! break that one rule ([`crate::runner::run_catalogue`]); for each
//! [`ClientFault`] (one broken rule per client check, see `client::fault` and
//! `checks::client_faults`) it runs every feature with a client that breaks
//! that one rule ([`crate::runner::run_client_catalogue`]). This reads the
//! report: the fault is caught when its check failed and no other check did
//! (but the few that state the same rule for another source, which a fault
//! names). The same runs without a fault must pass every check. They are
//! scenarios in `features/harness/fault_proofs.feature` and
//! `features/harness/client_fault_proofs.feature`.
//!
//! A proof costs what it proves: the conforming run is made once, and a
//! fault's run is only the scenarios that reached its check there
//! ([`reaching`]): a scenario that never judged the check cannot show it
//! catching the fault.

use std::collections::{BTreeMap, BTreeSet};

use crate::checks::Verdict;
use crate::checks::client_faults;
use crate::client::ClientFault;
use crate::mock::ServerFault;
use crate::report::RunReport;
use crate::report::scenario::ScenarioKey;

/// The scenarios of a (conforming) run in which any of `checks` gave an
/// outcome: the only ones that can show those checks catching a fault.
pub fn reaching(report: &RunReport, checks: &[&str]) -> BTreeSet<ScenarioKey> {
    report
        .scenarios
        .iter()
        .filter(|s| s.checks.iter().any(|o| checks.contains(&o.check.id)))
        .map(|s| s.key())
        .collect()
}

/// Why a fault proof did not hold.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("the check catalogue has no scenarios")]
    EmptyCatalogue,
    #[error(
        "{words} was not caught: {check} did not fail in {scenarios} catalogue scenarios ({failures})"
    )]
    NotCaught {
        words: String,
        check: &'static str,
        scenarios: usize,
        failures: String,
    },
    #[error("{words} failed other checks than {check}:\n{failures}")]
    CaughtByOthers {
        words: String,
        check: &'static str,
        failures: String,
    },
}

/// What one run of the catalogue showed.
#[derive(Clone, Debug, Default)]
pub struct Proof {
    /// Failed checks, by id, with how often and one detail each.
    pub failed_checks: BTreeMap<&'static str, (usize, &'static str, String)>,
    /// Scenarios that failed although none of their checks did (a step could
    /// not go on, e.g. no usable token): listed, so nothing is hidden.
    pub collateral: Vec<String>,
    pub scenarios: usize,
}

impl Proof {
    /// What a run of the catalogue showed.
    pub fn from_report(report: &RunReport) -> Result<Self, ProofError> {
        if report.scenarios.is_empty() {
            return Err(ProofError::EmptyCatalogue);
        }
        let mut proof = Proof {
            scenarios: report.scenarios.len(),
            ..Default::default()
        };
        for scenario in &report.scenarios {
            let mut any_failed_check = false;
            for o in &scenario.checks {
                if let Verdict::Fail(detail) = &o.verdict {
                    any_failed_check = true;
                    let entry = proof.failed_checks.entry(o.check.id).or_insert((
                        0,
                        o.check.source,
                        detail.clone(),
                    ));
                    entry.0 += 1;
                }
            }
            if let Verdict::Fail(why) = scenario.outcome()
                && !any_failed_check
            {
                proof.collateral.push(format!(
                    "{} ({}): {why}",
                    scenario.name,
                    scenario.location()
                ));
            }
        }
        Ok(proof)
    }

    /// "token-endpoint-post-only (RFC 6749 §3.2) failed 1 time: …" per check.
    pub fn describe_failures(&self) -> String {
        if self.failed_checks.is_empty() {
            return "no check failed".into();
        }
        self.failed_checks
            .iter()
            .map(|(id, (n, source, detail))| {
                format!("{id} ({source}) failed {n} time(s): {detail}")
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// What a fault must fail, and nothing else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    /// "a server that does not echo state", "a client that …".
    pub words: String,
    /// The check the fault is for.
    pub check: &'static str,
    /// Checks that state the same rule for another source and so must fail
    /// with it (see `checks::client_faults`).
    pub also: Vec<&'static str>,
}

impl Expected {
    /// Every check the fault must fail.
    pub fn checks(&self) -> Vec<&'static str> {
        std::iter::once(self.check)
            .chain(self.also.iter().copied())
            .collect()
    }

    pub fn server(fault: ServerFault) -> Self {
        Self {
            words: format!("a server that {}", fault.words()),
            check: fault.check().id,
            also: Vec::new(),
        }
    }

    pub fn client(fault: ClientFault) -> Self {
        let proof = client_faults::proof_of(fault);
        Self {
            words: fault.described().to_owned(),
            check: proof.check.id,
            also: proof.also.iter().map(|c| c.id).collect(),
        }
    }
}

/// `Ok` when exactly the expected checks failed, else why not.
pub fn caught_exactly(expected: &Expected, proof: &Proof) -> Result<(), ProofError> {
    let wanted = expected.check;
    let missing = std::iter::once(&wanted)
        .chain(&expected.also)
        .any(|id| !proof.failed_checks.contains_key(id));
    if missing {
        return Err(ProofError::NotCaught {
            words: expected.words.clone(),
            check: wanted,
            scenarios: proof.scenarios,
            failures: proof.describe_failures(),
        });
    }
    let others = proof
        .failed_checks
        .keys()
        .any(|id| *id != wanted && !expected.also.contains(id));
    if others {
        return Err(ProofError::CaughtByOthers {
            words: expected.words.clone(),
            check: wanted,
            failures: proof.describe_failures(),
        });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn proof_with(failed: &[&'static str]) -> Proof {
        let mut p = Proof {
            scenarios: 3,
            ..Default::default()
        };
        for id in failed {
            p.failed_checks
                .insert(id, (1, "RFC 6749 §4.1.2", "detail".into()));
        }
        p
    }

    #[test]
    fn a_fault_is_caught_only_by_its_own_check_alone() {
        let fault = Expected::server(ServerFault::AltersState);
        assert!(caught_exactly(&fault, &proof_with(&["authorize-state-echoed"])).is_ok());
        let missed = caught_exactly(&fault, &proof_with(&[]))
            .unwrap_err()
            .to_string();
        assert!(missed.contains("was not caught"), "{missed}");
        assert!(
            missed.starts_with("a server that does not echo state"),
            "{missed}"
        );
        let noisy = caught_exactly(
            &fault,
            &proof_with(&["authorize-state-echoed", "code-single-use"]),
        )
        .unwrap_err()
        .to_string();
        assert!(noisy.contains("other checks"), "{noisy}");
    }

    #[test]
    fn a_client_fault_that_states_a_rule_twice_must_fail_both_and_no_more() {
        let fault = Expected::client(ClientFault::TokenNotInAuthorizationHeader);
        let both = ["api-request-bearer-header", "api-request-bearer-documented"];
        assert!(caught_exactly(&fault, &proof_with(&both)).is_ok());
        let half = caught_exactly(&fault, &proof_with(&both[..1])).unwrap_err();
        assert!(half.to_string().contains("was not caught"), "{half}");
        let more = [both[0], both[1], "api-accepts-valid-token"];
        let noisy = caught_exactly(&fault, &proof_with(&more)).unwrap_err();
        assert!(noisy.to_string().contains("other checks"), "{noisy}");
        let alone = Expected::client(ClientFault::TokenAlsoInQuery);
        assert!(caught_exactly(&alone, &proof_with(&both)).is_err());
    }

    /// The rows of the tables of the feature at `relative` (from the crate's
    /// directory), cells trimmed, header rows included.
    pub(crate) fn table_rows(relative: &str) -> (std::path::PathBuf, Vec<Vec<String>>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        let text = std::fs::read_to_string(&path).unwrap();
        let rows = text
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with('|'))
            .map(|l| {
                l.trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_owned())
                    .collect()
            })
            .collect();
        (path, rows)
    }

    /// The proof feature's table and the fault table in src/mock/faults.rs
    /// must not drift apart: every fault has its row, with its check and source.
    #[test]
    fn the_proof_feature_has_a_row_for_every_fault() {
        let (path, rows) = table_rows("features/harness/fault_proofs.feature");
        for fault in ServerFault::ALL {
            let row = rows
                .iter()
                .find(|r| r[0] == fault.words())
                .unwrap_or_else(|| panic!("no row for {:?} in {}", fault, path.display()));
            assert_eq!(row[1], fault.check().id, "{fault:?}");
            assert_eq!(row[2], fault.check().level.to_string(), "{fault:?}");
            assert_eq!(row[3], fault.check().source, "{fault:?}");
        }
        assert_eq!(rows.len(), ServerFault::ALL.len() + 1, "one header row");
    }
}
