//! Benchmark: the login driver reading pathological pages.
//!
//! Reads pages of (just under) 1 MiB, the transport's size cap, shaped to
//! hurt an HTML reader: 200,000 nested `<div>`s (an HTML tree builder pays
//! for every level on every tag: the driver's old reader took minutes), one
//! tag with 100,000 attributes (quadratic in a reader that checks each new
//! attribute against the others), a form with 100,000 radio buttons,
//! 100,000 links, an unclosed comment, a megabyte of `&` (a reader that
//! looks for each reference's `;` to the end of the page is quadratic) and
//! labels pointing at many controls; then drives a whole login against a local server that
//! serves the nested page, to show the answer a user gets and how fast.
//! Prints figures; asserts only that the driver answers with "could not
//! drive the login". Not a test: timings are printed, never asserted.
//!
//!     cargo bench --bench login_page

mod common;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use oauth_conformance::client::login::{self, Decision, UserLogin};
use oauth_conformance::client::{Limits, Secret, Transport};
use oauth_conformance::profile::LoginSettings;

/// Just under the transport's 1 MiB body cap.
const SIZE: usize = 1024 * 1024 - 64;
const ROUNDS: u32 = 5;

fn fill(head: &str, unit: &str, tail: &str) -> String {
    let mut html = String::from(head);
    while html.len() + unit.len() + tail.len() <= SIZE {
        html.push_str(unit);
    }
    html.push_str(tail);
    html
}

fn pages() -> Vec<(&'static str, String)> {
    vec![
        ("nested <div>s", fill("<html><body>", "<div>", "")),
        ("one tag, many attributes", fill("<input", " a", ">")),
        (
            "a form of radio buttons",
            fill(
                "<form method=post>",
                "<input type=radio name=account value=x>",
                "</form>",
            ),
        ),
        ("links", fill("", "<a href=/x>x</a>", "")),
        ("an unclosed comment", fill("<!--", "-", "")),
        ("ampersands, no `;`", fill("<p>", "&", "")),
        (
            "labels for many controls",
            fill(
                "<form method=post>",
                "<input type=radio name=a id=r><label for=r>R</label>",
                "</form>",
            ),
        ),
    ]
}

fn main() -> ExitCode {
    let url: url::Url = "http://127.0.0.1:1/login".parse().expect("static URL");
    println!("reading pages of {SIZE} bytes, best of {ROUNDS}:");
    for (what, html) in pages() {
        let mut best = Duration::MAX;
        let mut forms = 0;
        for _ in 0..ROUNDS {
            let start = Instant::now();
            let page = login::read::read(&url, &html);
            best = best.min(start.elapsed());
            forms = page.forms.len();
        }
        println!("  {what:<26} {best:>12.3?}  ({forms} forms)");
    }
    common::run(drive())
}

/// A whole login against a server whose authorization endpoint answers
/// with the nested page: the time to the driver's answer, and the answer.
async fn drive() -> Result<(), String> {
    let server = httpmock::MockServer::start_async().await;
    let nested = fill("<html><body>", "<div>", "");
    server
        .mock_async(|when, then| {
            when.path("/authorize");
            then.status(200)
                .header("content-type", "text/html")
                .body(nested.clone());
        })
        .await;
    let transport = Transport::new(Limits::default()).map_err(|e| e.to_string())?;
    let user = UserLogin {
        username: "user".into(),
        password: Secret::new("not-a-real-password"),
    };
    let authorize: url::Url = server
        .url("/authorize")
        .parse()
        .map_err(|e| format!("{e}"))?;
    let start = Instant::now();
    let trip = login::authorize(
        &transport,
        &authorize,
        "http://127.0.0.1:9/cb",
        &user,
        &Decision::Approve { account: None },
        // The HTML driver alone: this measures its reader.
        &LoginSettings {
            browser: oauth_conformance::profile::BrowserUse::Never,
            ..LoginSettings::default()
        },
        false,
    )
    .await;
    let took = start.elapsed();
    let answer = match trip.redirect {
        Err(e) if e.is_undrivable() => e.to_string(),
        other => {
            return Err(format!(
                "expected 'could not drive the login', got {other:?}"
            ));
        }
    };
    let shown: String = answer.chars().take(160).collect();
    println!("whole login against the nested page (fetch + read): {took:.3?}");
    println!("  answer: {shown}…");
    Ok(())
}
