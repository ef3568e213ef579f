//! A page as the login driver sees it: its forms with their controls, its
//! links, and whether it moves on by itself; and how to describe it in a
//! message (names and texts, never a value). [`super::read::read`] builds it
//! (this module only describes a page, so reading depends on it, never back).
//!
//! Every radio button, checkbox and option is kept with its checked or
//! selected state, so a choice the page offers is never lost; submit
//! buttons are kept with or without a name, with their text. What a page
//! can hold is capped ([`MAX_FORMS`], [`MAX_CONTROLS`], [`MAX_LINKS`],
//! [`MAX_TEXT`]); past a cap the rest is dropped and the page says so.

pub const MAX_FORMS: usize = 64;
pub const MAX_CONTROLS: usize = 512;
pub const MAX_LINKS: usize = 512;
/// The longest `<meta http-equiv="refresh">` delay that still counts as a
/// page moving on by itself.
pub const MAX_REFRESH_DELAY_S: f64 = 5.0;
/// Characters kept of a label, button, option, link or title text.
pub const MAX_TEXT: usize = 200;

/// What a control is, for the driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A text-like input: text, email, tel, number, search, url, or no type.
    Text,
    Password,
    Hidden,
    Radio,
    Checkbox,
    Select,
    Textarea,
    /// `<input type=submit>`, `<input type=image>`, `<button>` (type submit
    /// or none): a control that submits its form.
    Submit,
    /// Anything else (`type=button`, `reset`, `file`): never submitted.
    Inert,
}

/// One option of a `<select>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub text: String,
    pub selected: bool,
}

/// One form control, as the page has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    pub kind: Kind,
    /// The `type` as written (`email`, `submit`, …), for descriptions.
    pub input_type: String,
    pub name: String,
    pub id: Option<String>,
    pub value: String,
    /// The label's text; for a submit, its text (content, value or alt).
    pub label: String,
    pub checked: bool,
    pub disabled: bool,
    /// The options of a `<select>`.
    pub options: Vec<Choice>,
    /// A submit's own `formaction` / `formmethod`.
    pub formaction: Option<url::Url>,
    pub formmethod: Option<String>,
}

/// A form: where it goes, how, and its controls in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// `GET` or `POST`.
    pub method: String,
    pub action: url::Url,
    pub id: Option<String>,
    pub controls: Vec<Control>,
}

impl Form {
    pub fn submits(&self) -> impl Iterator<Item = (usize, &Control)> {
        self.controls
            .iter()
            .enumerate()
            .filter(|(_, c)| c.kind == Kind::Submit && !c.disabled)
    }

    pub fn has(&self, kind: Kind) -> bool {
        self.controls.iter().any(|c| c.kind == kind && !c.disabled)
    }

    pub fn named(&self, name: &str) -> impl Iterator<Item = (usize, &Control)> {
        self.controls
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.name == name && !c.disabled)
    }

    /// "POST http://…/login: fields username (text), password (password);
    /// buttons "Log in"": names and kinds only, never a value.
    pub fn describe(&self) -> String {
        let fields: Vec<String> = self
            .controls
            .iter()
            .filter(|c| !matches!(c.kind, Kind::Submit | Kind::Inert))
            .map(|c| {
                let name = if c.name.is_empty() {
                    "(unnamed)"
                } else {
                    &c.name
                };
                match c.kind {
                    Kind::Radio | Kind::Checkbox if !c.label.is_empty() => {
                        format!("{name} ({} {:?})", c.input_type, c.label)
                    }
                    Kind::Select => format!("{name} (select of {})", c.options.len()),
                    _ => format!("{name} ({})", c.input_type),
                }
            })
            .collect();
        let buttons: Vec<String> = self
            .submits()
            .map(|(_, c)| match c.name.as_str() {
                "" => format!("{:?}", c.label),
                name => format!("{:?} (name {name})", c.label),
            })
            .collect();
        format!(
            "{} {}: fields {}; buttons {}",
            self.method,
            without_query(&self.action),
            list(&fields),
            list(&buttons)
        )
    }
}

/// A link: where it goes and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub href: url::Url,
    pub text: String,
}

/// Everything the driver reads from one answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub title: String,
    pub forms: Vec<Form>,
    pub links: Vec<Link>,
    /// Where `<meta http-equiv="refresh">` sends the browser.
    pub refresh: Option<url::Url>,
    /// A script submits a form as soon as the page loads (`<body onload>` or
    /// a `<script>` calling `submit()`), as "continue" pages do.
    pub submits_itself: bool,
    /// A cap was reached: some forms, controls or links were dropped.
    pub truncated: bool,
}

impl Page {
    /// The forms and the links, for a message (names and texts, no values).
    pub fn describe(&self) -> String {
        let forms: Vec<String> = self.forms.iter().map(Form::describe).collect();
        let mut links: Vec<String> = self
            .links
            .iter()
            .filter(|l| !l.text.is_empty())
            .take(8)
            .map(|l| format!("{:?} -> {}", l.text, without_query(&l.href)))
            .collect();
        let more = self.links.len().saturating_sub(links.len());
        if more > 0 {
            links.push(format!("and {more} more"));
        }
        format!(
            "title {:?}; forms: {}; links: {}{}",
            self.title,
            if forms.is_empty() {
                "none".to_owned()
            } else {
                forms.join(" | ")
            },
            list(&links),
            if self.truncated {
                " (page truncated: too many forms, controls or links)"
            } else {
                ""
            }
        )
    }
}

/// A URL for a message: its query (which may carry a session or a token)
/// shown as `?…`, its fragment left out.
fn without_query(url: &url::Url) -> String {
    let mut shown = url.clone();
    let had_query = shown.query().is_some();
    shown.set_query(None);
    shown.set_fragment(None);
    if had_query {
        format!("{shown}?…")
    } else {
        shown.to_string()
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
