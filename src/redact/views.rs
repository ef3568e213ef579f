//! Decoded views of a text, each mapped back to the text's own positions.
//!
//! A secret reaches output in the encoding of wherever it passed through: a
//! form body (`+`, `%3A`), a percent-encoded URL (`%3a` or `%3A`), an HTML
//! error page (`&amp;`, `&quot;`, `&#x27;`, `&#233;`), a JSON string (`\"`,
//! `\\`, `\/`, `\u00e9`, a surrogate pair), a Rust `{:?}` (`\"`, `\\`,
//! `\u{1b}`), or several of these in turn. Rather than spell every secret in
//! every combination, the text is decoded: each view is the text with one
//! more layer of escaping undone, and knows which span of the original each
//! of its bytes came from, so a secret found in a view is redacted in the
//! original, escapes and all.
//!
//! A decoder drops an escape left incomplete at the very end of a text (`%3`,
//! `\u00`, `&am`), so a secret cut in the middle of one still ends at the cut.

use std::ops::Range;

/// Layers of escaping undone at most, and views kept at most.
const MAX_DEPTH: usize = 3;
const MAX_VIEWS: usize = 24;

/// A text with some escaping undone.
pub(crate) struct View {
    pub text: String,
    /// For each byte of `text` (and one past its end): where in the original
    /// the escape that produced it starts. `None` for the original itself.
    origin: Option<Vec<usize>>,
}

impl View {
    /// The span of the original text that `range` of this view came from.
    pub fn original(&self, range: Range<usize>) -> Range<usize> {
        match &self.origin {
            None => range,
            Some(map) => map[range.start]..map[range.end],
        }
    }
}

/// A decoder: the decoded text and, per byte, where its escape starts in the
/// input; `None` when there is nothing to decode.
type Decoder = fn(&str) -> Option<(String, Vec<usize>)>;

const DECODERS: [Decoder; 4] = [percent, form, html, backslash];

/// The text itself and every distinct view up to [`MAX_DEPTH`] layers of
/// decoding deep.
pub(crate) fn of(text: &str) -> Vec<View> {
    let mut views = vec![View {
        text: text.to_owned(),
        origin: None,
    }];
    let mut depth = vec![0];
    let mut next = 0;
    while next < views.len() {
        if depth[next] < MAX_DEPTH {
            for decode in DECODERS {
                if views.len() >= MAX_VIEWS {
                    return views;
                }
                let Some((decoded, map)) = decode(&views[next].text) else {
                    continue;
                };
                if views.iter().any(|v| v.text == decoded) {
                    continue;
                }
                let origin = match &views[next].origin {
                    None => map,
                    Some(parent) => map.iter().map(|&i| parent[i]).collect(),
                };
                views.push(View {
                    text: decoded,
                    origin: Some(origin),
                });
                depth.push(depth[next] + 1);
            }
        }
        next += 1;
    }
    views
}

/// Decoded bytes, each with where its escape starts, as text: invalid UTF-8
/// becomes U+FFFD, mapped to where the invalid bytes start.
fn into_text(bytes: Vec<u8>, starts: Vec<usize>, input_len: usize) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(bytes.len());
    let mut map = Vec::with_capacity(bytes.len() + 1);
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        map.extend_from_slice(&starts[at..at + chunk.valid().len()]);
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push('\u{FFFD}');
            map.extend([starts[at]; 3]);
            at += chunk.invalid().len();
        }
    }
    map.push(input_len);
    (text, map)
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// `%XX` in either case (RFC 3986 §2.1).
fn percent(input: &str) -> Option<(String, Vec<usize>)> {
    percent_decode(input, false)
}

/// `application/x-www-form-urlencoded`: `%XX` and `+` for a space.
fn form(input: &str) -> Option<(String, Vec<usize>)> {
    percent_decode(input, true)
}

fn percent_decode(input: &str, plus_is_space: bool) -> Option<(String, Vec<usize>)> {
    let has_plus = plus_is_space && input.contains('+');
    if !input.contains('%') && !has_plus {
        return None;
    }
    let b = input.as_bytes();
    let (mut out, mut starts) = (Vec::with_capacity(b.len()), Vec::with_capacity(b.len()));
    let mut i = 0;
    while i < b.len() {
        let (byte, len) = match b[i] {
            b'%' => match (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).map(|&c| hex(c)),
            ) {
                (Some(h), Some(Some(l))) => (h * 16 + l, 3),
                // "%" or "%A" at the very end: an escape cut in half.
                (None, _) if i + 1 == b.len() => break,
                (Some(_), None) => break,
                _ => (b'%', 1),
            },
            b'+' if plus_is_space => (b' ', 1),
            other => (other, 1),
        };
        out.push(byte);
        starts.push(i);
        i += len;
    }
    Some(into_text(out, starts, input.len()))
}

/// HTML character references: numeric (`&#39;`, `&#x27;`, either case) and
/// the named ones for ASCII punctuation and spaces.
fn html(input: &str) -> Option<(String, Vec<usize>)> {
    if !input.contains('&') {
        return None;
    }
    let mut out = String::with_capacity(input.len());
    let mut map = Vec::with_capacity(input.len() + 1);
    let mut rest = input;
    let mut at = 0;
    while let Some(c) = rest.chars().next() {
        let (decoded, len) = if c == '&' {
            match entity(rest) {
                Some(found) => found,
                None if is_cut_entity(rest) => break,
                None => (c, 1),
            }
        } else {
            (c, c.len_utf8())
        };
        out.push(decoded);
        map.extend(std::iter::repeat_n(at, decoded.len_utf8()));
        at += len;
        rest = &rest[len..];
    }
    map.push(input.len());
    Some((out, map))
}

/// The character `text` starts with as an entity, and the entity's length.
fn entity(text: &str) -> Option<(char, usize)> {
    let end = text.bytes().take(12).position(|b| b == b';')?;
    let name = &text[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(h) => u32::from_str_radix(h, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        NAMED.iter().find(|(n, _)| *n == name)?.1
    };
    Some((c, end + 1))
}

/// An entity cut off by the end of the text (`&`, `&#x2`, `&quo`).
fn is_cut_entity(text: &str) -> bool {
    text.len() <= 12
        && text[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '#')
}

const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("excl", '!'),
    ("num", '#'),
    ("dollar", '$'),
    ("percnt", '%'),
    ("lpar", '('),
    ("rpar", ')'),
    ("ast", '*'),
    ("plus", '+'),
    ("comma", ','),
    ("period", '.'),
    ("sol", '/'),
    ("colon", ':'),
    ("semi", ';'),
    ("equals", '='),
    ("quest", '?'),
    ("commat", '@'),
    ("lsqb", '['),
    ("bsol", '\\'),
    ("rsqb", ']'),
    ("Hat", '^'),
    ("lowbar", '_'),
    ("grave", '`'),
    ("lcub", '{'),
    ("verbar", '|'),
    ("rcub", '}'),
    ("tilde", '~'),
];

/// Backslash escapes of JSON (`\"`, `\/`, `\uXXXX` in either case, surrogate
/// pairs) and of Rust's `{:?}` (`\'`, `\0`, `\u{…}`).
fn backslash(input: &str) -> Option<(String, Vec<usize>)> {
    if !input.contains('\\') {
        return None;
    }
    let mut out = String::with_capacity(input.len());
    let mut map = Vec::with_capacity(input.len() + 1);
    let mut at = 0;
    while at < input.len() {
        let rest = &input[at..];
        let (decoded, len) = if rest.starts_with('\\') {
            match escape(rest) {
                Escape::Char(c, len) => (c, len),
                Escape::Cut => break,
                Escape::Not => ('\\', 1),
            }
        } else {
            let c = rest.chars().next().unwrap_or_default();
            (c, c.len_utf8())
        };
        out.push(decoded);
        map.extend(std::iter::repeat_n(at, decoded.len_utf8()));
        at += len;
    }
    map.push(input.len());
    Some((out, map))
}

enum Escape {
    Char(char, usize),
    /// An escape cut off by the end of the text.
    Cut,
    Not,
}

fn escape(text: &str) -> Escape {
    let b = text.as_bytes();
    let simple = match b.get(1) {
        None => return Escape::Cut,
        Some(b'"') => '"',
        Some(b'\\') => '\\',
        Some(b'/') => '/',
        Some(b'\'') => '\'',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'n') => '\n',
        Some(b'r') => '\r',
        Some(b't') => '\t',
        Some(b'0') => '\0',
        Some(b'u') => return unicode(text),
        _ => return Escape::Not,
    };
    Escape::Char(simple, 2)
}

/// `\u{1F600}` (Rust), `\uD83D\uDE00` or `\u00e9` (JSON).
fn unicode(text: &str) -> Escape {
    if let Some(braced) = text.strip_prefix("\\u{") {
        return match braced.find('}') {
            Some(end) => match u32::from_str_radix(&braced[..end], 16)
                .ok()
                .and_then(char::from_u32)
            {
                Some(c) => Escape::Char(c, 4 + end),
                None => Escape::Not,
            },
            None if braced.len() <= 6 && braced.chars().all(|c| c.is_ascii_hexdigit()) => {
                Escape::Cut
            }
            None => Escape::Not,
        };
    }
    let unit = |at: usize| -> Result<u32, Escape> {
        let digits = text.get(at..at + 4).unwrap_or(&text[at.min(text.len())..]);
        if digits.len() < 4 {
            let ok = digits.chars().all(|c| c.is_ascii_hexdigit());
            return Err(if ok { Escape::Cut } else { Escape::Not });
        }
        u32::from_str_radix(digits, 16).map_err(|_| Escape::Not)
    };
    let high = match unit(2) {
        Ok(u) => u,
        Err(e) => return e,
    };
    if (0xD800..0xDC00).contains(&high)
        && text[6..].starts_with("\\u")
        && let Ok(low) = unit(8)
        && (0xDC00..0xE000).contains(&low)
    {
        let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        return Escape::Char(char::from_u32(c).unwrap_or('\u{FFFD}'), 12);
    }
    Escape::Char(char::from_u32(high).unwrap_or('\u{FFFD}'), 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The views' texts, and where `needle` found in each came from.
    fn found_in_views(text: &str, needle: &str) -> Vec<String> {
        of(text)
            .iter()
            .flat_map(|v| {
                v.text
                    .match_indices(needle)
                    .map(|(i, _)| text[v.original(i..i + needle.len())].to_owned())
                    .collect::<Vec<_>>()
            })
            .fold(Vec::new(), |mut all, s| {
                if !all.contains(&s) {
                    all.push(s);
                }
                all
            })
    }

    #[test]
    fn percent_decoding_takes_either_hex_case() {
        assert_eq!(found_in_views("x=a%3Ab%2fc", "a:b/c"), ["a%3Ab%2fc"]);
        assert_eq!(found_in_views("x=a%3ab%2Fc", "a:b/c"), ["a%3ab%2Fc"]);
        assert_eq!(found_in_views("%C3%A9t%C3%A9", "été"), ["%C3%A9t%C3%A9"]);
    }

    #[test]
    fn form_decoding_reads_plus_as_space() {
        assert_eq!(
            found_in_views("s=my+s%2Bcret", "my s+cret"),
            ["my+s%2Bcret"]
        );
    }

    #[test]
    fn html_decoding_takes_named_and_numeric_references() {
        assert_eq!(
            found_in_views("<p>a&amp;b&quot;c&#x27;d&#39;e&lt;</p>", "a&b\"c'd'e<"),
            ["a&amp;b&quot;c&#x27;d&#39;e&lt;"]
        );
        assert_eq!(found_in_views("s&#233;c&#X2F;", "séc/"), ["s&#233;c&#X2F;"]);
        assert_eq!(
            found_in_views("a&colon;b&commat;", "a:b@"),
            ["a&colon;b&commat;"]
        );
    }

    #[test]
    fn json_escapes_including_unicode_and_surrogates() {
        assert_eq!(
            found_in_views(r#"{"e":"a\"b\\c\/d\u00e9\u00E9"}"#, "a\"b\\c/déé"),
            [r#"a\"b\\c\/d\u00e9\u00E9"#]
        );
        assert_eq!(
            found_in_views(r"x\ud83d\ude00y", "x😀y"),
            [r"x\ud83d\ude00y"]
        );
    }

    #[test]
    fn rust_debug_escapes_and_double_escaping() {
        let secret = "q\"u\\o\u{1b}te";
        let debug = format!("{secret:?}");
        assert_eq!(found_in_views(&debug, secret), [&debug[1..debug.len() - 1]]);
        // A `{:?}` of a JSON-escaped secret: two layers.
        let json = serde_json::to_string(secret).unwrap();
        let twice = format!("{json:?}");
        assert_eq!(found_in_views(&twice, secret).len(), 1, "{twice}");
    }

    #[test]
    fn layers_combine() {
        // HTML-escaped JSON holding a form-encoded value.
        let text = "&quot;body&quot;: &quot;s=a%22b%5C&quot;";
        assert_eq!(found_in_views(text, "a\"b\\"), ["a%22b%5C"]);
    }

    #[test]
    fn an_escape_cut_at_the_end_is_dropped() {
        for text in ["abc%3", "abc%", "abc\\u00", "abc\\", "abc&qu", "abc\\u{1F6"] {
            let views = of(text);
            let cut = views.iter().find(|v| v.text == "abc");
            let cut = cut.unwrap_or_else(|| panic!("no view ends at the cut in {text}"));
            assert_eq!(cut.original(0..3), 0..text.len(), "{text}");
        }
    }

    #[test]
    fn text_without_escapes_has_one_view() {
        assert_eq!(of("plain text: no escapes").len(), 1);
    }
}
