//! The detailed summary (`run -v`): every scenario that did not pass under
//! each source it names, the check table by source and level, each declared
//! deviation, then the closing lines.

use std::fmt::Write as _;

use crate::checks::Level;

use crate::report::results::{
    CheckSummary, CheckTally, Counts, DeviationFinding, RunReport, ScenarioRecord, Verdict,
};

/// The detailed summary of an already redacted report.
pub(super) fn render(out: &mut String, report: &RunReport) {
    results_by_source(out, report);
    checks_by_source(out, report);
    deviations(out, report);
}

/// Scenarios grouped by the sources their tags name, failures spelled out.
fn results_by_source(out: &mut String, report: &RunReport) {
    let _ = writeln!(out, "\nResults by source");
    for (source, scenarios) in report.by_source() {
        let counts = Counts::of(scenarios.iter().copied());
        let _ = writeln!(out, "{}", super::source_line(&source, 18, &counts));
        for sc in scenarios {
            match sc.outcome() {
                Verdict::Fail(why) => {
                    let _ = writeln!(out, "         ✘ {} ({})", sc.name, sc.location());
                    for line in why.lines() {
                        let _ = writeln!(out, "             {line}");
                    }
                    last_exchange(out, sc);
                }
                Verdict::Skip(why) => {
                    let _ = writeln!(
                        out,
                        "         - {} ({}): skipped: {why}",
                        sc.name,
                        sc.location()
                    );
                }
                Verdict::NotRun(why) => {
                    let _ = writeln!(
                        out,
                        "         ? {} ({}): not run: {why}",
                        sc.name,
                        sc.location()
                    );
                }
                Verdict::Pass => {}
            }
        }
    }
}

/// The exchange nearest the failure: its request line and its answer.
fn last_exchange(out: &mut String, scenario: &ScenarioRecord) {
    if let Some(e) = scenario.exchanges.last() {
        let _ = writeln!(
            out,
            "             last exchange (#{}): {} -> {}",
            e.number,
            e.request_line(),
            e.response_line()
        );
    }
}

/// "MUST 3 passed, 1 failed, 1 known deviation", or nothing when the level
/// had no outcome.
fn level_tally(name: &str, t: &CheckTally) -> String {
    if t.passed + t.failed + t.deviations + t.skipped == 0 {
        return String::new();
    }
    let mut text = format!("{name} {} passed, {} failed", t.passed, t.failed);
    if t.deviations > 0 {
        text.push_str(&format!(", {} known deviation", t.deviations));
    }
    text
}

/// One line per check: its mark, level, id and tally.
fn check_line(c: &CheckSummary) -> String {
    let t = &c.tally;
    let mark = match (t.failed, t.deviations) {
        (0, 0) => " ok ",
        (0, _) => "DEV ",
        _ => "FAIL",
    };
    let mut line = format!(
        "    [{mark}] {:<7} {:<40} {} passed, {} failed",
        c.level.to_string(),
        c.id,
        t.passed,
        t.failed
    );
    if t.deviations > 0 {
        line.push_str(&format!(", {} known deviation", t.deviations));
    }
    if t.skipped > 0 {
        line.push_str(&format!(", {} skipped", t.skipped));
    }
    line
}

/// The check table: per source, MUST, SHOULD, derived and guide results apart.
fn checks_by_source(out: &mut String, report: &RunReport) {
    let sources = report.by_check_source();
    if sources.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nChecks by source (a failed MUST or guide check fails the run; a failed SHOULD or DERIVED only with --strict)"
    );
    for group in &sources {
        let parts: Vec<String> = [
            level_tally("MUST", &group.must),
            level_tally("SHOULD", &group.should),
            level_tally("DERIVED", &group.derived),
            level_tally("GUIDE", &group.guide),
        ]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect();
        let _ = writeln!(out, "  {}: {}", group.source, parts.join(" | "));
        for c in &group.checks {
            let _ = writeln!(out, "{}", check_line(c));
        }
    }
    if !report.strict {
        for level in Level::ALL.into_iter().filter(|l| !l.binds(false)) {
            let failures = report.failed_checks(level);
            if failures > 0 {
                let _ = writeln!(
                    out,
                    "  {failures} {level} check outcome(s) failed: reported, not failing the run (use --strict)"
                );
            }
        }
    }
}

/// What the run saw of each declared deviation of the target.
fn deviations(out: &mut String, report: &RunReport) {
    if report.deviations.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nDeclared deviations of the target");
    for d in &report.deviations {
        let (mark, what) = match &d.verdict {
            DeviationFinding::KnownDeviation { failures } => {
                ("DEV ", format!("known deviation, seen {failures} time(s)"))
            }
            DeviationFinding::UnexpectedlyPassed { passes } => (
                "FAIL",
                format!(
                    "unexpectedly passed ({passes} time(s), never failed): the target now conforms; remove it from {}",
                    d.file
                ),
            ),
            DeviationFinding::NotExercised => (" -- ", "not exercised by this run".into()),
        };
        let _ = writeln!(
            out,
            "  [{mark}] {} {} {}: {what}\n         declared: {}",
            d.check.source, d.check.level, d.check.id, d.reason
        );
    }
}
