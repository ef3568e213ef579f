//! Filling a form in and submitting it, as a browser does.
//!
//! What a submission carries follows HTML's entry list: every enabled,
//! named control in order; a checkbox or radio button only when checked; a
//! `<select>` its selected option (the first one when none is marked); of
//! the submit buttons only the one pressed, and only if it has a name. The
//! button's own `formaction` and `formmethod` win over the form's. The
//! encoding is `application/x-www-form-urlencoded`, in the body of a POST or
//! as the query of a GET.

use super::page::{Form, Kind};

/// A form, filled in, ready to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// `GET` or `POST`.
    pub method: String,
    pub url: url::Url,
    /// The encoded entries of a POST.
    pub body: Option<String>,
    /// Whether a password field is among the entries.
    pub carries_password: bool,
}

/// Sets the value of the text, password, hidden or textarea control `name`
/// (the control at `index` when given).
pub fn set_value(form: &mut Form, index: usize, value: &str) {
    if let Some(control) = form.controls.get_mut(index) {
        control.value = value.to_owned();
    }
}

/// The values a field offers and what each says: every radio button of the
/// group and every option of a select (whatever is checked now), or the one
/// value of a hidden or text field.
pub fn offered(form: &Form, field: &str) -> Vec<(String, String)> {
    form.named(field)
        .flat_map(|(_, c)| match c.kind {
            Kind::Select => c
                .options
                .iter()
                .map(|o| (o.value.clone(), o.text.clone()))
                .collect(),
            Kind::Radio | Kind::Hidden | Kind::Text => vec![(c.value.clone(), c.label.clone())],
            _ => Vec::new(),
        })
        .collect()
}

/// Chooses `wanted` in the field `field`: a text field is typed into, as a
/// user would; otherwise the radio button, option or hidden value whose
/// value is `wanted`, or whose label says it (case aside). `Err` lists what
/// is offered.
pub fn choose(form: &mut Form, field: &str, wanted: &str) -> Result<(), Vec<String>> {
    let mut typed = false;
    for control in form
        .controls
        .iter_mut()
        .filter(|c| c.name == field && c.kind == Kind::Text)
    {
        control.value = wanted.to_owned();
        typed = true;
    }
    if typed {
        return Ok(());
    }
    let offers = offered(form, field);
    let says = |(value, label): &(String, String)| {
        value == wanted || (!label.is_empty() && label.trim().eq_ignore_ascii_case(wanted.trim()))
    };
    let Some((value, _)) = offers.iter().find(|o| says(o)).cloned() else {
        return Err(offers.into_iter().map(|(v, _)| v).collect());
    };
    for control in form.controls.iter_mut().filter(|c| c.name == field) {
        match control.kind {
            Kind::Radio => control.checked = control.value == value,
            Kind::Select => {
                for option in &mut control.options {
                    option.selected = option.value == value;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// When no radio button of `field` is checked, checks the first (a user
/// has to pick one to go on).
pub fn check_first_if_none(form: &mut Form, field: &str) {
    let radios = || {
        form.controls
            .iter()
            .filter(|c| c.name == field && c.kind == Kind::Radio)
    };
    if radios().next().is_none() || radios().any(|c| c.checked) {
        return;
    }
    if let Some(first) = form
        .controls
        .iter_mut()
        .find(|c| c.name == field && c.kind == Kind::Radio)
    {
        first.checked = true;
    }
}

/// The form submitted with the submit button at `submitter` (or with none,
/// as a script's `submit()` does).
pub fn submit(form: &Form, submitter: Option<usize>) -> Submission {
    let pressed = submitter.and_then(|i| form.controls.get(i));
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut carries_password = false;
    for (i, c) in form.controls.iter().enumerate() {
        if c.disabled {
            continue;
        }
        match c.kind {
            Kind::Submit if Some(i) == submitter => {
                if c.input_type == "image" {
                    let prefix = if c.name.is_empty() {
                        String::new()
                    } else {
                        format!("{}.", c.name)
                    };
                    pairs.push((format!("{prefix}x"), "0".into()));
                    pairs.push((format!("{prefix}y"), "0".into()));
                } else if !c.name.is_empty() {
                    pairs.push((c.name.clone(), c.value.clone()));
                }
            }
            Kind::Submit | Kind::Inert => {}
            _ if c.name.is_empty() => {}
            Kind::Radio | Kind::Checkbox => {
                if c.checked {
                    pairs.push((c.name.clone(), c.value.clone()));
                }
            }
            Kind::Select => {
                let chosen = c
                    .options
                    .iter()
                    .filter(|o| o.selected)
                    .map(|o| o.value.clone())
                    .collect::<Vec<_>>();
                let chosen = if chosen.is_empty() {
                    c.options
                        .first()
                        .map(|o| o.value.clone())
                        .into_iter()
                        .collect()
                } else {
                    chosen
                };
                pairs.extend(chosen.into_iter().map(|v| (c.name.clone(), v)));
            }
            Kind::Password => {
                carries_password = true;
                pairs.push((c.name.clone(), c.value.clone()));
            }
            Kind::Text | Kind::Hidden | Kind::Textarea => {
                pairs.push((c.name.clone(), c.value.clone()));
            }
        }
    }
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    let method = match pressed.and_then(|p| p.formmethod.as_deref()) {
        Some("POST") => "POST",
        Some("GET") => "GET",
        _ => form.method.as_str(),
    };
    let mut url = pressed
        .and_then(|p| p.formaction.clone())
        .unwrap_or_else(|| form.action.clone());
    url.set_fragment(None);
    if method == "POST" {
        Submission {
            method: "POST".into(),
            url,
            body: Some(encoded),
            carries_password,
        }
    } else {
        url.set_query(Some(&encoded));
        Submission {
            method: "GET".into(),
            url,
            body: None,
            carries_password,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(html: &str) -> Form {
        let url: url::Url = "http://127.0.0.1:1/consent/".parse().unwrap();
        crate::client::login::read::read(&url, html).forms.remove(0)
    }

    fn body(s: &Submission) -> Vec<(String, String)> {
        form_urlencoded::parse(s.body.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_checked_choices_and_the_pressed_button_are_sent() {
        let f = form(
            r#"<form method=post action="go"><input type=hidden name=csrf value=t>
               <label><input type=radio name=account value=participant checked> Participant</label>
               <label><input type=radio name=account value=company> Company</label>
               <input type=checkbox name=remember>
               <select name=lang><option>en<option value=fr>French</select>
               <input type=submit value=Cancel><button type=submit name=allow value=yes>Allow</button>
               <input type=text name=off disabled value=x>
               <input type=text value=unnamed><input type=checkbox checked>
               <select><option>s</select><textarea>t</textarea></form>"#,
        );
        // Nothing without a name is sent (HTML's form data set), nor the disabled field.
        let approve = submit(&f, Some(6));
        assert_eq!(approve.url.as_str(), "http://127.0.0.1:1/consent/go");
        assert_eq!(
            body(&approve),
            pairs(&[
                ("csrf", "t"),
                ("account", "participant"),
                ("lang", "en"),
                ("allow", "yes")
            ])
        );
        // The unnamed Cancel button adds nothing: a denial without `allow`.
        assert_eq!(
            body(&submit(&f, Some(5))),
            pairs(&[("csrf", "t"), ("account", "participant"), ("lang", "en")])
        );
    }

    #[test]
    fn an_account_is_chosen_by_value_or_by_label() {
        let mut f = form(
            r#"<form method=post><label><input type=radio name=account value=1 checked>Participant</label>
               <label for=c>Company</label><input id=c type=radio name=account value=2></form>"#,
        );
        assert_eq!(
            offered(&f, "account"),
            pairs(&[("1", "Participant"), ("2", "Company")])
        );
        choose(&mut f, "account", "company").unwrap();
        assert_eq!(body(&submit(&f, None)), pairs(&[("account", "2")]));
        assert_eq!(
            choose(&mut f, "account", "advisor"),
            Err(vec!["1".into(), "2".into()])
        );
    }

    #[test]
    fn a_get_form_puts_its_entries_in_the_query_and_a_button_may_redirect_it() {
        let f = form(
            r#"<form action="/next?old=1#x"><input name=q value="a b"><button formaction=/other formmethod=post name=b value=1>Go</button></form>"#,
        );
        let get = submit(&f, None);
        assert_eq!(get.method, "GET");
        assert_eq!(get.url.as_str(), "http://127.0.0.1:1/next?q=a+b");
        let post = submit(&f, Some(1));
        assert_eq!((post.method.as_str(), post.url.path()), ("POST", "/other"));
        assert_eq!(body(&post), pairs(&[("q", "a b"), ("b", "1")]));
        // And back: a button may turn a POST form into a GET.
        let f = form(r#"<form method=post action=/next><button formmethod=get>Go</button></form>"#);
        assert_eq!(submit(&f, Some(0)).method, "GET");
    }

    #[test]
    fn an_image_button_sends_where_it_was_clicked() {
        let f = form(
            r#"<form method=post><input type=image src=a.png><input type=image name=go src=b.png></form>"#,
        );
        assert_eq!(body(&submit(&f, Some(0))), pairs(&[("x", "0"), ("y", "0")]));
        assert_eq!(
            body(&submit(&f, Some(1))),
            pairs(&[("go.x", "0"), ("go.y", "0")])
        );
    }

    #[test]
    fn a_radio_group_with_nothing_checked_gets_its_first_choice() {
        let mut f = form(
            r#"<form method=post><input type=radio name=account value=a><input type=radio name=account value=b></form>"#,
        );
        check_first_if_none(&mut f, "account");
        assert_eq!(body(&submit(&f, None)), pairs(&[("account", "a")]));
        // A choice already made stays; other groups and fields are not touched.
        let mut f = form(
            r#"<form method=post><input type=radio name=lang value=en><input type=checkbox name=account value=x><input type=radio name=account value=a><input type=radio name=account value=b checked></form>"#,
        );
        check_first_if_none(&mut f, "account");
        assert_eq!(body(&submit(&f, None)), pairs(&[("account", "b")]));
        let mut f = form(
            r#"<form method=post><input type=radio name=lang value=en checked><input type=checkbox name=account value=x><input type=radio name=account value=a></form>"#,
        );
        check_first_if_none(&mut f, "account");
        assert_eq!(
            body(&submit(&f, None)),
            pairs(&[("lang", "en"), ("account", "a")])
        );
        // No radio button of that name: nothing is checked.
        let mut f = form(
            r#"<form method=post><input type=radio name=lang value=en><input type=checkbox name=account value=x></form>"#,
        );
        check_first_if_none(&mut f, "account");
        assert_eq!(body(&submit(&f, None)), pairs(&[]));
    }

    #[test]
    fn an_account_is_typed_into_a_text_field() {
        let mut f = form(
            r#"<form method=post><input type=text name=lang value=en><input type=text name=account value=""><input type=hidden name=account_kind value=x></form>"#,
        );
        choose(&mut f, "account", "company").unwrap();
        assert_eq!(
            body(&submit(&f, None)),
            pairs(&[
                ("lang", "en"),
                ("account", "company"),
                ("account_kind", "x")
            ])
        );
    }
}
