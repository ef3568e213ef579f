//! Reading HTML as a stream of tags and text, in one pass.
//!
//! The login driver needs the forms, controls, labels and links of a page,
//! not its tree. Building an HTML tree costs time in the nesting depth (a
//! 1 MiB page of nested `<div>`s took minutes to build); this tokenizer
//! never looks back: every byte is read once, so the cost is linear in the
//! page, whatever its shape. It follows the HTML tokenizer where a login page
//! needs it: comments, `<!…>` and `<?…>` declarations, quoted, unquoted and
//! bare attributes (names lower-cased, the first of a duplicate kept), the raw
//! text of `<script>` and `<style>`, the escapable raw text of `<textarea>`
//! and `<title>`, and character references. A tag keeps at most
//! [`MAX_ATTRIBUTES`] attributes, so a tag with a million of them costs no
//! more than a million bytes.

/// Attributes kept per tag; the rest are read and dropped.
pub const MAX_ATTRIBUTES: usize = 64;

/// One piece of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// `<name attr=value …>`; the name lower-cased.
    Start {
        name: String,
        attrs: Vec<(String, String)>,
    },
    /// `</name>`; the name lower-cased.
    End { name: String },
    /// Text between tags, character references decoded.
    Text(String),
    /// The raw content of a `<script>` or `<style>` element.
    Raw {
        element: &'static str,
        text: &'a str,
    },
}

impl Token<'_> {
    /// An attribute of a start tag.
    pub fn attr(&self, name: &str) -> Option<&str> {
        match self {
            Token::Start { attrs, .. } => attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str()),
            _ => None,
        }
    }
}

/// Elements whose content is not markup.
fn raw_kind(name: &str) -> Option<(&'static str, bool)> {
    // (element, whether character references are decoded in it)
    match name {
        "script" => Some(("script", false)),
        "style" => Some(("style", false)),
        "textarea" => Some(("textarea", true)),
        "title" => Some(("title", true)),
        _ => None,
    }
}

/// Calls `visit` with every token of `html`, in order.
pub fn tokenize<'a>(html: &'a str, mut visit: impl FnMut(Token<'a>)) {
    let bytes = html.as_bytes();
    let mut pos = 0;
    let mut text_start = 0;
    while pos < bytes.len() {
        if bytes[pos] != b'<' {
            pos += 1;
            continue;
        }
        let next = bytes.get(pos + 1).copied().unwrap_or(b' ');
        let is_markup = next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?');
        if !is_markup {
            pos += 1;
            continue;
        }
        emit_text(&html[text_start..pos], &mut visit);
        pos = match next {
            b'!' if html[pos..].starts_with("<!--") => skip_comment(html, pos + 4),
            b'!' | b'?' => skip_past(bytes, pos + 2, b'>'),
            b'/' => end_tag(html, pos + 2, &mut visit),
            _ => {
                let (tag, after) = start_tag(html, pos + 1);
                let raw = raw_kind(&tag.0);
                visit(Token::Start {
                    name: tag.0.clone(),
                    attrs: tag.1,
                });
                match raw {
                    Some((element, decode)) => raw_text(html, after, element, decode, &mut visit),
                    None => after,
                }
            }
        };
        text_start = pos;
    }
    emit_text(&html[text_start.min(html.len())..], &mut visit);
}

fn emit_text<'a>(text: &str, visit: &mut impl FnMut(Token<'a>)) {
    if !text.is_empty() {
        visit(Token::Text(decode(text)));
    }
}

/// The position after the first `byte` at or after `from` (or the end).
fn skip_past(bytes: &[u8], from: usize, byte: u8) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|b| *b == byte))
        .map_or(bytes.len(), |i| from + i + 1)
}

fn skip_comment(html: &str, from: usize) -> usize {
    html.get(from..)
        .and_then(|rest| rest.find("-->"))
        .map_or(html.len(), |i| from + i + 3)
}

/// `</name …>`: the end tag (attributes are read and ignored).
fn end_tag<'a>(html: &'a str, from: usize, visit: &mut impl FnMut(Token<'a>)) -> usize {
    let bytes = html.as_bytes();
    let name_end = name_end(bytes, from);
    let name = html[from..name_end].to_ascii_lowercase();
    let after = skip_past(bytes, name_end, b'>');
    if !name.is_empty() {
        visit(Token::End { name });
    }
    after
}

fn name_end(bytes: &[u8], from: usize) -> usize {
    let mut end = from;
    while end < bytes.len()
        && !bytes[end].is_ascii_whitespace()
        && !matches!(bytes[end], b'>' | b'/')
    {
        end += 1;
    }
    end
}

type Tag = (String, Vec<(String, String)>);

/// `<name attr=value …>` from just after the `<`: the tag and where it ends.
fn start_tag(html: &str, from: usize) -> (Tag, usize) {
    let bytes = html.as_bytes();
    let end = name_end(bytes, from);
    let name = html[from..end].to_ascii_lowercase();
    let mut attrs: Vec<(String, String)> = Vec::new();
    let mut pos = end;
    loop {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b'/') {
            pos += 1;
        }
        if pos >= bytes.len() {
            return ((name, attrs), pos);
        }
        if bytes[pos] == b'>' {
            return ((name, attrs), pos + 1);
        }
        let name_start = pos;
        // An attribute name may start with '=' (an error the HTML tokenizer
        // takes as part of the name); any other byte ends it.
        pos += 1;
        while pos < bytes.len()
            && !bytes[pos].is_ascii_whitespace()
            && !matches!(bytes[pos], b'>' | b'/' | b'=')
        {
            pos += 1;
        }
        let attr_name = html[name_start..pos].to_ascii_lowercase();
        let mut value = String::new();
        let mut look = pos;
        while look < bytes.len() && bytes[look].is_ascii_whitespace() {
            look += 1;
        }
        if look < bytes.len() && bytes[look] == b'=' {
            let (v, after) = attr_value(html, look + 1);
            value = v;
            pos = after;
        }
        let known = attrs.iter().any(|(n, _)| *n == attr_name);
        if !known && attrs.len() < MAX_ATTRIBUTES {
            attrs.push((attr_name, value));
        }
    }
}

/// An attribute value after `=`: quoted or not, references decoded.
fn attr_value(html: &str, from: usize) -> (String, usize) {
    let bytes = html.as_bytes();
    let mut pos = from;
    while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
        pos += 1;
    }
    match bytes.get(pos) {
        Some(&quote @ (b'"' | b'\'')) => {
            let start = pos + 1;
            let end = bytes[start..]
                .iter()
                .position(|b| *b == quote)
                .map_or(bytes.len(), |i| start + i);
            (decode(&html[start..end]), (end + 1).min(bytes.len()))
        }
        _ => {
            let start = pos;
            while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() && bytes[pos] != b'>' {
                pos += 1;
            }
            (decode(&html[start..pos]), pos)
        }
    }
}

/// The content of a raw text element, up to its end tag (or the end).
fn raw_text<'a>(
    html: &'a str,
    from: usize,
    element: &'static str,
    decoded: bool,
    visit: &mut impl FnMut(Token<'a>),
) -> usize {
    let end = find_end_tag(html.as_bytes(), from, element.as_bytes());
    let text = &html[from..end];
    if decoded {
        emit_text(text, visit);
    } else {
        visit(Token::Raw { element, text });
    }
    end
}

/// Where `</element` starts (case-insensitive) at or after `from`, or the end.
/// One pass: each byte is compared against the first byte at most once plus
/// the length of a candidate that fails.
fn find_end_tag(bytes: &[u8], from: usize, element: &[u8]) -> usize {
    let mut pos = from;
    while pos < bytes.len() {
        match bytes[pos + 1..].iter().position(|b| *b == b'/') {
            None => return bytes.len(),
            Some(i) => pos += 1 + i,
        }
        // `pos` is at least `from + 1`, so the byte before it is there.
        let starts = bytes[pos - 1] == b'<';
        let name = bytes.get(pos + 1..pos + 1 + element.len());
        if starts && name.is_some_and(|n| n.eq_ignore_ascii_case(element)) {
            let after = bytes.get(pos + 1 + element.len()).copied().unwrap_or(b'>');
            if after.is_ascii_whitespace() || matches!(after, b'>' | b'/') {
                return pos - 1;
            }
        }
    }
    bytes.len()
}

/// Decodes character references: numeric ones and the named ones login
/// pages use. An unknown name is kept as written, as browsers do.
pub fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        match reference(rest) {
            Some((decoded, used)) => {
                out.push(decoded);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The longest character reference read, `;` included.
const MAX_REFERENCE: usize = 33;

/// The character `&…;` at the start of `text` stands for, and its length.
fn reference(text: &str) -> Option<(char, usize)> {
    // Looks no further than a reference can be long: a page of `&`s without
    // a `;` must not be searched to its end once per `&`.
    let end = text
        .as_bytes()
        .iter()
        .skip(1)
        .take(MAX_REFERENCE)
        .position(|b| *b == b';')?
        + 1;
    let body = &text[1..end];
    let decoded = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code).unwrap_or('\u{FFFD}')
    } else {
        match body {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "rsquo" => '\u{2019}',
            "lsquo" => '\u{2018}',
            "hellip" => '\u{2026}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "copy" => '\u{a9}',
            _ => return None,
        }
    };
    Some((decoded, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(html: &str) -> Vec<Token<'_>> {
        let mut tokens = Vec::new();
        tokenize(html, |t| tokens.push(t));
        tokens
    }

    fn start(name: &str, attrs: &[(&str, &str)]) -> Token<'static> {
        Token::Start {
            name: name.into(),
            attrs: attrs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn tags_attributes_and_text() {
        let tokens = all(
            r#"<!doctype html><!-- <form> --><FORM Method=post action='/x?a=1&amp;b=2'>Hi &lt;you&gt;<input required name="n" value="a&quot;b"/></form>"#,
        );
        assert_eq!(
            tokens,
            vec![
                start("form", &[("method", "post"), ("action", "/x?a=1&b=2")]),
                Token::Text("Hi <you>".into()),
                start(
                    "input",
                    &[("required", ""), ("name", "n"), ("value", "a\"b")]
                ),
                Token::End {
                    name: "form".into()
                },
            ]
        );
    }

    #[test]
    fn raw_text_is_not_markup() {
        let tokens = all(
            "<script>if (a<b) document.forms[0].submit(); '</form>'</SCRIPT ><textarea>&lt;<b></textarea>",
        );
        assert_eq!(tokens[0], start("script", &[]));
        assert_eq!(
            tokens[1],
            Token::Raw {
                element: "script",
                text: "if (a<b) document.forms[0].submit(); '</form>'"
            }
        );
        assert_eq!(
            tokens[2],
            Token::End {
                name: "script".into()
            }
        );
        assert_eq!(tokens[4], Token::Text("<<b>".into()));
    }

    #[test]
    fn style_and_title_hold_no_markup() {
        let tokens =
            all("<style>p::after { content: '<form>' }</style><title>A <b> &amp; B</title>");
        assert_eq!(
            tokens[1],
            Token::Raw {
                element: "style",
                text: "p::after { content: '<form>' }"
            }
        );
        assert_eq!(tokens[4], Token::Text("A <b> & B".into()));
        assert_eq!(tokens.len(), 6, "{tokens:?}");
    }

    #[test]
    fn duplicates_and_excess_attributes_are_dropped() {
        let mut html = String::from("<input name=a name=b");
        for i in 0..1000 {
            html.push_str(&format!(" x{i}"));
        }
        html.push('>');
        let tokens = all(&html);
        let Token::Start { attrs, .. } = &tokens[0] else {
            panic!("{tokens:?}")
        };
        assert_eq!(attrs.len(), MAX_ATTRIBUTES);
        assert_eq!(tokens[0].attr("name"), Some("a"));
    }

    #[test]
    fn references_decode_or_stay() {
        assert_eq!(
            decode("a &amp; b &#233; &#x41; &bogus; & c"),
            "a & b é A &bogus; & c"
        );
        assert_eq!(decode("Don&rsquo;t allow"), "Don\u{2019}t allow");
    }

    #[test]
    fn every_named_reference_a_login_page_uses() {
        assert_eq!(
            decode("&amp;&lt;&gt;&quot;&apos;&nbsp;&rsquo;&lsquo;&hellip;&ndash;&mdash;&copy;"),
            "&<>\"'\u{a0}\u{2019}\u{2018}\u{2026}\u{2013}\u{2014}\u{a9}"
        );
        // Numeric: decimal, hex either case; a number that is no character is U+FFFD.
        assert_eq!(decode("&#65;&#x42;&#X43;&#xD800;"), "ABC\u{FFFD}");
        assert_eq!(decode("&#xZZ; &#; &;"), "&#xZZ; &#; &;");
    }

    #[test]
    fn a_reference_is_looked_for_no_further_than_its_longest_length() {
        let near = format!("&{};", "a".repeat(MAX_REFERENCE - 1));
        let far = format!("&#{}65;", "0".repeat(MAX_REFERENCE));
        // A number padded with zeros reads the same until it is too long.
        let padded = format!("&#{}65;", "0".repeat(MAX_REFERENCE - 4));
        assert_eq!(decode(&near), near);
        assert_eq!(decode(&far), far);
        assert_eq!(decode(&padded), "A");
    }

    #[test]
    fn declarations_end_tags_and_odd_attributes() {
        let tokens = all(
            "<?xml version='1.0'?><!DOCTYPE html></><p/><input  name = 'a b' value=x>y</form attr=1 >",
        );
        assert_eq!(
            tokens,
            vec![
                start("p", &[]),
                start("input", &[("name", "a b"), ("value", "x")]),
                Token::Text("y".into()),
                Token::End {
                    name: "form".into()
                },
            ]
        );
        // A comment or a declaration after text.
        for after_text in ["text<!-- <form> --><p>", "text<?pi?><p>", "text<!x><p>"] {
            assert_eq!(
                all(after_text),
                vec![Token::Text("text".into()), start("p", &[])],
                "{after_text}"
            );
        }
        // An attribute name may start with '='; an unquoted value ends at '>'.
        assert_eq!(
            all("<a =x href=/y>")[0],
            start("a", &[("=x", ""), ("href", "/y")])
        );
        assert_eq!(all("<a\thref=/y>z")[1], Token::Text("z".into()));
    }

    #[test]
    fn a_raw_element_ends_only_at_its_own_end_tag() {
        let tokens = all("<script>a</scripts> b/script> </ScRiPt\n><p>");
        assert_eq!(
            tokens[1],
            Token::Raw {
                element: "script",
                text: "a</scripts> b/script> "
            }
        );
        assert_eq!(tokens[3], start("p", &[]));
        // A raw element the page ends in, with or without content.
        for (page, text) in [("<script>", ""), ("<script>/", "/")] {
            let raw = Token::Raw {
                element: "script",
                text,
            };
            assert_eq!(all(page), vec![start("script", &[]), raw], "{page}");
        }
        // Never closed: the rest of the page, and nothing after it.
        let open = all("<script>x</scrip");
        assert_eq!(open.len(), 2);
        assert_eq!(
            open[1],
            Token::Raw {
                element: "script",
                text: "x</scrip"
            }
        );
        assert_eq!(all("<textarea>/</textarea>")[1], Token::Text("/".into()));
    }

    #[test]
    fn unterminated_markup_ends_the_page_quietly() {
        assert_eq!(
            all("text < 3 and <"),
            vec![Token::Text("text < 3 and <".into())]
        );
        assert_eq!(all("<input name='x").len(), 1);
        assert_eq!(all("<!-- never closed").len(), 0);
        // A tag name that runs to the end of the page.
        assert_eq!(
            all("x<input"),
            vec![Token::Text("x".into()), start("input", &[])]
        );
        assert_eq!(
            all("</form"),
            vec![Token::End {
                name: "form".into()
            }]
        );
        // A tag, an attribute name or a value that the page ends in.
        for open_tag in [
            "<input ",
            "<input name=x /",
            "<input name",
            "<input name=x x",
            "<input name=",
            "<input name= ",
        ] {
            assert_eq!(all(open_tag).len(), 1, "{open_tag}");
        }
    }
}
