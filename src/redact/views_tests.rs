//! Each decoder on the spellings a secret takes, and the bounds of the
//! view search (depth, count, cuts).

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
fn percent_decoding_keeps_a_plus() {
    // A URL path or a header: `+` is itself, only `%XX` is an escape.
    assert_eq!(found_in_views("/a+b%3Ac", "a+b:c"), ["a+b%3Ac"]);
}

#[test]
fn form_decoding_reads_plus_as_space() {
    assert_eq!(
        found_in_views("s=my+s%2Bcret", "my s+cret"),
        ["my+s%2Bcret"]
    );
    assert_eq!(found_in_views("s=my+secret", "my secret"), ["my+secret"]);
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
fn every_simple_backslash_escape() {
    let text = r#"a\"\\\/\'\b\f\n\r\t\0z"#;
    assert_eq!(found_in_views(text, "a\"\\/'\u{8}\u{c}\n\r\t\0z"), [text]);
}

#[test]
fn half_a_surrogate_pair_is_a_replacement_character() {
    // A high surrogate and then no low one: another escape, or a letter.
    assert_eq!(
        found_in_views(r"a\ud83d\nb", "a\u{FFFD}\nb"),
        [r"a\ud83d\nb"]
    );
    assert_eq!(
        found_in_views(r"a\ud83d\u0041", "a\u{FFFD}A"),
        [r"a\ud83d\u0041"]
    );
    assert_eq!(
        found_in_views(r"a\ud83d\u12x", "a\u{FFFD}\\u12x"),
        [r"a\ud83d\u12x"]
    );
    // Cut right after the backslash of the low half.
    let views = of(r"abc\ud83d\");
    assert!(views.iter().any(|v| v.text == "abc"));
}

#[test]
fn an_incomplete_escape_before_more_text_is_text() {
    // `\u12` is no escape here (the text goes on): nothing is dropped.
    assert!(found_in_views(r"x\u12y", "xy").is_empty());
    assert!(found_in_views(r"x\u{zz}y", "xy").is_empty());
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
    for text in [
        "abc%3",
        "abc%",
        "abc\\u00",
        "abc\\",
        "abc&qu",
        "abc\\u{1F6",
        "abc%F0%9F",
        "abc\\ud83d",
        "abc\\ud83d\\ude",
    ] {
        let views = of(text);
        let cut = views.iter().find(|v| v.text == "abc");
        let cut = cut.unwrap_or_else(|| panic!("no view ends at the cut in {text}"));
        assert_eq!(cut.original(0..3), 0..text.len(), "{text}");
    }
}

#[test]
fn an_escape_cut_before_a_mark_is_dropped_too() {
    for text in [
        "abc%3… more",
        "abc&#x2F... more",
        "abc\\u0… more",
        "abc\\… more",
    ] {
        let views = of(text);
        let cut = views
            .iter()
            .find(|v| v.text.starts_with("abc…") || v.text.starts_with("abc..."));
        let cut = cut.unwrap_or_else(|| panic!("no view keeps the cut in {text}"));
        assert_eq!(
            cut.original(0..3),
            0..text.find(['…', '.']).unwrap(),
            "{text}"
        );
    }
    // Elsewhere an incomplete escape is plain text.
    assert!(of("100% sure").iter().all(|v| v.text.contains('%')));
}

/// A quote escaped with backslashes `layers` times over.
fn escaped_quote(layers: usize) -> String {
    (0..layers).fold("\"".to_owned(), |s, _| {
        s.replace('\\', "\\\\").replace('"', "\\\"")
    })
}

#[test]
fn invalid_utf8_decodes_to_a_replacement_character_mapped_to_its_escape() {
    // Two bytes of a three-byte character, then a whole one.
    let text = "x%E2%82y%C3%A9";
    let view = of(text).into_iter().find(|v| v.depth == 1).unwrap();
    assert_eq!(view.text, "x\u{FFFD}y\u{e9}");
    assert_eq!(&text[view.original(1..4)], "%E2%82");
    assert_eq!(&text[view.original(4..5)], "y");
    assert_eq!(&text[view.original(5..7)], "%C3%A9");
}

#[test]
fn a_views_depth_counts_the_layers_undone() {
    let views = of(&escaped_quote(2));
    let depth_of = |layers| {
        let text = escaped_quote(layers);
        views.iter().find(|v| v.text == text).map(|v| v.depth)
    };
    assert_eq!(
        [depth_of(2), depth_of(1), depth_of(0)],
        [Some(0), Some(1), Some(2)]
    );
}

#[test]
fn no_more_than_three_layers_are_undone() {
    let views = of(&escaped_quote(4));
    assert!(views.iter().all(|v| v.depth <= MAX_DEPTH));
    assert!(views.iter().any(|v| v.text == escaped_quote(1)));
    assert!(
        !views.iter().any(|v| v.text == "\""),
        "a fourth layer was undone"
    );
}

#[test]
fn percent_encoding_is_undone_once() {
    // `%2541` is `%41` encoded again: a text is percent-encoded once.
    let views = of("s%2541");
    assert!(views.iter().any(|v| v.text == "s%41"));
    assert!(!views.iter().any(|v| v.text == "sA"));
}

#[test]
fn text_without_escapes_has_one_view() {
    assert_eq!(of("plain text: no escapes").len(), 1);
}
