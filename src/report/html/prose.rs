//! A description as prose: paragraphs (a blank line between them), lists
//! (lines starting with `- ` or `* `) and `code` spans, as a feature's
//! description is written.

/// A paragraph or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Inline>),
    List(Vec<Vec<Inline>>),
}

/// A run of text, in backticks (`code`) or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inline {
    pub code: bool,
    pub text: String,
}

/// The text between backticks is code; an unpaired backtick stays text.
pub fn inlines(text: &str) -> Vec<Inline> {
    let parts: Vec<&str> = text.split('`').collect();
    let paired = parts.len() % 2 == 1;
    let mut out: Vec<Inline> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let code = paired && i % 2 == 1;
        if part.is_empty() && !code {
            continue;
        }
        let text = if !paired && i > 0 {
            format!("`{part}")
        } else {
            (*part).to_owned()
        };
        match out.last_mut() {
            Some(last) if !last.code && !code => last.text.push_str(&text),
            _ => out.push(Inline { code, text }),
        }
    }
    out
}

/// The blocks of a description.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    let flush = |out: &mut Vec<Block>, paragraph: &mut Vec<&str>, items: &mut Vec<String>| {
        if !paragraph.is_empty() {
            out.push(Block::Paragraph(inlines(&paragraph.join(" "))));
            paragraph.clear();
        }
        if !items.is_empty() {
            out.push(Block::List(items.iter().map(|i| inlines(i)).collect()));
            items.clear();
        }
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            flush(&mut out, &mut paragraph, &mut items);
        } else if let Some(item) = line.strip_prefix("- ").or(line.strip_prefix("* ")) {
            if !paragraph.is_empty() {
                let mut none = Vec::new();
                flush(&mut out, &mut paragraph, &mut none);
            }
            items.push(item.trim().to_owned());
        } else if let Some(item) = items.last_mut() {
            // A list item's continuation line.
            item.push(' ');
            item.push_str(line);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut out, &mut paragraph, &mut items);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Inline {
        Inline {
            code: false,
            text: t.into(),
        }
    }

    fn code(t: &str) -> Inline {
        Inline {
            code: true,
            text: t.into(),
        }
    }

    #[test]
    fn paragraphs_lists_and_code() {
        let got = blocks(
            "RFC 6749. A client POSTs\n  to `/token` (§3.2).\n\nIt says:\n- one thing\n  on two lines\n* another\n\nThe end.",
        );
        assert_eq!(
            got,
            vec![
                Block::Paragraph(vec![
                    text("RFC 6749. A client POSTs to "),
                    code("/token"),
                    text(" (§3.2).")
                ]),
                Block::Paragraph(vec![text("It says:")]),
                Block::List(vec![
                    vec![text("one thing on two lines")],
                    vec![text("another")]
                ]),
                Block::Paragraph(vec![text("The end.")]),
            ]
        );
    }

    #[test]
    fn an_unpaired_backtick_stays_text() {
        assert_eq!(inlines("a ` b"), vec![text("a ` b")]);
        assert_eq!(inlines("``"), vec![code("")]);
        assert!(blocks("  \n\n").is_empty());
    }
}
