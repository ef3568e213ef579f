//! JUnit XML, the format CI systems read: one test suite per feature file,
//! one test case per scenario.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::results::{Outcome, RunReport, ScenarioRecord};
use crate::redact::redact;

pub fn render(report: &RunReport) -> Result<String, super::ReportError> {
    let mut junit = Report::new("oauth-conformance");
    let mut by_file: BTreeMap<&str, Vec<&ScenarioRecord>> = BTreeMap::new();
    for s in &report.scenarios {
        by_file.entry(s.path.as_str()).or_default().push(s);
    }
    for (path, scenarios) in by_file {
        let mut suite = TestSuite::new(path);
        for s in scenarios {
            let status = match s.outcome() {
                Outcome::Passed => TestCaseStatus::success(),
                Outcome::Failed(why) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    st.set_message(redact(why.lines().next().unwrap_or("failed")));
                    st.set_description(redact(&why));
                    st
                }
                Outcome::Skipped(why) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(redact(&why));
                    st
                }
                Outcome::NotRun(why) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(redact(&format!("not run: {why}")));
                    st
                }
            };
            let mut case = TestCase::new(format!("{} (line {})", s.name, s.line), status);
            case.set_classname(
                s.path
                    .replace('/', ".")
                    .trim_end_matches(".feature")
                    .to_owned(),
            );
            let sources = s.sources().join(", ");
            let checks: Vec<String> = s.checks.iter().map(|c| c.describe()).collect();
            case.set_system_out(redact(&format!(
                "sources: {sources}\ntags: {}\n{}",
                s.tags.join(" "),
                checks.join("\n")
            )));
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    for (i, error) in report.parse_errors.iter().enumerate() {
        let mut suite = TestSuite::new(format!("feature-parse-error-{i}"));
        let mut st = TestCaseStatus::non_success(NonSuccessKind::Error);
        st.set_message(redact(error));
        suite.add_test_case(TestCase::new("parse", st));
        junit.add_test_suite(suite);
    }
    Ok(junit.to_string()?)
}
