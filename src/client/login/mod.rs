//! The login driver: a browser stand-in that logs the user in and approves
//! (or denies) access, without a browser and without opening a port.
//!
//! It GETs the authorization URL and goes from page to page the way a user
//! would, until the server redirects to the redirect URI, which it never
//! fetches: it reads `code` and `state` from the redirect itself. Each page is
//! recognised by what it asks for ([`recognise`]): a login form, a user name
//! alone, an account choice, a consent page, a page that moves on by itself.
//! Forms are read in one linear pass ([`html`], [`read`], [`page`]) and submitted as a
//! browser submits them ([`form`]). Cookies are kept per origin under RFC
//! 6265 ([`jar`]); forms and the password go only to the allowed origins,
//! plain http only to loopback ([`origin`]). The whole login obeys the run's
//! timeout. [`flow`] ties it together and keeps a [`Journey`] of what it saw
//! and did, so a scenario can tell "the server denied" from "there was
//! nothing to deny".

pub mod browser;
pub mod command;
pub mod flow;
pub mod forgery;
pub mod form;
pub mod html;
pub mod jar;
pub mod origin;
pub mod page;
pub mod read;
pub mod recognise;

use std::time::Duration;

use super::credentials::Secret;
use super::transport::Transport;
use crate::profile::{BrowserUse, LoginSettings};

pub use page::Page;

/// What the user does on the consent page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Approve, choosing this account when the page offers a choice.
    Approve {
        account: Option<String>,
    },
    Deny,
    /// Log in with a wrong password (the user's password is a wrong one),
    /// then approve whatever follows, as [`Decision::Approve`] without an
    /// account.
    WrongPassword,
    /// Approve, but send the approval the way a form on another site's page
    /// would: the consent form's CSRF token left out or made up (a form
    /// without one sent as it is), that site's `Origin` and `Referer`, no
    /// `SameSite=Lax`/`Strict` cookie
    /// (RFC 6749 §10.12). Whatever protects the server (its token, an
    /// `Origin` check, SameSite cookies) should refuse it.
    ForgeApproval(ConsentForgery),
}

/// How a forged approval treats the consent form's CSRF token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentForgery {
    /// The field is left out of the submission.
    Left,
    /// The field carries a value the server never issued.
    MadeUp,
}

impl ConsentForgery {
    /// The words a scenario uses.
    pub fn from_words(words: &str) -> Option<Self> {
        match words {
            "left out" => Some(Self::Left),
            "made up" => Some(Self::MadeUp),
            _ => None,
        }
    }
}

/// The person at the keyboard.
#[derive(Clone, Debug)]
pub struct UserLogin {
    pub username: String,
    pub password: Secret,
}

/// Requests a login may take before it counts as a loop.
pub const MAX_HOPS: usize = 16;

/// Why the user agent did not reach the redirect URI.
#[derive(Clone, Debug, thiserror::Error, PartialEq)]
pub enum LoginError {
    /// A request failed (the server is down, slow, or answered badly).
    #[error("{0}")]
    Transport(String),
    /// The server answered an error status instead of a page or a redirect.
    #[error(
        "the authorization server answered {status} at {url} instead of redirecting: {described}"
    )]
    ErrorPage {
        url: String,
        status: u16,
        described: String,
    },
    /// The login form came back, or the login was answered with a 4xx,
    /// after the password was sent (a 5xx is an [`LoginError::ErrorPage`]).
    #[error(
        "the login was refused at {url} (status {status}): the login form came back (wrong username or password?)"
    )]
    LoginRefused { url: String, status: u16 },
    #[error("account {wanted:?} is not offered on the page at {url}; offered: {offered:?}")]
    NoSuchAccount {
        url: String,
        wanted: String,
        offered: Vec<String>,
    },
    /// The user wants to deny, and the page offers no way to.
    #[error(
        "no control to deny access on the page at {url} (set authorization_code.login.deny to its name or text if it has one); seen: {seen}"
    )]
    NoDenyControl { url: String, seen: String },
    /// The page is not one the driver understands.
    #[error("could not drive the login at {url} (status {status}): {why}; seen: {seen}")]
    CannotDrive {
        url: String,
        status: u16,
        why: String,
        seen: String,
    },
    /// Going on would break the user agent's safety rules.
    #[error("stopped the login before {url}: {why}")]
    Refused { url: String, why: String },
    /// A forged approval with a made-up token was asked for, and the
    /// consent form carries no CSRF token field the driver can recognise
    /// (the approval without any token is the left-out forgery's to judge).
    #[error(
        "the consent form at {url} carries no CSRF token field the suite recognises (a hidden field named like csrf, xsrf, authenticity_token, _token), so there is no token to make up: the approval without any token is judged where the token is left out (set authorization_code.login.csrf_field to its name if it has one); seen: {seen}"
    )]
    NoCsrfField { url: String, seen: String },
    /// After a forged approval the server showed its consent page again.
    #[error("the authorization server showed its consent page again at {url}")]
    ConsentAgain { url: String },
    /// The scenario needs something only the suite's own driver does (a
    /// forged approval), and the login is another's (a login command).
    #[error("{why}")]
    NotWithCommand { why: String },
    /// The whole login took longer than the run's timeout.
    #[error("the login did not reach the redirect URI within {limit:?} (last request: {url})")]
    Timeout { limit: Duration, url: String },
}

impl LoginError {
    /// Whether the suite could not drive the login (as opposed to the server
    /// answering badly, or refusing the login): the scenario is *not run*.
    pub fn is_undrivable(&self) -> bool {
        matches!(
            self,
            LoginError::CannotDrive { .. } | LoginError::Refused { .. }
        )
    }
}

/// A decision the user made, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    pub approved: bool,
    pub url: String,
    /// What the pressed control or followed link says.
    pub control: String,
}

/// What the user agent saw and did on its way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journey {
    /// Every request and what came of it: "GET <url> -> 200 login page".
    pub steps: Vec<String>,
    /// A login form was shown.
    pub login_page: bool,
    /// The password was sent.
    pub password_sent: bool,
    /// How the server answered each request that carried the password.
    pub password_answers: Vec<PasswordAnswer>,
    /// The approve or deny the user gave, if a page asked for one.
    pub decided: Option<Decided>,
    /// The accounts offered where the user was asked to choose (`None`:
    /// never asked).
    pub accounts_offered: Option<Vec<String>>,
    /// What a forged approval left out or made up, and what it could not.
    pub forged: Option<forgery::Forged>,
    /// Every page the server showed (each answer that was not a redirect),
    /// with what it says to a browser about being framed.
    pub pages: Vec<PageSeen>,
    /// The login command that did the login (its program), when one did:
    /// the suite saw none of its pages or requests.
    pub command: Option<String>,
    /// The HTML reader found nothing to act on in a page (no form, or forms
    /// of hidden fields only): a page a script renders, which headless
    /// Chromium can drive.
    pub not_understood: bool,
}

impl Journey {
    /// Files a login page (`step` says where and how it was seen). The
    /// login form again after the password went means the server refused
    /// it: whichever driver met it, the login ends there.
    pub(crate) fn arrive_at_login(
        &mut self,
        step: String,
        url: &url::Url,
        status: u16,
    ) -> Result<(), LoginError> {
        self.steps.push(step);
        self.login_page = true;
        match self.password_sent {
            true => Err(LoginError::LoginRefused {
                url: crate::redact::redact(url.as_str()),
                status,
            }),
            false => Ok(()),
        }
    }
}

/// A page the server answered with (not a redirect), and what it says about
/// framing (RFC 9700 §4.16).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageSeen {
    /// "GET http://host/authorize -> 200", redacted, without the query.
    pub request: String,
    pub status: u16,
    /// Whether it is HTML (a page a browser renders, and so could frame).
    pub html: bool,
    /// The `X-Frame-Options` values.
    pub x_frame_options: Vec<String>,
    /// The `frame-ancestors` directives of its `Content-Security-Policy`
    /// headers (not `-Report-Only`, which enforces nothing).
    pub frame_ancestors: Vec<String>,
    /// Whether it carries a frame-busting script (one that compares or sets
    /// `top.location`, RFC 6819 §5.2.2.6).
    pub frame_busting: bool,
}

impl PageSeen {
    /// What the page answered to `method url`.
    pub fn of(method: &str, answer: &crate::client::HttpAnswer, body: &str) -> Self {
        let mut url = answer.url.clone();
        url.set_query(None);
        url.set_fragment(None);
        let lower = body.to_ascii_lowercase();
        let frame_busting = lower.contains("<script")
            && [
                "top.location",
                "window.top",
                "top != self",
                "top !== self",
                "self != top",
                "self !== top",
                "window.self !== window.top",
            ]
            .iter()
            .any(|p| lower.contains(p));
        Self {
            request: crate::redact::redact(&format!("{method} {url} -> {}", answer.status)),
            status: answer.status,
            html: answer.header("content-type").is_some_and(|c| {
                let c = c.to_ascii_lowercase();
                c.starts_with("text/html") || c.starts_with("application/xhtml+xml")
            }),
            x_frame_options: answer
                .headers_named("x-frame-options")
                .into_iter()
                .map(|v| v.trim().to_owned())
                .collect(),
            frame_ancestors: answer
                .headers_named("content-security-policy")
                .into_iter()
                .flat_map(|policy| policy.split([',', ';']))
                .map(str::trim)
                .filter(|d| {
                    d.split_whitespace()
                        .next()
                        .is_some_and(|n| n.eq_ignore_ascii_case("frame-ancestors"))
                })
                .map(str::to_owned)
                .collect(),
            frame_busting,
        }
    }
}

/// The server's answer to a request that carried the user's password (RFC
/// 9700 §4.12: a 307 would make a browser repeat it, password and all, at
/// the redirect's target).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordAnswer {
    pub status: u16,
    /// The redirect's target, redacted and without its query, if the
    /// answer was a redirect.
    pub to: Option<String>,
    /// The redirect leads to another origin than the one the password was
    /// sent to.
    pub elsewhere: bool,
}

/// One trip through the authorization endpoint.
#[derive(Clone, Debug)]
pub struct Trip {
    /// The redirect to the redirect URI, in full.
    pub redirect: Result<String, LoginError>,
    pub journey: Journey,
}

/// Drives the login and consent pages from `authorize_url` until the server
/// redirects to `redirect_uri`, within the transport's timeout for the
/// whole login. `allow_plain_http`: the profile's own (plain http beyond
/// loopback, see [`origin`]).
///
/// Three ways, in this order: the profile's login command (or
/// `OAUTH_CONFORMANCE_LOGIN_COMMAND`) when there is one ([`command`]);
/// otherwise the HTML driver ([`flow`]); and headless Chromium
/// ([`browser`]) when the profile says `browser = "always"`, or when the
/// HTML driver met a page with nothing to act on and `browser = "auto"`.
pub async fn authorize(
    transport: &Transport,
    authorize_url: &url::Url,
    redirect_uri: &str,
    user: &UserLogin,
    decision: &Decision,
    settings: &LoginSettings,
    allow_plain_http: bool,
) -> Trip {
    let login = Login {
        transport,
        authorize_url,
        redirect_uri,
        user,
        decision,
        settings,
        policy: origin::Policy::new(authorize_url, redirect_uri, settings, allow_plain_http),
    };
    if let Some(command) = command::LoginCommand::configured(settings, |n| std::env::var(n).ok()) {
        let mut journey = Journey::default();
        let redirect = Box::pin(command::run(&command, &login, &mut journey)).await;
        return Trip { redirect, journey };
    }
    if settings.browser == BrowserUse::Always {
        return Box::pin(browser::authorize(
            &login,
            browser::Chromium::find(settings),
        ))
        .await;
    }
    // Each way's future boxed: scenarios run on threads with small stacks,
    // and this one is part of every step that logs in.
    let trip = Box::pin(login.html()).await;
    let needs_browser =
        trip.journey.not_understood && matches!(trip.redirect, Err(LoginError::CannotDrive { .. }));
    if !needs_browser || settings.browser == BrowserUse::Never {
        return trip;
    }
    match browser::Chromium::find(settings) {
        Ok(chromium) => Box::pin(browser::authorize(&login, Ok(chromium))).await,
        Err(missing) => without_browser(trip, &missing),
    }
}

/// The HTML driver's trip, its "could not drive" saying a browser would
/// and how to get one.
fn without_browser(mut trip: Trip, missing: &str) -> Trip {
    if let Err(LoginError::CannotDrive { why, .. }) = &mut trip.redirect {
        why.push_str(&format!(
            "; the page needs a browser to render it, and {missing}"
        ));
    }
    trip
}

/// One login's inputs, for whichever driver does it.
pub struct Login<'a> {
    pub transport: &'a Transport,
    pub authorize_url: &'a url::Url,
    pub redirect_uri: &'a str,
    pub user: &'a UserLogin,
    pub decision: &'a Decision,
    pub settings: &'a LoginSettings,
    pub policy: origin::Policy,
}

impl Login<'_> {
    fn flow(&self) -> flow::Flow<'_> {
        flow::Flow::new(
            self.transport,
            self.policy.clone(),
            self.authorize_url,
            self.user,
            self.decision,
            self.settings,
        )
    }

    /// The HTML driver, within the run's timeout.
    async fn html(&self) -> Trip {
        let mut journey = Journey::default();
        let limit = self.transport.limits().timeout;
        let mut driver = self.flow();
        let run = driver.run(self.authorize_url.clone(), &mut journey);
        let redirect = match tokio::time::timeout(limit, run).await {
            Ok(result) => result,
            Err(_) => Err(LoginError::Timeout {
                limit,
                url: crate::redact::redact(&driver.last_url()),
            }),
        };
        Trip { redirect, journey }
    }
}

#[cfg(test)]
mod command_tests;
#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod read_tests;
#[cfg(test)]
mod tests;
