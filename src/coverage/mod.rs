//! The traceability matrix (`oauth-conformance coverage`): each requirement
//! of `spec/requirements.toml`, the catalogue checks that test it, the
//! scenarios that judged those checks in a run against the mock, and the
//! fault that proves each check; with its status and the totals per RFC and
//! level. One job per file:
//!
//! - [`requirements`]: the requirements file as validated data;
//! - [`consistency`]: the catalogue and the file agree (every check tests a
//!   requirement, at the level and section it cites);
//! - [`evidence`]: what a run of the features and the fault table show of
//!   each check;
//! - [`matrix`]: the rows, their status and the totals;
//! - [`text`], [`json`], [`markdown`]: the renderers;
//! - [`readme`]: the generated totals block of README.md.

pub mod consistency;
pub mod evidence;
pub mod json;
pub mod markdown;
pub mod matrix;
pub mod readme;
pub mod requirements;
pub mod text;

use std::path::{Path, PathBuf};

use crate::checks::catalogue;
use crate::runner::RunError;
use evidence::Evidence;
use matrix::{Matrix, UnknownScenario};
use requirements::{Requirements, RequirementsError};

/// Why the matrix could not be made. Each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum CoverageError {
    #[error(transparent)]
    Requirements(#[from] RequirementsError),
    #[error("cannot run the features against the mock: {0}")]
    Run(#[from] RunError),
    #[error(transparent)]
    Scenario(#[from] UnknownScenario),
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// What the matrix is made of: the requirements and what the suite shows.
#[derive(Clone, Debug)]
pub struct Coverage {
    pub requirements: Requirements,
    pub evidence: Evidence,
}

impl Coverage {
    /// Loads `requirements` and runs `features` against the mock (a few
    /// seconds).
    pub async fn gather(requirements: &Path, features: PathBuf) -> Result<Self, CoverageError> {
        let requirements = Requirements::load(requirements, catalogue::ALL)?;
        let report = evidence::run_suite(features).await?;
        Ok(Coverage {
            requirements,
            evidence: Evidence::from_report(&report),
        })
    }

    /// [`Self::gather`] on a runtime of its own.
    pub fn gather_blocking(requirements: &Path, features: PathBuf) -> Result<Self, CoverageError> {
        crate::runner::on_large_stack(move || {
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .map_err(CoverageError::Runtime)?
                .block_on(Self::gather(requirements, features))
        })
        .map_err(CoverageError::Runtime)?
    }

    pub fn matrix(&self) -> Result<Matrix<'_>, CoverageError> {
        Ok(Matrix::build(&self.requirements, &self.evidence)?)
    }
}

/// `spec/requirements.toml` of the working directory, else of the crate.
pub fn default_requirements() -> PathBuf {
    let local = PathBuf::from("spec/requirements.toml");
    if local.is_file() {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("spec/requirements.toml")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_path(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
    }

    /// README.md shows the totals of the current catalogue, features and
    /// requirements file; this fails when they are stale.
    #[test]
    fn readme_totals_are_current() {
        let coverage = Coverage::gather_blocking(
            &crate_path("spec/requirements.toml"),
            crate_path("features"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            coverage.evidence.failed.is_empty(),
            "the run against the mock failed {} scenarios, so the totals cannot be compared (a loaded machine times out):\n{}",
            coverage.evidence.failed.len(),
            coverage.evidence.failed.join("\n")
        );
        let matrix = coverage.matrix().unwrap_or_else(|e| panic!("{e}"));
        let expected = markdown::totals(&matrix);
        let path = crate_path("README.md");
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = readme::block(&text).unwrap_or_else(|| {
            panic!(
                "{}",
                readme::ReadmeError::NoMarkers {
                    file: path.display().to_string()
                }
            )
        });
        assert!(
            shown == expected.trim_matches('\n'),
            "README.md's coverage totals are stale: run `{}`\n--- README.md\n{shown}\n--- now\n{expected}",
            readme::COMMAND
        );
    }
}
