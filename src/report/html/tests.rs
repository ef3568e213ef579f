//! The page model, and the page rendered from it.

use super::page::Page;
use super::status::Badge;
use crate::checks::{CheckOutcome, catalogue};
use crate::client::{HttpAnswer, HttpRequest};
use crate::report::docs::{DocsReport, SetAsideNote};
use crate::report::exchange::ExchangeRecord;
use crate::report::features::{ExampleRow, ExamplesText, FeatureRecord, ScenarioText, StepText};
use crate::report::results::{
    DeviationFinding, DeviationResult, RunReport, ScenarioRecord, StepRecord, Verdict,
};

const PATH: &str = "features/rfc/token_endpoint.feature";

fn step(keyword: &str, text: &str) -> StepText {
    StepText {
        keyword: keyword.into(),
        text: text.into(),
        ..StepText::default()
    }
}

fn feature() -> FeatureRecord {
    let outline = ScenarioText {
        keyword: "Scenario Outline".into(),
        name: "A <thing> is refused".into(),
        line: 30,
        steps: vec![step("When ", "the client sends <thing>")],
        examples: vec![ExamplesText {
            header: vec!["thing".into()],
            rows: vec![
                ExampleRow {
                    line: 34,
                    cells: vec!["a GET".into()],
                },
                ExampleRow {
                    line: 35,
                    cells: vec!["no secret".into()],
                },
            ],
            ..ExamplesText::default()
        }],
        ..ScenarioText::default()
    };
    FeatureRecord {
        path: PATH.into(),
        folder: "rfc".into(),
        name: "The token endpoint".into(),
        description: "RFC 6749. A POST to `/token`.\n\nSecond paragraph.".into(),
        tags: vec!["rfc".into()],
        background: vec![step("Given ", "the profile under test")],
        scenarios: vec![
            ScenarioText {
                keyword: "Scenario".into(),
                name: "A token response is JSON".into(),
                line: 10,
                tags: vec!["rfc6749_5_1".into()],
                steps: vec![
                    step("When ", "the client requests an access token"),
                    step("Then ", "the token response conforms to RFC 6749 §5.1"),
                ],
                ..ScenarioText::default()
            },
            ScenarioText {
                keyword: "Scenario".into(),
                name: "A wrong secret gets invalid_client".into(),
                line: 20,
                tags: vec!["rfc6749_5_2".into(), "rfc6749_10_12".into()],
                steps: vec![
                    step(
                        "When ",
                        "the client uses a <script>xss-probe-7</script> secret",
                    ),
                    step("Then ", "the token endpoint refuses"),
                    step("And ", "nothing else"),
                ],
                ..ScenarioText::default()
            },
            outline,
        ],
    }
}

fn steps(texts: &[(&str, Verdict)]) -> Vec<StepRecord> {
    std::iter::once(("the profile under test", Verdict::Pass))
        .chain(texts.iter().map(|(t, o)| (*t, o.clone())))
        .map(|(text, outcome)| StepRecord {
            keyword: "Given ".into(),
            text: text.into(),
            outcome,
        })
        .collect()
}

fn record(line: usize, profile: Option<&str>, steps: Vec<StepRecord>) -> ScenarioRecord {
    ScenarioRecord {
        feature: format!("The token endpoint [{}]", profile.unwrap_or("-")),
        path: PATH.into(),
        line,
        name: format!("scenario at {line}"),
        profile: profile.map(str::to_owned),
        tags: vec!["rfc".into()],
        steps,
        checks: Vec::new(),
        excluded: None,
        exchanges: Vec::new(),
    }
}

fn exchange() -> ExchangeRecord {
    let request = HttpRequest {
        method: "POST".into(),
        url: "http://127.0.0.1:9/token".parse().unwrap(),
        headers: vec![("authorization".into(), "Basic Zm9vOmJhcg==".into())],
        body: Some(b"grant_type=client_credentials".to_vec()),
    };
    let answer = HttpAnswer {
        url: request.url.clone(),
        status: 401,
        headers: vec![("content-type".into(), "application/json".into())],
        body: br#"{"error":"invalid_client"}"#.to_vec(),
    };
    ExchangeRecord::new(1, &request, Ok(&answer))
}

fn report() -> RunReport {
    let json = "the token response conforms to RFC 6749 §5.1";
    let mut passed = record(
        10,
        Some("401go"),
        steps(&[
            ("the client requests an access token", Verdict::Pass),
            (json, Verdict::Pass),
        ]),
    );
    passed.checks = vec![CheckOutcome {
        check: &catalogue::RESP_JSON,
        verdict: Verdict::Fail("text/plain".into()),
        deviation: Some("declared".into()),
    }];
    let mut skipped = record(10, Some("json-body"), Vec::new());
    skipped.excluded = Some("profile json-body names no scope (token.scope)".into());
    let mut failed = record(
        20,
        Some("401go"),
        steps(&[
            (
                "the client uses a <script>xss-probe-7</script> secret",
                Verdict::Pass,
            ),
            (
                "the token endpoint refuses",
                Verdict::Fail("status 200, not 401".into()),
            ),
        ]),
    );
    failed.exchanges = vec![exchange()];
    let row = |line, outcome| {
        record(
            line,
            Some("401go"),
            steps(&[("the client sends x", outcome)]),
        )
    };
    let orphan = ScenarioRecord {
        path: "features/gone.feature".into(),
        ..record(3, None, steps(&[("a step", Verdict::Pass)]))
    };
    RunReport {
        target: "the embedded mock server".into(),
        // In the order they finished, not the page's.
        scenarios: vec![
            failed,
            skipped,
            row(35, Verdict::Fail("refused".into())),
            passed,
            row(34, Verdict::Pass),
            orphan,
        ],
        deviations: vec![DeviationResult {
            check: &catalogue::RESP_JSON,
            reason: "the server says text/plain".into(),
            verdict: DeviationFinding::KnownDeviation { failures: 1 },
            file: "deviations.toml".into(),
        }],
        profiles: vec!["401go".into(), "json-body".into()],
        started_at: "2025-01-01T00:00:00Z".into(),
        features: vec![feature()],
        ..RunReport::default()
    }
}

#[test]
fn every_run_is_on_the_page_with_the_status_of_each_step() {
    let report = report();
    let page = Page::of_run(&report);
    let scenarios: Vec<_> = page
        .folders
        .iter()
        .flat_map(|f| &f.features)
        .flat_map(|f| &f.scenarios)
        .collect();
    let mut shown: Vec<String> = scenarios
        .iter()
        .flat_map(|s| &s.runs)
        .map(|r| r.location.clone())
        .collect();
    let mut ran: Vec<String> = report.scenarios.iter().map(|s| s.location()).collect();
    shown.sort();
    ran.sort();
    assert_eq!(shown, ran);

    // One mark per run, in profile order: 401go passed, json-body skipped.
    let json = scenarios[0];
    let marks: Vec<Badge> = json.steps[1].marks.iter().map(|m| m.status).collect();
    assert_eq!(marks, [Badge::Passed, Badge::Skipped]);
    assert_eq!(json.steps[1].marks[1].label, "json-body: skipped");
    assert_eq!(json.status, Badge::Passed);
    assert_eq!(json.sources, ["RFC 6749 §5.1"]);

    // A failure: the step, its reason, the exchange; the step after it was
    // not reached.
    let failed = scenarios[1];
    let marks: Vec<Badge> = failed.steps.iter().map(|s| s.marks[0].status).collect();
    assert_eq!(marks, [Badge::Passed, Badge::Failed, Badge::NotReached]);
    let run = &failed.runs[0];
    assert_eq!(
        run.stopped_at.as_deref(),
        Some("Given the token endpoint refuses")
    );
    assert_eq!(run.reason.as_deref(), Some("status 200, not 401"));
    assert_eq!(run.exchanges[0].response_line(), "401 application/json");
    assert_eq!(page.failures.len(), 2);
    assert_eq!(page.set_aside.len(), 1);
    assert!(page.set_aside[0].reason.contains("token.scope"));

    // An outline: a mark per Examples row, a run per row.
    let outline = scenarios[2];
    let rows: Vec<Badge> = outline.examples[0]
        .rows
        .iter()
        .map(|r| r.marks[0].status)
        .collect();
    assert_eq!(rows, [Badge::Passed, Badge::Failed]);
    assert_eq!(outline.runs[0].title(), "401go: scenario at 34");

    // Folders in reading order; a record no feature file explains is kept.
    let labels: Vec<&str> = page.folders.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["rfc/", "(not found in the features directory)"]);
    let sources: Vec<&str> = page.sources.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(
        sources,
        [
            "(no source tag)",
            "RFC 6749 §5.1",
            "RFC 6749 §5.2",
            "RFC 6749 §10.12"
        ]
    );
}

#[test]
fn the_check_table_marks_known_deviations_with_their_reason() {
    let page = Page::of_run(&report());
    let row = &page.checks[0].rows[0];
    assert_eq!(
        (row.id, row.class, row.mark),
        ("token-response-json", "deviation", "DEV")
    );
    assert_eq!(row.declared.as_deref(), Some("the server says text/plain"));
    assert_eq!(page.deviations[0].class, "deviation");
    let levels: Vec<&str> = page.levels.iter().map(|l| l.label).collect();
    assert_eq!(levels, ["MUST", "SHOULD", "DERIVED", "GUIDE"]);
    // token-response-json is DERIVED: its outcome is counted with that
    // level's, apart from MUST.
    let derived = page.levels.iter().find(|l| l.label == "DERIVED").unwrap();
    assert_eq!(derived.value, "0 passed, 0 failed, 1 known deviation");
    assert_eq!(page.levels[0].value, "0 passed, 0 failed");
}

#[test]
fn the_page_escapes_what_it_shows_and_holds_no_secret() {
    crate::redact::register_secret("html-page-secret-1");
    let mut report = report();
    report.target = "http://user:html-page-secret-1@host/".into();
    report.features[0]
        .description
        .push_str(" html-page-secret-1");
    let page = super::render(&report).unwrap();
    assert!(!page.contains("html-page-secret-1"), "{page}");
    assert!(!page.contains("<script>xss-probe-7"), "escaped: {page}");
    assert!(page.contains("&#60;script&#62;xss-probe-7"), "{page}");
    assert!(page.contains("<code>/token</code>"), "prose: {page}");
    assert_eq!(page.matches("<script>").count(), 1, "only the filters");
    assert!(page.contains("Basic [REDACTED]"), "{page}");
}

#[test]
fn a_docs_page_shows_the_statements_and_what_the_profile_cannot_run() {
    let docs = DocsReport {
        generated_at: "2025-01-01T00:00:00Z".into(),
        profile: Some("401go".into()),
        features: vec![feature()],
        set_aside: vec![SetAsideNote {
            path: PATH.into(),
            line: 20,
            reason: "profile 401go says no (a.field)".into(),
        }],
        parse_errors: Vec::new(),
    };
    let page = Page::of_docs(&docs);
    assert!(!page.run);
    let scenarios: Vec<_> = page.folders[0].features[0].scenarios.iter().collect();
    assert!(
        scenarios
            .iter()
            .all(|s| s.runs.is_empty() && s.status == Badge::Stated)
    );
    assert_eq!(
        scenarios[1].note.as_deref(),
        Some("profile 401go says no (a.field)")
    );
    assert_eq!(page.set_aside.len(), 1);
    assert!(page.title.ends_with("for 401go"));
    assert!(page.checks.iter().map(|g| g.rows.len()).sum::<usize>() >= catalogue::ALL.len());
    let html = super::render_docs(&docs).unwrap();
    assert!(html.contains("not for this profile"), "{html}");
}
