//! The features as written: what a page shows of a feature file beside the
//! results (its description, its tags, its scenarios and their steps), read
//! with cucumber's gherkin parser.
//!
//! A run's records say how each scenario went; these say what it states.
//! They are read from the files, once for a run (the features it ran) and
//! once for `docs` (every feature), never rebuilt from the results. A
//! Scenario Outline stays one outline with its Examples rows; cucumber runs
//! each row as a scenario of its own, numbered with the row's line
//! ([`ExampleRow::line`]), which is how a result finds its row.

use std::path::{Path, PathBuf};

use cucumber::gherkin;

/// One feature file.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FeatureRecord {
    /// The file, named as scenario records name it (relative to where the
    /// run started when it lies below it).
    pub path: String,
    /// Its folder below the features directory ("rfc", "guides/401go"),
    /// empty for a file at the top.
    pub folder: String,
    pub name: String,
    /// The description, one line of text per line of the file (blank lines
    /// between paragraphs kept).
    pub description: String,
    pub tags: Vec<String>,
    /// The Background steps every scenario of the feature runs first.
    pub background: Vec<StepText>,
    pub scenarios: Vec<ScenarioText>,
}

/// One Scenario, or one Scenario Outline with its Examples.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ScenarioText {
    /// "Scenario" or "Scenario Outline", as written.
    pub keyword: String,
    pub name: String,
    pub line: usize,
    pub description: String,
    /// Its own tags and those of its Rule, without the feature's.
    pub tags: Vec<String>,
    pub steps: Vec<StepText>,
    pub examples: Vec<ExamplesText>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct StepText {
    /// "Given ", "And ", ... as written.
    pub keyword: String,
    pub text: String,
    /// A data table under the step, rows of cells.
    pub table: Vec<Vec<String>>,
    pub docstring: Option<String>,
}

/// One Examples block of an outline.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExamplesText {
    pub name: String,
    pub tags: Vec<String>,
    pub header: Vec<String>,
    pub rows: Vec<ExampleRow>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExampleRow {
    /// The line cucumber gives the scenario it runs for this row.
    pub line: usize,
    pub cells: Vec<String>,
}

impl ScenarioText {
    /// Whether a scenario record at `line` is this scenario (or one row of
    /// this outline).
    pub fn has_line(&self, line: usize) -> bool {
        if self.examples.is_empty() {
            return self.line == line;
        }
        self.examples
            .iter()
            .flat_map(|e| &e.rows)
            .any(|r| r.line == line)
    }
}

impl FeatureRecord {
    /// The record of a parsed feature file; `features_dir` names its folder,
    /// `base` shortens its path.
    pub fn of(feature: &gherkin::Feature, features_dir: &Path, base: &Path) -> Self {
        let path = feature.path.as_deref();
        let folder = path
            .and_then(|p| p.parent())
            .and_then(|p| p.strip_prefix(features_dir).ok())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let mut scenarios: Vec<ScenarioText> =
            feature.scenarios.iter().map(|s| scenario(s, &[])).collect();
        for rule in &feature.rules {
            scenarios.extend(rule.scenarios.iter().map(|s| scenario(s, &rule.tags)));
        }
        Self {
            path: path.map_or_else(
                || feature.name.clone(),
                |p| super::scenario::relative(p, base),
            ),
            folder,
            name: feature.name.clone(),
            description: feature.description.clone().unwrap_or_default(),
            tags: feature.tags.clone(),
            background: feature
                .background
                .iter()
                .flat_map(|b| b.steps.iter().map(step))
                .collect(),
            scenarios,
        }
    }
}

fn step(s: &gherkin::Step) -> StepText {
    StepText {
        keyword: s.keyword.clone(),
        text: s.value.clone(),
        table: s.table.as_ref().map(|t| t.rows.clone()).unwrap_or_default(),
        docstring: s.docstring.clone(),
    }
}

fn scenario(s: &gherkin::Scenario, rule_tags: &[String]) -> ScenarioText {
    ScenarioText {
        keyword: s.keyword.clone(),
        name: s.name.clone(),
        line: s.position.line,
        description: s.description.clone().unwrap_or_default(),
        tags: rule_tags.iter().chain(&s.tags).cloned().collect(),
        steps: s.steps.iter().map(step).collect(),
        examples: s.examples.iter().map(examples).collect(),
    }
}

fn examples(e: &gherkin::Examples) -> ExamplesText {
    let rows = e.table.as_ref().map(|t| t.rows.as_slice()).unwrap_or(&[]);
    let (header, values) = match rows.split_first() {
        Some((header, values)) => (header.clone(), values),
        None => (Vec::new(), rows),
    };
    ExamplesText {
        name: e.name.clone().unwrap_or_default(),
        tags: e.tags.clone(),
        header,
        rows: values
            .iter()
            .enumerate()
            // cucumber's numbering of an expanded row: the Examples line,
            // then the header, then the rows.
            .map(|(i, cells)| ExampleRow {
                line: e.position.line + i + 2,
                cells: cells.clone(),
            })
            .collect(),
    }
}

/// The feature files at `features` (a file, or a directory searched
/// recursively), parsed, in path order; a file that cannot be read or
/// parsed is an error naming it.
pub fn read(features: &Path, base: &Path) -> (Vec<FeatureRecord>, Vec<String>) {
    let root = features
        .canonicalize()
        .unwrap_or_else(|_| features.to_owned());
    let (dir, files) = if root.is_file() {
        let dir = root.parent().map(Path::to_owned).unwrap_or_default();
        (dir, vec![root.clone()])
    } else {
        let mut files = Vec::new();
        feature_files(&root, &mut files);
        files.sort();
        (root, files)
    };
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        match gherkin::Feature::parse_path(&file, gherkin::GherkinEnv::default()) {
            Ok(feature) => {
                let mut record = FeatureRecord::of(&feature, &dir, base);
                if let Ok(text) = std::fs::read_to_string(&file) {
                    record.keep_paragraphs(&text, feature.position.line);
                }
                records.push(record);
            }
            Err(e) => errors.push(format!("{}: {e}", super::scenario::relative(&file, base))),
        }
    }
    (records, errors)
}

impl FeatureRecord {
    /// Puts back the blank lines between the paragraphs of the descriptions
    /// (the gherkin parser keeps a description's lines, not the blank ones
    /// between them), from the file's `text`.
    fn keep_paragraphs(&mut self, text: &str, feature_line: usize) {
        self.description = with_paragraphs(&self.description, text, feature_line);
        for s in &mut self.scenarios {
            s.description = with_paragraphs(&s.description, text, s.line);
        }
    }
}

/// `description` as parsed, with a blank line wherever the file has one
/// between two of its lines; as parsed when the file does not match it.
fn with_paragraphs(description: &str, text: &str, after_line: usize) -> String {
    if description.is_empty() {
        return String::new();
    }
    let mut wanted = description.lines().map(str::trim).peekable();
    let mut out: Vec<&str> = Vec::new();
    let mut blank = false;
    for line in text.lines().skip(after_line).map(str::trim) {
        let Some(next) = wanted.peek() else { break };
        if line.is_empty() {
            blank = !out.is_empty();
        } else if line == *next {
            if blank {
                out.push("");
            }
            out.push(line);
            wanted.next();
            blank = false;
        }
    }
    if wanted.peek().is_some() {
        return description.to_owned();
    }
    out.join("\n")
}

fn feature_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            feature_files(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("feature"))
        {
            out.push(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "@rfc @needs_api\n\
Feature: A feature\n\
  First paragraph, `code` in it.\n\
  Its second line.\n\
\n\
  - a list item\n\
\n\
  Background:\n\
    Given the profile under test\n\
\n\
  @rfc6750_3\n\
  Scenario: One statement\n\
    When the client calls the API\n\
    Then the API answers 401\n\
\n\
  Scenario Outline: A <thing> is refused\n\
    When the client sends <thing>\n\
    Then it is refused\n\
\n\
    Examples:\n\
      | thing |\n\
      | a     |\n\
      | b     |\n";

    fn parsed() -> FeatureRecord {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("rfc");
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(sub.join("a.feature"), TEXT).unwrap();
        std::fs::write(sub.join("broken.feature"), "Scenario: no feature\n").unwrap();
        let base = dir.path().canonicalize().unwrap();
        let (mut features, errors) = read(dir.path(), &base);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("rfc/broken.feature: "), "{errors:?}");
        features.remove(0)
    }

    #[test]
    fn a_feature_keeps_its_prose_tags_steps_and_outline_rows() {
        let f = parsed();
        assert_eq!(f.path, "rfc/a.feature");
        assert_eq!(f.folder, "rfc");
        assert_eq!(f.tags, ["rfc", "needs_api"]);
        assert_eq!(
            f.description,
            "First paragraph, `code` in it.\nIts second line.\n\n- a list item"
        );
        assert_eq!(f.background[0].text, "the profile under test");
        assert_eq!(f.scenarios.len(), 2);
        assert_eq!(f.scenarios[0].tags, ["rfc6750_3"]);
        assert_eq!(f.scenarios[0].steps[1].keyword.trim(), "Then");
        let outline = &f.scenarios[1];
        assert_eq!(outline.examples[0].header, ["thing"]);
        let lines: Vec<usize> = outline.examples[0].rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [22, 23]);
        assert!(outline.has_line(23) && !outline.has_line(outline.line));
        assert!(f.scenarios[0].has_line(12));
    }
}
