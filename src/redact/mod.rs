//! The one redaction layer every output path goes through.
//!
//! Secrets reach output in two ways: as values we know (a configured client
//! secret, a token we received, a code we captured) and as values we have
//! never seen (a token echoed back inside a server's HTML error page). So
//! redaction is two-fold: every secret the process learns is *registered* and
//! replaced wherever it appears, whole or any 8 characters of it in a row
//! (a server may echo it cut, or with a character changed), in any encoding;
//! and well-known *shapes*
//! (JWTs, `Basic`/`Bearer` credentials, secret-named fields, URL userinfo)
//! are replaced even when unregistered.
//!
//! Redaction works on one field at a time: a record's URL, one header value,
//! a body, a failure message, one line of a stream. It never runs over a
//! serialised report (JSON, XML), and no rule runs past the end of a line.
//!
//! - [`registry`]: the registered secrets, their Basic spellings, the runs
//!   of 8 characters, the values shown as they are, and the minimum lengths;
//! - `views`: the text decoded layer by layer (percent, form, HTML, JSON and
//!   Rust escapes), so a secret is found in any of those encodings;
//! - `shapes`: the shape rules;
//! - [`preview`]: what a report may show of a body: redacted, then cut;
//! - [`RedactingWriter`]: a stream redacted line by line.

mod preview;
pub mod registry;
mod shapes;
mod views;
mod writer;

use std::ops::Range;

pub use preview::{CUT_MARK, cut, preview, preview_cut};
pub use registry::{
    MIN_EXACT_CHARS, MIN_RELIABLE_CHARS, register_client_credentials, register_secret,
    register_shown, short_secret_warning,
};
pub use shapes::{SECRET_FIELDS, header};
pub use writer::RedactingWriter;

/// What a secret is replaced with.
pub const REDACTED: &str = "[REDACTED]";

/// `text` with every registered secret (whole or any run of 8 characters of
/// one, in every encoding) and every secret-shaped value replaced.
pub fn redact(text: &str) -> String {
    let spans = secrets_in(text);
    if spans.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(&text[at..span.start]);
        out.push_str(REDACTED);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// One field of a record, as a report shows it: control characters made
/// visible (a renderer that drops them, or a terminal that obeys them, could
/// otherwise join the two halves of a secret), then redacted.
pub fn field(text: &str) -> String {
    redact(&visible(text))
}

/// `text` with control characters other than tab and line ends replaced by
/// U+FFFD.
pub(crate) fn visible(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// Every span of `text` to redact, sorted and merged.
fn secrets_in(text: &str) -> Vec<Range<usize>> {
    let registry = registry::read();
    let mut spans = Vec::new();
    for view in views::of(text) {
        let mut found = Vec::new();
        registry.find(&view.text, &mut found);
        // Shapes are the second line: the text and one layer of decoding.
        if view.depth <= 1 {
            shapes::find(&view.text, &mut found);
        }
        spans.extend(found.into_iter().map(|r| view.original(r)));
    }
    drop(registry);
    spans.retain(|r| !r.is_empty());
    spans.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start <= last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

/// Whether `text` holds any of `needles` (an empty needle never counts):
/// how tests and leak checks ask "did this secret get out?".
pub fn contains_any(text: &str, needles: &[String]) -> bool {
    needles
        .iter()
        .any(|n| !n.is_empty() && text.contains(n.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;

    /// A secret with every character some encoding changes.
    const SECRET: &str = "mod-tëst \"s3cr€t\"\\:&<'/%+😀";
    const ID: &str = "mod test:client";

    fn setup() {
        register_client_credentials(ID, SECRET);
    }

    fn assert_hidden(spelling: &str) {
        setup();
        let out = redact(&format!("before {spelling} after"));
        assert_eq!(out, "before [REDACTED] after", "spelling {spelling:?}");
    }

    /// `text` with the `n` hex digits after each `mark` in one case.
    fn hex_case(text: &str, mark: char, n: usize, upper: bool) -> String {
        let mut out = String::new();
        let mut left = 0;
        for c in text.chars() {
            if left > 0 {
                left -= 1;
                out.push(if upper {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                });
            } else {
                left = if c == mark { n } else { 0 };
                out.push(c);
            }
        }
        out
    }

    fn percent(s: &str, set: &'static percent_encoding::AsciiSet) -> String {
        percent_encoding::utf8_percent_encode(s, set).to_string()
    }

    #[test]
    fn raw() {
        assert_hidden(SECRET);
    }

    #[test]
    fn the_text_between_two_secrets_stays() {
        setup();
        register_secret("mod-second-secret-42");
        assert_eq!(
            redact(&format!("a {SECRET} b mod-second-secret-42 c")),
            "a [REDACTED] b [REDACTED] c"
        );
        // Overlapping and touching finds become one marker.
        assert_eq!(
            redact(&format!("a {SECRET}mod-second-secret-42 c")),
            "a [REDACTED] c"
        );
    }

    #[test]
    fn form_urlencoded() {
        assert_hidden(&form_urlencoded::byte_serialize(SECRET.as_bytes()).collect::<String>());
    }

    #[test]
    fn percent_encoded_in_either_case() {
        let upper = percent(SECRET, percent_encoding::NON_ALPHANUMERIC);
        assert_hidden(&upper);
        assert_hidden(&hex_case(&upper, '%', 2, false));
    }

    #[test]
    fn base64_of_id_and_secret_with_and_without_form_encoding_and_basic() {
        let form = |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>();
        let encoded = STANDARD.encode(format!("{}:{}", form(ID), form(SECRET)));
        let plain = STANDARD.encode(format!("{ID}:{SECRET}"));
        assert_hidden(&encoded);
        assert_hidden(&plain);
        setup();
        assert_eq!(redact(&format!("Basic {encoded}")), "Basic [REDACTED]");
        // In a JSON echo where `/` became `\/`.
        assert_hidden(&plain.replace('/', "\\/"));
    }

    #[test]
    fn html_escaped() {
        let named = SECRET
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;");
        assert_hidden(&named);
        let numeric = SECRET
            .replace('&', "&#38;")
            .replace('"', "&#34;")
            .replace('\'', "&#39;");
        assert_hidden(&numeric);
    }

    #[test]
    fn json_escaped_including_unicode_escapes() {
        let serde = serde_json::to_string(SECRET).unwrap();
        assert_hidden(&serde[1..serde.len() - 1]);
        // ensure_ascii style (Python), lower and upper case hex.
        let ascii: String = SECRET
            .encode_utf16()
            .map(|u| match char::from_u32(u as u32) {
                Some(c) if c.is_ascii() && c != '"' && c != '\\' => c.to_string(),
                _ => format!("\\u{u:04x}"),
            })
            .collect();
        assert_hidden(&ascii);
        assert_hidden(&hex_case(&ascii, 'u', 4, true));
    }

    #[test]
    fn rust_debug_escaped() {
        let debug = format!("{SECRET:?}");
        assert_hidden(&debug[1..debug.len() - 1]);
        let json = serde_json::to_string(SECRET).unwrap();
        let twice = format!("{:?}", &json[1..json.len() - 1]);
        assert_hidden(&twice[1..twice.len() - 1]);
    }

    #[test]
    fn a_prefix_left_at_a_cut() {
        setup();
        let cut: String = SECRET.chars().take(9).collect();
        assert_eq!(redact(&format!("body: {cut}")), "body: [REDACTED]");
        assert_eq!(redact(&format!("body: {cut}…")), "body: [REDACTED]…");
        // Percent-encoded and cut inside an escape.
        let encoded = percent(SECRET, percent_encoding::NON_ALPHANUMERIC);
        let at = encoded.find("%22").unwrap() + 2;
        assert_eq!(redact(&format!("q={}", &encoded[..at])), "q=[REDACTED]");
    }

    #[test]
    fn a_secret_echoed_with_one_character_changed_in_any_encoding() {
        setup();
        // The 13th character changed: 12 characters before it, 13 after.
        let chars: Vec<char> = SECRET.chars().collect();
        let changed: String = chars[..12]
            .iter()
            .chain(&['X'])
            .chain(&chars[13..])
            .collect();
        let json = serde_json::to_string(&changed).unwrap();
        let debug = format!("{changed:?}");
        let html = changed
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        for spelling in [
            changed.clone(),
            form_urlencoded::byte_serialize(changed.as_bytes()).collect::<String>(),
            percent(&changed, percent_encoding::NON_ALPHANUMERIC),
            json[1..json.len() - 1].to_owned(),
            debug[1..debug.len() - 1].to_owned(),
            html,
        ] {
            assert_eq!(
                redact(&format!("before {spelling} after")),
                "before [REDACTED]X[REDACTED] after",
                "spelling {spelling:?}"
            );
        }
    }

    #[test]
    fn a_client_id_reads_as_written_beside_a_secret_that_starts_like_it() {
        register_client_credentials("mod-shown-conformance-client", "mod-shown-conformance-S3cr");
        let query = "client_id=mod-shown-conformance-client&scope=read";
        assert_eq!(redact(query), query);
        assert_eq!(redact("x mod-shown-conformance-S3cr y"), "x [REDACTED] y");
    }

    #[test]
    fn short_secrets_are_redacted_only_whole() {
        register_secret("sh0rt");
        assert_eq!(redact("pw sh0rt, sh0rter"), "pw [REDACTED], sh0rter");
        assert_eq!(redact("cut: sh0r"), "cut: sh0r");
    }

    #[test]
    fn redaction_is_idempotent_and_leaves_prose_alone() {
        setup();
        let text = format!("a {SECRET} b \"client_secret\": \"x\" Bearer abc123456");
        let once = redact(&text);
        assert_eq!(redact(&once), once);
        let prose = r#"WWW-Authenticate: Bearer error="invalid_token"; a Basic challenge"#;
        assert_eq!(redact(prose), prose);
    }

    #[test]
    fn fields_make_control_characters_visible_before_redacting() {
        setup();
        let split = format!("{}\u{1b}{}", &SECRET[..4], &SECRET[4..]);
        assert!(!field(&split).contains("\u{1b}"));
        assert_eq!(field("a\u{0}b\tc\nd"), "a\u{FFFD}b\tc\nd");
    }
}
