//! Reading an HTML report as a browser would, parsed with scraper: what it
//! references, the runs it shows, and all of its text, decoded.

use scraper::{Html, Selector};

fn select(page: &Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    page.select(&selector).map(|e| e.html()).collect()
}

/// Fails unless the page references nothing outside itself: every link is
/// to a place on the page, nothing is loaded (no `src`, no `<link>`, no
/// frame, image or object), and no style imports or loads anything.
pub fn assert_self_contained(text: &str) {
    let page = Html::parse_document(text);
    let every = Selector::parse("*").unwrap();
    for element in page.select(&every) {
        for (name, value) in element.value().attrs() {
            let value = value.trim().to_ascii_lowercase();
            let network = value.starts_with("http:")
                || value.starts_with("https:")
                || value.starts_with("//");
            assert!(
                !network || name.starts_with("data-") || name == "title",
                "{name}={value:?} references the network: {}",
                element.html()
            );
            match name {
                "href" => assert!(value.starts_with('#'), "a link off the page: {value}"),
                "src" | "srcset" | "action" | "formaction" | "poster" | "background" => {
                    panic!("{name}={value:?} loads something: {}", element.html())
                }
                "style" => assert!(
                    !value.contains("url(") && !value.contains("@import"),
                    "an inline style loads something: {value}"
                ),
                _ => {}
            }
        }
    }
    for css in ["link", "iframe", "img", "object", "embed", "frame", "base"] {
        assert!(select(&page, css).is_empty(), "the page has a <{css}>");
    }
    let styles = select(&page, "style");
    assert_eq!(styles.len(), 1, "one inline style sheet");
    for style in &styles {
        assert!(!style.contains("@import"), "a style imports: {style}");
        assert!(!style.contains("url("), "a style loads a URL: {style}");
        assert!(!style.contains("@font-face"), "a web font: {style}");
    }
    for script in select(&page, "script") {
        for word in ["http:", "https:", "fetch(", "XMLHttpRequest", "import("] {
            assert!(!script.contains(word), "the script uses {word}");
        }
    }
}

/// The location of every run the page shows (`data-location`).
pub fn run_locations(text: &str) -> Vec<String> {
    let page = Html::parse_document(text);
    let runs = Selector::parse("[data-location]").unwrap();
    page.select(&runs)
        .filter_map(|e| e.value().attr("data-location").map(str::to_owned))
        .collect()
}

/// Every text node and attribute value, decoded, one per line: what a
/// reader sees, and what a leak test must also search.
pub fn decoded_text(text: &str) -> String {
    let page = Html::parse_document(text);
    let every = Selector::parse("*").unwrap();
    let mut out: Vec<String> = Vec::new();
    for element in page.select(&every) {
        out.extend(element.value().attrs().map(|(_, v)| v.to_owned()));
        out.extend(
            element
                .children()
                .filter_map(|c| c.value().as_text().map(|t| t.to_string())),
        );
    }
    out.join("\n")
}
