//! The human summary: results grouped by source, failures spelled out, and
//! one closing "N passed, N failed, N skipped" line that CI systems read.

use std::fmt::Write as _;

use super::redact::redact;
use super::results::{Outcome, RunReport};

pub fn summary(report: &RunReport) -> String {
    let mut out = String::new();
    for error in &report.parse_errors {
        let _ = writeln!(out, "FEATURE FILE ERROR: {error}");
        let _ = writeln!(
            out,
            "  fix the Gherkin at the file and line above, then run again"
        );
    }
    let _ = writeln!(out, "\nResults by source");
    for (source, scenarios) in report.by_source() {
        let (mut p, mut f, mut s) = (0, 0, 0);
        for sc in &scenarios {
            match sc.outcome() {
                Outcome::Passed => p += 1,
                Outcome::Failed(_) => f += 1,
                Outcome::Skipped(_) => s += 1,
            }
        }
        let mark = if f > 0 { "FAIL" } else { " ok " };
        let _ = writeln!(
            out,
            "  [{mark}] {source:<18} {p} passed, {f} failed, {s} skipped"
        );
        for sc in scenarios {
            match sc.outcome() {
                Outcome::Failed(why) => {
                    let _ = writeln!(out, "         ✘ {} ({})", sc.name, sc.location());
                    for line in why.lines() {
                        let _ = writeln!(out, "             {line}");
                    }
                }
                Outcome::Skipped(why) => {
                    let _ = writeln!(
                        out,
                        "         - {} ({}): skipped: {why}",
                        sc.name,
                        sc.location()
                    );
                }
                Outcome::Passed => {}
            }
        }
    }
    let checks = report.checks_by_source();
    if !checks.is_empty() {
        let _ = writeln!(out, "\nChecks by source");
        for ((source, level, id), (passed, failed)) in checks {
            let mark = if failed > 0 { "FAIL" } else { " ok " };
            let _ = writeln!(
                out,
                "  [{mark}] {source:<16} {level:<6} {id:<36} {passed} passed, {failed} failed"
            );
        }
    }
    let c = report.counts();
    let _ = writeln!(
        out,
        "\n{} scenarios ({} features parsed with errors)",
        report.scenarios.len(),
        report.parse_errors.len()
    );
    let _ = writeln!(
        out,
        "{} passed, {} failed, {} skipped",
        c.passed,
        c.failed + report.parse_errors.len(),
        c.skipped
    );
    redact(&out)
}
