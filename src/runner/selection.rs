//! Which scenarios a run runs, and for which profile.
//!
//! Features come in three kinds, told apart by their folder:
//! - **RFC features** (`features/rfc/`) never name a profile. Each runs once
//!   for every profile under test, and a scenario that needs a capability the
//!   profile does not declare (`@needs_api`, see [`crate::profile::Need`]) is skipped with
//!   the reason, never failed.
//! - **Guide features** (`features/guides/<guide>/`) hold one provider
//!   guide's own statements. Each runs once for every profile under test
//!   that declares that guide (`guides = ["401go"]`).
//! - **Other features** (the client's own behaviour, the harness) name the
//!   built-in profile they are written for; they run when no profile tag of
//!   theirs excludes them.
//!
//! A copy of a feature made for a profile carries the tag
//! `profile:<name>` (read by the World to know its profile) and the plain
//! profile name (so `--tags @401go` still selects it), and its name says
//! which profile it is for.

use std::path::{Component, Path, PathBuf};
use std::str::FromStr as _;
use std::sync::{Arc, Mutex};

use cucumber::gherkin;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::parser::{self, Parser};
use cucumber::tag::Ext as _;
use futures::StreamExt as _;
use futures::stream::{self, LocalBoxStream};

use super::{RunError, RunOptions};
use crate::profile::{BUILT_IN, Profile};
use crate::report::results::ScenarioRecord;
use crate::report::scenario::{PROFILE_TAG, ScenarioKey, profile_of};

/// Why a `@mock` scenario is not run against a real target.
pub const MOCK_ONLY: &str = "tagged @mock: it arranges server behaviour only the embedded mock offers (virtual time, faults); it runs when no target is set";

/// The tag of the suite's proofs of itself, left out of a run without
/// `--self-test` (see [`crate::runner::RunOptions::self_test`]).
pub const SELF_TEST_TAG: &str = "harness";

/// What kind of feature a file is, from where it lies below the features
/// directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FeatureKind {
    Rfc,
    Guide(String),
    Other,
}

impl FeatureKind {
    pub fn of(path: Option<&Path>, features_dir: &Path) -> Self {
        let Some(relative) = path.and_then(|p| p.strip_prefix(features_dir).ok()) else {
            return FeatureKind::Other;
        };
        let mut parts = relative.components().filter_map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        });
        match (parts.next(), parts.next()) {
            (Some("rfc"), _) => FeatureKind::Rfc,
            (Some("guides"), Some(guide)) if !guide.ends_with(".feature") => {
                FeatureKind::Guide(guide.to_owned())
            }
            _ => FeatureKind::Other,
        }
    }
}

/// Cucumber's own parser, with every RFC and guide feature copied once per
/// profile under test it applies to.
pub struct PerProfile {
    pub features_dir: PathBuf,
    pub under_test: Vec<Profile>,
}

impl PerProfile {
    fn expand(&self, feature: gherkin::Feature) -> Vec<gherkin::Feature> {
        let kind = FeatureKind::of(feature.path.as_deref(), &self.features_dir);
        let applies = |p: &Profile| match &kind {
            FeatureKind::Rfc => true,
            FeatureKind::Guide(g) => p.guides.iter().any(|pg| pg == g),
            FeatureKind::Other => false,
        };
        if kind == FeatureKind::Other {
            return vec![feature];
        }
        self.under_test
            .iter()
            .filter(|p| applies(p))
            .map(|p| {
                let mut copy = feature.clone();
                copy.name = format!("{} [{}]", feature.name, p.name);
                copy.tags.push(format!("{PROFILE_TAG}{}", p.name));
                copy.tags.push(p.name.clone());
                copy
            })
            .collect()
    }
}

impl<I: AsRef<Path>> Parser<I> for PerProfile {
    type Cli = <parser::Basic as Parser<I>>::Cli;
    type Output = LocalBoxStream<'static, parser::Result<gherkin::Feature>>;

    fn parse(self, input: I, cli: Self::Cli) -> Self::Output {
        stream::iter(parsed_once(input.as_ref(), cli).as_ref().clone())
            .flat_map(move |parsed| {
                let copies: Vec<parser::Result<gherkin::Feature>> = match parsed {
                    Ok(feature) => self.expand(feature).into_iter().map(Ok).collect(),
                    Err(e) => vec![Err(e)],
                };
                stream::iter(copies)
            })
            .boxed_local()
    }
}

/// The feature files under a directory as parsed, with what they were
/// parsed from: each file's path, modification time and length.
struct Parsed {
    files: Vec<(PathBuf, Option<std::time::SystemTime>, u64)>,
    features: Arc<Vec<parser::Result<gherkin::Feature>>>,
}

/// The features under `input`, parsed once per process while no file
/// changes: the fault proofs start a nested run per fault, and parsing the
/// whole directory each time cost more than running the scenarios a proof
/// needs.
fn parsed_once(
    input: &Path,
    cli: <parser::Basic as Parser<PathBuf>>::Cli,
) -> Arc<Vec<parser::Result<gherkin::Feature>>> {
    static PARSED: std::sync::LazyLock<Mutex<std::collections::HashMap<PathBuf, Parsed>>> =
        std::sync::LazyLock::new(Default::default);
    let files = feature_files(input);
    let mut cache = PARSED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(parsed) = cache.get(input).filter(|p| p.files == files) {
        return parsed.features.clone();
    }
    let features: Arc<Vec<_>> = Arc::new(
        parser::Basic::new()
            .parse(input.to_path_buf(), cli)
            .into_inner()
            .collect(),
    );
    cache.insert(
        input.to_path_buf(),
        Parsed {
            files,
            features: features.clone(),
        },
    );
    features
}

/// Every file below `dir` (or `dir` itself, a file), with its modification
/// time and length, sorted: what decides whether a parse is still current.
fn feature_files(dir: &Path) -> Vec<(PathBuf, Option<std::time::SystemTime>, u64)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(path) = pending.pop() {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            if let Ok(entries) = std::fs::read_dir(&path) {
                pending.extend(entries.filter_map(Result::ok).map(|e| e.path()));
            }
        } else {
            files.push((path, meta.modified().ok(), meta.len()));
        }
    }
    files.sort();
    files
}

pub fn all_tags<'a>(
    feature: &'a gherkin::Feature,
    rule: Option<&'a gherkin::Rule>,
    scenario: &'a gherkin::Scenario,
) -> impl Iterator<Item = &'a String> + Clone {
    feature
        .tags
        .iter()
        .chain(rule.into_iter().flat_map(|r| r.tags.iter()))
        .chain(scenario.tags.iter())
}

/// The report's record of a scenario that was selected but not started.
fn excluded_record(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    base: &Path,
    why: &str,
) -> ScenarioRecord {
    let key = ScenarioKey::of(feature, scenario, base);
    ScenarioRecord {
        feature: feature.name.clone(),
        path: key.path,
        line: key.line,
        name: key.name,
        profile: key.profile,
        tags: visible_tags(all_tags(feature, rule, scenario)),
        steps: Vec::new(),
        checks: Vec::new(),
        excluded: Some(why.to_owned()),
        exchanges: Vec::new(),
    }
}

/// Tags as a reader wrote them: the `profile:` marker left out.
pub fn visible_tags<'a>(tags: impl Iterator<Item = &'a String>) -> Vec<String> {
    tags.filter(|t| !t.starts_with(PROFILE_TAG))
        .cloned()
        .collect()
}

/// Which scenarios run: the name regex, the tag expression and the profiles
/// under test select them; then a scenario that needs what its profile does
/// not declare, or (on a real target) one tagged `@mock`, is set aside and
/// reported as skipped with the reason.
pub struct ScenarioFilter {
    tags: Option<TagOperation>,
    name: Option<regex::Regex>,
    /// The names of the profiles under test.
    under_test: Vec<Profile>,
    on_sandbox: bool,
    /// Whether `@harness` scenarios (the self-test) are selected.
    self_test: bool,
    /// Only these scenarios, when set (a fault proof's run).
    only: Option<Arc<std::collections::BTreeSet<ScenarioKey>>>,
    base: PathBuf,
    /// Selected scenarios that are not started, for the report.
    pub excluded: Arc<Mutex<Vec<ScenarioRecord>>>,
    /// `@needs_…` tags no capability answers to: feature file errors.
    pub bad_tags: Arc<Mutex<Vec<String>>>,
    /// How many scenarios each filter removed, to explain an empty run.
    pub tally: Arc<Mutex<FilterTally>>,
}

/// Which filter removed how many scenarios.
#[derive(Clone, Copy, Debug, Default)]
pub struct FilterTally {
    seen: usize,
    by_name: usize,
    by_tags: usize,
    by_profile: usize,
    by_self_test: usize,
    by_proof: usize,
}

impl FilterTally {
    /// "of 211 scenarios in features/, the tag expression "@x" removed 211".
    pub fn explain(&self, options: &RunOptions) -> String {
        let mut parts = Vec::new();
        if let Some(name) = &options.name {
            parts.push(format!("the name filter {name:?} removed {}", self.by_name));
        }
        if let Some(tags) = &options.tags {
            parts.push(format!(
                "the tag expression {tags:?} removed {}",
                self.by_tags
            ));
        }
        if self.by_profile > 0 || options.profile.is_some() {
            let profiles = options
                .profile
                .as_ref()
                .map_or("the built-in profiles".to_owned(), |p| {
                    format!("the profile {:?}", p.name)
                });
            parts.push(format!(
                "{profiles} removed {} (features written for another profile)",
                self.by_profile
            ));
        }
        if self.by_proof > 0 {
            parts.push(format!(
                "the fault proof's selection (the scenarios that reached its check in the conforming run) removed {}",
                self.by_proof
            ));
        }
        if self.by_self_test > 0 {
            parts.push(format!(
                "the self-test (@harness) left out {}: it runs with --self-test and in cargo test",
                self.by_self_test
            ));
        }
        let what = if parts.is_empty() {
            "no filter was set".to_owned()
        } else {
            parts.join(", ")
        };
        format!(
            "of {} scenarios in {}, {what}. Loosen the filter, or check the features directory",
            self.seen,
            options.features.display()
        )
    }
}

impl ScenarioFilter {
    pub fn new(
        options: &RunOptions,
        under_test: Vec<Profile>,
        base: PathBuf,
    ) -> Result<Self, RunError> {
        let tags = options
            .tags
            .as_deref()
            .map(|t| {
                TagOperation::from_str(t).map_err(|e| RunError::BadTags {
                    expression: t.to_owned(),
                    detail: e.to_string(),
                })
            })
            .transpose()?;
        let name = options
            .name
            .as_deref()
            .map(|n| {
                regex::Regex::new(n).map_err(|e| RunError::BadName {
                    pattern: n.to_owned(),
                    detail: e.to_string(),
                })
            })
            .transpose()?;
        Ok(Self {
            tags,
            name,
            under_test,
            on_sandbox: !options.target.is_mock(),
            self_test: options.self_test,
            only: options.only.clone(),
            base,
            excluded: Arc::default(),
            bad_tags: Arc::default(),
            tally: Arc::default(),
        })
    }

    /// A feature written for a built-in profile that is not under test (a
    /// tag naming it) is not for this run.
    fn for_another_profile<'a>(&self, mut tags: impl Iterator<Item = &'a String>) -> bool {
        let is_profile = |t: &str| BUILT_IN.iter().any(|(n, _)| *n == t);
        let named: Vec<&String> = tags.by_ref().filter(|t| is_profile(t)).collect();
        !named.is_empty()
            && !named
                .iter()
                .any(|t| self.under_test.iter().any(|p| p.name == t.as_str()))
    }

    /// Why the scenario's profile cannot run it, if it cannot. On the
    /// embedded mock, what the mock provides for every profile (see
    /// [`Need::provided_by_mock`]) is never missing.
    fn missing_capability<'a>(
        &self,
        profile: &str,
        tags: impl Iterator<Item = &'a String>,
        at: &str,
    ) -> Option<String> {
        let profile = self.under_test.iter().find(|p| p.name == profile)?;
        profile
            .unmet_need(tags, self.on_sandbox)
            .unwrap_or_else(|e| {
                self.bad_tags
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(format!("{at}: {e}"));
                Some(e.to_string())
            })
    }

    pub fn selects(
        &self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
    ) -> bool {
        let tags = || all_tags(feature, rule, scenario);
        {
            let mut tally = self.tally.lock().unwrap_or_else(|e| e.into_inner());
            tally.seen += 1;
            if !self
                .name
                .as_ref()
                .is_none_or(|re| re.is_match(&scenario.name))
            {
                tally.by_name += 1;
                return false;
            }
            if !self.tags.as_ref().is_none_or(|t| t.eval(tags())) {
                tally.by_tags += 1;
                return false;
            }
            if !self.self_test && tags().any(|t| t == SELF_TEST_TAG) {
                tally.by_self_test += 1;
                return false;
            }
            if profile_of(feature).is_none() && self.for_another_profile(tags()) {
                tally.by_profile += 1;
                return false;
            }
        }
        let key = ScenarioKey::of(feature, scenario, &self.base);
        if self.only.as_ref().is_some_and(|only| !only.contains(&key)) {
            self.tally
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .by_proof += 1;
            return false;
        }
        let why = profile_of(feature)
            .and_then(|p| self.missing_capability(p, tags(), &key.location()))
            .or_else(|| {
                (self.on_sandbox && tags().any(|t| t == "mock")).then(|| MOCK_ONLY.to_owned())
            });
        if let Some(why) = why {
            self.excluded
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(excluded_record(feature, rule, scenario, &self.base, &why));
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feature_is_rfc_guide_or_other_by_its_folder() {
        let dir = Path::new("/x/features");
        let kind = |p: &str| FeatureKind::of(Some(Path::new(p)), dir);
        assert_eq!(
            kind("/x/features/rfc/token_endpoint.feature"),
            FeatureKind::Rfc
        );
        assert_eq!(
            kind("/x/features/guides/401go/client_credentials.feature"),
            FeatureKind::Guide("401go".into())
        );
        assert_eq!(kind("/x/features/guides/loose.feature"), FeatureKind::Other);
        assert_eq!(
            kind("/x/features/harness/errors.feature"),
            FeatureKind::Other
        );
        assert_eq!(kind("/elsewhere/rfc/x.feature"), FeatureKind::Other);
    }

    fn feature(path: &str) -> gherkin::Feature {
        gherkin::Feature {
            keyword: "Feature".into(),
            name: "F".into(),
            description: None,
            background: None,
            scenarios: Vec::new(),
            rules: Vec::new(),
            tags: vec!["rfc".into()],
            span: Default::default(),
            position: Default::default(),
            path: Some(PathBuf::from(path)),
        }
    }

    #[test]
    fn rfc_features_are_copied_per_profile_and_guides_per_declaring_profile() {
        let under_test: Vec<Profile> = BUILT_IN
            .iter()
            .map(|(n, _)| Profile::load(n).unwrap())
            .collect();
        let expander = PerProfile {
            features_dir: PathBuf::from("/f"),
            under_test,
        };
        let rfc = expander.expand(feature("/f/rfc/a.feature"));
        let names: Vec<Option<&str>> = rfc.iter().map(profile_of).collect();
        assert_eq!(
            names,
            vec![
                Some("401go"),
                Some("json-body"),
                Some("login3"),
                Some("rfc6749")
            ]
        );
        assert_eq!(rfc[0].name, "F [401go]");
        assert!(rfc[0].tags.contains(&"401go".to_owned()));
        let guide = expander.expand(feature("/f/guides/login3/a.feature"));
        assert_eq!(guide.len(), 1);
        assert_eq!(profile_of(&guide[0]), Some("login3"));
        let other = expander.expand(feature("/f/harness/a.feature"));
        assert_eq!(other.len(), 1);
        assert_eq!(profile_of(&other[0]), None);
    }
}
