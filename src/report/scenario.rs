//! Which scenario a record is of.
//!
//! A scenario is named by its feature file, its line and its name, and, for
//! a feature the runner copies once per profile under test, by that profile:
//! the copy carries a `profile:<name>` tag.

use std::path::Path;

use cucumber::gherkin;

/// The tag prefix that says which profile a copy of a feature is for (the
/// runner copies RFC and guide features once per profile under test).
pub const PROFILE_TAG: &str = "profile:";

/// The profile a feature copy is for, from its `profile:<name>` tag.
pub fn profile_of(feature: &gherkin::Feature) -> Option<&str> {
    feature
        .tags
        .iter()
        .find_map(|t| t.strip_prefix(PROFILE_TAG))
}

/// A feature file's path as records name it: relative to `base` when it
/// lies below it.
pub fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Identifies a scenario (an outline's example row is its own scenario; a
/// feature run for several profiles has one scenario per profile).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScenarioKey {
    pub path: String,
    pub line: usize,
    pub name: String,
    /// The profile under test, for a copy made per profile.
    pub profile: Option<String>,
}

impl ScenarioKey {
    /// The key of `scenario`, its feature file's path relative to `base`
    /// when it lies below it.
    pub fn of(feature: &gherkin::Feature, scenario: &gherkin::Scenario, base: &Path) -> Self {
        Self {
            path: feature
                .path
                .as_deref()
                .map_or_else(|| feature.name.clone(), |p| relative(p, base)),
            line: scenario.position.line,
            name: scenario.name.clone(),
            profile: profile_of(feature).map(str::to_owned),
        }
    }

    /// "features/rfc/x.feature:12 [401go]".
    pub fn location(&self) -> String {
        match &self.profile {
            Some(p) => format!("{}:{} [{p}]", self.path, self.line),
            None => format!("{}:{}", self.path, self.line),
        }
    }
}
