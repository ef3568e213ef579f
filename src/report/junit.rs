//! JUnit XML, the format CI systems read: one test suite per feature file,
//! one test case per scenario; a failed one carries the exchanges behind it
//! in its output. What the pre-flight found wrong with the run's identities
//! comes first, as a `set-up` suite without test cases (properties and
//! output). Built from the redacted records; the XML text is never
//! redacted (see [`super::redacted`]).

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::exchange::{BodyPreview, ExchangeRecord, HeaderRecord};
use super::results::{RunReport, ScenarioRecord, Verdict};

pub fn render(report: &RunReport) -> Result<String, super::ReportError> {
    let report = &report.redacted();
    let mut junit = Report::new("oauth-conformance");
    let set_up = report.set_up_lines();
    if !set_up.is_empty() {
        // First, without test cases: what the pre-flight found wrong with
        // the run's identities, as properties and as text.
        let mut suite = TestSuite::new("set-up");
        for line in &set_up {
            suite.add_property(("set-up", line.as_str()));
        }
        suite.set_system_out(set_up.join("\n"));
        junit.add_test_suite(suite);
    }
    let mut by_file: BTreeMap<&str, Vec<&ScenarioRecord>> = BTreeMap::new();
    for s in &report.scenarios {
        by_file.entry(s.path.as_str()).or_default().push(s);
    }
    for (path, scenarios) in by_file {
        let mut suite = TestSuite::new(path);
        for s in scenarios {
            let status = match s.outcome() {
                Verdict::Pass => TestCaseStatus::success(),
                Verdict::Fail(why) => {
                    let mut st = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    st.set_message(why.lines().next().unwrap_or("failed"));
                    st.set_description(why.as_str());
                    st
                }
                Verdict::Skip(why) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(why);
                    st
                }
                Verdict::NotRun(why) => {
                    let mut st = TestCaseStatus::skipped();
                    st.set_message(format!("not run: {why}"));
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
            let mut out = format!(
                "sources: {sources}\ntags: {}\n{}",
                s.tags.join(" "),
                checks.join("\n")
            );
            for exchange in &s.exchanges {
                out.push_str(&exchange_text(exchange));
            }
            case.set_system_out(out);
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    for (i, error) in report.parse_errors.iter().enumerate() {
        let mut suite = TestSuite::new(format!("feature-parse-error-{i}"));
        let mut st = TestCaseStatus::non_success(NonSuccessKind::Error);
        st.set_message(error.as_str());
        suite.add_test_case(TestCase::new("parse", st));
        junit.add_test_suite(suite);
    }
    Ok(junit.to_string()?)
}

/// An exchange as plain text: request line, headers, body; then the answer.
fn exchange_text(e: &ExchangeRecord) -> String {
    let headers = |list: &[HeaderRecord]| -> String {
        list.iter()
            .map(|h| format!("  {}: {}\n", h.name, h.value))
            .collect()
    };
    let body = |b: &Option<BodyPreview>| -> String {
        b.as_ref()
            .map(|b| format!("  body ({} bytes): {}\n", b.bytes, b.text))
            .unwrap_or_default()
    };
    let mut text = format!(
        "\nexchange #{}: {}\n{}{}",
        e.number,
        e.request_line(),
        headers(&e.request.headers),
        body(&e.request.body)
    );
    text.push_str(&format!("-> {}\n", e.response_line()));
    if let Some(r) = &e.response {
        text.push_str(&headers(&r.headers));
        text.push_str(&body(&r.body));
    }
    text
}
