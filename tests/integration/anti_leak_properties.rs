//! Property tests: no report leaks, and no report breaks.
//!
//! Each case makes up a client id and secret, a password and tokens (an
//! opaque access token, a JWT, a refresh token, a code, a state, a PKCE
//! verifier), registers them the way a run does, and builds server answers
//! that echo them in every encoding (raw, form, percent in either case,
//! base64 of `id:secret` with and without the RFC 6749 §2.3.1 form encoding
//! and "Basic ", HTML named / decimal / hex references, JSON escapes with and
//! without `\u`, `\/`, Rust `{:?}`, `{:?}` of JSON, and a prefix left at a
//! cut) at random places: across the 200- and 1024-byte preview cuts, at the
//! end of a body cut short, in headers. The answers go through the real
//! reporting path (exchange records, token errors, check outcomes, the
//! terminal summary, JSON, JUnit, and the redacting writer), and every output
//! is checked: no encoding of any secret, JSON that parses, JUnit that is
//! well-formed XML, every failed scenario named, prose as written.
//!
//! A second kind of case echoes each secret with one character replaced,
//! inserted or deleted, then encoded, at random places: no 8 characters in a
//! row of any secret (or of a Basic spelling) may be left in the terminal
//! summary or the JSON, JUnit and HTML reports, as written or decoded.

use crate::common;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;

use common::{ENCODINGS, Encoding, encode, form};

use oauth_conformance::checks::{CheckOutcome, Verdict, catalogue};
use oauth_conformance::client::{ClientCredentials, HttpAnswer, HttpRequest, Secret};
use oauth_conformance::redact::{RedactingWriter, preview, redact};
use oauth_conformance::report::exchange::ExchangeRecord;
use oauth_conformance::report::results::{
    DeviationFinding, DeviationResult, RunReport, ScenarioRecord, StepRecord,
};
use oauth_conformance::report::{html, json, junit, terminal};
use oauth_conformance::sandbox::preflight::{Finding, Identity, IdentityCheck};

/// Prose that must read as written in every report.
const DEVIATION_REASON: &str =
    r#"a failed Basic login gets WWW-Authenticate: Bearer error="invalid_client""#;
const CHECK_PROSE: &str =
    r#"expected a Bearer challenge with error="invalid_token", got a Basic challenge"#;

/// The secrets of one case.
#[derive(Clone, Debug)]
struct Secrets {
    id: String,
    client_secret: String,
    password: String,
    tokens: Vec<String>,
}

impl Secrets {
    /// Registers everything the way a run does: client credentials and the
    /// password at start, tokens, codes, state and verifier as [`Secret`]s.
    fn register(&self) {
        let _ = ClientCredentials::new(self.id.clone(), self.client_secret.clone());
        let _ = Secret::new(self.password.clone());
        for t in &self.tokens {
            let _ = Secret::new(t.clone());
        }
    }

    fn values(&self) -> Vec<&str> {
        let mut all = vec![self.client_secret.as_str(), self.password.as_str()];
        all.extend(self.tokens.iter().map(String::as_str));
        all
    }

    /// Every full encoding of every secret: none may appear in any output.
    fn forbidden(&self) -> Vec<String> {
        let mut out = common::spellings(&self.client_secret, Some(&self.id));
        for value in &self.values()[1..] {
            out.extend(common::spellings(value, None));
        }
        out
    }
}

/// Secrets with a random upper-case core (so that any part of one left in
/// an output is recognisable) among characters every encoding changes.
fn secret() -> impl Strategy<Value = String> {
    (
        "[\"&<'/:% +\\\\é€😀-]{0,3}",
        "[A-Z0-9]{10,16}",
        "[a-z0-9\"&<>'/:%+ \\\\é€😀=-]{0,12}",
    )
        .prop_map(|(a, b, c)| format!("{a}{b}{c}"))
}

fn token() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 32).prop_map(|b| URL_SAFE_NO_PAD.encode(b))
}

fn jwt() -> impl Strategy<Value = String> {
    (token(), token()).prop_map(|(p, s)| format!("eyJhbGciOiJSUzI1NiJ9.eyJ{p}.{s}"))
}

fn secrets() -> impl Strategy<Value = Secrets> {
    (
        "client-[a-z0-9]{4,8}",
        secret(),
        secret(),
        prop::collection::vec(token(), 5),
        jwt(),
    )
        .prop_map(|(id, client_secret, password, mut tokens, jwt)| {
            tokens.push(jwt);
            Secrets {
                id,
                client_secret,
                password,
                tokens,
            }
        })
}

/// One secret placed in an answer: which one, how encoded, where, and
/// whether the answer was cut inside it.
#[derive(Clone, Debug)]
struct Placement {
    secret: usize,
    encoding: Encoding,
    offset: usize,
    /// Cut after this share (in thousandths) of what is past 8 characters.
    cut: Option<u16>,
}

fn placement() -> impl Strategy<Value = Placement> {
    (
        0..8usize,
        prop::sample::select(ENCODINGS.to_vec()),
        prop_oneof![0..1080usize, 185..215usize, 1005..1040usize],
        prop::option::weighted(0.25, 0..1000u16),
    )
        .prop_map(|(secret, encoding, offset, cut)| Placement {
            secret,
            encoding,
            offset,
            cut,
        })
}

impl Placement {
    /// The exact text placed, and whether it must end where a text is cut.
    fn text(&self, s: &Secrets) -> (String, bool) {
        let values = s.values();
        // A Basic spelling is only ever of the client secret.
        let value = if self.encoding.is_basic() {
            values[0]
        } else {
            values[self.secret % values.len()]
        };
        let full = encode(self.encoding, value, &s.id);
        let Some(share) = self.cut else {
            return (full, false);
        };
        // At least 8 characters of the secret are left before the cut (for
        // Basic: the id and 8 characters).
        let eight: String = value.chars().take(8).collect();
        let min = encode(self.encoding, &eight, &s.id).len();
        let mut at = min + (full.len().saturating_sub(min + 1)) * share as usize / 1000;
        while !full.is_char_boundary(at) {
            at += 1;
        }
        (full[..at.min(full.len())].to_owned(), true)
    }
}

/// How a server changes the one character of a secret it echoes.
#[derive(Clone, Copy, Debug)]
enum Change {
    Replace(char),
    Insert(char),
    Delete,
}

/// A secret echoed with one character changed: which secret, which
/// character, how, in which encoding, and where in the answer.
#[derive(Clone, Debug)]
struct Mutation {
    secret: usize,
    at: prop::sample::Index,
    change: Change,
    encoding: Encoding,
    offset: usize,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Letters, digits, characters every encoding changes, a control character.
    let other = prop::sample::select(vec![
        '!', 'q', 'Z', '7', ' ', '"', '&', '%', '+', '\\', '<', 'é', '€', '😀', '\u{1b}',
    ]);
    (
        0..8usize,
        any::<prop::sample::Index>(),
        prop_oneof![
            other.clone().prop_map(Change::Replace),
            other.prop_map(Change::Insert),
            Just(Change::Delete),
        ],
        prop::sample::select(ENCODINGS.to_vec()),
        prop_oneof![0..1080usize, 185..215usize, 1005..1040usize],
    )
        .prop_map(|(secret, at, change, encoding, offset)| Mutation {
            secret,
            at,
            change,
            encoding,
            offset,
        })
}

impl Mutation {
    /// The secret as the server echoes it: changed, then encoded.
    fn text(&self, s: &Secrets) -> String {
        let values = s.values();
        let value = if self.encoding.is_basic() {
            values[0]
        } else {
            values[self.secret % values.len()]
        };
        let mut chars: Vec<char> = value.chars().collect();
        let at = self.at.index(chars.len());
        match self.change {
            Change::Replace(c) if chars[at] == c => chars[at] = if c == '!' { '?' } else { '!' },
            Change::Replace(c) => chars[at] = c,
            Change::Insert(c) => chars.insert(at, c),
            Change::Delete => {
                chars.remove(at);
            }
        }
        encode(self.encoding, &chars.into_iter().collect::<String>(), &s.id)
    }
}

/// A server answer that echoes each of `mutations` where it says.
fn changed_echo(
    s: &Secrets,
    mutations: &[Mutation],
    kind: usize,
    status: u16,
) -> (HttpAnswer, Placed) {
    let mut filler = "the server echoes what it got ".repeat(36);
    let mut placed = Placed::default();
    let mut sorted = mutations.to_vec();
    sorted.sort_by_key(|m| std::cmp::Reverse(m.offset));
    for m in &sorted {
        let text = m.text(s);
        filler.insert_str(m.offset.min(filler.len()), &format!(" {text} "));
        placed.whole.push(text);
    }
    (answer_of(filler, &placed, None, kind, status), placed)
}

/// What an answer holds of the secrets: whole spellings, and spellings cut
/// short where the answer (or a part of it) was cut.
#[derive(Clone, Debug, Default)]
struct Placed {
    whole: Vec<String>,
    cut: Vec<String>,
}

impl Placed {
    fn all(&self) -> Vec<String> {
        self.whole.iter().chain(&self.cut).cloned().collect()
    }

    /// The whole spellings, as a server echoes them in a sentence.
    fn echo(&self) -> String {
        self.whole.join(" ")
    }

    /// One cut spelling, for the end of a field (where a cut is).
    fn last_cut(&self) -> String {
        self.cut.last().cloned().unwrap_or_default()
    }
}

/// A server answer that echoes `placements`, and everything placed in it.
fn answer(s: &Secrets, placements: &[Placement], kind: usize, status: u16) -> (HttpAnswer, Placed) {
    let mut filler = "the server echoes what it got ".repeat(36);
    let mut placed = Placed::default();
    let mut cut_end = None;
    let mut sorted = placements.to_vec();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.offset));
    for p in &sorted {
        let (text, at_cut) = p.text(s);
        let at = p.offset.min(filler.len());
        if !at_cut {
            filler.insert_str(at, &format!(" {text} "));
            placed.whole.push(text);
            continue;
        }
        // A cut is where the body ends, or a truncation mark in it.
        if cut_end.is_none() {
            cut_end = Some(text.clone());
        } else {
            filler.insert_str(at, &format!(" {text}… "));
        }
        placed.cut.push(text);
    }
    let answer = answer_of(filler, &placed, cut_end, kind, status);
    (answer, placed)
}

/// A server answer of `kind` (JSON, HTML, text) whose body is `filler` (and
/// then `cut_end`, where the body was cut), echoing `placed` in headers too.
fn answer_of(
    filler: String,
    placed: &Placed,
    cut_end: Option<String>,
    kind: usize,
    status: u16,
) -> HttpAnswer {
    let (content_type, mut body) = match kind % 3 {
        0 => (
            "application/json",
            format!("{{\"error\":\"invalid_client\",\"echo\":\"{filler}\"}}"),
        ),
        1 => (
            "text/html",
            format!("<html><body><h1>Error</h1><pre>{filler}</pre></body></html>"),
        ),
        _ => ("text/plain", filler),
    };
    if let Some(end) = &cut_end {
        body.push(' ');
        body.push_str(end);
    }
    let headers = vec![
        ("content-type".to_owned(), content_type.to_owned()),
        (
            "www-authenticate".to_owned(),
            format!(
                "Bearer error=\"invalid_token\", error_description=\"{}\"",
                placed.echo()
            ),
        ),
        (
            "x-echo".to_owned(),
            format!("{} {}", placed.echo(), placed.last_cut()),
        ),
    ];
    HttpAnswer {
        url: "http://127.0.0.1:9/api/o/token/".parse().unwrap(),
        status,
        headers,
        body: body.into_bytes(),
    }
}

/// The request the client sent: every secret in it, as a real one carries them.
fn request(s: &Secrets) -> HttpRequest {
    let body = format!(
        "grant_type=refresh_token&refresh_token={}&code={}&state={}&client_secret={}&password={}",
        form(&s.tokens[1]),
        form(&s.tokens[2]),
        form(&s.tokens[3]),
        form(&s.client_secret),
        form(&s.password),
    );
    HttpRequest {
        method: "POST".into(),
        url: format!(
            "http://user:{}@127.0.0.1:9/api/o/token/?code={}",
            form(&s.password),
            s.tokens[2]
        )
        .parse()
        .unwrap(),
        headers: vec![
            (
                "authorization".into(),
                format!("Basic {}", encode(Encoding::Basic, &s.client_secret, &s.id)),
            ),
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
        ],
        body: Some(body.into_bytes()),
    }
}

/// A failed scenario made the way a run makes it: the step's message from
/// the token error, checks that print the server's values with `{:?}`, the
/// exchanges behind the failure.
fn failed_scenario(i: usize, s: &Secrets, answer: &HttpAnswer, placed: &Placed) -> ScenarioRecord {
    let error = oauth_conformance::client::parse_token_answer(answer)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_else(|| "the token request succeeded".into());
    let (echoed, cut) = (placed.echo(), placed.last_cut());
    ScenarioRecord {
        feature: "echoing servers".into(),
        path: format!("features/echo_{i}.feature"),
        line: 3 + i,
        name: format!("an echoing server fails scenario {i}"),
        profile: None,
        tags: vec!["@rfc6749_5_2".into(), "@401go".into()],
        steps: vec![
            StepRecord {
                keyword: "Given ".into(),
                text: format!(
                    "the client is registered with id \"{}\" and secret \"{}\"",
                    s.id, s.client_secret
                ),
                outcome: Verdict::Pass,
            },
            StepRecord {
                keyword: "Then ".into(),
                text: "the token request succeeded".into(),
                outcome: Verdict::Fail(format!("{error}\nerror_description is {echoed:?}")),
            },
        ],
        checks: vec![
            CheckOutcome::pass(&catalogue::RESP_JSON),
            CheckOutcome {
                check: &catalogue::ERR_WWW_AUTHENTICATE,
                verdict: Verdict::Fail(format!("{CHECK_PROSE}; saw {echoed:?}, then {cut}")),
                deviation: None,
            },
            CheckOutcome {
                check: &catalogue::ERR_CHARSET,
                verdict: Verdict::Fail(echoed.clone()),
                deviation: Some(DEVIATION_REASON.into()),
            },
        ],
        excluded: None,
        exchanges: vec![
            ExchangeRecord::new(1, &request(s), Ok(answer)),
            ExchangeRecord::new(
                2,
                &request(s),
                Err(&format!("connection reset: {echoed} {cut}")),
            ),
        ],
    }
}

fn report(s: &Secrets, answers: &[(HttpAnswer, Placed)]) -> RunReport {
    let mut scenarios: Vec<ScenarioRecord> = answers
        .iter()
        .enumerate()
        .map(|(i, (a, placed))| failed_scenario(i, s, a, placed))
        .collect();
    scenarios.push(ScenarioRecord {
        feature: "echoing servers".into(),
        path: "features/ok.feature".into(),
        line: 1,
        name: "a scenario that passed".into(),
        profile: None,
        tags: vec!["@rfc6749_5_1".into()],
        steps: vec![StepRecord {
            keyword: "Then ".into(),
            text: "the token request succeeded".into(),
            outcome: Verdict::Pass,
        }],
        checks: vec![CheckOutcome::pass(&catalogue::RESP_JSON)],
        excluded: None,
        exchanges: Vec::new(),
    });
    // The pre-flight's refusal quotes what the server answered: an echo too.
    let set_up = answers
        .iter()
        .map(|(answer, placed)| IdentityCheck {
            identity: Identity::SecondClient,
            profile: "401go".into(),
            tried: "a code exchange with a made-up code".into(),
            method: Some("client_secret_post"),
            finding: Finding::Refused(format!("{}: {:?}", answer.describe(), placed.echo())),
        })
        .collect();
    RunReport {
        target: format!("http://user:{}@127.0.0.1:9/", s.password),
        set_up,
        scenarios,
        parse_errors: Vec::new(),
        deviations: vec![DeviationResult {
            check: &catalogue::ERR_CHARSET,
            reason: DEVIATION_REASON.into(),
            verdict: DeviationFinding::KnownDeviation { failures: 1 },
            file: "profiles/deviations/echo.toml".into(),
        }],
        ..RunReport::default()
    }
}

/// Every string in a JSON value.
fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
            out.push(k.clone());
            json_strings(x, out);
        }),
        _ => {}
    }
}

/// Fails when `text` (an output, or a string decoded from one) holds any
/// forbidden spelling, anything placed, or a secret's core.
fn assert_clean(
    what: &str,
    text: &str,
    s: &Secrets,
    forbidden: &[String],
) -> Result<(), TestCaseError> {
    static JWT: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"eyJ[A-Za-z0-9_-]{10,}").unwrap());
    prop_assert!(!JWT.is_match(text), "{} holds a JWT:\n{}", what, text);
    for needle in forbidden {
        prop_assert!(
            !text.contains(needle.as_str()),
            "{} leaks {:?}:\n{}",
            what,
            needle,
            text
        );
    }
    for value in [&s.client_secret, &s.password] {
        let core: String = value
            .chars()
            .filter(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            .take(10)
            .collect();
        prop_assert!(
            !text.contains(&core),
            "{} leaks part of a secret ({}):\n{}",
            what,
            core,
            text
        );
    }
    Ok(())
}

/// Every full encoding of every secret, and everything placed.
fn forbidden(s: &Secrets, placed: &[String]) -> Vec<String> {
    let mut all = s.forbidden();
    all.extend(placed.iter().cloned());
    all
}

fn check_outputs(s: &Secrets, report: &RunReport, placed: &[String]) -> Result<(), TestCaseError> {
    let placed = &forbidden(s, placed);
    let summary = terminal::summary(report);
    let detailed = terminal::detailed(report);
    let json_text = json::render(report).unwrap();
    let junit_text = junit::render(report).unwrap();
    // Parses, and no decoded string leaks either.
    let parsed: serde_json::Value = serde_json::from_str(&json_text)
        .map_err(|e| TestCaseError::fail(format!("--json does not parse: {e}\n{json_text}")))?;
    let mut strings = Vec::new();
    json_strings(&parsed, &mut strings);
    let doc = roxmltree::Document::parse(&junit_text)
        .map_err(|e| TestCaseError::fail(format!("JUnit is not XML: {e}\n{junit_text}")))?;
    let xml_text: Vec<String> = doc
        .descendants()
        .flat_map(|n| {
            let mut t: Vec<String> = n.attributes().map(|a| a.value().to_owned()).collect();
            t.extend(n.text().map(str::to_owned));
            t
        })
        .collect();
    assert_clean("the terminal summary", &summary, s, placed)?;
    assert_clean("the detailed summary (-v)", &detailed, s, placed)?;
    assert_clean("--json", &json_text, s, placed)?;
    assert_clean("--json (decoded)", &strings.join("\n"), s, placed)?;
    assert_clean("JUnit", &junit_text, s, placed)?;
    assert_clean("JUnit (decoded)", &xml_text.join("\n"), s, placed)?;
    // Every failure is named; prose reads as written.
    for sc in &report.scenarios {
        if matches!(sc.outcome(), Verdict::Fail(_)) {
            let line = format!("✘ {} ({})", sc.name, sc.location());
            prop_assert!(summary.contains(&line), "{} missing:\n{}", line, summary);
        }
    }
    prop_assert!(
        summary.starts_with("SET-UP: the second client (OAUTH_CONFORMANCE_SECOND_CLIENT_ID"),
        "{}",
        summary
    );
    prop_assert!(
        detailed.contains(&format!("declared: {DEVIATION_REASON}")),
        "{}",
        detailed
    );
    prop_assert!(
        strings.iter().any(|t| t.contains(CHECK_PROSE)),
        "{}",
        json_text
    );
    prop_assert!(
        strings.iter().any(|t| t == DEVIATION_REASON),
        "{}",
        json_text
    );
    let requirement = catalogue::ERR_WWW_AUTHENTICATE.requirement;
    prop_assert!(strings.iter().any(|t| t == requirement), "{}", json_text);
    for line in summary.lines().filter(|l| l.contains("declared:")) {
        prop_assert!(!line.contains("[REDACTED]"), "{}", line);
    }
    let expected = report.scenarios.len();
    prop_assert_eq!(parsed["scenarios"].as_array().map(Vec::len), Some(expected));
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    prop_assert_eq!(cases, expected);
    Ok(())
}

/// Every 8 characters in a row of every secret, and of the Basic spellings
/// of the client secret.
fn runs_of(s: &Secrets) -> Vec<String> {
    let mut spellings: Vec<String> = s.values().iter().map(|v| (*v).to_owned()).collect();
    for basic in [Encoding::Basic, Encoding::BasicUnencoded] {
        spellings.push(encode(basic, &s.client_secret, &s.id));
    }
    let mut runs = Vec::new();
    for spelling in spellings {
        let chars: Vec<char> = spelling.chars().collect();
        runs.extend(chars.windows(8).map(|w| w.iter().collect::<String>()));
    }
    runs
}

/// The terminal summary and the JSON, JUnit and HTML reports of `report`,
/// each as written and with its strings decoded.
fn rendered(report: &RunReport) -> Vec<(&'static str, String)> {
    let json_text = json::render(report).unwrap();
    let junit_text = junit::render(report).unwrap();
    let html_text = html::render(report).unwrap();
    let mut strings = Vec::new();
    json_strings(&serde_json::from_str(&json_text).unwrap(), &mut strings);
    let xml_text: Vec<String> = roxmltree::Document::parse(&junit_text)
        .unwrap()
        .descendants()
        .flat_map(|n| {
            let mut t: Vec<String> = n.attributes().map(|a| a.value().to_owned()).collect();
            t.extend(n.text().map(str::to_owned));
            t
        })
        .collect();
    vec![
        ("the terminal summary", terminal::summary(report)),
        ("the detailed summary (-v)", terminal::detailed(report)),
        ("--json", json_text),
        ("--json (decoded)", strings.join("\n")),
        ("JUnit", junit_text),
        ("JUnit (decoded)", xml_text.join("\n")),
        ("--html (decoded)", common::html::decoded_text(&html_text)),
        ("--html", html_text),
    ]
}

/// Cases per property: 64 in a plain `cargo test` (each run draws new
/// ones; 256 took half a minute of the budget in a debug build), 256 in CI
/// (`.ci/run` sets `PROPTEST_CASES`), or `PROPTEST_CASES` for a longer hunt.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig::with_cases(cases)
}

proptest! {
    #![proptest_config(config())]

    /// Records -> terminal summary, JSON, JUnit: nothing leaks, nothing breaks.
    #[test]
    fn reports_of_echoing_servers_never_leak_and_always_parse(
        s in secrets(),
        answers in prop::collection::vec(
            (prop::collection::vec(placement(), 1..6), 0..3usize, prop::sample::select(vec![400u16, 401, 500])),
            1..3,
        ),
    ) {
        s.register();
        let built: Vec<(HttpAnswer, Placed)> = answers
            .iter()
            .map(|(placements, kind, status)| answer(&s, placements, *kind, *status))
            .collect();
        let placed: Vec<String> = built.iter().flat_map(|(_, p)| p.all()).collect();
        let report = report(&s, &built);
        check_outputs(&s, &report, &placed)?;
    }

    /// A server that echoes secrets each with one character replaced,
    /// inserted or deleted, in any encoding, anywhere in its answers (the
    /// body across the preview cuts, headers, the step's message, check
    /// reasons): no 8 characters in a row of any secret, or of a Basic
    /// spelling, are left in the JSON, JUnit or HTML report or the terminal
    /// summary, as written or decoded.
    #[test]
    fn secrets_echoed_with_one_character_changed_leave_no_run_of_eight(
        s in secrets(),
        answers in prop::collection::vec(
            (prop::collection::vec(mutation(), 1..5), 0..3usize, prop::sample::select(vec![400u16, 401, 500])),
            1..3,
        ),
    ) {
        s.register();
        let built: Vec<(HttpAnswer, Placed)> = answers
            .iter()
            .map(|(mutations, kind, status)| changed_echo(&s, mutations, *kind, *status))
            .collect();
        let report = report(&s, &built);
        // Every run at once: one pass over each text (hundreds of runs,
        // reports of many kilobytes).
        let runs = aho_corasick::AhoCorasick::new(runs_of(&s)).unwrap();
        for (what, text) in rendered(&report) {
            if let Some(found) = runs.find(&text) {
                prop_assert!(false, "{} leaks {:?}:\n{}", what, &text[found.range()], text);
            }
        }
    }

    /// The verbose stream: lines split at random between writes.
    #[test]
    fn the_redacting_writer_never_leaks_however_lines_are_split(
        s in secrets(),
        placements in prop::collection::vec(placement(), 1..6),
        splits in prop::collection::vec(0..4000usize, 0..12),
    ) {
        s.register();
        let (answer, placed) = answer(&s, &placements, 2, 401);
        let error = oauth_conformance::client::parse_token_answer(&answer).err().map(|e| e.to_string()).unwrap_or_default();
        let stream = format!(
            "  ✘  Then the token request succeeded\n      Step failed: {error}\n      echo: {} {}\n{}",
            placed.echo(),
            placed.last_cut(),
            String::from_utf8_lossy(&answer.body),
        );
        let placed = placed.all();
        let mut out = Vec::new();
        {
            let mut w = RedactingWriter::new(&mut out);
            let mut cuts: Vec<usize> = splits.into_iter().map(|c| c.min(stream.len())).collect();
            cuts.sort_unstable();
            let mut at = 0;
            for cut in cuts {
                std::io::Write::write_all(&mut w, &stream.as_bytes()[at..cut.max(at)]).unwrap();
                std::io::Write::flush(&mut w).unwrap();
                at = cut.max(at);
            }
            std::io::Write::write_all(&mut w, &stream.as_bytes()[at..]).unwrap();
        }
        let shown = String::from_utf8_lossy(&out).into_owned();
        // Whole cut-off fragments are redacted where the stream ends, or at
        // a mark; a line that ends with one is a cut too.
        assert_clean("the verbose output", &shown, &s, &forbidden(&s, &placed))?;
        prop_assert_eq!(shown.lines().count(), stream.lines().count());
    }

    /// The body preview: redacted before the cut, cut on a character
    /// boundary, never longer than asked (plus the mark), never a leak.
    #[test]
    fn previews_are_cut_after_redaction(
        s in secrets(),
        placements in prop::collection::vec(placement(), 1..4),
        max in prop_oneof![190..215usize, 1000..1040usize, 1..64usize],
    ) {
        s.register();
        let (answer, placed) = answer(&s, &placements, 1, 500);
        let placed = placed.all();
        let shown = preview(&answer.body, max);
        prop_assert!(shown.trim_end_matches('…').len() <= max, "{} > {}", shown.len(), max);
        assert_clean("a preview", &shown, &s, &forbidden(&s, &placed))?;
        prop_assert_eq!(redact(&shown), shown.clone(), "redaction is idempotent");
    }
}

#[test]
fn catalogue_and_deviation_prose_reads_as_written() {
    for check in catalogue::ALL {
        for text in [check.requirement, check.source, check.id] {
            assert_eq!(redact(text), text, "{}", check.id);
        }
    }
    for prose in [DEVIATION_REASON, CHECK_PROSE] {
        assert_eq!(redact(prose), prose);
    }
    let deviations = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("profiles/deviations/django-oauth-toolkit.toml"),
    )
    .unwrap();
    for line in deviations.lines() {
        assert_eq!(redact(line), line);
    }
}
