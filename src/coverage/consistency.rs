//! The catalogue and the requirements file agree: every catalogue check that
//! cites a document in scope tests at least one requirement, and cites the
//! section and level of one row that names it (catalogue levels and sources
//! follow the file). A check citing a document the file does not cover
//! (e.g. RFC 8414) needs no row.

use super::requirements::{Requirements, Source};
use crate::checks::Check;

/// What does not agree, one sentence each; empty when all is well.
pub fn problems(requirements: &Requirements, catalogue: &[&'static Check]) -> Vec<String> {
    let documents = requirements.documents();
    let file = requirements.path.display();
    let mut out = Vec::new();
    for check in catalogue {
        let Some(cited) = Source::parse(check.source) else {
            out.push(format!(
                "check {} cites {:?}, which is neither an RFC section nor a seed",
                check.id, check.source
            ));
            continue;
        };
        if !documents.contains(&cited.document.as_str()) {
            continue;
        }
        let rows: Vec<_> = requirements
            .requirements
            .iter()
            .filter(|r| r.checks.contains(&check.id))
            .collect();
        if rows.is_empty() {
            out.push(format!(
                "check {} ({} {}) tests no requirement: name it in the `checks` of a row of {file}",
                check.id, check.level, check.source
            ));
            continue;
        }
        let cites_one = rows
            .iter()
            .any(|r| r.source.covers(&cited) && r.bucket.fits(check.level));
        if !cites_one {
            let named: Vec<String> = rows
                .iter()
                .map(|r| format!("{} ({}, {})", r.id, r.source_text, r.bucket))
                .collect();
            out.push(format!(
                "check {} is {} and cites {}, but no row naming it has that section and level: {}",
                check.id,
                check.level,
                check.source,
                named.join("; ")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalogue;
    use crate::checks::{Check, Level, Side};
    use std::path::Path;

    fn spec() -> Requirements {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/requirements.toml");
        Requirements::load(&path, catalogue::ALL).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The acceptance test of the catalogue against spec/requirements.toml:
    /// a check that maps to no requirement, or cites another section or
    /// level than its rows, fails here (an unknown id in the file fails
    /// loading it).
    #[test]
    fn every_catalogue_check_tests_a_requirement_at_its_level() {
        let problems = problems(&spec(), catalogue::ALL);
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    static ORPHAN: Check = Check {
        id: "orphan-check",
        level: Level::Must,
        side: Side::Client,
        source: "RFC 6749 §3.2",
        requirement: "r",
    };
    static MISLABELLED: Check = Check {
        id: "token-request-post",
        level: Level::Should,
        side: Side::Client,
        source: "RFC 6749 §3.2",
        requirement: "r",
    };
    static ELSEWHERE: Check = Check {
        id: "registration-response",
        level: Level::Must,
        side: Side::Client,
        source: "RFC 7591 §3.2.1",
        requirement: "r",
    };

    #[test]
    fn orphans_and_mislabels_are_named_and_other_documents_pass() {
        let found = problems(&spec(), &[&ORPHAN, &MISLABELLED, &ELSEWHERE]);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("orphan-check") && found[0].contains("tests no requirement"));
        assert!(
            found[1].contains("token-request-post is SHOULD"),
            "{}",
            found[1]
        );
    }
}
