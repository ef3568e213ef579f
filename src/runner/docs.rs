//! The features as documentation, without running anything (`docs`): every
//! feature, or, for a profile, the RFC features and the guides it declares,
//! each scenario it cannot run marked with the reason a run would skip it
//! with ([`Profile::unmet_need`]).

use std::path::Path;

use super::selection::FeatureKind;
use crate::profile::Profile;
use crate::report::docs::{DocsReport, SetAsideNote};
use crate::report::features::{self, FeatureRecord};

/// The features below `features` as a reader's documentation, for
/// `profile` when one is given.
pub fn docs(features: &Path, profile: Option<&Profile>) -> DocsReport {
    let base = std::env::current_dir().unwrap_or_default();
    let (mut records, parse_errors) = features::read(features, &base);
    let mut set_aside = Vec::new();
    if let Some(profile) = profile {
        let root = features.canonicalize().unwrap_or(features.to_owned());
        records.retain(|f| applies(f, profile, &root, &base));
        for f in &records {
            for s in &f.scenarios {
                let tags = f
                    .tags
                    .iter()
                    .chain(&s.tags)
                    .chain(s.examples.iter().flat_map(|e| &e.tags));
                let why = profile
                    .unmet_need(tags, true)
                    .unwrap_or_else(|e| Some(e.to_string()));
                if let Some(reason) = why {
                    set_aside.push(SetAsideNote {
                        path: f.path.clone(),
                        line: s.line,
                        reason,
                    });
                }
            }
        }
    }
    DocsReport {
        generated_at: crate::report::now_rfc3339(),
        profile: profile.map(|p| p.name.clone()),
        features: records,
        set_aside,
        parse_errors,
    }
}

/// Whether a run for `profile` runs the feature: an RFC feature, or one of
/// a guide the profile declares.
fn applies(feature: &FeatureRecord, profile: &Profile, root: &Path, base: &Path) -> bool {
    let path = base.join(&feature.path);
    match FeatureKind::of(Some(&path), root) {
        FeatureKind::Rfc => true,
        FeatureKind::Guide(g) => profile.guides.contains(&g),
        FeatureKind::Other => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("features")
    }

    #[test]
    fn every_feature_without_a_profile() {
        let docs = docs(&features_dir(), None);
        assert!(docs.parse_errors.is_empty(), "{:?}", docs.parse_errors);
        let folders: Vec<&str> = docs.features.iter().map(|f| f.folder.as_str()).collect();
        for folder in ["rfc", "guides/401go", "client/token_lifetime", "harness"] {
            assert!(folders.contains(&folder), "{folder} in {folders:?}");
        }
        assert!(docs.set_aside.is_empty());
    }

    #[test]
    fn a_profile_gets_the_rfc_features_and_its_guides_with_what_it_cannot_run() {
        let profile = Profile::load("401go").unwrap();
        let docs = docs(&features_dir(), Some(&profile));
        assert_eq!(docs.profile.as_deref(), Some("401go"));
        for f in &docs.features {
            assert!(
                f.folder == "rfc" || f.folder == "guides/401go",
                "{} is not for 401go",
                f.path
            );
        }
        assert!(docs.features.iter().any(|f| f.folder == "guides/401go"));
        // 401go sends no PKCE challenge: the PKCE scenarios are marked.
        let pkce = docs
            .set_aside
            .iter()
            .find(|n| n.reason.contains("authorization_code.pkce"))
            .expect("a PKCE scenario is set aside");
        assert!(docs.set_aside(&pkce.path, pkce.line).is_some());
    }
}
