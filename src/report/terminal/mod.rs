//! The human summary on the terminal.
//!
//! [`summary`] fits a screen: what failed first (each failed check with its
//! level, source, reason and the exchange behind it), one line per source
//! document, the scenarios set aside grouped by reason, and the closing
//! "N passed, N failed, N skipped, N not run" line CI systems read.
//! [`detailed`] (`run -v`) lists every scenario that did not pass and the
//! whole check table. Both render from the report's redacted records (the
//! text itself is never redacted: see [`super::redacted`]).

mod compact;
mod detailed;

use std::fmt::Write as _;

use super::results::{Counts, RunReport, RunStatus};

/// The summary that fits a screen.
pub fn summary(report: &RunReport) -> String {
    render(report, compact::render)
}

/// Every scenario that did not pass, and the check table by source.
pub fn detailed(report: &RunReport) -> String {
    render(report, detailed::render)
}

fn render(report: &RunReport, body: fn(&mut String, &RunReport)) -> String {
    let report = &report.redacted();
    let mut out = String::new();
    set_up(&mut out, report);
    parse_errors(&mut out, report);
    body(&mut out, report);
    closing(&mut out, report);
    out
}

/// The last line: where the whole report is and how to see more. `written`
/// lists the report files the run wrote; `verbose` is whether the detailed
/// summary was shown.
pub fn next_steps(written: &[(&str, String)], verbose: bool) -> String {
    let mut parts = Vec::new();
    match written.iter().find(|(what, _)| what.contains("HTML")) {
        Some((_, path)) => parts.push(format!("open {path} for every scenario and exchange")),
        None => parts.push("--html FILE writes a page with every scenario and exchange".into()),
    }
    if !verbose {
        parts.push("-v lists every scenario and check here".into());
    }
    format!("Next: {}", parts.join("; "))
}

/// "  [ ok ] RFC 6749   12 passed, 0 failed, 3 skipped": one source's
/// scenarios, its name padded to `width`.
fn source_line(name: &str, width: usize, c: &Counts) -> String {
    let mark = if c.failed > 0 { "FAIL" } else { " ok " };
    let not_run = match c.not_run {
        0 => String::new(),
        n => format!(", {n} not run"),
    };
    format!(
        "  [{mark}] {name:<width$} {} passed, {} failed, {} skipped{not_run}",
        c.passed, c.failed, c.skipped
    )
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
