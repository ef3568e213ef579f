//! The page model: everything a page shows, as plain data the templates
//! lay out, built from redacted records only (a run's [`RunReport`], or the
//! features alone for `docs`).

use std::collections::BTreeSet;

use super::checks::{self, CheckGroup, DeviationRow};
use super::nav::{self, Folder, SourceNav};
use super::scenarios::{FeatureView, Results, orphans};
use super::status::Badge;
use crate::report::docs::DocsReport;
use crate::report::results::{CheckTally, RunReport, RunStatus, ScenarioRecord};

pub struct Page {
    pub title: String,
    /// A run's report (with results and filters for failures), or the docs.
    pub run: bool,
    pub facts: Vec<Fact>,
    /// The run's end: "passed", "failed", "nothing checked".
    pub verdict: Option<Fact>,
    pub counts: Vec<Count>,
    /// MUST, SHOULD and guide-level check outcomes.
    pub levels: Vec<Fact>,
    pub parse_errors: Vec<String>,
    /// What the pre-flight found wrong with the run's identities, first on
    /// the page.
    pub set_up: Vec<String>,
    pub failures: Vec<Attention>,
    pub set_aside: Vec<Attention>,
    /// Why scenarios were set aside, most frequent first, with how many.
    pub reasons: Vec<(String, usize)>,
    /// The features, by folder.
    pub folders: Vec<Folder>,
    pub sources: Vec<SourceNav>,
    pub checks: Vec<CheckGroup>,
    pub deviations: Vec<DeviationRow>,
    /// Every tag, for the tag filter.
    pub tags: Vec<String>,
    /// The order of a step's marks: the profiles under test.
    pub run_order: String,
}

pub struct Fact {
    pub label: &'static str,
    pub value: String,
    /// A status class for the value, or "".
    pub class: &'static str,
}

fn fact(label: &'static str, value: impl Into<String>) -> Fact {
    Fact {
        label,
        value: value.into(),
        class: "",
    }
}

pub struct Count {
    pub label: &'static str,
    pub n: usize,
    pub class: &'static str,
}

/// A run that needs a reader's attention: it failed, or it was set aside.
pub struct Attention {
    /// The scenario's anchor.
    pub id: String,
    pub name: String,
    pub location: String,
    pub status: Badge,
    pub reason: String,
}

/// Where a folder comes on the page: the RFCs, then the guides, then the
/// client's own behaviour, then the harness.
fn folder_rank(folder: &str) -> usize {
    ["rfc", "guides", "client", "harness"]
        .iter()
        .position(|f| folder == *f || folder.starts_with(&format!("{f}/")))
        .unwrap_or(4)
        + usize::from(folder.starts_with('('))
}

fn ordered(mut features: Vec<FeatureView>) -> Vec<FeatureView> {
    features.sort_by(|a, b| {
        (folder_rank(&a.folder), &a.folder, &a.path).cmp(&(
            folder_rank(&b.folder),
            &b.folder,
            &b.path,
        ))
    });
    features
}

fn all_tags(folders: &[Folder]) -> Vec<String> {
    let tags: BTreeSet<&String> = folders
        .iter()
        .flat_map(|f| &f.features)
        .flat_map(|f| &f.scenarios)
        .flat_map(|s| &s.all_tags)
        .collect();
    tags.into_iter().cloned().collect()
}

fn level_fact(label: &'static str, t: &CheckTally) -> Fact {
    let mut value = format!("{} passed, {} failed", t.passed, t.failed);
    if t.deviations > 0 {
        value.push_str(&format!(", {} known deviation", t.deviations));
    }
    if t.skipped > 0 {
        value.push_str(&format!(", {} skipped", t.skipped));
    }
    let class = match (t.failed, t.deviations) {
        (1.., _) => "failed",
        (0, 1..) => "deviation",
        _ if t.passed > 0 => "passed",
        _ => "skipped",
    };
    Fact {
        label,
        value,
        class,
    }
}

fn duration(d: std::time::Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        format!("{} min {:.0} s", (s / 60.0).floor(), s % 60.0)
    }
}

impl Page {
    /// The page of a run, from its redacted records.
    pub fn of_run(report: &RunReport) -> Page {
        let profile_rank = |r: &ScenarioRecord| {
            r.profile
                .as_ref()
                .and_then(|p| report.profiles.iter().position(|q| q == p))
        };
        let mut used = vec![false; report.scenarios.len()];
        let mut features: Vec<FeatureView> = report
            .features
            .iter()
            .map(|f| {
                FeatureView::new(f, |s| {
                    let mut runs: Vec<(usize, &ScenarioRecord)> = report
                        .scenarios
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.path == f.path && s.has_line(r.line))
                        .collect();
                    runs.sort_by_key(|(_, r)| (profile_rank(r), r.line));
                    runs.iter().for_each(|(i, _)| used[*i] = true);
                    Results::Run(runs.into_iter().map(|(_, r)| r).collect())
                })
            })
            .collect();
        let left: Vec<&ScenarioRecord> = report
            .scenarios
            .iter()
            .zip(&used)
            .filter(|(_, used)| !**used)
            .map(|(r, _)| r)
            .collect();
        for f in orphans(&left) {
            features.push(FeatureView::new(&f, |s| {
                Results::Run(
                    left.iter()
                        .filter(|r| r.path == f.path && r.line == s.line)
                        .copied()
                        .collect(),
                )
            }));
        }
        let folders = nav::folders(ordered(features));
        let (mut failures, mut set_aside) = (Vec::new(), Vec::new());
        let features = folders.iter().flat_map(|f| &f.features);
        for s in features.flat_map(|f| &f.scenarios) {
            for run in &s.runs {
                let attention = Attention {
                    id: s.id.clone(),
                    name: run.name.clone().unwrap_or(s.name.clone()),
                    location: run.location.clone(),
                    status: run.status,
                    reason: first_line(run.reason.as_deref()),
                };
                match run.status {
                    Badge::Failed => failures.push(attention),
                    Badge::Skipped | Badge::NotRun => set_aside.push(attention),
                    _ => {}
                }
            }
        }
        let c = report.counts();
        let (mut must, mut should, mut derived, mut guide) = Default::default();
        for g in report.by_check_source() {
            add(&mut must, &g.must);
            add(&mut should, &g.should);
            add(&mut derived, &g.derived);
            add(&mut guide, &g.guide);
        }
        let verdict = match report.status() {
            RunStatus::Passed => ("passed", "passed"),
            RunStatus::Failed => ("failed", "failed"),
            RunStatus::NothingChecked => ("nothing checked", "not-run"),
        };
        let mut facts = vec![
            fact("Target", report.target.clone()),
            fact("Profiles", profiles_text(&report.profiles)),
            fact("Started", report.started_at.clone()),
            fact("Duration", duration(report.duration)),
        ];
        if !report.origins.is_empty() {
            let origins = crate::report::origins::short_list(&report.origins);
            facts.insert(1, fact("Origins contacted", origins.join("; ")));
        }
        if report.strict {
            facts.push(fact(
                "Strict",
                "a failed SHOULD or DERIVED check fails the run",
            ));
        }
        Page {
            title: "OAuth 2.0 conformance report".into(),
            run: true,
            facts,
            verdict: Some(Fact {
                label: "Result",
                value: verdict.0.into(),
                class: verdict.1,
            }),
            counts: vec![
                count("passed", c.passed, "passed"),
                count("failed", c.failed, "failed"),
                count("skipped", c.skipped, "skipped"),
                count("not run", c.not_run, "not-run"),
                count("feature file errors", report.parse_errors.len(), "failed"),
            ]
            .into_iter()
            .filter(|c| c.n > 0 || c.label != "feature file errors")
            .collect(),
            levels: vec![
                level_fact("MUST", &must),
                level_fact("SHOULD", &should),
                level_fact("DERIVED", &derived),
                level_fact("GUIDE", &guide),
            ],
            parse_errors: report.parse_errors.clone(),
            set_up: report.set_up_lines(),
            failures,
            set_aside,
            reasons: report.set_aside_reasons(),
            sources: nav::sources(&folders),
            tags: all_tags(&folders),
            checks: checks::run_table(report),
            deviations: checks::deviations(report),
            run_order: report.profiles.join(", "),
            folders,
        }
    }

    /// The docs page: the features alone, from their redacted records.
    pub fn of_docs(docs: &DocsReport) -> Page {
        let folders = nav::folders(ordered(
            docs.features
                .iter()
                .map(|f| FeatureView::new(f, |s| Results::Docs(docs.set_aside(&f.path, s.line))))
                .collect(),
        ));
        let features = || folders.iter().flat_map(|f| &f.features);
        let set_aside: Vec<Attention> = features()
            .flat_map(|f| &f.scenarios)
            .filter_map(|s| {
                Some(Attention {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    location: s.location.clone(),
                    status: Badge::Skipped,
                    reason: s.note.clone()?,
                })
            })
            .collect();
        let scenarios: usize = features().map(|f| f.scenarios.len()).sum();
        let mut facts = vec![
            fact(
                "Profile",
                docs.profile
                    .as_deref()
                    .map_or("every feature (no profile chosen)".to_owned(), |p| {
                        format!("{p}: the RFC features and the guides it declares")
                    }),
            ),
            fact("Made", docs.generated_at.clone()),
            fact("Features", features().count().to_string()),
            fact("Scenarios", scenarios.to_string()),
        ];
        if let Some(p) = &docs.profile {
            facts.push(fact(
                "Set aside",
                format!("{} scenario(s) {p} cannot run", set_aside.len()),
            ));
        }
        Page {
            title: match &docs.profile {
                Some(p) => format!("OAuth 2.0 conformance features for {p}"),
                None => "OAuth 2.0 conformance features".into(),
            },
            run: false,
            facts,
            verdict: None,
            counts: Vec::new(),
            levels: Vec::new(),
            parse_errors: docs.parse_errors.clone(),
            set_up: Vec::new(),
            failures: Vec::new(),
            set_aside,
            reasons: Vec::new(),
            sources: nav::sources(&folders),
            tags: all_tags(&folders),
            checks: checks::catalogue_table(),
            deviations: Vec::new(),
            run_order: String::new(),
            folders,
        }
    }
}

fn add(sum: &mut CheckTally, t: &CheckTally) {
    sum.passed += t.passed;
    sum.failed += t.failed;
    sum.deviations += t.deviations;
    sum.skipped += t.skipped;
}

/// The first line of a reason, for a list; the whole is with its scenario.
fn first_line(reason: Option<&str>) -> String {
    let line = reason.and_then(|r| r.lines().next()).unwrap_or_default();
    match line.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

fn count(label: &'static str, n: usize, class: &'static str) -> Count {
    Count { label, n, class }
}

fn profiles_text(profiles: &[String]) -> String {
    if profiles.is_empty() {
        "(none)".into()
    } else {
        profiles.join(", ")
    }
}
