//! One user's way through the pages: request, answer, next request.
//!
//! Each answer is a redirect (followed, or the end when it is the redirect
//! URI), an error, or a page; a page is read, recognised, and answered the
//! way the user decided. The flow remembers what it did in the [`Journey`],
//! so a second login form after the password was sent reads as "refused",
//! and a denial that never found a page to deny on reads as "nothing to
//! deny", not as a denial.

use super::forgery;
use super::form::{self, Submission};
use super::jar::Jar;
use super::origin::Policy;
use super::page::Page;
use super::recognise::{self, Action, Asks, Choices};
use super::{Decided, Decision, Journey, LoginError, MAX_HOPS, UserLogin};
use crate::client::recording::HttpRequest;
use crate::client::transport::{HttpAnswer, Transport, TransportError};
use crate::profile::LoginSettings;
use crate::redact::redact;

/// The user agent's identity, sent with every request.
const USER_AGENT: &str = concat!(
    "oauth-conformance/",
    env!("CARGO_PKG_VERSION"),
    " (login driver)"
);

/// A request the user agent is about to make.
#[derive(Clone, Debug)]
struct Navigation {
    method: String,
    url: url::Url,
    body: Option<String>,
    /// The page the request comes from (for `Referer` and `Origin`).
    from: Option<url::Url>,
    carries_password: bool,
    /// Sent as a form on another site's page would send it (a forged
    /// approval): that site's `Origin` and `Referer`, and no cookie a
    /// browser keeps back from a cross-site POST.
    cross_site: bool,
}

impl Navigation {
    fn get(url: url::Url, from: Option<url::Url>) -> Self {
        Self {
            method: "GET".into(),
            url,
            body: None,
            from,
            carries_password: false,
            cross_site: false,
        }
    }

    fn submission(s: Submission, from: &url::Url) -> Self {
        Self {
            method: s.method,
            url: s.url,
            body: s.body,
            from: Some(from.clone()),
            carries_password: s.carries_password,
            cross_site: false,
        }
    }

    fn describe(&self) -> String {
        redact(&format!("{} {}", self.method, self.url))
    }
}

/// Where one answer leads.
enum Next {
    Arrived(String),
    Go(Box<Navigation>),
}

pub struct Flow<'a> {
    transport: &'a Transport,
    pub(super) policy: Policy,
    pub(super) jar: Jar,
    user: &'a UserLogin,
    decision: &'a Decision,
    settings: &'a LoginSettings,
    /// The user name was sent on its own (identifier-first).
    pub(super) identified: bool,
    /// Where the login began: what a forged approval may know.
    authorize_url: url::Url,
    last_url: String,
}

impl<'a> Flow<'a> {
    pub fn new(
        transport: &'a Transport,
        policy: Policy,
        authorize_url: &url::Url,
        user: &'a UserLogin,
        decision: &'a Decision,
        settings: &'a LoginSettings,
    ) -> Self {
        Self {
            transport,
            policy,
            jar: Jar::default(),
            user,
            decision,
            settings,
            identified: false,
            authorize_url: authorize_url.clone(),
            last_url: authorize_url.to_string(),
        }
    }

    /// The last URL requested (for a timeout's message).
    pub fn last_url(&self) -> String {
        self.last_url.clone()
    }

    /// Goes from `start` until the redirect URI.
    pub async fn run(
        &mut self,
        start: url::Url,
        journey: &mut Journey,
    ) -> Result<String, LoginError> {
        self.run_from(Navigation::get(start, None), journey).await
    }

    /// Goes from the navigation `next` until the redirect URI.
    async fn run_from(
        &mut self,
        mut next: Navigation,
        journey: &mut Journey,
    ) -> Result<String, LoginError> {
        for _ in 0..MAX_HOPS {
            self.policy.may_fetch(&next.url)?;
            self.last_url = next.url.to_string();
            if next.cross_site
                && let Some(forged) = journey.forged.as_mut()
            {
                forged.cookies = self.jar.cross_site_cookies(&next.url);
            }
            let answer = self
                .transport
                .send(&self.request(&next))
                .await
                .map_err(|e| transport_error(&next, e))?;
            self.jar.remember(&answer);
            next = match self.answer(&next, &answer, journey)? {
                Next::Arrived(location) => return Ok(location),
                Next::Go(navigation) => *navigation,
            };
        }
        Err(LoginError::CannotDrive {
            url: redact(next.url.as_str()),
            status: 0,
            why: format!(
                "more than {MAX_HOPS} pages or redirects without reaching the redirect URI"
            ),
            seen: journey.steps.join("; "),
        })
    }

    /// The HTTP request for a navigation: the origin's own cookies, and for
    /// a form the `Origin` and `Referer` a browser sends (the full page URL
    /// only to its own origin).
    fn request(&self, nav: &Navigation) -> HttpRequest {
        let mut headers = vec![
            (
                "accept".to_owned(),
                "text/html,application/xhtml+xml".to_owned(),
            ),
            ("user-agent".to_owned(), USER_AGENT.to_owned()),
        ];
        if let Some(cookies) = self.jar.header_for(&nav.url, nav.cross_site) {
            headers.push(("cookie".into(), cookies));
        }
        if nav.cross_site {
            // The other site's page: its origin, and the Referer a browser
            // sends from it under the default policy
            // (strict-origin-when-cross-origin: the origin alone).
            headers.push(("origin".into(), forgery::CROSS_SITE_ORIGIN.into()));
            headers.push(("referer".into(), format!("{}/", forgery::CROSS_SITE_ORIGIN)));
        } else if let Some(from) = &nav.from {
            let same_origin = from.origin() == nav.url.origin();
            let referer = if same_origin {
                from.to_string()
            } else {
                format!("{}/", from.origin().ascii_serialization())
            };
            headers.push(("referer".into(), referer));
            if nav.method == "POST" {
                headers.push(("origin".into(), from.origin().ascii_serialization()));
            }
        }
        if nav.body.is_some() {
            headers.push((
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
        }
        HttpRequest {
            method: nav.method.clone(),
            url: nav.url.clone(),
            headers,
            body: nav.body.clone().map(String::into_bytes),
        }
    }

    fn answer(
        &mut self,
        sent: &Navigation,
        answer: &HttpAnswer,
        journey: &mut Journey,
    ) -> Result<Next, LoginError> {
        let step = |what: &str| format!("{} -> {} {what}", sent.describe(), answer.status);
        if sent.carries_password {
            journey.password_answers.push(password_answer(sent, answer));
        }
        if (300..400).contains(&answer.status) && answer.header("location").is_some() {
            journey.steps.push(step("redirect"));
            return self.redirect(sent, answer);
        }
        let html = String::from_utf8_lossy(&answer.body);
        journey
            .pages
            .push(super::PageSeen::of(&sent.method, answer, &html));
        if answer.status >= 400 {
            journey.steps.push(step("error"));
            // A 4xx to the password is a refusal (400 or 401 with the form
            // again, or a bare error); a 5xx is the server failing.
            if sent.carries_password && answer.status < 500 {
                return Err(LoginError::LoginRefused {
                    url: redact(answer.url.as_str()),
                    status: answer.status,
                });
            }
            return Err(LoginError::ErrorPage {
                url: redact(answer.url.as_str()),
                status: answer.status,
                described: answer.describe(),
            });
        }
        let page = super::read::read(&answer.url, &html);
        let asks = recognise::read(&page, self.settings, self.identified);
        let cannot = |why: String| LoginError::CannotDrive {
            url: redact(answer.url.as_str()),
            status: answer.status,
            why,
            seen: redact(&format!(
                "content type {}; {}",
                answer.content_type(),
                page.describe()
            )),
        };
        match asks {
            Asks::LogIn {
                form,
                username,
                password,
                submit,
            } => {
                journey.arrive_at_login(step("login page"), &answer.url, answer.status)?;
                let mut filled = page.forms[form].clone();
                if let Some(u) = username {
                    form::set_value(&mut filled, u, &self.user.username);
                }
                form::set_value(&mut filled, password, self.user.password.expose());
                let submission = form::submit(&filled, submit);
                if submission.method != "POST" {
                    return Err(cannot(
                        "the login form would send the password in the URL (method GET); refusing to"
                            .into(),
                    ));
                }
                self.policy.may_submit(&submission.url, true)?;
                journey.password_sent = true;
                Ok(Next::Go(Box::new(Navigation::submission(
                    submission,
                    &answer.url,
                ))))
            }
            Asks::Identify {
                form,
                username,
                submit,
            } => {
                journey.steps.push(step("user name page"));
                journey.login_page = true;
                self.identified = true;
                let mut filled = page.forms[form].clone();
                form::set_value(&mut filled, username, &self.user.username);
                self.go(&filled, submit, &answer.url)
            }
            Asks::Continue(action) => {
                journey.steps.push(step("page that moves on by itself"));
                self.act(&page, action, &answer.url)
            }
            Asks::Decision(_) if journey.forged.is_some() => {
                journey.steps.push(step("decision page again"));
                Err(LoginError::ConsentAgain {
                    url: redact(answer.url.as_str()),
                })
            }
            Asks::Decision(choices) => {
                journey.steps.push(step("decision page"));
                self.decide(&page, choices, &answer.url, journey, cannot)
            }
            Asks::Unknown(why) => {
                journey.steps.push(step("page not understood"));
                // Nothing a user could act on (no form, or forms of hidden
                // fields only): a page a script renders.
                journey.not_understood = page.forms.iter().all(|f| {
                    f.controls
                        .iter()
                        .all(|c| c.disabled || c.kind == super::page::Kind::Hidden)
                });
                Err(cannot(why))
            }
        }
    }

    fn redirect(&self, sent: &Navigation, answer: &HttpAnswer) -> Result<Next, LoginError> {
        let location = answer.header("location").unwrap_or_default();
        let next = answer
            .url
            .join(location)
            .map_err(|e| LoginError::CannotDrive {
                url: redact(answer.url.as_str()),
                status: answer.status,
                why: format!(
                    "the redirect's Location {:?} is not a URL: {e}",
                    redact(location)
                ),
                seen: String::new(),
            })?;
        if self.policy.arrived(&next) {
            return Ok(Next::Arrived(next.to_string()));
        }
        // 307 and 308 repeat the request, body and all: only where a form
        // may go.
        if matches!(answer.status, 307 | 308) && sent.method == "POST" {
            self.policy.may_submit(&next, sent.carries_password)?;
            return Ok(Next::Go(Box::new(Navigation {
                url: next,
                ..sent.clone()
            })));
        }
        Ok(Next::Go(Box::new(Navigation::get(next, sent.from.clone()))))
    }

    /// Submits `form` (already filled) with `submit`, if it may go there.
    fn go(
        &self,
        filled: &super::page::Form,
        submit: Option<usize>,
        from: &url::Url,
    ) -> Result<Next, LoginError> {
        let submission = form::submit(filled, submit);
        self.policy
            .may_submit(&submission.url, submission.carries_password)?;
        Ok(Next::Go(Box::new(Navigation::submission(submission, from))))
    }

    fn act(&self, page: &Page, action: Action, from: &url::Url) -> Result<Next, LoginError> {
        match action {
            Action::Press { form, submit } => self.go(&page.forms[form], submit, from),
            Action::Follow(url) => {
                self.policy.may_submit(&url, false)?;
                Ok(Next::Go(Box::new(Navigation::get(url, Some(from.clone())))))
            }
        }
    }

    /// Approves (choosing the account) or denies on a decision page; never
    /// presses anything else in place of a missing deny control.
    fn decide(
        &self,
        page: &Page,
        choices: Choices,
        from: &url::Url,
        journey: &mut Journey,
        cannot: impl Fn(String) -> LoginError,
    ) -> Result<Next, LoginError> {
        let (page, action) = self.choose(page, choices, from, journey, cannot)?;
        let mut next = self.act(&page, action, from)?;
        if let (Decision::ForgeApproval(_), Next::Go(nav)) = (self.decision, &mut next) {
            nav.cross_site = true;
        }
        Ok(next)
    }

    /// On a decision page, what the user does: the page as they leave it
    /// (the account chosen; a forged approval's token left out or made
    /// up) and the control they press or the link they follow; kept in the
    /// journey.
    pub(super) fn choose(
        &self,
        page: &Page,
        choices: Choices,
        from: &url::Url,
        journey: &mut Journey,
        cannot: impl Fn(String) -> LoginError,
    ) -> Result<(Page, Action), LoginError> {
        let field = &self.settings.account_field;
        if let Some(f) = choices.account_form {
            let offered = form::offered(&page.forms[f], field);
            journey.accounts_offered = Some(offered.into_iter().map(|(v, _)| v).collect());
        }
        let mut page = page.clone();
        let (action, approved, says) = match self.decision {
            Decision::Deny => {
                let action = choices.deny.ok_or_else(|| LoginError::NoDenyControl {
                    url: redact(from.as_str()),
                    seen: redact(&page.describe()),
                })?;
                (action, false, choices.deny_says)
            }
            Decision::Approve { .. } | Decision::WrongPassword => {
                let account = match self.decision {
                    Decision::Approve { account } => account,
                    _ => &None,
                };
                let action = choices.approve.ok_or_else(|| {
                    cannot("found no control that approves (set authorization_code.login.approve to its name or text)".into())
                })?;
                if let Some(f) = choices.account_form {
                    let target = &mut page.forms[f];
                    match account {
                        Some(wanted) => form::choose(target, field, wanted).map_err(|offered| {
                            LoginError::NoSuchAccount {
                                url: redact(from.as_str()),
                                wanted: wanted.clone(),
                                offered,
                            }
                        })?,
                        None => form::check_first_if_none(target, field),
                    }
                }
                (action, true, choices.approve_says)
            }
            Decision::ForgeApproval(forgery) => {
                let action = choices.approve.ok_or_else(|| {
                    cannot("found no control that approves (set authorization_code.login.approve to its name or text)".into())
                })?;
                if let Some(f) = choices.account_form {
                    form::check_first_if_none(&mut page.forms[f], field);
                }
                let seen = redact(&page.describe());
                let no_field = || LoginError::NoCsrfField {
                    url: redact(from.as_str()),
                    seen: seen.clone(),
                };
                let Action::Press { form: f, submit } = action else {
                    return Err(no_field());
                };
                let forged = forgery::forge(
                    &mut page.forms[f],
                    submit,
                    *forgery,
                    self.settings,
                    &self.authorize_url,
                )
                .ok_or_else(no_field)?;
                journey.forged = Some(forged);
                (action, true, choices.approve_says)
            }
        };
        journey.decided = Some(Decided {
            approved,
            url: redact(from.as_str()),
            control: says,
        });
        Ok((page, action))
    }

    /// A forged approval on a decision page another user agent rendered
    /// (the browser), sent and followed from here on by this one, with the
    /// cookies that agent's requests left in the jar.
    pub(super) async fn forge_from(
        &mut self,
        page: &Page,
        choices: Choices,
        from: &url::Url,
        journey: &mut Journey,
        cannot: impl Fn(String) -> LoginError,
    ) -> Result<String, LoginError> {
        match self.decide(page, choices, from, journey, cannot)? {
            Next::Arrived(location) => Ok(location),
            Next::Go(navigation) => self.run_from(*navigation, journey).await,
        }
    }
}

/// What the answer to a request that carried the password was, and where a
/// redirect led.
fn password_answer(sent: &Navigation, answer: &HttpAnswer) -> super::PasswordAnswer {
    password_answer_to(&sent.url, answer)
}

/// What the answer to a request to `sent` that carried the password was.
pub(super) fn password_answer_to(sent: &url::Url, answer: &HttpAnswer) -> super::PasswordAnswer {
    let target = (300..400)
        .contains(&answer.status)
        .then(|| answer.header("location"))
        .flatten()
        .and_then(|l| answer.url.join(l).ok());
    super::PasswordAnswer {
        status: answer.status,
        to: target.as_ref().map(|t| {
            let mut t = t.clone();
            t.set_query(None);
            t.set_fragment(None);
            redact(t.as_str())
        }),
        elsewhere: target.is_some_and(|t| t.origin() != sent.origin()),
    }
}

/// A request that failed: too big is a page the driver will not read (not
/// run); anything else is the server's (down, slow, broken).
fn transport_error(sent: &Navigation, e: TransportError) -> LoginError {
    match e {
        TransportError::TooLarge { limit, .. } => LoginError::CannotDrive {
            url: redact(sent.url.as_str()),
            status: 0,
            why: format!("the page is larger than the {limit}-byte cap"),
            seen: e.to_string(),
        },
        e => LoginError::Transport(redact(&e.to_string())),
    }
}
