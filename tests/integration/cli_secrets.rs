//! The CLI end to end, for what no output may hold: known secrets through
//! every report, a server that echoes every request back, and a server
//! that never answers (silence is no refusal).

use crate::common;

use std::path::Path;
use std::process::Output;

use common::cli::{cli_in as run_cli_env, manifest_dir, text, write_feature};

fn run_cli(args: &[&str], cwd: &Path) -> Output {
    run_cli_env(args, cwd, &[])
}

/// What a run wrote: the terminal, and the JUnit, JSON and HTML reports.
struct Reports {
    terminal: String,
    junit: String,
    json: String,
    html: String,
}

/// `run --profile 401go` against `server` with the settings `env` (and a
/// redirect URI nothing listens on), every report written; the run fails.
fn run_401go_against(server: &str, env: &[(&str, &str)]) -> Reports {
    let tmp = tempfile::tempdir().unwrap();
    let path = |name: &str| tmp.path().join(name).to_str().unwrap().to_owned();
    let (junit, json, html) = (path("junit.xml"), path("results.json"), path("report.html"));
    let mut env = env.to_vec();
    env.push((
        "OAUTH_CONFORMANCE_REDIRECT_URI",
        "http://127.0.0.1:1/callback",
    ));
    let out = run_cli_env(
        &[
            "run",
            "--profile",
            "401go",
            "--target",
            server,
            "--timeout",
            "5",
            // The echo server refuses every identity, so the pre-flight would
            // set every scenario aside: these tests read the failure paths.
            "--no-preflight",
            // Every step and the detailed summary: the most text to leak
            // into (the compact summary is held to the same by the
            // property tests).
            "--verbose",
            "--junit",
            &junit,
            "--json",
            &json,
            "--html",
            &html,
        ],
        manifest_dir(),
        &env,
    );
    let terminal = text(&out);
    assert_eq!(out.status.code(), Some(1), "{terminal}");
    let read = |p: &str| std::fs::read_to_string(p).unwrap();
    Reports {
        junit: read(&junit),
        json: read(&json),
        html: read(&html),
        terminal,
    }
}

/// Known secrets go through every output path: the terminal (with every step
/// printed), failure messages, JUnit XML and JSON. None may appear.
#[test]
fn known_secrets_appear_in_no_output() {
    const SECRET: &str = "KNOWN-secret:value%+ 42";
    let tmp = tempfile::tempdir().unwrap();
    write_feature(
        tmp.path(),
        "leak.feature",
        &format!(
            "@401go @login3\nFeature: leak\n\
             \x20 Scenario: a server page echoes the credentials\n\
             \x20   Given the provider profile \"login3\"\n\
             \x20   And the client is registered with id \"leak-client\" and secret \"{SECRET}\"\n\
             \x20   And the token endpoint answers with an HTML error page\n\
             \x20   When the client requests an access token\n\
             \x20   Then the token request succeeded\n\
             \x20 Scenario: a failing step shows the Authorization header\n\
             \x20   Given the provider profile \"401go\"\n\
             \x20   And the client is registered with id \"leak-client-2\" and secret \"{SECRET}\"\n\
             \x20   And the client has an access token\n\
             \x20   When the client calls the API with the access token\n\
             \x20   Then the API request has the header \"Authorization\" = \"something else\"\n\
             \x20 Scenario: a failing step shows a JWT\n\
             \x20   Given the provider profile \"login3\"\n\
             \x20   And the client has an access token\n\
             \x20   Then the token request has the header \"X-Nothing\" = \"x\"\n\
             \x20   And the access token is a JWT whose \"aud\" is \"someone else\"\n\
             \x20 Scenario: a token manager's failed renewal echoes the credentials\n\
             \x20   Given the provider profile \"login3\"\n\
             \x20   And the client is registered with id \"leak-client-3\" and secret \"{SECRET}\"\n\
             \x20   And the application uses a token manager\n\
             \x20   And the token endpoint answers with an HTML error page\n\
             \x20   When 20 tasks ask the token manager for an access token at once\n\
             \x20   Then every task got the same access token\n"
        ),
    );
    let junit = tmp.path().join("junit.xml");
    let json = tmp.path().join("results.json");
    let html = tmp.path().join("report.html");
    let out = run_cli(
        &[
            "run",
            "--verbose",
            "--junit",
            junit.to_str().unwrap(),
            "--json",
            json.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ],
        tmp.path(),
    );
    let terminal = text(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the scenarios are meant to fail: {terminal}"
    );
    let outputs = [
        ("terminal", terminal),
        ("junit", std::fs::read_to_string(&junit).unwrap()),
        ("json", std::fs::read_to_string(&json).unwrap()),
        ("html", std::fs::read_to_string(&html).unwrap()),
        (
            "html (decoded)",
            common::html::decoded_text(&std::fs::read_to_string(&html).unwrap()),
        ),
    ];
    let form: String = form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
    let jwt = regex::Regex::new(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.").unwrap();
    let bearer = regex::Regex::new(r"(?i)(bearer|basic) [A-Za-z0-9_+/=-]{6,}").unwrap();
    for (name, output) in &outputs {
        assert!(
            !output.contains(SECRET),
            "{name} leaks the secret:\n{output}"
        );
        assert!(
            !output.contains(&form),
            "{name} leaks the form-encoded secret:\n{output}"
        );
        assert!(!jwt.is_match(output), "{name} leaks a JWT:\n{output}");
        assert!(
            !bearer.is_match(output),
            "{name} leaks a credential:\n{output}"
        );
    }
    // The failures were reported, just without the secrets.
    assert!(outputs[0].1.contains("not JSON"), "{}", outputs[0].1);
    assert!(outputs[0].1.contains("[REDACTED]"), "{}", outputs[0].1);
    assert!(
        outputs[0].1.contains("token renewal #1 failed"),
        "{}",
        outputs[0].1
    );
}

/// A server that answers `/` (so the target looks alive) and never answers
/// anything else: silence is no refusal, so the checks that expect one fail
/// as "no answer" instead of passing.
#[test]
fn a_hanging_token_endpoint_fails_refusal_checks_as_no_answer() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut head = [0u8; 2048];
                let n = stream.read(&mut head).unwrap_or(0);
                let request = String::from_utf8_lossy(&head[..n]);
                if request.starts_with("GET / ") {
                    let _ = stream.write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
                    );
                } else {
                    // Hold the connection open, bounded, and say nothing.
                    std::thread::sleep(std::time::Duration::from_secs(20));
                }
            });
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let json = tmp.path().join("results.json");
    let out = run_cli_env(
        &[
            "run",
            "--profile",
            "rfc6749",
            "--target",
            &url,
            "--timeout",
            "1",
            "--name",
            "only for POST|in the URL query",
            "--json",
            json.to_str().unwrap(),
            // Both checks are DERIVED (their MUST NOTs bind the client):
            // their failures fail a strict run.
            "--strict",
        ],
        manifest_dir(),
        &[
            ("OAUTH_CONFORMANCE_CLIENT_ID", "hanging-client"),
            (
                "OAUTH_CONFORMANCE_CLIENT_SECRET",
                "hanging-client-secret-value",
            ),
        ],
    );
    let shown = text(&out);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let outcomes: Vec<&serde_json::Value> = results["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["checks"].as_array().unwrap())
        .filter(|c| {
            c["id"] == "token-endpoint-post-only"
                || c["id"] == "token-endpoint-no-credentials-in-query"
        })
        .collect();
    assert_eq!(outcomes.len(), 2, "{shown}");
    for check in outcomes {
        assert_eq!(check["status"], "failed", "{check}");
        assert!(
            check["reason"].as_str().unwrap().contains("no answer"),
            "{check}"
        );
    }
}

/// Against a server that echoes every request back in its error answers
/// (JSON and HTML, status 400, 401 and 500, the Authorization header and
/// the body included), no report holds any encoding of a secret, every
/// report parses, and every failure is listed in each.
#[test]
fn an_echoing_server_gets_no_secret_into_any_report() {
    const ID: &str = "echo-client";
    const SECRET: &str = "Echo-S3cret:value&\"<é>%+ 42";
    const SECOND: &str = "Second-S3cret/\\'€?=";
    const PASSWORD: &str = "Echo-Pa55word \"&<'/%+";
    let server = common::echo::start("/api/o/authorize/");
    let reports = run_401go_against(
        &server,
        &[
            ("OAUTH_CONFORMANCE_CLIENT_ID", ID),
            ("OAUTH_CONFORMANCE_CLIENT_SECRET", SECRET),
            ("OAUTH_CONFORMANCE_SECOND_CLIENT_ID", "echo-second"),
            ("OAUTH_CONFORMANCE_SECOND_CLIENT_SECRET", SECOND),
            ("OAUTH_CONFORMANCE_USERNAME", "echo-user"),
            ("OAUTH_CONFORMANCE_PASSWORD", PASSWORD),
        ],
    );
    let Reports {
        terminal,
        junit: junit_text,
        json: json_text,
        html: html_text,
    } = reports;
    let html_decoded = common::html::decoded_text(&html_text);

    let mut forbidden = common::spellings(SECRET, Some(ID));
    forbidden.extend(common::spellings(SECOND, Some("echo-second")));
    forbidden.extend(common::spellings(PASSWORD, None));
    let state = regex::Regex::new(r"state(=|%3D|&#x3D;)[A-Za-z0-9_-]{8}").unwrap();
    // A credential after Basic/Bearer: not `error="…"` (a challenge's
    // auth-param), not a word of prose ("a Basic challenge").
    let credential = regex::Regex::new(r"(?i)(?:bearer|basic) ([A-Za-z0-9_+/-]{6,})(=*)").unwrap();
    let leaks_credential = |output: &str| {
        credential.captures_iter(output).any(|c| {
            let word = &c[1];
            let lower = word.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_');
            let param = lower && &c[2] == "=";
            let prose = lower && c[2].is_empty() && word.len() < 20;
            !param && !prose
        })
    };
    for (name, output) in [
        ("terminal", &terminal),
        ("junit", &junit_text),
        ("json", &json_text),
        ("html", &html_text),
        ("html (decoded)", &html_decoded),
    ] {
        for spelling in &forbidden {
            assert!(
                !output.contains(spelling.as_str()),
                "{name} leaks {spelling:?}:\n{output}"
            );
        }
        assert!(!state.is_match(output), "{name} leaks a state:\n{output}");
        assert!(
            !leaks_credential(output),
            "{name} leaks a credential:\n{output}"
        );
        // The prose of a challenge reads as written.
        assert!(
            !output.contains("[REDACTED]\"invalid_token"),
            "{name}:\n{output}"
        );
    }

    // Every report parses and lists the same failures.
    let results: serde_json::Value = serde_json::from_str(&json_text).expect("--json parses");
    let failed: Vec<(String, String)> = results["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "failed")
        .map(|s| {
            (
                s["scenario"].as_str().unwrap().to_owned(),
                s["location"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        failed.len() >= 5,
        "only {} failures:\n{terminal}",
        failed.len()
    );
    let doc = roxmltree::Document::parse(&junit_text).expect("JUnit is well-formed XML");
    let junit_failed = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase") && n.children().any(|c| c.has_tag_name("failure")))
        .count();
    assert_eq!(junit_failed, failed.len());
    for (name, location) in &failed {
        assert!(
            terminal.contains(&format!("✘ {name} ({location})")),
            "{name} missing:\n{terminal}"
        );
    }
    // The server did echo the password and the credentials: redaction is
    // what removed them. The exchange behind a failure is shown, redacted.
    assert!(terminal.contains("password=[REDACTED]"), "{terminal}");
    assert!(terminal.contains("with Basic [REDACTED]"), "{terminal}");
    assert!(terminal.contains("last exchange"), "{terminal}");
    assert!(json_text.contains("\"exchanges\""), "{json_text}");
    let mut shown = common::html::run_locations(&html_text);
    shown.retain(|l| failed.iter().any(|(_, f)| f == l));
    assert_eq!(shown.len(), failed.len(), "every failure is on the page");
    assert!(
        html_decoded.contains("password=[REDACTED]"),
        "{html_decoded}"
    );
}

/// Against a server that echoes every value it got with one character
/// changed (a secret of 27 characters as 13, `~`, 13: the echo that once
/// leaked 23 of them), no report holds 8 characters in a row of any secret
/// or of its Basic credentials, and the echo shows as `[REDACTED]~[REDACTED]`.
#[test]
fn a_server_echoing_secrets_with_a_character_changed_leaves_no_run_of_eight() {
    const ID: &str = "change-client";
    const SECRET: &str = "Echo-S3cret:value&\"<é>%+ 42";
    const PASSWORD: &str = "Change-Pa55word \"&<'/%+";
    let server = common::echo::start_changing("/api/o/authorize/");
    let r = run_401go_against(
        &server,
        &[
            ("OAUTH_CONFORMANCE_CLIENT_ID", ID),
            ("OAUTH_CONFORMANCE_CLIENT_SECRET", SECRET),
            ("OAUTH_CONFORMANCE_USERNAME", "change-user"),
            ("OAUTH_CONFORMANCE_PASSWORD", PASSWORD),
        ],
    );
    let outputs = [
        ("terminal", r.terminal.clone()),
        ("junit", r.junit),
        ("json", r.json),
        ("html (decoded)", common::html::decoded_text(&r.html)),
        ("html", r.html),
    ];
    let spellings = [
        SECRET.to_owned(),
        PASSWORD.to_owned(),
        common::encode(common::Encoding::Basic, SECRET, ID),
        common::encode(common::Encoding::BasicUnencoded, SECRET, ID),
    ];
    for (name, output) in &outputs {
        for spelling in &spellings {
            let chars: Vec<char> = spelling.chars().collect();
            for run in chars.windows(8).map(|w| w.iter().collect::<String>()) {
                assert!(
                    !output.contains(&run),
                    "{name} leaks {run:?} of {spelling:?}:\n{output}"
                );
            }
        }
    }
    // The server did echo them changed: both sides went, the change stayed.
    assert!(
        outputs
            .iter()
            .any(|(_, o)| o.contains("[REDACTED]~[REDACTED]")),
        "{}",
        r.terminal
    );
}
