//! A cucumber writer that turns events into a [`RunReport`].
//!
//! cucumber's own writers print; this one remembers, so every report format
//! (terminal summary, JUnit, JSON) is rendered from one record of the run.

use std::sync::{Arc, Mutex};

use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step, StepError};
use cucumber::{Event, Writer, cli, gherkin, parser};

use super::results::{RunReport, ScenarioRecord, StepRecord, Verdict};
use super::skips::{SetAside, SkipReason, set_aside_by};
use crate::redact::redact;

/// Collects results into a shared report the caller reads after the run.
#[derive(Clone, Debug, Default)]
pub struct Collector {
    pub report: Arc<Mutex<RunReport>>,
    /// Where relative paths are taken from.
    pub base_dir: std::path::PathBuf,
}

impl Collector {
    fn with_report<R>(&self, f: impl FnOnce(&mut RunReport) -> R) -> R {
        f(&mut self.report.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn relative(&self, feature: &gherkin::Feature) -> String {
        match &feature.path {
            Some(p) => super::scenario::relative(p, &self.base_dir),
            None => feature.name.clone(),
        }
    }

    fn on_scenario<W: SkipReason>(
        &self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ev: Scenario<W>,
    ) {
        let path = self.relative(feature);
        let line = scenario.position.line;
        let profile = crate::report::scenario::profile_of(feature).map(str::to_owned);
        let find = |r: &mut RunReport| {
            r.scenarios.iter().rposition(|s| {
                s.path == path && s.line == line && s.name == scenario.name && s.profile == profile
            })
        };
        match ev {
            Scenario::Started => {
                let tags = feature
                    .tags
                    .iter()
                    .chain(rule.into_iter().flat_map(|r| r.tags.iter()))
                    .chain(scenario.tags.iter())
                    .filter(|t| !t.starts_with(crate::report::scenario::PROFILE_TAG))
                    .cloned()
                    .collect();
                let record = ScenarioRecord {
                    feature: feature.name.clone(),
                    path: path.clone(),
                    line,
                    name: scenario.name.clone(),
                    profile: profile.clone(),
                    tags,
                    steps: Vec::new(),
                    checks: Vec::new(),
                    excluded: None,
                    exchanges: Vec::new(),
                };
                self.with_report(|r| r.scenarios.push(record));
            }
            Scenario::Background(step, ev) | Scenario::Step(step, ev) => {
                let outcome = match (set_aside_by(&ev), ev) {
                    (Some(SetAside::Skipped(why)), _) => Verdict::Skip(redact(&why)),
                    (Some(SetAside::NotRun(why)), _) => Verdict::NotRun(redact(&why)),
                    (None, Step::Started) => return,
                    (None, Step::Passed(..)) => Verdict::Pass,
                    (None, Step::Skipped) => {
                        Verdict::Skip("no step definition matches this text".into())
                    }
                    (None, Step::Failed(_, _, _, err)) => Verdict::Fail(redact(&step_error(&err))),
                };
                let record = StepRecord {
                    keyword: step.keyword.clone(),
                    text: step.value.clone(),
                    outcome,
                };
                self.with_report(|r| {
                    if let Some(i) = find(r) {
                        r.scenarios[i].steps.push(record);
                    }
                });
            }
            Scenario::Hook(which, event::Hook::Failed(_, info)) => {
                let record = StepRecord {
                    keyword: format!("{which} hook"),
                    text: String::new(),
                    outcome: Verdict::Fail(redact(&panic_text(&info))),
                };
                self.with_report(|r| {
                    if let Some(i) = find(r) {
                        r.scenarios[i].steps.push(record);
                    }
                });
            }
            _ => {}
        }
    }
}

fn panic_text(info: &event::Info) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        "(a panic without a message)".into()
    }
}

fn step_error(err: &StepError) -> String {
    match err {
        StepError::Panic(info) => panic_text(info),
        StepError::NotFound => "no step definition matches this text".into(),
        StepError::AmbiguousMatch(e) => format!("ambiguous step: {e}"),
    }
}

impl<W: cucumber::World + SkipReason> Writer<W> for Collector {
    type Cli = cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
        match event {
            Err(e) => {
                let message = redact(&e.to_string());
                self.with_report(|r| r.parse_errors.push(message));
            }
            Ok(ev) => match ev.value {
                Cucumber::Feature(f, Feature::Scenario(sc, ev)) => {
                    self.on_scenario(&f, None, &sc, ev.event);
                }
                Cucumber::Feature(f, Feature::Rule(rule, Rule::Scenario(sc, ev))) => {
                    self.on_scenario(&f, Some(&rule), &sc, ev.event);
                }
                _ => {}
            },
        }
    }
}
