//! What a report may show of a body: redacted first, then cut.
//!
//! Cutting first would leave the first part of a secret that straddles the
//! cut, which nothing could recognise any more. So the body (up to a window
//! well past the cut) is redacted whole, and only then cut: on a character
//! boundary, never inside a `[REDACTED]` marker, with a `…` marker.

use super::{REDACTED, field};

/// The mark at the end of a cut text.
pub const CUT_MARK: &str = "…";

/// How far past the cut a body is read and redacted: any encoding of any
/// secret that starts before the cut ends within it.
const WINDOW_PAST_CUT: usize = 16 * 1024;

/// At most `max` bytes of `body` (and a `…` when there was more), lossily
/// decoded, control characters made visible, every secret redacted.
pub fn preview(body: &[u8], max: usize) -> String {
    preview_cut(body, max).0
}

/// [`preview`], and whether it stops before the end of the body.
pub fn preview_cut(body: &[u8], max: usize) -> (String, bool) {
    let window = &body[..body.len().min(max.saturating_add(WINDOW_PAST_CUT))];
    let text = field(&String::from_utf8_lossy(window));
    let shown = cut(&text, max);
    if shown.len() < text.len() || window.len() < body.len() {
        (format!("{shown}{CUT_MARK}"), true)
    } else {
        (shown.to_owned(), false)
    }
}

/// The longest start of `text` of at most `max` bytes that ends on a
/// character boundary and not inside a `[REDACTED]` marker. For text that
/// is already redacted: cutting only ever removes.
pub fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // The first marker that ends past the cut: when it starts before the
    // cut, the cut is inside it and moves to its start.
    if let Some((i, _)) = text
        .match_indices(REDACTED)
        .find(|(i, _)| end < i + REDACTED.len())
    {
        end = end.min(i);
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::register_secret;

    #[test]
    fn a_short_body_is_shown_whole() {
        assert_eq!(preview(b"{\"error\":\"x\"}", 200), "{\"error\":\"x\"}");
        assert_eq!(preview(b"", 200), "");
    }

    #[test]
    fn a_secret_straddling_the_cut_is_redacted_before_the_cut() {
        register_secret("preview-straddling-secret-1");
        let body = format!("{}preview-straddling-secret-1 tail", "x".repeat(195));
        let shown = preview(body.as_bytes(), 200);
        assert!(!shown.contains("preview-str"), "{shown}");
        // The marker is not cut in half either: the cut moved before it.
        assert_eq!(shown, format!("{}…", "x".repeat(195)));
    }

    #[test]
    fn the_cut_is_on_a_character_boundary() {
        let body = "é".repeat(150);
        let shown = preview(body.as_bytes(), 101);
        assert_eq!(shown, format!("{}…", "é".repeat(50)));
        assert_eq!(cut("aé", 2), "a");
    }

    #[test]
    fn a_prefix_left_where_the_body_was_cut_is_redacted() {
        register_secret("preview-cut-secret-0123456789");
        // A server (or the size cap) cut the body inside the secret.
        let shown = preview(b"echo: preview-cut-sec", 200);
        assert_eq!(shown, "echo: [REDACTED]");
        // Seven characters are too few to tell.
        assert_eq!(preview(b"echo: preview", 200), "echo: preview");
    }

    #[test]
    fn a_secret_shaped_value_ending_far_past_the_cut_is_redacted() {
        // Nobody registered this userinfo; only its closing `@`, 2 KiB past the
        // cut, tells that it is one. The window must reach it.
        let userinfo = format!("preview-user:{}", "p".repeat(2048));
        let body = format!("{}https://{userinfo}@host/", "x".repeat(190));
        let shown = preview(body.as_bytes(), 200);
        assert!(!shown.contains("preview-u"), "{shown}");
        assert_eq!(shown, format!("{}https://…", "x".repeat(190)));
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(
            preview(b"a\x1b[31mb\x00c\nd", 200),
            "a\u{FFFD}[31mb\u{FFFD}c\nd"
        );
    }

    #[test]
    fn a_cut_right_after_a_marker_keeps_the_marker() {
        let text = format!("xx{REDACTED}yyyy");
        let end = 2 + REDACTED.len();
        assert_eq!(cut(&text, end), format!("xx{REDACTED}"));
        assert_eq!(cut(&text, end + 1), format!("xx{REDACTED}y"));
        // Inside the marker, the cut moves before it.
        assert_eq!(cut(&text, end - 1), "xx");
    }

    #[test]
    fn a_body_past_the_window_is_marked_cut_even_when_what_is_shown_fits() {
        // A secret longer than the window and the cut: redacted, what is shown is
        // short, but the body goes on past what was read.
        let secret = format!(
            "preview-window-secret-{}",
            "s".repeat(WINDOW_PAST_CUT + 1000)
        );
        register_secret(&secret);
        let body = format!("{secret} tail");
        let (shown, was_cut) = preview_cut(body.as_bytes(), 200);
        assert!(was_cut);
        assert_eq!(shown, format!("{REDACTED}{CUT_MARK}"));
    }
}
