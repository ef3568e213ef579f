//! What a page asks of the user, recognised by what it contains, and which
//! control answers it.
//!
//! - A form with a password field is the **login**: the user name goes in
//!   the configured field, or in the form's one text field; the password in
//!   the configured field or the password field.
//! - A form with the configured user name field and no password is the
//!   first step of an identifier-first login.
//! - A page that moves on by itself (a prompt `<meta http-equiv="refresh">`,
//!   or a single form a script submits on load) is an **interstitial**: a
//!   browser continues without asking the user, so the driver does too.
//! - A page with a control that approves or denies, or with the account
//!   field, asks for a **decision**. Approve is the configured control, else a
//!   submit whose name, value or text says one of the approve words, else the
//!   only submit of the form (never one that says a deny word). Deny is the
//!   configured control, else a submit or a link that says a deny word, in
//!   any form of the page or none.
//!
//! Words are matched as whole words, case aside: "[ Cancel ]" says
//! "cancel", "Don't allow" says "don't allow" (a deny phrase, checked
//! before the approve words).

use super::page::{Control, Form, Kind, Page};
use crate::profile::LoginSettings;

/// How the user answers a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Submit form `form`, pressing the submit at `submit` (none: as a
    /// script's `submit()` does).
    Press { form: usize, submit: Option<usize> },
    /// Follow a link.
    Follow(url::Url),
}

/// What a page asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Asks {
    LogIn {
        form: usize,
        username: Option<usize>,
        password: usize,
        submit: Option<usize>,
    },
    Identify {
        form: usize,
        username: usize,
        submit: Option<usize>,
    },
    /// Moves on by itself.
    Continue(Action),
    Decision(Choices),
    /// Nothing the driver knows; the reason says what is missing.
    Unknown(String),
}

/// The answers a decision page offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choices {
    pub approve: Option<Action>,
    /// The control's words, for the report ("Authorize", "[ Cancel ]").
    pub approve_says: String,
    pub deny: Option<Action>,
    pub deny_says: String,
    /// The form holding the account field.
    pub account_form: Option<usize>,
}

/// The page's words, normalised: lower case, letters, digits and
/// apostrophes, split into words.
pub fn words(text: &str) -> Vec<String> {
    text.chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\'' => '\'',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect::<String>()
        .to_lowercase()
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// Whether `text` says one of `phrases` (as whole words, in order).
pub fn says(text: &str, phrases: &[String]) -> bool {
    let text = words(text);
    phrases.iter().any(|phrase| {
        let phrase = words(phrase);
        !phrase.is_empty() && text.windows(phrase.len()).any(|w| w == phrase.as_slice())
    })
}

/// Everything a submit button says: its name, value and text.
fn submit_says(c: &Control, phrases: &[String]) -> bool {
    says(&c.name, phrases) || says(&c.value, phrases) || says(&c.label, phrases)
}

/// Whether a submit is the configured control: its name, or its text.
fn is_configured(c: &Control, configured: &str) -> bool {
    c.name == configured || c.label.trim().eq_ignore_ascii_case(configured.trim()) || {
        let one = [configured.to_owned()];
        says(&c.label, &one) || says(&c.value, &one)
    }
}

/// What `page` asks for. `identified`: the user name was already sent on
/// its own (an identifier-first login), so that form is not asked again.
pub fn read(page: &Page, settings: &LoginSettings, identified: bool) -> Asks {
    if let Some(login) = login(page, settings) {
        return login;
    }
    if !identified && let Some(identify) = identify(page, settings) {
        return identify;
    }
    if let Some(next) = interstitial(page) {
        return Asks::Continue(next);
    }
    let choices = choices(page, settings);
    if choices.approve.is_some() || choices.deny.is_some() || choices.account_form.is_some() {
        return Asks::Decision(choices);
    }
    Asks::Unknown(
        "no login form, no control that approves or denies, no account field, and nothing that moves on by itself"
            .into(),
    )
}

fn login(page: &Page, settings: &LoginSettings) -> Option<Asks> {
    let (form_index, form) = page
        .forms
        .iter()
        .enumerate()
        .find(|(_, f)| f.has(Kind::Password))?;
    let password = form
        .named(&settings.password_field)
        .find(|(_, c)| c.kind == Kind::Password)
        .or_else(|| {
            form.controls
                .iter()
                .enumerate()
                .find(|(_, c)| c.kind == Kind::Password && !c.disabled)
        })
        .map(|(i, _)| i)?;
    let username = match username(form, settings) {
        Ok(u) => u,
        Err(why) => return Some(Asks::Unknown(why)),
    };
    Some(Asks::LogIn {
        form: form_index,
        username,
        password,
        submit: first_submit(form, settings),
    })
}

/// The user name field of a login form: the configured one, or the form's
/// one visible text field (several: the one whose name says user, login or
/// e-mail).
fn username(form: &Form, settings: &LoginSettings) -> Result<Option<usize>, String> {
    if let Some((i, _)) = form
        .named(&settings.username_field)
        .find(|(_, c)| matches!(c.kind, Kind::Text | Kind::Hidden))
    {
        return Ok(Some(i));
    }
    let texts: Vec<(usize, &Control)> = form
        .controls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == Kind::Text && !c.disabled && !c.name.is_empty())
        .collect();
    if texts.len() <= 1 {
        return Ok(texts.first().map(|(i, _)| *i));
    }
    let hints = ["user", "login", "email", "mail", "identifier"];
    let likely: Vec<&(usize, &Control)> = texts
        .iter()
        .filter(|(_, c)| {
            let name = c.name.to_ascii_lowercase();
            hints.iter().any(|h| name.contains(h))
        })
        .collect();
    match likely.as_slice() {
        [(i, _)] => Ok(Some(*i)),
        _ => Err(format!(
            "the login form has no field named {:?} and several text fields ({}): set authorization_code.login.username_field",
            settings.username_field,
            texts
                .iter()
                .map(|(_, c)| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The submit a user presses to send a login form: the first that does not
/// say a deny word.
fn first_submit(form: &Form, settings: &LoginSettings) -> Option<usize> {
    form.submits()
        .find(|(_, c)| !submit_says(c, &settings.deny_words))
        .map(|(i, _)| i)
}

fn identify(page: &Page, settings: &LoginSettings) -> Option<Asks> {
    page.forms.iter().enumerate().find_map(|(f, form)| {
        let (username, _) = form
            .named(&settings.username_field)
            .find(|(_, c)| c.kind == Kind::Text)?;
        Some(Asks::Identify {
            form: f,
            username,
            submit: first_submit(form, settings),
        })
    })
}

fn interstitial(page: &Page) -> Option<Action> {
    if let Some(url) = &page.refresh {
        return Some(Action::Follow(url.clone()));
    }
    match page.forms.as_slice() {
        [only] if page.submits_itself && !only.has(Kind::Password) => Some(Action::Press {
            form: 0,
            submit: None,
        }),
        _ => None,
    }
}

/// The approve and deny controls of a page, and its account field's form.
pub fn choices(page: &Page, settings: &LoginSettings) -> Choices {
    let account_form = page
        .forms
        .iter()
        .position(|f| f.named(&settings.account_field).next().is_some());
    let (approve, approve_says) = approve(page, settings, account_form).unzip();
    let (deny, deny_says) = deny(page, settings).unzip();
    Choices {
        approve,
        approve_says: approve_says.unwrap_or_default(),
        deny,
        deny_says: deny_says.unwrap_or_default(),
        account_form,
    }
}

/// Every enabled submit of the page: (form, control index, control).
fn all_submits(page: &Page) -> impl Iterator<Item = (usize, usize, &Control)> {
    page.forms
        .iter()
        .enumerate()
        .flat_map(|(f, form)| form.submits().map(move |(i, c)| (f, i, c)))
}

fn press(f: usize, i: usize, c: &Control) -> (Action, String) {
    (
        Action::Press {
            form: f,
            submit: Some(i),
        },
        c.label.clone(),
    )
}

fn approve(
    page: &Page,
    settings: &LoginSettings,
    account_form: Option<usize>,
) -> Option<(Action, String)> {
    if let Some(configured) = &settings.approve
        && let Some((f, i, c)) = all_submits(page).find(|(_, _, c)| is_configured(c, configured))
    {
        return Some(press(f, i, c));
    }
    let by_words: Vec<(usize, usize, &Control)> = all_submits(page)
        .filter(|(_, _, c)| {
            !submit_says(c, &settings.deny_words) && submit_says(c, &settings.approve_words)
        })
        .collect();
    let preferred = by_words
        .iter()
        .find(|(f, _, _)| Some(*f) == account_form)
        .or(by_words.first());
    if let Some((f, i, c)) = preferred {
        return Some(press(*f, *i, c));
    }
    // The form's only submit, when it does not say "deny": in the account
    // field's form, or in the one form that has exactly one.
    let only = |f: usize, form: &Form| -> Option<(usize, usize)> {
        let mut submits = form.submits();
        match (submits.next(), submits.next()) {
            (Some((i, c)), None) if !submit_says(c, &settings.deny_words) => Some((f, i)),
            _ => None,
        }
    };
    let candidates: Vec<(usize, usize)> = page
        .forms
        .iter()
        .enumerate()
        .filter(|(_, form)| !form.has(Kind::Password))
        .filter_map(|(f, form)| only(f, form))
        .collect();
    let chosen = candidates
        .iter()
        .find(|(f, _)| Some(*f) == account_form)
        .or(match candidates.as_slice() {
            [one] => Some(one),
            _ => None,
        })?;
    let control = &page.forms[chosen.0].controls[chosen.1];
    Some(press(chosen.0, chosen.1, control))
}

fn deny(page: &Page, settings: &LoginSettings) -> Option<(Action, String)> {
    if let Some(configured) = &settings.deny {
        if let Some((f, i, c)) = all_submits(page).find(|(_, _, c)| is_configured(c, configured)) {
            return Some(press(f, i, c));
        }
        let one = [configured.clone()];
        if let Some(link) = page.links.iter().find(|l| says(&l.text, &one)) {
            return Some((Action::Follow(link.href.clone()), link.text.clone()));
        }
    }
    if let Some((f, i, c)) =
        all_submits(page).find(|(_, _, c)| submit_says(c, &settings.deny_words))
    {
        return Some(press(f, i, c));
    }
    page.links
        .iter()
        .find(|l| says(&l.text, &settings.deny_words))
        .map(|l| (Action::Follow(l.href.clone()), l.text.clone()))
}

/// Names frameworks give their CSRF token field, beyond those that say
/// csrf or xsrf (Rails, Laravel, ASP.NET).
const CSRF_NAMES: [&str; 3] = ["authenticity_token", "_token", "__requestverificationtoken"];

/// The CSRF token fields of a consent form (RFC 6749 §10.12), every one of
/// them (a template may include the token twice): the configured field, or
/// the hidden fields whose name says csrf or xsrf or is one of
/// [`CSRF_NAMES`]. Empty: the form carries none the suite can recognise.
pub fn csrf_fields(form: &Form, settings: &LoginSettings) -> Vec<usize> {
    if let Some(configured) = &settings.csrf_field {
        return form.named(configured).map(|(i, _)| i).collect();
    }
    (0..form.controls.len())
        .filter(|&i| {
            let c = &form.controls[i];
            let name = c.name.to_ascii_lowercase();
            c.kind == Kind::Hidden
                && !c.disabled
                && (name.contains("csrf") || name.contains("xsrf") || CSRF_NAMES.contains(&&*name))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_whole_words_and_phrases() {
        let deny = LoginSettings::default().deny_words;
        let approve = LoginSettings::default().approve_words;
        assert!(says("[ Cancel ]", &deny));
        assert!(says("Don\u{2019}t allow", &deny));
        assert!(says("Authorize", &approve));
        assert!(!says("Cancellation policy", &deny));
        assert!(!says("Knowledge", &deny), "'no' is a whole word only");
        assert!(says("btn_deny", &deny));
        // An apostrophe, either kind, keeps a word whole: "can't" is not "can".
        assert!(!says("I can\u{2019}t", &["can".to_owned()]));
        assert!(!says("I can't", &["can".to_owned()]));
    }

    fn page(html: &str) -> Page {
        super::super::read::read(&"http://127.0.0.1:1/consent".parse().unwrap(), html)
    }

    /// The submit a decision presses, by its label.
    fn pressed(choice: Option<(Action, String)>) -> String {
        match choice {
            Some((Action::Press { .. }, label)) => label,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_configured_approve_control_wins_over_the_approve_words() {
        let consent = page(
            r#"<form method=post><button name=b value=2>Allow</button><button name=a value=go-on>Proceed</button></form>"#,
        );
        let with = |approve: Option<&str>| LoginSettings {
            approve: approve.map(str::to_owned),
            ..LoginSettings::default()
        };
        assert_eq!(pressed(approve(&consent, &with(None), None)), "Allow");
        // By name, by its text (case aside), by a word of its value.
        for configured in ["a", "proceed", "go"] {
            assert_eq!(
                pressed(approve(&consent, &with(Some(configured)), None)),
                "Proceed",
                "{configured}"
            );
        }
    }

    /// What approving a page presses: the form and the submit's words.
    fn approves(html: &str) -> Option<(usize, String)> {
        let choices = choices(&page(html), &LoginSettings::default());
        match choices.approve? {
            Action::Press { form, .. } => Some((form, choices.approve_says)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_approve_word_picks_the_submit_and_the_account_form_goes_first() {
        let approve_words =
            r#"<form method=post><button name=h>Help</button><button name=a>Allow</button></form>"#;
        assert_eq!(approves(approve_words), Some((0, "Allow".into())));
        let two_forms = r#"<form method=post><button>Allow</button></form>
            <form method=post><select name=account><option value=p>P</option></select><button>Allow</button></form>"#;
        assert_eq!(approves(two_forms), Some((1, "Allow".into())));
    }

    #[test]
    fn without_an_approve_word_the_only_submit_of_a_consent_form_approves() {
        let only =
            r#"<form method=post><input type=hidden name=x value=1><button>Next</button></form>"#;
        assert_eq!(approves(only), Some((0, "Next".into())));
        // Not a deny button, not a login form's button.
        assert_eq!(
            approves(r#"<form method=post><button>Cancel</button></form>"#),
            None
        );
        let login =
            r#"<form method=post><input type=password name=password><button>Next</button></form>"#;
        assert_eq!(approves(login), None);
        // Two such forms: the one holding the account field, else neither.
        let two = r#"<form method=post><button>Next</button></form>
            <form method=post><input name=account value=x><button>Go</button></form>"#;
        assert_eq!(approves(two), Some((1, "Go".into())));
        let neither = r#"<form method=post><button>Next</button></form>
            <form method=post><button>Go</button></form>"#;
        assert_eq!(approves(neither), None);
    }

    #[test]
    fn a_user_name_form_is_asked_once_and_a_deny_control_alone_is_a_decision() {
        let settings = LoginSettings::default();
        let username_first = page(
            r#"<form method=post><input type=text name=username><button>Next</button></form>"#,
        );
        assert!(matches!(
            read(&username_first, &settings, false),
            Asks::Identify { .. }
        ));
        // Once the user name went, that form is not asked again.
        assert!(!matches!(
            read(&username_first, &settings, true),
            Asks::Identify { .. }
        ));
        let only_deny = page(r#"<form method=post><button name=x>Cancel</button></form>"#);
        let Asks::Decision(choices) = read(&only_deny, &settings, true) else {
            panic!("a page that only denies is still a decision")
        };
        assert!(choices.approve.is_none() && choices.deny.is_some());
    }

    #[test]
    fn the_password_is_the_configured_field_else_the_first_enabled_password_input() {
        let settings = LoginSettings::default();
        let field = |inputs: &str| {
            let login = page(&format!(
                "<form method=post><input name=username>{inputs}<button>Sign in</button></form>"
            ));
            match read(&login, &settings, false) {
                Asks::LogIn { password, .. } => password,
                other => panic!("{other:?}"),
            }
        };
        // The configured name (`password` by default) wins over an earlier one.
        assert_eq!(
            field(r#"<input type=password name=pin><input type=password name=password>"#),
            2
        );
        // Otherwise the first password input that is not disabled.
        assert_eq!(
            field(r#"<input type=password name=a disabled><input type=password name=pw>"#),
            2
        );
    }

    #[test]
    fn the_user_name_is_the_only_enabled_named_text_field() {
        let settings = LoginSettings::default();
        for inputs in [
            r#"<input type=text name=who><input type=hidden name=csrf value=x>"#,
            r#"<input type=text name=who><input type=text name=old disabled>"#,
            r#"<input type=text name=who><input type=text>"#,
        ] {
            let login = page(&format!(
                "<form method=post>{inputs}<input type=password name=password><button>Sign in</button></form>"
            ));
            assert!(
                matches!(
                    read(&login, &settings, false),
                    Asks::LogIn {
                        username: Some(0),
                        ..
                    }
                ),
                "{inputs}"
            );
        }
        // Several: the one whose name says what it is.
        let login = page(
            r#"<form method=post><input type=text name=company><input type=text name=email><input type=password name=password><button>Sign in</button></form>"#,
        );
        assert!(matches!(
            read(&login, &settings, false),
            Asks::LogIn {
                username: Some(1),
                ..
            }
        ));
    }

    #[test]
    fn a_submit_says_deny_by_its_name_its_value_or_its_text() {
        for html in [
            r#"<input type=submit name=ok value=Send><input type=submit name=cancel value=Send>"#,
            r#"<input type=submit name=ok value=Send><input type=submit name=x value=Cancel>"#,
            r#"<button name=ok value=1>Send</button><button name=x value=1>Cancel</button>"#,
        ] {
            let p = page(&format!("<form method=post>{html}</form>"));
            let Some((Action::Press { submit, .. }, _)) = deny(&p, &LoginSettings::default())
            else {
                panic!("{html}")
            };
            assert_eq!(submit, Some(1), "{html}");
        }
    }
}
