//! Building a [`Page`] in one pass over the tokens of [`super::html`].
//!
//! It follows HTML's form rules where a login page depends on them: a
//! control belongs to the open form (HTML's form element pointer) or to the
//! one its `form` attribute names; a `<form>` inside a form is ignored; a
//! label names the control it wraps or the one its `for` points at; a
//! button's text is its content, an option's value defaults to its text; a
//! `<base href>` moves every relative URL. Nothing looks back, so the cost
//! is linear in the page.

use std::collections::HashMap;

use super::html::{Token, tokenize};
use super::page::{
    Choice, Control, Form, Kind, Link, MAX_CONTROLS, MAX_FORMS, MAX_LINKS, MAX_REFRESH_DELAY_S,
    MAX_TEXT, Page,
};

/// Reads `html`, served at `url`.
pub fn read(url: &url::Url, html: &str) -> Page {
    let mut builder = Builder::new(url);
    tokenize(html, |token| builder.token(token));
    builder.finish()
}

/// A place in the page being built: form `form`, control `control`.
type At = (usize, usize);

/// What collects text right now.
#[derive(Default)]
struct Open {
    title: Option<String>,
    /// A wrapping `<label>`: its `for`, its text, the controls inside it.
    label: Option<(Option<String>, String, Vec<Held>)>,
    button: Option<(Held, String)>,
    select: Option<Held>,
    /// An `<option>`: its `value` attribute, its text, whether selected.
    option: Option<(Option<String>, String, bool)>,
    textarea: Option<(Held, String)>,
    link: Option<(url::Url, String)>,
}

/// A control that belongs to a form, or to the form a `form` attribute
/// names (resolved at the end).
#[derive(Clone, Debug)]
enum Held {
    In(At),
    Pending(usize),
}

struct Builder {
    /// Where the page was served: a form with no action submits here.
    document: url::Url,
    /// What relative URLs resolve against (`<base href>`, else the page's).
    base: url::Url,
    page: Page,
    /// HTML's form element pointer: the form controls join.
    form: Option<usize>,
    /// Controls whose `form` attribute names a form by id.
    pending: Vec<(String, Control)>,
    /// `<label for=…>` texts.
    labels_for: Vec<(String, String)>,
    open: Open,
    base_seen: bool,
}

impl Builder {
    fn new(url: &url::Url) -> Self {
        Self {
            document: url.clone(),
            base: url.clone(),
            page: Page::default(),
            form: None,
            pending: Vec::new(),
            labels_for: Vec::new(),
            open: Open::default(),
            base_seen: false,
        }
    }

    fn url(&self, href: &str) -> Option<url::Url> {
        self.base.join(href.trim()).ok()
    }

    fn token(&mut self, token: Token<'_>) {
        match token {
            Token::Text(text) => self.text(&text),
            Token::Raw { element, text } => {
                if element == "script" && text.contains("submit()") {
                    self.page.submits_itself = true;
                }
            }
            Token::Start { .. } => self.start(&token),
            Token::End { name } => self.end(&name),
        }
    }

    fn text(&mut self, text: &str) {
        let open = &mut self.open;
        let collectors = [
            open.title.as_mut(),
            open.label.as_mut().map(|l| &mut l.1),
            open.button.as_mut().map(|b| &mut b.1),
            open.option.as_mut().map(|o| &mut o.1),
            open.textarea.as_mut().map(|t| &mut t.1),
            open.link.as_mut().map(|l| &mut l.1),
        ];
        for collector in collectors.into_iter().flatten() {
            push_capped(collector, text);
        }
    }

    fn start(&mut self, token: &Token<'_>) {
        let Token::Start { name, .. } = token else {
            return;
        };
        let attr = |n: &str| token.attr(n);
        match name.as_str() {
            "base" if !self.base_seen => {
                self.base_seen = true;
                if let Some(base) = attr("href").and_then(|h| self.url(h)) {
                    self.base = base;
                }
            }
            "title" => self.open.title = Some(String::new()),
            "body" if attr("onload").is_some_and(|js| js.contains("submit()")) => {
                self.page.submits_itself = true;
            }
            "meta" => self.meta(token),
            "form" => self.open_form(token),
            "label" => {
                let for_id = attr("for").map(str::to_owned);
                self.open.label = Some((for_id, String::new(), Vec::new()));
            }
            "a" => {
                self.close_link();
                if let Some(href) = attr("href").and_then(|h| self.url(h)) {
                    self.open.link = Some((href, String::new()));
                }
            }
            "input" => {
                let control = self.input(token);
                self.add(control, token);
            }
            "button" => {
                self.close_button();
                let control = self.button(token);
                if let Some(held) = self.add(control, token) {
                    self.open.button = Some((held, String::new()));
                }
            }
            "select" => {
                let control = self.control(token, Kind::Select, "select");
                self.open.select = self.add(control, token);
            }
            "option" => {
                self.close_option();
                if self.open.select.is_some() {
                    let value = attr("value").map(str::to_owned);
                    self.open.option = Some((value, String::new(), attr("selected").is_some()));
                }
            }
            "optgroup" => self.close_option(),
            "textarea" => {
                let control = self.control(token, Kind::Textarea, "textarea");
                if let Some(held) = self.add(control, token) {
                    self.open.textarea = Some((held, String::new()));
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        match name {
            "title" => {
                if let Some(title) = self.open.title.take() {
                    self.page.title = squash(&title);
                }
            }
            "form" => self.form = None,
            "label" => self.close_label(),
            "a" => self.close_link(),
            "button" => self.close_button(),
            "option" | "optgroup" => self.close_option(),
            "select" => {
                self.close_option();
                self.open.select = None;
            }
            "textarea" => {
                if let Some((held, text)) = self.open.textarea.take()
                    && let Some(c) = self.get(&held)
                {
                    c.value = text.strip_prefix('\n').unwrap_or(&text).to_owned();
                }
            }
            _ => {}
        }
    }

    fn meta(&mut self, token: &Token<'_>) {
        let refresh = token
            .attr("http-equiv")
            .is_some_and(|h| h.eq_ignore_ascii_case("refresh"));
        let content = token.attr("content").unwrap_or("");
        if !refresh {
            return;
        }
        // "0; url=/next" (the quotes and the case of "url" vary). A refresh
        // after more than a few seconds is a timeout page's, not a step.
        let Some((delay, target)) = content.split_once([';', ',']) else {
            return;
        };
        if delay
            .trim()
            .parse::<f64>()
            .map_or(true, |d| d > MAX_REFRESH_DELAY_S)
        {
            return;
        }
        let target = Some(target.trim()).and_then(|t| {
            let (key, value) = t.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("url")
                .then(|| value.trim().trim_matches(['"', '\'']))
        });
        if let Some(url) = target.and_then(|t| self.url(t)) {
            self.page.refresh = Some(url);
        }
    }

    fn open_form(&mut self, token: &Token<'_>) {
        if self.form.is_some() {
            return; // HTML ignores a form inside a form.
        }
        if self.page.forms.len() >= MAX_FORMS {
            self.page.truncated = true;
            return;
        }
        let action = match token.attr("action").filter(|a| !a.trim().is_empty()) {
            Some(a) => self.url(a).unwrap_or_else(|| self.document.clone()),
            None => self.document.clone(),
        };
        let method = match token.attr("method") {
            Some(m) if m.eq_ignore_ascii_case("post") => "POST",
            _ => "GET",
        };
        self.page.forms.push(Form {
            method: method.into(),
            action,
            id: token.attr("id").map(str::to_owned),
            controls: Vec::new(),
        });
        self.form = Some(self.page.forms.len() - 1);
    }

    fn control(&self, token: &Token<'_>, kind: Kind, input_type: &str) -> Control {
        let attr = |n: &str| token.attr(n);
        Control {
            kind,
            input_type: input_type.to_owned(),
            name: attr("name").unwrap_or("").to_owned(),
            id: attr("id").map(str::to_owned),
            value: attr("value").unwrap_or("").to_owned(),
            label: String::new(),
            checked: attr("checked").is_some(),
            disabled: attr("disabled").is_some(),
            options: Vec::new(),
            formaction: attr("formaction").and_then(|a| self.url(a)),
            formmethod: attr("formmethod").map(str::to_ascii_uppercase),
        }
    }

    fn input(&self, token: &Token<'_>) -> Control {
        let input_type = token.attr("type").unwrap_or("text").to_ascii_lowercase();
        let kind = match input_type.as_str() {
            "password" => Kind::Password,
            "hidden" => Kind::Hidden,
            "radio" => Kind::Radio,
            "checkbox" => Kind::Checkbox,
            "submit" | "image" => Kind::Submit,
            "button" | "reset" | "file" => Kind::Inert,
            _ => Kind::Text,
        };
        let mut control = self.control(token, kind, &input_type);
        match input_type.as_str() {
            "submit" => {
                control.label = token.attr("value").unwrap_or("Submit").to_owned();
            }
            "image" => control.label = token.attr("alt").unwrap_or("").to_owned(),
            "radio" | "checkbox" if token.attr("value").is_none() => control.value = "on".into(),
            _ => {}
        }
        control
    }

    fn button(&self, token: &Token<'_>) -> Control {
        let kind = match token.attr("type").map(str::to_ascii_lowercase).as_deref() {
            None | Some("submit") | Some("") => Kind::Submit,
            Some(_) => Kind::Inert,
        };
        let mut control = self.control(token, kind, "button");
        control.input_type = token.attr("type").unwrap_or("submit").to_ascii_lowercase();
        control
    }

    /// Puts a control in its form (or sets it aside for the form its `form`
    /// attribute names); a control in no form is dropped.
    fn add(&mut self, mut control: Control, token: &Token<'_>) -> Option<Held> {
        control.label = squash(&control.label);
        let held = if let Some(id) = token.attr("form") {
            self.pending.push((id.to_owned(), control));
            Held::Pending(self.pending.len() - 1)
        } else {
            let form = self.form?;
            let controls = &mut self.page.forms[form].controls;
            if controls.len() >= MAX_CONTROLS {
                self.page.truncated = true;
                return None;
            }
            controls.push(control);
            Held::In((form, controls.len() - 1))
        };
        if let Some(label) = self.open.label.as_mut() {
            label.2.push(held.clone());
        }
        Some(held)
    }

    fn get(&mut self, held: &Held) -> Option<&mut Control> {
        match held {
            Held::In((f, c)) => self.page.forms.get_mut(*f)?.controls.get_mut(*c),
            Held::Pending(i) => self.pending.get_mut(*i).map(|p| &mut p.1),
        }
    }

    fn close_label(&mut self) {
        let Some((for_id, text, held)) = self.open.label.take() else {
            return;
        };
        let text = squash(&text);
        match for_id {
            Some(id) => self.labels_for.push((id, text)),
            None => {
                for h in held {
                    if let Some(c) = self.get(&h)
                        && c.kind != Kind::Submit
                        && c.label.is_empty()
                    {
                        c.label = text.clone();
                    }
                }
            }
        }
    }

    fn close_button(&mut self) {
        if let Some((held, text)) = self.open.button.take()
            && let Some(c) = self.get(&held)
        {
            let text = squash(&text);
            c.label = if text.is_empty() {
                c.value.clone()
            } else {
                text
            };
        }
    }

    fn close_option(&mut self) {
        let (Some((value, text, selected)), Some(select)) =
            (self.open.option.take(), self.open.select.clone())
        else {
            return;
        };
        let text = squash(&text);
        let choice = Choice {
            value: value.unwrap_or_else(|| text.clone()),
            text,
            selected,
        };
        if let Some(c) = self.get(&select)
            && c.options.len() < MAX_CONTROLS
        {
            c.options.push(choice);
        }
    }

    fn close_link(&mut self) {
        if let Some((href, text)) = self.open.link.take() {
            if self.page.links.len() >= MAX_LINKS {
                self.page.truncated = true;
                return;
            }
            self.page.links.push(Link {
                href,
                text: squash(&text),
            });
        }
    }

    fn finish(mut self) -> Page {
        self.close_button();
        self.close_option();
        self.close_label();
        self.close_link();
        for (form_id, control) in std::mem::take(&mut self.pending) {
            let form = self
                .page
                .forms
                .iter_mut()
                .find(|f| f.id.as_deref() == Some(form_id.as_str()));
            if let Some(form) = form
                && form.controls.len() < MAX_CONTROLS
            {
                form.controls.push(control);
            }
        }
        // Controls by id, the first of a duplicate id (as getElementById),
        // so that many labels cost no more than many controls.
        let mut by_id: HashMap<String, At> = HashMap::new();
        for (f, form) in self.page.forms.iter().enumerate() {
            for (i, c) in form.controls.iter().enumerate() {
                if let Some(id) = &c.id {
                    by_id.entry(id.clone()).or_insert((f, i));
                }
            }
        }
        for (id, text) in std::mem::take(&mut self.labels_for) {
            if let Some(&(f, i)) = by_id.get(&id)
                && let Some(c) = self.page.forms[f].controls.get_mut(i)
                && c.kind != Kind::Submit
                && c.label.is_empty()
            {
                c.label = text;
            }
        }
        self.page
    }
}

/// Appends `text`, keeping at most [`MAX_TEXT`] characters (checked in
/// bytes first, so a long text is never counted character by character).
fn push_capped(into: &mut String, text: &str) {
    let room = (MAX_TEXT * 4).saturating_sub(into.len());
    if room == 0 {
        return;
    }
    let mut end = text.len().min(room);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    into.push_str(&text[..end]);
}

/// Whitespace collapsed and trimmed, at most [`MAX_TEXT`] characters.
fn squash(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().take(MAX_TEXT).collect()
}
