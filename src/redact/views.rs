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
//! A decoder drops an escape left incomplete where a text was cut (at its
//! end, or before a `…` or `...` mark: `%3`, `\u00`, `&am`, half a UTF-8
//! sequence), so a secret cut in the middle of one still ends at the cut.

use std::ops::Range;

/// Layers of escaping undone at most, and views kept at most.
const MAX_DEPTH: usize = 3;
const MAX_VIEWS: usize = 20;

/// A text with some escaping undone.
pub(crate) struct View {
    pub text: String,
    /// Layers of escaping undone.
    pub depth: usize,
    /// Which of the once-only decoders made it (see [`DECODERS`]).
    used: u8,
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

/// Each decoder, with the once-only layers it stands for: a text is
/// percent- or form-encoded once, and HTML-escaped once, but backslash
/// escapes nest (a `{:?}` of a JSON string). Backslash comes first, so that
/// its deeper layers are among the views kept.
const DECODERS: [(Decoder, u8); 4] = [
    (backslash, 0),
    (html, HTML),
    (percent, PERCENT),
    (form, PERCENT),
];
const HTML: u8 = 1;
const PERCENT: u8 = 2;

/// The text itself and every distinct view up to [`MAX_DEPTH`] layers of
/// decoding deep.
pub(crate) fn of(text: &str) -> Vec<View> {
    let mut views = vec![View {
        text: text.to_owned(),
        depth: 0,
        used: 0,
        origin: None,
    }];
    let mut next = 0;
    while next < views.len() {
        if views[next].depth < MAX_DEPTH {
            for (decode, layer) in DECODERS {
                if views.len() >= MAX_VIEWS {
                    return views;
                }
                if views[next].used & layer != 0 {
                    continue;
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
                    depth: views[next].depth + 1,
                    used: views[next].used | layer,
                    origin: Some(origin),
                });
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
        let invalid = chunk.invalid().len();
        if invalid > 0 {
            // Half a character where the text was cut is dropped.
            if !at_cut_bytes(&bytes[at + invalid..]) {
                text.push('\u{FFFD}');
                map.extend([starts[at]; 3]);
            }
            at += invalid;
        }
    }
    map.push(input_len);
    (text, map)
}

/// Whether what follows is where the text was cut.
fn at_cut(rest: &str) -> bool {
    at_cut_bytes(rest.as_bytes())
}

fn at_cut_bytes(rest: &[u8]) -> bool {
    rest.is_empty() || rest.starts_with("…".as_bytes()) || rest.starts_with(b"...")
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
                b.get(i + 2).and_then(|&c| hex(c)),
            ) {
                (Some(h), Some(l)) => (h * 16 + l, 3),
                (first, _) => {
                    // "%" or "%A" where the text was cut: dropped.
                    let partial = 1 + usize::from(first.is_some());
                    if at_cut(&input[i + partial..]) {
                        i += partial;
                        continue;
                    }
                    (b'%', 1)
                }
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
                None => {
                    let partial = partial_entity(rest);
                    if at_cut(&rest[partial..]) {
                        at += partial;
                        rest = &rest[partial..];
                        continue;
                    }
                    (c, 1)
                }
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

/// The length of what could be the start of an entity (`&`, `&#x2`, `&quo`).
fn partial_entity(text: &str) -> usize {
    1 + text[1..]
        .bytes()
        .take(10)
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'#')
        .count()
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
                Escape::Partial(len) if at_cut(&rest[len..]) => {
                    at += len;
                    continue;
                }
                Escape::Partial(_) | Escape::Not => ('\\', 1),
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
    /// The start of an escape, this long, that stops short: dropped where
    /// the text was cut, a plain backslash elsewhere.
    Partial(usize),
    Not,
}

fn escape(text: &str) -> Escape {
    let b = text.as_bytes();
    let simple = match b.get(1) {
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
        // A backslash escaping nothing (or nothing left: the text was cut).
        _ => return Escape::Partial(1),
    };
    Escape::Char(simple, 2)
}

/// `\u{1F600}` (Rust), `\uD83D\uDE00` or `\u00e9` (JSON).
fn unicode(text: &str) -> Escape {
    let hex_digits = |from: usize, most: usize| {
        text[from..]
            .bytes()
            .take(most)
            .take_while(u8::is_ascii_hexdigit)
            .count()
    };
    if text.starts_with("\\u{") {
        let n = hex_digits(3, 6);
        if !text[3 + n..].starts_with('}') {
            return Escape::Partial(3 + n);
        }
        return match u32::from_str_radix(&text[3..3 + n], 16)
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) => Escape::Char(c, 4 + n),
            None => Escape::Not,
        };
    }
    let unit = |at: usize| match hex_digits(at, 4) {
        4 => Ok(u32::from_str_radix(&text[at..at + 4], 16).unwrap_or(0xFFFD)),
        n => Err(Escape::Partial(at + n)),
    };
    let high = match unit(2) {
        Ok(u) => u,
        Err(partial) => return partial,
    };
    if (0xD800..0xDC00).contains(&high) {
        // Half a surrogate pair where the text was cut.
        let rest = &text[6..];
        if at_cut(rest) {
            return Escape::Partial(6);
        }
        if rest.starts_with('\\') && at_cut(&rest[1..]) {
            return Escape::Partial(7);
        }
        if rest.starts_with("\\u") {
            match unit(8) {
                Ok(low) if (0xDC00..0xE000).contains(&low) => {
                    let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    return Escape::Char(char::from_u32(c).unwrap_or('\u{FFFD}'), 12);
                }
                Err(Escape::Partial(n)) if at_cut(&text[n..]) => return Escape::Partial(n),
                _ => {}
            }
        }
    }
    Escape::Char(char::from_u32(high).unwrap_or('\u{FFFD}'), 6)
}

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
