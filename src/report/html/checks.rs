//! The check table by source: for a run, how often each check passed,
//! failed, failed as a declared deviation (marked, with the declared
//! reason) or could not run; for the docs page, the catalogue itself. And
//! the target's declared deviations with what the run saw of each.

use std::collections::BTreeMap;

use super::nav::natural;
use crate::checks::catalogue;
use crate::report::results::{CheckTally, DeviationFinding, RunReport};

pub struct CheckGroup {
    pub source: String,
    /// "MUST 12 passed, 0 failed", "SHOULD …", "GUIDE …": the levels that had
    /// outcomes (empty on the docs page).
    pub levels: Vec<String>,
    pub rows: Vec<CheckRow>,
}

pub struct CheckRow {
    pub id: &'static str,
    pub level: String,
    pub requirement: &'static str,
    /// `None` on the docs page: no run, no counts.
    pub tally: Option<CheckTally>,
    /// "failed", "deviation", "passed", "skipped" or "stated".
    pub class: &'static str,
    /// "FAIL", "DEV", "ok", "not run", "".
    pub mark: &'static str,
    /// The declared reason, for a check the target declares a deviation of.
    pub declared: Option<String>,
}

pub struct DeviationRow {
    pub id: &'static str,
    pub source: &'static str,
    pub level: String,
    pub class: &'static str,
    pub verdict: String,
    pub reason: String,
}

fn level_text(name: &str, t: &CheckTally) -> Option<String> {
    if t.passed + t.failed + t.deviations + t.skipped == 0 {
        return None;
    }
    let mut text = format!("{name} {} passed, {} failed", t.passed, t.failed);
    if t.deviations > 0 {
        text.push_str(&format!(", {} known deviation", t.deviations));
    }
    Some(text)
}

/// The run's check table, by source in reading order.
pub fn run_table(report: &RunReport) -> Vec<CheckGroup> {
    let mut groups: Vec<CheckGroup> = report
        .by_check_source()
        .into_iter()
        .map(|g| CheckGroup {
            source: g.source.to_owned(),
            levels: [
                level_text("MUST", &g.must),
                level_text("SHOULD", &g.should),
                level_text("DERIVED", &g.derived),
                level_text("GUIDE", &g.guide),
            ]
            .into_iter()
            .flatten()
            .collect(),
            rows: g
                .checks
                .iter()
                .map(|c| {
                    let t = c.tally;
                    let (class, mark) = match (t.failed, t.deviations, t.passed) {
                        (1.., _, _) => ("failed", "FAIL"),
                        (0, 1.., _) => ("deviation", "DEV"),
                        (0, 0, 1..) => ("passed", "ok"),
                        _ => ("skipped", "skipped"),
                    };
                    CheckRow {
                        id: c.id,
                        level: c.level.to_string(),
                        requirement: c.requirement,
                        tally: Some(t),
                        class,
                        mark,
                        declared: report
                            .deviations
                            .iter()
                            .find(|d| d.check.id == c.id)
                            .map(|d| d.reason.clone()),
                    }
                })
                .collect(),
        })
        .collect();
    groups.sort_by_key(|g| natural(&g.source));
    groups
}

/// The catalogue, by source: what the docs page lists.
pub fn catalogue_table() -> Vec<CheckGroup> {
    let mut by_source: BTreeMap<Vec<super::nav::Piece>, CheckGroup> = BTreeMap::new();
    for c in catalogue::ALL {
        by_source
            .entry(natural(c.source))
            .or_insert_with(|| CheckGroup {
                source: c.source.to_owned(),
                levels: Vec::new(),
                rows: Vec::new(),
            })
            .rows
            .push(CheckRow {
                id: c.id,
                level: c.level.to_string(),
                requirement: c.requirement,
                tally: None,
                class: "stated",
                mark: "",
                declared: None,
            });
    }
    by_source.into_values().collect()
}

/// The target's declared deviations and what the run saw of each.
pub fn deviations(report: &RunReport) -> Vec<DeviationRow> {
    report
        .deviations
        .iter()
        .map(|d| {
            let (class, verdict) = match &d.verdict {
                DeviationFinding::KnownDeviation { failures } => (
                    "deviation",
                    format!("known deviation, seen {failures} time(s)"),
                ),
                DeviationFinding::UnexpectedlyPassed { passes } => (
                    "failed",
                    format!(
                        "unexpectedly passed ({passes} time(s), never failed): the target now conforms; remove it from {}",
                        d.file
                    ),
                ),
                DeviationFinding::NotExercised => {
                    ("skipped", "not exercised by this run".to_owned())
                }
            };
            DeviationRow {
                id: d.check.id,
                source: d.check.source,
                level: d.check.level.to_string(),
                class,
                verdict,
                reason: d.reason.clone(),
            }
        })
        .collect()
}
