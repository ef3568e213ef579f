//! `cargo test` entry point: runs every feature against the embedded mock, or
//! against the server `OAUTH_CONFORMANCE_TARGET` names (with the other
//! `OAUTH_CONFORMANCE_*` settings, as for the CLI).
//!
//! cucumber options reach this target only: `cargo test --test conformance --
//! --tags @401go` (a bare `cargo test -- --tags …` would also reach the
//! library's libtest harness, which rejects them).

use std::process::ExitCode;

use oauth_conformance::redact::redact;
use oauth_conformance::report::terminal;
use oauth_conformance::runner::{self, RunOptions};
use oauth_conformance::sandbox::TargetSettings;

fn main() -> ExitCode {
    let mut options = RunOptions::defaults();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tags" | "-t" => options.tags = args.next(),
            "--name" | "-n" => options.name = args.next(),
            "--quiet" | "-q" => options.print_steps = false,
            "--strict" => options.strict = true,
            // libtest flags cargo may pass (e.g. --nocapture) mean nothing here.
            other if other.starts_with('-') => eprintln!("conformance: ignoring option {other}"),
            // A bare word is a name filter, as with libtest.
            other => options.name = Some(regex::escape(other)),
        }
    }
    let options = match TargetSettings::from_env(None)
        .map_err(|e| e.to_string())
        .and_then(|settings| options.with_settings(settings).map_err(|e| e.to_string()))
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("conformance: {}", redact(&e));
            return ExitCode::FAILURE;
        }
    };
    match runner::run_blocking(options) {
        Ok(report) => {
            print!("{}", terminal::summary(&report));
            ExitCode::from(report.status().exit_code())
        }
        Err(e) => {
            eprintln!("conformance: {}", redact(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}
