//! A small OAuth 2.0 client application for the 401GO API (seeds 000 and
//! 001), the kind `oauth-conformance serve` is for: it caches its client
//! credentials token and renews it (before expiry, and once after a 401
//! `invalid_token`), runs the authorization code flow with `state` and PKCE
//! S256, refreshes the user's token, and calls the API.
//!
//! It reads only the `OAUTH_CONFORMANCE_*` variables `serve` gives the
//! command it runs, so it is tested like this (README, "Test your own
//! client: `serve`"):
//!
//! ```sh
//! cargo build --example client_app
//! oauth-conformance serve --profile 401go -- target/debug/examples/client_app
//! oauth-conformance serve --profile 401go -- target/debug/examples/client_app --broken
//! ```
//!
//! `--broken` (or `CLIENT_APP_MODE=broken`) makes it break four rules on
//! purpose, each of which `serve` fails with its exchange: the client
//! secret in the token request's query (RFC 6749 §2.3.1), an authorization
//! request without `state` (§10.12), a new token for every API call (seed
//! 002) and the token sent on to another origin after a redirect (RFC 6750
//! §5.3). `tests/integration/cli_serve.rs` runs both
//! modes.
//!
//! The application uses reqwest and nothing of this crate. The user's part
//! of the code flow (the login and consent pages a browser would show) is
//! played by [`Browser`]; the demo's uses of the control API (a slow token
//! endpoint, a refused token) are in [`conforming`].

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rand::RngCore as _;
use serde_json::Value;
use sha2::{Digest as _, Sha256};

type Error = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, Error>;

/// What the application is configured with: the variables `serve` sets.
#[derive(Clone)]
struct Config {
    target: url::Url,
    token_url: String,
    authorization_url: String,
    api_url: String,
    connection_success_url: Option<String>,
    control_url: Option<String>,
    client_id: String,
    client_secret: String,
    username: String,
    password: String,
    redirect_uri: String,
}

impl Config {
    fn from_env() -> Result<Self> {
        let var = |name: &str| {
            std::env::var(format!("OAUTH_CONFORMANCE_{name}"))
                .map_err(|_| format!("OAUTH_CONFORMANCE_{name} is not set (run me under `oauth-conformance serve --profile 401go -- …`)"))
        };
        let optional = |name: &str| std::env::var(format!("OAUTH_CONFORMANCE_{name}")).ok();
        Ok(Self {
            target: url::Url::parse(&var("TARGET")?)?,
            token_url: var("TOKEN_URL")?,
            authorization_url: var("AUTHORIZATION_URL")?,
            api_url: var("API_URL")?,
            connection_success_url: optional("CONNECTION_SUCCESS_URL"),
            control_url: optional("CONTROL_URL"),
            client_id: var("CLIENT_ID")?,
            client_secret: var("CLIENT_SECRET")?,
            username: var("USERNAME")?,
            password: var("PASSWORD")?,
            redirect_uri: var("REDIRECT_URI")?,
        })
    }

    /// `Authorization: Basic` of the form-encoded id and secret (RFC 6749
    /// §2.3.1), as the 401GO guide asks for client credentials.
    fn basic(&self) -> String {
        let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let pair = format!("{}:{}", enc(&self.client_id), enc(&self.client_secret));
        format!("Basic {}", STANDARD.encode(pair))
    }
}

/// The HTTP client: no redirects followed (the application decides), no
/// proxy.
fn http() -> Result<reqwest::Client> {
    // This crate builds reqwest without a default TLS crypto provider.
    let _ = rustls::crypto::ring::default_provider().install_default();
    Ok(reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()?)
}

/// A token answer, read.
struct Tokens {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<u64>,
}

async fn token_answer(response: reqwest::Response) -> Result<Tokens> {
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if !status.is_success() {
        return Err(format!(
            "the token endpoint answered {status}: {}",
            body["error"].as_str().unwrap_or("(no error code)")
        )
        .into());
    }
    Ok(Tokens {
        access_token: body["access_token"]
            .as_str()
            .ok_or("the token answer has no access_token")?
            .to_owned(),
        refresh_token: body["refresh_token"].as_str().map(str::to_owned),
        expires_in: body["expires_in"].as_u64(),
    })
}

/// The client credentials token, cached: one token request serves every
/// call until the token is near its expiry (renewed when a fifth of its
/// lifetime is left) or refused; one renewal at a time (the lock is held
/// while asking).
struct TokenCache {
    config: Config,
    http: reqwest::Client,
    scope: String,
    cached: tokio::sync::Mutex<Option<(String, Instant)>>,
}

impl TokenCache {
    fn new(config: Config, http: reqwest::Client, scope: &str) -> Self {
        Self {
            config,
            http,
            scope: scope.to_owned(),
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// The cached token, or a new one when there is none or it is near its
    /// expiry.
    async fn token(&self) -> Result<String> {
        let mut cached = self.cached.lock().await;
        if let Some((token, renew_at)) = cached.as_ref()
            && Instant::now() < *renew_at
        {
            return Ok(token.clone());
        }
        let tokens = token_answer(
            self.http
                .post(&self.config.token_url)
                .header("authorization", self.config.basic())
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("scope", self.scope.as_str()),
                ])
                .send()
                .await?,
        )
        .await?;
        let lifetime = tokens.expires_in.unwrap_or(3600);
        let renew_at = Instant::now() + Duration::from_secs(lifetime - lifetime / 5);
        *cached = Some((tokens.access_token.clone(), renew_at));
        Ok(tokens.access_token)
    }

    /// Forgets `token` (the API refused it), unless a newer one is cached.
    async fn forget(&self, token: &str) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|(t, _)| t == token) {
            *cached = None;
        }
    }

    /// A GET of the API with the cached token; after a 401 `invalid_token`
    /// the token is renewed and the call made once more.
    async fn get(&self, url: &str) -> Result<reqwest::StatusCode> {
        let token = self.token().await?;
        let status = bearer_get(&self.http, url, &token).await?;
        if status.is_refused() {
            self.forget(&token).await;
            let token = self.token().await?;
            return Ok(bearer_get(&self.http, url, &token).await?.status);
        }
        Ok(status.status)
    }
}

/// An API answer: its status and whether it refused the token.
struct ApiStatus {
    status: reqwest::StatusCode,
    invalid_token: bool,
}

impl ApiStatus {
    fn is_refused(&self) -> bool {
        self.status == reqwest::StatusCode::UNAUTHORIZED && self.invalid_token
    }
}

async fn bearer_get(http: &reqwest::Client, url: &str, token: &str) -> Result<ApiStatus> {
    let response = http.get(url).bearer_auth(token).send().await?;
    Ok(ApiStatus {
        status: response.status(),
        invalid_token: response
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("invalid_token")),
    })
}

/// 32 random bytes, BASE64URL without padding (43 characters): a `state`
/// or a PKCE `code_verifier` (RFC 7636 §4.1).
fn random_43() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An authorization request the application sent, waiting for its redirect.
struct Pending {
    url: String,
    state: Option<String>,
    verifier: String,
}

/// The user's signed-in session: the tokens of one authorization.
struct UserSession {
    access_token: String,
    refresh_token: Option<String>,
}

/// The authorization code flow for a user, and the calls made for them.
struct UserFlow {
    config: Config,
    http: reqwest::Client,
}

impl UserFlow {
    /// The authorization request: a fresh `state` and PKCE S256 (RFC 7636
    /// §4.2) each time; `with_state: false` is the broken client's.
    fn authorization_request(&self, with_state: bool) -> Result<Pending> {
        let state = with_state.then(random_43);
        let verifier = random_43();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = url::Url::parse(&self.config.authorization_url)?;
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("response_type", "code")
                .append_pair("client_id", &self.config.client_id)
                .append_pair("redirect_uri", &self.config.redirect_uri);
            if let Some(state) = &state {
                query.append_pair("state", state);
            }
            query
                .append_pair("code_challenge", &challenge)
                .append_pair("code_challenge_method", "S256");
        }
        Ok(Pending {
            url: url.to_string(),
            state,
            verifier,
        })
    }

    /// The redirect back to the application: its `state` must be the one
    /// sent (RFC 6749 §10.12), else the redirect is refused; then the code
    /// is exchanged (client_secret_post, as the 401GO guide's code flow
    /// says) with the PKCE verifier.
    async fn callback(&self, pending: Pending, redirect: &str) -> Result<UserSession> {
        let redirect = url::Url::parse(redirect)?;
        let param = |name: &str| {
            redirect
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        if let Some(error) = param("error") {
            return Err(format!("the authorization was refused: {error}").into());
        }
        if param("state") != pending.state {
            return Err("the redirect's state is not the one sent: refusing it".into());
        }
        let code = param("code").ok_or("the redirect has no code")?;
        let tokens = token_answer(
            self.http
                .post(&self.config.token_url)
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", code.as_str()),
                    ("redirect_uri", self.config.redirect_uri.as_str()),
                    ("code_verifier", pending.verifier.as_str()),
                    ("client_id", self.config.client_id.as_str()),
                    ("client_secret", self.config.client_secret.as_str()),
                ])
                .send()
                .await?,
        )
        .await?;
        Ok(UserSession {
            access_token: tokens.access_token,
            refresh_token: tokens.refresh_token,
        })
    }

    /// A refresh: the refresh token held, replaced when the answer brings a
    /// new one (rotation).
    async fn refresh(&self, session: &mut UserSession) -> Result<()> {
        let held = session
            .refresh_token
            .clone()
            .ok_or("no refresh token was issued")?;
        let tokens = token_answer(
            self.http
                .post(&self.config.token_url)
                .form(&[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", held.as_str()),
                    ("client_id", self.config.client_id.as_str()),
                    ("client_secret", self.config.client_secret.as_str()),
                ])
                .send()
                .await?,
        )
        .await?;
        session.access_token = tokens.access_token;
        session.refresh_token = tokens.refresh_token.or(Some(held));
        Ok(())
    }

    /// A GET of the API for the user; after a 401 `invalid_token` one
    /// refresh and one more try.
    async fn get(&self, session: &mut UserSession, url: &str) -> Result<reqwest::StatusCode> {
        let first = bearer_get(&self.http, url, &session.access_token).await?;
        if !first.is_refused() {
            return Ok(first.status);
        }
        self.refresh(session).await?;
        Ok(bearer_get(&self.http, url, &session.access_token)
            .await?
            .status)
    }

    /// Seed 001's connection-success call: the user's token, `client_id`
    /// as form data.
    async fn connection_success(&self, session: &UserSession) -> Result<reqwest::StatusCode> {
        let Some(url) = &self.config.connection_success_url else {
            return Ok(reqwest::StatusCode::NO_CONTENT);
        };
        Ok(self
            .http
            .post(url)
            .bearer_auth(&session.access_token)
            .form(&[("client_id", self.config.client_id.as_str())])
            .send()
            .await?
            .status())
    }
}

/// The user in a browser: opens the authorization URL, signs in, picks the
/// first account and allows; returns where the provider redirects to.
/// Keeps the provider's cookies as a browser does.
struct Browser {
    http: reqwest::Client,
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn new(http: reqwest::Client) -> Self {
        Self {
            http,
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all("set-cookie") {
            let Some((name, value)) = value
                .to_str()
                .ok()
                .and_then(|v| v.split(';').next())
                .and_then(|pair| pair.split_once('='))
            else {
                continue;
            };
            self.cookies.retain(|(k, _)| k != name.trim());
            self.cookies
                .push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }

    /// One request; its answer's status, `Location` and page.
    async fn send(
        &mut self,
        request: reqwest::RequestBuilder,
    ) -> Result<(u16, Option<String>, String)> {
        let response = request
            .header("cookie", self.cookie_header())
            .send()
            .await?;
        self.keep_cookies(&response);
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok((status, location, response.text().await?))
    }

    /// Signs in as `username` and allows; the redirect to `redirect_uri`
    /// (the application's), not followed.
    async fn authorize(
        &mut self,
        authorization_url: &str,
        redirect_uri: &str,
        username: &str,
        password: &str,
    ) -> Result<String> {
        let bare = |u: &url::Url| {
            let mut u = u.clone();
            u.set_query(None);
            u.set_fragment(None);
            u
        };
        let callback = bare(&url::Url::parse(redirect_uri)?);
        let mut page_url = url::Url::parse(authorization_url)?;
        let (mut status, mut location, mut page) =
            self.send(self.http.get(page_url.as_str())).await?;
        let mut signed_in = false;
        for _ in 0..8 {
            if let Some(to) = location.take() {
                let next = page_url.join(&to)?;
                if bare(&next) == callback {
                    return Ok(next.to_string());
                }
                page_url = next;
                (status, location, page) = self.send(self.http.get(page_url.as_str())).await?;
                continue;
            }
            if status != 200 {
                return Err(format!("the provider answered {status} at {page_url}: {page}").into());
            }
            let form = Form::of(&page).ok_or_else(|| format!("no form at {page_url}"))?;
            let mut fields = form.fields;
            if form.has_password {
                if signed_in {
                    return Err("the sign-in was refused".into());
                }
                signed_in = true;
                fields.retain(|(k, _)| k != "username" && k != "password");
                fields.push(("username".into(), username.into()));
                fields.push(("password".into(), password.into()));
            }
            page_url = page_url.join(&form.action)?;
            (status, location, page) = self
                .send(self.http.post(page_url.as_str()).form(&fields))
                .await?;
        }
        Err("more than 8 pages before the redirect".into())
    }
}

/// The first form of a page, as a browser would submit it: its hidden and
/// text inputs, the first option of each select, the first checked radio
/// (else the first) of each group, and the first named submit button.
struct Form {
    action: String,
    fields: Vec<(String, String)>,
    has_password: bool,
}

impl Form {
    fn of(page: &str) -> Option<Self> {
        let form_re = regex::Regex::new(r"(?s)<form\b([^>]*)>(.*?)</form>").ok()?;
        let caps = form_re.captures(page)?;
        let attr = |tag: &str, name: &str| {
            regex::Regex::new(&format!(r#"\b{name}\s*=\s*"([^"]*)""#))
                .ok()
                .and_then(|re| re.captures(tag).map(|c| unescape(&c[1])))
        };
        let action = attr(&caps[1], "action").unwrap_or_default();
        let body = &caps[2];
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut submitted = false;
        let mut has_password = false;
        let tag_re =
            regex::Regex::new(r"(?s)<select\b([^>]*)>(.*?)</select>|<input\b([^>]*)>").ok()?;
        let option = regex::Regex::new(r#"<option\b[^>]*value="([^"]*)""#).ok()?;
        for tag in tag_re.captures_iter(body) {
            if let (Some(attrs), Some(options)) = (tag.get(1), tag.get(2)) {
                let name = attr(attrs.as_str(), "name");
                let first = option.captures(options.as_str());
                if let (Some(name), Some(first)) = (name, first) {
                    fields.push((name, unescape(&first[1])));
                }
                continue;
            }
            let attrs = tag.get(3).map_or("", |m| m.as_str());
            let Some(name) = attr(attrs, "name") else {
                continue;
            };
            let kind = attr(attrs, "type").unwrap_or_else(|| "text".into());
            let value = attr(attrs, "value").unwrap_or_default();
            match kind.as_str() {
                "submit" if !submitted => {
                    submitted = true;
                    fields.push((name, value));
                }
                "submit" => {}
                "password" => {
                    has_password = true;
                    fields.push((name, value));
                }
                "radio" | "checkbox" => {
                    let checked = attrs.contains("checked");
                    let taken = fields.iter().any(|(k, _)| *k == name);
                    if kind == "radio" && !taken {
                        fields.push((name, value));
                    } else if kind == "radio" && checked {
                        fields.retain(|(k, _)| *k != name);
                        fields.push((name, value));
                    } else if kind == "checkbox" && checked {
                        fields.push((name, value));
                    }
                }
                _ => fields.push((name, value)),
            }
        }
        Some(Self {
            action,
            fields,
            has_password,
        })
    }
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The application doing its work as it should.
async fn conforming(config: Config) -> Result<()> {
    let http = http()?;
    // Client credentials: one token, cached, for three concurrent calls,
    // while the token endpoint is slow to answer (the demo switches that on
    // through serve's control API): one token request, not three.
    let service = TokenCache::new(config.clone(), http.clone(), "read write");
    control(
        &http,
        &config,
        r#"{"fault": "token_slow", "seconds": 1, "times": 1}"#,
    )
    .await?;
    let (a, b, c) = tokio::join!(
        service.get(&config.api_url),
        service.get(&config.api_url),
        service.get(&config.api_url)
    );
    for status in [a?, b?, c?] {
        expect_ok("the API", status)?;
    }
    println!("client credentials: one token for three concurrent calls");

    // The code flow, twice: a fresh state and verifier each time.
    let flow = UserFlow {
        config: config.clone(),
        http: http.clone(),
    };
    let mut session = None;
    for _ in 0..2 {
        let pending = flow.authorization_request(true)?;
        let mut browser = Browser::new(http.clone());
        let redirect = browser
            .authorize(
                &pending.url,
                &config.redirect_uri,
                &config.username,
                &config.password,
            )
            .await?;
        let user = flow.callback(pending, &redirect).await?;
        expect_ok("connection success", flow.connection_success(&user).await?)?;
        session = Some(user);
    }
    println!("code flow: two authorizations");

    // A refresh; then the API refuses the user's token once (the demo
    // switches that fault on through serve's control API): the application
    // refreshes and tries again, once.
    let mut session = session.ok_or("no session")?;
    flow.refresh(&mut session).await?;
    expect_ok("the API", flow.get(&mut session, &config.api_url).await?)?;
    control(&http, &config, REFUSE_NEXT_TOKEN).await?;
    expect_ok("the API", flow.get(&mut session, &config.api_url).await?)?;
    println!("refresh: renewed once after a refused token");

    // The same for the cached client credentials token.
    control(&http, &config, REFUSE_NEXT_TOKEN).await?;
    expect_ok("the API", service.get(&config.api_url).await?)?;
    println!("client credentials: renewed once after a refused token");
    Ok(())
}

/// The API refuses the next token it sees (401 `invalid_token`).
const REFUSE_NEXT_TOKEN: &str = r#"{"fault": "api_token_rejected", "times": 1}"#;

/// A fault on cue through `serve`'s control API (the demo's part, not the
/// application's); nothing without `OAUTH_CONFORMANCE_CONTROL_URL`.
async fn control(http: &reqwest::Client, config: &Config, fault: &str) -> Result<()> {
    let Some(control) = &config.control_url else {
        return Ok(());
    };
    let response = http
        .post(format!("{control}faults"))
        .body(fault.to_owned())
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(format!("the control API answered {}", response.status()).into());
    }
    Ok(())
}

fn expect_ok(what: &str, status: reqwest::StatusCode) -> Result<()> {
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("{what} answered {status}").into())
    }
}

/// The application breaking four rules on purpose.
async fn broken(config: Config) -> Result<()> {
    let http = http()?;
    // The secret in the token request's URL query (RFC 6749 §2.3.1: MUST NOT).
    let mut in_query = url::Url::parse(&config.token_url)?;
    in_query
        .query_pairs_mut()
        .append_pair("client_id", &config.client_id)
        .append_pair("client_secret", &config.client_secret);
    http.post(in_query.as_str())
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await?;
    // A new token for every call (seed 002: store and reuse it).
    let mut token = String::new();
    for _ in 0..3 {
        token = token_answer(
            http.post(&config.token_url)
                .header("authorization", config.basic())
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await?,
        )
        .await?
        .access_token;
        expect_ok(
            "the API",
            bearer_get(&http, &config.api_url, &token).await?.status,
        )?;
    }
    // The token follows a redirect to another origin (RFC 6750 §5.3): the
    // application follows it by hand, Authorization header and all.
    let moved = config.target.join("conformance/moved")?;
    let answer = http.get(moved.as_str()).bearer_auth(&token).send().await?;
    if let Some(location) = answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
    {
        let next = moved.join(location)?;
        http.get(next.as_str()).bearer_auth(&token).send().await?;
    }
    // An authorization request without state (RFC 6749 §10.12).
    let flow = UserFlow {
        config: config.clone(),
        http: http.clone(),
    };
    let pending = flow.authorization_request(false)?;
    http.get(&pending.url).send().await?;
    println!("done");
    Ok(())
}

#[tokio::main]
async fn main() {
    let broken_mode = std::env::args().any(|a| a == "--broken")
        || std::env::var("CLIENT_APP_MODE").is_ok_and(|m| m == "broken");
    let run = async {
        let config = Config::from_env()?;
        if broken_mode {
            broken(config).await
        } else {
            conforming(config).await
        }
    };
    if let Err(e) = run.await {
        eprintln!("client_app: {e}");
        std::process::exit(1);
    }
}
