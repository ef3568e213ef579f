//! `docs --html`: the features as documentation, without a run, as one
//! self-contained page. (`run --html` is checked with the other reports in
//! tests/cli.rs: every scenario of a run on the page, no secret in it.)

use crate::common;

use std::path::Path;
use std::process::{Command, Output};

fn docs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oauth-conformance"))
        .arg("docs")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the CLI binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// How many scenarios and outlines the feature files below `dir` hold.
fn scenarios_in(dir: &Path, below: &str) -> usize {
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            n += scenarios_in(&path, below);
        } else if path.to_string_lossy().contains(below)
            && path.extension().is_some_and(|e| e == "feature")
        {
            let text = std::fs::read_to_string(&path).unwrap();
            n += text
                .lines()
                .filter(|l| l.trim_start().starts_with("Scenario"))
                .count();
        }
    }
    n
}

#[test]
fn docs_shows_every_feature_and_for_a_profile_what_it_cannot_run() {
    let tmp = tempfile::tempdir().unwrap();
    let features = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    let all = tmp.path().join("all.html");
    let out = docs(&["--html", all.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("HTML documentation written to"),
        "{}",
        text(&out)
    );
    let page = std::fs::read_to_string(&all).unwrap();
    common::html::assert_self_contained(&page);
    let doc = scraper::Html::parse_document(&page);
    let scenario = scraper::Selector::parse("article.scenario").unwrap();
    assert_eq!(
        doc.select(&scenario).count(),
        scenarios_in(&features, ""),
        "every scenario of every feature file"
    );
    assert!(
        page.contains("features/client/token_lifetime/"),
        "client features too"
    );
    assert!(run_free(&page), "a docs page shows no run");

    let for_401go = tmp.path().join("401go.html");
    let out = docs(&["--html", for_401go.to_str().unwrap(), "--profile", "401go"]);
    assert!(out.status.success(), "{}", text(&out));
    let page = std::fs::read_to_string(&for_401go).unwrap();
    common::html::assert_self_contained(&page);
    let doc = scraper::Html::parse_document(&page);
    let expected = scenarios_in(&features, "/rfc/") + scenarios_in(&features, "/guides/401go/");
    assert_eq!(doc.select(&scenario).count(), expected);
    assert!(
        !page.contains("features/client/"),
        "only the RFC and 401GO features"
    );
    // 401go sends no PKCE challenge: those scenarios say so, with the field.
    let note = scraper::Selector::parse("article.scenario .note").unwrap();
    let notes: Vec<String> = doc.select(&note).map(|n| n.text().collect()).collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("(authorization_code.pkce)")),
        "{notes:?}"
    );
}

/// No run's results on the page: no status of a run, no exchange.
fn run_free(page: &str) -> bool {
    common::html::run_locations(page).is_empty() && !page.contains("class=\"exchange\"")
}

#[test]
fn docs_refuses_an_unknown_profile_and_an_unwritable_path() {
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("p.html");
    let out = docs(&["--html", page.to_str().unwrap(), "--profile", "nope"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("401go, json-body, login3, rfc6749"));
    let out = docs(&["--html", "/no/such/dir/p.html"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("/no/such/dir/p.html"), "{}", text(&out));
}

/// README's "In a Rust test" example is `tests/integration/serve_library.rs`, which
/// `cargo test` runs, verbatim.
#[test]
fn the_readme_library_example_is_the_test_that_runs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    let section = readme
        .split_once("### In a Rust test")
        .expect("README has the section")
        .1;
    let block = section
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .expect("the section has a rust block")
        .0;
    let test = std::fs::read_to_string(dir.join("tests/integration/serve_library.rs")).unwrap();
    assert!(
        block == test,
        "README's library example differs from tests/integration/serve_library.rs: copy the file into the block"
    );
}
