//! What [`super::read::read`] makes of a page: HTML's form rules, control
//! kinds, labels, links, refreshes and the caps, one behaviour per test.

use super::page::{Control, Kind, MAX_CONTROLS, MAX_FORMS, MAX_LINKS, MAX_TEXT, Page};
use super::read::read;

const AT: &str = "http://127.0.0.1:1/app/login";

fn page(html: &str) -> Page {
    read(&AT.parse().unwrap(), html)
}

/// The controls of the page's only form.
fn controls(html: &str) -> Vec<Control> {
    let page = page(html);
    assert_eq!(page.forms.len(), 1, "{html}");
    page.forms[0].controls.clone()
}

fn control(html: &str) -> Control {
    let mut all = controls(html);
    assert_eq!(all.len(), 1, "{html}");
    all.remove(0)
}

#[test]
fn a_form_posts_when_it_says_so_to_its_action_from_the_base() {
    let p = page(
        r#"<base href="/other/"><base href="/ignored/">
        <form id=f METHOD=Post action="next"></form><form action=" "></form><form method=put></form>"#,
    );
    let f = &p.forms;
    assert_eq!(
        (f[0].method.as_str(), f[0].action.as_str()),
        ("POST", "http://127.0.0.1:1/other/next")
    );
    assert_eq!(f[0].id.as_deref(), Some("f"));
    // A blank action is the page's own URL, whatever the base says (HTML's
    // form submission algorithm).
    assert_eq!((f[1].method.as_str(), f[1].action.as_str()), ("GET", AT));
    assert_eq!(f[2].method, "GET");
}

#[test]
fn a_control_joins_the_open_form_or_the_one_its_form_attribute_names() {
    let p = page(
        r#"<input name=outside><form id=a><input name=one><form id=inner><input name=two></form>
        <input name=after-close><input name=late form=b><form id=b></form>"#,
    );
    let names = |f: usize| {
        p.forms[f]
            .controls
            .iter()
            .map(|c| c.name.clone())
            .collect::<Vec<_>>()
    };
    // The inner <form> is ignored: its control is the outer form's, and its
    // </form> closes the outer one.
    assert_eq!(p.forms.len(), 2);
    assert_eq!(names(0), ["one", "two"]);
    assert_eq!(names(1), ["late"]);
}

#[test]
fn an_input_is_known_by_its_type_in_any_case() {
    let kind = |t: &str| control(&format!("<form><input type={t} name=x></form>")).kind;
    assert_eq!(kind("PASSWORD"), Kind::Password);
    assert_eq!(kind("hidden"), Kind::Hidden);
    assert_eq!(kind("radio"), Kind::Radio);
    assert_eq!(kind("checkbox"), Kind::Checkbox);
    assert_eq!(kind("submit"), Kind::Submit);
    assert_eq!(kind("image"), Kind::Submit);
    for inert in ["button", "reset", "file"] {
        assert_eq!(kind(inert), Kind::Inert, "{inert}");
    }
    for text in ["email", "tel", "text", "\"\""] {
        assert_eq!(kind(text), Kind::Text, "{text}");
    }
    let untyped = control("<form><input name=x></form>");
    assert_eq!(
        (untyped.kind, untyped.input_type.as_str()),
        (Kind::Text, "text")
    );
}

#[test]
fn an_inputs_attributes_are_kept() {
    let c = control(
        r#"<form><input type=email name=n id=i value=v checked disabled formaction="/go" formmethod=post></form>"#,
    );
    assert_eq!(
        (c.name.as_str(), c.id.as_deref(), c.value.as_str()),
        ("n", Some("i"), "v")
    );
    assert_eq!(
        (c.input_type.as_str(), c.checked, c.disabled),
        ("email", true, true)
    );
    assert_eq!(c.formaction.unwrap().as_str(), "http://127.0.0.1:1/go");
    assert_eq!(c.formmethod.as_deref(), Some("POST"));
    let plain = control("<form><input name=n></form>");
    assert!(
        !plain.checked
            && !plain.disabled
            && plain.formaction.is_none()
            && plain.formmethod.is_none()
    );
}

#[test]
fn a_submit_says_its_value_an_image_its_alt_and_a_bare_choice_is_on() {
    let label = |html: &str| control(&format!("<form>{html}</form>")).label;
    assert_eq!(label("<input type=submit value='Log in'>"), "Log in");
    assert_eq!(label("<input type=submit>"), "Submit");
    assert_eq!(label("<input type=image alt=Go src=go.png>"), "Go");
    let value = |html: &str| control(&format!("<form>{html}</form>")).value;
    assert_eq!(value("<input type=radio name=r>"), "on");
    assert_eq!(value("<input type=checkbox name=c>"), "on");
    assert_eq!(value("<input type=checkbox name=c value=yes>"), "yes");
    assert_eq!(value("<input type=text name=t>"), "");
}

#[test]
fn a_button_submits_unless_typed_otherwise_and_says_its_text_or_value() {
    let button = |html: &str| control(&format!("<form>{html}</form>"));
    for submits in ["<button>", "<button type=''>", "<button type=SUBMIT>"] {
        let b = button(&format!("{submits}  Sign \n in </button>"));
        assert_eq!(
            (b.kind, b.label.as_str()),
            (Kind::Submit, "Sign in"),
            "{submits}"
        );
    }
    let inert = button("<button type=button>Show</button>");
    assert_eq!(
        (inert.kind, inert.input_type.as_str()),
        (Kind::Inert, "button")
    );
    assert_eq!(button("<button>x</button>").input_type, "submit");
    assert_eq!(button("<button name=b value=go></button>").label, "go");
    // A button left open ends at the next one, and at the end of the page.
    let two = controls("<form><button>One<button>Two");
    assert_eq!(
        (two[0].label.as_str(), two[1].label.as_str()),
        ("One", "Two")
    );
}

#[test]
fn a_label_names_the_control_it_wraps_or_points_at_never_a_submit() {
    let c = controls(
        r#"<form><label>  User
        name <input name=u></label>
        <label for=p>Password</label><input type=password name=p id=p><input name=dup id=p>
        <label>Press <input type=submit value=Go></label>
        <label for=s>Ignored</label><input type=submit id=s value=Send>
        <label for=t>Later</label><label>First<input name=t id=t></label></form>"#,
    );
    let labels: Vec<&str> = c.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["User name", "Password", "", "Go", "Send", "First"]);
}

#[test]
fn a_label_left_open_ends_with_the_page() {
    assert_eq!(control("<form><label>Name <input name=n>").label, "Name");
}

#[test]
fn an_option_is_its_value_or_its_text() {
    let c = control(
        r#"<form><select name=account><option value=p>Participant<option selected> Company  X </option>
        <optgroup label=g><option value=a>Advisor</optgroup></select><option value=stray>Stray</form>"#,
    );
    let options: Vec<(&str, &str, bool)> = c
        .options
        .iter()
        .map(|o| (o.value.as_str(), o.text.as_str(), o.selected))
        .collect();
    assert_eq!(
        options,
        [
            ("p", "Participant", false),
            ("Company X", "Company X", true),
            ("a", "Advisor", false)
        ]
    );
    let unclosed = control("<form><select name=s><option value=last>Last");
    assert_eq!(unclosed.options.len(), 1);
    // An option ends at </option>, </optgroup> or an <optgroup>: text after
    // it is no option's.
    let c = control(
        "<form><select name=s><option>One</option> a <option>Two<optgroup label=G> b          <option>Three</optgroup> c </select></form>",
    );
    let texts: Vec<&str> = c.options.iter().map(|o| o.text.as_str()).collect();
    assert_eq!(texts, ["One", "Two", "Three"]);
}

#[test]
fn a_textarea_holds_its_text_without_the_first_newline() {
    let c = control("<form><textarea name=t>\nline &amp; <b>more</b>\n</textarea></form>");
    assert_eq!(
        (c.kind, c.value.as_str()),
        (Kind::Textarea, "line & <b>more</b>\n")
    );
    let pending = page("<textarea name=t form=f>kept</textarea><form id=f></form>");
    assert_eq!(pending.forms[0].controls[0].value, "kept");
}

#[test]
fn links_need_an_href_and_end_at_the_next_link() {
    let p = page(
        r#"<a href="/deny?x=1">  Do not
        allow </a> not the link's <a name=anchor>no href</a><a href=/one>One<a href=/two>Two"#,
    );
    let links: Vec<(&str, &str)> = p
        .links
        .iter()
        .map(|l| (l.href.as_str(), l.text.as_str()))
        .collect();
    assert_eq!(
        links,
        [
            ("http://127.0.0.1:1/deny?x=1", "Do not allow"),
            ("http://127.0.0.1:1/one", "One"),
            ("http://127.0.0.1:1/two", "Two"),
        ]
    );
}

#[test]
fn the_title_is_squashed() {
    assert_eq!(page("<title>  Sign\n in  </title>").title, "Sign in");
    assert_eq!(page("<p>no title</p>").title, "");
}

#[test]
fn a_quick_refresh_moves_on_a_slow_one_does_not() {
    // `attribute` is the content attribute, quotes and all.
    let refresh = |attribute: &str| {
        page(&format!(
            r#"<meta http-equiv="Refresh" content={attribute}>"#
        ))
        .refresh
        .map(|u| u.to_string())
    };
    let next = Some("http://127.0.0.1:1/next".to_owned());
    assert_eq!(refresh(r#""0; url=/next""#), next);
    assert_eq!(refresh(r#""5,URL='/next'""#), next);
    assert_eq!(refresh(r#"' 1.5 ; Url = "/next"'"#), next);
    assert_eq!(refresh(r#""5.5; url=/next""#), None);
    assert_eq!(refresh(r#""soon; url=/next""#), None);
    assert_eq!(refresh(r#""0""#), None);
    assert_eq!(refresh(r#""0; target=/next""#), None);
    let other = page(r#"<meta http-equiv="content-type" content="0; url=/next">"#);
    assert_eq!(other.refresh, None);
}

#[test]
fn a_page_submits_itself_only_when_a_script_or_onload_calls_submit() {
    assert!(page("<script>document.forms[0].submit()</script>").submits_itself);
    assert!(page(r#"<body onload="f.submit()">"#).submits_itself);
    assert!(!page("<script>validate()</script><body onload=init()>").submits_itself);
    assert!(!page("<style>submit() {}</style>").submits_itself);
}

#[test]
fn forms_controls_links_and_options_stop_at_their_caps() {
    // (what holds the items, one item, its cap, how many the page kept)
    type Capped = (&'static str, &'static str, usize, fn(&Page) -> usize);
    let capped: [Capped; 3] = [
        ("{}", "<form></form>", MAX_FORMS, |p| p.forms.len()),
        ("<form>{}</form>", "<input name=x>", MAX_CONTROLS, |p| {
            p.forms[0].controls.len()
        }),
        ("{}", "<a href=/x>x</a>", MAX_LINKS, |p| p.links.len()),
    ];
    for (holder, item, cap, kept) in capped {
        for n in [cap, cap + 1] {
            let p = page(&holder.replace("{}", &item.repeat(n)));
            assert_eq!((kept(&p), p.truncated), (cap, n > cap), "{item} x {n}");
        }
    }

    let options = control(&format!(
        "<form><select name=s>{}</select></form>",
        "<option>o".repeat(MAX_CONTROLS + 1)
    ));
    assert_eq!(options.options.len(), MAX_CONTROLS);

    let pending = page(&format!(
        "{}<form id=f></form>",
        "<input name=x form=f>".repeat(MAX_CONTROLS + 1)
    ));
    assert_eq!(pending.forms[0].controls.len(), MAX_CONTROLS);
}

#[test]
fn a_text_keeps_at_most_its_cap_of_characters() {
    // An odd start, so that the byte cap falls inside a character.
    let long = format!("a{}", "é".repeat(MAX_TEXT * 3));
    let p = page(&format!("<title>{long}</title><a href=/x>{long}</a>"));
    assert_eq!(p.title.chars().count(), MAX_TEXT);
    assert_eq!(p.links[0].text, format!("a{}", "é".repeat(MAX_TEXT - 1)));
    // A textarea's value (not squashed) is cut at a character boundary,
    // never past the cap's bytes.
    let area = control(&format!("<form><textarea name=t>{long}</textarea></form>"));
    assert!(area.value.len() <= MAX_TEXT * 4 && area.value.starts_with("aé"));
    // Text arriving in pieces (split by tags) is capped as a whole.
    let pieces = "<b>ab</b>".repeat(MAX_TEXT * 3);
    let link = page(&format!("<a href=/x>{pieces}</a>")).links.remove(0);
    assert_eq!(link.text.len(), MAX_TEXT);
}
