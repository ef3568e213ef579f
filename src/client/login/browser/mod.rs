//! The login in headless Chromium, for pages only a script renders.
//!
//! The browser renders and runs the pages; the suite keeps everything else.
//! Every request the page makes is paused (the DevTools Fetch domain) and
//! sent by the suite's own transport, with the cookies of the request's own
//! origin from the suite's [`Jar`](super::jar::Jar) (the browser's own never
//! go anywhere), then handed back to the browser; so the HTML driver's rules
//! hold as they are:
//!
//! - plain http only to loopback unless the profile allows it, and no other
//!   scheme leaves the browser ([`Policy::may_fetch`]);
//! - the password is typed only into a page of the authorization endpoint's
//!   origin or `login_origins`, and any request carrying it (a form, a
//!   script's `fetch`, in the body or the URL) goes only there, and never in
//!   a URL ([`Policy::may_submit`]): a script that posts it elsewhere stops
//!   the login;
//! - cookies stay with the origin that set them;
//! - the redirect URI is never loaded: the navigation to it is stopped and
//!   read;
//! - a budget of pages ([`MAX_HOPS`]) and requests, and the run's timeout,
//!   bound the login; the browser gets a fresh profile directory, removed
//!   after, and a proxy that goes nowhere for anything not fulfilled here.
//!
//! Each rendered page is read by the same reader and recognised by the same
//! rules and profile settings as the HTML driver's ([`super::read`],
//! [`super::recognise`], [`super::flow::Flow::choose`]): `snapshot.js`
//! serialises the rendered DOM with its forms and controls numbered, and
//! `act.js` types, chooses and presses on the elements so numbered. A forged
//! approval is sent by the HTML driver from the consent page on, with the
//! cookies the browser's requests gathered.

pub mod cdp;
pub mod chromium;

use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};

use super::flow::{Flow, password_answer_to};
use super::origin::Policy;
use super::page::Page;
use super::recognise::{self, Action, Asks};
use super::{Decision, Journey, Login, LoginError, MAX_HOPS, PageSeen, Trip};
use crate::client::recording::HttpRequest;
use crate::client::transport::{HttpAnswer, TransportError};
use crate::redact::redact;
use chromium::Browser;
pub use chromium::Chromium;

const SNAPSHOT_JS: &str = include_str!("snapshot.js");
const ACT_JS: &str = include_str!("act.js");
/// What `act.js` says when the numbered elements are gone.
const CHANGED: &str = "the page changed under the driver";

/// Requests (pages, scripts, styles, API calls) a login may make.
const MAX_REQUESTS: usize = 256;
/// How often the rendered page is read while nothing else happens.
const POLL: Duration = Duration::from_millis(100);
/// Readings of an unchanged page before the driver gives up on it (a page
/// with nothing to act on, or one that did not move after the driver
/// acted): 3 s.
const SETTLE_POLLS: u32 = 30;

/// Logins in the browser at once in this process: scenarios run
/// concurrently, and a machine with two cores renders four pages well and
/// twenty badly.
const MAX_LOGINS: usize = 4;
static LOGINS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_LOGINS);

/// A page of its own for one login: a fresh browser context (cookies,
/// storage, cache) in the shared browser, disposed after.
struct Tab {
    browser: std::sync::Arc<Browser>,
    session: String,
    context: String,
    events: tokio::sync::mpsc::UnboundedReceiver<Value>,
}

impl Tab {
    async fn open(browser: std::sync::Arc<Browser>) -> Result<Self, String> {
        let conn = &browser.conn;
        let context = conn
            .call(
                None,
                "Target.createBrowserContext",
                json!({"disposeOnDetach": true}),
            )
            .await?["browserContextId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let target = conn
            .call(
                None,
                "Target.createTarget",
                json!({"url": "about:blank", "browserContextId": context, "newWindow": true}),
            )
            .await?;
        let attached = conn
            .call(
                None,
                "Target.attachToTarget",
                json!({"targetId": target["targetId"], "flatten": true}),
            )
            .await?;
        let session = attached["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let events = conn.listen(&session);
        Ok(Self {
            browser,
            session,
            context,
            events,
        })
    }
}

impl Drop for Tab {
    fn drop(&mut self) {
        let conn = &self.browser.conn;
        conn.forget(&self.session);
        conn.send(
            None,
            "Target.disposeBrowserContext",
            json!({"browserContextId": self.context}),
        );
    }
}

/// Drives the login in headless Chromium (`chromium`: the one found, or
/// why none was), within the run's timeout (counted once the login's turn
/// has come: at most [`MAX_LOGINS`] at once).
pub async fn authorize(login: &Login<'_>, chromium: Result<Chromium, String>) -> Trip {
    let mut journey = Journey::default();
    let _turn = LOGINS.acquire().await;
    let shown = redact(login.authorize_url.as_str());
    let cannot = |why: String| LoginError::CannotDrive {
        url: shown.clone(),
        status: 0,
        why,
        seen: String::new(),
    };
    let limit = login.transport.limits().timeout;
    let browser = chromium.and_then(|c| Browser::shared(&c));
    let tab = match browser {
        Ok(b) => match tokio::time::timeout(limit, Tab::open(b)).await {
            Ok(Ok(tab)) => Ok(tab),
            Ok(Err(why)) => Err(format!("headless Chromium failed: {why}")),
            Err(_) => Err(format!(
                "headless Chromium did not open a page within {limit:?}"
            )),
        },
        Err(why) => Err(format!("the login pages need a browser: {why}")),
    };
    let tab = match tab {
        Ok(tab) => tab,
        Err(why) => {
            return Trip {
                redirect: Err(cannot(why)),
                journey,
            };
        }
    };
    let mut driver = Driver {
        tab,
        flow: login.flow(),
        login,
        documents: 0,
        requests: 0,
        loading: true,
        acted_on: None,
        unchanged: 0,
        waited: 0,
        last_url: login.authorize_url.to_string(),
        arrived: None,
    };
    let redirect = match tokio::time::timeout(limit, Box::pin(driver.run(&mut journey))).await {
        Ok(result) => result,
        Err(_) => Err(LoginError::Timeout {
            limit,
            url: redact(&driver.last_url),
        }),
    };
    Trip { redirect, journey }
}

struct Driver<'a> {
    tab: Tab,
    /// The HTML driver's state: the policy, the jar, the decisions.
    flow: Flow<'a>,
    login: &'a Login<'a>,
    documents: usize,
    requests: usize,
    /// A document is on its way: the page is read when it has loaded.
    loading: bool,
    /// The page as it was when the driver last acted on it (the document's
    /// number and its HTML): not acted on twice.
    acted_on: Option<(usize, String)>,
    /// Readings of a page that did not change after the driver acted.
    unchanged: u32,
    /// Readings of a page with nothing to act on (yet), or one that moves on
    /// by itself.
    waited: u32,
    last_url: String,
    /// The redirect URI, reached while the driver waited for an answer.
    arrived: Option<String>,
}

/// What a paused request came to.
enum Paused {
    Served,
    Arrived(String),
}

impl Driver<'_> {
    fn policy(&self) -> &Policy {
        &self.flow.policy
    }

    /// Sends a command to the page and waits for its answer, going on
    /// serving the page's requests meanwhile (a click may wait for one);
    /// an arrival at the redirect URI meanwhile is kept in `arrived`.
    async fn call(
        &mut self,
        method: &str,
        params: Value,
        journey: &mut Journey,
    ) -> Result<Value, LoginError> {
        let browser = std::sync::Arc::clone(&self.tab.browser);
        let session = self.tab.session.clone();
        let answer = browser.conn.call(Some(&session), method, params);
        tokio::pin!(answer);
        loop {
            tokio::select! {
                result = &mut answer => return result.map_err(|e| self.broken(e)),
                event = self.tab.events.recv() => {
                    let Some(event) = event else {
                        return Err(self.broken("the browser exited".into()));
                    };
                    if let Some(arrived) = self.event(&event, journey).await? {
                        self.arrived.get_or_insert(arrived);
                    }
                }
            }
        }
    }

    fn send(&self, method: &str, params: Value) {
        let tab = &self.tab;
        tab.browser.conn.send(Some(&tab.session), method, params);
    }

    fn broken(&self, why: String) -> LoginError {
        LoginError::CannotDrive {
            url: redact(&self.last_url),
            status: 0,
            why: format!("headless Chromium failed: {why}"),
            seen: String::new(),
        }
    }

    async fn run(&mut self, journey: &mut Journey) -> Result<String, LoginError> {
        self.call("Page.enable", json!({}), journey).await?;
        self.call(
            "Emulation.setFocusEmulationEnabled",
            json!({"enabled": true}),
            journey,
        )
        .await?;
        self.call(
            "Fetch.enable",
            json!({"patterns": [{"urlPattern": "*", "requestStage": "Request"}]}),
            journey,
        )
        .await?;
        let start = self.login.authorize_url.to_string();
        self.send("Page.navigate", json!({"url": start}));
        loop {
            match tokio::time::timeout(POLL, self.tab.events.recv()).await {
                Ok(Some(event)) => {
                    if let Some(arrived) = self.event(&event, journey).await? {
                        return Ok(arrived);
                    }
                }
                Ok(None) => return Err(self.broken("the browser exited".into())),
                Err(_) if self.loading => {}
                Err(_) => {
                    if let Some(arrived) = self.look(journey).await? {
                        return Ok(arrived);
                    }
                }
            }
            if let Some(arrived) = self.arrived.take() {
                return Ok(arrived);
            }
        }
    }

    async fn event(
        &mut self,
        event: &Value,
        journey: &mut Journey,
    ) -> Result<Option<String>, LoginError> {
        let params = &event["params"];
        match event["method"].as_str().unwrap_or_default() {
            "Fetch.requestPaused" => {
                let id = params["requestId"].as_str().unwrap_or_default().to_owned();
                match self.paused(params, journey).await {
                    Ok(Paused::Served) => Ok(None),
                    Ok(Paused::Arrived(location)) => {
                        self.fail(&id);
                        Ok(Some(location))
                    }
                    Err(e) => {
                        self.fail(&id);
                        Err(e)
                    }
                }
            }
            "Page.loadEventFired" => {
                self.loading = false;
                Ok(None)
            }
            "Page.javascriptDialogOpening" => {
                self.send("Page.handleJavaScriptDialog", json!({"accept": true}));
                Ok(None)
            }
            "Inspector.detached" | "Target.detachedFromTarget" => {
                Err(self.broken("the page was closed".into()))
            }
            _ => Ok(None),
        }
    }

    fn fail(&mut self, id: &str) {
        self.send(
            "Fetch.failRequest",
            json!({"requestId": id, "errorReason": "BlockedByClient"}),
        );
    }

    /// A request the page is about to make: refused, stopped at the
    /// redirect URI, or sent by the suite and its answer handed back.
    async fn paused(&mut self, p: &Value, journey: &mut Journey) -> Result<Paused, LoginError> {
        let id = p["requestId"].as_str().unwrap_or_default().to_owned();
        let request = &p["request"];
        let document = p["resourceType"] == "Document";
        let text = format!(
            "{}{}",
            request["url"].as_str().unwrap_or_default(),
            request["urlFragment"].as_str().unwrap_or_default()
        );
        let Ok(url) = url::Url::parse(&text) else {
            self.fail(&id);
            return Ok(Paused::Served);
        };
        if matches!(url.scheme(), "data" | "blob" | "about") {
            self.send("Fetch.continueRequest", json!({"requestId": id}));
            return Ok(Paused::Served);
        }
        if self.policy().arrived(&url) {
            journey.steps.push(redact(&format!(
                "browser: {} -> the redirect URI",
                without_query(&url)
            )));
            return Ok(Paused::Arrived(url.to_string()));
        }
        let method = request["method"].as_str().unwrap_or("GET").to_owned();
        let body = post_data(request);
        let carries_password = self.carries_password(url.as_str(), body.as_deref());
        if let Err(e) = self.policy().may_fetch(&url) {
            if document || carries_password {
                return Err(e);
            }
            journey.steps.push(format!("browser: refused {e}"));
            self.fail(&id);
            return Ok(Paused::Served);
        }
        if carries_password {
            self.policy().may_submit(&url, true)?;
            if self.carries_password(url.as_str(), None) {
                return Err(LoginError::Refused {
                    url: redact(without_query(&url).as_str()),
                    why: "the page would send the password in the URL".into(),
                });
            }
        }
        if document && method == "POST" {
            self.policy().may_submit(&url, carries_password)?;
        }
        self.requests += 1;
        if document {
            self.documents += 1;
            self.loading = true;
            self.last_url = url.to_string();
        }
        if self.documents > MAX_HOPS || self.requests > MAX_REQUESTS {
            return Err(LoginError::CannotDrive {
                url: redact(url.as_str()),
                status: 0,
                why: format!(
                    "more than {MAX_HOPS} pages or {MAX_REQUESTS} requests in the browser without reaching the redirect URI"
                ),
                seen: journey.steps.join("; "),
            });
        }
        let sent = self.request(request, &method, &url, body);
        let described = redact(&format!("browser: {method} {}", without_query(&url)));
        let answer = match self.login.transport.send(&sent).await {
            Ok(answer) => answer,
            Err(e) if document || carries_password => return Err(transport_error(&url, e)),
            Err(e) => {
                journey
                    .steps
                    .push(format!("{described} -> {}", redact(&e.to_string())));
                self.fail(&id);
                return Ok(Paused::Served);
            }
        };
        self.flow.jar.remember(&answer);
        if carries_password {
            journey.password_sent = true;
            journey
                .password_answers
                .push(password_answer_to(&url, &answer));
        }
        let redirect = (300..400).contains(&answer.status) && answer.header("location").is_some();
        if document || carries_password {
            journey
                .steps
                .push(format!("{described} -> {}", answer.status));
        }
        if document && !redirect {
            let html = String::from_utf8_lossy(&answer.body);
            journey.pages.push(PageSeen::of(&method, &answer, &html));
        }
        if answer.status >= 400 && (document || carries_password) {
            if carries_password && answer.status < 500 {
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
        self.fulfil(&id, &answer);
        Ok(Paused::Served)
    }

    /// The suite's request for the page's: the page's headers, but the
    /// cookies of the request's own origin from the jar.
    fn request(
        &self,
        request: &Value,
        method: &str,
        url: &url::Url,
        body: Option<Vec<u8>>,
    ) -> HttpRequest {
        let mut headers: Vec<(String, String)> = request["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .filter_map(|(name, value)| {
                Some((name.to_ascii_lowercase(), value.as_str()?.to_owned()))
            })
            .filter(|(name, _)| {
                !matches!(
                    name.as_str(),
                    "cookie" | "host" | "content-length" | "connection" | "accept-encoding"
                )
            })
            .collect();
        if let Some(cookies) = self.flow.jar.header_for(url, false) {
            headers.push(("cookie".into(), cookies));
        }
        HttpRequest {
            method: method.to_owned(),
            url: url.clone(),
            headers,
            body,
        }
    }

    fn fulfil(&mut self, id: &str, answer: &HttpAnswer) {
        let headers: Vec<Value> = answer
            .headers
            .iter()
            .filter(|(name, _)| {
                !matches!(
                    name.to_ascii_lowercase().as_str(),
                    "content-length" | "content-encoding" | "transfer-encoding" | "connection"
                )
            })
            .map(|(name, value)| json!({"name": name, "value": value}))
            .collect();
        let body = base64::engine::general_purpose::STANDARD.encode(&answer.body);
        self.send(
            "Fetch.fulfillRequest",
            json!({"requestId": id, "responseCode": answer.status, "responseHeaders": headers, "body": body}),
        );
    }

    fn carries_password(&self, url: &str, body: Option<&[u8]>) -> bool {
        carries(self.login.user.password.expose(), url, body)
    }

    /// Reads the rendered page and acts on it when it asks for something.
    async fn look(&mut self, journey: &mut Journey) -> Result<Option<String>, LoginError> {
        let documents = self.documents;
        let snapshot = self
            .call(
                "Runtime.evaluate",
                json!({"expression": SNAPSHOT_JS, "returnByValue": true}),
                journey,
            )
            .await?;
        // A document came (or is coming) while the page was read: the
        // reading is of the one before.
        if self.arrived.is_some() || self.loading || self.documents != documents {
            return Ok(None);
        }
        let value = &snapshot["result"]["value"];
        let (Some(html), Some(at)) = (value["html"].as_str(), value["url"].as_str()) else {
            return Ok(None);
        };
        let Ok(at) = url::Url::parse(at) else {
            return Ok(None);
        };
        if at.scheme() == "about" || value["ready"] != "complete" {
            return Ok(None);
        }
        let key = (self.documents, html.to_owned());
        if self.acted_on.as_ref() == Some(&key) {
            self.unchanged += 1;
            if self.unchanged > SETTLE_POLLS {
                return Err(self.stuck(
                    &at,
                    "the page did not change after the driver acted on it".into(),
                    &super::read::read(&at, html),
                ));
            }
            return Ok(None);
        }
        let page = super::read::read(&at, html);
        let asks = recognise::read(&page, self.login.settings, self.flow.identified);
        let step = |what: &str| redact(&format!("browser: page {} -> {what}", without_query(&at)));
        let ops = match asks {
            Asks::Unknown(why) => {
                self.waited += 1;
                if self.waited > SETTLE_POLLS {
                    journey.steps.push(step("page not understood"));
                    return Err(self.stuck(&at, why, &page));
                }
                return Ok(None);
            }
            Asks::Continue(action) => {
                // It moves on by itself; pressed only if it does not.
                self.waited += 1;
                if self.waited <= SETTLE_POLLS / 3 {
                    return Ok(None);
                }
                journey.steps.push(step("page that moves on by itself"));
                self.press(&page, &action, Vec::new(), &at)?
            }
            Asks::LogIn {
                form,
                username,
                password,
                submit,
            } => {
                journey.arrive_at_login(step("login page"), &at, 200)?;
                // The password is typed only where it may be sent.
                self.policy().may_submit(&at, true)?;
                let controls = &page.forms[form].controls;
                let mut set = Vec::new();
                if let Some(u) = username {
                    set.push(typed(&controls[u], &self.login.user.username));
                }
                set.push(typed(
                    &controls[password],
                    self.login.user.password.expose(),
                ));
                let action = Action::Press { form, submit };
                self.press(&page, &action, set, &at)?
            }
            Asks::Identify {
                form,
                username,
                submit,
            } => {
                journey.steps.push(step("user name page"));
                journey.login_page = true;
                self.flow.identified = true;
                let set = vec![typed(
                    &page.forms[form].controls[username],
                    &self.login.user.username,
                )];
                self.press(&page, &Action::Press { form, submit }, set, &at)?
            }
            Asks::Decision(_) if journey.forged.is_some() => {
                return Err(LoginError::ConsentAgain {
                    url: redact(at.as_str()),
                });
            }
            Asks::Decision(choices) => {
                journey.steps.push(step("decision page"));
                let described = redact(&page.describe());
                let cannot = |why: String| LoginError::CannotDrive {
                    url: redact(at.as_str()),
                    status: 200,
                    why,
                    seen: described.clone(),
                };
                if let Decision::ForgeApproval(_) = self.login.decision {
                    return Box::pin(self.flow.forge_from(&page, choices, &at, journey, cannot))
                        .await
                        .map(Some);
                }
                let (chosen, action) = self.flow.choose(&page, choices, &at, journey, cannot)?;
                let set = match &action {
                    Action::Press { form, .. } => states(&chosen, *form, self.login.settings),
                    Action::Follow(_) => Vec::new(),
                };
                self.press(&chosen, &action, set, &at)?
            }
        };
        let done = self
            .call(
                "Runtime.evaluate",
                json!({"expression": format!("({ACT_JS})({ops})"), "returnByValue": true}),
                journey,
            )
            .await?;
        let said = done["result"]["value"].as_str().unwrap_or("no answer");
        if said == CHANGED || self.documents != documents {
            // Another document in the meantime: read it first.
            return Ok(None);
        }
        if said != "ok" {
            return Err(self.stuck(&at, format!("acting on the page failed: {said}"), &page));
        }
        self.acted_on = Some(key);
        self.unchanged = 0;
        self.waited = 0;
        Ok(None)
    }

    /// The operations that press `action`'s control after `set`.
    fn press(
        &self,
        page: &Page,
        action: &Action,
        set: Vec<Value>,
        at: &url::Url,
    ) -> Result<Value, LoginError> {
        match action {
            Action::Follow(url) => {
                self.policy().may_submit(url, false)?;
                Ok(json!({"set": set, "follow": url.as_str()}))
            }
            Action::Press { form, submit } => {
                let form = &page.forms[*form];
                let pressed = submit
                    .and_then(|s| form.controls.get(s))
                    .and_then(|c| number(c.id.as_deref()));
                match (pressed, number(form.id.as_deref())) {
                    (Some(i), _) => Ok(json!({"set": set, "click": i})),
                    (None, Some(f)) => Ok(json!({"set": set, "submit": f})),
                    (None, None) => Err(self.stuck(
                        at,
                        "the controls are in no form and none of them is a button to press".into(),
                        page,
                    )),
                }
            }
        }
    }

    fn stuck(&self, at: &url::Url, why: String, page: &Page) -> LoginError {
        LoginError::CannotDrive {
            url: redact(at.as_str()),
            status: 200,
            why: format!("{why} (in headless Chromium)"),
            seen: redact(&page.describe()),
        }
    }
}

/// Whether `url` or `body` holds `password`, as typed or as a form, a URL
/// or JSON would encode it.
fn carries(password: &str, url: &str, body: Option<&[u8]>) -> bool {
    if password.is_empty() {
        return false;
    }
    let form: String = form_urlencoded::byte_serialize(password.as_bytes()).collect();
    let percent = form.replace('+', "%20");
    let json = serde_json::to_string(password).unwrap_or_default();
    let json = json.trim_matches('"').to_owned();
    let body = body.map(String::from_utf8_lossy).unwrap_or_default();
    [password.to_owned(), form, percent, json]
        .iter()
        .any(|p| url.contains(p.as_str()) || body.contains(p.as_str()))
}

/// The element number `snapshot.js` gave a form or control (`__oc<N>`).
fn number(id: Option<&str>) -> Option<usize> {
    id?.strip_prefix("__oc")?.parse().ok()
}

fn typed(control: &super::page::Control, value: &str) -> Value {
    json!({"i": number(control.id.as_deref()), "value": value})
}

/// The account choice of form `form` as the driver left it: every radio
/// button and checkbox checked or not, every select's option, a typed
/// account.
fn states(page: &Page, form: usize, settings: &crate::profile::LoginSettings) -> Vec<Value> {
    use super::page::Kind;
    let Some(form) = page.forms.get(form) else {
        return Vec::new();
    };
    form.controls
        .iter()
        .filter(|c| c.name == settings.account_field)
        .filter_map(|c| {
            let i = number(c.id.as_deref())?;
            match c.kind {
                Kind::Radio | Kind::Checkbox => Some(json!({"i": i, "checked": c.checked})),
                Kind::Select => {
                    let chosen = c.options.iter().find(|o| o.selected)?;
                    Some(json!({"i": i, "value": chosen.value}))
                }
                Kind::Text => Some(json!({"i": i, "value": c.value})),
                _ => None,
            }
        })
        .collect()
}

/// The body of a paused request: its `postData`, or its entries.
fn post_data(request: &Value) -> Option<Vec<u8>> {
    if let Some(data) = request["postData"].as_str() {
        return Some(data.as_bytes().to_vec());
    }
    let entries = request["postDataEntries"].as_array()?;
    let mut body = Vec::new();
    for entry in entries {
        if let Some(bytes) = entry["bytes"].as_str() {
            body.extend(
                base64::engine::general_purpose::STANDARD
                    .decode(bytes)
                    .unwrap_or_default(),
            );
        }
    }
    Some(body)
}

fn without_query(url: &url::Url) -> url::Url {
    let mut url = url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url
}

fn transport_error(url: &url::Url, e: TransportError) -> LoginError {
    match e {
        TransportError::TooLarge { limit, .. } => LoginError::CannotDrive {
            url: redact(url.as_str()),
            status: 0,
            why: format!("the page is larger than the {limit}-byte cap"),
            seen: e.to_string(),
        },
        e => LoginError::Transport(redact(&e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_found_in_every_spelling_a_page_may_send() {
        let pw = "p a\"ss&wörd";
        let form: String = form_urlencoded::byte_serialize(pw.as_bytes()).collect();
        assert!(carries(pw, "https://x/?q=1", Some(pw.as_bytes())));
        assert!(carries(pw, &format!("https://x/?p={form}"), None));
        assert!(carries(
            pw,
            "https://x/",
            Some(form.replace('+', "%20").as_bytes())
        ));
        assert!(carries(
            pw,
            "https://x/",
            Some(r#"{"password":"p a\"ss&wörd"}"#.as_bytes())
        ));
        assert!(!carries(pw, "https://x/", Some(b"username=alice")));
        assert!(!carries("", "https://x/", Some(b"anything")));
    }

    #[test]
    fn a_paused_requests_body_is_its_post_data_or_its_entries() {
        assert_eq!(
            post_data(&json!({"postData": "a=1"})).as_deref(),
            Some(&b"a=1"[..])
        );
        let entries = json!({"postDataEntries": [{"bytes": "YT0x"}, {"bytes": "JmI9Mg=="}]});
        assert_eq!(post_data(&entries).as_deref(), Some(&b"a=1&b=2"[..]));
        assert_eq!(post_data(&json!({"method": "GET"})), None);
    }

    #[test]
    fn the_numbers_snapshot_js_gives_are_read_back() {
        assert_eq!(number(Some("__oc12")), Some(12));
        assert_eq!(number(Some("__ocloose")), None);
        assert_eq!(number(Some("login")), None);
        assert_eq!(number(None), None);
    }

    #[test]
    fn chromium_is_the_profiles_then_the_variables_then_on_path() {
        use crate::profile::LoginSettings;
        let missing = LoginSettings {
            chromium: Some("/nonexistent/chromium".into()),
            ..LoginSettings::default()
        };
        let err = Chromium::find_with(&missing, |_| None).unwrap_err();
        assert!(
            err.contains(
                "no Chromium at /nonexistent/chromium (authorization_code.login.chromium)"
            ),
            "{err}"
        );
        assert!(err.contains("apt-get install chromium"), "{err}");
        let env = |name: &str| (name == chromium::CHROMIUM_VARIABLE).then(|| "/bin/sh".to_owned());
        let found = Chromium::find_with(&LoginSettings::default(), env).unwrap();
        assert_eq!(found.path, std::path::PathBuf::from("/bin/sh"));
        let err =
            Chromium::find_with(&LoginSettings::default(), |_| Some(String::new())).unwrap_err();
        assert!(err.contains("none of chromium, chromium-browser"), "{err}");
        assert!(err.contains("apt-get install chromium"), "{err}");
    }
}
