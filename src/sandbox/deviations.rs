//! A target's declared deviations: checks it is known to fail, with why.
//!
//! Real servers break rules, and CI must still be able to run green against a
//! known one without hiding anything. A deviations file lists check ids with a
//! reason. A declared check that fails is reported as a *known deviation* and
//! does not fail the step; one that passes everywhere it ran is reported as
//! *unexpectedly passed* and fails the run, so the list never goes stale.
//! Nothing that is not listed is ever silenced, and an id that is not in the
//! catalogue is refused when the file is read.
//!
//! ```toml
//! target = "Django OAuth Toolkit 3.4.1"
//! [[deviation]]
//! check = "error-response-www-authenticate"
//! reason = "answers a failed Basic login with WWW-Authenticate: Bearer"
//! ```

use std::path::Path;

use crate::checks::CheckOutcome;
use crate::checks::catalogue::{ALL, Check};

#[derive(Clone, Debug, serde::Serialize)]
pub struct Deviation {
    pub check: &'static Check,
    pub reason: String,
}

#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Deviations {
    /// What the file says it describes.
    pub target: String,
    /// The file, for messages.
    pub path: String,
    pub entries: Vec<Deviation>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    target: String,
    #[serde(default)]
    deviation: Vec<Entry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    check: String,
    reason: String,
}

/// Why a deviations file was refused; each names the file and what to fix.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DeviationsError {
    #[error(
        "cannot read the deviations file {path}: {detail} (set by --deviations or OAUTH_CONFORMANCE_DEVIATIONS)"
    )]
    Unreadable { path: String, detail: String },
    #[error("deviations file {path}: {detail}")]
    Invalid { path: String, detail: String },
    #[error(
        "deviations file {path}: no check has the id {id:?}; `oauth-conformance checks` lists them"
    )]
    UnknownCheck { path: String, id: String },
    #[error("deviations file {path}: the deviation of {id:?} needs a reason")]
    NoReason { path: String, id: String },
    #[error("deviations file {path}: {id:?} is declared twice")]
    Twice { path: String, id: String },
}

impl Deviations {
    pub fn load(path: &Path) -> Result<Self, DeviationsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| DeviationsError::Unreadable {
            path: shown.clone(),
            detail: e.to_string(),
        })?;
        Self::parse(&text, &shown)
    }

    pub fn parse(text: &str, shown: &str) -> Result<Self, DeviationsError> {
        let path = || shown.to_owned();
        let file: File = toml::from_str(text).map_err(|e| DeviationsError::Invalid {
            path: path(),
            detail: e.to_string(),
        })?;
        let mut entries: Vec<Deviation> = Vec::new();
        for entry in file.deviation {
            let check = ALL
                .iter()
                .copied()
                .find(|c| c.id == entry.check)
                .ok_or_else(|| DeviationsError::UnknownCheck {
                    path: path(),
                    id: entry.check.clone(),
                })?;
            if entry.reason.trim().is_empty() {
                return Err(DeviationsError::NoReason {
                    path: path(),
                    id: entry.check,
                });
            }
            if entries.iter().any(|d| d.check.id == check.id) {
                return Err(DeviationsError::Twice {
                    path: path(),
                    id: entry.check,
                });
            }
            entries.push(Deviation {
                check,
                reason: entry.reason,
            });
        }
        Ok(Self {
            target: file.target,
            path: shown.to_owned(),
            entries,
        })
    }

    /// Turns each failure of a declared check into a known deviation.
    pub fn apply(&self, outcomes: Vec<CheckOutcome>) -> Vec<CheckOutcome> {
        outcomes
            .into_iter()
            .map(|o| match self.reason_for(o.check) {
                Some(reason) => o.declare_deviation(reason),
                None => o,
            })
            .collect()
    }

    /// The declared reason for a check, if it is a known deviation.
    pub fn reason_for(&self, check: &Check) -> Option<&str> {
        self.entries
            .iter()
            .find(|d| d.check.id == check.id)
            .map(|d| d.reason.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_declares_checks_with_reasons() {
        let d = Deviations::parse(
            "target = \"x\"\n[[deviation]]\ncheck = \"error-response-www-authenticate\"\nreason = \"Bearer after Basic\"\n",
            "d.toml",
        )
        .unwrap();
        assert_eq!(
            d.reason_for(&crate::checks::catalogue::ERR_WWW_AUTHENTICATE),
            Some("Bearer after Basic")
        );
        assert_eq!(d.reason_for(&crate::checks::catalogue::RESP_JSON), None);
    }

    #[test]
    fn unknown_ids_missing_reasons_and_duplicates_are_refused() {
        let unknown = Deviations::parse(
            "target = \"x\"\n[[deviation]]\ncheck = \"nope\"\nreason = \"r\"\n",
            "d.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            unknown.contains("no check has the id \"nope\""),
            "{unknown}"
        );
        let no_reason = Deviations::parse(
            "target = \"x\"\n[[deviation]]\ncheck = \"token-response-json\"\nreason = \" \"\n",
            "d.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(no_reason.contains("needs a reason"), "{no_reason}");
        let twice = Deviations::parse(
            "target = \"x\"\n[[deviation]]\ncheck = \"token-response-json\"\nreason = \"a\"\n[[deviation]]\ncheck = \"token-response-json\"\nreason = \"b\"\n",
            "d.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(twice.contains("declared twice"), "{twice}");
    }

    const TWO: &str = "target = \"x\"\n[[deviation]]\ncheck = \"error-response-www-authenticate\"\nreason = \"Bearer after Basic\"\n[[deviation]]\ncheck = \"token-response-json\"\nreason = \"text/plain\"\n";

    #[test]
    fn two_different_checks_can_be_declared() {
        let d = Deviations::parse(TWO, "d.toml").unwrap();
        assert_eq!(
            d.reason_for(&crate::checks::catalogue::RESP_JSON),
            Some("text/plain")
        );
        assert_eq!(d.entries.len(), 2);
    }

    #[test]
    fn a_file_is_loaded_from_disk_and_an_absent_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("deviations.toml");
        std::fs::write(&path, TWO).unwrap();
        let d = Deviations::load(&path).unwrap();
        assert_eq!(d.target, "x");
        assert_eq!(d.entries.len(), 2);
        let absent = Deviations::load(&dir.path().join("absent.toml")).unwrap_err();
        assert!(
            matches!(absent, DeviationsError::Unreadable { .. }),
            "{absent}"
        );
    }

    #[test]
    fn only_a_declared_checks_failure_becomes_a_known_deviation() {
        use crate::checks::catalogue::{ERR_STATUS, ERR_WWW_AUTHENTICATE, RESP_JSON};
        let d = Deviations::parse(TWO, "d.toml").unwrap();
        let out = d.apply(vec![
            CheckOutcome::fail(&ERR_WWW_AUTHENTICATE, "Bearer"),
            CheckOutcome::pass(&RESP_JSON),
            CheckOutcome::fail(&ERR_STATUS, "500"),
        ]);
        assert_eq!(out.len(), 3);
        assert!(
            out[0].known_deviation()
                && out[0]
                    .detail()
                    .is_some_and(|d| d.contains("Bearer after Basic")),
            "{:?}",
            out[0]
        );
        assert_eq!(out[1], CheckOutcome::pass(&RESP_JSON));
        assert!(out[2].failed());
    }

    /// The sandboxes' files say each deviation's level first, as the
    /// catalogue has it, so a re-levelled check cannot keep a stale reason
    /// (and a reader sees which ones fail only a --strict run).
    #[test]
    fn the_sandboxes_files_name_each_checks_level() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/deviations");
        for name in ["django-oauth-toolkit.toml", "oidc-provider.toml"] {
            let d = Deviations::load(&dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
            for entry in &d.entries {
                let level = entry.check.level.to_string();
                assert!(
                    entry.reason.starts_with(&level),
                    "{name}: {} is {level}, but its reason says {:?}",
                    entry.check.id,
                    entry.reason
                );
            }
        }
    }
}
