//! What the client sent, exactly as it went on the wire.
//!
//! Conformance is about request *shapes*: a check that "the body has
//! grant_type" must look at what was sent, not at what we meant to send. Every
//! request is built as an [`HttpRequest`] first, recorded, then sent, so checks
//! and snapshots read the same value the transport used.

use std::sync::{Arc, Mutex};

use crate::redact::SECRET_FIELDS;

/// An HTTP request as sent: the unit the transport sends and checks inspect.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpRequest {
    pub method: String,
    pub url: url::Url,
    /// Header names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Option<Vec<u8>>,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        self.body
            .as_deref()
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// The body's parameters, whether it was sent as a form or as a JSON
    /// object, in the order sent. JSON values that are not strings keep their
    /// JSON spelling.
    pub fn body_params(&self) -> Vec<(String, String)> {
        let Some(body) = &self.body else {
            return Vec::new();
        };
        if self.body_is_json() {
            match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body) {
                Ok(map) => map
                    .into_iter()
                    .map(|(k, v)| match v {
                        serde_json::Value::String(s) => (k, s),
                        other => (k, other.to_string()),
                    })
                    .collect(),
                Err(_) => Vec::new(),
            }
        } else {
            form_urlencoded::parse(body).into_owned().collect()
        }
    }

    fn body_is_json(&self) -> bool {
        self.header("content-type")
            .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"))
    }

    /// The same request with its body rebuilt from `params`, in the
    /// encoding it had (a JSON object of strings, or a form): how a misstep
    /// or a client fault bends a request the client built right.
    pub fn with_body_params(mut self, params: &[(String, String)]) -> Self {
        self.body = Some(if self.body_is_json() {
            let map: serde_json::Map<String, serde_json::Value> = params
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                .collect();
            serde_json::to_vec(&map).unwrap_or_default()
        } else {
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params)
                .finish()
                .into_bytes()
        });
        self
    }

    pub fn body_param(&self, name: &str) -> Option<String> {
        self.body_params()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A stable text rendering for snapshots: the target's origin, secrets,
    /// tokens, codes and client ids become fixed placeholders, so the same
    /// profile gives the same snapshot against the mock and against a sandbox.
    pub fn snapshot_text(&self) -> String {
        let mut out = String::new();
        let path_and_query = {
            let mut u = self.url.path().to_owned();
            if let Some(q) = self.url.query() {
                let pairs: Vec<(String, String)> =
                    form_urlencoded::parse(q.as_bytes()).into_owned().collect();
                u.push('?');
                u.push_str(&encode_pairs(&placeholder_pairs(pairs)));
            }
            u
        };
        out.push_str(&format!("{} [TARGET]{}\n", self.method, path_and_query));
        let mut headers: Vec<&(String, String)> = self.headers.iter().collect();
        headers.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, value) in headers {
            let shown = match name.as_str() {
                "authorization" => placeholder_authorization(value),
                _ => value.clone(),
            };
            out.push_str(&format!("{name}: {shown}\n"));
        }
        if self.body.is_some() {
            out.push('\n');
            let is_json = self
                .header("content-type")
                .is_some_and(|ct| ct.contains("json"));
            let pairs = placeholder_pairs(self.body_params());
            if is_json {
                let map: serde_json::Map<String, serde_json::Value> = pairs
                    .into_iter()
                    .map(|(k, v)| (k, serde_json::Value::String(v)))
                    .collect();
                out.push_str(&serde_json::to_string_pretty(&map).unwrap_or_else(|e| e.to_string()));
            } else {
                out.push_str(&encode_pairs(&pairs));
            }
            out.push('\n');
        }
        out
    }
}

fn placeholder_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("basic") => {
            format!("{scheme} [CLIENT_CREDENTIALS]")
        }
        Some((scheme, _)) if scheme.eq_ignore_ascii_case("bearer") => {
            format!("{scheme} [ACCESS_TOKEN]")
        }
        _ => "[REDACTED]".to_owned(),
    }
}

/// Values that differ per target or per run become `[NAME]` placeholders.
fn placeholder_pairs(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(k, v)| {
            let placeholder = SECRET_FIELDS.contains(&k.as_str())
                || matches!(
                    k.as_str(),
                    "client_id" | "state" | "code_challenge" | "redirect_uri"
                );
            if placeholder {
                let shown = format!("[{}]", k.to_ascii_uppercase());
                (k, shown)
            } else {
                (k, v)
            }
        })
        .collect()
}

fn encode_pairs(pairs: &[(String, String)]) -> String {
    // Placeholders stay readable: brackets are not percent-encoded here.
    pairs
        .iter()
        .map(|(k, v)| {
            if v.starts_with('[') && v.ends_with(']') {
                format!("{}={v}", form_encode_component(k))
            } else {
                format!("{}={}", form_encode_component(k), form_encode_component(v))
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn form_encode_component(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Every request a client sent, shared between the client and whoever checks it.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    sent: Arc<Mutex<Vec<HttpRequest>>>,
}

impl Recorder {
    pub fn record(&self, request: &HttpRequest) {
        self.sent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(request.clone());
    }

    pub fn all(&self) -> Vec<HttpRequest> {
        self.sent.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form_request() -> HttpRequest {
        HttpRequest {
            method: "POST".into(),
            url: "http://127.0.0.1:5555/token?x=1".parse().unwrap(),
            headers: vec![
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("authorization".into(), "Basic YTpi".into()),
            ],
            body: Some(
                b"grant_type=client_credentials&scope=read+write&client_secret=s%26t".to_vec(),
            ),
        }
    }

    #[test]
    fn body_params_read_forms_and_json() {
        let req = form_request();
        assert_eq!(req.body_param("scope").as_deref(), Some("read write"));
        assert_eq!(req.body_param("client_secret").as_deref(), Some("s&t"));
        let json = HttpRequest {
            headers: vec![("content-type".into(), "application/json".into())],
            body: Some(br#"{"grant_type":"client_credentials","n":3}"#.to_vec()),
            ..form_request()
        };
        assert_eq!(
            json.body_param("grant_type").as_deref(),
            Some("client_credentials")
        );
        assert_eq!(json.body_param("n").as_deref(), Some("3"));
    }

    #[test]
    fn snapshot_text_hides_origin_secrets_and_sorts_headers() {
        let text = form_request().snapshot_text();
        assert_eq!(
            text,
            "POST [TARGET]/token?x=1\n\
             authorization: Basic [CLIENT_CREDENTIALS]\n\
             content-type: application/x-www-form-urlencoded\n\
             \n\
             grant_type=client_credentials&scope=read+write&client_secret=[CLIENT_SECRET]\n"
        );
    }
}
