//! The one place a whole report is redacted: field by field.
//!
//! Every renderer (terminal, JSON, JUnit, HTML) starts from
//! [`RunReport::redacted`] (the docs page from [`DocsReport::redacted`])
//! and never redacts its own output: a pattern run over serialised JSON or
//! XML, or over a page of text, can eat a closing quote or whole lines. The
//! records are mostly redacted already when made; doing it again at the end
//! also catches what was registered after a record was made. Text that is
//! ours (check ids, sources, requirements) is `'static` and left as written.

use super::docs::{DocsReport, SetAsideNote};
use super::exchange::ExchangeRecord;
use super::features::{ExampleRow, ExamplesText, FeatureRecord, ScenarioText, StepText};
use super::origins::OriginContacted;
use super::results::{DeviationResult, RunReport, ScenarioRecord, StepRecord, Verdict};
use crate::checks::CheckOutcome;
use crate::redact::field;
use crate::sandbox::preflight::IdentityCheck;

impl RunReport {
    /// A copy with every string field redacted on its own. A new field must
    /// be added here: the struct literals below do not compile without it.
    pub fn redacted(&self) -> RunReport {
        RunReport {
            target: field(&self.target),
            origins: self
                .origins
                .iter()
                .map(|o| OriginContacted {
                    origin: field(&o.origin),
                    requests: o.requests,
                    declared_as: fields(&o.declared_as),
                })
                .collect(),
            scenarios: self
                .scenarios
                .iter()
                .map(ScenarioRecord::redacted)
                .collect(),
            parse_errors: fields(&self.parse_errors),
            deviations: self
                .deviations
                .iter()
                .map(|d| DeviationResult {
                    check: d.check,
                    reason: field(&d.reason),
                    verdict: d.verdict.clone(),
                    file: field(&d.file),
                })
                .collect(),
            strict: self.strict,
            profiles: fields(&self.profiles),
            started_at: field(&self.started_at),
            duration: self.duration,
            features: self.features.iter().map(FeatureRecord::redacted).collect(),
            set_up: self
                .set_up
                .iter()
                .map(|c| IdentityCheck {
                    identity: c.identity,
                    profile: field(&c.profile),
                    tried: field(&c.tried),
                    method: c.method,
                    finding: c.finding.map_message(field),
                })
                .collect(),
        }
    }
}

impl DocsReport {
    /// A copy with every string field redacted on its own.
    pub fn redacted(&self) -> DocsReport {
        DocsReport {
            generated_at: field(&self.generated_at),
            profile: self.profile.as_deref().map(field),
            features: self.features.iter().map(FeatureRecord::redacted).collect(),
            set_aside: self
                .set_aside
                .iter()
                .map(|n| SetAsideNote {
                    path: field(&n.path),
                    line: n.line,
                    reason: field(&n.reason),
                })
                .collect(),
            parse_errors: fields(&self.parse_errors),
        }
    }
}

fn fields(list: &[String]) -> Vec<String> {
    list.iter().map(|s| field(s)).collect()
}

impl FeatureRecord {
    /// The feature as written, every string redacted: a feature file may
    /// hold a secret a step registers (a scenario that sets a client secret).
    fn redacted(&self) -> FeatureRecord {
        FeatureRecord {
            path: field(&self.path),
            folder: field(&self.folder),
            name: field(&self.name),
            description: field(&self.description),
            tags: fields(&self.tags),
            background: self.background.iter().map(StepText::redacted).collect(),
            scenarios: self
                .scenarios
                .iter()
                .map(|s| ScenarioText {
                    keyword: field(&s.keyword),
                    name: field(&s.name),
                    line: s.line,
                    description: field(&s.description),
                    tags: fields(&s.tags),
                    steps: s.steps.iter().map(StepText::redacted).collect(),
                    examples: s
                        .examples
                        .iter()
                        .map(|e| ExamplesText {
                            name: field(&e.name),
                            tags: fields(&e.tags),
                            header: fields(&e.header),
                            rows: e
                                .rows
                                .iter()
                                .map(|r| ExampleRow {
                                    line: r.line,
                                    cells: fields(&r.cells),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

impl StepText {
    fn redacted(&self) -> StepText {
        StepText {
            keyword: field(&self.keyword),
            text: field(&self.text),
            table: self.table.iter().map(|row| fields(row)).collect(),
            docstring: self.docstring.as_deref().map(field),
        }
    }
}

impl ScenarioRecord {
    fn redacted(&self) -> ScenarioRecord {
        ScenarioRecord {
            feature: field(&self.feature),
            path: field(&self.path),
            line: self.line,
            name: field(&self.name),
            profile: self.profile.as_deref().map(field),
            tags: fields(&self.tags),
            steps: self.steps.iter().map(StepRecord::redacted).collect(),
            checks: self.checks.iter().map(redacted_check).collect(),
            excluded: self.excluded.as_deref().map(field),
            exchanges: self
                .exchanges
                .iter()
                .map(ExchangeRecord::redacted)
                .collect(),
        }
    }
}

impl StepRecord {
    fn redacted(&self) -> StepRecord {
        StepRecord {
            keyword: field(&self.keyword),
            text: field(&self.text),
            outcome: self.outcome.redacted(),
        }
    }
}

impl Verdict {
    /// The verdict with its message redacted.
    pub fn redacted(&self) -> Verdict {
        self.map_message(field)
    }
}

fn redacted_check(outcome: &CheckOutcome) -> CheckOutcome {
    CheckOutcome {
        check: outcome.check,
        verdict: outcome.verdict.redacted(),
        deviation: outcome.deviation.as_deref().map(field),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalogue;
    use crate::redact::register_secret;

    #[test]
    fn every_field_is_redacted_on_its_own() {
        register_secret("report-redacted-secret-1");
        let s = "report-redacted-secret-1";
        let report = RunReport {
            target: format!("http://user:{s}@host/"),
            scenarios: vec![ScenarioRecord {
                feature: "f".into(),
                path: "p.feature".into(),
                line: 3,
                name: "a scenario".into(),
                profile: None,
                tags: vec![s.into()],
                steps: vec![StepRecord {
                    keyword: "Then ".into(),
                    text: format!("secret \"{s}\""),
                    outcome: Verdict::Fail(format!("error is {:?}", format!("x\"{s}"))),
                }],
                checks: vec![CheckOutcome {
                    check: &catalogue::RESP_JSON,
                    verdict: Verdict::Fail(s.into()),
                    deviation: Some(s.into()),
                }],
                excluded: None,
                exchanges: Vec::new(),
            }],
            parse_errors: vec![s.into()],
            features: vec![FeatureRecord {
                description: format!("a secret: {s}"),
                scenarios: vec![ScenarioText {
                    steps: vec![StepText {
                        text: format!("secret \"{s}\""),
                        table: vec![vec![s.into()]],
                        ..StepText::default()
                    }],
                    ..ScenarioText::default()
                }],
                ..FeatureRecord::default()
            }],
            ..RunReport::default()
        };
        let shown = format!("{:?}", report.redacted());
        assert!(!shown.contains("report-redacted"), "{shown}");
        let docs = DocsReport {
            features: report.features.clone(),
            set_aside: vec![SetAsideNote {
                reason: s.into(),
                ..SetAsideNote::default()
            }],
            ..DocsReport::default()
        };
        let shown_docs = format!("{:?}", docs.redacted());
        assert!(!shown_docs.contains("report-redacted"), "{shown_docs}");
        assert!(shown_docs.contains("a secret: "), "{shown_docs}");
        assert!(
            shown.contains("a scenario") && shown.contains("Then "),
            "{shown}"
        );
    }
}
