//! What the pre-flight found is the first thing every report shows: the
//! terminal summary, JSON's `set_up`, JUnit's `set-up` suite and the HTML
//! page, each line naming the identity, its variables and the answer, and
//! never a secret the answer echoed.

use super::{RunReport, html, json, junit, terminal};
use crate::sandbox::preflight::{Finding, Identity, IdentityCheck};

const ECHOED: &str = "set-up-echoed-secret-7f3a9c";

fn report() -> RunReport {
    crate::redact::register_secret(ECHOED);
    let check = |identity, finding| {
        IdentityCheck {
        identity,
        profile: "rfc6749".into(),
        tried: "a code exchange with a made-up code (RFC 6749 §4.1.3) with client_secret_basic (authorization_code.client_auth)".into(),
        method: Some("client_secret_basic"),
        finding,
    }
    };
    RunReport {
        target: "http://127.0.0.1:9/".into(),
        set_up: vec![
            check(Identity::Client, Finding::Accepted("a token".into())),
            check(
                Identity::SecondClient,
                Finding::Refused(format!(
                    "401 invalid_client (no client has the secret {ECHOED})"
                )),
            ),
            check(
                Identity::RestrictedClient,
                Finding::Undetermined("no answer: timed out".into()),
            ),
        ],
        ..RunReport::default()
    }
}

#[test]
fn every_report_shows_the_set_up_first_without_a_secret() {
    let report = report();
    let lines = report.redacted().set_up_lines();
    assert_eq!(lines.len(), 2, "the accepted client has no line: {lines:?}");
    let refused = &lines[0];
    for part in [
        "the second client (OAUTH_CONFORMANCE_SECOND_CLIENT_ID and OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET) did not authenticate",
        "a code exchange with a made-up code",
        "was answered 401 invalid_client",
        "not run",
        "registered for client_secret_basic",
    ] {
        assert!(refused.contains(part), "{part}: {refused}");
    }
    assert!(lines[1].starts_with(
        "could not tell whether the client registered for the authorization code grant only"
    ));

    let summary = terminal::summary(&report);
    assert!(
        summary.starts_with(&format!("SET-UP: {refused}\nSET-UP: {}\n", lines[1])),
        "{summary}"
    );

    let doc: serde_json::Value = serde_json::from_str(&json::render(&report).unwrap()).unwrap();
    let set_up = doc["set_up"].as_array().unwrap();
    let statuses: Vec<&str> = set_up
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["accepted", "refused", "undetermined"]);
    assert_eq!(set_up[1]["line"], refused.as_str());
    assert_eq!(
        set_up[1]["variables"],
        serde_json::json!([
            "OAUTH_CONFORMANCE_SECOND_CLIENT_ID",
            "OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET"
        ])
    );

    let xml = junit::render(&report).unwrap();
    let parsed = roxmltree::Document::parse(&xml).unwrap();
    let suite = parsed
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("name"), Some("set-up"));
    let values: Vec<&str> = suite
        .descendants()
        .filter(|n| n.has_tag_name("property"))
        .filter_map(|n| n.attribute("value"))
        .collect();
    assert_eq!(values, [refused.as_str(), lines[1].as_str()]);

    let page = html::render(&report).unwrap();
    let section = page
        .find("<section id=\"set-up\"")
        .expect("a set-up section");
    assert!(
        page.find("<section id=\"features\"")
            .is_some_and(|f| section < f),
        "before the results"
    );
    assert!(
        page.contains("href=\"#set-up\""),
        "linked from the contents"
    );

    for (what, text) in [
        ("terminal", &summary),
        ("JSON", &doc.to_string()),
        ("JUnit", &xml),
        ("HTML", &page),
    ] {
        assert!(!text.contains(ECHOED), "{what} leaks the echoed secret");
        assert!(text.contains("[REDACTED]"), "{what} shows where it was");
    }
}

#[test]
fn a_run_whose_identities_all_worked_shows_no_set_up() {
    let mut report = report();
    report.set_up.truncate(1);
    assert!(!terminal::summary(&report).contains("SET-UP"));
    let xml = junit::render(&report).unwrap();
    assert!(!xml.contains("set-up"), "{xml}");
    assert!(!html::render(&report).unwrap().contains("id=\"set-up\""));
}
