//! Output: the report formats.
//!
//! Every format is rendered from one [`results::RunReport`], and every string
//! that leaves the process passes [`crate::redact::redact`].

pub mod collector;
pub mod json;
pub mod junit;
pub mod results;
pub mod scenario;
pub mod skips;
pub mod terminal;

pub use results::{Outcome, RunReport};

/// A report that could not be rendered or written; the message names the
/// format and, for a write, the file.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot render the JSON results: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot render JUnit XML: {0}")]
    Junit(#[from] quick_junit::SerializeError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Writes a rendered report to `path`.
pub fn write(path: &std::path::Path, text: &str) -> Result<(), ReportError> {
    std::fs::write(path, text).map_err(|source| ReportError::Write {
        path: path.display().to_string(),
        source,
    })
}
