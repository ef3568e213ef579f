//! The secrets the process knows, and how to find them in a text.
//!
//! Every secret is registered once (a client secret at start, a token when it
//! arrives) and then found wherever it appears: whole, in any of the decoded
//! views of a text ([`super::views`]), and as a prefix of 8 or more characters
//! left at a cut. A client's id and secret are also registered as the base64
//! of `id:secret` that goes into an `Authorization: Basic` header, with and
//! without the RFC 6749 §2.3.1 form encoding.
//!
//! Lookup is by the first [`KEY`] bytes of each spelling, so the cost of a
//! search does not grow with the number of secrets a long run registers.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::{LazyLock, RwLock, RwLockReadGuard};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// Secrets at least this long (in characters) are found by prefix and in
/// every encoding. A shorter one could be a word, a number or a fragment of
/// anything, so only whole matches of it are redacted, and a run warns.
pub const MIN_RELIABLE_CHARS: usize = 8;

/// Secrets shorter than this are not redacted at all: a two-letter "secret"
/// would erase ordinary words from every message.
pub const MIN_EXACT_CHARS: usize = 4;

/// Spellings are indexed by their first `KEY` bytes (every reliable spelling
/// has at least as many).
const KEY: usize = 8;

#[derive(Default)]
pub(crate) struct Registry {
    seen: HashSet<String>,
    /// Spellings of at least [`MIN_RELIABLE_CHARS`] characters.
    long: Vec<String>,
    by_key: HashMap<u64, Vec<usize>, BuildHasherDefault<KeyHasher>>,
    longest: usize,
    /// Spellings of [`MIN_EXACT_CHARS`] to [`MIN_RELIABLE_CHARS`] characters,
    /// matched only as a whole word.
    short: Vec<String>,
}

static REGISTRY: LazyLock<RwLock<Registry>> = LazyLock::new(Default::default);

/// The registry, for one search.
pub(crate) fn read() -> RwLockReadGuard<'static, Registry> {
    REGISTRY.read().unwrap_or_else(|e| e.into_inner())
}

/// Registers a secret so that every output redacts it (see the module doc).
/// Values under [`MIN_EXACT_CHARS`] characters are ignored.
pub fn register_secret(value: &str) {
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    registry.add(value);
    // Records replace control characters before redacting (see
    // `super::field`); a secret holding one is found in that spelling too.
    let shown = super::visible(value);
    if shown != value {
        registry.add(&shown);
    }
}

/// Registers a client's secret and the base64 of `id:secret` as an HTTP
/// Basic header carries it: with the RFC 6749 §2.3.1 form encoding of id
/// and secret and without it (clients that skip it), in the standard and
/// the URL-safe alphabet. Found with or without "Basic " before it.
///
/// The Basic spellings are registered even for a secret too short to redact
/// by itself: base64 of `id:secret` is never an ordinary word.
pub fn register_client_credentials(id: &str, secret: &str) {
    register_secret(secret);
    let mut registry = REGISTRY.write().unwrap_or_else(|e| e.into_inner());
    for spelling in basic_spellings(id, secret) {
        registry.add(&spelling);
    }
}

/// The base64 spellings of `id:secret`, padded and not.
pub fn basic_spellings(id: &str, secret: &str) -> Vec<String> {
    let form = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
    let pairs = [
        format!("{}:{}", form(id), form(secret)),
        format!("{id}:{secret}"),
    ];
    let mut out = Vec::new();
    for pair in pairs {
        for encoded in [
            STANDARD.encode(&pair),
            STANDARD_NO_PAD.encode(&pair),
            URL_SAFE.encode(&pair),
            URL_SAFE_NO_PAD.encode(&pair),
        ] {
            if !out.contains(&encoded) {
                out.push(encoded);
            }
        }
    }
    out
}

/// The warning a run prints for a secret setting that is too short to be
/// redacted reliably, naming the setting and never the value; `None` when
/// the value is long enough.
pub fn short_secret_warning(setting: &str, value: &str) -> Option<String> {
    let n = value.chars().count();
    if n >= MIN_RELIABLE_CHARS {
        return None;
    }
    let what = if n < MIN_EXACT_CHARS {
        format!(
            "is shorter than {MIN_EXACT_CHARS} characters and cannot be redacted at all (it would erase ordinary words)"
        )
    } else {
        format!(
            "is shorter than {MIN_RELIABLE_CHARS} characters: reports redact it only where it appears whole, not a cut-off prefix of it or its encodings"
        )
    };
    Some(format!(
        "warning: {setting} {what}; use a longer test secret"
    ))
}

impl Registry {
    fn add(&mut self, value: &str) {
        let n = value.chars().count();
        if n < MIN_EXACT_CHARS || !self.seen.insert(value.to_owned()) {
            return;
        }
        if n < MIN_RELIABLE_CHARS {
            self.short.push(value.to_owned());
            return;
        }
        let id = self.long.len();
        self.by_key
            .entry(key(value.as_bytes(), 0))
            .or_default()
            .push(id);
        self.longest = self.longest.max(value.len());
        self.long.push(value.to_owned());
    }

    /// Every place in `text` that holds a registered spelling whole, or a
    /// prefix of one of at least [`MIN_RELIABLE_CHARS`] characters that ends
    /// at a cut: the end of the text, or a `…` / `...` truncation mark.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        if !self.long.is_empty() && bytes.len() >= KEY {
            for i in 0..=bytes.len() - KEY {
                for &id in self.by_key.get(&key(bytes, i)).into_iter().flatten() {
                    let needle = self.long[id].as_bytes();
                    if bytes[i..].starts_with(needle) {
                        out.push(i..i + needle.len());
                    }
                }
            }
            for cut in cut_points(text) {
                if let Some(start) = self.prefix_before(text, cut) {
                    out.push(start..cut);
                }
            }
        }
        for short in &self.short {
            for (i, _) in text.match_indices(short.as_str()) {
                let end = i + short.len();
                if is_word_edge(text[..i].chars().next_back())
                    && is_word_edge(text[end..].chars().next())
                {
                    out.push(i..end);
                }
            }
        }
    }

    /// Where the longest prefix (of [`MIN_RELIABLE_CHARS`] or more
    /// characters) of a registered spelling that ends at `cut` starts.
    fn prefix_before(&self, text: &str, cut: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let from = cut.saturating_sub(self.longest);
        let last = cut.checked_sub(KEY)?;
        (from..=last)
            .filter(|&i| text.is_char_boundary(i))
            .find(|&i| {
                let left = &bytes[i..cut];
                self.by_key
                    .get(&key(bytes, i))
                    .into_iter()
                    .flatten()
                    .any(|&id| {
                        let needle = self.long[id].as_bytes();
                        needle.len() > left.len() && needle.starts_with(left)
                    })
                    && text[i..cut].chars().count() >= MIN_RELIABLE_CHARS
            })
    }
}

/// The first [`KEY`] bytes at `at`, as one number.
fn key(bytes: &[u8], at: usize) -> u64 {
    let mut k = [0u8; KEY];
    k.copy_from_slice(&bytes[at..at + KEY]);
    u64::from_le_bytes(k)
}

/// A key is already eight bytes of the text: one multiplication spreads
/// them (a search looks up every position of every view of a field).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A short secret counts only as a whole word: nothing alphanumeric touches it.
fn is_word_edge(next: Option<char>) -> bool {
    next.is_none_or(|c| !c.is_alphanumeric())
}

/// Where a text was cut: its end, and every `…` or `...` in it.
pub(crate) fn cut_points(text: &str) -> Vec<usize> {
    let mut cuts: Vec<usize> = text
        .match_indices('…')
        .map(|(i, _)| i)
        .chain(text.match_indices("...").map(|(i, _)| i))
        .collect();
    cuts.push(text.len());
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry(values: &[&str]) -> Registry {
        let mut r = Registry::default();
        for v in values {
            r.add(v);
        }
        r
    }

    fn found(r: &Registry, text: &str) -> Vec<String> {
        let mut spans = Vec::new();
        r.find(text, &mut spans);
        spans.into_iter().map(|s| text[s].to_owned()).collect()
    }

    #[test]
    fn a_whole_secret_is_found_anywhere() {
        let r = registry(&["0123456789abcdef"]);
        assert_eq!(
            found(&r, "x 0123456789abcdef y 0123456789abcdef"),
            ["0123456789abcdef", "0123456789abcdef"]
        );
        assert!(found(&r, "0123456789abcdeX").is_empty());
    }

    #[test]
    fn a_prefix_of_eight_characters_is_found_at_a_cut_only() {
        let r = registry(&["0123456789abcdef"]);
        assert_eq!(found(&r, "tail 01234567"), ["01234567"]);
        assert_eq!(found(&r, "tail 0123456789ab…more"), ["0123456789ab"]);
        assert_eq!(found(&r, "tail 0123456789a... more"), ["0123456789a"]);
        // Seven characters are not enough, and a prefix not at a cut stays.
        assert!(found(&r, "tail 0123456").is_empty());
        assert!(found(&r, "01234567 and more").is_empty());
        // Multi-byte characters count as characters, not bytes.
        let r = registry(&["éééééééééé"]);
        assert!(found(&r, "x éééé").is_empty());
        assert_eq!(found(&r, "x éééééééé"), ["éééééééé"]);
    }

    #[test]
    fn short_secrets_match_only_as_whole_words() {
        let r = registry(&["abcde", "xy"]);
        assert_eq!(found(&r, "pw=abcde&x \"abcde\""), ["abcde", "abcde"]);
        assert!(found(&r, "abcdefgh zabcde abcde1").is_empty());
        // Under four characters nothing is registered.
        assert!(found(&r, "xy").is_empty());
        // No prefix rule for short secrets.
        assert!(found(&r, "abcd").is_empty());
    }

    #[test]
    fn the_length_limits_are_inclusive() {
        // Exactly MIN_EXACT_CHARS: registered, as a whole word.
        let r = registry(&["wxyz"]);
        assert_eq!(found(&r, "a wxyz b"), ["wxyz"]);
        // Exactly MIN_RELIABLE_CHARS: found anywhere, not only as a word.
        let r = registry(&["abcdefgh"]);
        assert_eq!(found(&r, "zabcdefghz"), ["abcdefgh"]);
        // ... and its warning is the milder one.
        let w = short_secret_warning("S", "wxyz").unwrap();
        assert!(w.contains("8 characters") && !w.contains("at all"), "{w}");
        assert_eq!(short_secret_warning("S", "abcdefgh"), None);
    }

    #[test]
    fn basic_spellings_cover_both_encodings_and_alphabets() {
        let spellings = basic_spellings("my client", "a+b/c?");
        assert!(spellings.contains(&STANDARD_NO_PAD.encode("my+client:a%2Bb%2Fc%3F")));
        assert!(spellings.contains(&STANDARD_NO_PAD.encode("my client:a+b/c?")));
        assert!(spellings.contains(&URL_SAFE_NO_PAD.encode("my client:a+b/c?")));
    }

    #[test]
    fn warnings_name_the_setting_and_never_the_value() {
        assert_eq!(short_secret_warning("PW", "long-enough-1"), None);
        let w = short_secret_warning("OAUTH_CONFORMANCE_PASSWORD", "hunt3r").unwrap();
        assert!(w.contains("OAUTH_CONFORMANCE_PASSWORD") && w.contains("8 characters"));
        assert!(!w.contains("hunt3r"), "{w}");
        let w = short_secret_warning("S", "ab").unwrap();
        assert!(w.contains("cannot be redacted at all"), "{w}");
    }

    #[test]
    fn a_secret_with_a_control_character_is_found_as_a_report_shows_it() {
        register_secret("reg-ctl\u{7}secret-1");
        // A record makes the BEL visible first (`field`), then redacts.
        assert_eq!(
            super::super::field("x reg-ctl\u{7}secret-1 y"),
            "x [REDACTED] y"
        );
    }

    #[test]
    fn the_basic_spelling_of_a_short_secret_is_redacted() {
        for (id, secret) in [("reg-short-id-3", "abc"), ("reg-short-id-4", "abcd")] {
            register_client_credentials(id, secret);
            let basic = STANDARD.encode(format!("{id}:{secret}"));
            assert_eq!(
                super::super::redact(&format!("echo {basic} end")),
                "echo [REDACTED] end",
                "{id}"
            );
        }
    }
}
