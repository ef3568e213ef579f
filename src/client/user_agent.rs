//! A browser stand-in that logs a user in and approves (or denies) access.
//!
//! The authorization code flow needs a user. Without a browser and without
//! opening a port, this drives the provider's own HTML: it GETs the
//! authorization URL, follows redirects, fills the login form (fields found by
//! name, hidden fields such as CSRF tokens kept), then the consent /
//! account-choice form, and stops at the redirect to `redirect_uri`, which it
//! never fetches. Cookies are kept per flow. A page it cannot understand fails
//! with the URL, the status and the forms it saw.

use std::collections::BTreeMap;

use scraper::{ElementRef, Html, Selector};

use super::recording::HttpRequest;
use super::transport::{HttpAnswer, Transport};
use crate::profile::LoginForms;
use crate::redact::redact;

/// What the user does on the consent page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Approve, choosing this account when the page offers a choice.
    Approve {
        account: Option<String>,
    },
    Deny,
}

/// The person at the keyboard.
#[derive(Clone, Debug)]
pub struct UserLogin {
    pub username: String,
    pub password: super::credentials::Secret,
}

/// How many pages a flow may take before we call it a loop.
const MAX_HOPS: usize = 12;

/// A form as found on a page.
#[derive(Clone, Debug, PartialEq)]
pub struct HtmlForm {
    pub method: String,
    pub action: url::Url,
    /// Named fields with their default values, in document order (submit
    /// buttons excluded).
    pub fields: Vec<(String, String)>,
    /// Named submit buttons with their values.
    pub submits: Vec<(String, String)>,
    /// Options of each `<select>`, by field name.
    pub options: BTreeMap<String, Vec<String>>,
    pub has_password: bool,
}

impl HtmlForm {
    fn describe(&self) -> String {
        let names: Vec<&str> = self.fields.iter().map(|(n, _)| n.as_str()).collect();
        let submits: Vec<&str> = self.submits.iter().map(|(n, _)| n.as_str()).collect();
        format!(
            "{} {} fields [{}] buttons [{}]",
            self.method,
            self.action,
            names.join(", "),
            submits.join(", ")
        )
    }

    fn set(&mut self, name: &str, value: &str) {
        match self.fields.iter_mut().find(|(n, _)| n == name) {
            Some(field) => field.1 = value.to_owned(),
            None => self.fields.push((name.to_owned(), value.to_owned())),
        }
    }
}

#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum LoginError {
    #[error("{0}")]
    Transport(String),
    #[error(
        "the login flow did not understand the page at {url} (status {status}); forms seen: {forms}"
    )]
    UnknownPage {
        url: String,
        status: u16,
        forms: String,
    },
    #[error(
        "the login was refused at {url}: the login form came back (wrong username or password?)"
    )]
    LoginRefused { url: String },
    #[error(
        "the login form at {url} has no field named {field:?} (set authorization_code.forms.username_field); forms seen: {forms}"
    )]
    NoUsernameField {
        url: String,
        field: String,
        forms: String,
    },
    #[error("account {wanted:?} is not offered on the consent page at {url}; offered: {offered:?}")]
    NoSuchAccount {
        url: String,
        wanted: String,
        offered: Vec<String>,
    },
    #[error(
        "the authorization server answered {status} at {url} instead of redirecting: {described}"
    )]
    ErrorPage {
        url: String,
        status: u16,
        described: String,
    },
    #[error(
        "more than {MAX_HOPS} pages or redirects without reaching the redirect_uri (last: {url})"
    )]
    TooManyHops { url: String },
}

impl LoginError {
    /// Whether the driver could not make sense of a page (one it does not
    /// understand, a login form without the configured field): the suite
    /// could not drive the login, which says nothing of the server.
    pub fn could_not_drive(&self) -> bool {
        matches!(
            self,
            LoginError::UnknownPage { .. } | LoginError::NoUsernameField { .. }
        )
    }
}

/// Every form on an HTML page.
pub fn parse_forms(page_url: &url::Url, html: &str) -> Vec<HtmlForm> {
    let doc = Html::parse_document(html);
    let form_sel = Selector::parse("form").expect("static selector");
    let field_sel = Selector::parse("input, select, textarea, button").expect("static selector");
    let option_sel = Selector::parse("option").expect("static selector");
    doc.select(&form_sel)
        .map(|form| {
            let attr = |e: &ElementRef, a: &str| e.value().attr(a).unwrap_or("").to_owned();
            let action = form.value().attr("action").unwrap_or("");
            let action = page_url.join(action).unwrap_or_else(|_| page_url.clone());
            let mut parsed = HtmlForm {
                method: form
                    .value()
                    .attr("method")
                    .unwrap_or("GET")
                    .to_ascii_uppercase(),
                action,
                fields: Vec::new(),
                submits: Vec::new(),
                options: BTreeMap::new(),
                has_password: false,
            };
            for field in form.select(&field_sel) {
                let name = attr(&field, "name");
                let kind = attr(&field, "type").to_ascii_lowercase();
                let tag = field.value().name();
                if kind == "password" {
                    parsed.has_password = true;
                }
                if name.is_empty() {
                    continue;
                }
                let is_submit = (tag == "button" && (kind.is_empty() || kind == "submit"))
                    || (tag == "input" && kind == "submit");
                if is_submit {
                    parsed.submits.push((name, attr(&field, "value")));
                } else if tag == "select" {
                    let options: Vec<String> = field
                        .select(&option_sel)
                        .map(|o| {
                            o.value()
                                .attr("value")
                                .map(str::to_owned)
                                .unwrap_or_else(|| o.text().collect())
                        })
                        .collect();
                    let selected = field
                        .select(&option_sel)
                        .find(|o| o.value().attr("selected").is_some())
                        .and_then(|o| o.value().attr("value").map(str::to_owned))
                        .or_else(|| options.first().cloned())
                        .unwrap_or_default();
                    parsed.options.insert(name.clone(), options);
                    parsed.fields.push((name, selected));
                } else if (kind == "checkbox" || kind == "radio")
                    && field.value().attr("checked").is_none()
                {
                    continue;
                } else if tag == "textarea" {
                    parsed.fields.push((name, field.text().collect()));
                } else {
                    parsed.fields.push((name, attr(&field, "value")));
                }
            }
            parsed
        })
        .collect()
}

/// Drives the login and consent pages from `authorize_url` until the server
/// redirects to `redirect_uri`; returns that redirect's full URL.
pub async fn authorize(
    transport: &Transport,
    authorize_url: &url::Url,
    redirect_uri: &str,
    user: &UserLogin,
    decision: &Decision,
    forms: &LoginForms,
) -> Result<String, LoginError> {
    let mut flow = LoginFlow {
        user,
        decision,
        forms,
        cookies: BTreeMap::new(),
        logged_in: false,
    };
    let mut request = get(authorize_url.clone());
    for _ in 0..MAX_HOPS {
        flow.add_cookies(&mut request);
        let answer = transport
            .send(&request)
            .await
            .map_err(|e| LoginError::Transport(e.to_string()))?;
        remember_cookies(&answer, &mut flow.cookies);
        request = match flow.next(&answer, redirect_uri)? {
            Next::Arrived(location) => return Ok(location),
            Next::Send(request) => request,
        };
    }
    Err(LoginError::TooManyHops {
        url: redact(request.url.as_str()),
    })
}

/// Where one page leads.
enum Next {
    /// The server redirected to the redirect URI: the flow is over.
    Arrived(String),
    /// The next request the user agent makes.
    Send(HttpRequest),
}

/// One user's way through the pages: who they are, what they decide, and
/// what the browser remembers between pages.
struct LoginFlow<'a> {
    user: &'a UserLogin,
    decision: &'a Decision,
    forms: &'a LoginForms,
    cookies: BTreeMap<String, String>,
    logged_in: bool,
}

impl LoginFlow<'_> {
    fn add_cookies(&self, request: &mut HttpRequest) {
        if self.cookies.is_empty() {
            return;
        }
        let header = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        request.headers.push(("cookie".into(), header));
    }

    /// What to do with one answer: follow a redirect, fill the login form,
    /// answer the consent form, or give up on an error or an unknown page.
    fn next(&mut self, answer: &HttpAnswer, redirect_uri: &str) -> Result<Next, LoginError> {
        let page_url = &answer.url;
        if (300..400).contains(&answer.status) {
            return follow(answer, redirect_uri);
        }
        if answer.status >= 400 {
            return Err(LoginError::ErrorPage {
                url: page_url.to_string(),
                status: answer.status,
                described: answer.describe(),
            });
        }
        let html = String::from_utf8_lossy(&answer.body);
        let page_forms = parse_forms(page_url, &html);
        let password_field = &self.forms.password_field;
        if let Some(form) = page_forms
            .iter()
            .find(|f| f.has_password || f.fields.iter().any(|(n, _)| n == password_field))
        {
            return self.log_in(form, page_url).map(Next::Send);
        }
        let consent = page_forms.iter().find(|f| {
            f.submits
                .iter()
                .any(|(n, _)| *n == self.forms.approve_field)
                || f.fields.iter().any(|(n, _)| *n == self.forms.account_field)
        });
        match consent {
            Some(form) => self.decide(form, page_url).map(Next::Send),
            None => Err(LoginError::UnknownPage {
                url: page_url.to_string(),
                status: answer.status,
                forms: describe_forms(&page_forms),
            }),
        }
    }

    /// Fills and submits the login form; a second login form means the
    /// first login was refused.
    fn log_in(&mut self, form: &HtmlForm, page_url: &url::Url) -> Result<HttpRequest, LoginError> {
        if self.logged_in {
            return Err(LoginError::LoginRefused {
                url: page_url.to_string(),
            });
        }
        let username_field = &self.forms.username_field;
        if !form.fields.iter().any(|(n, _)| n == username_field) {
            return Err(LoginError::NoUsernameField {
                url: page_url.to_string(),
                field: username_field.clone(),
                forms: describe_forms(std::slice::from_ref(form)),
            });
        }
        let mut form = form.clone();
        form.set(username_field, &self.user.username);
        form.set(&self.forms.password_field, self.user.password.expose());
        let submit = form.submits.first().cloned();
        self.logged_in = true;
        Ok(submit_form(&form, submit))
    }

    /// Answers the consent form: approve (choosing the account when asked
    /// to) or deny, by submitting without the approve button.
    fn decide(&self, form: &HtmlForm, page_url: &url::Url) -> Result<HttpRequest, LoginError> {
        let mut form = form.clone();
        let forms = self.forms;
        let submit = match self.decision {
            Decision::Approve { account } => {
                if let Some(account) = account {
                    choose_account(&mut form, &forms.account_field, account, page_url)?;
                }
                let value = form
                    .submits
                    .iter()
                    .find(|(n, _)| *n == forms.approve_field)
                    .map(|(_, v)| v.clone());
                Some((
                    forms.approve_field.clone(),
                    value.unwrap_or_else(|| "1".into()),
                ))
            }
            Decision::Deny => form
                .submits
                .iter()
                .find(|(n, _)| *n != forms.approve_field)
                .cloned(),
        };
        Ok(submit_form(&form, submit))
    }
}

/// A redirect: to the redirect URI ends the flow, anywhere else is followed.
fn follow(answer: &HttpAnswer, redirect_uri: &str) -> Result<Next, LoginError> {
    let page_url = &answer.url;
    let location = answer
        .header("location")
        .ok_or_else(|| LoginError::ErrorPage {
            url: page_url.to_string(),
            status: answer.status,
            described: "a redirect without Location".into(),
        })?;
    let next = page_url
        .join(location)
        .map_err(|e| LoginError::Transport(format!("bad Location {location:?}: {e}")))?;
    if next.as_str().starts_with(redirect_uri) {
        return Ok(Next::Arrived(next.to_string()));
    }
    Ok(Next::Send(get(next)))
}

/// Sets the account field to `account`, if the page offers it.
fn choose_account(
    form: &mut HtmlForm,
    field: &str,
    account: &str,
    page_url: &url::Url,
) -> Result<(), LoginError> {
    let offered = form.options.get(field).cloned().unwrap_or_else(|| {
        form.fields
            .iter()
            .filter(|(n, _)| n == field)
            .map(|(_, v)| v.clone())
            .collect()
    });
    if !offered.iter().any(|o| o == account) {
        return Err(LoginError::NoSuchAccount {
            url: page_url.to_string(),
            wanted: account.to_owned(),
            offered,
        });
    }
    form.set(field, account);
    Ok(())
}

fn describe_forms(forms: &[HtmlForm]) -> String {
    if forms.is_empty() {
        return "none".into();
    }
    forms
        .iter()
        .map(HtmlForm::describe)
        .collect::<Vec<_>>()
        .join("; ")
}

fn get(url: url::Url) -> HttpRequest {
    HttpRequest {
        method: "GET".into(),
        url,
        headers: vec![("accept".into(), "text/html".into())],
        body: None,
    }
}

fn submit_form(form: &HtmlForm, submit: Option<(String, String)>) -> HttpRequest {
    let mut pairs = form.fields.clone();
    pairs.extend(submit);
    let encoded = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    if form.method == "POST" {
        HttpRequest {
            method: "POST".into(),
            url: form.action.clone(),
            headers: vec![
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("accept".into(), "text/html".into()),
                // Django's CSRF check wants a same-origin Referer on HTTPS.
                ("referer".into(), form.action.to_string()),
            ],
            body: Some(encoded.into_bytes()),
        }
    } else {
        let mut url = form.action.clone();
        url.set_query(Some(&encoded));
        get(url)
    }
}

fn remember_cookies(answer: &HttpAnswer, jar: &mut BTreeMap<String, String>) {
    for value in answer.headers_named("set-cookie") {
        if let Some((name, rest)) = value.split_once('=') {
            let value = rest.split(';').next().unwrap_or("").to_owned();
            jar.insert(name.trim().to_owned(), value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_read_with_hidden_fields_selects_and_buttons() {
        let html = r#"<html><body>
          <form method="post" action="/login?next=/x">
            <input type="hidden" name="csrfmiddlewaretoken" value="tok">
            <input name="username"><input type="password" name="password">
            <button type="submit">Log in</button>
          </form>
          <form method="post" action="consent">
            <select name="account"><option value="participant">P</option><option value="company" selected>C</option></select>
            <input type="checkbox" name="remember">
            <input type="submit" name="allow" value="Authorize"><input type="submit" value="Cancel">
          </form></body></html>"#;
        let page: url::Url = "http://127.0.0.1:1/auth/page".parse().unwrap();
        let forms = parse_forms(&page, html);
        assert_eq!(forms.len(), 2);
        assert!(forms[0].has_password);
        assert_eq!(forms[0].action.as_str(), "http://127.0.0.1:1/login?next=/x");
        assert_eq!(
            forms[0].fields[0],
            ("csrfmiddlewaretoken".into(), "tok".into())
        );
        assert_eq!(forms[1].action.as_str(), "http://127.0.0.1:1/auth/consent");
        assert_eq!(forms[1].fields, vec![("account".into(), "company".into())]);
        assert_eq!(forms[1].options["account"], vec!["participant", "company"]);
        assert_eq!(forms[1].submits, vec![("allow".into(), "Authorize".into())]);
    }

    #[test]
    fn a_login_form_without_the_configured_field_is_not_driven() {
        let page: url::Url = "http://127.0.0.1:1/interaction/x".parse().unwrap();
        let html = r#"<form method="post" action="/interaction/x">
            <input name="login"><input type="password" name="password">
            <button type="submit">Sign-in</button></form>"#;
        let user = UserLogin {
            username: "u".into(),
            password: crate::client::Secret::new("p".to_owned()),
        };
        let forms = LoginForms::default();
        let mut flow = LoginFlow {
            user: &user,
            decision: &Decision::Approve { account: None },
            forms: &forms,
            cookies: BTreeMap::new(),
            logged_in: false,
        };
        let form = &parse_forms(&page, html)[0];
        let err = flow.log_in(form, &page).unwrap_err();
        assert!(err.could_not_drive(), "{err}");
        assert!(err.to_string().contains("username_field"), "{err}");
        assert!(!LoginError::LoginRefused { url: "u".into() }.could_not_drive());
    }
}
