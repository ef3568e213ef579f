//! A cucumber writer that turns events into a [`RunReport`].
//!
//! cucumber's own writers print; this one remembers, so every report format
//! (terminal summary, JUnit, JSON) is rendered from one record of the run.
//!
//! How a scenario's outcome travels: a step records its checks' outcomes in
//! the World (and, stopping without a verdict, the skip or not-run
//! [`crate::checks::Verdict`] that says why); cucumber's step events carry
//! each step's result here; when the scenario ends, the runner's after-hook
//! hands the World's [`ScenarioOutcome`] (its check outcomes, and the
//! exchanges behind a failure) to this collector's [`Inbox`], and the
//! scenario's `Finished` event, which cucumber sends after that hook, files
//! it on the scenario's record. One key ([`ScenarioKey::of`]) names the
//! scenario on both sides.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step, StepError};
use cucumber::{Event, Writer, cli, gherkin, parser};

use super::exchange::ExchangeRecord;
use super::results::{RunReport, ScenarioRecord, StepRecord, Verdict};
use super::scenario::ScenarioKey;
use super::skips::{SkipReason, set_aside_by};
use crate::checks::CheckOutcome;
use crate::redact::redact;

/// What a finished scenario's World concluded beyond its steps' results.
#[derive(Debug, Default)]
pub struct ScenarioOutcome {
    pub checks: Vec<CheckOutcome>,
    /// The HTTP exchanges behind a failure (empty unless a step failed).
    pub exchanges: Vec<ExchangeRecord>,
}

/// Where the runner's after-hook hands each scenario's [`ScenarioOutcome`]
/// until the collector files it (at the scenario's `Finished` event).
#[derive(Clone, Debug, Default)]
pub struct Inbox(Arc<Mutex<HashMap<ScenarioKey, ScenarioOutcome>>>);

impl Inbox {
    pub fn hand_over(&self, key: ScenarioKey, outcome: ScenarioOutcome) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, outcome);
    }

    fn take(&self, key: &ScenarioKey) -> Option<ScenarioOutcome> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(key)
    }
}

/// Collects results into a shared report the caller reads after the run.
#[derive(Clone, Debug, Default)]
pub struct Collector {
    pub report: Arc<Mutex<RunReport>>,
    /// Where relative paths are taken from.
    pub base_dir: std::path::PathBuf,
    /// What the after-hook handed over of each finished scenario.
    pub inbox: Inbox,
    /// The run's progress line (hidden off a terminal).
    pub progress: super::progress::Progress,
}

impl Collector {
    fn with_report<R>(&self, f: impl FnOnce(&mut RunReport) -> R) -> R {
        f(&mut self.report.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn on_scenario<W: SkipReason>(
        &self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ev: Scenario<W>,
    ) {
        let key = ScenarioKey::of(feature, scenario, &self.base_dir);
        let find = |r: &mut RunReport| r.scenarios.iter().rposition(|s| s.key() == key);
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
                    path: key.path.clone(),
                    line: key.line,
                    name: key.name.clone(),
                    profile: key.profile.clone(),
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
                    (Some(set_aside), _) => set_aside.map_message(redact),
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
            Scenario::Finished => {
                self.progress.scenario_done();
                let outcome = self.inbox.take(&key).unwrap_or_default();
                self.with_report(|r| {
                    if let Some(i) = find(r) {
                        r.scenarios[i].checks = outcome.checks;
                        r.scenarios[i].exchanges = outcome.exchanges;
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
                Cucumber::ParsingFinished { scenarios, .. } => {
                    self.progress.set_total(scenarios as u64);
                }
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
