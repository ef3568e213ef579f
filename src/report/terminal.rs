//! The human summary: results grouped by source, failures spelled out, and
//! one closing "N passed, N failed, N skipped, N not run" line that CI
//! systems read.

use std::fmt::Write as _;

use crate::checks::Level;

use super::results::{
    CheckSummary, CheckTally, DeviationFinding, RunReport, RunStatus, ScenarioRecord, Verdict,
};

/// The summary, rendered from the report's redacted records (the text
/// itself is never redacted: see [`super::redacted`]).
pub fn summary(report: &RunReport) -> String {
    let report = &report.redacted();
    let mut out = String::new();
    set_up(&mut out, report);
    parse_errors(&mut out, report);
    results_by_source(&mut out, report);
    checks_by_source(&mut out, report);
    deviations(&mut out, report);
    closing(&mut out, report);
    out
}

/// What the pre-flight found wrong with the identities the run was given:
/// first, so that no failure below is read before it.
fn set_up(out: &mut String, report: &RunReport) {
    for line in report.set_up_lines() {
        let _ = writeln!(out, "SET-UP: {line}");
    }
}

fn parse_errors(out: &mut String, report: &RunReport) {
    for error in &report.parse_errors {
        let _ = writeln!(out, "FEATURE FILE ERROR: {error}");
        let _ = writeln!(
            out,
            "  fix the Gherkin at the file and line above, then run again"
        );
    }
}

/// Scenarios grouped by the sources their tags name, failures spelled out.
fn results_by_source(out: &mut String, report: &RunReport) {
    let _ = writeln!(out, "\nResults by source");
    for (source, scenarios) in report.by_source() {
        let (mut p, mut f, mut s, mut n) = (0, 0, 0, 0);
        for sc in &scenarios {
            match sc.outcome() {
                Verdict::Pass => p += 1,
                Verdict::Fail(_) => f += 1,
                Verdict::Skip(_) => s += 1,
                Verdict::NotRun(_) => n += 1,
            }
        }
        let mark = if f > 0 { "FAIL" } else { " ok " };
        let not_run = if n > 0 {
            format!(", {n} not run")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  [{mark}] {source:<18} {p} passed, {f} failed, {s} skipped{not_run}"
        );
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

/// The target and the one closing "N passed, N failed, N skipped, N not
/// run" line; a run that checked nothing says so, with what to set.
fn closing(out: &mut String, report: &RunReport) {
    let c = report.counts();
    if report.status() == RunStatus::NothingChecked {
        let _ = writeln!(
            out,
            "\nNOTHING WAS CHECKED: every selected scenario was skipped or not run. Why, most frequent first:"
        );
        for (reason, n) in report.set_aside_reasons().iter().take(5) {
            let _ = writeln!(out, "  {n} scenario(s): {reason}");
        }
    }
    let _ = writeln!(out, "\nTarget: {}", report.target);
    if !report.origins.is_empty() {
        let _ = writeln!(out, "Origins contacted:");
        for line in super::origins::short_list(&report.origins) {
            let _ = writeln!(out, "  {line}");
        }
    }
    let _ = writeln!(
        out,
        "{} scenarios ({} features parsed with errors)",
        report.scenarios.len(),
        report.parse_errors.len()
    );
    let _ = writeln!(
        out,
        "{} passed, {} failed, {} skipped, {} not run",
        c.passed,
        c.failed + report.parse_errors.len(),
        c.skipped,
        c.not_run
    );
}
