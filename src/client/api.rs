//! Calling the protected API with a bearer token (RFC 6750 §2.1).

use crate::profile::{Api, Profile};

use super::recording::HttpRequest;

/// How the token is presented. Tests need the wrong ways too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Presentation {
    /// `Authorization: Bearer <token>` (RFC 6750 §2.1).
    Bearer(String),
    /// The same header with another spelling of the scheme, e.g. `bearer`.
    /// Auth schemes are case-insensitive (RFC 9110 §11.1).
    Scheme { scheme: String, token: String },
    /// No `Authorization` header at all.
    Nothing,
}

/// The API probe request the profile describes.
pub fn api_request(
    api: &Api,
    base_url: &url::Url,
    presentation: &Presentation,
) -> Result<HttpRequest, url::ParseError> {
    probe_request(api, base_url, &api.probe_path, presentation)
}

/// The same request, to `path` (the probe, or the scope-protected probe).
pub fn probe_request(
    api: &Api,
    base_url: &url::Url,
    path: &str,
    presentation: &Presentation,
) -> Result<HttpRequest, url::ParseError> {
    let url = base_url.join(path)?;
    let mut headers = Vec::new();
    match presentation {
        Presentation::Bearer(token) => {
            headers.push(("authorization".into(), format!("Bearer {token}")));
        }
        Presentation::Scheme { scheme, token } => {
            headers.push(("authorization".into(), format!("{scheme} {token}")));
        }
        Presentation::Nothing => {}
    }
    // The guides' examples send a Content-Type even on a GET; so do we, since
    // that is the documented shape.
    headers.push(("content-type".into(), api.content_type.clone()));
    Ok(HttpRequest {
        method: api.method.clone(),
        url,
        headers,
        body: None,
    })
}

/// How the connection-success call encodes `client_id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyEncoding {
    /// Form data, as seed 001 says ("form data, not JSON").
    Form,
    /// JSON, which the guide rules out; tests send it to see it refused.
    Json,
}

/// The optional "connection success" POST of seed 001: `client_id` in the
/// body, with the access token as for every API request.
pub fn connection_success_request(
    profile: &Profile,
    base_url: &url::Url,
    client_id: &str,
    token: &str,
    encoding: BodyEncoding,
) -> Result<HttpRequest, String> {
    let path = profile
        .authorization_code
        .as_ref()
        .and_then(|ac| ac.connection_success_path.as_deref())
        .ok_or_else(|| {
            format!(
                "profile {} documents no connection-success call",
                profile.name
            )
        })?;
    let url = base_url.join(path).map_err(|e| e.to_string())?;
    let (content_type, body) = match encoding {
        BodyEncoding::Form => (
            "application/x-www-form-urlencoded",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("client_id", client_id)
                .finish()
                .into_bytes(),
        ),
        BodyEncoding::Json => (
            "application/json",
            serde_json::to_vec(&serde_json::json!({ "client_id": client_id })).unwrap_or_default(),
        ),
    };
    Ok(HttpRequest {
        method: "POST".into(),
        url,
        headers: vec![
            ("authorization".into(), format!("Bearer {token}")),
            ("content-type".into(), content_type.into()),
        ],
        body: Some(body),
    })
}

/// `token` with one character changed in its middle, inside the signature of
/// a JWT (three dot-separated segments): a token its holder modified (RFC
/// 6749 §10.3). The character is changed for another letter, so the result
/// is still a b64token and, in base64url, decodes to other bits.
pub fn tampered(token: &str) -> String {
    let start = match token.matches('.').count() {
        2 => token.rfind('.').map_or(0, |i| i + 1),
        _ => 0,
    };
    let index = start + (token.len() - start) / 2;
    let mut chars: Vec<char> = token.chars().collect();
    if let Some(c) = chars.get_mut(index) {
        *c = if *c == 'A' { 'B' } else { 'A' };
    }
    chars.into_iter().collect()
}
