//! Output: the run's records and the report formats.
//!
//! Every format is rendered from one [`results::RunReport`]: scenarios,
//! steps, check outcomes, the HTTP exchanges behind a failure
//! ([`exchange`]) and the feature files as written ([`features`]); the
//! HTML page ([`html`]) also renders the features alone ([`docs`]). Every
//! string field is redacted on its own, never the rendered text: each
//! renderer starts from [`RunReport::redacted`] ([`redacted`]).

pub mod collector;
pub mod docs;
pub mod exchange;
pub mod features;
pub mod html;
pub mod json;
pub mod junit;
pub mod origins;
pub mod outputs;
pub mod progress;
pub mod redacted;
pub mod results;
pub mod scenario;
pub mod skips;
pub mod terminal;

#[cfg(test)]
mod set_up_tests;

pub use results::{RunReport, Verdict};

/// A report that could not be rendered or written; the message names the
/// format and, for a write, the file.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot render the JSON results: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot render the HTML report: {0}")]
    Html(String),
    #[error("cannot render JUnit XML: {0}")]
    Junit(#[from] quick_junit::SerializeError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// The time now, as a report states when it was made: RFC 3339, UTC, to
/// the second.
pub fn now_rfc3339() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}

/// Writes a rendered report to `path`.
pub fn write(path: &std::path::Path, text: &str) -> Result<(), ReportError> {
    std::fs::write(path, text).map_err(|source| ReportError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// A report file, created before the run: a path that cannot be written
/// fails the run at once, not after it.
#[derive(Debug)]
pub struct ReportFile {
    path: std::path::PathBuf,
    file: std::fs::File,
}

impl ReportFile {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &std::path::Path) -> Result<Self, ReportError> {
        let file = std::fs::File::create(path).map_err(|source| ReportError::Write {
            path: path.display().to_string(),
            source,
        })?;
        Ok(Self {
            path: path.to_owned(),
            file,
        })
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Writes the rendered report and closes the file.
    pub fn write(mut self, text: &str) -> Result<(), ReportError> {
        use std::io::Write as _;
        self.file
            .write_all(text.as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(|source| ReportError::Write {
                path: self.path.display().to_string(),
                source,
            })
    }

    /// Removes the file again: the run did not start, so it has no report.
    pub fn discard(self) {
        drop(self.file);
        let _ = std::fs::remove_file(&self.path);
    }
}
