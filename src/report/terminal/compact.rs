//! The summary that fits a screen: failures first, each with its check,
//! level, source, one-line reason and the exchange behind it; then one line
//! per source document; then the scenarios set aside, grouped by reason
//! (which names the profile field or variable that would enable them).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::checks::{Check, CheckOutcome};
use crate::report::results::{
    Counts, DeviationFinding, RunReport, ScenarioRecord, Verdict, document_of,
};

/// Reasons shown before "… and N more": the rest is one `-v` away.
const REASONS_SHOWN: usize = 8;

/// The longest line of a reason or detail shown: the rest is in `-v` and
/// in the HTML report.
const LINE_CHARS: usize = 220;

pub(super) fn render(out: &mut String, report: &RunReport) {
    failures(out, report);
    reported_only(out, report);
    results_by_document(out, report);
    set_aside(out, report);
    deviations(out, report);
}

/// The first line of `text`, cut at [`LINE_CHARS`].
fn one_line(text: &str) -> String {
    let first = text.lines().next().unwrap_or_default();
    match first.char_indices().nth(LINE_CHARS) {
        Some((at, _)) => format!("{}…", &first[..at]),
        None => first.to_owned(),
    }
}

/// "token-response-scope MUST RFC 6749 §5.1".
fn check_title(check: &Check) -> String {
    format!("{} {} {}", check.id, check.level, check.source)
}

/// Every failed scenario: the checks that failed in it (or, when none did,
/// the step that could not go on) and the exchange nearest the failure.
fn failures(out: &mut String, report: &RunReport) {
    let failed: Vec<(&ScenarioRecord, String)> = report
        .scenarios
        .iter()
        .filter_map(|s| match s.outcome() {
            Verdict::Fail(why) => Some((s, why)),
            _ => None,
        })
        .collect();
    if failed.is_empty() {
        return;
    }
    let _ = writeln!(out, "FAILED: {} scenario(s)", failed.len());
    for (scenario, why) in failed {
        let _ = writeln!(out, "  ✘ {} ({})", scenario.name, scenario.location());
        let checks: Vec<&CheckOutcome> = scenario.checks.iter().filter(|o| o.failed()).collect();
        if checks.is_empty() {
            let _ = writeln!(out, "      {}", one_line(&why));
        }
        for o in checks {
            let detail = o.detail().unwrap_or_default();
            let _ = writeln!(out, "      {}: {}", check_title(o.check), one_line(&detail));
        }
        if let Some(e) = scenario.exchanges.last() {
            let _ = writeln!(
                out,
                "      last exchange (#{}): {} -> {}",
                e.number,
                e.request_line(),
                e.response_line()
            );
        }
    }
}

/// Failed checks whose level binds only a strict run (SHOULD, DERIVED), in
/// scenarios that did not fail: one line per check, with how often.
fn reported_only(out: &mut String, report: &RunReport) {
    let mut by_check: BTreeMap<&'static str, (&Check, usize, String)> = BTreeMap::new();
    for s in &report.scenarios {
        if s.outcome().failed() {
            continue;
        }
        for o in s.checks.iter().filter(|o| o.failed()) {
            let entry =
                by_check
                    .entry(o.check.id)
                    .or_insert((o.check, 0, o.detail().unwrap_or_default()));
            entry.1 += 1;
        }
    }
    if by_check.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nReported, not failing the run (a SHOULD or DERIVED check fails it only with --strict)"
    );
    for (check, times, detail) in by_check.values() {
        let _ = writeln!(
            out,
            "  ! {} failed {times} time(s): {}",
            check_title(check),
            one_line(detail)
        );
    }
}

/// One line per source document (RFC 6749, seed 000, …): a scenario that
/// names several sections of one document counts once for it.
fn results_by_document(out: &mut String, report: &RunReport) {
    let mut documents: BTreeMap<String, Counts> = BTreeMap::new();
    for s in &report.scenarios {
        let mut docs: Vec<String> = s
            .sources()
            .iter()
            .map(|source| document_of(source).to_owned())
            .collect();
        docs.dedup();
        if docs.is_empty() {
            docs.push("(no source tag)".into());
        }
        let outcome = s.outcome();
        for doc in docs {
            documents.entry(doc).or_default().add(&outcome);
        }
    }
    let _ = writeln!(out, "\nResults by source");
    for (doc, counts) in documents {
        let _ = writeln!(out, "{}", super::source_line(&doc, 16, &counts));
    }
}

/// The scenarios set aside, grouped by reason, not run first.
fn set_aside(out: &mut String, report: &RunReport) {
    let groups = report.set_aside_groups();
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nSkipped and not run, by reason (the profile field or variable in the reason enables them)"
    );
    for g in groups.iter().take(REASONS_SHOWN) {
        let what = if g.not_run { "not run" } else { "skipped" };
        let _ = writeln!(out, "  {:>4} {what}: {}", g.scenarios, one_line(&g.reason));
    }
    if groups.len() > REASONS_SHOWN {
        let rest = &groups[REASONS_SHOWN..];
        let scenarios: usize = rest.iter().map(|g| g.scenarios).sum();
        let _ = writeln!(
            out,
            "  … {} more reason(s) for {scenarios} scenario(s): -v lists every one",
            rest.len()
        );
    }
}

/// Each declared deviation the run saw, on a line of its own with its
/// reason; those not exercised counted; every one the target no longer has
/// (which fails the run) named.
fn deviations(out: &mut String, report: &RunReport) {
    if report.deviations.is_empty() {
        return;
    }
    let unused = report
        .deviations
        .iter()
        .filter(|d| matches!(d.verdict, DeviationFinding::NotExercised))
        .count();
    let _ = writeln!(
        out,
        "\nDeclared deviations of the target ({unused} not exercised by this run)"
    );
    for d in &report.deviations {
        match &d.verdict {
            DeviationFinding::KnownDeviation { failures } => {
                let _ = writeln!(
                    out,
                    "  [DEV ] {}: known deviation, seen {failures} time(s): {}",
                    check_title(d.check),
                    one_line(&d.reason)
                );
            }
            DeviationFinding::UnexpectedlyPassed { passes } => {
                let _ = writeln!(
                    out,
                    "  [FAIL] {}: unexpectedly passed ({passes} time(s), never failed): the target now conforms; remove it from {}",
                    check_title(d.check),
                    d.file
                );
            }
            DeviationFinding::NotExercised => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_reason_is_cut_to_one_line() {
        let long = format!("{}\nsecond line", "x".repeat(LINE_CHARS + 10));
        let shown = one_line(&long);
        assert_eq!(shown.chars().count(), LINE_CHARS + 1);
        assert!(shown.ends_with('…'));
        assert_eq!(one_line("short\nmore"), "short");
    }
}
