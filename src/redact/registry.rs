//! The secrets the process knows, and how to find them in a text.
//!
//! Every secret is registered once (a client secret at start, a token when it
//! arrives) and then found wherever it appears, in any of the decoded views
//! of a text ([`super::views`]): whole, and as any run of
//! [`MIN_RELIABLE_CHARS`] or more of its characters in a row. A run is
//! enough because servers do not only echo a secret whole: they cut it, or
//! echo it with a character changed (a case folded, a `+` read as a space),
//! and what stands on either side of the change is still the secret. A
//! client's id and secret are also registered as the base64 of `id:secret`
//! that goes into an `Authorization: Basic` header, with and without the
//! RFC 6749 §2.3.1 form encoding, and runs of those are found too.
//!
//! Values that reports show as they are (client ids, the user name) are
//! registered as *shown*: a run of a secret that is also a run of one of
//! them reveals nothing and is left (a password `conformance-pass-…` would
//! otherwise erase `conformance-` from the client id `conformance-ac-client`
//! in every URL). The whole secret is still redacted wherever it appears.
//!
//! Lookup is by the [`KEY`] bytes at each position of the text: every run
//! is indexed under its first `KEY` bytes, so a search costs one hash lookup
//! per byte of text, whatever the number and length of the secrets a long
//! run registers, and never re-reads a match from each of its positions.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::{LazyLock, RwLock, RwLockReadGuard};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// Secrets at least this long (in characters) are found by any run of this
/// many of their characters, in every encoding. A shorter one could be a
/// word, a number or a fragment of anything, so only whole matches of it are
/// redacted, and a run warns.
pub const MIN_RELIABLE_CHARS: usize = 8;

/// Secrets shorter than this are not redacted at all: a two-letter "secret"
/// would erase ordinary words from every message.
pub const MIN_EXACT_CHARS: usize = 4;

/// Runs are indexed by their first `KEY` bytes: a run of
/// [`MIN_RELIABLE_CHARS`] characters has at least as many.
const KEY: usize = 8;

/// What may start where the text's next [`KEY`] bytes are a given key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Needle {
    /// A run of ASCII characters: its key is all of it.
    AsciiRun,
    /// A run with a multi-byte character: bytes `start..end` of spelling
    /// `spelling`, longer than its key.
    Run { spelling: u32, start: u32, end: u32 },
    /// A whole spelling, redacted even where its runs are shown.
    Whole(u32),
}

/// In [`Registry::keys`]: the key is one ASCII run and nothing else (the
/// common case, which needs no list).
const ASCII_RUN: u32 = u32::MAX;

#[derive(Default)]
pub(crate) struct Registry {
    seen: HashSet<String>,
    /// Spellings of at least [`MIN_RELIABLE_CHARS`] characters.
    long: Vec<String>,
    /// Every run of a long spelling and the spelling itself, by its first
    /// [`KEY`] bytes: [`ASCII_RUN`], or an index into `lists`.
    keys: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    /// Which keys may be in `keys`, by fingerprint ([`KeyFilter`]).
    filter: KeyFilter,
    lists: Vec<Vec<Needle>>,
    /// The runs of the values reports show as they are.
    shown: HashSet<String>,
    /// Spellings of [`MIN_EXACT_CHARS`] to [`MIN_RELIABLE_CHARS`] characters,
    /// matched only as a whole word.
    short: Vec<String>,
}

static REGISTRY: LazyLock<RwLock<Registry>> = LazyLock::new(Default::default);

/// The registry, for one search.
pub(crate) fn read() -> RwLockReadGuard<'static, Registry> {
    REGISTRY.read().unwrap_or_else(|e| e.into_inner())
}

fn write() -> std::sync::RwLockWriteGuard<'static, Registry> {
    REGISTRY.write().unwrap_or_else(|e| e.into_inner())
}

/// Registers a value that reports show as it is (a client id, the user
/// name): a run of a secret that is also a run of it is not redacted on its
/// own (see the module doc).
pub fn register_shown(value: &str) {
    write().show(value);
}

/// Registers a secret so that every output redacts it (see the module doc).
/// Values under [`MIN_EXACT_CHARS`] characters are ignored.
pub fn register_secret(value: &str) {
    let mut registry = write();
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
/// by itself: base64 of `id:secret` is never an ordinary word. The id is
/// registered as shown.
pub fn register_client_credentials(id: &str, secret: &str) {
    register_shown(id);
    register_secret(secret);
    let mut registry = write();
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
            "is shorter than {MIN_RELIABLE_CHARS} characters: reports redact it only where it appears whole, not a part of it (cut off, or echoed with a character changed)"
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
        let Ok(spelling) = u32::try_from(self.long.len()) else {
            return;
        };
        self.long.push(value.to_owned());
        self.index(key(value.as_bytes(), 0), Needle::Whole(spelling));
        for run in runs(value) {
            if self.shown.contains(&value[run.clone()]) {
                continue;
            }
            let needle = if run.len() == KEY {
                Needle::AsciiRun
            } else {
                // A secret is far shorter than 4 GiB: a run's bounds fit.
                Needle::Run {
                    spelling,
                    start: run.start as u32,
                    end: run.end as u32,
                }
            };
            self.index(key(value.as_bytes(), run.start), needle);
        }
    }

    /// Files `needle` under `key`, once.
    fn index(&mut self, key: u64, needle: Needle) {
        let list = match self.keys.get(&key).copied() {
            None if needle == Needle::AsciiRun => {
                self.keys.insert(key, ASCII_RUN);
                self.filter.add(key);
                return;
            }
            Some(ASCII_RUN) if needle == Needle::AsciiRun => return,
            // The key's first needle that needs a list (after the ASCII run
            // already there, if any).
            slot @ (None | Some(ASCII_RUN)) => {
                let Ok(at) = u32::try_from(self.lists.len()) else {
                    return;
                };
                self.keys.insert(key, at);
                self.filter.add(key);
                self.lists.push(if slot.is_some() {
                    vec![Needle::AsciiRun]
                } else {
                    Vec::new()
                });
                at as usize
            }
            Some(list) => list as usize,
        };
        // The same run in two secrets (or twice in one) is filed once; a
        // whole spelling always has its own needle.
        let known = match needle {
            Needle::AsciiRun => self.lists[list].contains(&needle),
            Needle::Run { .. } => self.lists[list]
                .iter()
                .any(|n| matches!(n, Needle::Run { .. }) && self.bytes(*n) == self.bytes(needle)),
            Needle::Whole(_) => false,
        };
        if !known {
            self.lists[list].push(needle);
        }
    }

    /// A needle's bytes; `None` for an ASCII run (its key is its bytes).
    fn bytes(&self, needle: Needle) -> Option<&[u8]> {
        match needle {
            Needle::AsciiRun => None,
            Needle::Run {
                spelling,
                start,
                end,
            } => Some(&self.long[spelling as usize].as_bytes()[start as usize..end as usize]),
            Needle::Whole(spelling) => Some(self.long[spelling as usize].as_bytes()),
        }
    }

    /// Registers `value` as shown: its runs are no longer redacted on their
    /// own, now or when a secret holding them is registered later.
    fn show(&mut self, value: &str) {
        for run in runs(value) {
            let run = &value[run];
            if !self.shown.insert(run.to_owned()) {
                continue;
            }
            let key = key(run.as_bytes(), 0);
            match self.keys.get(&key).copied() {
                Some(ASCII_RUN) if run.len() == KEY => {
                    self.keys.remove(&key);
                }
                // A multi-byte run never has an ASCII run's key: nothing filed.
                None | Some(ASCII_RUN) => {}
                Some(list) => {
                    let mut needles = std::mem::take(&mut self.lists[list as usize]);
                    needles.retain(|n| match n {
                        Needle::AsciiRun => run.len() != KEY,
                        Needle::Run { .. } => self.bytes(*n) != Some(run.as_bytes()),
                        Needle::Whole(_) => true,
                    });
                    self.lists[list as usize] = needles;
                }
            }
        }
    }

    /// Every place in `text` that holds a registered spelling whole, or a
    /// run of [`MIN_RELIABLE_CHARS`] or more characters of one, as spans
    /// in order with overlapping and touching ones joined.
    pub(crate) fn find(&self, text: &str, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let first = out.len();
        if !self.keys.is_empty() && bytes.len() >= KEY {
            for i in 0..=bytes.len() - KEY {
                let k = key(bytes, i);
                if !self.filter.may_hold(k) {
                    continue;
                }
                let Some(&slot) = self.keys.get(&k) else {
                    continue;
                };
                let len = if slot == ASCII_RUN {
                    KEY
                } else {
                    self.lists[slot as usize]
                        .iter()
                        .filter_map(|&n| match self.bytes(n) {
                            None => Some(KEY),
                            Some(b) => bytes[i..].starts_with(b).then_some(b.len()),
                        })
                        .max()
                        .unwrap_or(0)
                };
                if len == 0 {
                    continue;
                }
                match out[first..].last_mut() {
                    Some(last) if i <= last.end => last.end = last.end.max(i + len),
                    _ => out.push(i..i + len),
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
}

/// The byte spans of every run of [`MIN_RELIABLE_CHARS`] characters of
/// `value` (none when it is shorter).
fn runs(value: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let bounds: Vec<usize> = value
        .char_indices()
        .map(|(i, _)| i)
        .chain([value.len()])
        .collect();
    (0..bounds.len().saturating_sub(MIN_RELIABLE_CHARS))
        .map(move |j| bounds[j]..bounds[j + MIN_RELIABLE_CHARS])
}

/// The first [`KEY`] bytes at `at`, as one number.
fn key(bytes: &[u8], at: usize) -> u64 {
    let mut k = [0u8; KEY];
    k.copy_from_slice(&bytes[at..at + KEY]);
    u64::from_le_bytes(k)
}

/// One bit per 16-bit fingerprint of the keys ever filed. A search tries
/// every position of every view of a field and almost none holds a key: a
/// bit test turns most of them away before a hash-table probe (a removed
/// key's bit stays set, which only costs a probe).
struct KeyFilter(Box<[u64; KeyFilter::WORDS]>);

impl KeyFilter {
    const WORDS: usize = (1 << 16) / 64;

    fn fingerprint(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    fn add(&mut self, key: u64) {
        let f = Self::fingerprint(key);
        self.0[f / 64] |= 1 << (f % 64);
    }

    fn may_hold(&self, key: u64) -> bool {
        let f = Self::fingerprint(key);
        self.0[f / 64] & (1 << (f % 64)) != 0
    }
}

impl Default for KeyFilter {
    fn default() -> Self {
        Self(Box::new([0; Self::WORDS]))
    }
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

    /// `text` with the spans `r` finds in it removed.
    fn left(r: &Registry, text: &str) -> String {
        let mut spans = Vec::new();
        r.find(text, &mut spans);
        let mut out = String::new();
        let mut at = 0;
        for span in spans {
            out.push_str(&text[at..span.start]);
            out.push('|');
            at = span.end;
        }
        out + &text[at..]
    }

    /// The first run of 8 characters of `secret` that `text` holds.
    fn a_run_of(secret: &str, text: &str) -> Option<String> {
        runs(secret)
            .map(|r| &secret[r])
            .find(|run| text.contains(run))
            .map(str::to_owned)
    }

    #[test]
    fn a_whole_secret_is_found_anywhere() {
        let r = registry(&["0123456789abcdef"]);
        assert_eq!(
            found(&r, "x 0123456789abcdef y 0123456789abcdef"),
            ["0123456789abcdef", "0123456789abcdef"]
        );
        assert_eq!(found(&r, "0123456789abcdef"), ["0123456789abcdef"]);
    }

    #[test]
    fn any_run_of_eight_characters_is_found_anywhere() {
        let r = registry(&["0123456789abcdef"]);
        // At the end of the text, at its start, in the middle, at a cut.
        assert_eq!(found(&r, "tail 01234567"), ["01234567"]);
        assert_eq!(found(&r, "01234567 and more"), ["01234567"]);
        assert_eq!(found(&r, "x 3456789abc y"), ["3456789abc"]);
        assert_eq!(found(&r, "tail 0123456789ab…more"), ["0123456789ab"]);
        assert_eq!(found(&r, "89abcdef"), ["89abcdef"]);
        // Seven characters are not enough, wherever they are.
        assert!(found(&r, "tail 0123456").is_empty());
        assert!(found(&r, "9abcdef tail 3456789").is_empty());
        // Characters, not bytes: four two-byte characters are not a run.
        let r = registry(&["éééééééééé"]);
        assert!(found(&r, "x éééé").is_empty());
        assert!(found(&r, "x ééééééé").is_empty());
        assert_eq!(found(&r, "x éééééééé"), ["éééééééé"]);
    }

    #[test]
    fn a_secret_echoed_with_one_character_changed_keeps_no_run_of_eight() {
        // 27 characters, as the echo that leaked 23 of them.
        const SECRET: &str = "Qz7-kP2vR9wX4mN8bT6yH3jL5sD";
        let r = registry(&[SECRET]);
        let chars: Vec<char> = SECRET.chars().collect();
        for at in 0..chars.len() {
            for other in ['!', 'q', '\u{e9}'] {
                let mut echo: String = chars[..at].iter().collect();
                echo.push(other);
                echo.extend(&chars[at + 1..]);
                let text = format!("you sent {echo}, which is wrong");
                let (before, after): (String, String) = (
                    chars[..at].iter().collect(),
                    chars[at + 1..].iter().collect(),
                );
                // Each side is redacted when it is 8 characters or more.
                let mut want = Vec::new();
                if before.chars().count() >= 8 {
                    want.push(before.clone());
                }
                if after.chars().count() >= 8 {
                    want.push(after.clone());
                }
                assert_eq!(found(&r, &text), want, "changed at {at} to {other:?}");
                let shown = left(&r, &text);
                assert_eq!(a_run_of(SECRET, &shown), None, "{shown}");
                // The changed character itself is left between the two.
                if before.len() >= 8 && after.len() >= 8 {
                    assert!(shown.contains(&format!("|{other}|")), "{shown}");
                }
            }
        }
    }

    #[test]
    fn runs_at_the_start_the_end_and_the_middle_of_a_text() {
        let r = registry(&["Start-Of-Secret-XYZ", "End-Of-Secret-987"]);
        assert_eq!(
            left(&r, "Start-Of-Secre! middle t-Of-Secret-9 end f-Secret-987"),
            "|! middle | end |"
        );
        assert_eq!(left(&r, "rt-Of-Se"), "|");
    }

    #[test]
    fn overlapping_and_touching_runs_are_one_span() {
        // The end of one secret runs into the start of another, and a
        // secret's run repeats over itself.
        let r = registry(&["alpha-bravo-charlie", "charlie-delta-echo", "abababababab"]);
        assert_eq!(
            found(&r, "x bravo-charlie-delta y"),
            ["bravo-charlie-delta"]
        );
        assert_eq!(found(&r, "x ababababababababab y"), ["ababababababababab"]);
        assert_eq!(
            found(&r, "alpha-bravo-charlie-deltaalpha-bravo"),
            ["alpha-bravo-charlie-deltaalpha-bravo"]
        );
    }

    #[test]
    fn multibyte_text_around_and_inside_a_run() {
        let r = registry(&["s€crét-日本語-ключ-😀"]);
        assert_eq!(found(&r, "日本語 crét-日本語-к ключ"), ["crét-日本語-к"]);
        assert_eq!(left(&r, "😀😀日本語-ключ-😀😀"), "😀😀|😀");
        // Seven characters of it, in 17 bytes: not a run.
        assert!(found(&r, "本語-ключ").is_empty());
    }

    #[test]
    fn the_same_run_in_two_secrets_is_filed_once() {
        let r = registry(&[
            "shared-run-one-1",
            "shared-run-two-2",
            "ünïcödé-shared-1",
            "ünïcödé-shared-2",
        ]);
        for list in &r.lists {
            let mut seen = Vec::new();
            for n in list {
                let key = r.bytes(*n);
                if !matches!(n, Needle::Whole(_)) {
                    assert!(!seen.contains(&(key, *n == Needle::AsciiRun)), "{list:?}");
                    seen.push((key, *n == Needle::AsciiRun));
                }
            }
        }
        assert_eq!(found(&r, "x shared-r y"), ["shared-r"]);
        assert_eq!(found(&r, "x ünïcödé- y"), ["ünïcödé-"]);
    }

    #[test]
    fn a_run_that_a_shown_value_holds_too_is_left_and_the_whole_secret_is_not() {
        for shown_first in [true, false] {
            let mut r = Registry::default();
            if shown_first {
                r.show("conformance-ac-client");
            }
            r.add("conformance-pass-CZiPasJHY");
            r.add("ünïcödé-pass-9876");
            if !shown_first {
                r.show("conformance-ac-client");
            }
            r.show("ünïcödé-user");
            // The client id and the user name read as written.
            assert!(found(&r, "client_id=conformance-ac-client&u=ünïcödé-user").is_empty());
            // A run past what they share is a secret's.
            assert_eq!(left(&r, "conformance-pas"), "confo|");
            assert_eq!(left(&r, "ünïcödé-pa"), "ü|");
            // The whole secret, wherever it is.
            assert_eq!(left(&r, "pw=conformance-pass-CZiPasJHY&"), "pw=|&");
            // Changed in the middle: what is left is shown anyway.
            assert_eq!(left(&r, "conformance-pass!CZiPasJHY"), "confo|!|");
        }
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
