//! Sending requests: bounded in time and in size, and honest about failure.
//!
//! A conformance run must survive the servers it is pointed at. Every request
//! has a total timeout and a connect timeout, every body is read against a size
//! cap, and every failure says which URL, what happened and what to do, with at
//! most a redacted preview of what the server sent.

use std::sync::Once;
use std::time::Duration;

use super::contacted::Contacted;
use super::recording::HttpRequest;
use super::wire_mark::WireMark;
use crate::redact::preview;

/// How much of a bad body an error message shows.
pub const PREVIEW_BYTES: usize = 200;

/// Limits every request obeys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// From connecting until the whole body has arrived.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Bodies larger than this are refused, not buffered.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(3),
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// A server's answer, fully read.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpAnswer {
    pub url: url::Url,
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpAnswer {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn headers_named(&self, name: &str) -> Vec<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("(none)")
    }

    /// "status 500, content type text/html, body: <html>…" (redacted).
    pub fn describe(&self) -> String {
        format!(
            "status {}, content type {}, body: {}",
            self.status,
            self.content_type(),
            if self.body.is_empty() {
                "(empty)".to_owned()
            } else {
                preview(&self.body, PREVIEW_BYTES)
            }
        )
    }
}

#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum TransportError {
    #[error("could not connect to {url}: {detail}. Is the server running and is the URL right?")]
    Unreachable { url: String, detail: String },
    #[error(
        "{url} did not answer within {limit:?}. The server is too slow or hangs; raise the timeout only if it is known to be slow"
    )]
    Timeout { url: String, limit: Duration },
    #[error(
        "{url} sent a body larger than the {limit}-byte cap (status {status}, content type {content_type}, first bytes: {preview})"
    )]
    TooLarge {
        url: String,
        status: u16,
        content_type: String,
        limit: usize,
        preview: String,
    },
    #[error(
        "TLS error talking to {url}: {detail}. Check the certificate and that the URL's scheme is right"
    )]
    Tls { url: String, detail: String },
    #[error("DNS error: the host of {url} could not be resolved: {detail}. Check the host name")]
    Dns { url: String, detail: String },
    #[error("request to {url} failed: {detail}")]
    Other { url: String, detail: String },
    #[error(
        "refused to send secrets or tokens to {url} over plain http: RFC 6749 §10.3 and RFC 6750 §5.3 allow them only over TLS. Use an https:// target, or set allow_plain_http = true in the profile for a test server on a trusted network"
    )]
    PlainHttp { url: String },
}

/// One shared HTTP client for a run: building a reqwest client costs tens of
/// milliseconds, so scenarios share it.
#[derive(Clone, Debug)]
pub struct Transport {
    http: reqwest::Client,
    limits: Limits,
    /// Where this transport (and every copy of it) sent requests.
    contacted: Contacted,
    /// The headers that tell `serve` a request is the suite's (only when
    /// the run was given `serve`'s key, see [`super::wire_mark`]).
    mark: Option<WireMark>,
}

static CRYPTO: Once = Once::new();

/// The TLS settings every verifying transport shares: reqwest's own (the
/// platform's verifier with the platform's roots, HTTP/1.1 by ALPN), built
/// once per process. Built per client, reading and parsing the system's
/// certificate bundle was a tenth of a whole self-test run.
fn verifying_tls() -> Result<rustls::ClientConfig, String> {
    static TLS: std::sync::OnceLock<Result<rustls::ClientConfig, String>> =
        std::sync::OnceLock::new();
    TLS.get_or_init(|| {
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
            .map_err(|e| format!("cannot load the platform's root certificates: {e}"))?;
        let mut tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .dangerous()
            .with_custom_certificate_verifier(std::sync::Arc::new(verifier))
            .with_no_client_auth();
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(tls)
    })
    .clone()
}

impl Transport {
    pub fn new(limits: Limits) -> Result<Self, TransportError> {
        Self::build(limits, false)
    }

    /// A transport that skips certificate validation: only for the client
    /// fault that proves `client-validates-tls` (RFC 6750 §5.3) can fail.
    pub fn accepting_any_certificate(limits: Limits) -> Result<Self, TransportError> {
        Self::build(limits, true)
    }

    fn build(limits: Limits, any_certificate: bool) -> Result<Self, TransportError> {
        // reqwest is built without a default rustls crypto provider (to avoid
        // aws-lc's long C build); install ring once per process.
        CRYPTO.call_once(|| {
            let _ = rustls::crypto::ring::default_provider().install_default();
        });
        let setup_error = |detail: String| TransportError::Other {
            url: "(client setup)".into(),
            detail,
        };
        let builder = reqwest::Client::builder()
            .connect_timeout(limits.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy();
        let builder = match any_certificate {
            true => builder.danger_accept_invalid_certs(true),
            false => builder.tls_backend_preconfigured(verifying_tls().map_err(setup_error)?),
        };
        let http = builder.build().map_err(|e| setup_error(e.to_string()))?;
        Ok(Self {
            http,
            limits,
            contacted: Contacted::default(),
            mark: None,
        })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The same connection pool with other limits, e.g. a short timeout for
    /// one scenario.
    pub fn with_limits(&self, limits: Limits) -> Self {
        Self {
            http: self.http.clone(),
            limits,
            contacted: self.contacted.clone(),
            mark: self.mark.clone(),
        }
    }

    /// The same transport, marking its requests as the suite's for `serve`
    /// (see [`super::wire_mark`]); `None` marks nothing.
    pub fn marked(mut self, mark: Option<WireMark>) -> Self {
        self.mark = mark;
        self
    }

    /// What it marks its requests with, if anything.
    pub fn mark(&self) -> Option<&WireMark> {
        self.mark.as_ref()
    }

    /// The same transport for the next scenario: `serve` judges its
    /// requests apart from other scenarios'.
    pub fn for_next_scenario(&self) -> Self {
        let mut copy = self.clone();
        copy.mark = self.mark.as_ref().map(WireMark::next_scenario);
        copy
    }

    /// The same transport, its requests marked as breaking `what` on
    /// purpose: `serve` counts them as the suite's probes, unjudged.
    pub fn probing(&self, what: &str) -> Self {
        let mut copy = self.clone();
        copy.mark = self.mark.as_ref().map(|m| m.probing(what));
        copy
    }

    /// The same transport, counting its requests into `contacted` (a
    /// copy built apart, e.g. [`Self::accepting_any_certificate`], that
    /// belongs to the same run).
    pub fn counting_into(mut self, contacted: Contacted) -> Self {
        self.contacted = contacted;
        self
    }

    /// The origins this transport and its copies sent requests to.
    pub fn contacted(&self) -> &Contacted {
        &self.contacted
    }

    pub async fn send(&self, request: &HttpRequest) -> Result<HttpAnswer, TransportError> {
        let url = request.url.to_string();
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).map_err(|e| {
            TransportError::Other {
                url: url.clone(),
                detail: e.to_string(),
            }
        })?;
        let mut builder = self
            .http
            .request(method, request.url.clone())
            .timeout(self.limits.timeout);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        for (name, value) in self.mark.iter().flat_map(WireMark::headers) {
            if request.header(name).is_none() {
                builder = builder.header(name, value);
            }
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }
        let classify = |e: reqwest::Error| self.classify(&url, e);
        self.contacted.note(&request.url);
        let mut response = builder.send().await.map_err(classify)?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let content_type = headers
            .iter()
            .find(|(n, _)| n == "content-type")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| "(none)".into());
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > self.limits.max_body_bytes {
                body.extend_from_slice(&chunk[..chunk.len().min(PREVIEW_BYTES)]);
                return Err(TransportError::TooLarge {
                    url,
                    status,
                    content_type,
                    limit: self.limits.max_body_bytes,
                    preview: preview(&body, PREVIEW_BYTES),
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpAnswer {
            url: request.url.clone(),
            status,
            headers,
            body,
        })
    }

    fn classify(&self, url: &str, e: reqwest::Error) -> TransportError {
        let url = url.to_owned();
        if e.is_timeout() {
            return TransportError::Timeout {
                url,
                limit: self.limits.timeout,
            };
        }
        let detail = error_chain(&e);
        if detail.to_ascii_lowercase().contains("certificate")
            || detail.to_ascii_lowercase().contains("tls")
        {
            return TransportError::Tls { url, detail };
        }
        let lower = detail.to_ascii_lowercase();
        if lower.contains("dns error") || lower.contains("failed to lookup address") {
            return TransportError::Dns { url, detail };
        }
        if e.is_connect() {
            return TransportError::Unreachable { url, detail };
        }
        TransportError::Other { url, detail }
    }
}

/// reqwest's top-level message is vague ("error sending request"); the cause
/// chain says what happened ("Connection refused", "dns error").
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
