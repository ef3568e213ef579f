//! The report files a command was asked for (`--junit`, `--json`, `--html`):
//! created before the command does its work, so a path that cannot be
//! written fails at once, then written from the finished report. `run` and
//! `serve` share it.

use std::path::PathBuf;

use super::{ReportError, ReportFile, RunReport, html, json, junit};

/// Renders one report format.
type Renderer = fn(&RunReport) -> Result<String, ReportError>;

/// The files asked for, each with what it holds and how it is rendered.
pub struct Outputs(Vec<(&'static str, ReportFile, Renderer)>);

impl Outputs {
    /// Creates every file asked for; on the first that cannot be created,
    /// removes those already created and says which output failed.
    pub fn create(
        junit: &Option<PathBuf>,
        json: &Option<PathBuf>,
        html: &Option<PathBuf>,
    ) -> Result<Self, String> {
        let mut outputs = Self(Vec::new());
        for (what, path, render) in [
            ("JUnit XML", junit, junit::render as Renderer),
            ("JSON results", json, json::render),
            ("HTML report", html, html::render),
        ] {
            let Some(path) = path else { continue };
            match ReportFile::create(path) {
                Ok(file) => outputs.0.push((what, file, render)),
                Err(e) => {
                    outputs.discard();
                    return Err(format!("cannot open the {what} output: {e}"));
                }
            }
        }
        Ok(outputs)
    }

    /// Removes the files again: the command did not finish, so there is no
    /// report to write.
    pub fn discard(self) {
        self.0.into_iter().for_each(|(_, file, _)| file.discard());
    }

    /// Renders and writes each file, printing where each went (or why it
    /// could not be written, on stderr). Returns what was written, with its
    /// path, and whether every file was.
    pub fn write(self, report: &RunReport) -> (Vec<(&'static str, String)>, bool) {
        let mut written = Vec::new();
        let mut all_written = true;
        for (what, file, render) in self.0 {
            let path = file.path().display().to_string();
            match write_one(what, file, render(report)) {
                true => written.push((what, path)),
                false => all_written = false,
            }
        }
        (written, all_written)
    }
}

/// Writes one rendered report and says so: "X written to PATH" on stdout,
/// or the error on stderr. `true` when it was written.
pub fn write_one(what: &str, file: ReportFile, rendered: Result<String, ReportError>) -> bool {
    let path = file.path().display().to_string();
    match rendered.and_then(|text| file.write(&text)) {
        Ok(()) => {
            println!("{what} written to {path}");
            true
        }
        Err(e) => {
            eprintln!("error: cannot write {what} to {path}: {e}");
            false
        }
    }
}
