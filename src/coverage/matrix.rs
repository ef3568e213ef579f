//! The traceability matrix: each requirement, the checks that test it, the
//! scenarios that judged those checks, the faults that prove them, and its
//! status; with the totals per document and bucket.
//!
//! - **covered**: a check that ran in some scenario and is proven by a fault
//!   (it fails when the rule is broken), and the row names no clause of its
//!   sentence left untested;
//! - **partial**: checks that ran but no fault proves, a clause left
//!   untested (`partial` names it), or only scenario steps that assert it;
//! - **uncovered**: nothing that ran tests it;
//! - **untestable**: no black-box test can judge it (not counted).
//!
//! The totals count the servers' requirements apart from the client's (the
//! suite's own), and MUST, SHOULD, derived and guide rows apart.

use std::collections::BTreeMap;

use super::evidence::{Evidence, ScenarioRef};
use super::requirements::{Bucket, Party, Requirement, Requirements};

/// A requirement's coverage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Covered,
    Partial,
    Uncovered,
    Untestable,
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Status::Covered => "covered",
            Status::Partial => "partial",
            Status::Uncovered => "uncovered",
            Status::Untestable => "untestable",
        })
    }
}

/// A requirement that names a scenario no scenario of the run matches.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "{file}: requirement {id}: field `scenarios`: no scenario that ran is named {scenario:?} (renamed or removed?)"
)]
pub struct UnknownScenario {
    pub file: String,
    pub id: String,
    pub scenario: String,
}

/// One row of the matrix.
#[derive(Clone, Debug)]
pub struct Row<'r> {
    pub requirement: &'r Requirement,
    pub status: Status,
    /// Why it is not covered, or what it leaves out.
    pub why: Option<String>,
    /// The checks that judged it in some scenario, each with its fault proof.
    pub checks: Vec<(&'static str, Option<&'static str>)>,
    /// The scenarios that judged those checks or whose steps assert it.
    pub scenarios: Vec<ScenarioRef>,
}

/// How one of a row's checks stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckState {
    /// It ran, and this fault proves it.
    Proven(&'static str),
    /// It ran, and no fault proves it.
    Unproven,
    /// It ran in no scenario.
    Silent,
}

impl Row<'_> {
    /// The fault words that prove its checks.
    pub fn faults(&self) -> Vec<&'static str> {
        self.checks.iter().filter_map(|(_, f)| *f).collect()
    }

    /// Every check the requirement names, with how it stands.
    pub fn check_states(&self) -> Vec<(&'static str, CheckState)> {
        self.requirement
            .checks
            .iter()
            .map(|id| {
                let state = match self.checks.iter().find(|(c, _)| c == id) {
                    Some((_, Some(fault))) => CheckState::Proven(fault),
                    Some((_, None)) => CheckState::Unproven,
                    None => CheckState::Silent,
                };
                (*id, state)
            })
            .collect()
    }

    /// Its checks and awaited checks in words: "code-single-use [fault:
    /// accepts a code twice]", "token-request-post [no fault]", "(awaiting
    /// pkce-downgrade-refused)".
    pub fn check_labels(&self) -> Vec<String> {
        self.check_states()
            .into_iter()
            .map(|(id, state)| match state {
                CheckState::Proven(fault) => format!("{id} [fault: {fault}]"),
                CheckState::Unproven => format!("{id} [no fault]"),
                CheckState::Silent => format!("{id} [ran in no scenario]"),
            })
            .chain(
                self.requirement
                    .awaiting
                    .iter()
                    .map(|id| format!("(awaiting {id})")),
            )
            .collect()
    }
}

/// Counts of one group of requirements.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tally {
    pub total: usize,
    pub covered: usize,
    pub partial: usize,
    pub uncovered: usize,
}

impl Tally {
    fn add(&mut self, status: Status) {
        match status {
            Status::Covered => self.covered += 1,
            Status::Partial => self.partial += 1,
            Status::Uncovered => self.uncovered += 1,
            Status::Untestable => return,
        }
        self.total += 1;
    }

    /// The covered share in whole percent.
    pub fn covered_percent(&self) -> usize {
        (self.covered * 100).checked_div(self.total).unwrap_or(0)
    }

    fn plus(self, other: &Tally) -> Tally {
        Tally {
            total: self.total + other.total,
            covered: self.covered + other.covered,
            partial: self.partial + other.partial,
            uncovered: self.uncovered + other.uncovered,
        }
    }
}

/// The totals of one document (or of all RFCs, or all seeds): per party and
/// bucket, and the requirements left out of the counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// The servers' requirements, then the client's, each per bucket.
    pub parties: BTreeMap<Party, BTreeMap<Bucket, Tally>>,
    /// Not black-box checkable.
    pub untestable: usize,
    /// Rows without any keyword, listed but not counted.
    pub not_counted: usize,
}

impl Totals {
    fn add(&mut self, party: Party, bucket: Bucket, status: Status) {
        match (bucket, status) {
            (_, Status::Untestable) => self.untestable += 1,
            (Bucket::Other, _) => self.not_counted += 1,
            _ => self
                .parties
                .entry(party)
                .or_default()
                .entry(bucket)
                .or_default()
                .add(status),
        }
    }

    /// One party's tally of one bucket (empty when it has no such row).
    pub fn tally(&self, party: Party, bucket: Bucket) -> Tally {
        self.parties
            .get(&party)
            .and_then(|b| b.get(&bucket))
            .copied()
            .unwrap_or_default()
    }

    /// Each counted (party, bucket) with its tally, servers first.
    pub fn lines(&self) -> impl Iterator<Item = (Party, Bucket, &Tally)> {
        self.parties
            .iter()
            .flat_map(|(party, buckets)| buckets.iter().map(move |(b, t)| (*party, *b, t)))
    }

    /// Every counted bucket of both parties together.
    pub fn all(&self) -> Tally {
        self.lines()
            .fold(Tally::default(), |all, (_, _, t)| all.plus(t))
    }
}

/// The matrix of a requirements file against a run.
#[derive(Clone, Debug)]
pub struct Matrix<'r> {
    pub rows: Vec<Row<'r>>,
    /// Per document, in file order.
    pub documents: Vec<(String, Totals)>,
    /// Every RFC document together.
    pub rfcs: Totals,
    /// Every seed together.
    pub seeds: Totals,
}

impl<'r> Matrix<'r> {
    pub fn build(
        requirements: &'r Requirements,
        evidence: &Evidence,
    ) -> Result<Self, UnknownScenario> {
        let mut rows = Vec::with_capacity(requirements.requirements.len());
        for requirement in &requirements.requirements {
            rows.push(row(
                requirement,
                evidence,
                &requirements.path.display().to_string(),
            )?);
        }
        let mut documents: Vec<(String, Totals)> = requirements
            .documents()
            .into_iter()
            .map(|d| (d.to_owned(), Totals::default()))
            .collect();
        let (mut rfcs, mut seeds) = (Totals::default(), Totals::default());
        for row in &rows {
            let r = row.requirement;
            if let Some((_, totals)) = documents.iter_mut().find(|(d, _)| *d == r.source.document) {
                totals.add(r.party, r.bucket, row.status);
            }
            let group = if r.source.is_seed() {
                &mut seeds
            } else {
                &mut rfcs
            };
            group.add(r.party, r.bucket, row.status);
        }
        Ok(Matrix {
            rows,
            documents,
            rfcs,
            seeds,
        })
    }
}

fn row<'r>(
    requirement: &'r Requirement,
    evidence: &Evidence,
    file: &str,
) -> Result<Row<'r>, UnknownScenario> {
    let mut scenarios: Vec<ScenarioRef> = Vec::new();
    let mut checks = Vec::new();
    for id in &requirement.checks {
        let judged = evidence.scenarios_of(id);
        if judged.is_empty() {
            continue;
        }
        checks.push((*id, evidence.proofs.get(id).copied()));
        scenarios.extend(judged.iter().cloned());
    }
    let mut asserted = false;
    for name in &requirement.scenarios {
        let found = evidence.named(name);
        if found.is_empty() {
            return Err(UnknownScenario {
                file: file.to_owned(),
                id: requirement.id.clone(),
                scenario: name.clone(),
            });
        }
        asserted = true;
        scenarios.extend(found.into_iter().cloned());
    }
    scenarios.sort();
    scenarios.dedup();
    let (status, why) = status(requirement, &checks, asserted);
    Ok(Row {
        requirement,
        status,
        why,
        checks,
        scenarios,
    })
}

fn status(
    requirement: &Requirement,
    ran: &[(&'static str, Option<&'static str>)],
    asserted: bool,
) -> (Status, Option<String>) {
    if let Some(why) = &requirement.untestable {
        return (Status::Untestable, Some(why.clone()));
    }
    let silent: Vec<&str> = requirement
        .checks
        .iter()
        .copied()
        .filter(|c| !ran.iter().any(|(r, _)| r == c))
        .collect();
    if ran.is_empty() && !asserted {
        let why = if silent.is_empty() {
            "no check tests it".to_owned()
        } else {
            format!("its checks ran in no scenario: {}", silent.join(", "))
        };
        return (Status::Uncovered, Some(why));
    }
    let proven = ran.iter().any(|(_, fault)| fault.is_some());
    match (&requirement.partial, proven) {
        (None, true) => (Status::Covered, None),
        (Some(left_out), _) => (Status::Partial, Some(left_out.clone())),
        (None, false) if ran.is_empty() => (
            Status::Partial,
            Some("asserted by scenario steps, not by a catalogue check".into()),
        ),
        (None, false) => {
            let names: Vec<&str> = ran.iter().map(|(c, _)| *c).collect();
            (
                Status::Partial,
                Some(format!("no fault proves {}", names.join(", "))),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::{CheckOutcome, catalogue};
    use crate::report::{RunReport, Verdict, results::ScenarioRecord, results::StepRecord};
    use std::path::Path;

    const FILE: &str = r#"
[sources]
"RFC 6749" = "x"
"seed 000" = "y"

[[requirement]]
id = "proven"
source = "RFC 6749 §4.1.2"
level = "MUST"
side = "authorization server"
wording = "w"
quote = "q"
checks = ["code-single-use"]

[[requirement]]
id = "client"
source = "RFC 6749 §3.2"
level = "MUST"
side = "client"
wording = "w"
quote = "q"
checks = ["token-request-post"]

[[requirement]]
id = "left-out"
source = "RFC 6749 §4.1.2"
level = "SHOULD"
side = "authorization server"
wording = "w"
quote = "q"
checks = ["code-single-use"]
partial = "only the access token"

[[requirement]]
id = "steps"
source = "RFC 6749 §3.1"
level = "MUST"
side = "authorization server"
wording = "w"
quote = "q"
scenarios = ["A code works"]

[[requirement]]
id = "silent"
source = "RFC 6749 §5.2"
level = "MUST"
side = "authorization server"
wording = "w"
quote = "q"
checks = ["error-response-code"]

[[requirement]]
id = "derived"
source = "RFC 6749 §5.2"
level = "definition"
bucket = "DERIVED"
side = "authorization server"
wording = "w"
quote = "q"
checks = ["code-single-use"]

[[requirement]]
id = "never"
source = "RFC 6749 §2.3"
level = "MUST NOT"
side = "authorization server"
wording = "w"
quote = "q"
untestable = "internal"

[[requirement]]
id = "G1"
source = "seed 000"
level = "GUIDE"
side = "client"
wording = "w"
quote = "q"
checks = []
"#;

    fn evidence() -> Evidence {
        let scenario = ScenarioRecord {
            feature: "f".into(),
            path: "features/rfc/x.feature".into(),
            line: 3,
            name: "A code works once".into(),
            profile: Some("401go".into()),
            tags: vec![],
            steps: vec![StepRecord {
                keyword: "Then".into(),
                text: "t".into(),
                outcome: Verdict::Pass,
            }],
            checks: vec![
                CheckOutcome::pass(&catalogue::CODE_SINGLE_USE),
                CheckOutcome::pass(&catalogue::REQ_POST),
            ],
            exchanges: Vec::new(),
            excluded: None,
        };
        let mut evidence = Evidence::from_report(&RunReport {
            scenarios: vec![scenario],
            ..Default::default()
        });
        // A check no fault proves (token-request-post has its client fault).
        evidence.proofs.remove("token-request-post");
        evidence
    }

    fn requirements(text: &str) -> Requirements {
        Requirements::parse(text, Path::new("r.toml"), catalogue::ALL).unwrap()
    }

    #[test]
    fn statuses_follow_checks_faults_and_clauses() {
        let requirements = requirements(FILE);
        let matrix = Matrix::build(&requirements, &evidence()).unwrap();
        let status: Vec<(&str, Status)> = matrix
            .rows
            .iter()
            .map(|r| (r.requirement.id.as_str(), r.status))
            .collect();
        assert_eq!(
            status,
            [
                ("proven", Status::Covered),
                ("client", Status::Partial),
                ("left-out", Status::Partial),
                ("steps", Status::Partial),
                ("silent", Status::Uncovered),
                ("derived", Status::Covered),
                ("never", Status::Untestable),
                ("G1", Status::Uncovered),
            ]
        );
        assert_eq!(matrix.rows[0].faults(), ["accepts a code twice"]);
        assert_eq!(
            matrix.rows[1].why.as_deref(),
            Some("no fault proves token-request-post")
        );
        assert!(
            matrix.rows[4]
                .why
                .as_deref()
                .unwrap()
                .contains("ran in no scenario")
        );
        // The servers' MUSTs apart from the client's, derived rows apart.
        let of = |party, bucket| {
            let t = matrix.rfcs.tally(party, bucket);
            (t.total, t.covered, t.partial, t.uncovered)
        };
        assert_eq!(of(Party::Server, Bucket::Must), (3, 1, 1, 1));
        assert_eq!(of(Party::Client, Bucket::Must), (1, 0, 1, 0));
        assert_eq!(of(Party::Server, Bucket::Derived), (1, 1, 0, 0));
        assert_eq!(of(Party::Server, Bucket::Should), (1, 0, 1, 0));
        assert_eq!(matrix.rfcs.all().total, 6);
        assert_eq!(matrix.rfcs.untestable, 1);
        assert_eq!(matrix.seeds.all().uncovered, 1);
        assert_eq!(matrix.documents[0].0, "RFC 6749");
    }

    #[test]
    fn a_scenario_name_that_matches_nothing_is_an_error() {
        let requirements = requirements(&FILE.replace("A code works", "A renamed scenario"));
        let err = Matrix::build(&requirements, &evidence()).unwrap_err();
        assert_eq!(err.id, "steps");
        assert!(err.to_string().contains("field `scenarios`"), "{err}");
    }
}
