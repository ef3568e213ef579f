//! The features as documentation, without a run: what `docs --html`
//! renders. For a profile, the features it would run, with each scenario it
//! cannot run and why (the same reason a run would skip it with).

use super::features::FeatureRecord;

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct DocsReport {
    /// When the page was made (RFC 3339, UTC).
    pub generated_at: String,
    /// The profile the features are shown for; unset: every feature.
    pub profile: Option<String>,
    pub features: Vec<FeatureRecord>,
    /// The scenarios the profile cannot run.
    pub set_aside: Vec<SetAsideNote>,
    /// Feature files that could not be read or parsed, with why.
    pub parse_errors: Vec<String>,
}

/// One scenario a profile cannot run: its feature file, its line, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct SetAsideNote {
    pub path: String,
    pub line: usize,
    pub reason: String,
}

impl DocsReport {
    /// Why the profile cannot run the scenario at `path`:`line`, if it cannot.
    pub fn set_aside(&self, path: &str, line: usize) -> Option<&str> {
        self.set_aside
            .iter()
            .find(|n| n.path == path && n.line == line)
            .map(|n| n.reason.as_str())
    }
}
