//! The requirements file (`spec/requirements.toml`) as data: every testable
//! requirement of the RFC sections and seed guides in scope, with the
//! catalogue checks that test it or why no black-box test can.
//!
//! Loading validates every row and names the file, the row's id and the
//! field of each problem; a check id must be in the catalogue, and a check
//! still being written elsewhere (`awaiting`) must not be yet.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use crate::checks::Check;

/// Where a requirement is written: a document and, for an RFC, its sections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// "RFC 6749" or "seed 000".
    pub document: String,
    /// "4.1.3", "10.5"; empty for a seed.
    pub sections: Vec<String>,
}

impl Source {
    /// "RFC 6749 §4.1.2, §10.5" or "seed 000"; `None` when it is neither.
    pub fn parse(text: &str) -> Option<Self> {
        if let Some(number) = text.strip_prefix("seed ") {
            let ok = number.len() == 3 && number.chars().all(|c| c.is_ascii_digit());
            return ok.then(|| Source {
                document: text.to_owned(),
                sections: Vec::new(),
            });
        }
        let rest = text.strip_prefix("RFC ")?;
        let (number, sections) = rest.split_once(' ').unwrap_or((rest, ""));
        if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let sections = sections
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.strip_prefix('§').map(str::to_owned))
            .collect::<Option<Vec<_>>>()?;
        Some(Source {
            document: format!("RFC {number}"),
            sections,
        })
    }

    pub fn is_seed(&self) -> bool {
        self.document.starts_with("seed ")
    }

    /// Whether every section of `other` is one of ours, in the same document.
    pub fn covers(&self, other: &Source) -> bool {
        self.document == other.document && other.sections.iter().all(|s| self.sections.contains(s))
    }
}

/// How a requirement counts in the totals: the strongest keyword of its
/// level, or what the row says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Bucket {
    /// MUST, MUST NOT, REQUIRED, SHALL, SHALL NOT.
    Must,
    /// SHOULD, SHOULD NOT, RECOMMENDED, NOT RECOMMENDED.
    Should,
    /// A statement of a seed guide.
    Guide,
    /// A rule the RFC implies without a keyword for the row's side: a
    /// definition or grammar, §5.2's choice of error code, the server
    /// refusing what the client MUST NOT send. Counted apart.
    Derived,
    /// No keyword ("encouraged"); not counted.
    Other,
}

impl Bucket {
    fn named(text: &str) -> Option<Self> {
        Some(match text {
            "MUST" => Bucket::Must,
            "SHOULD" => Bucket::Should,
            "GUIDE" => Bucket::Guide,
            "DERIVED" => Bucket::Derived,
            "OTHER" => Bucket::Other,
            _ => return None,
        })
    }

    /// The strongest RFC 2119 keyword in a level as the text says it.
    fn of_level(level: &str) -> Option<Self> {
        let has = |word: &str| {
            level
                .split(|c: char| !c.is_ascii_alphabetic())
                .any(|w| w == word)
        };
        if has("GUIDE") {
            Some(Bucket::Guide)
        } else if has("DERIVED") {
            Some(Bucket::Derived)
        } else if has("MUST") || has("REQUIRED") || has("SHALL") {
            Some(Bucket::Must)
        } else if has("SHOULD") || has("RECOMMENDED") {
            Some(Bucket::Should)
        } else {
            None
        }
    }

    /// Whether a catalogue check of `level` may cite a row of this bucket.
    pub fn fits(self, level: crate::checks::Level) -> bool {
        use crate::checks::Level;
        matches!(
            (self, level),
            (Bucket::Must, Level::Must)
                | (Bucket::Should, Level::Should)
                | (Bucket::Derived, Level::Derived)
                | (Bucket::Guide, Level::Provider)
        )
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Bucket::Must => "MUST",
            Bucket::Should => "SHOULD",
            Bucket::Guide => "GUIDE",
            Bucket::Derived => "DERIVED",
            Bucket::Other => "OTHER",
        })
    }
}

/// The sides a requirement can bind.
pub const SIDES: [&str; 3] = ["client", "authorization server", "resource server"];

/// Whose conformance a requirement is about: the suite's own client, or the
/// servers under test. The totals count them apart, so a figure about the
/// servers is never padded by the suite's self-tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Party {
    /// The authorization server, the resource server, or both.
    Server,
    /// The client (the suite's own, judged by client checks).
    Client,
}

impl Party {
    /// The party of a side as the file writes it ("client", "authorization
    /// server / resource server"); `None` when it names the client and a
    /// server at once.
    fn of_side(side: &str) -> Option<Self> {
        let parts: Vec<&str> = side.split(" / ").collect();
        if parts == ["client"] {
            Some(Party::Client)
        } else if parts.iter().all(|p| *p != "client") {
            Some(Party::Server)
        } else {
            None
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(match self {
            Party::Server => "server",
            Party::Client => "client",
        })
    }
}

/// One requirement, validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub id: String,
    /// As written in the file, e.g. "RFC 6749 §4.1.2, §10.5".
    pub source_text: String,
    pub source: Source,
    /// The keyword(s) exactly as the text says.
    pub level: String,
    pub bucket: Bucket,
    /// "client", "authorization server", "resource server", or both servers
    /// joined with " / ".
    pub side: String,
    /// Whose conformance it is about.
    pub party: Party,
    pub wording: String,
    pub quote: String,
    /// Why the quote could not be checked against the text, if it could not.
    pub unverified: Option<String>,
    /// Catalogue ids of the checks that test it.
    pub checks: Vec<&'static str>,
    /// Scenario names (or their beginnings) whose steps assert it without a
    /// catalogue check.
    pub scenarios: Vec<String>,
    /// The clauses, grants or cases its checks leave out.
    pub partial: Option<String>,
    /// Checks being added elsewhere that will test it.
    pub awaiting: Vec<String>,
    /// Why no black-box test can judge it.
    pub untestable: Option<String>,
}

/// The requirements file.
#[derive(Clone, Debug)]
pub struct Requirements {
    pub path: PathBuf,
    /// Where the text of each document was read, by document.
    pub sources: BTreeMap<String, String>,
    pub requirements: Vec<Requirement>,
}

/// Why the requirements file cannot be used. Every message names the file,
/// and a row's problem its id and field.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RequirementsError {
    #[error("cannot read the requirements file {file}: {detail}")]
    Read { file: String, detail: String },
    #[error("the requirements file {file} is not valid: {detail}")]
    Syntax { file: String, detail: String },
    #[error("{file}: requirement {id}: field `{field}`: {problem}")]
    Field {
        file: String,
        id: String,
        field: &'static str,
        problem: String,
    },
    #[error("{file}: the id {id} is used by more than one requirement")]
    DuplicateId { file: String, id: String },
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    sources: BTreeMap<String, String>,
    requirement: Vec<RawRequirement>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    id: String,
    source: String,
    level: String,
    bucket: Option<String>,
    side: String,
    wording: String,
    quote: String,
    unverified: Option<String>,
    #[serde(default)]
    checks: Vec<String>,
    #[serde(default)]
    scenarios: Vec<String>,
    partial: Option<String>,
    #[serde(default)]
    awaiting: Vec<String>,
    untestable: Option<String>,
}

impl Requirements {
    /// Reads and validates `path` against the check `catalogue`.
    pub fn load(path: &Path, catalogue: &[&'static Check]) -> Result<Self, RequirementsError> {
        let text = std::fs::read_to_string(path).map_err(|e| RequirementsError::Read {
            file: path.display().to_string(),
            detail: e.to_string(),
        })?;
        Self::parse(&text, path, catalogue)
    }

    /// Validates the text of a requirements file (`path` names it in errors).
    pub fn parse(
        text: &str,
        path: &Path,
        catalogue: &[&'static Check],
    ) -> Result<Self, RequirementsError> {
        let file = path.display().to_string();
        let raw: RawFile = toml::from_str(text).map_err(|e| RequirementsError::Syntax {
            file: file.clone(),
            detail: e.to_string(),
        })?;
        let mut seen = HashSet::new();
        let mut requirements = Vec::with_capacity(raw.requirement.len());
        for row in raw.requirement {
            if !seen.insert(row.id.clone()) {
                return Err(RequirementsError::DuplicateId { file, id: row.id });
            }
            requirements.push(validate(row, &file, &raw.sources, catalogue)?);
        }
        Ok(Requirements {
            path: path.to_owned(),
            sources: raw.sources,
            requirements,
        })
    }

    /// The documents the file covers, in file order.
    pub fn documents(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.requirements {
            if !out.contains(&r.source.document.as_str()) {
                out.push(&r.source.document);
            }
        }
        out
    }
}

fn validate(
    row: RawRequirement,
    file: &str,
    sources: &BTreeMap<String, String>,
    catalogue: &[&'static Check],
) -> Result<Requirement, RequirementsError> {
    let problem = |field: &'static str, problem: String| RequirementsError::Field {
        file: file.to_owned(),
        id: row.id.clone(),
        field,
        problem,
    };
    if row.id.trim().is_empty() {
        return Err(problem("id", "is empty".into()));
    }
    let source = Source::parse(&row.source).ok_or_else(|| {
        problem(
            "source",
            format!(
                "{:?} is neither \"RFC <number> §<section>[, §<section>]\" nor \"seed <nnn>\"",
                row.source
            ),
        )
    })?;
    if !sources.contains_key(&source.document) {
        return Err(problem(
            "source",
            format!(
                "{} has no entry in [sources] saying where its text was read",
                source.document
            ),
        ));
    }
    let bucket = match &row.bucket {
        Some(b) => Bucket::named(b).ok_or_else(|| {
            problem(
                "bucket",
                format!("{b:?} is not one of MUST, SHOULD, GUIDE, DERIVED, OTHER"),
            )
        })?,
        None => Bucket::of_level(&row.level).ok_or_else(|| {
            problem(
                "level",
                format!(
                    "{:?} names no RFC 2119 keyword, GUIDE or DERIVED: say which bucket it counts in with `bucket`",
                    row.level
                ),
            )
        })?,
    };
    if source.is_seed() != (bucket == Bucket::Guide) {
        return Err(problem(
            "level",
            "a seed statement is GUIDE, and only a seed statement is".into(),
        ));
    }
    for part in row.side.split(" / ") {
        if !SIDES.contains(&part) {
            return Err(problem(
                "side",
                format!("{part:?} is not one of {}", SIDES.join(", ")),
            ));
        }
    }
    let party = Party::of_side(&row.side).ok_or_else(|| {
        problem(
            "side",
            format!(
                "{:?} binds the client and a server at once: make it two rows, one per side, so each is counted with its party",
                row.side
            ),
        )
    })?;
    for (field, value) in [("wording", &row.wording), ("quote", &row.quote)] {
        if value.trim().is_empty() {
            return Err(problem(field, "is empty".into()));
        }
    }
    let mut checks = Vec::with_capacity(row.checks.len());
    for id in &row.checks {
        let check = catalogue.iter().find(|c| c.id == id).ok_or_else(|| {
            problem(
                "checks",
                format!("{id:?} is not a check of the catalogue (src/checks/catalogue.rs)"),
            )
        })?;
        checks.push(check.id);
    }
    for id in &row.awaiting {
        if catalogue.iter().any(|c| c.id == id) {
            return Err(problem(
                "awaiting",
                format!("{id:?} is in the catalogue now: move it to `checks`"),
            ));
        }
    }
    if row.untestable.is_some()
        && !(row.checks.is_empty() && row.scenarios.is_empty() && row.awaiting.is_empty())
    {
        return Err(problem(
            "untestable",
            "an untestable requirement names no checks, scenarios or awaited checks".into(),
        ));
    }
    Ok(Requirement {
        id: row.id,
        source_text: row.source,
        source,
        level: row.level,
        bucket,
        side: row.side,
        party,
        wording: row.wording,
        quote: row.quote,
        unverified: row.unverified,
        checks,
        scenarios: row.scenarios,
        partial: row.partial,
        awaiting: row.awaiting,
        untestable: row.untestable,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::catalogue;

    const HEAD: &str = "[sources]\n\"RFC 6749\" = \"x\"\n\"seed 000\" = \"y\"\n";

    fn parse(rows: &str) -> Result<Requirements, RequirementsError> {
        Requirements::parse(
            &format!("{HEAD}{rows}"),
            Path::new("spec/r.toml"),
            catalogue::ALL,
        )
    }

    /// Why the rows are refused.
    fn refused(rows: &str) -> String {
        parse(rows).unwrap_err().to_string()
    }

    fn row(extra: &str) -> String {
        format!(
            "[[requirement]]\nid = \"A1\"\nsource = \"RFC 6749 §3.2\"\nlevel = \"MUST\"\nside = \"client\"\nwording = \"w\"\nquote = \"q\"\n{extra}\n"
        )
    }

    #[test]
    fn sources_parse_into_document_and_sections() {
        let s = Source::parse("RFC 6749 §4.1.2, §10.5").unwrap();
        assert_eq!(s.document, "RFC 6749");
        assert_eq!(s.sections, ["4.1.2", "10.5"]);
        assert!(s.covers(&Source::parse("RFC 6749 §10.5").unwrap()));
        assert!(!s.covers(&Source::parse("RFC 6749 §6").unwrap()));
        assert!(Source::parse("seed 002").unwrap().is_seed());
        assert_eq!(Source::parse("RFC 6749 4.1"), None);
        assert_eq!(Source::parse("seed two"), None);
    }

    #[test]
    fn buckets_come_from_the_strongest_keyword() {
        assert_eq!(Bucket::of_level("MUST NOT"), Some(Bucket::Must));
        assert_eq!(Bucket::of_level("REQUIRED / MUST"), Some(Bucket::Must));
        assert_eq!(
            Bucket::of_level("NOT RECOMMENDED / SHOULD"),
            Some(Bucket::Should)
        );
        assert_eq!(Bucket::of_level("SHOULD (MUST if ...)"), Some(Bucket::Must));
        assert_eq!(Bucket::of_level("definition"), None);
    }

    #[test]
    fn a_good_row_loads() {
        let r = parse(&row("checks = [\"token-request-post\"]")).unwrap();
        let req = &r.requirements[0];
        assert_eq!(req.checks, ["token-request-post"]);
        assert_eq!(req.bucket, Bucket::Must);
        assert_eq!(req.party, Party::Client);
        let servers = row("").replace("\"client\"", "\"authorization server / resource server\"");
        assert_eq!(
            parse(&servers).unwrap().requirements[0].party,
            Party::Server
        );
        assert_eq!(r.documents(), ["RFC 6749"]);
    }

    #[test]
    fn errors_name_the_file_the_row_and_the_field() {
        let unknown = refused(&row("checks = [\"no-such-check\"]"));
        assert!(
            unknown.contains("spec/r.toml: requirement A1: field `checks`")
                && unknown.contains("no-such-check"),
            "{unknown}"
        );
        let awaited = refused(&row("awaiting = [\"token-request-post\"]"));
        assert!(awaited.contains("move it to `checks`"), "{awaited}");
        let side = refused(&row("").replace("\"client\"", "\"browser\""));
        assert!(side.contains("field `side`"), "{side}");
        let mixed = refused(&row("").replace("\"client\"", "\"client / authorization server\""));
        assert!(mixed.contains("two rows"), "{mixed}");
        let level = refused(&row("").replace("\"MUST\"", "\"definition\""));
        assert!(level.contains("`bucket`"), "{level}");
        let doc = refused(&row("").replace("RFC 6749", "RFC 6750"));
        assert!(doc.contains("[sources]"), "{doc}");
        let both = refused(&row(
            "untestable = \"why\"\nchecks = [\"token-request-post\"]",
        ));
        assert!(both.contains("field `untestable`"), "{both}");
        let typo = refused(&row("chekcs = []"));
        assert!(typo.contains("chekcs"), "{typo}");
        let twice = parse(&format!("{}{}", row(""), row(""))).unwrap_err();
        assert_eq!(
            twice,
            RequirementsError::DuplicateId {
                file: "spec/r.toml".into(),
                id: "A1".into()
            }
        );
    }

    #[test]
    fn only_seed_statements_are_guide() {
        let guide = refused(&row("").replace("\"MUST\"", "\"GUIDE\""));
        assert!(guide.contains("GUIDE"), "{guide}");
    }
}
