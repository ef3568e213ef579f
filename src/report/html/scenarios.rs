//! A feature on the page: its prose, its scenarios and their steps as
//! written, and, in a run, each scenario's runs (one per profile, one per
//! Examples row) with the status of every step, the reason of a run that did
//! not pass and the exchanges behind a failure.

use super::prose::{Block, blocks};
use super::status::{Badge, reason};
use crate::report::exchange::ExchangeRecord;
use crate::report::features::{FeatureRecord, ScenarioText, StepText};
use crate::report::results::{ScenarioRecord, source_of_tag};

pub struct FeatureView {
    pub id: String,
    pub path: String,
    pub folder: String,
    pub name: String,
    pub prose: Vec<Block>,
    pub tags: Vec<String>,
    pub background: Vec<StepView>,
    pub scenarios: Vec<ScenarioView>,
    pub status: Badge,
}

pub struct ScenarioView {
    pub id: String,
    pub keyword: String,
    pub name: String,
    /// "features/rfc/x.feature:12".
    pub location: String,
    /// Its own tags, as written.
    pub tags: Vec<String>,
    /// Every tag that applies (the feature's, its own, its Examples'),
    /// without `@`: what the tag filter reads.
    pub all_tags: Vec<String>,
    /// The sources its tags name ("RFC 6749 §5.2").
    pub sources: Vec<String>,
    pub status: Badge,
    pub prose: Vec<Block>,
    pub steps: Vec<StepView>,
    pub examples: Vec<ExamplesView>,
    pub runs: Vec<RunView>,
    /// Why the profile of a docs page cannot run it.
    pub note: Option<String>,
}

impl ScenarioView {
    /// `data-tags`: the tags, space-separated.
    pub fn tags_attr(&self) -> String {
        self.all_tags.join(" ")
    }

    /// `data-sources`: the sources, `|`-separated.
    pub fn sources_attr(&self) -> String {
        self.sources.join("|")
    }
}

pub struct StepView {
    pub keyword: String,
    pub text: String,
    pub table: Vec<Vec<String>>,
    pub docstring: Option<String>,
    /// One per run, in the order of the scenario's runs.
    pub marks: Vec<Mark>,
}

/// One run's status of a step or an Examples row.
pub struct Mark {
    pub status: Badge,
    /// "401go: passed".
    pub label: String,
}

pub struct ExamplesView {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<RowView>,
}

pub struct RowView {
    pub cells: Vec<String>,
    pub marks: Vec<Mark>,
}

/// One run of a scenario: for a profile, for an Examples row.
pub struct RunView {
    /// As every report names a run: "features/rfc/x.feature:12 [401go]".
    pub location: String,
    pub profile: Option<String>,
    /// The name it ran under, when it differs (an Examples row's).
    pub name: Option<String>,
    pub status: Badge,
    /// The step it stopped at ("Then the token …").
    pub stopped_at: Option<String>,
    pub reason: Option<String>,
    /// Its failed checks and known deviations.
    pub checks: Vec<CheckLine>,
    pub exchanges: Vec<ExchangeRecord>,
}

impl RunView {
    /// "401go" or "run", and the row's name for an outline.
    pub fn title(&self) -> String {
        let profile = self.profile.as_deref().unwrap_or("run");
        match &self.name {
            Some(n) => format!("{profile}: {n}"),
            None => profile.to_owned(),
        }
    }
}

/// A check outcome a run shows: failed, or failed as declared.
pub struct CheckLine {
    pub id: &'static str,
    pub level: String,
    pub source: &'static str,
    pub deviation: bool,
    pub detail: String,
}

/// An HTML id from any text: letters and digits, the rest `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

pub fn scenario_id(path: &str, line: usize) -> String {
    format!("s-{}-{line}", slug(path))
}

fn step_view(step: &StepText) -> StepView {
    StepView {
        keyword: step.keyword.trim().to_owned(),
        text: step.text.clone(),
        table: step.table.clone(),
        docstring: step.docstring.clone(),
        marks: Vec::new(),
    }
}

fn mark(record: &ScenarioRecord, status: Badge) -> Mark {
    let label = match &record.profile {
        Some(p) => format!("{p}: {}", status.label()),
        None => status.label().to_owned(),
    };
    Mark { status, label }
}

fn run_view(record: &ScenarioRecord, outline: bool) -> RunView {
    let outcome = record.outcome();
    let stopped = record
        .steps
        .iter()
        .find(|s| !matches!(Badge::of(&s.outcome), Badge::Passed));
    let checks = record
        .checks
        .iter()
        .filter_map(|c| {
            let (deviation, detail) = match (c.verdict.failed(), c.detail()) {
                (true, Some(d)) => (c.known_deviation(), d),
                _ => return None,
            };
            Some(CheckLine {
                id: c.check.id,
                level: c.check.level.to_string(),
                source: c.check.source,
                deviation,
                detail,
            })
        })
        .collect();
    RunView {
        location: record.location(),
        profile: record.profile.clone(),
        name: outline.then(|| record.name.clone()),
        status: Badge::of(&outcome),
        stopped_at: stopped.map(|s| format!("{} {}", s.keyword.trim(), s.text)),
        reason: stopped
            .and_then(|s| reason(&s.outcome))
            .or(reason(&outcome))
            .map(str::to_owned),
        checks,
        exchanges: record.exchanges.clone(),
    }
}

/// A step's status in one run: the record of the step at the same place
/// with the same text, else skipped (the run never started) or not reached.
fn step_status(record: &ScenarioRecord, index: usize, step: &StepText) -> Badge {
    match record.steps.get(index) {
        Some(s) if s.text == step.text => Badge::of(&s.outcome),
        _ if record.excluded.is_some() => Badge::Skipped,
        _ => Badge::NotReached,
    }
}

/// What a page knows of a scenario besides the text: its runs (a run
/// page) or why the profile cannot run it (a docs page).
pub enum Results<'a> {
    Run(Vec<&'a ScenarioRecord>),
    Docs(Option<&'a str>),
}

impl FeatureView {
    /// The feature as written, each scenario with what `results` says of it.
    pub fn new<'a>(
        feature: &FeatureRecord,
        mut results: impl FnMut(&ScenarioText) -> Results<'a>,
    ) -> Self {
        let scenarios: Vec<ScenarioView> = feature
            .scenarios
            .iter()
            .map(|s| scenario_view(feature, s, results(s)))
            .collect();
        FeatureView {
            id: format!("f-{}", slug(&feature.path)),
            path: feature.path.clone(),
            folder: feature.folder.clone(),
            name: feature.name.clone(),
            prose: blocks(&feature.description),
            tags: feature.tags.clone(),
            background: feature.background.iter().map(step_view).collect(),
            status: Badge::overall(scenarios.iter().map(|s| s.status)),
            scenarios,
        }
    }
}

fn scenario_view(feature: &FeatureRecord, s: &ScenarioText, results: Results<'_>) -> ScenarioView {
    let mut all_tags: Vec<String> = feature
        .tags
        .iter()
        .chain(&s.tags)
        .chain(s.examples.iter().flat_map(|e| &e.tags))
        .map(|t| t.trim_start_matches('@').to_owned())
        .collect();
    all_tags.dedup();
    let mut sources: Vec<String> = all_tags.iter().filter_map(|t| source_of_tag(t)).collect();
    sources.sort();
    sources.dedup();
    let outline = !s.examples.is_empty();
    let mut steps: Vec<StepView> = s.steps.iter().map(step_view).collect();
    let mut examples: Vec<ExamplesView> = s
        .examples
        .iter()
        .map(|e| ExamplesView {
            name: e.name.clone(),
            header: e.header.clone(),
            rows: e
                .rows
                .iter()
                .map(|r| RowView {
                    cells: r.cells.clone(),
                    marks: Vec::new(),
                })
                .collect(),
        })
        .collect();
    let (runs, note, status) = match results {
        Results::Docs(note) => (Vec::new(), note.map(str::to_owned), Badge::Stated),
        Results::Run(records) => {
            let background = feature.background.len();
            for record in &records {
                if outline {
                    let rows = s.examples.iter().flat_map(|e| &e.rows);
                    let views = examples.iter_mut().flat_map(|e| e.rows.iter_mut());
                    for (_, view) in rows.zip(views).filter(|(r, _)| r.line == record.line) {
                        view.marks.push(mark(record, Badge::of(&record.outcome())));
                    }
                } else {
                    for (i, (step, view)) in s.steps.iter().zip(steps.iter_mut()).enumerate() {
                        let status = step_status(record, background + i, step);
                        view.marks.push(mark(record, status));
                    }
                }
            }
            let runs: Vec<RunView> = records.iter().map(|r| run_view(r, outline)).collect();
            let status = Badge::overall(runs.iter().map(|r| r.status));
            (runs, None, status)
        }
    };
    ScenarioView {
        id: scenario_id(&feature.path, s.line),
        keyword: s.keyword.clone(),
        name: s.name.clone(),
        location: format!("{}:{}", feature.path, s.line),
        tags: s.tags.clone(),
        all_tags,
        sources,
        status,
        prose: blocks(&s.description),
        steps,
        examples,
        runs,
        note,
    }
}

/// Feature records for scenario records no feature file read explains (a
/// feature file changed or removed since the run): one feature per path,
/// one scenario per line, its steps as the first run recorded them. Every
/// scenario of a run is on its page.
pub fn orphans(records: &[&ScenarioRecord]) -> Vec<FeatureRecord> {
    let mut features: Vec<FeatureRecord> = Vec::new();
    for record in records {
        let position = features.iter().position(|f| f.path == record.path);
        let feature = match position {
            Some(i) => &mut features[i],
            None => {
                let name = match &record.profile {
                    Some(p) => record
                        .feature
                        .strip_suffix(&format!(" [{p}]"))
                        .unwrap_or(&record.feature),
                    None => &record.feature,
                };
                features.push(FeatureRecord {
                    path: record.path.clone(),
                    folder: "(not found in the features directory)".into(),
                    name: name.to_owned(),
                    ..FeatureRecord::default()
                });
                features.last_mut().expect("just pushed")
            }
        };
        if !feature.scenarios.iter().any(|s| s.line == record.line) {
            feature.scenarios.push(ScenarioText {
                keyword: "Scenario".into(),
                name: record.name.clone(),
                line: record.line,
                tags: record.tags.clone(),
                steps: record
                    .steps
                    .iter()
                    .map(|s| StepText {
                        keyword: s.keyword.clone(),
                        text: s.text.clone(),
                        ..StepText::default()
                    })
                    .collect(),
                ..ScenarioText::default()
            });
        }
    }
    features
}
