//! Finding one's way: the features by folder, the scenarios by source (an
//! RFC section or a seed guide), sources in reading order (§2.3 before
//! §10.12).

use std::collections::BTreeMap;

use super::scenarios::{FeatureView, slug};
use super::status::Badge;

/// A link to a scenario, with its status.
pub struct NavLink {
    pub id: String,
    pub name: String,
    pub status: Badge,
}

/// A folder of features, as the page shows them: the navigation links to
/// it and to each of its features.
pub struct Folder {
    pub id: String,
    /// "rfc/", "guides/401go/".
    pub label: String,
    pub features: Vec<FeatureView>,
}

pub struct SourceNav {
    pub id: String,
    pub source: String,
    pub scenarios: Vec<NavLink>,
}

impl SourceNav {
    /// How many of its scenarios have `status`, for the nav's counts.
    pub fn count(&self, class: &str) -> usize {
        self.scenarios
            .iter()
            .filter(|s| s.status.class() == class)
            .count()
    }
}

/// A piece of a sort key: numbers compare as numbers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Piece {
    Number(u64),
    Text(String),
}

/// The key that sorts "RFC 6749 §2.3" before "RFC 6749 §10.12".
pub fn natural(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut digits = String::new();
    let mut letters = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !letters.is_empty() {
                pieces.push(Piece::Text(std::mem::take(&mut letters)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                pieces.push(Piece::Number(digits.parse().unwrap_or(u64::MAX)));
                digits.clear();
            }
            letters.extend(c.to_lowercase());
        }
    }
    if !digits.is_empty() {
        pieces.push(Piece::Number(digits.parse().unwrap_or(u64::MAX)));
    }
    if !letters.is_empty() {
        pieces.push(Piece::Text(letters));
    }
    pieces
}

/// The features grouped by folder, in the order given.
pub fn folders(features: Vec<FeatureView>) -> Vec<Folder> {
    let mut out: Vec<Folder> = Vec::new();
    for f in features {
        if out.last().is_none_or(|n| n.id != folder_id(&f.folder)) {
            out.push(Folder {
                id: folder_id(&f.folder),
                label: folder_label(&f.folder),
                features: Vec::new(),
            });
        }
        if let Some(folder) = out.last_mut() {
            folder.features.push(f);
        }
    }
    out
}

pub fn folder_id(folder: &str) -> String {
    format!("folder-{}", slug(folder))
}

pub fn folder_label(folder: &str) -> String {
    if folder.is_empty() {
        "features/".into()
    } else if folder.starts_with('(') {
        folder.into()
    } else {
        format!("{folder}/")
    }
}

/// The scenarios grouped by the sources their tags name.
pub fn sources(folders: &[Folder]) -> Vec<SourceNav> {
    let mut by_source: BTreeMap<Vec<Piece>, SourceNav> = BTreeMap::new();
    let features = folders.iter().flat_map(|f| &f.features);
    for s in features.flat_map(|f| &f.scenarios) {
        let none = ["(no source tag)".to_owned()];
        let sources = if s.sources.is_empty() {
            &none[..]
        } else {
            &s.sources[..]
        };
        for source in sources {
            by_source
                .entry(natural(source))
                .or_insert_with(|| SourceNav {
                    id: format!("src-{}", slug(source)),
                    source: source.clone(),
                    scenarios: Vec::new(),
                })
                .scenarios
                .push(NavLink {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    status: s.status,
                });
        }
    }
    by_source.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_sort_as_numbers() {
        let mut sources = vec![
            "seed 000",
            "RFC 6749 §10.12",
            "RFC 6749 §2.3.1",
            "RFC 6749 §2.3",
            "RFC 6750 §3",
        ];
        sources.sort_by_key(|s| natural(s));
        assert_eq!(
            sources,
            [
                "RFC 6749 §2.3",
                "RFC 6749 §2.3.1",
                "RFC 6749 §10.12",
                "RFC 6750 §3",
                "seed 000"
            ]
        );
        assert_eq!(folder_label(""), "features/");
        assert_eq!(folder_id("guides/401go"), "folder-guides-401go");
    }
}
