//! `cargo test` entry point: runs every feature against the embedded mock, or
//! against the server `OAUTH_CONFORMANCE_TARGET` names (with the other
//! `OAUTH_CONFORMANCE_*` settings, as for the CLI).
//!
//! cucumber options reach this target only: `cargo test --test conformance --
//! --tags @401go` (a bare `cargo test -- --tags …` would also reach the
//! library's libtest harness, which rejects them). `--html FILE`, or
//! `OAUTH_CONFORMANCE_HTML=FILE` (which a bare `cargo test` passes on too),
//! writes the HTML report of the run.

use std::process::ExitCode;

use oauth_conformance::redact::redact;
use oauth_conformance::report::{ReportFile, html, terminal};
use oauth_conformance::runner::{self, RunOptions};
use oauth_conformance::sandbox::TargetSettings;

fn main() -> ExitCode {
    // `cargo test` runs the suite's proofs of itself too (`--self-test`).
    let mut options = RunOptions {
        self_test: true,
        ..RunOptions::defaults()
    };
    let mut verbose = false;
    let mut html_path = std::env::var_os(HTML_VARIABLE).filter(|p| !p.is_empty());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tags" | "-t" => options.tags = args.next(),
            "--name" | "-n" => options.name = args.next(),
            "--quiet" | "-q" => options.print_steps = false,
            "--strict" => options.strict = true,
            "--verbose" | "-v" => verbose = true,
            "--html" => html_path = args.next().map(Into::into),
            // libtest flags cargo may pass (e.g. --nocapture) mean nothing here.
            other if other.starts_with('-') => eprintln!("conformance: ignoring option {other}"),
            // A bare word is a name filter, as with libtest.
            other => options.name = Some(regex::escape(other)),
        }
    }
    // Opened before the run: a path that cannot be written fails now.
    let html_file = match html_path.as_deref().map(|p| ReportFile::create(p.as_ref())) {
        None => None,
        Some(Ok(file)) => Some(file),
        Some(Err(e)) => {
            eprintln!("conformance: cannot open the HTML report output: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = match TargetSettings::from_env(None)
        .map_err(|e| e.to_string())
        .and_then(|settings| options.with_settings(settings).map_err(|e| e.to_string()))
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("conformance: {}", redact(&e));
            html_file.into_iter().for_each(ReportFile::discard);
            return ExitCode::FAILURE;
        }
    };
    match runner::run_blocking(options) {
        Ok(report) => {
            let written = html_file.is_none_or(|file| write_html(file, &report));
            match verbose {
                true => print!("{}", terminal::detailed(&report)),
                false => print!("{}", terminal::summary(&report)),
            }
            match written {
                true => ExitCode::from(report.status().exit_code()),
                false => ExitCode::FAILURE,
            }
        }
        Err(e) => {
            eprintln!("conformance: {}", redact(&e.to_string()));
            html_file.into_iter().for_each(ReportFile::discard);
            ExitCode::FAILURE
        }
    }
}

/// Where the HTML report goes when no `--html` is given.
const HTML_VARIABLE: &str = "OAUTH_CONFORMANCE_HTML";

/// Writes the HTML report; says where, or why not.
fn write_html(file: ReportFile, report: &oauth_conformance::report::RunReport) -> bool {
    let path = file.path().display().to_string();
    match html::render(report).and_then(|page| file.write(&page)) {
        Ok(()) => {
            eprintln!("conformance: HTML report written to {path}");
            true
        }
        Err(e) => {
            eprintln!("conformance: cannot write the HTML report to {path}: {e}");
            false
        }
    }
}
