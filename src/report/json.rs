//! The machine-readable results (`--json FILE`).
//!
//! Flat records a CI job can filter without knowing our types: every
//! scenario with its status and reason, its steps, and every check outcome
//! (id, level, source, status, reason); the checks grouped by source with
//! MUST, SHOULD, derived and guide-level counts apart; the declared deviations; what
//! the pre-flight found of each identity the run was given (`set_up`); the
//! HTTP exchanges behind each failed scenario (request and response: method,
//! URL, status, headers, body preview). Built as a value from the redacted
//! records; the serialised text is never redacted (see [`super::redacted`]).

use serde_json::{Value, json};

use super::results::{RunReport, RunStatus, Verdict};

fn outcome(o: &Verdict) -> (&'static str, Option<&str>) {
    match o {
        Verdict::Pass => ("passed", None),
        Verdict::Fail(m) => ("failed", Some(m.as_str())),
        Verdict::Skip(m) => ("skipped", Some(m.as_str())),
        Verdict::NotRun(m) => ("not_run", Some(m.as_str())),
    }
}

pub fn render(report: &RunReport) -> Result<String, super::ReportError> {
    let report = &report.redacted();
    let counts = report.counts();
    let scenarios: Vec<Value> = report
        .scenarios
        .iter()
        .map(|s| {
            let overall = s.outcome();
            let (status, reason) = outcome(&overall);
            let steps: Vec<Value> = s
                .steps
                .iter()
                .map(|st| {
                    let (status, reason) = outcome(&st.outcome);
                    json!({"keyword": st.keyword.trim(), "text": st.text, "status": status, "reason": reason})
                })
                .collect();
            let checks: Vec<Value> = s
                .checks
                .iter()
                .map(|c| {
                    let (status, reason) = (c.label(), c.detail());
                    json!({
                        "id": c.check.id,
                        "level": c.check.level.to_string(),
                        "source": c.check.source,
                        "status": status,
                        "reason": reason,
                    })
                })
                .collect();
            json!({
                "feature": s.feature,
                "scenario": s.name,
                "location": s.location(),
                "tags": s.tags,
                "sources": s.sources(),
                "status": status,
                "reason": reason,
                "steps": steps,
                "checks": checks,
                "exchanges": s.exchanges,
            })
        })
        .collect();
    let by_source = serde_json::to_value(report.by_check_source())?;
    let deviations = serde_json::to_value(&report.deviations)?;
    let doc = json!({
        "target": report.target,
        "origins_contacted": report.origins,
        "set_up": report.set_up,
        "strict": report.strict,
        "succeeded": report.succeeded(),
        "status": match report.status() {
            RunStatus::Passed => "passed",
            RunStatus::Failed => "failed",
            RunStatus::NothingChecked => "nothing_checked",
        },
        "counts": counts,
        "by_source": by_source,
        "deviations": deviations,
        "scenarios": scenarios,
        "parse_errors": report.parse_errors,
    });
    Ok(serde_json::to_string_pretty(&doc)?)
}
